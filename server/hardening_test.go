package server

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/tui"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/pflag"
	gossh "golang.org/x/crypto/ssh"
)

func TestGuard(t *testing.T) {
	var panics []string
	g := &guard{panicked: func(where string, r any, _ []byte) { panics = append(panics, where) }}
	if sequenceType == nil || sequenceType.Kind() != reflect.Slice || batchType.Kind() != reflect.Slice {
		t.Fatalf("sequence type %v, batch type %v", sequenceType, batchType)
	}
	for _, msg := range []tea.Msg{tea.SuspendMsg{}, tea.Suspend(), tea.Exec(nil, nil)(), nil} {
		if got := g.filter(nil, msg); got != nil {
			t.Errorf("filter(%T) = %v, want nil", msg, got)
		}
	}
	if got := g.cmd(tea.Suspend)(); got != nil {
		t.Errorf("a guarded tea.Suspend gave %T", got)
	}
	if got := g.cmd(func() tea.Msg { panic("boom") })(); got != nil || len(panics) != 1 || panics[0] != "command" {
		t.Errorf("a panicking command gave %v; panics %v", got, panics)
	}
	// Batches and sequences are guarded inside: a suspend in them is
	// dropped, a panic recovered, everything else passes.
	quit := func() tea.Msg { return tea.QuitMsg{} }
	for _, c := range []tea.Cmd{
		tea.Batch(tea.Suspend, quit, func() tea.Msg { panic("in a batch") }),
		tea.Sequence(tea.Suspend, quit, func() tea.Msg { panic("in a sequence") }),
	} {
		msg := g.cmd(c)()
		v := reflect.ValueOf(msg)
		if v.Kind() != reflect.Slice || v.Len() != 3 || reflect.TypeOf(msg) != reflect.TypeOf(c()) {
			t.Fatalf("%T: got %T", c(), msg)
		}
		var got []string
		for i := range v.Len() {
			m := v.Index(i).Interface().(tea.Cmd)()
			got = append(got, fmt.Sprintf("%T", m))
		}
		if strings.Join(got, " ") != "<nil> tea.QuitMsg <nil>" {
			t.Errorf("%T: inner messages %v", c(), got)
		}
	}
	if len(panics) != 3 {
		t.Errorf("panics recovered: %v, want 3", panics)
	}
	// The model: a panic leaves it as it was.
	m := guardedModel{inner: trapModel{inner: plainModel{}}, g: g}
	next, _ := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("P")})
	if next.(guardedModel).inner.(trapModel).inner.(plainModel).keys != 0 {
		t.Errorf("the model changed in a panicking update")
	}
	next, _ = next.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("V")})
	if v := next.View(); v != "" {
		t.Errorf("a panicking view gave %q", v)
	}
}

// plainModel counts keys.
type plainModel struct{ keys int }

func (m plainModel) Init() tea.Cmd { return nil }
func (m plainModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok {
		m.keys++
	}
	return m, nil
}
func (m plainModel) View() string { return "plain" }

// trapModel is a reader with traps: P panics in Update, V makes View
// panic, C and B return commands that panic, Z and S ask to suspend.
type trapModel struct {
	inner     tea.Model
	viewPanic bool
}

func (m trapModel) Init() tea.Cmd { return m.inner.Init() }

func (m trapModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch k.String() {
		case "P":
			panic("update trap \x1b]0;title\x07")
		case "V":
			m.viewPanic = true
			return m, nil
		case "C":
			return m, func() tea.Msg { panic("command trap") }
		case "B":
			return m, tea.Batch(func() tea.Msg { return nil }, func() tea.Msg { panic("batch trap") })
		case "Z":
			return m, tea.Suspend
		case "S":
			return m, tea.Sequence(func() tea.Msg { return nil }, tea.Suspend)
		}
	}
	next, cmd := m.inner.Update(msg)
	m.inner = next
	return m, cmd
}

func (m trapModel) View() string {
	if m.viewPanic {
		panic("view trap")
	}
	return m.inner.View()
}

func withTraps(ts *testServer) {
	ts.srv.newModel = func(c tui.Config) tea.Model { return trapModel{inner: tui.New(c)} }
}

func TestPanicEndsOnlyItsSession(t *testing.T) {
	ts := start(t, nil)
	withTraps(ts)
	bystander := ts.open(t, 80, 24, nil)
	bystander.waitFor("1 of 6")
	for _, key := range []string{"P", "V", "C", "B"} {
		t.Run(key, func(t *testing.T) {
			sc := ts.open(t, 80, 24, nil)
			sc.waitFor("1 of 6")
			sc.send(key)
			sc.waitFor("brief: internal error; this session ends")
			sc.waitEnd()
		})
	}
	// The others read on; the server still answers.
	bystander.send("o")
	bystander.waitFor("Choose an official")
	if _, _, code := ts.run(t, "list --limit 1"); code != 0 {
		t.Errorf("the server stopped answering")
	}
	logs := ts.logs.String()
	if strings.Count(logs, "reader panicked") < 4 || strings.ContainsAny(logs, "\x1b\x07") {
		t.Errorf("panics not logged, or logged unsanitized:\n%q", logs)
	}
}

