package readstate

import (
	"fmt"
	"sort"
	"time"

	"github.com/brief-tools/brief/store"
)

// Adoption says what Adopt did.
type Adoption struct {
	// Moved lists the briefings that took over the state of an id no
	// longer in the corpus, their content being the same.
	Moved []Move
	// Orphans are the marks of ids not in the corpus that no briefing
	// could take over (the id and the content both changed, or the
	// briefing is gone). They stay in the file until unmarked.
	Orphans []Mark
}

// Move is one briefing that took over an old id's state.
type Move struct{ From, To string }

// groups of records that follow a briefing's content.
var adoptKinds = []kind{kindRead, kindMark, kindPos, kindSeen}

// Adopt carries the state of ids that are no longer in corpus c over to
// briefings with the same content under another id (see the package
// comment), and lists the marks left attached to nothing. hashOf gives a
// briefing's content hash (Hashes.Of); it is called only when some state
// has no briefing, and only for briefings with no state of that kind.
// The state taken over keeps its time; it is written like any change.
func (s *Store) Adopt(c *store.Corpus, hashOf func(*store.Briefing) (string, error)) (Adoption, error) {
	var out Adoption
	// Orphans by kind and content hash; settled are the (hash, time) pairs
	// that some briefing of the corpus holds already, adopted earlier.
	type key struct {
		hash string
		at   int64
	}
	orphans := map[kind]map[string]record{}
	s.mu.RLock()
	settled := map[kind]map[key]bool{}
	each := func(k kind, r record) {
		if c.ByID(r.id) != nil {
			if settled[k] == nil {
				settled[k] = map[key]bool{}
			}
			settled[k][key{r.hash, r.at}] = true
		}
	}
	group := func(r record) kind {
		switch r.kind {
		case kindUnread:
			return kindRead
		case kindUnmark:
			return kindMark
		}
		return r.kind
	}
	s.st.each(func(r record) { each(group(r), r) })
	var orphanMarks []record
	consider := func(k kind, r record) {
		if c.ByID(r.id) != nil || r.hash == noHash || settled[k][key{r.hash, r.at}] {
			return
		}
		if orphans[k] == nil {
			orphans[k] = map[string]record{}
		}
		if cur, ok := orphans[k][r.hash]; !ok || later(r, cur) {
			orphans[k][r.hash] = r
		}
	}
	s.st.each(func(r record) {
		switch r.kind {
		case kindUnread, kindUnmark:
			return
		case kindMark:
			if c.ByID(r.id) == nil && !settled[kindMark][key{r.hash, r.at}] {
				orphanMarks = append(orphanMarks, r)
			}
		}
		consider(r.kind, r)
	})
	// The briefings that could take something over: those with no state
	// of a kind that has orphans.
	var candidates []*store.Briefing
	if len(orphans) > 0 {
		for _, b := range c.Briefings() {
			_, read := s.st.read[b.ID]
			_, mark := s.st.mark[b.ID]
			_, pos := s.st.pos[b.ID]
			_, seen := s.st.seen[b.ID]
			if orphans[kindRead] != nil && !read || orphans[kindMark] != nil && !mark ||
				orphans[kindPos] != nil && !pos || orphans[kindSeen] != nil && !seen {
				candidates = append(candidates, b)
			}
		}
	}
	s.mu.RUnlock()

	// Hash them without holding the lock: it reads their bodies.
	hashes := make(map[string]string, len(candidates))
	var firstErr error
	for _, b := range candidates {
		h, err := hashOf(b)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("reading state: %w", err)
			}
			continue
		}
		hashes[b.ID] = h
	}

	s.mu.Lock()
	var adds []record
	adopted := map[string]bool{} // old mark ids taken over
	moved := map[Move]bool{}
	for _, b := range candidates {
		h, ok := hashes[b.ID]
		if !ok {
			continue
		}
		for _, k := range adoptKinds {
			old, ok := orphans[k][h]
			if !ok || s.has(k, b.ID) {
				continue
			}
			r := old
			r.id = b.ID
			adds = append(adds, r)
			moved[Move{From: old.id, To: b.ID}] = true
			if k == kindMark {
				adopted[old.id] = true
			}
		}
	}
	var err error
	if len(adds) > 0 {
		err = s.enqueue(adds...)
	}
	s.mu.Unlock()
	for m := range moved {
		out.Moved = append(out.Moved, m)
	}
	sort.Slice(out.Moved, func(i, j int) bool { return out.Moved[i].From < out.Moved[j].From })
	for _, r := range orphanMarks {
		if !adopted[r.id] {
			out.Orphans = append(out.Orphans, Mark{ID: r.id, Note: r.note, At: time.UnixMicro(r.at).UTC(), Hash: hashOut(r.hash)})
		}
	}
	sort.Slice(out.Orphans, func(i, j int) bool { return out.Orphans[i].ID < out.Orphans[j].ID })
	if err == nil {
		err = firstErr
	}
	return out, err
}

// has reports whether the state holds a record of kind k's group for id.
// Called with s.mu held.
func (s *Store) has(k kind, id string) bool {
	var ok bool
	switch k {
	case kindRead:
		_, ok = s.st.read[id]
	case kindMark:
		_, ok = s.st.mark[id]
	case kindPos:
		_, ok = s.st.pos[id]
	case kindSeen:
		_, ok = s.st.seen[id]
	}
	return ok
}
