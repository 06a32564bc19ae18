package store

import (
	"encoding/binary"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// readDir lists the open folder f into l, unsorted, as getdents gives
// it: into a buffer reused from folder to folder, with no allocation for
// each entry (os.File.ReadDir makes a DirEntry and a name of each).
func readDir(f *os.File, l *dirList) error {
	fd := int(f.Fd())
	l.buf = l.buf[:0]
	if cap(l.buf) == 0 {
		l.buf = make([]byte, 0, 32<<10)
	}
	for {
		if cap(l.buf)-len(l.buf) < 4<<10 { // room for an entry of the longest name, and more
			l.buf = append(l.buf[:cap(l.buf)], 0)[:len(l.buf)]
		}
		n, err := retry(func() (int, error) { return unix.Getdents(fd, l.buf[len(l.buf):cap(l.buf)]) })
		if err != nil {
			return &fs.PathError{Op: "readdirent", Path: f.Name(), Err: err}
		}
		if n <= 0 {
			break
		}
		l.buf = l.buf[:len(l.buf)+n]
	}
	return parseDirents(l, func(name []byte) (fs.FileMode, error) {
		var st unix.Stat_t
		_, err := retry(func() (int, error) { return 0, unix.Fstatat(fd, string(name), &st, unix.AT_SYMLINK_NOFOLLOW) })
		return fileType(st.Mode), err
	})
}

// parseDirents lists the entries l.buf holds, linux_dirent64 records,
// but "." and "..". An entry whose type the folder does not record (some
// file systems) gets it from lstat; one gone meanwhile is left out.
func parseDirents(l *dirList, lstat func(name []byte) (fs.FileMode, error)) error {
	l.ents, l.entries = l.ents[:0], nil
	const nameAt = 19 // after d_ino, d_off, d_reclen and d_type
	for at := 0; len(l.buf)-at >= nameAt; {
		size := int(binary.NativeEndian.Uint16(l.buf[at+16:]))
		if size < nameAt || size > len(l.buf)-at {
			break // not a record: the rest cannot be read
		}
		rec := l.buf[at : at+size]
		at += size
		if binary.NativeEndian.Uint64(rec) == 0 {
			continue // d_ino 0: an entry removed
		}
		name := rec[nameAt:]
		for i, c := range name {
			if c == 0 {
				name = name[:i:i]
				break
			}
		}
		if len(name) == 0 || string(name) == "." || string(name) == ".." {
			continue
		}
		var typ fs.FileMode
		switch rec[18] {
		case unix.DT_REG:
		case unix.DT_DIR:
			typ = fs.ModeDir
		case unix.DT_LNK:
			typ = fs.ModeSymlink
		case unix.DT_FIFO:
			typ = fs.ModeNamedPipe
		case unix.DT_SOCK:
			typ = fs.ModeSocket
		case unix.DT_CHR:
			typ = fs.ModeDevice | fs.ModeCharDevice
		case unix.DT_BLK:
			typ = fs.ModeDevice
		default:
			t, err := lstat(name)
			if err == unix.ENOENT {
				continue
			}
			if err != nil {
				return err
			}
			typ = t
		}
		l.ents = append(l.ents, dirEntry{off: uint32(at - size + nameAt), n: uint32(len(name)), typ: typ, at: -1, prefix: namePrefix(name)})
	}
	return nil
}

// fileType gives the type bits of a stat's mode.
func fileType(mode uint32) fs.FileMode {
	switch mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return fs.ModeDir
	case unix.S_IFLNK:
		return fs.ModeSymlink
	case unix.S_IFIFO:
		return fs.ModeNamedPipe
	case unix.S_IFSOCK:
		return fs.ModeSocket
	case unix.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		return fs.ModeDevice
	}
	return 0
}

// openAt opens name, read only, in the open folder dirfd, as unix.Openat
// does but with no allocation: the NUL-terminated name the kernel takes
// is made on the stack (unix.Openat makes it on the heap, once a file).
func openAt(dirfd int, name string) (int, error) {
	var cname [256]byte // NAME_MAX is 255
	if len(name) >= len(cname) || strings.IndexByte(name, 0) >= 0 {
		return unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	}
	copy(cname[:], name)
	fd, _, errno := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(dirfd), uintptr(unsafe.Pointer(&cname[0])), unix.O_RDONLY|unix.O_CLOEXEC, 0, 0, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}
