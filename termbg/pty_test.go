//go:build linux

package termbg

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// The tests run this test binary again as a program on a pty (see helper):
// the test is the terminal.
func TestMain(m *testing.M) {
	if mode := os.Getenv("TERMBG_HELPER"); mode != "" {
		os.Exit(helper(mode))
	}
	os.Exit(m.Run())
}

// helperTimeout is the bound the helper program asks with.
const helperTimeout = 250 * time.Millisecond

// helper is the program on the pty: it asks for the background and prints
// what it learned as "key=value" lines. Modes: "ask" asks and closes;
// "work" asks, works for 800 ms, closes; "reader" asks, then reads keys
// through Input until 'q'. Afterwards it prints whether echo is back on
// and what input is left unread.
func helper(mode string) int {
	t := NewTerminal(os.Stdin, os.Stdout)
	c, ok := t.Background(helperTimeout)
	fmt.Printf("ok=%v dark=%v\n", ok, ok && c.Dark())
	switch mode {
	case "work":
		time.Sleep(800 * time.Millisecond)
	case "reader":
		in := t.Input(os.Stdin)
		raw, _ := unix.IoctlGetTermios(0, getTermios)
		saved := *raw
		raw.Lflag &^= unix.ECHO | unix.ICANON
		_ = unix.IoctlSetTermios(0, setTermios, raw)
		var got []byte
		buf := make([]byte, 256)
		for !bytes.Contains(got, []byte("q")) {
			n, err := in.Read(buf)
			got = append(got, buf[:n]...)
			if err != nil {
				break
			}
		}
		_ = unix.IoctlSetTermios(0, setTermios, &saved)
		fmt.Printf("read=%q\n", got)
	}
	if err := t.Close(); err != nil {
		fmt.Printf("close=%v\n", err)
	}
	mode2, _ := unix.IoctlGetTermios(0, getTermios)
	fmt.Printf("echo=%v\n", mode2.Lflag&unix.ECHO != 0)
	fmt.Printf("left=%q\n", leftInput())
	return 0
}

// leftInput reads what is left in the terminal's input, without waiting.
func leftInput() []byte {
	saved, err := unix.IoctlGetTermios(0, getTermios)
	if err != nil {
		return nil
	}
	raw := *saved
	raw.Lflag &^= unix.ICANON | unix.ECHO
	raw.Cc[unix.VMIN], raw.Cc[unix.VTIME] = 0, 1 // 0.1 s
	_ = unix.IoctlSetTermios(0, setTermios, &raw)
	defer unix.IoctlSetTermios(0, setTermios, saved)
	buf := make([]byte, 256)
	n, _ := unix.Read(0, buf)
	return buf[:max(n, 0)]
}

// terminal plays a terminal on a pty's master side: it answers Query as
// told and records everything the program wrote.
type terminal struct {
	ptmx    *os.File
	mu      sync.Mutex
	out     bytes.Buffer
	queries int
}

// answering says how a terminal answers Query.
type answering struct {
	answer string        // "" answers nothing
	delay  time.Duration // how long after the question
}

func startOnPty(t *testing.T, mode string, a answering) (*terminal, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TERMBG_HELPER="+mode)
	ptmx, err := pty.Start(cmd)
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	term := &terminal{ptmx: ptmx}
	go func() {
		buf := make([]byte, 1024)
		for {
			n, err := ptmx.Read(buf)
			term.mu.Lock()
			term.out.Write(buf[:n])
			asked := strings.Count(term.out.String(), Query)
			fresh := asked > term.queries
			term.queries = asked
			term.mu.Unlock()
			if fresh && a.answer != "" {
				go func() {
					time.Sleep(a.delay)
					_, _ = ptmx.Write([]byte(a.answer))
				}()
			}
			if err != nil {
				return
			}
		}
	}()
	return term, cmd
}

func (term *terminal) output() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.out.String()
}

