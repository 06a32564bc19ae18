//go:build unix

package tui

import (
	"syscall"
	"time"
)

// cpuTime gives the processor time the process used so far, on every
// thread (the garbage collector's included): unlike the time on the
// clock, it does not grow when other programs take the processors.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
