package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// syncBuffer is a buffer safe for one writer and many readers, which can
// wait for more to be written.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{} // closed and replaced on every write
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
	return s.b.Write(p)
}

// Len gives how much has been written, without copying it.
func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

// waitBeyond waits until more than n bytes have been written, or timeout
// passes; it reports whether they were.
func (s *syncBuffer) waitBeyond(n int, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if s.b.Len() > n {
			s.mu.Unlock()
			return true
		}
		if s.changed == nil {
			s.changed = make(chan struct{})
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testServer is a server on a loopback port, with its log.
type testServer struct {
	addr    string
	srv     *Server
	logs    *syncBuffer
	keys    string // the authorized_keys file
	reader  gossh.Signer
	stopped chan error
	cancel  context.CancelFunc
}

// builtin loads the built-in corpus.
func builtin(t testing.TB) *store.Corpus { return storetest.Builtin(t) }

// start serves the built-in corpus with cfg's limits; the reader's key
// is authorized unless cfg allows anonymous access.
func start(t testing.TB, change func(*Config)) *testServer {
	t.Helper()
	return startOn(t, builtin(t), change)
}

// startOn serves corpus, as start does.
func startOn(t testing.TB, corpus *store.Corpus, change func(*Config)) *testServer {
	t.Helper()
	dir := t.TempDir()
	ts := &testServer{logs: &syncBuffer{}, reader: newSigner(t), keys: filepath.Join(dir, "authorized_keys"), stopped: make(chan error, 1)}
	if err := os.WriteFile(ts.keys, gossh.MarshalAuthorizedKey(ts.reader.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	cfg.HostKeyPath = filepath.Join(dir, "host", "key")
	cfg.AuthorizedKeysPath = ts.keys
	cfg.ShutdownTimeout = 3 * time.Second
	if change != nil {
		change(&cfg)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listen = l.Addr().String()
	srv, err := New(cfg, corpus, log.New(ts.logs), "test")
	if err != nil {
		t.Fatal(err)
	}
	ts.srv, ts.addr = srv, l.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	ts.cancel = cancel
	go func() { ts.stopped <- srv.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-ts.stopped:
		case <-time.After(5 * time.Second):
			t.Errorf("server did not stop")
		}
	})
	return ts
}

func (ts *testServer) dial(t testing.TB, signer gossh.Signer, change func(*gossh.ClientConfig)) (*gossh.Client, error) {
	t.Helper()
	cfg := &gossh.ClientConfig{User: "reader", HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second}
	if signer != nil {
		cfg.Auth = []gossh.AuthMethod{gossh.PublicKeys(signer)}
	}
	if change != nil {
		change(cfg)
	}
	c, err := gossh.Dial("tcp", ts.addr, cfg)
	if err == nil {
		t.Cleanup(func() { _ = c.Close() })
	}
	return c, err
}

// run runs a command without a terminal and gives its output and exit
// code.
func (ts *testServer) run(t *testing.T, command string) (stdout, stderr string, code int) {
	t.Helper()
	c, err := ts.dial(t, ts.reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	s.Stdout, s.Stderr = &out, &errOut
	err = s.Run(command)
	var exit *gossh.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitStatus()
	case err != nil:
		t.Fatalf("%s: %v", command, err)
	}
	return out.String(), errOut.String(), code
}

// screen is a PTY session and everything it printed.
type screen struct {
	t    testing.TB
	c    *gossh.Client
	s    *gossh.Session
	in   io.WriteCloser
	out  *syncBuffer
	mark int // waitFor looks at what was printed after the last send
	done chan error
}

func (ts *testServer) open(t testing.TB, w, h int, env map[string]string) *screen {
	t.Helper()
	return ts.openAs(t, ts.reader, w, h, env, "1c1c/1c1c/1c1c") // a dark terminal, as most are
}

// openAs opens a PTY session with signer's key. background, when set, is
// the colour the client's terminal answers the background query with
// ("ffff/ffff/ffff"); a client that answers also answers the device
// attributes query, as every terminal does.
func (ts *testServer) openAs(t testing.TB, signer gossh.Signer, w, h int, env map[string]string, background string) *screen {
	t.Helper()
	c, err := ts.dial(t, signer, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range env {
		_ = s.Setenv(k, v)
	}
	sc := &screen{t: t, c: c, s: s, out: &syncBuffer{}, done: make(chan error, 1)}
	if sc.in, err = s.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	s.Stdout, s.Stderr = sc.out, sc.out
	if background != "" {
		s.Stdout = &answering{w: sc.out, in: sc.in, answer: "\x1b]11;rgb:" + background + "\x1b\\\x1b[?62;22c"}
	}
	if err := s.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { sc.done <- s.Wait() }()
	return sc
}

// answering is a terminal that answers the background query.
type answering struct {
	w      io.Writer
	in     io.Writer
	answer string
	once   sync.Once
}

func (a *answering) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("\x1b]11;?")) {
		a.once.Do(func() { go io.WriteString(a.in, a.answer) })
	}
	return a.w.Write(p)
}

func (sc *screen) send(keys string) {
	sc.t.Helper()
	sc.mark = sc.out.Len()
	if _, err := io.WriteString(sc.in, keys); err != nil {
		sc.t.Fatal(err)
	}
}

// waitFor waits until the session has printed text.
func (sc *screen) waitFor(text string) {
	sc.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(ansi.Strip(sc.out.String()[sc.mark:]), text) {
		if time.Now().After(deadline) {
			sc.t.Fatalf("never printed %q; got:\n%s", text, ansi.Strip(sc.out.String()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitEnd waits for the session to end.
func (sc *screen) waitEnd() {
	sc.t.Helper()
	select {
	case <-sc.done:
	case <-time.After(10 * time.Second):
		sc.t.Fatalf("session did not end; printed:\n%s", ansi.Strip(sc.out.String()))
	}
}

func TestLookupsWithoutTerminal(t *testing.T) {
	ts := start(t, nil)
	tests := []struct {
		command  string
		code     int
		stdout   string
		stderr   string
		noStdout bool
	}{
		{"list --official saidov", 0, "2024-02-19-nurtleu-saidov-astana-talks\t~19 Feb 2024\ttalks", "", false},
		{"list --official Токаев --format jsonl", 0, `"id":"2025-08-18-tokayev-norbaeva-meeting"`, "", false},
		{"show 2025-07-24", 0, "almost $1.4 billion", "", false},
		{"card 2024-02", 0, "Key figures", "", false},
		{"officials", 0, "tokayev\tKassym-Jomart Tokayev", "", false},
		{"show nope", 1, "", "no briefing has the id", true},
		{"list --since nope", 2, "", "--since", true},
		{"list --dir /etc", 2, "", "unknown flag: --dir", true},
		{"check /etc", 1, "", `"check" is not a command here`, true},
		{"sh -c id", 1, "", `"sh" is not a command here`, true},
		{"", 1, "", "no command", true},
	}
	for _, tc := range tests {
		t.Run(tc.command, func(t *testing.T) {
			out, errOut, code := ts.run(t, tc.command)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, errOut)
			}
			if !strings.Contains(out, tc.stdout) || (tc.noStdout && out != "") {
				t.Errorf("stdout %q, want %q", out, tc.stdout)
			}
			if !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stderr %q, want %q", errOut, tc.stderr)
			}
			if strings.ContainsAny(out+errOut, "\x1b\x07") {
				t.Errorf("escape sequences in plain output: %q", out+errOut)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	ts := start(t, nil)
	stranger := newSigner(t)
	if _, err := ts.dial(t, stranger, nil); err == nil {
		t.Fatal("a stranger's key was accepted")
	}
	if _, err := ts.dial(t, nil, nil); err == nil {
		t.Fatal("a connection with no key was accepted")
	}
	// No passwords, no keyboard-interactive.
	if _, err := ts.dial(t, nil, func(c *gossh.ClientConfig) {
		c.Auth = []gossh.AuthMethod{
			gossh.Password("secret"),
			gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil }),
		}
	}); err == nil {
		t.Fatal("a password or keyboard-interactive login was accepted")
	}
	// A client offering a stranger's key before the reader's logs in as
	// the reader, and the log names the key it logged in with.
	c, err := ts.dial(t, nil, func(c *gossh.ClientConfig) {
		c.Auth = []gossh.AuthMethod{gossh.PublicKeys(stranger, ts.reader)}
	})
	if err != nil {
		t.Fatalf("the reader's key after a stranger's: %v", err)
	}
	c.Close()
	if !regexp.MustCompile(`login accepted.*key=` + regexp.QuoteMeta(gossh.FingerprintSHA256(ts.reader.PublicKey()))).MatchString(ts.logs.String()) {
		t.Errorf("the accepted login is not logged with its key's fingerprint:\n%s", ts.logs.String())
	}
	if !regexp.MustCompile(`closed before login.*keys_refused=1.*` + regexp.QuoteMeta(gossh.FingerprintSHA256(stranger.PublicKey()))).MatchString(ts.logs.String()) {
		t.Errorf("the refusal is not logged with the key's fingerprint:\n%s", ts.logs.String())
	}
	// Adding the key to the file admits it without a restart.
	f, err := os.OpenFile(ts.keys, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(gossh.MarshalAuthorizedKey(stranger.PublicKey()))
	f.Close()
	later := time.Now().Add(time.Second)
	os.Chtimes(ts.keys, later, later)
	if _, err := ts.dial(t, stranger, nil); err != nil {
		t.Errorf("a key added to authorized_keys is still refused: %v", err)
	}
	// Removing it refuses it again.
	if err := os.WriteFile(ts.keys, gossh.MarshalAuthorizedKey(ts.reader.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	later = later.Add(time.Second)
	os.Chtimes(ts.keys, later, later)
	if _, err := ts.dial(t, stranger, nil); err == nil {
		t.Errorf("a key removed from authorized_keys is still accepted")
	}
}

func TestAnonymousOnlyWhenAskedFor(t *testing.T) {
	if _, err := New(Config{Listen: "127.0.0.1:0", HostKeyPath: filepath.Join(t.TempDir(), "k")}, builtin(t), log.New(io.Discard), ""); err == nil {
		t.Errorf("a server with neither authorized keys nor --allow-anonymous started")
	}
	ts := start(t, func(c *Config) { c.AllowAnonymous = true; c.AuthorizedKeysPath = "" })
	if _, err := ts.dial(t, nil, nil); err != nil {
		t.Errorf("anonymous access refused: %v", err)
	}
	if !strings.Contains(ts.logs.String(), "anonymous access is on") {
		t.Errorf("no warning in the log:\n%s", ts.logs.String())
	}
}

func TestHostKeyIsMadeOnceAndPrivate(t *testing.T) {
	ts := start(t, nil)
	path := ts.srv.cfg.HostKeyPath
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", info.Mode().Perm())
	}
	before, _ := os.ReadFile(path)
	if _, err := New(ts.srv.cfg, builtin(t), log.New(io.Discard), ""); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Errorf("the host key changed on a second start")
	}
	os.Chmod(path, 0o644)
	if _, err := New(ts.srv.cfg, builtin(t), log.New(io.Discard), ""); err == nil {
		t.Errorf("a host key readable by others was accepted")
	}
}

func TestReaderSession(t *testing.T) {
	ts := start(t, nil)
	sc := ts.open(t, 80, 24, nil)
	sc.waitFor("1 of 6")
	sc.send("o")
	sc.waitFor("Choose an official")
	sc.send("Саидов")
	sc.waitFor("Bakhtiyor Saidov")
	sc.send("\r")
	sc.waitFor("official: Bakhtiyor Saidov")
	sc.send("c")
	sc.waitFor("Also written")
	if err := sc.s.WindowChange(40, 150); err != nil {
		t.Fatal(err)
	}
	sc.waitFor("Бахтиёр Саидов, بختيور سعيدوف") // the profile card widens
	sc.send("\x1a")                             // ctrl+z: nothing happens
	time.Sleep(100 * time.Millisecond)
	sc.send("\x1b") // esc goes back to the timeline
	sc.waitFor("1 of 1 (6 in all)")
	time.Sleep(100 * time.Millisecond)
	sc.send("\x1b") // esc drops the filter; the selection stays
	sc.waitFor("4 of 6")
	time.Sleep(100 * time.Millisecond) // so q is not read as alt+q
	sc.send("q")
	sc.waitEnd()
	// The server still answers.
	if out, _, code := ts.run(t, "list --limit 1"); code != 0 || out == "" {
		t.Errorf("after ctrl+z and quit: exit %d, %q", code, out)
	}
}

func TestSessionNoColor(t *testing.T) {
	ts := start(t, nil)
	sc := ts.open(t, 80, 24, map[string]string{"NO_COLOR": "1"})
	sc.waitFor("1 of 6")
	sc.send("q")
	sc.waitEnd()
	if strings.Contains(sc.out.String(), "\x1b[38;5;") || strings.Contains(sc.out.String(), "\x1b[38;2;") {
		t.Errorf("colour with NO_COLOR set")
	}
}

func TestIdleAndMaxSession(t *testing.T) {
	t.Run("idle", func(t *testing.T) {
		ts := start(t, func(c *Config) { c.IdleTimeout = 700 * time.Millisecond })
		sc := ts.open(t, 80, 24, nil)
		sc.waitFor("1 of 6")
		for range 4 { // keys keep it open
			time.Sleep(300 * time.Millisecond)
			sc.send("j")
		}
		if strings.Contains(sc.out.String(), "without a key pressed") {
			t.Fatalf("closed while the reader was typing")
		}
		sc.waitFor("closing after 700ms without a key pressed")
		sc.waitEnd()
	})
	t.Run("max", func(t *testing.T) {
		ts := start(t, func(c *Config) { c.MaxSession = 600 * time.Millisecond })
		sc := ts.open(t, 80, 24, nil)
		sc.waitFor("1 of 6")
		sc.waitFor("maximum length of 600ms")
		sc.waitEnd()
	})
}

func TestSessionCaps(t *testing.T) {
	ts := start(t, func(c *Config) { c.MaxSessions = 1 })
	sc := ts.open(t, 80, 24, nil)
	sc.waitFor("1 of 6")
	_, errOut, code := ts.run(t, "list")
	if code != 1 || !strings.Contains(errOut, "the server is full") {
		t.Errorf("second session: exit %d, %q", code, errOut)
	}
	sc.send("q")
	sc.waitEnd()
	sc.c.Close() // a connection kept open between sessions holds its place
	deadline := time.Now().Add(3 * time.Second)
	for {
		if _, _, code := ts.run(t, "list"); code == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the place was not given back when the session ended")
		}
		time.Sleep(50 * time.Millisecond)
	}

	ts = start(t, func(c *Config) { c.MaxPerAddress = 1 })
	sc = ts.open(t, 80, 24, nil)
	sc.waitFor("1 of 6")
	if _, errOut, code := ts.run(t, "list"); code != 1 || !strings.Contains(errOut, "your address already has 1 session open") {
		t.Errorf("second session from one address: exit %d, %q", code, errOut)
	}
}

func TestUnauthenticatedConnectionsAreCut(t *testing.T) {
	ts := start(t, func(c *Config) { c.AuthTimeout = 300 * time.Millisecond })
	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err = io.ReadAll(conn) // the server's version line, then nothing
	if err != nil {
		t.Fatalf("read: %v (the server should close, not the client time out)", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("an idle unauthenticated connection stayed %v", d)
	}
	// An authenticated session is not cut by that deadline.
	sc := ts.open(t, 80, 24, nil)
	sc.waitFor("1 of 6")
	time.Sleep(600 * time.Millisecond)
	sc.send("j")
	time.Sleep(100 * time.Millisecond) // keys read together arrive as one
	sc.send("q")
	sc.waitEnd()
	if strings.Contains(sc.out.String(), "EOF") {
		t.Errorf("session cut")
	}
}

func TestRateLimit(t *testing.T) {
	ts := start(t, func(c *Config) { c.RatePerMinute = 2 })
	var banner string
	withBanner := func(c *gossh.ClientConfig) {
		c.BannerCallback = func(msg string) error { banner = msg; return nil }
	}
	for i := range 2 {
		if _, err := ts.dial(t, ts.reader, withBanner); err != nil {
			t.Fatalf("connection %d refused: %v", i+1, err)
		}
	}
	if _, err := ts.dial(t, ts.reader, withBanner); err == nil {
		t.Fatalf("a third connection within a minute was accepted")
	}
	if !strings.Contains(banner, "too many connections from your address") {
		t.Errorf("the refused reader was not told why; banner %q", banner)
	}
	// Told once; the next ones, moments later, are closed at once.
	banner = ""
	if _, err := ts.dial(t, ts.reader, withBanner); err == nil || banner != "" {
		t.Errorf("a fourth connection: %v, banner %q", err, banner)
	}
}

func TestBanner(t *testing.T) {
	ts := start(t, func(c *Config) { c.Banner = "Briefings for the office\x1b[2J only." })
	var banner string
	if _, err := ts.dial(t, ts.reader, func(c *gossh.ClientConfig) {
		c.BannerCallback = func(msg string) error { banner = msg; return nil }
	}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(banner, "Briefings for the office") || strings.Contains(banner, "\x1b") {
		t.Errorf("banner %q", banner)
	}
}

func TestShutdownTellsReaders(t *testing.T) {
	ts := start(t, nil)
	sc := ts.open(t, 80, 24, nil)
	sc.waitFor("1 of 6")
	ts.cancel()
	sc.waitFor("the server is going away")
	sc.waitEnd()
	// It takes no new connections.
	deadline := time.Now().Add(2 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", ts.addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still takes connections while going away")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-ts.stopped:
		ts.stopped <- err // for the cleanup
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not stop")
	}
}

func TestLogsAreSanitized(t *testing.T) {
	ts := start(t, nil)
	c, err := ts.dial(t, ts.reader, func(c *gossh.ClientConfig) { c.User = "evil\x1b]0;pwned\x07\x1b[2J" })
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.NewSession()
	_ = s.Run("list\x1b[2J --official \x9b6n")
	if strings.ContainsAny(ts.logs.String(), "\x1b\x07\u009b") {
		t.Errorf("control characters reached the log:\n%q", ts.logs.String())
	}
	if !strings.Contains(ts.logs.String(), "evil") {
		t.Errorf("the user is not in the log at all")
	}
}
