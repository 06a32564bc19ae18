//go:build unix && !linux

package store

import "os"

// readDir lists the open folder f into l.
func readDir(f *os.File, l *dirList) error {
	entries, err := f.ReadDir(-1)
	if err != nil {
		return err
	}
	l.fromEntries(entries)
	return nil
}
