package store

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Order is the order a Searcher lists what it found in.
type Order int

const (
	// NewestFirst lists by date, the newest first.
	NewestFirst Order = iota
	// OldestFirst lists by date, the oldest first, as Query does.
	OldestFirst
	// BestFirst lists the best match for the text first, then the newest,
	// as Search does; without text, the newest first.
	BestFirst
)

// A Searcher runs the searches of one reader, one after another. It keeps
// its buffers from one search to the next, and what each word and phrase
// of the last searches found, so that a keystroke costs only the word it
// changed: typing "border wat" after "border wa" reads the postings of
// "wat" alone, and deleting back to "border wa" reads nothing. A phrase
// whose last word grows ("of the" after "of th") is checked only in the
// briefings that had the shorter one.
//
// A search started while another runs makes that one stop early, as stale
// (Search then reports false): only the newest query matters to a reader.
// A Searcher is safe for concurrent use, and releasing results or asking
// it to forget never waits for a search that runs. The zero value is
// ready to use.
type Searcher struct {
	latest     atomic.Uint64 // the number of the newest search asked for
	forgetting atomic.Bool   // Forget was asked for while a search ran

	freeMu sync.Mutex
	free   []*Results // results released, for their buffers

	mu      sync.Mutex // one search at a time; it guards what follows
	corpus  *Corpus    // what the results kept below are of
	words   []*wordResult
	phrases []*phraseResult
	filter  filterResult
	score   []uint32 // each position's score in the last search
	counts  []int32  // how many positions have each score; empty: too many scores
	scored  bool     // the last search had text: its scores are set
	bufs    scratch
	phrase  phraseScratch
	spare   []*wordResult // words let go, for their buffers
	alive   bitset        // the running search's positions
	cand    bitset        // where an excluded phrase may be
}

// NewSearcher gives a Searcher with nothing kept.
func NewSearcher() *Searcher { return &Searcher{} }

// How much a Searcher keeps between searches: the words and phrases of
// the last queries (each costs about n+n/8 bytes for n briefings), and
// scratch buffers up to a size.
const (
	keptWords    = 12
	keptPhrases  = 4
	keptScratch  = 1 << 20
	keptFreeList = 2
)

// wordResult is what a word of a query matches, in every briefing.
type wordResult struct {
	key string
	has bitset
	// weights gives for each position the weight of the best field above
	// the body that has the word (0: the body only, or not at all).
	weights []uint8
}

// phraseResult is where a phrase was looked for, and what was found.
type phraseResult struct {
	key     string
	checked bitset  // the positions checked so far
	class   []uint8 // for those, the best class of field with the phrase, or noPhrase
	term    queryTerm
}

// filterResult is the briefings meeting a query's conditions other than
// text.
type filterResult struct {
	valid bool
	key   filterKey
	set   bitset
}

type filterKey struct {
	official     *Official
	name, topic  string
	since, until Date
}

// Results are what a search found, in the order asked for. They stay
// valid, and unchanged, until released.
type Results struct {
	corpus *Corpus
	order  []int32 // the positions of the briefings found, in order
	owner  *Searcher
}

// Len gives the number of briefings found.
func (r *Results) Len() int {
	if r == nil {
		return 0
	}
	return len(r.order)
}

// At gives the i-th briefing found.
func (r *Results) At(i int) *Briefing { return r.corpus.briefings[r.order[i]] }

// Corpus gives the corpus searched.
func (r *Results) Corpus() *Corpus { return r.corpus }

// Index gives where the briefing with this id is among the results, or -1.
func (r *Results) Index(id string) int {
	if r == nil {
		return -1
	}
	p := r.corpus.byID.position(r.corpus.briefings, id)
	if p < 0 {
		return -1
	}
	return slices.Index(r.order, int32(p))
}

// Briefings lists the briefings found, in order, in a new slice.
func (r *Results) Briefings() []*Briefing {
	out := make([]*Briefing, r.Len())
	for i := range out {
		out[i] = r.At(i)
	}
	return out
}

