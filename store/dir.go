package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Dir is a folder of briefings on disk. It is an fs.FS like os.DirFS (and
// serves fs.ReadDir and fs.Stat the same way); on Unix, loading also reads
// the start of each file with fewer system calls than os.Open needs.
type Dir string

func (d Dir) fs() fs.FS { return os.DirFS(string(d)) }

// Open opens a file of the folder. A symlink may lead anywhere inside
// the folder but never out of it.
func (d Dir) Open(name string) (fs.File, error) {
	root, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.FS().Open(name)
}

// ReadDir lists a folder of the folder.
func (d Dir) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(d.fs(), name) }

// Stat describes a file of the folder, following symlinks.
func (d Dir) Stat(name string) (fs.FileInfo, error) { return fs.Stat(d.fs(), name) }

// ReadFile reads a whole file of the folder, never through a symlink that
// leaves it.
func (d Dir) ReadFile(name string) ([]byte, error) {
	root, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return fs.ReadFile(root.FS(), name)
}

// leavesRoot reports whether name, a symlink, leads out of the folder.
func (d Dir) leavesRoot(name string) bool {
	root, err := filepath.EvalSymlinks(string(d))
	if err != nil {
		return true
	}
	target, err := filepath.EvalSymlinks(filepath.Join(string(d), filepath.FromSlash(name)))
	if err != nil {
		return false // a broken link is reported as unreadable
	}
	rel, err := filepath.Rel(root, target)
	return err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// headReader reads the start of a file into buf: it reads until the file
// ends (size is then n, the file's size), buf is full (size is then the
// file's size, however large), or, before either, closed says that what
// it read closes the frontmatter (size is then -1: not known). dir, when
// not nil, is the folder holding the file, open (see dirOpener).
type headReader interface {
	readHead(dir *os.File, name string, buf []byte, closed func([]byte) bool) (n int, size int64, err error)
}

// dirOpener lists folders and keeps them open, so that loading stats and
// opens their files relative to them (Dir does, on Unix).
type dirOpener interface {
	// openDir lists a folder into l, sorted, and gives it open.
	openDir(name string, l *dirList) (*os.File, error)
	statAt(dir *os.File, name string) (size, modTime int64, ok bool)
}

// dirList is a folder's entries as a walk reads them, sorted by name;
// a walk reuses one for each depth of folders.
type dirList struct {
	buf     []byte // the names are in it (on Linux, as the system gave them)
	ents    []dirEntry
	entries []fs.DirEntry // what fs.ReadDir gave, when it listed the folder
	// keys and sorted are sort's scratch space.
	keys   []uint64
	sorted []dirEntry
}

// dirEntry is an entry of a folder, as much as a walk needs of it; small,
// to be sorted quickly.
type dirEntry struct {
	off, n uint32      // its name is the list's buf[off:off+n]
	typ    fs.FileMode // its type bits (ModeDir, ModeSymlink; 0 for a file)
	at     int32       // its place in the list's entries, or -1
	// prefix is the name's first 8 bytes, big-endian, zeros after a
	// shorter name: names compare as their prefixes do, but for those
	// that share one (sort).
	prefix uint64
}

// namePrefix gives the prefix of a name (see dirEntry).
func namePrefix(name []byte) uint64 {
	if len(name) >= 8 {
		return binary.BigEndian.Uint64(name)
	}
	var b [8]byte
	copy(b[:], name)
	return binary.BigEndian.Uint64(b[:])
}

// name gives an entry's name.
func (l *dirList) name(e *dirEntry) []byte { return l.buf[e.off : e.off+e.n : e.off+e.n] }

// entry gives what fs.ReadDir gave of an entry, or nil.
func (l *dirList) entry(e *dirEntry) fs.DirEntry {
	if e.at < 0 {
		return nil
	}
	return l.entries[e.at]
}

// fromEntries lists what fs.ReadDir gave (sorted already).
func (l *dirList) fromEntries(entries []fs.DirEntry) {
	l.buf, l.ents, l.entries = l.buf[:0], l.ents[:0], entries
	for i, e := range entries {
		off := len(l.buf)
		l.buf = append(l.buf, e.Name()...)
		l.ents = append(l.ents, dirEntry{off: uint32(off), n: uint32(len(l.buf) - off), typ: e.Type(), at: int32(i), prefix: namePrefix(l.buf[off:])})
	}
}

// sort sorts the entries by name, as fs.ReadDir does: by their
// prefixes, and by the rest of their names where those are the same (a
// name cannot hold a zero byte: of two names with the same prefix,
// neither is shorter than 8 bytes, or they are the same).
//
// Most names differ in their first 6 bytes: the entries are sorted as
// numbers, those 6 bytes and each entry's place in the list (a sort of
// numbers costs a fraction of one that calls a function to compare),
// and only the runs of entries whose names share them are then sorted
// by comparing names.
func (l *dirList) sort() {
	n := len(l.ents)
	if n > 1<<16 {
		slices.SortFunc(l.ents, l.compare)
		return
	}
	keys := l.keys[:0]
	for i := range l.ents {
		keys = append(keys, l.ents[i].prefix&^0xffff|uint64(i))
	}
	slices.Sort(keys)
	sorted := l.sorted[:0]
	for _, k := range keys {
		sorted = append(sorted, l.ents[k&0xffff])
	}
	for i := 0; i < n; {
		j := i + 1
		for j < n && sorted[j].prefix>>16 == sorted[i].prefix>>16 {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(sorted[i:j], l.compare)
		}
		i = j
	}
	l.keys, l.ents, l.sorted = keys, sorted, l.ents
}

// compare orders two entries by name.
func (l *dirList) compare(a, b dirEntry) int {
	if a.prefix != b.prefix {
		return cmp.Compare(a.prefix, b.prefix)
	}
	return bytes.Compare(l.buf[a.off+min(8, a.n):a.off+a.n], l.buf[b.off+min(8, b.n):b.off+b.n])
}
