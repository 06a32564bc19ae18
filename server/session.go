package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/brief-tools/brief/cli"
	"github.com/brief-tools/brief/readstate"
	"github.com/brief-tools/brief/render/page"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/tui"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"
)

// forceAfter is how long a session told to stop may take to end by itself
// (a client that no longer reads can hold a write forever); then its
// connection is closed under it.
const forceAfter = 2 * time.Second

// session is one SSH session being served.
type session struct {
	s    ssh.Session
	conn *guardedConn  // nil only in tests that build sessions by hand
	done chan struct{} // closed when the session's handler has returned
	// forceAfter is how long the session may take to stop when told.
	forceAfter time.Duration

	mu      sync.Mutex
	program *tea.Program // nil without a terminal
	reason  string       // why the server ended the session, told to the reader
	forcing bool
}

// stop ends the session, telling the reader why; a session that does not
// end within forceAfter loses its connection.
func (sess *session) stop(reason string) {
	sess.mu.Lock()
	if sess.reason == "" {
		sess.reason = reason
	}
	p := sess.program
	forcing := sess.forcing
	sess.forcing = true
	sess.mu.Unlock()
	if p != nil {
		go p.Quit() // blocks while the program is stuck writing
	} else {
		go func() {
			fmt.Fprintf(sess.s.Stderr(), "brief: %s\n", reason)
			_ = sess.s.Exit(1)
		}()
	}
	if !forcing {
		time.AfterFunc(sess.forceAfter, sess.force)
	}
}

// force ends a session that did not stop when asked.
func (sess *session) force() {
	select {
	case <-sess.done:
		return
	default:
	}
	sess.mu.Lock()
	p := sess.program
	sess.mu.Unlock()
	if p != nil {
		p.Kill()
	}
	if sess.conn != nil {
		_ = sess.conn.Close()
	} else {
		_ = sess.s.Close()
	}
}

func (sess *session) why() string {
	sess.mu.Lock()
	defer sess.mu.Unlock()
	return sess.reason
}

// middleware handles every session: who it is, the limits, then the
// reader or a lookup. It is the only handler; it never calls next.
func (s *Server) middleware(ssh.Handler) ssh.Handler {
	return s.handle
}

func (s *Server) handle(ss ssh.Session) {
	start := time.Now()
	addr := host(ss.RemoteAddr())
	who := "anonymous"
	key := ss.PublicKey() // the key this session logged in with
	if key != nil {
		who = gossh.FingerprintSHA256(key)
	}
	sess := &session{s: ss, done: make(chan struct{}), forceAfter: s.forceAfter}
	defer close(sess.done)
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("session panicked", "remote", addr, "key", who, "panic", sanitize.Line(fmt.Sprint(r)), "stack", sanitize.Line(string(debug.Stack())))
			fmt.Fprint(ss.Stderr(), "brief: internal error; this session ends\n")
			_ = ss.Exit(1)
		}
		s.log.Info("session ended", "remote", addr, "key", who, "duration", time.Since(start).Round(time.Millisecond).String())
	}()

	st := stateOf(ss)
	pty, windows, isPty := ss.Pty()
	drain(windows) // sizes come through the channel filter's slot
	var command []string
	refusal := ""
	switch {
	case st != nil && st.tooLong() > 0:
		refusal = fmt.Sprintf("the command is too long (%d bytes; at most %d)", st.tooLong(), maxCommandBytes)
	case s.keys != nil && key != nil && !s.stillAllowed(key, addr):
		refusal = "your key is no longer authorized on this server"
	default:
		command = ss.Command()
	}
	s.log.Info("session", "remote", addr, "key", who, "user", clean(ss.User()),
		"pty", isPty, "term", clean(pty.Term), "command", clean(strings.Join(command, " ")))

	release := func() {}
	if c, ok := ss.Context().Value(rawConnKey).(*guardedConn); ok {
		sess.conn = c
		var full string
		release, full = c.sessionStarted(s.sessions, key) // logged in: the deadline to do so is over
		defer c.sessionEnded(s.cfg.AuthTimeout)
		if refusal == "" {
			refusal = full
		}
	} else if refusal == "" {
		var r func()
		if r, refusal = s.sessions.acquire(addr); r != nil {
			release = r
		}
	}
	if refusal == "" && !s.track(sess) {
		refusal = "the server is going away"
	}
	if refusal != "" {
		release()
		s.log.Warn("session refused", "remote", addr, "key", who, "reason", refusal)
		fmt.Fprintf(ss.Stderr(), "brief: %s\n", refusal)
		_ = ss.Exit(1)
		return
	}
	defer release()
	defer s.untrack(sess)

	s.maxLength(sess)
	if !isPty || len(command) > 0 {
		if !isPty && len(command) == 0 && st != nil && st.terminalRefused() {
			fmt.Fprintln(ss.Stderr(), "brief: your key is for lookups only (no terminal, so no reader); try: ssh … list")
			_ = ss.Exit(1)
			return
		}
		_ = ss.Exit(s.lookup(ss, command))
		return
	}
	s.read(sess, pty, st)
}

