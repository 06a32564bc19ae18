package server

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/brief-tools/brief/cli"
	"github.com/brief-tools/brief/tui"
	"github.com/brief-tools/brief/tui/sanitize"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"
)

// backgroundQueryTimeout bounds how long a new session waits for the
// terminal to say its background colour; a terminal that answers does so
// in a few milliseconds, one that does not costs this much once.
const backgroundQueryTimeout = 300 * time.Millisecond

// session is one SSH session being served.
type session struct {
	s       ssh.Session
	program *tea.Program // nil without a terminal

	mu     sync.Mutex
	reason string // why the server ended the session, told to the reader
}

// stop ends the session, telling the reader why.
func (sess *session) stop(reason string) {
	sess.mu.Lock()
	if sess.reason == "" {
		sess.reason = reason
	}
	p := sess.program
	sess.mu.Unlock()
	if p != nil {
		p.Quit()
		return
	}
	_ = sess.s.Close()
}

func (sess *session) why() string {
	sess.mu.Lock()
	defer sess.mu.Unlock()
	return sess.reason
}

// middleware handles every session: who it is, the limits, then the
// reader or a lookup. It is the only handler; it never calls next.
func (s *Server) middleware(ssh.Handler) ssh.Handler {
	return func(ss ssh.Session) {
		start := time.Now()
		addr := host(ss.RemoteAddr())
		who := "anonymous"
		if key := ss.PublicKey(); key != nil {
			who = gossh.FingerprintSHA256(key)
		}
		if c, ok := ss.Context().Value(rawConnKey).(*handshakeConn); ok {
			c.started() // authenticated: the handshake deadline is over
		}
		sess := &session{s: ss}
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("session panicked", "remote", addr, "key", who, "panic", sanitize.Line(fmt.Sprint(r)), "stack", sanitize.Line(string(debug.Stack())))
				fmt.Fprint(ss.Stderr(), "brief: internal error; this session ends\r\n")
				_ = ss.Exit(1)
			}
			s.log.Info("session ended", "remote", addr, "key", who, "duration", time.Since(start).Round(time.Millisecond).String())
		}()

		release, refusal := s.sessions.acquire(addr)
		if refusal == "" && !s.track(sess) {
			release()
			refusal = "the server is going away"
		}
		if refusal != "" {
			s.log.Warn("session refused", "remote", addr, "key", who, "reason", refusal)
			fmt.Fprintf(ss.Stderr(), "brief: %s\r\n", refusal)
			_ = ss.Exit(1)
			return
		}
		defer release()
		defer s.untrack(sess)

		pty, windows, isPty := ss.Pty()
		s.log.Info("session", "remote", addr, "key", who, "user", sanitize.Line(ss.User()),
			"pty", isPty, "term", sanitize.Line(pty.Term), "command", sanitize.Line(strings.Join(ss.Command(), " ")))
		if !isPty || len(ss.Command()) > 0 {
			ss.Exit(s.lookup(ss))
			return
		}
		s.read(sess, pty, windows)
	}
}

// isLookup reports whether a session without a terminal may run command.
func isLookup(command string) bool {
	switch command {
	case "list", "ls", "show", "card", "officials", "help", "--help", "-h", "--version":
		return true
	}
	return false
}

// lookup runs a read-only command and gives its exit code.
func (s *Server) lookup(ss ssh.Session) int {
	args := ss.Command()
	if len(args) == 0 || !isLookup(args[0]) {
		what := "no command"
		if len(args) > 0 {
			what = fmt.Sprintf("%q is not a command here", sanitize.Line(args[0]))
		}
		fmt.Fprintf(ss.Stderr(), "brief: %s; this server answers list, show, card and officials, or the reader with a terminal (ssh -t)\n", what)
		return 1
	}
	r := lipgloss.NewRenderer(ss, termenv.WithProfile(termenv.Ascii))
	env := cli.Env{
		Stdin:    strings.NewReader(""),
		Stdout:   ss,
		Stderr:   ss.Stderr(),
		Getenv:   environ(ss.Environ()).get,
		Terminal: false,
		Width:    80,
		Renderer: r,
		Version:  s.version,
	}
	return cli.Execute(cli.NewLookup(env, s.corpus), args)
}

// read serves the reader on a terminal until the reader quits, a limit
// ends the session, or the server stops.
func (s *Server) read(sess *session, pty ssh.Pty, windows <-chan ssh.Window) {
	ss := sess.s
	ctx, cancel := context.WithCancel(ss.Context())
	defer cancel()
	in := newSessionInput(ss, ctx.Done())
	env := environ(append(ss.Environ(), "TERM="+pty.Term))
	dark := true
	if bg, ok := queryBackground(in, ss, backgroundQueryTimeout); ok {
		dark = bg
	}
	renderer := sessionRenderer(ss, env)
	renderer.SetHasDarkBackground(dark)
	out := tui.NewLockedWriter(ss)
	model := tui.New(tui.Config{Corpus: s.corpus, Renderer: renderer, Dark: dark, Clipboard: out, Renders: s.renders})
	p := tea.NewProgram(model,
		tea.WithContext(ctx),
		tea.WithInput(in),
		tea.WithOutput(out),
		tea.WithAltScreen(),
		tea.WithMouseCellMotion(),
		tea.WithoutSignalHandler(),
		tea.WithEnvironment(env),
	)
	sess.mu.Lock()
	sess.program = p
	sess.mu.Unlock()

	go func() {
		defer s.recoverGoroutine("window sizes")
		for {
			select {
			case <-ctx.Done():
				return
			case w, ok := <-windows:
				if !ok {
					return
				}
				p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		}
	}()
	if pty.Window.Width > 0 {
		go p.Send(tea.WindowSizeMsg{Width: pty.Window.Width, Height: pty.Window.Height})
	}
	s.watchLimits(ctx, sess, in)

	if _, err := p.Run(); err != nil && sess.why() == "" && ctx.Err() == nil {
		s.log.Error("reader stopped", "error", sanitize.Line(err.Error()))
	}
	p.Kill()
	if why := sess.why(); why != "" {
		fmt.Fprintf(ss, "brief: %s\r\n", why)
	}
}

// watchLimits ends the session when the reader has been idle too long or
// the session has lasted too long.
func (s *Server) watchLimits(ctx context.Context, sess *session, in *sessionInput) {
	if d := s.cfg.MaxSession; d > 0 {
		t := time.AfterFunc(d, func() { sess.stop(fmt.Sprintf("this session reached its maximum length of %s", d)) })
		go func() { <-ctx.Done(); t.Stop() }()
	}
	if d := s.cfg.IdleTimeout; d > 0 {
		go func() {
			defer s.recoverGoroutine("idle timer")
			tick := time.NewTicker(min(max(d/10, 10*time.Millisecond), time.Second))
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
					if in.idle() >= d {
						sess.stop(fmt.Sprintf("closing after %s without a key pressed", d))
						return
					}
				}
			}
		}()
	}
}

