package store

import (
	"math/bits"
	"slices"
	"strings"
)

// bitset marks briefings by position.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (s bitset) set(i int32)      { s[i/64] |= 1 << (uint(i) % 64) }
func (s bitset) clear(i int32)    { s[i/64] &^= 1 << (uint(i) % 64) }
func (s bitset) has(i int32) bool { return s[i/64]&(1<<(uint(i)%64)) != 0 }

// setRange sets the positions from lo to hi (not included).
func (s bitset) setRange(lo, hi int) {
	for p := lo; p < hi; {
		if p%64 == 0 && hi-p >= 64 {
			s[p/64] = ^uint64(0)
			p += 64
			continue
		}
		s.set(int32(p))
		p++
	}
}

// each calls f with every position set, in increasing order.
func (s bitset) each(f func(p int)) {
	for i, w := range s {
		for w != 0 {
			f(i*64 + bits.TrailingZeros64(w))
			w &= w - 1
		}
	}
}

// and keeps the positions also in t; andNot those not in t.
func (s bitset) and(t bitset) {
	for i := range s {
		s[i] &= t[i]
	}
}

func (s bitset) andNot(t bitset) {
	for i := range s {
		s[i] &^= t[i]
	}
}

// count gives the number of positions set.
func (s bitset) count() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// Hit is a briefing a search found, with its rank.
type Hit struct {
	Briefing *Briefing
	// Score ranks the hit, higher first: for each word or phrase of the
	// query, the weight of the best field that has it (title or officials
	// 8, summary 4, figures, topics, place and the other fields 2, body
	// 1; a phrase counts once per word), added up. 0 without text.
	Score int
}

// Search finds the briefings that match q, best first: by Score, then
// newest first. See Query for what q selects. A text query waits for the
// free-text index (see PrepareSearch).
func (c *Corpus) Search(q Query) []Hit {
	s := NewSearcher()
	r, _ := s.Search(c, q, BestFirst, nil)
	hits := make([]Hit, r.Len())
	for i, p := range r.order {
		hits[i].Briefing = c.briefings[p]
		if s.scored {
			hits[i].Score = int(s.score[p])
		}
	}
	return hits
}

// filterSet gives the positions of the briefings meeting q's conditions
// other than text: the lists of the corpus' indexes intersected, then the
// dates checked.
func (c *Corpus) filterSet(q Query) bitset {
	n := len(c.briefings)
	s := newBitset(n)
	lo, hi := c.dateBounds(q.Since, q.Until)
	s.setRange(lo, hi)
	only := func(list []int32) {
		keep := newBitset(n)
		for _, p := range list {
			keep.set(p)
		}
		for i := range s {
			s[i] &= keep[i]
		}
	}
	if q.Official != nil {
		only(c.byOfficial[q.Official])
	} else if q.Name != "" {
		only(c.byName[Fold(q.Name)])
	}
	if q.Topic != "" {
		only(c.byTopic[Fold(q.Topic)])
	}
	if !q.Since.IsZero() || !q.Until.IsZero() {
		s.each(func(p int) {
			if !c.briefings[p].Date.Overlaps(q.Since, q.Until) {
				s.clear(int32(p))
			}
		})
	}
	return s
}

// wordMatches finds the briefings that have the folded word w (or a word
// starting with it, when prefix is set): it sets has at their positions,
// and raises weights[p] to the weight of the best field above the body of
// the briefing at position p that has it. It gives the error met reading
// a saved segment (whose words then count as absent), and false when
// stale said to stop (has and weights are then incomplete).
func (c *Corpus) wordMatches(ix *textIndex, w string, prefix bool, weights []uint8, has bitset, bufs *scratch, stale func() bool) (ok bool, failed error) {
	n := len(weights)
	for _, s := range ix.segments {
		lo, hi := s.find(w, prefix)
		// Many words start with a short prefix: their postings are read a
		// batch at a time, and a newer search may stop it between two.
		for lo < hi {
			if stale() {
				return false, failed
			}
			end := s.postingsBatch(lo, hi)
			mem, file, base, err := s.postingsOf(lo, end, &bufs.post)
			if err != nil {
				failed = err
				break
			}
			if file != nil {
				addPostings(file, base, s, lo, end, weights, has)
			} else {
				addPostings(mem, base, s, lo, end, weights, has)
			}
			lo = end
		}
	}
	// The bitset's last word may have bits past n from a damaged list.
	if n%64 != 0 && len(has) > 0 {
		has[len(has)-1] &= 1<<(n%64) - 1
	}
	// The registry's names for the officials: "Shavkat" finds a briefing
	// that names only "mirziyoyev".
	top := classWeight[classTitle]
	for _, o := range c.registry.Officials() {
		if !hasWholeWord(o.words, w, prefix) {
			continue
		}
		for _, p := range c.byOfficial[o] {
			weights[p] = top
			has.set(p)
		}
	}
	return true, failed
}

