package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/tui"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"
)

// Server serves one corpus over SSH.
type Server struct {
	cfg     Config
	corpus  *store.Corpus
	log     *log.Logger
	version string

	ssh      *ssh.Server
	keys     *authorizedKeys
	limiter  *rateLimiter
	sessions *sessionCounter
	pending  *semaphore // connections still logging in

	renders *tui.RenderCache // shared by every session
	// forceAfter is how long a session told to stop may take (forceAfter
	// unless a test says otherwise).
	forceAfter time.Duration
	// newModel builds a session's reader (tui.New unless a test says
	// otherwise).
	newModel func(tui.Config) tea.Model

	mu     sync.Mutex
	active map[*session]struct{}
	closed bool
}

// context keys for what the connection callback learns.
type ctxKey string

const (
	rawConnKey ctxKey = "brief-raw-conn"
	limitedKey ctxKey = "brief-rate-limited"
	matchedKey ctxKey = "brief-matched-keys"
)

// New builds a server for corpus. The host key is generated at
// cfg.HostKeyPath (mode 0600) when it does not exist.
func New(cfg Config, corpus *store.Corpus, logger *log.Logger, version string) (*Server, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = log.New(os.Stderr)
	}
	s := &Server{
		cfg: cfg, corpus: corpus, log: logger, version: version,
		limiter:    newRateLimiter(cfg.RatePerMinute),
		sessions:   newSessionCounter(cfg.MaxSessions, cfg.MaxPerAddress),
		pending:    newSemaphore(cfg.MaxUnauthenticated),
		active:     map[*session]struct{}{},
		renders:    tui.NewRenderCache(1024),
		forceAfter: forceAfter,
		newModel:   func(c tui.Config) tea.Model { return tui.New(c) },
	}
	if err := ensureHostKey(cfg.HostKeyPath); err != nil {
		return nil, err
	}
	opts := []ssh.Option{
		wish.WithAddress(cfg.Listen),
		wish.WithHostKeyPath(cfg.HostKeyPath),
		wish.WithVersion("brief"),
		wish.WithBannerHandler(s.banner),
		func(srv *ssh.Server) error {
			srv.ConnCallback = s.accept
			srv.ConnectionFailedCallback = s.failed
			srv.ServerConfigCallback = func(ctx ssh.Context) *gossh.ServerConfig {
				return &gossh.ServerConfig{
					MaxAuthTries: 6,
					AuthLogCallback: func(conn gossh.ConnMetadata, method string, err error) {
						s.authenticated(ctx, conn, method, err)
					},
				}
			}
			return nil
		},
		wish.WithMiddleware(s.middleware),
	}
	if cfg.AllowAnonymous {
		logger.Warn("anonymous access is on: anyone who can reach the server can read the briefings", "listen", cfg.Listen)
		if cfg.AuthorizedKeysPath != "" {
			logger.Warn("with anonymous access on, the authorized keys are not checked", "authorized_keys", cfg.AuthorizedKeysPath)
		}
	} else {
		s.keys = &authorizedKeys{path: cfg.AuthorizedKeysPath, unusable: func(err error) {
			logger.Warn("some authorized keys are unusable; the others still count", "error", sanitize.Line(err.Error()))
		}}
		if _, err := s.keys.current(); err != nil {
			return nil, err
		}
		opts = append(opts, wish.WithPublicKeyAuth(s.publicKey))
	}
	srv, err := wish.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// ensureHostKey checks that an existing host key is private to its owner,
// and makes the folder for a new one (wish writes the key itself).
func ensureHostKey(path string) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return fmt.Errorf("host key folder: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("host key: %w", err)
	case info.Mode().Perm()&0o077 != 0:
		return fmt.Errorf("host key %s is readable by others (mode %v); chmod 600 it", path, info.Mode().Perm())
	}
	return nil
}

// ListenAndServe serves until ctx ends, then tells every reader the server
// is going away and stops within the shutdown timeout.
func (s *Server) ListenAndServe(ctx context.Context) error {
	l, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	return s.Serve(ctx, l)
}

