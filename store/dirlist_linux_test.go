package store

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// dirent makes a linux_dirent64 record, padded to 8 bytes as the kernel
// pads them.
func dirent(ino uint64, typ byte, name string) []byte {
	size := (19 + len(name) + 1 + 7) &^ 7
	rec := make([]byte, size)
	binary.NativeEndian.PutUint64(rec, ino)
	binary.NativeEndian.PutUint16(rec[16:], uint16(size))
	rec[18] = typ
	copy(rec[19:], name)
	return rec
}

// TestParseDirents reads the records getdents gives: each type, "." and
// ".." left out, an entry removed (inode 0) left out, an entry of
// unknown type given its type by lstat (or left out when lstat says it
// is gone), and a buffer that ends in the middle of a record.
func TestParseDirents(t *testing.T) {
	type ent struct {
		name string
		typ  fs.FileMode
	}
	lstat := func(name []byte) (fs.FileMode, error) {
		switch string(name) {
		case "unknown-dir":
			return fileType(unix.S_IFDIR), nil
		case "unknown-file.md":
			return fileType(unix.S_IFREG), nil
		case "unknown-gone":
			return 0, unix.ENOENT
		}
		return 0, unix.EACCES
	}
	tests := []struct {
		name    string
		records [][]byte
		want    []ent
		err     error
	}{
		{"types", [][]byte{dirent(1, unix.DT_DIR, "."), dirent(2, unix.DT_DIR, ".."), dirent(3, unix.DT_REG, "a.md"),
			dirent(4, unix.DT_DIR, "sub"), dirent(5, unix.DT_LNK, "link.md"), dirent(6, unix.DT_FIFO, "pipe.md"),
			dirent(7, unix.DT_SOCK, "sock"), dirent(8, unix.DT_CHR, "chr"), dirent(9, unix.DT_BLK, "blk")},
			[]ent{{"a.md", 0}, {"sub", fs.ModeDir}, {"link.md", fs.ModeSymlink}, {"pipe.md", fs.ModeNamedPipe},
				{"sock", fs.ModeSocket}, {"chr", fs.ModeDevice | fs.ModeCharDevice}, {"blk", fs.ModeDevice}}, nil},
		{"removed", [][]byte{dirent(0, unix.DT_REG, "gone.md"), dirent(3, unix.DT_REG, "b.md")}, []ent{{"b.md", 0}}, nil},
		{"unknown type", [][]byte{dirent(3, unix.DT_UNKNOWN, "unknown-dir"), dirent(4, unix.DT_UNKNOWN, "unknown-file.md"),
			dirent(5, unix.DT_UNKNOWN, "unknown-gone")}, []ent{{"unknown-dir", fs.ModeDir}, {"unknown-file.md", 0}}, nil},
		{"unknown type, lstat fails", [][]byte{dirent(3, unix.DT_UNKNOWN, "locked")}, nil, unix.EACCES},
		{"cut short", [][]byte{dirent(3, unix.DT_REG, "a.md"), dirent(4, unix.DT_REG, "b.md")[:20]}, []ent{{"a.md", 0}}, nil},
		{"longest name", [][]byte{dirent(3, unix.DT_REG, strings.Repeat("n", 252)+".md")}, []ent{{strings.Repeat("n", 252) + ".md", 0}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := &dirList{}
			for _, r := range tc.records {
				l.buf = append(l.buf, r...)
			}
			err := parseDirents(l, lstat)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if err != nil {
				return
			}
			var got []ent
			for _, e := range l.ents {
				got = append(got, ent{string(l.name(&e)), e.typ})
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestOpenAt: opening a file in an open folder with the name copied on
// the stack gives what unix.Openat gives: the file, or the same error
// for a name that is missing, too long, holds a NUL, or is the longest
// a file may have; and it allocates nothing.
func TestOpenAt(t *testing.T) {
	dir := t.TempDir()
	longest := strings.Repeat("n", 252) + ".md"
	for _, name := range []string{"a.md", longest} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	dirfd := int(d.Fd())
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"a.md", nil},
		{longest, nil},
		{"missing.md", unix.ENOENT},
		{strings.Repeat("n", 300), unix.ENAMETOOLONG},
		{"a.md\x00x", unix.EINVAL},
	} {
		fd, err := openAt(dirfd, tc.name)
		wantFD, wantErr := unix.Openat(dirfd, tc.name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if wantErr == nil {
			unix.Close(wantFD)
		}
		if !errors.Is(err, tc.err) || !errors.Is(wantErr, tc.err) {
			t.Errorf("%.20q: error %v, unix.Openat's %v, want %v", tc.name, err, wantErr, tc.err)
		}
		if err != nil {
			continue
		}
		buf := make([]byte, 300)
		n, err := unix.Read(fd, buf)
		unix.Close(fd)
		if err != nil || string(buf[:n]) != tc.name {
			t.Errorf("%.20q: read %q, %v", tc.name, buf[:n], err)
		}
	}
	if n := testing.AllocsPerRun(100, func() {
		if fd, err := openAt(dirfd, "a.md"); err == nil {
			unix.Close(fd)
		}
	}); n != 0 {
		t.Errorf("openAt allocates %v times a call", n)
	}
}
