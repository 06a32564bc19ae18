package store

import (
	"io/fs"
	"os"
	"path/filepath"
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
	openDir(name string) ([]fs.DirEntry, *os.File, error)
	statAt(dir *os.File, name string) (size, modTime int64, ok bool)
}