// Release gives the results' memory back to the Searcher that made them,
// for its next search. They must not be used after.
func (r *Results) Release() {
	if r == nil || r.owner == nil {
		return
	}
	s := r.owner
	r.owner = nil
	s.freeMu.Lock()
	defer s.freeMu.Unlock()
	if len(s.free) < keptFreeList {
		r.order = r.order[:0]
		s.free = append(s.free, r)
	}
}

// Search finds the briefings of c that match q and that keep (when not
// nil) lets through, in the given order. It reports false, with no
// results, when a newer search was asked for meanwhile. A text query waits
// for the free-text index (see PrepareSearch).
func (s *Searcher) Search(c *Corpus, q Query, order Order, keep func(*Briefing) bool) (*Results, bool) {
	return s.Prepare(c, q, order, keep)()
}

// Prepare gives Search to run later, on any goroutine: it is asked for
// now, so that it makes the searches asked for before it stale, and a
// search asked for after it makes it stale, whichever runs first.
func (s *Searcher) Prepare(c *Corpus, q Query, order Order, keep func(*Briefing) bool) func() (*Results, bool) {
	gen := s.latest.Add(1)
	return func() (*Results, bool) { return s.run(gen, c, q, order, keep) }
}

func (s *Searcher) run(gen uint64, c *Corpus, q Query, order Order, keep func(*Briefing) bool) (*Results, bool) {
	stale := func() bool { return s.latest.Load() != gen }
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.settle()
	if stale() {
		return nil, false
	}
	alive, text, ok := s.evaluate(c, q, stale)
	s.scored = text && ok
	if !ok {
		return nil, false
	}
	if keep != nil {
		alive.each(func(p int) {
			if !keep(c.briefings[p]) {
				alive.clear(int32(p))
				if text && len(s.counts) > 0 {
					s.counts[s.score[p]]--
				}
			}
		})
	}
	r := s.results(c)
	r.corpus = c
	n := alive.count()
	r.order = slices.Grow(r.order[:0], n)[:n]
	switch {
	case order == OldestFirst:
		fillUp(alive, r.order)
	case order == BestFirst && text:
		s.rank(alive, r.order)
	default:
		fillDown(alive, r.order)
	}
	return r, true
}

// settle lets go, after a search, of what the Searcher does not keep.
func (s *Searcher) settle() {
	if s.forgetting.Swap(false) {
		s.forget()
	} else {
		s.trim()
	}
}

// Forget drops what the Searcher keeps between searches (results already
// given stay valid): for a reader that stopped typing. When a search
// runs, it is dropped once that search ends.
func (s *Searcher) Forget() {
	if !s.mu.TryLock() {
		s.forgetting.Store(true)
		return
	}
	defer s.mu.Unlock()
	s.forget()
}

func (s *Searcher) forget() {
	s.corpus = nil
	s.words, s.phrases, s.spare = nil, nil, nil
	s.freeMu.Lock()
	s.free = nil
	s.freeMu.Unlock()
	s.alive, s.cand = nil, nil
	s.filter = filterResult{}
	s.score = nil
	s.bufs = scratch{}
	s.phrase = phraseScratch{chunk: s.phrase.chunk}
}

// results gives results to fill, reusing released ones.
func (s *Searcher) results(c *Corpus) *Results {
	s.freeMu.Lock()
	defer s.freeMu.Unlock()
	if n := len(s.free); n > 0 {
		r := s.free[n-1]
		s.free = s.free[:n-1]
		r.owner = s
		return r
	}
	return &Results{corpus: c, owner: s}
}

// rank puts the positions alive into out, best first: by score, then
// newest first. Scores are small numbers: a counting sort, whose counts
// evaluate took as it scored, in one pass over the positions. Finding
// only the best few would cost as much, since it too must look at every
// score.
func (s *Searcher) rank(alive bitset, out []int32) {
	counts := s.counts
	if len(counts) == 0 { // a query of thousands of words
		fillDown(alive, out)
		slices.SortStableFunc(out, func(a, b int32) int { return cmp.Compare(s.score[b], s.score[a]) })
		return
	}
	// Where each score's positions go, best first.
	at := int32(0)
	for k := len(counts) - 1; k >= 0; k-- {
		at, counts[k] = at+counts[k], at
	}
	score := s.score
	for i := len(alive) - 1; i >= 0; i-- {
		for w := alive[i]; w != 0; {
			b := 63 - bits.LeadingZeros64(w)
			w &^= 1 << b
			p := i*64 + b
			k := score[p]
			out[counts[k]] = int32(p)
			counts[k]++
		}
	}
}

