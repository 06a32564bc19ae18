package main

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tmux drives a terminal session for end-to-end tests.
type tmux struct {
	t      *testing.T
	socket string
	name   string
}

func newTmux(t *testing.T, w, h int, command string) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	tm := &tmux{t: t, socket: filepath.Join(t.TempDir(), "tmux.sock"), name: "brief"}
	home := t.TempDir() // the reader's state, cache and configuration go here, not in the user's
	tm.run("new-session", "-d", "-s", tm.name, "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), "env", "TERM=xterm-256color", "LANG=C.UTF-8",
		"XDG_STATE_HOME="+home+"/state", "XDG_CACHE_HOME="+home+"/cache", "XDG_CONFIG_HOME="+home+"/config", "sh", "-c", command+"; sleep 30")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", tm.socket, "kill-server").Run() })
	return tm
}

func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// keys types keys as a reader would (tmux key names: Enter, Escape, C-z).
func (tm *tmux) keys(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		tm.run("send-keys", "-t", tm.name, k)
		time.Sleep(60 * time.Millisecond)
	}
}

// typeText types literal text.
func (tm *tmux) typeText(s string) {
	tm.t.Helper()
	tm.run("send-keys", "-t", tm.name, "-l", s)
	time.Sleep(60 * time.Millisecond)
}

func (tm *tmux) screen() string {
	return tm.run("capture-pane", "-p", "-t", tm.name)
}

// waitFor waits until the screen shows every text, and returns it.
func (tm *tmux) waitFor(texts ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := tm.screen()
		missing := ""
		for _, text := range texts {
			if !strings.Contains(s, text) {
				missing = text
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the screen never showed %q:\n%s", missing, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tm *tmux) resize(w, h int) {
	tm.run("resize-window", "-t", tm.name, "-x", strconv.Itoa(w), "-y", strconv.Itoa(h))
}

// buildBinary builds brief once for the test.
func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "brief")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// checkFits fails when a screen line is wider than the terminal: tmux
// would have wrapped it, which shows as a screen with more lines.
func checkFits(t *testing.T, screen string, h int) {
	t.Helper()
	if n := len(strings.Split(strings.TrimRight(screen, "\n"), "\n")); n > h {
		t.Errorf("screen has %d lines, more than the terminal's %d", n, h)
	}
}

// TestReaderEndToEnd runs the real binary in tmux and reads as a reader
// would: pick an official by another spelling, open the cards, open a
// briefing, search in it, resize, quit.
func TestReaderEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	tm := newTmux(t, 80, 24, bin)
	tm.waitFor("1 of 6", "Tokayev receives")

	tm.keys("o")
	tm.waitFor("Choose an official")
	tm.typeText("Мирзиёев")
	tm.waitFor("Shavkat Mirziyoyev")
	tm.keys("Enter")
	tm.waitFor("1 of 4", "official: Shavkat Mirziyoyev")

	tm.keys("c")
	tm.waitFor("cards", "1 of 4")

	tm.keys("Enter")
	tm.waitFor("Officials", "event 1 of 4")
	tm.keys("/")
	tm.typeText("birthday")
	tm.keys("Enter")
	tm.waitFor("Match 1/")

	tm.resize(120, 40)
	s := tm.waitFor("Tokayev and Mirziyoyev speak by phone")
	checkFits(t, s, 40)
	tm.resize(60, 20)
	s = tm.waitFor("event 1 of 4")
	checkFits(t, s, 20)
	tm.resize(30, 10)
	tm.waitFor("at least 40×12")
	tm.resize(80, 24)
	tm.waitFor("event 1 of 4")

	tm.keys("Escape", "Escape", "Escape") // the search, the briefing, the cards
	tm.waitFor("official: Shavkat Mirziyoyev")
	tm.keys("q")
	deadline := time.Now().Add(5 * time.Second)
	for strings.Contains(tm.screen(), "official: Shavkat Mirziyoyev") {
		if time.Now().After(deadline) {
			t.Fatalf("q did not quit:\n%s", tm.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
