package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The index cache keeps what loading learned of each file (its briefing
// or its problems) outside the briefing folder, keyed by the file's path,
// size and modification time. A file whose size or time differs is read
// again; a cache written by another build of brief is not used at all.
// Loading 10,000 unchanged briefings then costs a stat per file instead of
// a read and a parse.
//
// The strings that repeat across briefings (kinds, places, countries,
// topics, officials, seasons, statuses: see encoder.ref) are written once,
// in a table before the files, and each briefing refers to them: the
// cache is smaller, and decoding it interns them at no cost. A briefing's
// packed details (details.go) are written as they are. Decoded strings
// are slices of the cache's bytes, which the corpus then keeps: the table
// and the briefings' own text, with little else.

// cacheMagic starts every cache file; bump its version when what parsing
// produces changes shape.
const cacheMagic = "brief-index-v8\n"

// cachedFile is one file's entry.
type cachedFile struct {
	path     string
	size     int64
	modTime  int64 // Unix nanoseconds
	briefing *Briefing
	problems []Problem
}

// cache is an index cache read from disk. Its files are in the order
// they were written, the walk's: a load that finds the folder as it was
// finds each file at its own position, without a map.
type cache struct {
	files  []cachedFile
	byPath map[string]int // built on the first lookup out of order
	once   sync.Once
	data   string // the file's bytes; cached strings are slices of it
}

// BuildStamp identifies the running build (its executable's path, size
// and time), so that a cache written by another build, whose parser or
// cleaning may differ, is never trusted; "" when it cannot be told (no
// cache is used then).
func BuildStamp() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	info, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s|%d|%d", exe, info.Size(), info.ModTime().UnixNano())
}

// readCache reads the cache at path; a missing, damaged or foreign cache
// is no cache.
func readCache(path, stamp string) *cache {
	if path == "" || stamp == "" {
		return nil
	}
	data, err := readString(path)
	if err != nil {
		return nil
	}
	d := decoder{s: data}
	if d.fixed(len(cacheMagic)) != cacheMagic || d.str() != stamp {
		return nil
	}
	if nt := d.count(); nt > 0 {
		d.table = make([]string, nt+1) // 0 is ""
		for i := 1; i <= nt; i++ {
			d.table[i] = d.str()
		}
	}
	n := d.int()
	if d.err != nil || n < 0 || n > len(d.s) {
		return nil
	}
	c := &cache{files: make([]cachedFile, n), data: d.s}

	block := make([]Briefing, n) // one allocation for every briefing
	for i := range n {
		path := d.str()
		f := cachedFile{path: path, size: d.int64(), modTime: d.int64()}
		if np := d.count(); np > 0 {
			f.problems = make([]Problem, np)
			for j := range f.problems {
				f.problems[j] = Problem{Path: path, Line: d.int(), Severity: Severity(d.int()), Message: strings.Clone(d.str())}
			}
		}
		if d.int() == 1 {
			f.briefing = &block[i]
			d.briefing(f.briefing, path)
		}
		if d.err != nil {
			return nil
		}
		c.files[i] = f
	}
	return c
}

// readString reads a whole file into a string without copying it twice.
func readString(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(int(info.Size()) + 1)
	if _, err := io.Copy(&b, f); err != nil {
		return "", err
	}
	return b.String(), nil
}