// fillUp puts the positions alive into out, in increasing order; fillDown
// in decreasing order.
func fillUp(alive bitset, out []int32) {
	at := 0
	for i, word := range alive {
		for w := word; w != 0; w &= w - 1 {
			out[at] = int32(i*64 + bits.TrailingZeros64(w))
			at++
		}
	}
}

func fillDown(alive bitset, out []int32) {
	at := 0
	for i := len(alive) - 1; i >= 0; i-- {
		for w := alive[i]; w != 0; {
			b := 63 - bits.LeadingZeros64(w)
			w &^= 1 << b
			out[at] = int32(i*64 + b)
			at++
		}
	}
}

// trim lets go of what is over the limits of what a Searcher keeps.
func (s *Searcher) trim() {
	if over := len(s.words) - keptWords; over > 0 {
		s.spare = append(s.spare[:0], s.words[:min(over, 2)]...)
		s.words = slices.Delete(s.words, 0, over)
	}
	if len(s.phrases) > keptPhrases {
		s.phrases = slices.Delete(s.phrases, 0, len(s.phrases)-keptPhrases)
	}
	if cap(s.bufs.post) > keptScratch {
		s.bufs.post = nil
	}
	if cap(s.bufs.places) > keptScratch {
		s.bufs.places = nil
	}
	for i, b := range s.bufs.words {
		if cap(b) > keptScratch {
			s.bufs.words[i] = nil
		}
	}
	if cap(s.phrase.starts) > keptScratch/4 || cap(s.phrase.fileCursors) > keptScratch/64 {
		s.phrase = phraseScratch{chunk: s.phrase.chunk}
	}
}

// evaluate gives the positions of the briefings of c matching q, and sets
// their scores when q has text (text reports it). ok is false when stale
// said to stop.
func (s *Searcher) evaluate(c *Corpus, q Query, stale func() bool) (alive bitset, text, ok bool) {
	if s.corpus != c {
		s.forget()
		s.corpus = c
	}
	n := len(c.briefings)
	s.alive = growBitset(s.alive, n)
	alive = s.alive
	copy(alive, s.filterSet(c, q))
	tq := parseTextQuery(q.Text)
	if tq.empty() || n == 0 {
		return alive, false, true
	}
	ix := c.textIndex()
	// Every word must be there: included words and the words of included
	// phrases.
	type scored struct {
		word   *wordResult
		phrase *phraseResult
		words  int
	}
	var parts []scored
	for _, t := range tq.include {
		for k := range t.words {
			w, ok := s.word(c, ix, t, k, stale)
			if !ok {
				return nil, false, false
			}
			alive.and(w.has)
			if !t.phrase {
				parts = append(parts, scored{word: w})
			}
		}
	}
	for _, t := range tq.exclude {
		if t.phrase {
			continue
		}
		w, ok := s.word(c, ix, t, 0, stale)
		if !ok {
			return nil, false, false
		}
		alive.andNot(w.has)
	}
	// Phrases are checked in what is left.
	for _, t := range tq.include {
		if !t.phrase {
			continue
		}
		ph, ok := s.checkPhrase(c, ix, t, alive, stale)
		if !ok {
			return nil, false, false
		}
		ph.keep(alive, true)
		parts = append(parts, scored{phrase: ph, words: len(t.words)})
	}
	for _, t := range tq.exclude {
		if !t.phrase {
			continue
		}
		// Only where every word of it is.
		s.cand = growBitset(s.cand, n)
		cand := s.cand
		copy(cand, alive)
		for k := range t.words {
			w, ok := s.word(c, ix, t, k, stale)
			if !ok {
				return nil, false, false
			}
			cand.and(w.has)
		}
		ph, ok := s.checkPhrase(c, ix, t, cand, stale)
		if !ok {
			return nil, false, false
		}
		ph.keep(alive, false)
	}
	// The scores of what is left.
	if cap(s.score) < n {
		s.score = make([]uint32, n)
	}
	s.score = s.score[:n]
	// The scores, and how many positions have each (for rank), when the
	// best possible score is small enough to count them.
	top := 0
	for _, part := range parts {
		if part.word != nil {
			top += int(classWeight[classTitle])
		} else {
			top += int(classWeight[classTitle]) * part.words
		}
	}
	counts := s.counts[:0]
	if top <= 1<<16 {
		counts = slices.Grow(counts, top+1)[:top+1]
		clear(counts)
	}
	s.counts = counts
	for i, word := range alive {
		for w := word; w != 0; w &= w - 1 {
			p := i*64 + bits.TrailingZeros64(w)
			score := uint32(0)
			for _, part := range parts {
				if part.word != nil {
					score += uint32(max(part.word.weights[p], classWeight[classBody]))
				} else {
					score += uint32(classWeight[part.phrase.class[p]]) * uint32(part.words)
				}
			}
			s.score[p] = score
			if len(counts) > 0 {
				counts[score]++
			}
		}
	}
	return alive, true, true
}