// stillAllowed reports whether key may still log in from addr.
func (s *Server) stillAllowed(key gossh.PublicKey, addr string) bool {
	e, _ := s.keys.lookup(key, addr, time.Now())
	return e != nil
}

// drain reads a session's window changes until the session's requests
// end: the SSH library blocks the session's requests until each one is
// read.
func drain(windows <-chan ssh.Window) {
	if windows == nil {
		return
	}
	go func() {
		for range windows {
		}
	}()
}

// lookupHelp are the arguments that ask for help or the version.
var lookupHelp = map[string]bool{"help": true, "--help": true, "-h": true, "--version": true, "-v": true}

// lookup runs a read-only command and gives its exit code.
func (s *Server) lookup(ss ssh.Session, args []string) int {
	corpus := s.current()
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
		// Hints name the command as the reader runs it, and the corpus
		// by its label.
		Invocation:  invocation(ss.LocalAddr()),
		CorpusLabel: corpus.Name,
	}
	if len(args) > 0 && isLookupName(args[0]) { // the state is read for lookups only
		st, release, err := s.stateFor(ss.PublicKey())
		if err != nil {
			s.log.Error("reading state", "key", gossh.FingerprintSHA256(ss.PublicKey()), "error", clean(err.Error()))
		}
		defer release()
		env.State, env.Hashes = st, s.hashesFor(corpus)
	}
	root := cli.NewLookup(env, corpus)
	if !isLookup(root, args) {
		what := "no command"
		if len(args) > 0 {
			what = fmt.Sprintf("%q is not a command here", sanitize.Line(args[0]))
		}
		fmt.Fprintf(ss.Stderr(), "brief: %s; this server answers list, show, card and officials, or the reader with a terminal (ssh -t)\n", what)
		return 1
	}
	return cli.Execute(root, args)
}

// isLookupName reports whether a command word may be a lookup that reads
// the reader's state (flags before it included).
func isLookupName(w string) bool { return w != "" && !lookupHelp[w] }

// invocation gives how a reader runs a lookup here: "ssh -p 23234 host".
func invocation(local net.Addr) string {
	h, port, err := net.SplitHostPort(local.String())
	if err != nil {
		return "ssh host"
	}
	if ip := net.ParseIP(h); ip == nil || ip.IsUnspecified() || ip.IsLoopback() {
		h = "host"
	}
	if port == "22" {
		return "ssh " + h
	}
	return "ssh -p " + port + " " + h
}

// isLookup reports whether args name one of the lookups (flags before
// the command included), or ask for help.
func isLookup(root *cobra.Command, args []string) bool {
	if len(args) == 0 {
		return false
	}
	for _, a := range args { // cobra's hidden completion, behind help or not
		if strings.HasPrefix(a, "__complete") {
			return false
		}
	}
	if lookupHelp[args[0]] {
		return len(args) == 1 || args[0] == "help"
	}
	cmd, _, err := root.Find(args)
	return err == nil && cmd != root
}

