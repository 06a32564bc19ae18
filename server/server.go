package server

import (
	"bytes"
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
	"unicode/utf8"

	"github.com/brief-tools/brief/readstate"
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
	states  *readstate.Pool  // readers' states, per key; nil without --state-dir

	hashes       *readstate.Hashes // content hashes of hashedCorpus, under mu
	hashedCorpus *store.Corpus
	// forceAfter is how long a session told to stop may take (forceAfter
	// unless a test says otherwise).
	forceAfter time.Duration
	// newModel builds a session's reader (tui.New unless a test says
	// otherwise).
	newModel func(tui.Config) tea.Model

	mu     sync.Mutex
	active map[*session]struct{}
	conns  map[*guardedConn]struct{} // every connection not yet closed
	closed bool
}

// context keys for what the connection callback learns.
type ctxKey string

const (
	rawConnKey ctxKey = "brief-raw-conn"
	limitedKey ctxKey = "brief-rate-limited"
)

// renderCacheBytes bounds the renderings every session shares.
const renderCacheBytes = 64 << 20

// keysPoll is how often the authorized keys file is read again, so that a
// removed or expired key loses its connections within about this long.
const keysPoll = time.Second

// New builds a server for corpus. The host key is generated at
// cfg.HostKeyPath (mode 0600) when it does not exist.
func New(cfg Config, corpus *store.Corpus, logger *log.Logger, version string) (*Server, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = log.New(os.Stderr)
	}
	if cfg.Name != "" {
		corpus.Name = cfg.Name
	}
	s := &Server{
		cfg: cfg, corpus: corpus, log: logger, version: version,
		limiter:    newRateLimiter(cfg.RatePerMinute),
		sessions:   newSessionCounter(cfg.MaxSessions, cfg.MaxPerAddress),
		pending:    newSemaphore(cfg.MaxUnauthenticated),
		active:     map[*session]struct{}{},
		conns:      map[*guardedConn]struct{}{},
		renders:    tui.NewRenderCache(renderCacheBytes),
		forceAfter: forceAfter,
		newModel:   func(c tui.Config) tea.Model { return tui.New(c) },
	}
	if err := ensureHostKey(cfg.HostKeyPath); err != nil {
		return nil, err
	}
	if cfg.StateDir != "" {
		s.states = readstate.NewPool(cfg.StateDir, readstate.Options{})
	}
	opts := []ssh.Option{
		wish.WithAddress(cfg.Listen),
		wish.WithHostKeyPath(cfg.HostKeyPath),
		wish.WithVersion("brief"),
		wish.WithBannerHandler(s.banner),
		func(srv *ssh.Server) error {
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
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
		s.keys = &authorizedKeys{path: cfg.AuthorizedKeysPath, unusable: func(line int, err error) {
			logger.Warn("authorized keys: a line is skipped; the others still count", "file", clean(cfg.AuthorizedKeysPath), "line", line, "reason", clean(err.Error()))
		}}
		if err := s.keys.load(); err != nil {
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
	c := s.current()
	s.log.Info("serving briefings over SSH", "listen", l.Addr().String(), "corpus", clean(c.Name), "briefings", len(c.Briefings()))
	errs := make(chan error, 1)
	go func() { errs <- s.ssh.Serve(l) }()
	watching, stopWatching := context.WithCancel(ctx)
	defer stopWatching()
	if s.keys != nil {
		go s.watchKeys(watching)
	}
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
	err := s.Shutdown(stop)
	if s.states != nil {
		if e := s.states.Close(); e != nil && err == nil {
			err = fmt.Errorf("readers' states: %w", e)
		}
	}
	return err
}

// current gives the newest snapshot of the corpus served.
func (s *Server) current() *store.Corpus {
	if s.cfg.Source != nil {
		return s.cfg.Source.Current()
	}
	return s.corpus
}

// hashesFor gives the content hashes of snapshot c, shared by every
// session on it (the last snapshot's are kept).
func (s *Server) hashesFor(c *store.Corpus) *readstate.Hashes {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hashes == nil || s.hashedCorpus != c {
		s.hashes, s.hashedCorpus = readstate.NewHashes(c), c
	}
	return s.hashes
}

// stateFor opens the reading state of the reader who logged in with key
// (none for an anonymous reader, or without --state-dir), and the function
// to call when their session ends.
func (s *Server) stateFor(key gossh.PublicKey) (*readstate.Store, func(), error) {
	if s.states == nil || key == nil {
		return nil, func() {}, nil
	}
	st, release, err := s.states.Open(gossh.FingerprintSHA256(key), readstate.CorpusKey(s.cfg.Folder))
	if err != nil {
		return nil, func() {}, err
	}
	return st, func() { _ = release() }, nil
}

// watchKeys reads the authorized keys file every keysPoll and ends the
// connections of every key it no longer allows (removed, expired, or no
// longer from that address).
func (s *Server) watchKeys(ctx context.Context) {
	defer s.recoverGoroutine("authorized keys")
	tick := time.NewTicker(keysPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		s.keys.refresh()
		s.revoke(time.Now())
	}
}

// revoke ends every connection whose key may no longer log in.
func (s *Server) revoke(now time.Time) {
	s.mu.Lock()
	conns := make([]*guardedConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		keys := c.loggedInWith()
		if len(keys) == 0 {
			continue // not logged in (yet), or anonymous
		}
		still := false
		for _, k := range keys {
			if e, _ := s.keys.lookup(k, c.addr, now); e != nil {
				still = true
			}
		}
		if !still {
			s.log.Warn("key no longer authorized: closing its connection", "remote", c.addr, "key", gossh.FingerprintSHA256(keys[0]))
			s.closeConn(c, "your key is no longer authorized on this server; goodbye")
		}
	}
}

// closeConn ends a connection: its sessions are told why and stopped,
// then the connection is closed under them.
func (s *Server) closeConn(c *guardedConn, reason string) {
	s.mu.Lock()
	var sessions []*session
	for sess := range s.active {
		if sess.conn == c {
			sessions = append(sessions, sess)
		}
	}
	s.mu.Unlock()
	for _, sess := range sessions {
		sess.stop(reason)
	}
	if len(sessions) == 0 {
		_ = c.Close()
	}
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
	gc := &guardedConn{Conn: conn, addr: addr, release: s.pending.release, closed: s.forget}
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
	s.mu.Lock()
	s.conns[gc] = struct{}{}
	s.mu.Unlock()
	ctx.SetValue(rawConnKey, gc)
	s.log.Info("connection", "remote", addr)
	return gc
}

// forget drops a closed connection from the server's list.
func (s *Server) forget(c *guardedConn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// connOf gives the connection a context belongs to (nil for a connection
// that did not come through accept, in tests).
func connOf(ctx ssh.Context) *guardedConn {
	c, _ := ctx.Value(rawConnKey).(*guardedConn)
	return c
}

// guardedConn is a connection as the server tracks it. It holds the
// connection to a deadline while it has no session: before it
// authenticates, and after its last session ended (the SSH library may set
// deadlines too; while ours holds, none set through it may be later). Once
// logged in, it holds a place among the server's sessions, so that
// connections kept open between sessions count against the caps.
type guardedConn struct {
	net.Conn
	addr    string
	release func()               // gives back the place among connections logging in
	closed  func(c *guardedConn) // told once, when a connection that logged in closes

	mu       sync.Mutex
	deadline time.Time // zero while a session is open
	sessions int
	started  bool // it logged in
	isClosed bool
	offered  []gossh.PublicKey // keys the authorized keys allowed, when it logged in
	key      gossh.PublicKey   // the key it logged in with, once a session says
	refused  int               // keys refused while logging in
	first    []string          // the first refused keys' fingerprints
	user     string            // the user name it gave, for the log
	place    func()            // gives back its place among sessions
	full     string            // why it has no place, when the server is full
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

// loggedIn records that the connection logged in: it gives back its place
// among connections logging in and takes one among sessions (or notes why
// there is none).
func (c *guardedConn) loggedIn(sessions *sessionCounter, keys []gossh.PublicKey) {
	place, full := sessions.acquire(c.addr)
	c.mu.Lock()
	first := !c.started
	c.started, c.offered = true, keys
	if first {
		c.place, c.full = place, full
	} else if place != nil {
		place()
	}
	c.mu.Unlock()
	if first {
		c.release()
	}
}

// loggedInWith gives the key the connection logged in with, or while no
// session has said which, the keys it may have used.
func (c *guardedConn) loggedInWith() []gossh.PublicKey {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key != nil {
		return []gossh.PublicKey{c.key}
	}
	return c.offered
}

// sessionStarted lifts the deadline while a session is open, and gives
// the session a place among sessions: the connection's own for its first
// session at a time, another for each more.
func (c *guardedConn) sessionStarted(sessions *sessionCounter, key gossh.PublicKey) (release func(), refusal string) {
	c.mu.Lock()
	if key != nil {
		c.key = key
	}
	c.sessions++
	c.deadline = time.Time{}
	n, full, own := c.sessions, c.full, c.place != nil
	if !c.started { // a session without a login: only in tests
		c.started = true
		defer c.release()
	}
	c.mu.Unlock()
	_ = c.Conn.SetDeadline(time.Time{})
	switch {
	case full != "":
		return func() {}, full
	case n == 1 && own:
		return func() {}, ""
	}
	return sessions.acquire(c.addr)
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

// Close closes the connection, giving back its places.
func (c *guardedConn) Close() error {
	c.mu.Lock()
	first := !c.isClosed
	release := first && !c.started
	c.isClosed = true
	place := c.place
	c.place = nil
	c.mu.Unlock()
	if release {
		c.release()
	}
	if place != nil {
		place()
	}
	if first && !release && c.closed != nil { // one that never logged in is forgotten by failed
		c.closed(c)
	}
	return c.Conn.Close()
}

// failed logs a connection that never logged in, once: its user name (cut)
// and how many keys were refused.
func (s *Server) failed(conn net.Conn, err error) {
	addr := host(conn.RemoteAddr())
	var gc *guardedConn
	s.mu.Lock()
	for c := range s.conns {
		if c.Conn.RemoteAddr().String() == conn.RemoteAddr().String() {
			gc = c
			delete(s.conns, c)
		}
	}
	s.mu.Unlock()
	user, refused, keys := "", 0, ""
	if gc != nil {
		gc.mu.Lock()
		user, refused, keys = gc.user, gc.refused, strings.Join(gc.first, " ")
		gc.mu.Unlock()
	}
	s.log.Info("connection closed before login", "remote", addr, "user", user, "keys_refused", refused, "keys", keys, "reason", clean(err.Error()))
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

// matchedKeysKey keeps, in a connection's context, the keys the
// authorized keys allowed while it logged in.
type matchedKeysKey struct{}

// publicKey decides whether a key may log in. The SSH library asks it
// about every key a client offers, even one the client then does not sign
// with: it only answers the question, and counts refusals for the log.
// Who the reader is comes from the session's own key later.
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	if limited, _ := ctx.Value(limitedKey).(bool); limited {
		return false
	}
	entry, err := s.keys.lookup(key, host(ctx.RemoteAddr()), time.Now())
	if err != nil {
		s.log.Error("cannot check keys", "error", clean(err.Error()))
	}
	if entry == nil {
		if c := connOf(ctx); c != nil {
			c.mu.Lock()
			c.refused++
			if len(c.first) < 3 {
				c.first = append(c.first, gossh.FingerprintSHA256(key))
			}
			c.user = clean(ctx.User())
			c.mu.Unlock()
		}
		return false
	}
	matched, _ := ctx.Value(matchedKeysKey{}).([]gossh.PublicKey)
	if !slices.ContainsFunc(matched, func(k gossh.PublicKey) bool { return bytes.Equal(k.Marshal(), key.Marshal()) }) {
		ctx.SetValue(matchedKeysKey{}, append(slices.Clone(matched), gossh.PublicKey(key)))
	}
	return true
}

// terminalAllowed reports whether the session's key may have a terminal
// (no-pty and restrict give lookups only).
func (s *Server) terminalAllowed(ctx ssh.Context) bool {
	if s.keys == nil {
		return true
	}
	key, _ := ctx.Value(ssh.ContextKeyPublicKey).(gossh.PublicKey)
	if key == nil {
		return false
	}
	entry, _ := s.keys.lookup(key, host(ctx.RemoteAddr()), time.Now())
	return entry != nil && !entry.noPty
}

// authenticated sees the outcome of each way of logging in a client
// tried, once the SSH library has checked it (a key's signature
// included): a login is logged once, failures are counted.
func (s *Server) authenticated(ctx ssh.Context, conn gossh.ConnMetadata, method string, err error) {
	addr, user := host(conn.RemoteAddr()), clean(conn.User())
	gc := connOf(ctx)
	switch {
	case err == nil && method == "publickey":
		matched, _ := ctx.Value(matchedKeysKey{}).([]gossh.PublicKey)
		fps := make([]string, len(matched))
		for i, k := range matched {
			fps[i] = gossh.FingerprintSHA256(k)
		}
		s.log.Info("login accepted", "remote", addr, "user", user, "key", strings.Join(fps, " or "))
		if gc != nil {
			gc.loggedIn(s.sessions, matched)
		}
	case err == nil:
		s.log.Info("login accepted", "remote", addr, "user", user, "method", clean(method), "key", "anonymous")
		if gc != nil {
			gc.loggedIn(s.sessions, nil)
		}
	case gc != nil:
		gc.mu.Lock()
		gc.user = user
		if method != "none" && method != "publickey" {
			gc.refused++
		}
		gc.mu.Unlock()
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
// name, an error quoting them) fit for one log line: sanitized, and cut to
// a length that cannot flood the log, saying how long it was.
func clean(s string) string {
	const most = 64
	if len(s) <= most {
		return sanitize.Line(s)
	}
	cut := s[:most]
	for len(cut) > 0 && !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return fmt.Sprintf("%s… (%d bytes)", sanitize.Line(cut), len(s))
}