// growBitset gives b cleared, for n positions.
func growBitset(b bitset, n int) bitset {
	words := (n + 63) / 64
	if cap(b) < words {
		return make(bitset, words)
	}
	b = b[:words]
	clear(b)
	return b
}

// filterSet gives the positions of the briefings meeting q's conditions
// other than text (see Corpus.filterSet), kept for the next search: it
// must not be modified.
func (s *Searcher) filterSet(c *Corpus, q Query) bitset {
	key := filterKey{q.Official, q.Name, q.Topic, q.Since, q.Until}
	if !s.filter.valid || s.filter.key != key {
		s.filter = filterResult{valid: true, key: key, set: c.filterSet(q)}
	}
	return s.filter.set
}

// wordKey identifies what a word of a query matches.
func wordKey(forms []string, prefix bool) string {
	key := strings.Join(forms, "\x00")
	if prefix {
		key += "\x00*"
	}
	return key
}

// word gives what word k of the term matches, kept from an earlier search
// or found now; false when stale said to stop.
func (s *Searcher) word(c *Corpus, ix *textIndex, t queryTerm, k int, stale func() bool) (*wordResult, bool) {
	forms, prefix := t.forms(k), t.prefixAt(k)
	key := wordKey(forms, prefix)
	for i, w := range s.words {
		if w.key == key {
			s.words = append(slices.Delete(s.words, i, i+1), w) // the most recently used last
			return w, true
		}
	}
	n := len(c.briefings)
	var w *wordResult
	if k := len(s.spare); k > 0 && cap(s.spare[k-1].weights) >= n {
		w = s.spare[k-1]
		s.spare = s.spare[:k-1]
		w.has = growBitset(w.has, n)
		w.weights = w.weights[:n]
		clear(w.weights)
	} else {
		w = &wordResult{has: newBitset(n), weights: make([]uint8, n)}
	}
	w.key = key
	for _, f := range forms {
		ok, err := c.wordMatches(ix, f, prefix, w.weights, w.has, &s.bufs, stale)
		if err != nil {
			ix.readFailed(err)
		}
		if !ok {
			s.spare = append(s.spare, w)
			return nil, false
		}
	}
	s.words = append(s.words, w)
	return w, true
}

// phraseKey identifies what a phrase of a query matches.
func phraseKey(t queryTerm) string {
	var b strings.Builder
	for k := range t.words {
		b.WriteString(wordKey(t.forms(k), t.prefixAt(k)))
		b.WriteString("\x01")
	}
	return b.String()
}

// covers reports whether word k of old matches every word of the index
// that word k of t matches: the same word, or a prefix of it while typing.
func covers(old, t queryTerm, k int) bool {
	oldPrefix, prefix := old.prefixAt(k), t.prefixAt(k)
	for _, f := range t.forms(k) {
		if !slices.ContainsFunc(old.forms(k), func(g string) bool {
			if oldPrefix {
				return strings.HasPrefix(f, g)
			}
			return f == g && !prefix
		}) {
			return false
		}
	}
	return true
}