// read serves the reader on a terminal until the reader quits, a limit
// ends the session, or the server stops.
func (s *Server) read(sess *session, pty ssh.Pty, st *channelState) {
	ss := sess.s
	ctx, cancel := context.WithCancel(ss.Context())
	defer cancel()
	// The session's context is its connection's: it ends only with the
	// connection. The reader also ends when its input does (the client
	// closed the session but kept the connection).
	in := newSessionInput(ss, ctx.Done(), cancel)
	env := environ(append(ss.Environ(), "TERM="+pty.Term))
	dark := true
	if t := env.get("TERM"); t != "" && t != "dumb" {
		if bg, ok := queryBackground(in, ss, backgroundQueryTimeout); ok {
			dark = bg
		}
	}
	renderer := sessionRenderer(ss, env)
	renderer.SetHasDarkBackground(dark)
	out := tui.NewLockedWriter(ss)
	g := &guard{panicked: func(where string, r any, stack []byte) {
		s.log.Error("reader panicked", "remote", host(ss.RemoteAddr()), "in", where,
			"panic", sanitize.Line(fmt.Sprint(r)), "stack", sanitize.Line(string(stack)))
		sess.stop("internal error; this session ends")
	}}
	display := &display{out: out}
	// The reader's state, opened off the first frame, released when the
	// session ends.
	var release func()
	var opened sync.Once
	defer func() {
		opened.Do(func() {})
		if release != nil {
			release()
		}
	}()
	cfg := tui.Config{Renderer: renderer, Dark: dark, Clipboard: out, Renders: s.renders,
		ProblemsSummaryOnly: !s.cfg.ShowProblems, Label: s.current().Name, Done: ctx.Done(),
		Hyperlinks: page.HyperlinksSupported(env.get)}
	if src := s.cfg.Source; src != nil {
		cfg.Source = func() (*store.CorpusSource, error) { return src, nil } // followed: each new snapshot reaches the reader
	} else {
		cfg.Corpus = s.corpus
	}
	if key := ss.PublicKey(); key != nil && s.states != nil {
		cfg.Hashes = s.hashesFor
		cfg.State = func() (st *readstate.Store, err error) {
			opened.Do(func() {
				if ctx.Err() == nil {
					st, release, err = s.stateFor(key)
				}
			})
			if st == nil && err == nil {
				err = errors.New("the session ended")
			}
			return st, err
		}
	}
	model := screenModel{
		inner:  guardedModel{inner: s.newModel(cfg), g: g},
		screen: display,
	}
	p := tea.NewProgram(model,
		tea.WithContext(ctx),
		tea.WithInput(in),
		tea.WithOutput(out),
		tea.WithoutRenderer(), // the screen draws, on change only
		tea.WithoutSignalHandler(),
		tea.WithEnvironment(env),
		tea.WithFilter(g.filter),
	)
	sess.mu.Lock()
	sess.program = p
	stopped := sess.reason != ""
	sess.mu.Unlock()
	if stopped { // told to stop before the program existed
		return
	}

	// Window sizes: the first is the one the terminal asked for, then the
	// latest of every resize, clamped.
	go s.sendWindows(ctx, p, st)
	s.idleLimit(ctx, sess, in)

	_, _ = io.WriteString(out, screenStart)
	if _, err := p.Run(); err != nil && sess.why() == "" && ctx.Err() == nil {
		s.log.Error("reader stopped", "remote", host(ss.RemoteAddr()), "error", sanitize.Line(err.Error()))
	}
	p.Kill()
	display.stop()
	_, _ = io.WriteString(out, screenEnd)
	if why := sess.why(); why != "" {
		fmt.Fprintf(ss, "brief: %s\n", why) // a terminal: the SSH library writes \r\n
	}
}

// sendWindows gives the reader each latest window size until ctx ends,
// telling the reader once when its window is larger than the server draws.
func (s *Server) sendWindows(ctx context.Context, p *tea.Program, st *channelState) {
	defer s.recoverGoroutine("window sizes")
	if st == nil {
		return
	}
	told := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-st.windows.changed:
		}
		w, clamped := st.windows.latest()
		p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
		if clamped && !told {
			told = true
			p.Send(tui.StatusMsg(fmt.Sprintf("Your window is larger than brief draws; it uses %d×%d of it.", MaxWidth, MaxHeight)))
		}
	}
}

// maxLength ends the session once it has lasted the maximum length.
func (s *Server) maxLength(sess *session) {
	d := s.cfg.MaxSession
	if d <= 0 {
		return
	}
	t := time.AfterFunc(d, func() {
		defer s.recoverGoroutine("session length")
		sess.stop(fmt.Sprintf("this session reached its maximum length of %s", d))
	})
	go func() { <-sess.done; t.Stop() }()
}

// idleLimit ends the session when the reader has pressed no key for the
// idle timeout. Only the reader's own input counts, not other traffic. The
// timer wakes when the timeout would be reached and, if a key came
// meanwhile, sleeps again for the rest: an idle session costs nothing.
func (s *Server) idleLimit(ctx context.Context, sess *session, in *sessionInput) {
	d := s.cfg.IdleTimeout
	if d <= 0 {
		return
	}
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		defer s.recoverGoroutine("idle timer")
		if ctx.Err() != nil {
			return
		}
		if idle := in.idle(); idle < d {
			t.Reset(d - idle)
			return
		}
		sess.stop(fmt.Sprintf("closing after %s without a key pressed", d))
	})
	go func() {
		<-ctx.Done()
		t.Stop()
	}()
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
