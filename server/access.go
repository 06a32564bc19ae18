package server

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// authorizedKeys is an authorized_keys file, read again whenever it
// changes: another file put in its place, or its size or modification time.
type authorizedKeys struct {
	path string
	// unusable is told, once per reading, about lines that are not keys.
	unusable func(error)

	mu   sync.Mutex
	info os.FileInfo // of the file as last read
	keys []ssh.PublicKey
}

// allows reports whether key is in the file as it is now; err says the
// file cannot be read (and then no key is allowed).
func (a *authorizedKeys) allows(key ssh.PublicKey) (bool, error) {
	keys, err := a.current()
	if err != nil {
		return false, err
	}
	for _, k := range keys {
		if ssh.KeysEqual(k, key) {
			return true, nil
		}
	}
	return false, nil
}

// current gives the file's keys, reading it again if it changed. A file
// that cannot be read lets no one in.
func (a *authorizedKeys) current() ([]ssh.PublicKey, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	info, err := os.Stat(a.path)
	if err != nil {
		a.info = nil
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	if a.info != nil && os.SameFile(a.info, info) && info.Size() == a.info.Size() && info.ModTime().Equal(a.info.ModTime()) {
		return a.keys, nil
	}
	data, err := os.ReadFile(a.path)
	if err != nil {
		a.info = nil
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	keys, bad := parseAuthorizedKeys(data)
	if bad != nil && a.unusable != nil {
		a.unusable(bad)
	}
	a.keys, a.info = keys, info
	return a.keys, nil
}

// parseAuthorizedKeys reads an authorized_keys file, skipping blank lines
// and comments; a line that does not parse is an error naming it, while
// the keys of every other line still count.
func parseAuthorizedKeys(data []byte) ([]ssh.PublicKey, error) {
	var keys []ssh.PublicKey
	var bad []int
	for n, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, _, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			bad = append(bad, n+1)
			continue
		}
		keys = append(keys, key)
	}
	if len(bad) > 0 {
		return keys, fmt.Errorf("authorized keys: lines %v do not parse as keys", bad)
	}
	return keys, nil
}

// rateLimiter allows each address a burst of connections, refilled evenly
// over a minute.
type rateLimiter struct {
	perMinute int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
	told   time.Time // when a connection over the limit was last told why
}

// What the rate limiter says about a new connection.
type rateVerdict int

const (
	rateOK   rateVerdict = iota
	rateTell             // over the limit: tell the reader why, then refuse
	rateDrop             // over the limit and told moments ago: close at once
)

// tellEvery is how often an address over the rate limit is told why; its
// other connections meanwhile are closed at once.
const tellEvery = 5 * time.Second

func newRateLimiter(perMinute int) *rateLimiter {
	return &rateLimiter{perMinute: perMinute, buckets: map[string]*bucket{}}
}

// allow takes a token for a new connection from addr.
func (r *rateLimiter) allow(addr string, now time.Time) rateVerdict {
	if r.perMinute <= 0 {
		return rateOK
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.buckets[addr]
	if b == nil {
		b = &bucket{tokens: float64(r.perMinute), last: now}
		r.buckets[addr] = b
	}
	b.tokens = min(float64(r.perMinute), b.tokens+now.Sub(b.last).Minutes()*float64(r.perMinute))
	b.last = now
	if len(r.buckets) > 10000 { // forget full buckets, so memory stays bounded
		for a, old := range r.buckets {
			if a != addr && old.tokens+now.Sub(old.last).Minutes()*float64(r.perMinute) >= float64(r.perMinute) {
				delete(r.buckets, a)
			}
		}
	}
	if b.tokens >= 1 {
		b.tokens--
		return rateOK
	}
	if now.Sub(b.told) < tellEvery {
		return rateDrop
	}
	b.told = now
	return rateTell
}

// semaphore counts places (0: no limit).
type semaphore struct {
	max int

	mu   sync.Mutex
	used int
}

func newSemaphore(max int) *semaphore { return &semaphore{max: max} }

// acquire takes a place, if one is free.
func (s *semaphore) acquire() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.max > 0 && s.used >= s.max {
		return false
	}
	s.used++
	return true
}

func (s *semaphore) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.used--
}

// sessionCounter caps the sessions open at once, overall and per address.
type sessionCounter struct {
	max, perAddr int

	mu     sync.Mutex
	total  int
	byAddr map[string]int
}

func newSessionCounter(max, perAddr int) *sessionCounter {
	return &sessionCounter{max: max, perAddr: perAddr, byAddr: map[string]int{}}
}

// acquire takes a place for a session from addr, or says why there is
// none.
func (c *sessionCounter) acquire(addr string) (release func(), refusal string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.max > 0 && c.total >= c.max:
		return nil, fmt.Sprintf("the server is full (%d readers); try again later", c.max)
	case c.perAddr > 0 && c.byAddr[addr] >= c.perAddr:
		return nil, fmt.Sprintf("your address already has %d sessions open; close one first", c.perAddr)
	}
	c.total++
	c.byAddr[addr]++
	var once sync.Once
	return func() {
		once.Do(func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.total--
			if c.byAddr[addr]--; c.byAddr[addr] <= 0 {
				delete(c.byAddr, addr)
			}
		})
	}, ""
}

// host gives the address part of a remote address, the unit every limit
// counts by.
func host(addr net.Addr) string {
	if addr == nil {
		return ""
	}
	h, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	return h
}
