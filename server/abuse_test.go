package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brief-tools/brief/cli"
	"github.com/brief-tools/brief/store/storetest"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// Tests of what a reader with a valid key, or a stranger, can do to the
// server on purpose: each names the defect it reproduces.

// cursorMoves are the sequences that start a line a session draws.
var cursorMoves = regexp.MustCompile(`\x1b\[[0-9;]*H|\r|\n`)

// maxLineWidth gives the widest line a session drew.
func maxLineWidth(out string) int {
	widest := 0
	for _, l := range cursorMoves.Split(out, -1) {
		l = ansi.Strip(l)
		widest = max(widest, ansi.StringWidth(l))
	}
	return widest
}

func TestWindowSizeIsClamped(t *testing.T) {
	// A 10000x10000 terminal cost 1.1 GB and 100 MB a frame.
	ts := start(t, nil)
	sc := ts.open(t, 10000, 10000, nil)
	sc.waitFor("1 of 6")
	sc.waitFor("500×200")
	if n := sc.out.Len(); n > 4<<20 {
		t.Errorf("the first frame of a 10000x10000 window took %d bytes", n)
	}
	if w := maxLineWidth(sc.out.String()); w > MaxWidth {
		t.Errorf("a line %d cells wide was drawn; at most %d", w, MaxWidth)
	}
	// A resize to an absurd size is clamped too, and a sane one is kept.
	sc.mark = sc.out.Len()
	if err := sc.s.WindowChange(1<<30, 1<<30); err != nil {
		t.Fatal(err)
	}
	if err := sc.s.WindowChange(30, 100); err != nil {
		t.Fatal(err)
	}
	sc.waitFor("1 of 6")
	sc.send("q")
	sc.waitEnd()
}

