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

// cacheMagic starts every cache file; bump its version when what parsing
// produces changes shape.
const cacheMagic = "brief-index-v6\n"

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

// buildStamp identifies the running build, so that a cache written by
// another build (whose parser may differ) is never trusted.
func buildStamp() string {
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
	n := d.int()
	if d.err != nil || n < 0 || n > len(d.s) {
		return nil
	}
	c := &cache{files: make([]cachedFile, n), data: d.s}
	block := make([]Briefing, n) // one allocation for every briefing
	for i := range n {
		path := d.str()
		f := cachedFile{path: path, size: int64(d.int()), modTime: int64(d.int())}
		if np := d.count(); np > 0 {
			f.problems = make([]Problem, np)
			for j := range f.problems {
				f.problems[j] = Problem{Path: path, Line: d.int(), Severity: Severity(d.int()), Message: d.str()}
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
	e.buf.WriteString(cacheMagic)
	e.str(stamp)
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
		e.int(int(f.size))
		e.int(int(f.modTime))
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
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("index cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".index-*")
	if err != nil {
		return fmt.Errorf("index cache: %w", err)
	}
	defer os.Remove(tmp.Name())
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
		f.briefing.size, f.briefing.modTime = size, modTime
	}
	return fileState{size: size, modTime: modTime, stat: true, parsed: parsed{briefing: f.briefing, problems: f.problems}}, true
}

// encoder writes the cache's simple format: varints and length-prefixed
// strings.
type encoder struct{ buf bytes.Buffer }

func (e *encoder) int(n int) {
	var b [binary.MaxVarintLen64]byte
	e.buf.Write(b[:binary.PutVarint(b[:], int64(n))])
}

func (e *encoder) str(s string) {
	e.int(len(s))
	e.buf.WriteString(s)
}

func (e *encoder) strs(ss []string) {
	e.int(len(ss))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *encoder) date(d Date) {
	e.int(d.Year)
	e.int(int(d.Month))
	e.int(d.Day)
	e.int(int(d.Precision))
	e.str(d.Season)
}

func (e *encoder) briefing(b *Briefing) {
	e.str(b.ID)
	e.str(b.Title)
	e.date(b.Date)
	e.str(string(b.Dating.Basis))
	e.str(b.Dating.Note)
	e.str(b.Kind)
	e.str(b.Location)
	e.strs(b.Countries)
	e.strs(b.Topics)
	e.int(len(b.Officials))
	for _, o := range b.Officials {
		e.str(o.Name)
		e.int(o.line)
	}
	e.str(b.Summary)
	e.int(len(b.Figures))
	for _, f := range b.Figures {
		e.str(f.Label)
		e.str(f.Value)
		e.str(f.Note)
	}
	e.int(len(b.Sources))
	for _, s := range b.Sources {
		e.str(s.Outlet)
		e.str(s.Title)
		e.str(s.URL)
		e.str(s.Lang)
		e.date(s.Published)
	}
	e.str(b.Status)
	e.int(len(b.Extra))
	for _, x := range b.Extra {
		e.str(x.Key)
		e.str(x.Value)
		e.int(x.Line)
	}
	e.int(b.BodyLine)
	e.int(b.bodyOffset)
	e.int(b.idLine)
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
	figures   chunk[Figure]
	sources   chunk[Source]
	fields    chunk[Field]
}

// chunk hands out slices of larger blocks.
type chunk[T any] struct{ free []T }

// take gives a slice of n elements, its capacity n: appending to it
// copies it rather than overwrite the next one.
func (c *chunk[T]) take(n int) []T {
	if n > len(c.free) {
		c.free = make([]T, max(n, 1024))
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
	v := d.s[:n]
	d.s = d.s[n:]
	return v
}

func (d *decoder) int() int {
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
			return int(x)
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

func (d *decoder) strs() []string {
	n := d.int()
	if n <= 0 || n > len(d.s) {
		if n != 0 {
			d.err = errCorrupt
		}
		return nil
	}
	out := d.strings.take(n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) date() Date {
	return Date{Year: d.int(), Month: time.Month(d.int()), Day: d.int(), Precision: Precision(d.int()), Season: d.str()}
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
	b.Dating.Basis = Basis(d.str())
	b.Dating.Note = d.str()
	b.Kind = d.str()
	b.Location = d.str()
	b.Countries = d.strs()
	b.Topics = d.strs()
	if n := d.count(); n > 0 {
		b.Officials = d.officials.take(n)
		for i := range b.Officials {
			b.Officials[i] = OfficialRef{Name: d.str(), line: d.int()}
		}
	}
	b.Summary = d.str()
	if n := d.count(); n > 0 {
		b.Figures = d.figures.take(n)
		for i := range b.Figures {
			b.Figures[i] = Figure{Label: d.str(), Value: d.str(), Note: d.str()}
		}
	}
	if n := d.count(); n > 0 {
		b.Sources = d.sources.take(n)
		for i := range b.Sources {
			b.Sources[i] = Source{Outlet: d.str(), Title: d.str(), URL: d.str(), Lang: d.str(), Published: d.date()}
		}
	}
	b.Status = d.str()
	if n := d.count(); n > 0 {
		b.Extra = d.fields.take(n)
		for i := range b.Extra {
			b.Extra[i] = Field{Key: d.str(), Value: d.str(), Line: d.int()}
		}
	}
	b.BodyLine = d.int()
	b.bodyOffset = d.int()
	b.idLine = d.int()
	b.head = uint32(d.int())
	if strings.ContainsRune(b.ID, 0) {
		d.err = errCorrupt
	}
}
