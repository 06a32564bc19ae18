package store

import (
	"cmp"
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

// each calls f with every position set, in increasing order.
func (s bitset) each(f func(p int)) {
	for i, w := range s {
		for w != 0 {
			f(i*64 + bits.TrailingZeros64(w))
			w &= w - 1
		}
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
	alive, score := c.evaluate(q)
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

// evaluate gives the positions of the briefings matching q and, when q
// has text, their scores.
func (c *Corpus) evaluate(q Query) (alive bitset, score []uint32) {
	tq := parseTextQuery(q.Text)
	alive = c.filterSet(q)
	if tq.empty() || len(c.briefings) == 0 {
		return alive, nil
	}
	ix := c.textIndex()
	bufs := ix.scratch()
	defer ix.buffers.Put(bufs)
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
			if err := c.wordMatches(ix, w, t.prefixAt(k), weights, has, bufs); err != nil {
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
	var excluded []excludedPhrase
	for _, t := range tq.exclude {
		if t.phrase {
			x := excludedPhrase{t, slices.Clone(alive)}
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
		found := c.findPhrase(ix, alive, t, bufs)
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
		found := c.findPhrase(ix, x.has, x.term, bufs)
		x.has.each(func(p int) {
			if found[p] != noPhrase {
				alive.clear(int32(p))
			}
		})
	}
	return alive, score
}

// excludedPhrase is a phrase a query excludes, with the briefings that
// have all its words.
type excludedPhrase struct {
	term queryTerm
	has  bitset
}

// filterSet gives the positions of the briefings meeting q's conditions
// other than text: the lists of the corpus' indexes intersected, then the
// dates checked.
func (c *Corpus) filterSet(q Query) bitset {
	n := len(c.briefings)
	s := newBitset(n)
	lo, hi := c.dateBounds(q.Since, q.Until)
	for p := lo; p < hi; p++ {
		s.set(int32(p))
	}
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
// a saved segment (whose words then count as absent).
func (c *Corpus) wordMatches(ix *textIndex, w string, prefix bool, weights []uint8, has bitset, bufs *scratch) error {
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
			has.set(p)
		}
	}
	return failed
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

// findPhrase gives, for each position, the best class of field in which
// the briefing there has the phrase, or noPhrase; it looks only at the
// briefings alive (which have all its words), through the index's places
// and the registry's names for officials.
func (c *Corpus) findPhrase(ix *textIndex, alive bitset, t queryTerm, bufs *scratch) []uint8 {
	found := make([]uint8, len(c.briefings))
	for i := range found {
		found[i] = noPhrase
	}
	var candidates []int32
	alive.each(func(p int) { candidates = append(candidates, int32(p)) })
	for _, m := range c.phraseInPlaces(ix, candidates, t, bufs) {
		found[m.pos] = m.class
	}
	for _, o := range c.registry.Officials() {
		if !hasAllWords(o.words, t) {
			continue
		}
		for _, k := range o.keys {
			if tw := splitWords(k); tw.has(t) {
				for _, p := range c.byOfficial[o] {
					if alive.has(p) {
						found[p] = classTitle
					}
				}
				break
			}
		}
	}
	return found
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

// placeMatch is a briefing that has a phrase, with the best class of
// field that has it.
type placeMatch struct {
	pos   int32
	class uint8
}

// phraseInPlaces gives those of the briefings at the given positions
// (increasing) that have the phrase, from the index's places.
func (c *Corpus) phraseInPlaces(ix *textIndex, positions []int32, t queryTerm, bufs *scratch) []placeMatch {
	var out []placeMatch
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
		if lists, ok := singleTerms(s, t); ok && len(t.words) <= 16 {
			out = c.streamPhraseIn(ix, s, t, lists, docs, at, out, bufs)
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
				places[k], ends[k], err = s.placesOf(terms[0], docs, nil, nil, bufs)
			} else {
				places[k], ends[k], err = s.termsPlaces(terms, docs, bufs)
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
			if p, found := adjacent(places, ends, d); found {
				out = append(out, placeMatch{at[d], classOfPlace(p)})
			}
		}
	}
	slices.SortFunc(out, func(a, b placeMatch) int { return cmp.Compare(a.pos, b.pos) })
	return out
}

// singleTerms gives the word of the segment each word of the phrase is,
// when each is one word (not a prefix of several, nor two forms).
func singleTerms(s *segment, t queryTerm) ([]int, bool) {
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

// streamPhraseIn is phraseInPlaces in one segment for words that are one
// word each: it reads their places document by document, stopping at the
// first match (see streamPhrase).
func (c *Corpus) streamPhraseIn(ix *textIndex, s *segment, t queryTerm, terms []int, docs, at []int32, out []placeMatch, bufs *scratch) []placeMatch {
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
	found := func(d int, p uint32) { out = append(out, placeMatch{at[d], classOfPlace(p)}) }
	if s.places.file == nil {
		places := make([]string, len(terms))
		for k, i := range terms {
			from, to := span(s.posEnds, i)
			places[k], _, _ = s.places.read(from, to, nil)
		}
		streamPhrase(lists, places, docs, found)
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
	streamPhrase(lists, places, docs, found)
	return out
}

// termsPlaces is bodyPlaces for several words, merged.
func (s *segment) termsPlaces(terms []int, docs []int32, bufs *scratch) ([]uint32, []int, error) {
	per := make([][]uint32, len(docs))
	for _, i := range terms {
		places, ends, err := s.placesOf(i, docs, nil, nil, bufs)
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

// adjacent reports whether, in document d, the words' places follow each
// other: a place p of the first word with p+k a place of word k. It gives
// the first such p.
func adjacent(places [][]uint32, ends [][]int, d int) (uint32, bool) {
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