// refines reports whether every briefing with the phrase t has the phrase
// old: t is old with its last word grown as it was typed, or words added.
func refines(old, t queryTerm) bool {
	if len(t.words) < len(old.words) {
		return false
	}
	for k := range old.words {
		if !covers(old, t, k) {
			return false
		}
	}
	return true
}

// checkPhrase gives where the phrase is, checked at least in the
// positions cand; false when stale said to stop.
func (s *Searcher) checkPhrase(c *Corpus, ix *textIndex, t queryTerm, cand bitset, stale func() bool) (*phraseResult, bool) {
	n := len(c.briefings)
	key := phraseKey(t)
	var ph *phraseResult
	for i, p := range s.phrases {
		if p.key == key {
			ph = p
			s.phrases = append(slices.Delete(s.phrases, i, i+1), p)
			break
		}
	}
	if ph == nil {
		ph = &phraseResult{key: key, term: t, checked: newBitset(n), class: make([]uint8, n)}
		s.phrases = append(s.phrases, ph)
	}
	// What is left to check: where a shorter phrase this one grew from
	// was checked and not found, this one is not either.
	need := s.bufs.need(n)
	for i := range need {
		need[i] = cand[i] &^ ph.checked[i]
	}
	for _, old := range s.phrases {
		if old == ph || !refines(old.term, t) {
			continue
		}
		for i, word := range need {
			for w := word & old.checked[i]; w != 0; w &= w - 1 {
				p := i*64 + bits.TrailingZeros64(w)
				if old.class[p] == noPhrase {
					ph.class[p] = noPhrase
					ph.checked.set(int32(p))
					need.clear(int32(p))
				}
			}
		}
	}
	need.each(func(p int) { ph.class[p] = noPhrase })
	// A search stopped halfway keeps what it checked: the next one, or
	// one of a longer phrase, goes on from there.
	if !c.findPhrase(ix, t, need, ph.checked, ph.class, &s.phrase, &s.bufs, stale) {
		return nil, false
	}
	return ph, true
}

// keep clears of alive the positions without the phrase (include), or
// with it.
func (ph *phraseResult) keep(alive bitset, include bool) {
	for i, word := range alive {
		for w := word; w != 0; w &= w - 1 {
			b := bits.TrailingZeros64(w)
			p := i*64 + b
			has := ph.checked.has(int32(p)) && ph.class[p] != noPhrase
			if has != include {
				alive[i] &^= 1 << b
			}
		}
	}
}

// Cost estimates the work of searching q in c now, as the bytes of the
// free-text index the search would read: what earlier searches kept
// costs nothing. A reader can run a costly search off its event loop.
// It is 0 for a query without text, and -1 when the cost is unknown: the
// index is not ready, or a search is running.
func (s *Searcher) Cost(c *Corpus, q Query) int {
	tq := parseTextQuery(q.Text)
	if tq.empty() {
		return 0
	}
	if !c.SearchReady() || !s.mu.TryLock() {
		return -1
	}
	defer s.mu.Unlock()
	ix := c.textIndex()
	kept := func(key string, list []string) bool { return s.corpus == c && slices.Contains(list, key) }
	var words, phrases []string
	for _, w := range s.words {
		words = append(words, w.key)
	}
	for _, p := range s.phrases {
		phrases = append(phrases, p.key)
	}
	cost := 0
	for _, terms := range [][]queryTerm{tq.include, tq.exclude} {
		for _, t := range terms {
			phraseKept := t.phrase && kept(phraseKey(t), phrases)
			for k := range t.words {
				wordKept := kept(wordKey(t.forms(k), t.prefixAt(k)), words)
				for _, seg := range ix.segments {
					for _, f := range t.forms(k) {
						lo, hi := seg.find(f, t.prefixAt(k))
						if lo == hi {
							continue
						}
						if !wordKept {
							from, _ := span(seg.postEnds, lo)
							_, to := span(seg.postEnds, hi-1)
							cost += int(to - from)
						}
						if t.phrase && !phraseKept {
							from, _ := span(seg.posEnds, lo)
							_, to := span(seg.posEnds, hi-1)
							cost += int(to - from)
						}
					}
				}
			}
		}
	}
	return cost
}
