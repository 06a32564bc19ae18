//go:build unix

package server

import (
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// TestSuspendNeverReachesTheProcess is Unix only: other systems have no
// SIGTSTP.
func TestSuspendNeverReachesTheProcess(t *testing.T) {
	// Were SIGTSTP sent, this process would catch it here instead of
	// stopping (and the test fails instead of hanging).
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTSTP)
	defer signal.Stop(sig)
	ts := start(t, nil)
	withTraps(ts)
	sc := ts.open(t, 80, 24, nil)
	sc.waitFor("1 of 6")
	for _, key := range []string{
		"\x1a", // ctrl+z
		"Z",    // a model asking for tea.Suspend
		"S",    // and inside a sequence
		"o",
	} {
		sc.send(key)
		time.Sleep(100 * time.Millisecond) // keys read together arrive as one
	}
	sc.waitFor("Choose an official")
	select {
	case <-sig:
		_ = syscall.Kill(os.Getpid(), syscall.SIGCONT) // let Bubble Tea go on
		t.Fatal("a session sent SIGTSTP to the server's process group")
	case <-time.After(200 * time.Millisecond):
	}
	sc.send("\x1b")
	time.Sleep(100 * time.Millisecond)
	sc.send("q")
	sc.waitEnd()
}
