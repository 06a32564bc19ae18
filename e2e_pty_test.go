//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// Terminal answers, as a terminal sends them.
const (
	answerDark  = "\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\"
	answerLight = "\x1b]11;rgb:ffff/ffff/fafa\x1b\\"
	answerDA1   = "\x1b[?62;22c"
	answerCPR   = "\x1b[24;1R"
)

// Questions a program may ask a terminal.
const (
	askBackground = "\x1b]11;?"
	askDA1        = "\x1b[c"
	askCPR        = "\x1b[6n" // what termenv sends, and brief must not
)

// fakeTerminal plays a terminal on the master side of a pty: it records
// what the program writes and answers its questions as told.
type fakeTerminal struct {
	ptmx *os.File
	// background answers OSC 11 ("" answers nothing); da1 says DA1 and the
	// cursor position are answered; delay comes before every answer.
	background string
	da1        bool
	delay      time.Duration

	mu    sync.Mutex
	out   bytes.Buffer
	asked map[string]int // questions answered so far, by question
	done  chan struct{}
}

func (ft *fakeTerminal) run() {
	defer close(ft.done)
	buf := make([]byte, 4096)
	for {
		n, err := ft.ptmx.Read(buf)
		ft.mu.Lock()
		ft.out.Write(buf[:n])
		// Each question once, however the reads cut the output.
		fresh := map[string]int{}
		for _, q := range []string{askBackground, askDA1, askCPR} {
			all := strings.Count(ft.out.String(), q)
			fresh[q] = all - ft.asked[q]
			ft.asked[q] = all
		}
		ft.mu.Unlock()
		var answer string
		if ft.background != "" {
			answer += strings.Repeat(ft.background, fresh[askBackground])
		}
		if ft.da1 {
			answer += strings.Repeat(answerDA1, fresh[askDA1]) + strings.Repeat(answerCPR, fresh[askCPR])
		}
		if answer != "" {
			go func() {
				time.Sleep(ft.delay)
				_, _ = ft.ptmx.Write([]byte(answer))
			}()
		}
		if err != nil {
			return
		}
	}
}

func (ft *fakeTerminal) output() string {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return ft.out.String()
}

