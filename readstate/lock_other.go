//go:build !unix

package readstate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// lockFile takes an exclusive lock by creating path+".excl" (where flock
// is not to be had), waiting for whoever holds it; a lock older than a
// minute is taken to be left by a process that died.
func lockFile(path string) (unlock func(), err error) {
	excl := path + ".excl"
	deadline := time.Now().Add(30 * time.Second)
	for {
		f, err := os.OpenFile(excl, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(excl) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("lock: %w", err)
		}
		if info, err := os.Stat(excl); err == nil && time.Since(info.ModTime()) > time.Minute {
			os.Remove(excl)
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("lock %s: held for over 30 s", excl)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// inode gives nothing where the system does not say (size and time must
// do).
func inode(fs.FileInfo) any { return nil }
