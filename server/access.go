package server

import (
	"fmt"
	"net"
	"sync"
	"time"
)

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
		noun := "sessions"
		if c.perAddr == 1 {
			noun = "session"
		}
		return nil, fmt.Sprintf("your address already has %d %s open; close one first", c.perAddr, noun)
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