// waitFor waits until the program has written s.
func (ft *fakeTerminal) waitFor(t testing.TB, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(ft.output(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("never written: %q; written: %q", s, ft.output())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// ptyRun is one run of brief on a pty.
type ptyRun struct {
	out     string
	elapsed time.Duration // until brief exited (for the reader: its first frame and q)
	home    string        // HOME, with the cache and configuration folders in it
}

// terminalKind names how a fake terminal answers.
type terminalKind struct {
	name       string
	background string
	da1        bool
	delay      time.Duration
}

var (
	silentTerminal = terminalKind{name: "answers nothing"}
	darkTerminal   = terminalKind{name: "answers dark", background: answerDark, da1: true}
	lightTerminal  = terminalKind{name: "answers light", background: answerLight, da1: true}
	da1Terminal    = terminalKind{name: "answers only DA1", da1: true}
	lateTerminal   = terminalKind{name: "answers late", background: answerLight, da1: true, delay: 400 * time.Millisecond}
)

// runOnPty runs the shell script on an 80x24 pty in front of a terminal
// of the kind given. script may use $BRIEF; reader says it opens the
// reader: brief's first frame is awaited, then q is typed.
func runOnPty(t testing.TB, bin string, kind terminalKind, script string, reader bool) ptyRun {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command("sh", "-c", script)
	cmd.Env = []string{
		"BRIEF=" + bin, "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color", "LANG=C.UTF-8",
		"HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, "cache"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
	}
	start := time.Now()
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer ptmx.Close()
	ft := &fakeTerminal{ptmx: ptmx, background: kind.background, da1: kind.da1, delay: kind.delay, asked: map[string]int{}, done: make(chan struct{})}
	go ft.run()
	if reader {
		ft.waitFor(t, "Tokayev receives") // the first frame
		if kind.delay > 0 {
			time.Sleep(kind.delay + 100*time.Millisecond) // let the late answer reach the reader
		}
		_, _ = ptmx.Write([]byte("q"))
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%s: %v\n%q", script, err, ft.output())
	}
	elapsed := time.Since(start)
	ptmx.Close()
	<-ft.done
	return ptyRun{out: ft.output(), elapsed: elapsed, home: home}
}

// afterwards is shell run after brief to show what it left: whether echo
// is on, and what input nobody read (a late answer would be there).
const afterwards = `; stty -a | tr ' ;' '\n\n' | grep -qx -- -echo && echo ECHO=off || echo ECHO=on
stty -icanon -echo min 0 time 1; printf 'LEFT=['; dd bs=256 count=1 2>/dev/null | od -An -c | tr -d ' \n'; echo ']'`

// TestTerminal runs the binary on ptys in front of terminals that answer
// in different ways (or not at all).
func TestTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	t.Run("questions", func(t *testing.T) { testQuestions(t, bin) })
	t.Run("theme", func(t *testing.T) { testAnswerChoosesTheme(t, bin) })
	t.Run("late answer", func(t *testing.T) { testLateAnswerInReader(t, bin) })
	t.Run("quit at once", func(t *testing.T) { testQuitAtOnceSavesCache(t, bin) })
}

// testQuestions checks who asks the terminal what: nothing that prints no
// colour asks; everything else asks once, never the cursor position
// (termenv's way, which waited 5 s for a terminal that answers nothing),
// and leaves echo on and nothing unread.
func testQuestions(t *testing.T, bin string) {
	tests := []struct {
		name   string
		script string
		reader bool
		asks   int
		// everywhere runs it on every kind of terminal, not only the
		// silent one.
		everywhere bool
	}{
		{"help", `$BRIEF --help`, false, 0, true},
		{"help of a command", `$BRIEF list --help`, false, 0, false},
		{"version", `$BRIEF --version`, false, 0, false},
		{"list as json", `$BRIEF list --format json`, false, 0, true},
		{"list as jsonl", `$BRIEF list --format jsonl`, false, 0, false},
		{"list piped", `$BRIEF list | cat`, false, 0, false},
		{"officials piped", `$BRIEF officials | cat`, false, 0, false},
		{"show piped", `$BRIEF show 2025-07-24 | cat`, false, 0, false},
		{"check", `$BRIEF check`, false, 0, false},
		{"completion", `$BRIEF completion bash >/dev/null`, false, 0, false},
		{"no colour", `NO_COLOR=1 $BRIEF list`, false, 0, false},
		{"a theme chosen", `BRIEF_THEME=light $BRIEF list`, false, 0, false},
		{"a usage mistake", `$BRIEF list --since x; true`, false, 0, false},
		{"list", `$BRIEF list`, false, 1, true},
		{"officials", `$BRIEF officials`, false, 1, false},
		{"show", `$BRIEF show 2025-07-24 --no-pager`, false, 1, true},
		{"card", `$BRIEF card 2025-07-24`, false, 1, false},
		{"the reader", `$BRIEF`, true, 1, true},
	}
	for _, kind := range []terminalKind{silentTerminal, darkTerminal, da1Terminal} {
		for _, tt := range tests {
			if kind != silentTerminal && !tt.everywhere {
				continue // the silent terminal is where it matters
			}
			t.Run(kind.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				r := runOnPty(t, bin, kind, tt.script+afterwards, tt.reader)
				if n := strings.Count(r.out, askBackground); n != tt.asks {
					t.Errorf("asked for the background %d times, want %d", n, tt.asks)
				}
				if strings.Contains(r.out, askCPR) {
					t.Errorf("asked for the cursor position: %q", r.out)
				}
				if !strings.Contains(r.out, "ECHO=on") || !strings.Contains(r.out, "LEFT=[]") {
					t.Errorf("left the terminal without echo, or input unread:\n%q", r.out[max(0, len(r.out)-300):])
				}
				t.Logf("%v", r.elapsed.Round(time.Millisecond))
			})
		}
	}
}

// testAnswerChoosesTheme: the answer decides the theme.
func testAnswerChoosesTheme(t *testing.T, bin string) {
	tests := []struct {
		kind terminalKind
		want string // the theme's text colour
	}{
		{darkTerminal, "38;5;246"},
		{lightTerminal, "38;5;241"},
		{da1Terminal, "38;5;246"},
		{silentTerminal, "38;5;246"},
	}
	for _, tt := range tests {
		r := runOnPty(t, bin, tt.kind, `$BRIEF list`, false)
		if !strings.Contains(r.out, tt.want) {
			t.Errorf("%s: want text in %s:\n%q", tt.kind.name, tt.want, r.out)
		}
	}
}

// testLateAnswerInReader: an answer that comes after the bound reaches
// neither the reader (as keys) nor the shell afterwards.
func testLateAnswerInReader(t *testing.T, bin string) {
	r := runOnPty(t, bin, lateTerminal, `$BRIEF`+afterwards, true)
	if !strings.Contains(r.out, "ECHO=on") || !strings.Contains(r.out, "LEFT=[]") {
		t.Errorf("the late answer was left for the shell:\n%q", r.out[max(0, len(r.out)-300):])
	}
	// As keys, "rgb:ffff/ffff/fafa" would have typed into the reader and
	// the q after it would not have quit: runOnPty would not return.
	if strings.Contains(r.out, "ffff/fafa") {
		t.Errorf("the answer was echoed: %q", r.out)
	}
}

// testQuitAtOnceSavesCache: a reader who quits as soon as the first frame
// is drawn still leaves the folder's index cache behind (it is otherwise
// written a second after loading), so that the next start reads it
// instead of every file.
func testQuitAtOnceSavesCache(t *testing.T, bin string) {
	dir := t.TempDir()
	for i, title := range []string{"Tokayev receives the minister", "A second meeting", "A third"} {
		text := fmt.Sprintf("---\nid: b%d\ntitle: %s\ndate: 2024-05-0%d\nofficials: [tokayev]\n---\n\nText.\n", i, title, i+1)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("b%d.md", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := runOnPty(t, bin, darkTerminal, `$BRIEF --dir '`+dir+`'`, true)
	// Beside the index cache (index-<hash>) may lie the text index's and
	// the hashes' files (index-<hash>.text, .hashes), not what this is about.
	all, _ := filepath.Glob(filepath.Join(r.home, "cache", "brief", "index-*"))
	var caches []string
	for _, p := range all {
		if filepath.Ext(p) == "" {
			caches = append(caches, filepath.Base(p))
		}
	}
	if len(caches) != 1 {
		t.Errorf("index caches after quitting at once: %q, want one (all files: %q)", caches, all)
	}
}

// BenchmarkTerminal times commands on a pty whose terminal answers, and on
// one that answers nothing: the difference is the bounded wait.
//
//	go test -run '^$' -bench Terminal -benchtime 10x .
func BenchmarkTerminal(b *testing.B) {
	bin := buildBinary(b)
	commands := []struct {
		name, script string
		reader       bool
	}{
		{"help", `$BRIEF --help`, false},
		{"list", `$BRIEF list`, false},
		{"json", `$BRIEF list --format json`, false},
		{"show", `$BRIEF show 2025-07-24 --no-pager`, false},
		{"reader", `$BRIEF`, true},
	}
	for _, kind := range []terminalKind{darkTerminal, silentTerminal} {
		for _, c := range commands {
			b.Run(fmt.Sprintf("%s/%s", strings.ReplaceAll(kind.name, " ", "-"), c.name), func(b *testing.B) {
				var total time.Duration
				for range b.N {
					total += runOnPty(b, bin, kind, `exec `+c.script, c.reader).elapsed
				}
				b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/run")
			})
		}
	}
}
