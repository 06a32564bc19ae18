package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/tui"
	"github.com/brief-tools/brief/tui/sanitize"
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

	renders *tui.RenderCache // shared by every session

	mu     sync.Mutex
	active map[*session]struct{}
	closed bool
}

// context keys for what the connection callback learns.
type ctxKey string

const (
	rawConnKey ctxKey = "brief-raw-conn"
	limitedKey ctxKey = "brief-rate-limited"
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
		limiter:  newRateLimiter(cfg.RatePerMinute),
		sessions: newSessionCounter(cfg.MaxSessions, cfg.MaxPerAddress),
		active:   map[*session]struct{}{},
		renders:  tui.NewRenderCache(1024),
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
			return nil
		},
		wish.WithMiddleware(s.middleware),
	}
	if cfg.AllowAnonymous {
		logger.Warn("anonymous access is on: anyone who can reach the server can read the briefings", "listen", cfg.Listen)
	} else {
		s.keys = &authorizedKeys{path: cfg.AuthorizedKeysPath}
		if _, err := s.keys.current(); err != nil && !strings.Contains(err.Error(), "do not parse") {
			return nil, err
		} else if err != nil {
			logger.Warn("some authorized keys are unusable", "error", err)
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

// accept sees each new connection first: it applies the rate limit and
// the deadline to authenticate.
func (s *Server) accept(ctx ssh.Context, conn net.Conn) net.Conn {
	addr := host(conn.RemoteAddr())
	now := time.Now()
	hc := &handshakeConn{Conn: conn}
	if !s.limiter.allow(addr, now) {
		ctx.SetValue(limitedKey, true)
		hc.limit(now.Add(5 * time.Second))
		s.log.Warn("connection over the rate limit", "remote", addr)
	} else if s.cfg.AuthTimeout > 0 {
		hc.limit(now.Add(s.cfg.AuthTimeout))
	}
	ctx.SetValue(rawConnKey, hc)
	s.log.Info("connection", "remote", addr)
	return hc
}

// handshakeConn holds a connection to a deadline until its first session
// starts. The SSH library sets (and clears) deadlines on every read and
// write; while the handshake deadline holds, no deadline set through it
// may be later.
type handshakeConn struct {
	net.Conn
	mu       sync.Mutex
	deadline time.Time // zero once a session has started
}

func (c *handshakeConn) limit(t time.Time) {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	_ = c.Conn.SetDeadline(t)
}

// SetDeadline keeps the handshake deadline in force.
func (c *handshakeConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	d := c.deadline
	c.mu.Unlock()
	if !d.IsZero() && (t.IsZero() || t.After(d)) {
		t = d
	}
	return c.Conn.SetDeadline(t)
}

// started lifts the handshake deadline.
func (c *handshakeConn) started() {
	c.mu.Lock()
	c.deadline = time.Time{}
	c.mu.Unlock()
	_ = c.Conn.SetDeadline(time.Time{})
}

// failed logs a connection that never authenticated.
func (s *Server) failed(conn net.Conn, err error) {
	s.log.Info("connection closed before a session", "remote", host(conn.RemoteAddr()), "reason", sanitize.Line(err.Error()))
}

// banner is shown before authentication: the configured banner, and why
// a reader over the rate limit is turned away.
func (s *Server) banner(ctx ssh.Context) string {
	var b strings.Builder
	if s.cfg.Banner != "" {
		b.WriteString(sanitize.Plain(s.cfg.Banner))
		b.WriteString("\n")
	}
	if limited, _ := ctx.Value(limitedKey).(bool); limited {
		b.WriteString("brief: too many connections from your address; wait a minute and try again.\n")
	}
	return b.String()
}

// publicKey decides whether a key may log in. It only answers the
// question; who the reader is comes from the session's own key later.
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	fp := gossh.FingerprintSHA256(key)
	if limited, _ := ctx.Value(limitedKey).(bool); limited {
		return false
	}
	ok, err := s.keys.allows(key)
	if err != nil {
		s.log.Error("cannot check keys", "error", sanitize.Line(err.Error()))
	}
	if ok {
		s.log.Info("key accepted", "remote", host(ctx.RemoteAddr()), "user", sanitize.Line(ctx.User()), "key", fp)
	} else {
		s.log.Warn("key refused", "remote", host(ctx.RemoteAddr()), "user", sanitize.Line(ctx.User()), "key", fp)
	}
	return ok
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