func TestBackground(t *testing.T) {
	ts := start(t, nil)
	// Body text takes the terminal's own colour; muted text tells the
	// themes apart: 241 in the light one, 246 in the dark.
	light, dark := "38;5;241m", "38;5;246m"
	for _, tc := range []struct {
		name, answer, want string
	}{
		{"light", "ffff/ffff/ffff", light},
		{"dark", "0000/0000/0000", dark},
		{"short form", "ff/ff/f0", light},
		{"no answer", "", dark},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			sc := ts.openAs(t, ts.reader, 80, 24, nil, tc.answer)
			sc.waitFor("1 of 6")
			if tc.answer != "" && time.Since(start) > backgroundQueryTimeout {
				t.Errorf("an answering terminal waited %v", time.Since(start))
			}
			out := sc.out.String()
			if !strings.Contains(out, tc.want) {
				t.Errorf("no %q in the first frame", tc.want)
			}
			if strings.Contains(out, "rgb:") {
				t.Errorf("the answer reached the screen")
			}
			sc.send("q")
			sc.waitEnd()
		})
	}
	t.Run("late answer", func(t *testing.T) {
		sc := ts.openAs(t, ts.reader, 80, 24, nil, "")
		sc.waitFor("1 of 6")
		sc.send("/")
		sc.waitFor("/")
		time.Sleep(50 * time.Millisecond)
		sc.send("\x1b]11;rgb:ffff/ff") // cut in two, as a slow link may
		time.Sleep(50 * time.Millisecond)
		sc.send("ff/ffff\x07\x1b[?62;22c")
		sc.send("railway")
		sc.waitFor("railway")
		if strings.Contains(ansi.Strip(sc.out.String()), "rgb") || strings.Contains(ansi.Strip(sc.out.String()), "62;22") {
			t.Errorf("a late answer was typed into the reader:\n%s", ansi.Strip(sc.out.String()))
		}
		sc.send("\x03") // ctrl+c
		sc.waitEnd()
	})
}

func TestClosedSessionEndsItsReader(t *testing.T) {
	ts := start(t, func(c *Config) { c.MaxSessions = 1; c.IdleTimeout = 0 })
	sc := ts.open(t, 80, 24, nil)
	sc.waitFor("1 of 6")
	// The client closes its session but keeps the connection (as an
	// OpenSSH master connection does).
	_ = sc.s.Close()
	deadline := time.Now().Add(3 * time.Second)
	for ts.srv.activeCount() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the reader went on after its session was closed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	s, err := sc.c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := s.Output("officials"); err != nil || len(out) == 0 {
		t.Errorf("a new session on the same connection: %v", err)
	}
}

// floodModel draws a whole new screen on every key.
type floodModel struct{ n int }

func (m floodModel) Init() tea.Cmd { return nil }
func (m floodModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok {
		m.n++
	}
	return m, nil
}
func (m floodModel) View() string {
	line := strings.Repeat(string(rune('a'+m.n%26)), 1000)
	return strings.Repeat(line+"\n", 999) + line
}