// recoverGoroutine keeps a panic in one of a session's goroutines from
// taking the server down.
func (s *Server) recoverGoroutine(what string) {
	if r := recover(); r != nil {
		s.log.Error("panic", "in", what, "panic", sanitize.Line(fmt.Sprint(r)))
	}
}

// sessionRenderer builds the session's own renderer, its colour profile
// from the client's TERM, COLORTERM and NO_COLOR.
func sessionRenderer(w io.Writer, env environ) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(w, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
	r.SetColorProfile(colorProfile(env))
	return r
}

// colorProfile reads the colours a client's terminal can show from its
// environment.
func colorProfile(env environ) termenv.Profile {
	term := strings.ToLower(env.get("TERM"))
	colorterm := strings.ToLower(env.get("COLORTERM"))
	switch {
	case env.get("NO_COLOR") != "", term == "", term == "dumb":
		return termenv.Ascii
	case colorterm == "truecolor" || colorterm == "24bit" || strings.Contains(term, "direct"):
		return termenv.TrueColor
	case strings.Contains(term, "256color"):
		return termenv.ANSI256
	}
	return termenv.ANSI
}

// environ is a session's environment.
type environ []string

func (e environ) Environ() []string { return e }

func (e environ) Getenv(k string) string { return e.get(k) }

func (e environ) get(k string) string {
	for i := len(e) - 1; i >= 0; i-- { // the last setting wins
		if v, ok := strings.CutPrefix(e[i], k+"="); ok {
			return v
		}
	}
	return ""
}

// sessionInput passes a session's input to the reader through a pump
// goroutine, so that a read can stop when the session ends, and keeps the
// time of the reader's last keystroke.
type sessionInput struct {
	chunks  chan []byte
	done    <-chan struct{}
	pending []byte
	last    atomic.Int64 // Unix nanoseconds
}

func newSessionInput(r io.Reader, done <-chan struct{}) *sessionInput {
	in := &sessionInput{chunks: make(chan []byte, 16), done: done}
	in.last.Store(time.Now().UnixNano())
	go func() {
		defer close(in.chunks)
		for {
			buf := make([]byte, 1024)
			n, err := r.Read(buf)
			if n > 0 {
				in.last.Store(time.Now().UnixNano())
				select {
				case in.chunks <- buf[:n]:
				case <-done:
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return in
}

// Read gives the next input, or io.EOF once the session has ended.
func (in *sessionInput) Read(p []byte) (int, error) {
	if len(in.pending) == 0 {
		select {
		case c, ok := <-in.chunks:
			if !ok {
				return 0, io.EOF
			}
			in.pending = c
		case <-in.done:
			return 0, io.EOF
		}
	}
	n := copy(p, in.pending)
	in.pending = in.pending[n:]
	return n, nil
}

// idle gives how long since the reader last typed.
func (in *sessionInput) idle() time.Duration {
	return time.Since(time.Unix(0, in.last.Load()))
}

var (
	primaryAttributes = regexp.MustCompile(`\x1b\[\?[0-9;]*c`)
	backgroundColour  = regexp.MustCompile(`\x1b\]11;rgb:([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})(?:\x07|\x1b\\)`)
)

// queryBackground asks the terminal for its background colour (OSC 11),
// followed by a request every terminal answers (primary device
// attributes), and reads the answers for at most timeout. Anything else
// read meanwhile (a key pressed early) is kept for the reader. ok is false
// when the terminal did not say.
func queryBackground(in *sessionInput, out io.Writer, timeout time.Duration) (dark, ok bool) {
	if _, err := io.WriteString(out, "\x1b]11;?\x07\x1b[c"); err != nil {
		return false, false
	}
	var got []byte
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	defer func() { in.pending = append(got, in.pending...) }()
	for !primaryAttributes.Match(got) {
		select {
		case c, open := <-in.chunks:
			if !open {
				return false, false
			}
			got = append(got, c...)
		case <-deadline.C:
			return false, false
		case <-in.done:
			return false, false
		}
	}
	m := backgroundColour.FindSubmatch(got)
	got = primaryAttributes.ReplaceAll(backgroundColour.ReplaceAll(got, nil), nil)
	if m == nil {
		return false, false
	}
	var l float64
	for i, weight := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(string(m[i+1]), 16, 32)
		l += weight * float64(v) / float64(uint64(1)<<(4*len(m[i+1]))-1)
	}
	return l < 0.5, true
}
