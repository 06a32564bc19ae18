package tui

import (
	"sync"
	"time"

	"github.com/brief-tools/brief/readstate"
	"github.com/brief-tools/brief/store"
	tea "github.com/charmbracelet/bubbletea"
)

// readingState is the reader's own state (what they read, where they
// stopped, what they marked) as the views see it. It needs each briefing's
// content hash, worked out in the background for each corpus: until then
// the views show no read or new marks, and nothing waits for it.
type readingState struct {
	open   func() (*readstate.Store, error)
	hashes func(*store.Corpus) *readstate.Hashes

	// Worked out in the background: the store is opened (its file read)
	// there, once, and the visit begun.
	once    sync.Once
	opened  *readstate.Store
	openErr error
	since   time.Time // this visit's start: what was first seen later is new

	// Kept by the event loop, from stateReadyMsg.
	store  *readstate.Store  // nil until ready
	corpus *store.Corpus     // the corpus hash is for
	hash   map[string]string // id → content hash; nil until worked out
	unread int
}

// stateReadyMsg brings the state and the content hashes of a corpus.
type stateReadyMsg struct {
	store  *readstate.Store
	corpus *store.Corpus
	hash   map[string]string
	since  time.Time
	unread int
	err    error
}

// stateMsg says the reader's state changed: views draw their marks again.
type stateMsg struct{}

// prepare works out, off the event loop, what the state needs for corpus
// c: the hashes, the state of briefings whose id changed, this visit, and
// the first sight of every briefing (what "new" counts from).
func (r *readingState) prepare(c *store.Corpus) tea.Cmd {
	return func() tea.Msg {
		r.once.Do(func() {
			r.opened, r.openErr = r.open()
			if r.openErr == nil {
				if v, err := r.opened.BeginVisit(); err == nil {
					r.since = v.Start
				}
			}
		})
		if r.openErr != nil {
			return stateReadyMsg{err: r.openErr}
		}
		st := r.opened
		hs := r.hashes(c)
		all, _ := hs.All()
		_, _ = st.Adopt(c, hs.Of)
		_ = st.SeeAll(all)
		_ = hs.Save()
		unread := 0
		for _, b := range c.Briefings() {
			if !st.Status(b.ID, all[b.ID], r.since).Read {
				unread++
			}
		}
		return stateReadyMsg{store: st, corpus: c, hash: all, since: r.since, unread: unread}
	}
}

// take keeps what prepare worked out, if it is for the corpus shown.
func (r *readingState) take(msg stateReadyMsg, shown *store.Corpus) bool {
	if msg.err != nil || msg.corpus != shown {
		return false
	}
	r.store, r.corpus, r.hash, r.since, r.unread = msg.store, msg.corpus, msg.hash, msg.since, msg.unread
	return true
}

// ready reports whether the state can answer for the corpus shown.
func (r *readingState) ready(c *store.Corpus) bool {
	return r != nil && r.store != nil && r.hash != nil && r.corpus == c
}

// status gives what the state says of b (the zero Status until ready).
func (r *readingState) status(c *store.Corpus, b *store.Briefing) readstate.Status {
	if !r.ready(c) {
		return readstate.Status{}
	}
	return r.store.Status(b.ID, r.hash[b.ID], r.since)
}

// read records that b was opened.
func (r *readingState) read(c *store.Corpus, b *store.Briefing) {
	if !r.ready(c) {
		return
	}
	if !r.store.Status(b.ID, r.hash[b.ID], r.since).Read {
		r.unread--
	}
	_ = r.store.MarkRead(b.ID, r.hash[b.ID])
}

// statusOf gives a function that tells the state of a briefing of c as it
// is now: safe to call off the event loop, whatever changes meanwhile.
func (r *readingState) statusOf(c *store.Corpus) func(*store.Briefing) readstate.Status {
	if !r.ready(c) {
		return func(*store.Briefing) readstate.Status { return readstate.Status{} }
	}
	st, hash, since := r.store, r.hash, r.since
	return func(b *store.Briefing) readstate.Status { return st.Status(b.ID, hash[b.ID], since) }
}
