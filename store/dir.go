package store

import (
	"io/fs"
	"os"
)

// Dir is a folder of briefings on disk. It is an fs.FS like os.DirFS (and
// serves fs.ReadDir and fs.Stat the same way); on Unix, loading also reads
// the start of each file with fewer system calls than os.Open needs.
type Dir string

func (d Dir) fs() fs.FS { return os.DirFS(string(d)) }

// Open opens a file of the folder.
func (d Dir) Open(name string) (fs.File, error) { return d.fs().Open(name) }

// ReadDir lists a folder of the folder.
func (d Dir) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(d.fs(), name) }

// Stat describes a file of the folder, following symlinks.
func (d Dir) Stat(name string) (fs.FileInfo, error) { return fs.Stat(d.fs(), name) }

// ReadFile reads a whole file of the folder.
func (d Dir) ReadFile(name string) ([]byte, error) { return fs.ReadFile(d.fs(), name) }

// headReader reads the start of a file into buf: up to len(buf) bytes,
// with the file's size.
type headReader interface {
	readHead(name string, buf []byte) (n int, size int64, err error)
}
