//go:build unix

package store

import (
	"io/fs"
	"path/filepath"
	"syscall"
)

// readHead opens, sizes, reads and closes with one system call each,
// skipping what os.Open adds for files that could be polled.
func (d Dir) readHead(name string, buf []byte) (int, int64, error) {
	if !fs.ValidPath(name) {
		return 0, 0, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	p := filepath.Join(string(d), filepath.FromSlash(name))
	fd, err := retry(func() (int, error) { return syscall.Open(p, syscall.O_RDONLY|syscall.O_CLOEXEC, 0) })
	if err != nil {
		return 0, 0, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return 0, 0, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
		return 0, 0, &fs.PathError{Op: "read", Path: name, Err: syscall.EISDIR}
	}
	n := 0
	for n < len(buf) && int64(n) < st.Size {
		m, err := retry(func() (int, error) { return syscall.Read(fd, buf[n:]) })
		if err != nil {
			return n, st.Size, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if m == 0 {
			break
		}
		n += m
	}
	return n, st.Size, nil
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