// writeCache replaces the cache at path, atomically, so a reader never
// sees half a cache. Errors are returned for the caller to ignore: a cache
// that cannot be written only makes the next load slower. Files whose
// stat is unknown are left out: they are read again next time.
func writeCache(path, stamp string, files []fileState) error {
	var e encoder
	e.buf.Grow(len(files) << 10) // about what a briefing takes, grown once
	n := 0
	for i := range files {
		if files[i].stat {
			n++
		}
	}
	e.int(n)
	for i := range files {
		f := &files[i]
		if !f.stat {
			continue
		}
		e.str(f.path)
		e.int64(f.size)
		e.int64(f.modTime)
		e.int(len(f.problems))
		for _, pr := range f.problems {
			e.int(pr.Line)
			e.int(int(pr.Severity))
			e.str(pr.Message)
		}
		if b := f.briefing; b != nil {
			e.int(1)
			e.briefing(b)
		} else {
			e.int(0)
		}
	}
	var h encoder
	h.buf.WriteString(cacheMagic)
	h.str(stamp)
	h.int(len(e.table))
	for _, s := range e.table {
		h.str(s)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("index cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".index-*")
	if err != nil {
		return fmt.Errorf("index cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(h.buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("index cache: %w", err)
	}
	if _, err := tmp.Write(e.buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("index cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("index cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("index cache: %w", err)
	}
	return nil
}

// lookup gives the cached result for a file, if its size and time match;
// at is where the walk found it, which is where the cache has it when
// the folder has not changed. Each call gives a briefing of its own (one
// per file and load).
func (c *cache) lookup(at int, path string, size, modTime int64) (fileState, bool) {
	if c == nil {
		return fileState{}, false
	}
	if at < 0 || at >= len(c.files) || c.files[at].path != path {
		c.once.Do(func() {
			c.byPath = make(map[string]int, len(c.files))
			for i := range c.files {
				c.byPath[c.files[i].path] = i
			}
		})
		var ok bool
		if at, ok = c.byPath[path]; !ok {
			return fileState{}, false
		}
	}
	f := c.files[at]
	if f.size != size || f.modTime != modTime {
		return fileState{}, false
	}
	if f.briefing != nil {
		// The walk's path, not the cache's: what is kept holds nothing
		// of the cache.
		f.briefing.size, f.briefing.modTime, f.briefing.Path = size, modTime, path
	}
	for i := range f.problems {
		f.problems[i].Path = path
	}
	return fileState{size: size, modTime: modTime, stat: true, parsed: parsed{briefing: f.briefing, problems: f.problems}}, true
}

// encoder writes the cache's simple format: varints and length-prefixed
// strings, and references to the table of strings that repeat.
type encoder struct {
	buf   bytes.Buffer
	refs  map[string]int // each table string's number, from 1
	table []string
}

// ref writes a string that repeats across briefings as its number in the
// table (0 for "").
func (e *encoder) ref(s string) {
	if s == "" {
		e.int(0)
		return
	}
	n, ok := e.refs[s]
	if !ok {
		if e.refs == nil {
			e.refs = map[string]int{}
		}
		e.table = append(e.table, s)
		n = len(e.table)
		e.refs[s] = n
	}
	e.int(n)
}

func (e *encoder) refList(ss []string) {
	e.int(len(ss))
	for _, s := range ss {
		e.ref(s)
	}
}

func (e *encoder) int(n int) { e.int64(int64(n)) }

// int64 writes n as int does: it is for what need not fit an int where
// an int is 32 bits (sizes, times, sums).
func (e *encoder) int64(n int64) {
	var b [binary.MaxVarintLen64]byte
	e.buf.Write(b[:binary.PutVarint(b[:], n)])
}

func (e *encoder) str(s string) {
	e.int(len(s))
	e.buf.WriteString(s)
}

func (e *encoder) date(d Date) {
	e.int(d.Year)
	e.int(int(d.Month))
	e.int(d.Day)
	e.int(int(d.Precision))
	e.ref(d.Season)
}

func (e *encoder) briefing(b *Briefing) {
	e.str(b.ID)
	e.str(b.Title)
	e.date(b.Date)
	e.ref(b.Kind)
	e.ref(b.Location)
	e.refList(b.Countries)
	e.refList(b.Topics)
	e.int(len(b.Officials))
	for i := range b.Officials {
		e.ref(b.Officials[i].Name) // not Official: Load links it meanwhile
	}
	e.str(b.Summary)
	e.ref(b.Status)
	e.int(int(b.basis))
	e.str(b.details) // packed already: carried as it is
	e.int(b.BodyLine)
	e.int(int(b.bodyOffset))
	e.int(int(b.idLine))
	e.int(int(b.head))
}

// decoder reads what encoder wrote; strings are slices of s, not copies.
// The first error sticks and every later read gives zero values.
type decoder struct {
	s   string
	err error
	// Lists are cut from shared blocks: a few allocations for a whole
	// cache instead of several per briefing.
	strings   chunk[string]
	officials chunk[OfficialRef]
	table     []string            // the strings that repeat; table[0] is ""
	lists     map[string][]string // the lists read, by their encoding
	scratch   []string
}

// ref reads a string of the table.
func (d *decoder) ref() string {
	n := d.int()
	switch {
	case n == 0:
		return ""
	case n < 0 || n >= len(d.table):
		d.err = errCorrupt
		return ""
	}
	return d.table[n]
}

// refs reads a list of table strings. A list read before is given as
// it was (briefings share their lists of countries and of topics), its
// capacity its length.
func (d *decoder) refs() []string {
	n := d.int()
	if n <= 0 || n > len(d.s) {
		if n != 0 {
			d.err = errCorrupt
		}
		return nil
	}
	from := d.s
	d.scratch = d.scratch[:0]
	for range n {
		d.scratch = append(d.scratch, d.ref())
	}
	if d.err != nil {
		return nil
	}
	key := from[:len(from)-len(d.s)] // the list as written: its table numbers
	if l, ok := d.lists[key]; ok {
		return l
	}
	out := d.strings.take(n, 1024)
	copy(out, d.scratch)
	if d.lists == nil {
		d.lists = map[string][]string{}
	}
	d.lists[key] = out
	return out
}

// chunk hands out slices of larger blocks, of 16 elements at first,
// doubling up to 1024.
type chunk[T any] struct {
	free []T
	size int // of the last block
}

// take gives a slice of n elements, its capacity n: appending to it
// copies it rather than overwrite the next one. Blocks start at 16
// elements and double up to most.
func (c *chunk[T]) take(n, most int) []T {
	if n > len(c.free) {
		c.size = min(most, max(16, 2*c.size))
		c.free = make([]T, max(n, c.size))
	}
	s := c.free[:n:n]
	c.free = c.free[n:]
	return s
}

var errCorrupt = errors.New("index cache is damaged")

func (d *decoder) fixed(n int) string {
	if d.err != nil || len(d.s) < n {
		d.err = errCorrupt
		return ""
	}
	if n == 0 {
		return "" // not d.s[:0], which would hold the whole cache alive
	}
	v := d.s[:n]
	d.s = d.s[n:]
	return v
}

func (d *decoder) int() int { return int(d.int64()) }

// int64 reads what encoder.int64 (or int) wrote.
func (d *decoder) int64() int64 {
	if d.err != nil {
		return 0
	}
	var ux uint64
	var shift uint
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		c := d.s[i]
		ux |= uint64(c&0x7f) << shift
		if c < 0x80 {
			d.s = d.s[i+1:]
			x := int64(ux >> 1)
			if ux&1 != 0 {
				x = ^x
			}
			return x
		}
		shift += 7
	}
	d.err = errCorrupt
	return 0
}

func (d *decoder) str() string {
	n := d.int()
	if n < 0 {
		d.err = errCorrupt
		return ""
	}
	return d.fixed(n)
}

func (d *decoder) date() Date {
	return Date{Year: d.int(), Month: time.Month(d.int()), Day: d.int(), Precision: Precision(d.int()), Season: d.ref()}
}

// count reads a list length, refusing one longer than what is left.
func (d *decoder) count() int {
	n := d.int()
	if n < 0 || n > len(d.s) {
		d.err = errCorrupt
		return 0
	}
	return n
}

func (d *decoder) briefing(b *Briefing, path string) {
	b.Path = path
	b.ID = d.str()
	b.Title = d.str()
	b.Date = d.date()
	b.Kind = d.ref()
	b.Location = d.ref()
	b.Countries = d.refs()
	b.Topics = d.refs()
	if n := d.count(); n > 0 {
		b.Officials = d.officials.take(n, 1024)
		for i := range b.Officials {
			b.Officials[i] = OfficialRef{Name: d.ref()}
		}
	}
	b.Summary = d.str()
	b.Status = d.ref()
	b.basis = basisCode(d.int())
	b.details = d.str()
	b.BodyLine = d.int()
	b.bodyOffset = int32(d.int())
	b.idLine = int32(d.int())
	b.head = uint32(d.int())
	if strings.ContainsRune(b.ID, 0) {
		d.err = errCorrupt
	}
}