// waitFor waits until the program has written s.
func (term *terminal) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(term.output(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("the program never wrote %q; it wrote %q", s, term.output())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestTerminalOnPty(t *testing.T) {
	late := 450 * time.Millisecond // more than helperTimeout, less than "work" works
	tests := []struct {
		name   string
		mode   string
		answer answering
		typed  string // typed once the question is out, for "reader"
		want   []string
	}{
		{"answers nothing", "ask", answering{}, "", []string{"ok=false", "echo=true", `left=""`}},
		{"answers dark", "ask", answering{answer: darkAnswer + da1Answer}, "", []string{"ok=true dark=true", "echo=true", `left=""`}},
		{"answers light", "ask", answering{answer: lightAnswer + da1Answer}, "", []string{"ok=true dark=false", "echo=true", `left=""`}},
		{"answers only DA1", "ask", answering{answer: da1Answer}, "", []string{"ok=false", "echo=true", `left=""`}},
		{"answers late, while the program works", "work", answering{answer: darkAnswer + da1Answer, delay: late}, "", []string{"ok=false", "echo=true", `left=""`}},
		{"answers late, into the reader", "reader", answering{answer: darkAnswer + da1Answer, delay: late}, "q", []string{"ok=false", `read="q"`, "echo=true", `left=""`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			term, cmd := startOnPty(t, tt.mode, tt.answer)
			if tt.typed != "" {
				term.waitFor(t, "ok=")
				time.Sleep(late + 100*time.Millisecond) // after the late answer
				_, _ = term.ptmx.Write([]byte(tt.typed))
			}
			if err := cmd.Wait(); err != nil {
				t.Fatal(err)
			}
			term.waitFor(t, "left=")
			out := term.output()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("the program's output lacks %q:\n%q", w, out)
				}
			}
			if n := strings.Count(out, Query); n != 1 {
				t.Errorf("asked %d times, want once", n)
			}
			// With echo on, the answer would come back to the terminal.
			if strings.Contains(out, "11;rgb") || strings.Contains(out, "^[") {
				t.Errorf("the answer was echoed: %q", out)
			}
		})
	}
}

// TestTerminalNotAsked: output that is not the controlling terminal, or
// not a terminal, is never asked about.
func TestTerminalNotAsked(t *testing.T) {
	ptmx, tts, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer ptmx.Close()
	defer tts.Close()
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, out := range []*os.File{f, tts} { // a file; a pty that is not ours
		term := NewTerminal(out, out)
		if _, ok := term.Background(helperTimeout); ok {
			t.Errorf("%s: Background said ok", out.Name())
		}
		if err := term.Close(); err != nil {
			t.Error(err)
		}
	}
	// pty blocks the master's reads: count what is waiting instead.
	time.Sleep(20 * time.Millisecond)
	if n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCINQ); err != nil || n > 0 {
		t.Errorf("the pty that is not ours was written to: %d bytes (%v)", n, err)
	}
}

// TestAskOnPty asks through the stream-level Ask on a pty in raw mode.
func TestAskOnPty(t *testing.T) {
	tests := []struct {
		name   string
		answer string
		delay  time.Duration
		typed  string // the terminal sends this before answering
		done   bool
		bg     bool
	}{
		{"nothing", "", 0, "", false, false},
		{"both", darkAnswer + da1Answer, 0, "", true, true},
		{"only DA1", da1Answer, 0, "", true, false},
		{"keys first", darkAnswer + da1Answer, 0, "jk", true, true},
		{"late", darkAnswer + da1Answer, 300 * time.Millisecond, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ptmx, tts, err := pty.Open()
			if err != nil {
				t.Skipf("no pty: %v", err)
			}
			defer ptmx.Close()
			defer tts.Close()
			if err := control(tts, func(fd int) error {
				raw, err := unix.IoctlGetTermios(fd, getTermios)
				if err != nil {
					return err
				}
				raw.Lflag &^= unix.ECHO | unix.ICANON
				return unix.IoctlSetTermios(fd, setTermios, raw)
			}); err != nil {
				t.Fatal(err)
			}
			go func() {
				buf := make([]byte, 64)
				var got []byte
				for !bytes.Contains(got, []byte(Query)) {
					n, err := ptmx.Read(buf)
					got = append(got, buf[:n]...)
					if err != nil {
						return
					}
				}
				_, _ = ptmx.Write([]byte(tt.typed))
				if tt.answer != "" {
					time.Sleep(tt.delay)
					_, _ = ptmx.Write([]byte(tt.answer))
				}
			}()
			s, typed, err := Ask(tts, tts, helperTimeout)
			if err != nil {
				t.Fatal(err)
			}
			_, bg := s.Background()
			if s.Done() != tt.done || bg != tt.bg || string(typed) != tt.typed {
				t.Errorf("done %v, background %v, typed %q; want %v, %v, %q", s.Done(), bg, typed, tt.done, tt.bg, tt.typed)
			}
			if tt.delay > 0 {
				// The late answer is taken out of what is read next.
				time.Sleep(tt.delay)
				_, _ = ptmx.Write([]byte("q"))
				f := NewFilter(tts, s, time.Now().Add(time.Second))
				buf := make([]byte, 64)
				var got []byte
				for !bytes.Contains(got, []byte("q")) {
					n, err := f.Read(buf)
					got = append(got, buf[:n]...)
					if err != nil {
						t.Fatal(err)
					}
				}
				if string(got) != "q" || !s.Done() {
					t.Errorf("after the late answer, read %q (done %v); want \"q\"", got, s.Done())
				}
			}
		})
	}
}

// control runs fn on f's descriptor without taking f out of the poller
// (f.Fd would, and its read deadlines would stop working).
func control(f *os.File, fn func(fd int) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(int(fd)) }); err != nil {
		return err
	}
	return ferr
}