func TestEnvRequestsAreLimited(t *testing.T) {
	// 4,000 env requests of 200 KB held 1.2 GB while the channel was open.
	ts := start(t, nil)
	c, err := ts.dial(t, ts.reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Setenv("NO_COLOR", strings.Repeat("x", 64<<10)); err == nil {
		t.Errorf("an env request of 64 KB was accepted")
	}
	accepted := 0
	for i := range 200 {
		if s.Setenv(fmt.Sprintf("V%d", i), "1") == nil {
			accepted++
		}
	}
	if accepted != maxEnv {
		t.Errorf("%d small env requests accepted; want the first %d", accepted, maxEnv)
	}
	// The session still works.
	var out bytes.Buffer
	s.Stdout = &out
	if err := s.Run("officials"); err != nil || !strings.Contains(out.String(), "Tokayev") {
		t.Errorf("after an env flood: %v %q", err, out.String())
	}
}

func TestWindowChangeFloodDoesNotStallASession(t *testing.T) {
	// 20,000 window changes deadlocked a session for good: the renderer
	// blocked on the channel window, the library's request loop on the
	// window-size channel, the connection on its request loop, so the
	// client's window adjustments were never read.
	ts := start(t, func(c *Config) { c.MaxSession = time.Minute })
	c, err := ts.dial(t, ts.reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.NewSession()
	in, _ := s.StdinPipe()
	out, _ := s.StdoutPipe() // not read during the flood
	if err := s.RequestPty("xterm-256color", 190, 480, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(in, "\x1b[?62c")
	for i := range 20000 {
		if err := s.WindowChange(150+i%2*40, 480); err != nil {
			break
		}
	}
	// Now the client reads again, and quits.
	got := &syncBuffer{}
	go io.Copy(got, out)
	time.Sleep(300 * time.Millisecond)
	io.WriteString(in, "q")
	ended := make(chan error, 1)
	go func() { ended <- s.Wait() }()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatalf("after a flood of window changes the reader no longer answers a key; it printed %d bytes", got.Len())
	}
}

func TestLongCommandIsRefusedCheaply(t *testing.T) {
	// One 250 KB command cost 21 s of CPU (quadratic splitting).
	ts := start(t, nil)
	c, err := ts.dial(t, ts.reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.NewSession()
	var errOut bytes.Buffer
	s.Stderr = &errOut
	done := make(chan string, 1)
	go func() {
		_ = s.Run("list " + strings.Repeat("a", 250<<10))
		done <- errOut.String()
	}()
	select {
	case errOut := <-done:
		if !strings.Contains(errOut, "too long") {
			t.Errorf("stderr %q; want the command called too long", errOut)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a 250 KB command was still being worked on after 5 s")
	}
}

func TestPasteIntoTheReaderIsBounded(t *testing.T) {
	// A 1 MB paste cost 29 s of CPU in Bubble Tea's input parsing.
	ts := start(t, nil)
	sc := ts.open(t, 80, 24, nil)
	sc.waitFor("1 of 6")
	sc.send("/")
	paste := "\x1b[200~" + strings.Repeat("railway", 150_000) + "\x1b[201~"
	go io.WriteString(sc.in, paste)
	time.Sleep(200 * time.Millisecond)
	sc.send("\x03")
	select {
	case <-sc.done:
	case <-time.After(5 * time.Second):
		t.Fatal("ctrl+c after a 1 MB paste did not end the reader within 5 s")
	}
}

// goroutinesAndFiles counts the process's goroutines and open files.
func goroutinesAndFiles() (int, int) {
	fds, _ := os.ReadDir("/proc/self/fd")
	return runtime.NumGoroutine(), len(fds)
}

// settle waits for the goroutine and file counts to come back down to
// (at most) the given ones, and gives what they are.
func settle(g0, f0 int) (int, int) {
	deadline := time.Now().Add(8 * time.Second)
	for {
		g, f := goroutinesAndFiles()
		if (g <= g0 && f <= f0) || time.Now().After(deadline) {
			return g, f
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestCraftedConnectionsLeaveNothingBehind(t *testing.T) {
	// pty-req + exec + window changes, and window changes right after
	// quitting the reader, took 5 to 215 goroutines and 10 to 58 fds.
	ts := start(t, func(c *Config) { c.RatePerMinute = 0; c.AuthTimeout = 2 * time.Second })
	// One connection first, so that what is made once per process (the
	// render cache, the log) is made.
	if _, _, code := ts.run(t, "officials"); code != 0 {
		t.Fatal("lookup failed")
	}
	runtime.GC()
	g0, f0 := goroutinesAndFiles()
	patterns := map[string]func(t *testing.T) error{
		"pty, exec and window changes": func(t *testing.T) error {
			c, err := ts.dial(t, ts.reader, nil)
			if err != nil {
				return err
			}
			defer c.Close()
			s, _ := c.NewSession()
			_ = s.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
			_ = s.Start("officials")
			for range 50 {
				_ = s.WindowChange(24, 81)
			}
			return s.Wait()
		},
		"window changes after quitting the reader": func(t *testing.T) error {
			sc := ts.open(t, 80, 24, nil)
			defer sc.c.Close()
			sc.waitFor("1 of 6")
			sc.send("q")
			for range 100 {
				_ = sc.s.WindowChange(25, 81)
			}
			sc.waitEnd()
			return nil
		},
		"env flood": func(t *testing.T) error {
			c, err := ts.dial(t, ts.reader, nil)
			if err != nil {
				return err
			}
			defer c.Close()
			s, _ := c.NewSession()
			for i := range 100 {
				_ = s.Setenv(fmt.Sprint("K", i), "v")
			}
			return s.Run("officials")
		},
		"connection with no session": func(t *testing.T) error {
			c, err := ts.dial(t, ts.reader, nil)
			if err != nil {
				return err
			}
			return c.Close()
		},
		"stranger": func(t *testing.T) error {
			_, err := ts.dial(t, newSigner(t), nil)
			if err == nil {
				return errors.New("a stranger got in")
			}
			return nil
		},
		"session closed mid-reader": func(t *testing.T) error {
			sc := ts.open(t, 80, 24, nil)
			sc.waitFor("1 of 6")
			return sc.c.Close()
		},
	}
	for name, run := range patterns {
		t.Run(name, func(t *testing.T) {
			var wg sync.WaitGroup
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_ = run(t)
				}()
			}
			wg.Wait()
		})
	}
	runtime.GC()
	if g, f := settle(g0, f0); g > g0 || f > f0 {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("goroutines %d → %d, files %d → %d after crafted connections\n%s", g0, g, f0, f, buf)
	}
}

func TestRemovedKeyLosesItsConnections(t *testing.T) {
	// A connection that ran one session never timed out: a ControlMaster
	// kept using a removed key 33 minutes later.
	ts := start(t, func(c *Config) { c.AuthTimeout = time.Hour; c.IdleTimeout = 0 })
	other := newSigner(t)
	writeKeys(t, ts.keys, ts.reader.PublicKey(), other.PublicKey())
	info, _ := os.Stat(ts.keys)

	sc := ts.open(t, 80, 24, nil) // a reader
	sc.waitFor("1 of 6")
	idle, err := ts.dial(t, ts.reader, nil) // a master connection between sessions
	if err != nil {
		t.Fatal(err)
	}
	s, _ := idle.NewSession()
	if err := s.Run("officials"); err != nil {
		t.Fatal(err)
	}
	kept, err := ts.dial(t, other, nil)
	if err != nil {
		t.Fatal(err)
	}

	// Replace the reader's key by a key of the same length, keeping the
	// file's size and time: only its content says it changed.
	third := newSigner(t)
	writeKeys(t, ts.keys, third.PublicKey(), other.PublicKey())
	_ = os.Chtimes(ts.keys, info.ModTime(), info.ModTime())
	removed := time.Now()

	idleDone := make(chan error, 1)
	go func() { idleDone <- idle.Wait() }()
	select {
	case <-sc.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the reader's session went on after its key was removed")
	}
	select {
	case <-idleDone:
	case <-time.After(5 * time.Second):
		t.Fatal("a connection of a removed key stayed open")
	}
	t.Logf("removed key's connections closed after %s", time.Since(removed).Round(time.Millisecond))
	if !strings.Contains(ansi.Strip(sc.out.String()), "key") {
		t.Errorf("the reader was not told why:\n%s", ansi.Strip(sc.out.String()))
	}
	s2, err := kept.NewSession()
	if err != nil {
		t.Fatalf("another key's connection was closed too: %v", err)
	}
	if err := s2.Run("officials"); err != nil {
		t.Errorf("another key's lookup: %v", err)
	}
	if _, err := ts.dial(t, ts.reader, nil); err == nil {
		t.Errorf("the removed key still logs in")
	}
}

// writeKeys writes an authorized_keys file of keys.
func writeKeys(t *testing.T, path string, keys ...gossh.PublicKey) {
	t.Helper()
	var b bytes.Buffer
	for _, k := range keys {
		b.Write(gossh.MarshalAuthorizedKey(k))
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestKeyOptions(t *testing.T) {
	ts := start(t, nil)
	line := func(opts string, k gossh.PublicKey) string {
		return opts + " " + string(gossh.MarshalAuthorizedKey(k))
	}
	faraway, expired, lookupsOnly, restricted, fine := newSigner(t), newSigner(t), newSigner(t), newSigner(t), newSigner(t)
	data := line(`from="10.1.2.0/24,!127.0.0.1"`, faraway.PublicKey()) +
		line(`expiry-time="20200101"`, expired.PublicKey()) +
		line(`no-pty`, lookupsOnly.PublicKey()) +
		line(`restrict`, restricted.PublicKey()) +
		line(`from="127.0.0.*",no-agent-forwarding`, fine.PublicKey()) +
		"ssh-ed25519 AAAAbroken\n"
	if err := os.WriteFile(ts.keys, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, signer := range map[string]gossh.Signer{"from= another network": faraway, "expired": expired} {
		if _, err := ts.dial(t, signer, nil); err == nil {
			t.Errorf("%s: logged in", name)
		}
	}
	if _, err := ts.dial(t, fine, nil); err != nil {
		t.Errorf("from= this address: %v", err)
	}
	if !strings.Contains(ts.logs.String(), "line=6") {
		t.Errorf("the unusable line is not named in the log:\n%s", ts.logs.String())
	}
	for name, signer := range map[string]gossh.Signer{"no-pty": lookupsOnly, "restrict": restricted} {
		c, err := ts.dial(t, signer, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s, _ := c.NewSession()
		if err := s.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err == nil {
			t.Errorf("%s: a terminal was granted", name)
		}
		s, _ = c.NewSession()
		if out, err := s.Output("officials"); err != nil || !bytes.Contains(out, []byte("Tokayev")) {
			t.Errorf("%s: lookups do not work: %v", name, err)
		}
	}
}

func TestUnsupportedKeyOptionRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "authorized_keys")
	data := string(gossh.MarshalAuthorizedKey(newSigner(t).PublicKey())) +
		`command="/bin/sh" ` + string(gossh.MarshalAuthorizedKey(newSigner(t).PublicKey()))
	if err := os.WriteFile(keys, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	cfg.HostKeyPath = filepath.Join(dir, "host")
	cfg.AuthorizedKeysPath = keys
	_, err := New(cfg, builtin(t), nil, "test")
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "command") {
		t.Errorf("New: %v; want a refusal naming line 2 and the option", err)
	}
}

func TestAgentForwardingIsRefused(t *testing.T) {
	ts := start(t, nil)
	c, err := ts.dial(t, ts.reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.NewSession()
	ok, err := s.SendRequest("auth-agent-req@openssh.com", true, nil)
	if err != nil || ok {
		t.Errorf("agent forwarding: ok %v, err %v", ok, err)
	}
}

func TestLogsAreBounded(t *testing.T) {
	ts := start(t, func(c *Config) { c.RatePerMinute = 0 })
	before := ts.logs.Len()
	huge := strings.Repeat("u", 250<<10)
	for range 3 {
		signers := []gossh.Signer{newSigner(t), newSigner(t), newSigner(t), newSigner(t)}
		_, _ = ts.dial(t, nil, func(c *gossh.ClientConfig) {
			c.User = huge
			c.Auth = []gossh.AuthMethod{gossh.PublicKeys(signers...)}
		})
	}
	logged := ts.logs.String()[before:]
	if n := len(logged); n > 3*2048 {
		t.Errorf("three failed logins with a 250 KB user name wrote %d bytes of log", n)
	}
	if strings.Count(logged, "closed before login") > 3 {
		t.Errorf("every refused key is logged:\n%s", logged)
	}
	if !strings.Contains(logged, "256000") {
		t.Errorf("the user name's length is not logged:\n%s", logged)
	}
}

// unsigning offers a key but cannot sign with it.
type unsigning struct{ gossh.Signer }

func (u unsigning) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	return nil, errors.New("no signature")
}

func TestOfferedKeyIsNotLoggedAsAccepted(t *testing.T) {
	ts := start(t, nil)
	if _, err := ts.dial(t, unsigning{ts.reader}, nil); err == nil {
		t.Fatal("logged in without a signature")
	}
	if strings.Contains(ts.logs.String(), "accepted") {
		t.Errorf("a key merely offered was logged as accepted:\n%s", ts.logs.String())
	}
}

func TestServerPathNeverReachesReaders(t *testing.T) {
	// The folder's path reached readers in lookup errors and the reader's
	// header; the problems view showed failed drafts' names and fields.
	dir := filepath.Join(t.TempDir(), "secret-location")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	good := "---\ntitle: A call\ndate: 2025-01-02\nofficials: [Tokayev]\n---\nText.\n"
	bad := "---\ntitle: Draft about a confidential-plan\ndate: someday\nofficials: [X]\n---\n"
	_ = os.WriteFile(filepath.Join(dir, "call.md"), []byte(good), 0o600)
	_ = os.WriteFile(filepath.Join(dir, "private-draft.md"), []byte(bad), 0o600)
	corpus := storetest.LoadDir(t, dir)
	ts := startOn(t, corpus, func(c *Config) { c.Name = "office" })
	for _, command := range []string{"list", "show nothing-like-this", "show call", "card call"} {
		out, errOut, _ := ts.run(t, command)
		for _, leak := range []string{dir, "secret-location", "private-draft", "confidential"} {
			if strings.Contains(out+errOut, leak) {
				t.Errorf("%s: %q reached the reader:\n%s\n%s", command, leak, out, errOut)
			}
		}
	}
	sc := ts.open(t, 100, 30, nil)
	sc.waitFor("office")
	sc.send("!")
	sc.waitFor("1")
	time.Sleep(100 * time.Millisecond)
	screen := ansi.Strip(sc.out.String())
	for _, leak := range []string{"secret-location", "private-draft", "confidential"} {
		if strings.Contains(screen, leak) {
			t.Errorf("the reader shows %q:\n%s", leak, screen)
		}
	}
	sc.send("q")
}

func TestShutdownEndsAStuckSession(t *testing.T) {
	// SIGTERM never completed with a session stuck writing to a client
	// that reads nothing.
	ts := start(t, func(c *Config) { c.ShutdownTimeout = 2 * time.Second })
	ts.srv.forceAfter = 300 * time.Millisecond
	c, err := ts.dial(t, ts.reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.NewSession()
	in, _ := s.StdinPipe()
	_, _ = s.StdoutPipe() // never read
	_ = s.RequestPty("xterm-256color", 200, 500, gossh.TerminalModes{})
	_ = s.Shell()
	io.WriteString(in, "\x1b[?62c")
	for i := range 200 {
		_ = s.WindowChange(100+i%2, 500)
		io.WriteString(in, "jk")
	}
	start := time.Now()
	ts.cancel()
	select {
	case <-ts.stopped:
	case <-time.After(4 * time.Second):
		t.Fatal("shutdown did not complete with a stuck session")
	}
	t.Logf("shutdown took %s", time.Since(start).Round(time.Millisecond))
	ts.stopped <- nil // for the cleanup
}

func TestReadingStatePerKey(t *testing.T) {
	stateDir := t.TempDir()
	ts := start(t, func(c *Config) { c.StateDir = stateDir })
	other := newSigner(t)
	writeKeys(t, ts.keys, ts.reader.PublicKey(), other.PublicKey())

	if _, errOut, code := ts.run(t, "mark 2025-07-24 --note for-tuesday"); code != 0 {
		t.Fatalf("mark: exit %d, %s", code, errOut)
	}
	out, _, _ := ts.run(t, "list --marked")
	if !strings.Contains(out, "2025-07-24") || !strings.Contains(out, "for-tuesday") {
		t.Errorf("list --marked for the key that marked:\n%s", out)
	}
	// Another key's sessions see none of it.
	c, err := ts.dial(t, other, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.NewSession()
	theirs, _ := s.Output("list --marked")
	if strings.Contains(string(theirs), "2025-07-24") {
		t.Errorf("another key sees the mark:\n%s", theirs)
	}
	// The reader of the same key shows it.
	sc := ts.open(t, 100, 30, nil)
	sc.waitFor("1 of 6")
	sc.waitFor("★")
	sc.send("q")
	sc.waitEnd()
	// The state is kept per key, under the state folder, private.
	var files []string
	_ = filepath.WalkDir(stateDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
			if info, _ := d.Info(); info.Mode().Perm()&0o077 != 0 && !strings.HasSuffix(p, ".lock") {
				t.Errorf("%s is readable by others: %v", p, info.Mode())
			}
		}
		return nil
	})
	if len(files) == 0 {
		t.Errorf("nothing was kept in %s", stateDir)
	}
}

func TestReadersSeeEditsAsTheyAreSaved(t *testing.T) {
	// Every reader of a server saw the corpus it started with until the
	// server restarted.
	dir := t.TempDir()
	write := func(name, title string) {
		doc := "---\ntitle: " + title + "\ndate: 2025-01-02\nofficials: [Tokayev]\n---\nText.\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "A first call")
	src, err := cli.OpenSource(dir, "office")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = src.Close() })
	ts := startOn(t, src.Current(), func(c *Config) { c.Source = src })
	sc := ts.open(t, 100, 30, nil)
	sc.waitFor("A first call")
	sc.mark = sc.out.Len()
	write("b.md", "A second call, added while reading")
	sc.waitFor("A second call, added while reading")
	// A lookup started now answers from the new corpus too.
	if out, _, _ := ts.run(t, "list"); !strings.Contains(out, "A second call") {
		t.Errorf("a lookup after the edit:\n%s", out)
	}
	sc.send("q")
	sc.waitEnd()
}