// postingsBatchBytes is how many bytes of postings a query reads at once.
const postingsBatchBytes = 256 << 10

// postingsBatch gives the end of the batch of words from lo (before hi)
// whose postings are read together: at least one word, and no more than
// postingsBatchBytes unless that one word has more.
func (s *segment) postingsBatch(lo, hi int) int {
	base, _ := span(s.postEnds, lo)
	end := lo + searchInts(hi-lo, func(i int) bool { return le32(s.postEnds, lo+i)-base > postingsBatchBytes })
	return max(end, lo+1)
}

// addPostings adds the postings of the words lo to hi of a segment, read
// into buf from offset base: see wordMatches.
func addPostings[T ~string | ~[]byte](buf T, base uint32, s *segment, lo, hi int, weights []uint8, has bitset) {
	n := len(weights)
	for t := lo; t < hi; t++ {
		from, to := span(s.postEnds, t)
		p := buf[from-base : to-base]
		m0, m1 := splitPostings(p)
		doc := -1
		for i := m0; i < m1; {
			var v uint64
			v, i = uvarint(p, i)
			doc += int(v>>2) + 1
			at := doc
			if s.pos != nil {
				if doc >= len(s.pos) {
					break
				}
				at = int(s.pos[doc])
			}
			if at >= 0 && at < n {
				weights[at] = max(weights[at], classWeight[v&3])
			}
		}
		list := p[m1:]
		if len(list) == 0 {
			continue
		}
		if list[0] == bodyBitset {
			if s.pos == nil {
				// Documents are positions: OR the bytes in.
				for i := 1; i < len(list) && (i-1)/8 < len(has); i++ {
					has[(i-1)/8] |= uint64(list[i]) << (8 * ((i - 1) % 8))
				}
				continue
			}
			for i := 1; i < len(list); i++ {
				for c := list[i]; c != 0; c &= c - 1 {
					doc := (i-1)*8 + bits.TrailingZeros8(c)
					if doc >= len(s.pos) {
						break
					}
					if at := int(s.pos[doc]); at >= 0 && at < n {
						has.set(int32(at))
					}
				}
			}
			continue
		}
		doc = -1
		for i := 1; i < len(list); {
			var v uint64
			v, i = uvarint(list, i)
			doc += int(v) + 1
			at := doc
			if s.pos != nil {
				if doc >= len(s.pos) {
					break
				}
				at = int(s.pos[doc])
			}
			if at >= 0 && at < n {
				has[at/64] |= 1 << (at % 64)
			}
		}
	}
}

// findPhrase looks for the phrase in the briefings at the positions
// need: it sets class[p] to the best class of field in which the one at p
// has it (class[p] must be noPhrase before), through the registry's names
// for officials and the index's places, and marks p in checked once that
// is known. It gives false when stale said to stop: what it checked until
// then is marked.
func (c *Corpus) findPhrase(ix *textIndex, t queryTerm, need, checked bitset, class []uint8, sc *phraseScratch, bufs *scratch, stale func() bool) bool {
	n := len(c.briefings)
	for _, o := range c.registry.Officials() {
		if !hasAllWords(o.words, t) {
			continue
		}
		for _, k := range o.keys {
			if tw := splitWords(k); tw.has(t) {
				for _, p := range c.byOfficial[o] {
					if need.has(p) {
						class[p] = classTitle
					}
				}
				break
			}
		}
	}
	for _, s := range ix.segments {
		docs, at := bufs.docs[:0], bufs.at[:0]
		need.each(func(p int) {
			if d := s.docOf(p, n); d >= 0 {
				docs = append(docs, int32(d))
				at = append(at, int32(p))
			}
		})
		bufs.docs, bufs.at = docs, at
		if len(docs) == 0 {
			continue
		}
		found := func(i int, cl uint8) {
			p := at[i]
			class[p] = min(class[p], cl)
		}
		marked := 0
		done := func(k int) {
			for ; marked < k; marked++ {
				checked.set(at[marked])
			}
		}
		ok, err := s.findPhrase(t, docs, found, done, sc, bufs, stale)
		if err != nil { // an unreadable saved segment: no phrase found there
			ix.readFailed(err)
			done(len(docs))
		}
		if !ok {
			return false
		}
	}
	// Positions no segment has are checked: by the registry alone.
	for i := range need {
		checked[i] |= need[i]
	}
	return true
}

// noPhrase marks, in findPhrase's answer, a briefing without the phrase.
const noPhrase = 0xff

// hasAllWords reports whether the folded text s holds every word of the
// term somewhere, in one of its forms: a quick test before matching it.
func hasAllWords(s string, t queryTerm) bool {
	for k := range t.words {
		if !slices.ContainsFunc(t.forms(k), func(w string) bool { return strings.Contains(s, w) }) {
			return false
		}
	}
	return true
}

