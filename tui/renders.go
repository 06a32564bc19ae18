package tui

import (
	"container/list"
	"sync"

	"github.com/brief-tools/brief/render/page"
	"github.com/brief-tools/brief/store"
)

// renderKey names one rendering of a briefing: at a width, centred on a
// screen, in a theme and a colour profile. A briefing is known by its
// *Briefing, which a new snapshot keeps while its file is unchanged: a
// reload renders again only what changed.
type renderKey struct {
	b       *store.Briefing
	id      string
	width   int
	screen  int
	dark    bool
	profile int
	links   bool // with OSC 8 hyperlinks
}

// rendered is a briefing laid out, or why it could not be.
type rendered struct {
	page     page.Page
	lines    []string // page.Text split, centred
	problems []store.Problem
	err      error
}

// RenderCache keeps briefings' renderings per width, theme and colour
// profile, so that going back and forth never renders twice. One cache may
// serve many readers at once (an SSH server's sessions): renderings hold no
// state of the reader's. It holds at most a given number of bytes,
// dropping the renderings used least recently first.
type RenderCache struct {
	mu       sync.Mutex
	m        map[renderKey]*list.Element // of *cached
	order    *list.List                  // most recently used first
	bytes    int64
	maxBytes int64
	pages    map[pageKey]string
}

type cached struct {
	key   renderKey
	r     rendered
	bytes int64
}

// NewRenderCache makes a cache that holds at most maxBytes of renderings.
func NewRenderCache(maxBytes int64) *RenderCache {
	return &RenderCache{m: map[renderKey]*list.Element{}, order: list.New(), maxBytes: maxBytes}
}

func (c *RenderCache) get(k renderKey) (rendered, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok {
		return rendered{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cached).r, true
}

func (c *RenderCache) put(k renderKey, r rendered) {
	size := r.size()
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[k]; ok {
		c.bytes -= e.Value.(*cached).bytes
		c.order.Remove(e)
		delete(c.m, k)
	}
	if size > c.maxBytes {
		return // larger than the whole cache: not kept
	}
	for c.bytes+size > c.maxBytes {
		last := c.order.Back()
		old := last.Value.(*cached)
		c.order.Remove(last)
		delete(c.m, old.key)
		c.bytes -= old.bytes
	}
	c.m[k] = c.order.PushFront(&cached{key: k, r: r, bytes: size})
	c.bytes += size
}

// Bytes gives how much the cache holds, in bytes.
func (c *RenderCache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

func (c *RenderCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// size estimates the memory a rendering holds.
func (r rendered) size() int64 {
	n := int64(len(r.page.Text)) + 256
	for _, l := range r.lines {
		n += int64(len(l)) + 16
	}
	return n
}

// pageKey names a page every reader of a corpus sees alike (the problems
// page), at a width, in a theme and a colour profile.
type pageKey struct {
	corpus  *store.Corpus
	kind    string
	width   int
	dark    bool
	profile int
}

// maxPages bounds the shared pages kept: a page is built again after the
// cache is cleared, never held without bound.
const maxPages = 256

// page gives the page for k, building it once for every reader.
func (c *RenderCache) page(k pageKey, build func() string) string {
	c.mu.Lock()
	p, ok := c.pages[k]
	c.mu.Unlock()
	if ok {
		return p
	}
	p = build()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil || len(c.pages) >= maxPages {
		c.pages = map[pageKey]string{}
	}
	c.pages[k] = p
	return p
}