// Serve serves on l until ctx ends.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	s.log.Info("serving briefings over SSH", "listen", l.Addr().String(), "briefings", len(s.corpus.Briefings()))
	errs := make(chan error, 1)
	go func() { errs <- s.ssh.Serve(l) }()
	select {
	case err := <-errs:
		if errors.Is(err, ssh.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	stop, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	return s.Shutdown(stop)
}

// Shutdown tells every connected reader the server is going away, ends
// their sessions and stops, waiting no longer than ctx allows.
func (s *Server) Shutdown(ctx context.Context) error {
	// Stop accepting connections at once (the SSH library's Shutdown
	// closes the listeners, then waits for connections, which Close below
	// ends).
	go func() { _ = s.ssh.Shutdown(ctx) }()
	s.mu.Lock()
	s.closed = true
	active := make([]*session, 0, len(s.active))
	for sess := range s.active {
		active = append(active, sess)
	}
	s.mu.Unlock()
	s.log.Info("shutting down", "sessions", len(active))
	for _, sess := range active {
		sess.stop("the server is going away; goodbye")
	}
	// Wait for the sessions to end, then close every connection (a client
	// may keep its connection open after its session).
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var err error
	for s.activeCount() > 0 && err == nil {
		select {
		case <-ctx.Done():
			err = fmt.Errorf("shutdown: %d sessions still open: %w", s.activeCount(), ctx.Err())
		case <-tick.C:
		}
	}
	_ = s.ssh.Close()
	return err
}

func (s *Server) activeCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.active)
}

// accept sees each new connection first: it bounds the connections still
// logging in, applies the rate limit and the deadline to authenticate.
func (s *Server) accept(ctx ssh.Context, conn net.Conn) net.Conn {
	addr := host(conn.RemoteAddr())
	now := time.Now()
	if !s.pending.acquire() {
		s.log.Warn("connection refused: too many connections logging in", "remote", addr, "max", s.cfg.MaxUnauthenticated)
		return nil
	}
	gc := &guardedConn{Conn: conn, release: s.pending.release}
	switch s.limiter.allow(addr, now) {
	case rateOK:
		if s.cfg.AuthTimeout > 0 {
			gc.limit(now.Add(s.cfg.AuthTimeout))
		}
	case rateTell:
		// Let it reach the banner, which says why, then refuse its keys.
		ctx.SetValue(limitedKey, true)
		gc.limit(now.Add(5 * time.Second))
		s.log.Warn("connection over the rate limit", "remote", addr)
	default:
		// Told a moment ago: close at once, at no cost.
		_ = gc.Close()
		return nil
	}
	ctx.SetValue(rawConnKey, gc)
	s.log.Info("connection", "remote", addr)
	return gc
}

// guardedConn holds a connection to a deadline while it has no session:
// before it authenticates, and after its last session ended. The SSH
// library may set (and clear) deadlines too; while our deadline holds, no
// deadline set through it may be later.
type guardedConn struct {
	net.Conn
	release func() // gives back the place among connections logging in

	mu       sync.Mutex
	deadline time.Time // zero while a session is open
	sessions int
	started  bool // a session has started: it logged in
	closed   bool
}

func (c *guardedConn) limit(t time.Time) {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	_ = c.Conn.SetDeadline(t)
}

// SetDeadline keeps our deadline in force.
func (c *guardedConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	d := c.deadline
	c.mu.Unlock()
	if !d.IsZero() && (t.IsZero() || t.After(d)) {
		t = d
	}
	return c.Conn.SetDeadline(t)
}

// sessionStarted lifts the deadline while a session is open.
func (c *guardedConn) sessionStarted() {
	c.mu.Lock()
	c.sessions++
	first := !c.started
	c.started = true
	c.deadline = time.Time{}
	c.mu.Unlock()
	_ = c.Conn.SetDeadline(time.Time{})
	if first {
		c.release()
	}
}