// wordRange is the words of a segment a word of a phrase matches: lo to
// hi, for the word at offset in the phrase.
type wordRange struct{ word, lo, hi int }

// findPhrase is Corpus.findPhrase in one segment, for its documents docs
// (increasing): found gets the index in docs of each that has the phrase,
// and the class of field of its first match. It gives the error met
// reading the segment's file.
func (s *segment) findPhrase(t queryTerm, docs []int32, found func(i int, class uint8), done func(k int), sc *phraseScratch, bufs *scratch, stale func() bool) (bool, error) {
	var ranges []wordRange
	for k := range t.words {
		has := false
		for _, f := range t.forms(k) {
			if lo, hi := s.find(f, t.prefixAt(k)); lo < hi {
				ranges = append(ranges, wordRange{k, lo, hi})
				has = true
			}
		}
		if !has {
			done(len(docs))
			return true, nil // a word the segment does not have
		}
	}
	if s.post.file == nil {
		words, err := phraseWords(t, ranges, func(r wordRange) (string, uint32, string, uint32, error) {
			post, _, base, err := s.postingsOf(r.lo, r.hi, nil)
			if err != nil {
				return "", 0, "", 0, err
			}
			pbase, _ := span(s.posEnds, r.lo)
			_, pend := span(s.posEnds, r.hi-1)
			places, _, err := s.places.read(pbase, pend, nil)
			return post, base, places, pbase, err
		}, s, &sc.memCursors)
		if err != nil {
			return true, err
		}
		return checkPhrase(words, docs, found, done, sc, stale), nil
	}
	next := 0
	words, err := phraseWords(t, ranges, func(r wordRange) ([]byte, uint32, []byte, uint32, error) {
		for len(bufs.words) < next+2 {
			bufs.words = append(bufs.words, nil)
		}
		_, post, base, err := s.postingsOf(r.lo, r.hi, &bufs.words[next])
		if err != nil {
			return nil, 0, nil, 0, err
		}
		pbase, _ := span(s.posEnds, r.lo)
		_, pend := span(s.posEnds, r.hi-1)
		_, places, err := s.places.read(pbase, pend, &bufs.words[next+1])
		next += 2
		return post, base, places, pbase, err
	}, s, &sc.fileCursors)
	if err != nil {
		return true, err
	}
	return checkPhrase(words, docs, found, done, sc, stale), nil
}

// phraseWords makes the cursors of each word of the phrase over the words
// of the segment it matches (ranges, in the order of the phrase's words),
// with read giving a range's postings and places and the offsets they
// start at.
func phraseWords[T ~string | ~[]byte](t queryTerm, ranges []wordRange, read func(wordRange) (T, uint32, T, uint32, error), s *segment, pool *[]placeCursor[T]) ([]phraseWord[T], error) {
	total := 0
	for _, r := range ranges {
		total += r.hi - r.lo
	}
	cursors := slices.Grow((*pool)[:0], total)[:total]
	*pool = cursors
	words := make([]phraseWord[T], len(t.words))
	starts := make([]int, len(t.words))
	for k := range words {
		words[k].offset = k
		starts[k] = -1
	}
	at := 0
	for _, r := range ranges {
		post, base, places, pbase, err := read(r)
		if err != nil {
			return nil, err
		}
		w := &words[r.word]
		if starts[r.word] < 0 {
			starts[r.word] = at
		}
		for i := r.lo; i < r.hi; i++ {
			pf, pt := span(s.postEnds, i)
			lf, lt := span(s.posEnds, i)
			if pf < base || pt-base > uint32(len(post)) || pf > pt || lf < pbase || lt-pbase > uint32(len(places)) || lf > lt {
				return nil, errCorrupt
			}
			p := post[pf-base : pt-base]
			_, m := splitPostings(p)
			cursors[at].reset(p[m:], places[lf-pbase:lt-pbase])
			at++
			w.bytes += int(lt - lf)
		}
		w.cursors = cursors[starts[r.word]:at]
	}
	// The words of the index with the most places first: they settle the
	// most documents, which the others then skip.
	for k := range words {
		slices.SortStableFunc(words[k].cursors, func(a, b placeCursor[T]) int { return len(b.ps) - len(a.ps) })
	}
	return words, nil
}

// otherFields lists a briefing's fields of classOther.
func otherFields(b *Briefing) []string {
	fields := []string{b.ID, b.Kind, b.Location}
	fields = append(fields, b.Countries...)
	fields = append(fields, b.Topics...)
	for _, f := range b.Figures() {
		fields = append(fields, f.Label, f.Value, f.Note)
	}
	for _, s := range b.Sources() {
		fields = append(fields, s.Outlet, s.Title)
	}
	return fields
}
