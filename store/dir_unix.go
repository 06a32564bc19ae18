//go:build unix

package store

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// readHead opens, reads and closes with one system call each, skipping
// what os.Open adds for files that could be polled: a briefing smaller
// than buf is read whole by its first read, and its size is not asked for
// (only a file that fills buf is stat-ed, for its size). With dir, the
// folder holding the file, open (openDir), the file is opened relative to
// it.
func (d Dir) readHead(dir *os.File, name string, buf []byte, closed func([]byte) bool) (int, int64, error) {
	if !fs.ValidPath(name) {
		return 0, 0, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	var fd int
	var err error
	if dir != nil {
		dirfd, base := int(dir.Fd()), path.Base(name)
		fd, err = retry(func() (int, error) { return openAt(dirfd, base) })
	} else {
		p := filepath.Join(string(d), filepath.FromSlash(name))
		fd, err = retry(func() (int, error) { return syscall.Open(p, syscall.O_RDONLY|syscall.O_CLOEXEC, 0) })
	}
	if err != nil {
		return 0, 0, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	n := 0
	for {
		m, err := retry(func() (int, error) { return syscall.Read(fd, buf[n:]) })
		if err != nil { // a folder gives EISDIR
			return n, 0, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		n += m
		switch {
		case m == 0:
			return n, int64(n), nil // the whole file
		case n == len(buf):
			var st syscall.Stat_t
			if err := syscall.Fstat(fd, &st); err != nil {
				return 0, 0, &fs.PathError{Op: "stat", Path: name, Err: err}
			}
			return n, st.Size, nil
		case closed(buf[:n]):
			// Most likely the whole file (a read gives all it can), but
			// enough either way.
			return n, -1, nil
		}
	}
}

// retry repeats a system call interrupted by a signal.
func retry(call func() (int, error)) (int, error) {
	for {
		n, err := call()
		if err != syscall.EINTR {
			return n, err
		}
	}
}

// openDir lists a folder of the folder into l and gives it open, so that
// its files can be stat-ed and read relative to it: one path component
// for the kernel to resolve instead of the whole path.
func (d Dir) openDir(name string, l *dirList) (*os.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := os.Open(filepath.Join(string(d), filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	if err := readDir(f, l); err != nil {
		f.Close()
		return nil, err
	}
	l.sort()
	return f, nil
}

// statAt gives the size and time of the file name in the open folder dir;
// ok is false for anything but a regular file (a symlink is left to
// fs.Stat, which follows it).
func (Dir) statAt(dir *os.File, name string) (size, modTime int64, ok bool) {
	var st unix.Stat_t
	fd := int(dir.Fd())
	_, err := retry(func() (int, error) { return 0, unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) })
	if err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return 0, 0, false
	}
	return st.Size, st.Mtim.Nano(), true
}
