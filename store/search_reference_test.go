package store

// The search as it was before the Searcher: a reference that the
// Searcher's answers are checked against (search_searcher_test.go).

import (
	"cmp"
	"math/bits"
	"slices"
)

// Search finds the briefings that match q, best first: by Score, then
// newest first. See Query for what q selects. A text query waits for the
// free-text index (see PrepareSearch).
func (c *Corpus) refSearch(q Query) []Hit {
	alive, score := c.refEvaluate(q)
	hits := make([]Hit, 0, alive.count())
	// Newest first, then a stable counting sort by score.
	for i := len(alive) - 1; i >= 0; i-- {
		for w := alive[i]; w != 0; {
			b := 63 - bits.LeadingZeros64(w)
			w &^= 1 << b
			p := i*64 + b
			s := 0
			if score != nil {
				s = int(score[p])
			}
			hits = append(hits, Hit{Briefing: c.briefings[p], Score: s})
		}
	}
	if score == nil {
		return hits
	}
	top := 0
	for _, h := range hits {
		top = max(top, h.Score)
	}
	if top > 1<<16 { // a query of thousands of words
		slices.SortStableFunc(hits, func(a, b Hit) int { return cmp.Compare(b.Score, a.Score) })
		return hits
	}
	start := make([]int, top+2) // where each score's hits go, best first
	for _, h := range hits {
		start[top-h.Score+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	sorted := make([]Hit, len(hits))
	for _, h := range hits {
		k := top - h.Score
		sorted[start[k]] = h
		start[k]++
	}
	return sorted
}

// refEvaluate gives the positions of the briefings matching q and, when q
// has text, their scores.
func (c *Corpus) refEvaluate(q Query) (alive bitset, score []uint32) {
	tq := parseTextQuery(q.Text)
	alive = c.filterSet(q)
	if tq.empty() || len(c.briefings) == 0 {
		return alive, nil
	}
	ix := c.textIndex()
	bufs := &scratch{}
	n := len(c.briefings)
	score = make([]uint32, n)
	weights := make([]uint8, n)
	has := newBitset(n)
	// match finds the briefings with word k of a term: has marks them,
	// weights gives the best class of field with it (0: the body only).
	match := func(t queryTerm, k int) {
		clear(weights)
		clear(has)
		for _, w := range t.forms(k) {
			if err := c.refWordMatches(ix, w, t.prefixAt(k), weights, has, bufs); err != nil {
				ix.readFailed(err)
			}
		}
	}
	var phrases []queryTerm
	for _, t := range tq.include {
		for k := range t.words {
			match(t, k)
			for i, word := range alive {
				word &= has[i]
				alive[i] = word
				if t.phrase {
					continue // scored by where the phrase is
				}
				for word != 0 {
					b := bits.TrailingZeros64(word)
					word &= word - 1
					p := i*64 + b
					score[p] += uint32(max(weights[p], classWeight[classBody]))
				}
			}
		}
		if t.phrase {
			phrases = append(phrases, t)
		}
	}
	var excluded []refExcludedPhrase
	for _, t := range tq.exclude {
		if t.phrase {
			x := refExcludedPhrase{t, slices.Clone(alive)}
			for k := range t.words {
				match(t, k)
				for i := range x.has {
					x.has[i] &= has[i]
				}
			}
			excluded = append(excluded, x)
			continue
		}
		match(t, 0)
		for i := range alive {
			alive[i] &^= has[i]
		}
	}
	for _, t := range phrases {
		found := c.refFindPhrase(ix, alive, t, bufs)
		alive.each(func(p int) {
			if class := found[p]; class != noPhrase {
				score[p] += uint32(classWeight[class]) * uint32(len(t.words))
			} else {
				alive.clear(int32(p))
			}
		})
	}
	for _, x := range excluded {
		for i := range x.has {
			x.has[i] &= alive[i]
		}
		found := c.refFindPhrase(ix, x.has, x.term, bufs)
		x.has.each(func(p int) {
			if found[p] != noPhrase {
				alive.clear(int32(p))
			}
		})
	}
	return alive, score
}

// refExcludedPhrase is a phrase a query excludes, with the briefings that
// have all its words.
type refExcludedPhrase struct {
	term queryTerm
	has  bitset
}

// refWordMatches finds the briefings that have the folded word w (or a word
// starting with it, when prefix is set): it sets has at their positions,
// and raises weights[p] to the weight of the best field above the body of
// the briefing at position p that has it. It gives the error met reading
// a saved segment (whose words then count as absent).
func (c *Corpus) refWordMatches(ix *textIndex, w string, prefix bool, weights []uint8, has bitset, bufs *scratch) error {
	n := len(weights)
	var failed error
	for _, s := range ix.segments {
		lo, hi := s.find(w, prefix)
		if lo == hi {
			continue
		}
		mem, file, base, err := s.postingsOf(lo, hi, &bufs.post)
		if err != nil {
			failed = err
			continue
		}
		if file != nil {
			addPostings(file, base, s, lo, hi, weights, has)
		} else {
			addPostings(mem, base, s, lo, hi, weights, has)
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
			has.set(int32(p))
		}
	}
	return failed
}

// refFindPhrase gives, for each position, the best class of field in which
// the briefing there has the phrase, or noPhrase; it looks only at the
// briefings alive (which have all its words), through the index's places
// and the registry's names for officials.
func (c *Corpus) refFindPhrase(ix *textIndex, alive bitset, t queryTerm, bufs *scratch) []uint8 {
	found := make([]uint8, len(c.briefings))
	for i := range found {
		found[i] = noPhrase
	}
	var candidates []int32
	alive.each(func(p int) { candidates = append(candidates, int32(p)) })
	for _, m := range c.refPhraseInPlaces(ix, candidates, t, bufs) {
		found[m.pos] = m.class
	}
	for _, o := range c.registry.Officials() {
		if !hasAllWords(o.words, t) {
			continue
		}
		for _, k := range o.keys {
			if tw := splitWords(k); tw.has(t) {
				for _, p := range c.byOfficial[o] {
					if alive.has(int32(p)) {
						found[p] = classTitle
					}
				}
				break
			}
		}
	}
	return found
}

// refPlaceMatch is a briefing that has a phrase, with the best class of
// field that has it.
type refPlaceMatch struct {
	pos   int32
	class uint8
}

// refPhraseInPlaces gives those of the briefings at the given positions
// (increasing) that have the phrase, from the index's places.
func (c *Corpus) refPhraseInPlaces(ix *textIndex, positions []int32, t queryTerm, bufs *scratch) []refPlaceMatch {
	var out []refPlaceMatch
	n := len(c.briefings)
	for _, s := range ix.segments {
		var docs, at []int32
		for _, p := range positions {
			if d := s.docOf(int(p), n); d >= 0 {
				docs = append(docs, int32(d))
				at = append(at, p)
			}
		}
		if len(docs) == 0 {
			continue
		}
		if lists, ok := refSingleTerms(s, t); ok && len(t.words) <= 16 {
			out = c.refStreamPhraseIn(ix, s, t, lists, docs, at, out, bufs)
			continue
		}
		// The places of each word in each document.
		places := make([][]uint32, len(t.words))
		ends := make([][]int, len(t.words))
		ok := true
		for k := range t.words {
			var terms []int
			for _, w := range t.forms(k) {
				lo, hi := s.find(w, t.prefixAt(k))
				for i := lo; i < hi; i++ {
					terms = append(terms, i)
				}
			}
			if len(terms) == 0 {
				ok = false
				break
			}
			var err error
			if len(terms) == 1 {
				places[k], ends[k], err = s.refPlacesOf(terms[0], docs, nil, nil, bufs)
			} else {
				places[k], ends[k], err = s.refTermsPlaces(terms, docs, bufs)
			}
			if err != nil { // an unreadable saved segment: no phrase found there
				ix.readFailed(err)
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		for d := range docs {
			if p, found := refAdjacent(places, ends, d); found {
				out = append(out, refPlaceMatch{at[d], classOfPlace(p)})
			}
		}
	}
	slices.SortFunc(out, func(a, b refPlaceMatch) int { return cmp.Compare(a.pos, b.pos) })
	return out
}

// refSingleTerms gives the word of the segment each word of the phrase is,
// when each is one word (not a prefix of several, nor two forms).
func refSingleTerms(s *segment, t queryTerm) ([]int, bool) {
	terms := make([]int, len(t.words))
	for k := range t.words {
		forms := t.forms(k)
		if len(forms) != 1 {
			return nil, false
		}
		lo, hi := s.find(forms[0], t.prefixAt(k))
		if hi-lo != 1 {
			return nil, false
		}
		terms[k] = lo
	}
	return terms, true
}

// refStreamPhraseIn is refPhraseInPlaces in one segment for words that are one
// word each: it reads their places document by document, stopping at the
// first match (see refStreamPhrase).
func (c *Corpus) refStreamPhraseIn(ix *textIndex, s *segment, t queryTerm, terms []int, docs, at []int32, out []refPlaceMatch, bufs *scratch) []refPlaceMatch {
	lists := make([]string, len(terms))
	for k, i := range terms {
		mem, file, _, err := s.postingsOf(i, i+1, &bufs.post)
		if err != nil {
			ix.readFailed(err)
			return out
		}
		if file != nil {
			mem = string(file)
		}
		_, m := splitPostings(mem)
		lists[k] = mem[m:]
	}
	for len(bufs.words) < len(terms) {
		bufs.words = append(bufs.words, nil)
	}
	found := func(d int, p uint32) { out = append(out, refPlaceMatch{at[d], classOfPlace(p)}) }
	if s.places.file == nil {
		places := make([]string, len(terms))
		for k, i := range terms {
			from, to := span(s.posEnds, i)
			places[k], _, _ = s.places.read(from, to, nil)
		}
		refStreamPhrase(lists, places, docs, found)
		return out
	}
	places := make([][]byte, len(terms))
	for k, i := range terms {
		from, to := span(s.posEnds, i)
		_, file, err := s.places.read(from, to, &bufs.words[k])
		if err != nil {
			ix.readFailed(err)
			return out
		}
		places[k] = file
	}
	refStreamPhrase(lists, places, docs, found)
	return out
}

// refTermsPlaces is bodyPlaces for several words, merged.
func (s *segment) refTermsPlaces(terms []int, docs []int32, bufs *scratch) ([]uint32, []int, error) {
	per := make([][]uint32, len(docs))
	for _, i := range terms {
		places, ends, err := s.refPlacesOf(i, docs, nil, nil, bufs)
		if err != nil {
			return nil, nil, err
		}
		from := 0
		for d, end := range ends {
			per[d] = append(per[d], places[from:end]...)
			from = end
		}
	}
	var out []uint32
	ends := make([]int, len(docs))
	for d, ps := range per {
		slices.Sort(ps)
		out = append(out, slices.Compact(ps)...)
		ends[d] = len(out)
	}
	return out, ends, nil
}

// refAdjacent reports whether, in document d, the words' places follow each
// other: a place p of the first word with p+k a place of word k. It gives
// the first such p.
func refAdjacent(places [][]uint32, ends [][]int, d int) (uint32, bool) {
	of := func(k int) []uint32 {
		from := 0
		if d > 0 {
			from = ends[k][d-1]
		}
		return places[k][from:ends[k][d]]
	}
	first := of(0)
	var restBuf [8][]uint32
	rest := restBuf[:0]
	for k := 1; k < len(places); k++ {
		list := of(k)
		if len(list) == 0 {
			return 0, false
		}
		rest = append(rest, list)
	}
next:
	for _, p := range first {
		for k, list := range rest {
			want := p + uint32(k) + 1
			j := 0
			for j < len(list) && list[j] < want {
				j++
			}
			rest[k] = list[j:] // later places of p only look further on
			if j == len(list) {
				return 0, false
			}
			if list[j] != want {
				continue next
			}
		}
		return p, true
	}
	return 0, false
}

// refPlaceCursor walks one word's documents and places in a segment, for
// checking a phrase document by document without decoding more places
// than it needs.
type refPlaceCursor[T ~string | ~[]byte] struct {
	list string // the word's list of all documents (after its meta list)
	ps   T      // its places
	li   int    // next byte of list
	bits byte   // bits of the current bitset byte not yet visited
	doc  int    // the current document, -1 before the first
	at   int    // where the current document's entry starts in ps
	// The current document's places, as they are decoded: left of them,
	// the next to read at off, and the last read.
	left, off int
	place     uint32
	begun     bool // the entry's count has been read
}

func refNewPlaceCursor[T ~string | ~[]byte](list string, ps T) *refPlaceCursor[T] {
	return &refPlaceCursor[T]{list: list, ps: ps, li: 1, doc: -1}
}

// nextDoc moves to the next document; false at the end.
func (c *refPlaceCursor[T]) nextDoc() bool {
	if c.doc >= 0 { // past the current entry
		if !c.begun {
			c.begin()
		}
		c.at = skipUvarints(c.ps, c.off, c.left)
	}
	c.begun = false
	if len(c.list) == 0 {
		return false
	}
	if c.list[0] == bodyBitset {
		for c.bits == 0 {
			if c.li >= len(c.list) {
				return false
			}
			c.bits = c.list[c.li]
			c.li++
		}
		c.doc = (c.li-2)*8 + bits.TrailingZeros8(c.bits)
		c.bits &= c.bits - 1
		return true
	}
	if c.li >= len(c.list) {
		return false
	}
	v, next := uvarint(c.list, c.li)
	c.li = next
	c.doc += int(v) + 1
	return true
}

// seek moves to document doc, or past it; it reports whether the word is
// there.
func (c *refPlaceCursor[T]) seek(doc int) bool {
	for c.doc < doc {
		if !c.nextDoc() {
			c.doc = 1 << 30
			return false
		}
	}
	return c.doc == doc
}

// begin reads the current entry's count.
func (c *refPlaceCursor[T]) begin() {
	n, off := uvarint(c.ps, c.at)
	c.left, c.off, c.begun = int(n), off, true
}

// next gives the current document's next place; false when none is left.
func (c *refPlaceCursor[T]) next() (uint32, bool) {
	if !c.begun {
		c.begin()
		if c.left == 0 {
			return 0, false
		}
		v, off := uvarint(c.ps, c.off)
		c.off, c.left, c.place = off, c.left-1, placeOfFirst(v)
		return c.place, true
	}
	if c.left == 0 || c.off >= len(c.ps) {
		return 0, false
	}
	if b := c.ps[c.off]; b < 0x80 {
		c.off++
		c.place += uint32(b) + 1
	} else {
		v, off := uvarint(c.ps, c.off)
		c.off = off
		c.place += uint32(v) + 1
	}
	c.left--
	return c.place, true
}

// refAdjacentIn reports whether, in their current document, the cursors'
// words follow each other, and the first place where they do.
func refAdjacentIn[T ~string | ~[]byte](cursors []*refPlaceCursor[T]) (uint32, bool) {
	var cur [16]uint32 // the current place of each word after the first
	var ok [16]bool
	rest := cursors[1:]
	for k, c := range rest {
		cur[k], ok[k] = c.next()
		if !ok[k] {
			return 0, false
		}
	}
next:
	for {
		p, more := cursors[0].next()
		if !more {
			return 0, false
		}
		for k, c := range rest {
			want := p + uint32(k) + 1
			for cur[k] < want {
				if cur[k], ok[k] = c.next(); !ok[k] {
					return 0, false
				}
			}
			if cur[k] != want {
				continue next
			}
		}
		return p, true
	}
}

// refStreamPhrase finds the documents (increasing) that have the words one
// after the other, each word's list and places given: for each, its
// first place. It is refPhraseInPlaces for words of one form each.
func refStreamPhrase[T ~string | ~[]byte](lists []string, places []T, docs []int32, found func(d int, place uint32)) {
	cursors := make([]*refPlaceCursor[T], len(lists))
	for k := range lists {
		cursors[k] = refNewPlaceCursor(lists[k], places[k])
	}
	for d, doc := range docs {
		all := true
		for _, c := range cursors {
			if !c.seek(int(doc)) {
				all = false
			}
		}
		if !all {
			continue
		}
		if p, ok := refAdjacentIn(cursors); ok {
			found(d, p)
		}
	}
}

// refPlacesOf gives, for each of the documents asked for (increasing), the
// places of the word i of the segment, appended to out with ends[k] where
// document k's places end.
func (s *segment) refPlacesOf(i int, docs []int32, out []uint32, ends []int, bufs *scratch) ([]uint32, []int, error) {
	mem, file, _, err := s.postingsOf(i, i+1, &bufs.post)
	if err != nil {
		return out, ends, err
	}
	if file != nil {
		mem = string(file)
	}
	_, m := splitPostings(mem)
	list := mem[m:]
	from, to := span(s.posEnds, i)
	pmem, pfile, err := s.places.read(from, to, &bufs.places)
	if err != nil {
		return out, ends, err
	}
	if pfile != nil {
		out, ends = refDecodePlaces(pfile, list, docs, out, ends)
	} else {
		out, ends = refDecodePlaces(pmem, list, docs, out, ends)
	}
	return out, ends, nil
}

// refDecodePlaces decodes a word's places (ps) in the documents asked for,
// from its list of all documents: see refPlacesOf.
func refDecodePlaces[T ~string | ~[]byte](ps T, list string, docs []int32, out []uint32, ends []int) ([]uint32, []int) {
	if out == nil {
		out = make([]uint32, 0, min(len(ps), 64*len(docs)))
	}
	if ends == nil {
		ends = make([]int, 0, len(docs))
	}
	k, at := 0, 0
	take := func(doc int) {
		count, next := uvarint(ps, at)
		for k < len(docs) && int(docs[k]) < doc {
			ends = append(ends, len(out))
			k++
		}
		if k < len(docs) && int(docs[k]) == doc {
			var v uint64
			v, next = uvarint(ps, next)
			place := placeOfFirst(v)
			out = append(out, place)
			for j := uint64(1); j < count && next < len(ps); j++ {
				if c := ps[next]; c < 0x80 { // most gaps take one byte
					next++
					place += uint32(c) + 1
				} else {
					v, next = uvarint(ps, next)
					place += uint32(v) + 1
				}
				out = append(out, place)
			}
			ends = append(ends, len(out))
			k++
			at = next
			return
		}
		at = skipUvarints(ps, next, int(count))
	}
	if len(list) > 0 && list[0] == bodyBitset {
		for b := 1; b < len(list) && k < len(docs); b++ {
			for c := list[b]; c != 0; c &= c - 1 {
				take((b-1)*8 + bits.TrailingZeros8(c))
			}
		}
	} else {
		doc := -1
		for b := 1; b < len(list) && k < len(docs); {
			var v uint64
			v, b = uvarint(list, b)
			doc += int(v) + 1
			take(doc)
		}
	}
	for ; k < len(docs); k++ {
		ends = append(ends, len(out))
	}
	return out, ends
}

// ReferenceSearch is Search as it was before the Searcher, for tests.
func ReferenceSearch(c *Corpus, q Query) []Hit { return c.refSearch(q) }

// SearcherScores gives the scores of the results of a Searcher's last
// search, in their order.
func SearcherScores(s *Searcher, r *Results) []int {
	out := make([]int, r.Len())
	for i, p := range r.order {
		if s.scored {
			out[i] = int(s.score[p])
		}
	}
	return out
}

// SearchStoppedAfter runs a search that a newer one makes stale after
// checks of it: it reports whether it ran to the end.
func SearchStoppedAfter(s *Searcher, c *Corpus, q Query, checks int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, ok := s.evaluate(c, q, func() bool {
		checks--
		return checks < 0
	})
	return ok
}

// SetPhraseChunk makes a Searcher check phrases n documents at a time, so
// that tests can stop it halfway through a segment.
func SetPhraseChunk(s *Searcher, n int) { s.phrase.chunk = n }