func TestStalledClientIsCut(t *testing.T) {
	ts := start(t, func(c *Config) { c.MaxSession = time.Second; c.MaxSessions = 1 })
	ts.srv.forceAfter = 300 * time.Millisecond
	ts.srv.newModel = func(tui.Config) tea.Model { return floodModel{} }
	c, err := ts.dial(t, ts.reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.NewSession()
	in, _ := s.StdinPipe()
	_, _ = s.StdoutPipe() // never read: the client stops taking output
	if err := s.RequestPty("xterm", 1000, 1000, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(in, "\x1b[?62c") // a terminal, answering at once
	// Keys until the end: each draws a new screen (500x200 after
	// clamping), soon more than the client's window of 2 MB.
	go func() {
		for {
			time.Sleep(10 * time.Millisecond)
			if _, err := io.WriteString(in, "x"); err != nil {
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("a client that stopped reading kept its session past its maximum length:\n%s", ts.logs.String())
	}
	deadline := time.Now().Add(2 * time.Second)
	for ts.srv.activeCount() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the session's place was not given back")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestConnectionWithoutSessionIsClosed(t *testing.T) {
	ts := start(t, func(c *Config) { c.AuthTimeout = 400 * time.Millisecond })
	c, err := ts.dial(t, ts.reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.NewSession()
	if out, err := s.Output("officials"); err != nil || len(out) == 0 {
		t.Fatalf("lookup: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("a connection with no session stayed open")
	}
}

func TestMaxUnauthenticated(t *testing.T) {
	ts := start(t, func(c *Config) { c.MaxUnauthenticated = 1 })
	idle, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if _, err := ts.dial(t, ts.reader, nil); err == nil {
		t.Errorf("a second connection logging in was let in")
	}
	idle.Close()
	deadline := time.Now().Add(3 * time.Second)
	for {
		if _, err := ts.dial(t, ts.reader, nil); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the place was not given back")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestNothingButSessions(t *testing.T) {
	ts := start(t, nil)
	c, err := ts.dial(t, ts.reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	if conn, err := c.Dial("tcp", ts.addr); err == nil {
		conn.Close()
		t.Errorf("port forwarding is open")
	}
	if l, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		l.Close()
		t.Errorf("remote forwarding is open")
	}
	s, _ := c.NewSession()
	if err := s.RequestSubsystem("sftp"); err == nil {
		t.Errorf("sftp is open")
	}
}

func TestLookupCommandLine(t *testing.T) {
	ts := start(t, nil)
	for _, tc := range []struct {
		command string
		code    int
		stdout  string
		stderr  string
	}{
		{"--theme light list --limit 1", 0, "\t", ""},
		{"ls --official saidov", 0, "2024-02-19-nurtleu-saidov-astana-talks", ""},
		{"help", 0, "officials", ""},
		{"list --help", 0, "--official", ""},
		{"--version", 0, "brief test", ""},
		{"__complete list --official ''", 1, "", "not a command here"},
		{"-h -- __complete list --official ''", 1, "", "not a command here"},
		{"help __complete", 1, "", "not a command here"},
		{"completion bash", 1, "", "not a command here"},
		{"--theme light", 1, "", "not a command here"},
		{"show ../../etc/passwd", 1, "", "no briefing"},
	} {
		t.Run(tc.command, func(t *testing.T) {
			out, errOut, code := ts.run(t, tc.command)
			if code != tc.code || !strings.Contains(out, tc.stdout) || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, out, errOut, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
	// With a terminal, a command is still a lookup, in plain text.
	c, _ := ts.dial(t, ts.reader, nil)
	s, _ := c.NewSession()
	var out bytes.Buffer
	s.Stdout = &out
	_ = s.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{})
	if err := s.Run("list --official saidov"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2024-02-19-nurtleu-saidov-astana-talks") || strings.Contains(out.String(), "\x1b") {
		t.Errorf("lookup with a terminal: %q", out.String())
	}
}

func TestUnusableKeyLineKeepsTheOthers(t *testing.T) {
	ts := start(t, nil)
	data, _ := os.ReadFile(ts.keys)
	if err := os.WriteFile(ts.keys, append([]byte("ssh-ed25519 not-base64!\n# a comment\n\n"), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Second)
	os.Chtimes(ts.keys, later, later)
	if _, err := ts.dial(t, ts.reader, nil); err != nil {
		t.Errorf("a bad line locked the reader out: %v", err)
	}
	if !strings.Contains(ts.logs.String(), "line=1") {
		t.Errorf("the bad line is not logged")
	}
	// A file that cannot be read lets no one in.
	os.Remove(ts.keys)
	if _, err := ts.dial(t, ts.reader, nil); err == nil {
		t.Errorf("with no authorized keys file, a key was accepted")
	}
}

func TestEveryFlagHasAnEnvironmentVariable(t *testing.T) {
	var got Config
	cmd := Command(func(func(string) string) (*store.CorpusSource, string, error) { return nil, "", os.ErrNotExist }, "test")
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if !strings.Contains(f.Usage, "$"+envName(f.Name)) {
			t.Errorf("--%s does not name $%s", f.Name, envName(f.Name))
		}
	})
	t.Setenv("BRIEF_SSH_LISTEN", "127.0.0.1:2222")
	t.Setenv("BRIEF_SSH_IDLE_TIMEOUT", "90s")
	t.Setenv("BRIEF_SSH_MAX_PER_ADDRESS", "3")
	t.Setenv("BRIEF_SSH_ALLOW_ANONYMOUS", "") // empty is unset, never "on"
	t.Setenv("BRIEF_SSH_BANNER", "Office use only")
	if err := cmd.ParseFlags([]string{"--max-per-address", "5"}); err != nil {
		t.Fatal(err)
	}
	if err := fromEnvironment(cmd.Flags()); err != nil {
		t.Fatal(err)
	}
	get := func(name string) string { return cmd.Flags().Lookup(name).Value.String() }
	got.Listen, got.Banner = get("listen"), get("banner")
	if got.Listen != "127.0.0.1:2222" || get("idle-timeout") != "1m30s" || get("max-per-address") != "5" ||
		get("allow-anonymous") != "false" || got.Banner != "Office use only" {
		t.Errorf("listen %s, idle %s, per address %s (the flag wins), anonymous %s, banner %q",
			got.Listen, get("idle-timeout"), get("max-per-address"), get("allow-anonymous"), got.Banner)
	}
	t.Setenv("BRIEF_SSH_RATE", "many")
	if err := fromEnvironment(cmd.Flags()); err == nil || !strings.Contains(err.Error(), "BRIEF_SSH_RATE") {
		t.Errorf("a bad value: %v", err)
	}
}