// sessionEnded sets the deadline again, after idle, once no session is
// open (0: never).
func (c *guardedConn) sessionEnded(idle time.Duration) {
	c.mu.Lock()
	c.sessions--
	arm := c.sessions == 0 && idle > 0
	c.mu.Unlock()
	if arm {
		c.limit(time.Now().Add(idle))
	}
}

// Close closes the connection, giving back its place among connections
// logging in if it never got that far.
func (c *guardedConn) Close() error {
	c.mu.Lock()
	release := !c.started && !c.closed
	c.closed = true
	c.mu.Unlock()
	if release {
		c.release()
	}
	return c.Conn.Close()
}

// failed logs a connection that never authenticated.
func (s *Server) failed(conn net.Conn, err error) {
	s.log.Info("connection closed before login", "remote", host(conn.RemoteAddr()), "reason", clean(err.Error()))
}

// banner is shown before authentication: the configured banner, and why
// a reader over the rate limit is turned away.
func (s *Server) banner(ctx ssh.Context) string {
	var b strings.Builder
	if s.cfg.Banner != "" {
		b.WriteString(strings.TrimRight(sanitize.Plain(s.cfg.Banner), "\n"))
		b.WriteString("\n")
	}
	if limited, _ := ctx.Value(limitedKey).(bool); limited {
		b.WriteString("brief: too many connections from your address; wait a minute and try again.\n")
	}
	return b.String()
}

// publicKey decides whether a key may log in. The SSH library asks it
// about every key a client offers, even one the client then does not sign
// with: it only answers the question, and notes the fingerprint for the
// log. Who the reader is comes from the session's own key later.
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	fp := gossh.FingerprintSHA256(key)
	if limited, _ := ctx.Value(limitedKey).(bool); limited {
		return false
	}
	ok, err := s.keys.allows(key)
	if err != nil {
		s.log.Error("cannot check keys", "error", sanitize.Line(err.Error()))
	}
	if !ok {
		s.log.Warn("key refused", "remote", host(ctx.RemoteAddr()), "user", clean(ctx.User()), "key", fp)
		return false
	}
	matched, _ := ctx.Value(matchedKey).([]string)
	if !slices.Contains(matched, fp) {
		ctx.SetValue(matchedKey, append(slices.Clone(matched), fp))
	}
	return true
}

// authenticated logs the outcome of each way of logging in a client
// tried, once the SSH library has checked it (a key's signature
// included).
func (s *Server) authenticated(ctx ssh.Context, conn gossh.ConnMetadata, method string, err error) {
	addr, user := host(conn.RemoteAddr()), clean(conn.User())
	switch {
	case err == nil && method == "publickey":
		// Only keys that matched can succeed; with one, it is that one.
		matched, _ := ctx.Value(matchedKey).([]string)
		key := strings.Join(matched, " or ")
		s.log.Info("login accepted", "remote", addr, "user", user, "method", method, "key", key)
	case err == nil:
		s.log.Info("login accepted", "remote", addr, "user", user, "method", clean(method), "key", "anonymous")
	case method == "none", method == "publickey":
		// Every client tries "none" first; refused keys are logged above.
	default:
		s.log.Warn("login refused", "remote", addr, "user", user, "method", clean(method))
	}
}

// track records a session so that shutdown can reach it; false when the
// server is stopping.
func (s *Server) track(sess *session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.active[sess] = struct{}{}
	return true
}

func (s *Server) untrack(sess *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.active, sess)
}

// clean makes text from a client (a user name, a command, a terminal
// name, an error quoting them) fit for one log line: sanitized, and cut
// to a length that cannot flood the log.
func clean(s string) string {
	const most = 200
	if len(s) > 4*most {
		s = s[:4*most]
	}
	s = sanitize.Line(s)
	if r := []rune(s); len(r) > most {
		s = string(r[:most]) + "…"
	}
	return s
}
