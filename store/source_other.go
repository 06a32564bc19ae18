//go:build !linux

package store

import "errors"

// errNoSpace is what adding a watch gives when the system has no more
// (only Linux says so apart).
var errNoSpace = errors.New("no more watches")

// notifyBlind would name the file system of dir when its changes made on
// other machines are never reported; only Linux tells.
func notifyBlind(string) string { return "" }
