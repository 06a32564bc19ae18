//go:build unix && !linux

package store

import (
	"os"

	"golang.org/x/sys/unix"
)

// readDir lists the open folder f into l.
func readDir(f *os.File, l *dirList) error {
	entries, err := f.ReadDir(-1)
	if err != nil {
		return err
	}
	l.fromEntries(entries)
	return nil
}

// openAt opens name, read only, in the open folder dirfd.
func openAt(dirfd int, name string) (int, error) {
	return unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
}
