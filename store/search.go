package store

import (
	"cmp"
	"fmt"
	"io"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// search holds the free-text index, built once on demand.
type search struct {
	once  sync.Once
	index atomic.Pointer[textIndex]
}

// textIndex is the corpus' free-text index: segments whose live documents
// cover every briefing once.
type textIndex struct {
	segments []*segment
	n        int       // briefings
	unread   []Problem // bodies that could not be read: indexed without them
	saveErr  error     // why the index could not be saved in the cache, if it could not
}

// size gives the bytes the index holds.
func (ix *textIndex) size() int {
	n := 0
	for _, s := range ix.segments {
		n += s.size()
	}
	return n
}

// PrepareSearch makes the free-text index ready: it reads it from the
// index cache, indexes the bodies of the briefings the cache does not
// know (all of them the first time), and saves what changed. It runs
// once per corpus; a text query made before it has run waits for it. The
// reader calls it in the background after its first frame. It is safe to
// call from several goroutines.
func (c *Corpus) PrepareSearch() { c.textIndex() }

// SearchReady reports whether the free-text index is ready, so that a
// text query will not wait.
func (c *Corpus) SearchReady() bool { return c.search.index.Load() != nil }

// SearchProblems lists the briefings whose body could not be read for the
// free-text index (they are found by their other fields only). It waits
// for the index.
func (c *Corpus) SearchProblems() []Problem { return c.textIndex().unread }

func (c *Corpus) textIndex() *textIndex {
	c.search.once.Do(func() { c.search.index.Store(c.openTextIndex()) })
	return c.search.index.Load()
}

// openTextIndex reads the index from the cache, brings it up to date and
// saves it again when it changed.
func (c *Corpus) openTextIndex() *textIndex {
	ix := &textIndex{n: len(c.briefings)}
	if c.textCachePath != "" {
		ix.segments = readTextCache(c.textCachePath, c.stamp)
	}
	covered := newBitset(ix.n)
	dead := 0
	var byPath map[string]int32
	kept := ix.segments[:0]
	for _, s := range ix.segments {
		if live := c.mapDocs(s, covered, &byPath); live > 0 {
			kept = append(kept, s)
			dead += s.ndocs - live
		}
	}
	changed := len(kept) != len(ix.segments)
	ix.segments = kept
	var missing []int32
	for i := range ix.n {
		if !covered.has(int32(i)) {
			missing = append(missing, int32(i))
		}
	}
	if len(missing) > 0 {
		s, unread := c.indexBriefings(missing)
		ix.segments = append(ix.segments, s)
		ix.unread = unread
		changed = true
	}
	// Merge when the segments are many, or much of them is stale.
	if len(ix.segments) > 4 || (len(ix.segments) > 1 || dead > 0) && dead > ix.n/4 {
		ix.segments = []*segment{mergeSegments(ix.segments, ix.n, c.encodeDocs(nil, ix.unread))}
		changed = true
	}
	if changed && c.textCachePath != "" {
		ix.saveErr = writeTextCache(c.textCachePath, c.stamp, ix.segments)
	}
	return ix
}

// mapDocs finds the corpus position of each document of a segment read
// from the cache, marking as covered the positions whose file has not
// changed since; it gives the number of such live documents.
func (c *Corpus) mapDocs(s *segment, covered bitset, byPath *map[string]int32) (live int) {
	docs := decodeDocs(s.docs)
	if docs == nil || len(docs) != s.ndocs {
		s.pos = make([]int32, s.ndocs)
		for i := range s.pos {
			s.pos[i] = -1
		}
		return 0
	}
	// Most often nothing changed: document i is briefing i.
	if len(docs) == len(c.briefings) {
		same := true
		for i, d := range docs {
			if b := c.briefings[i]; d.path != b.Path || d.size != b.size || d.modTime != b.modTime || covered.has(int32(i)) {
				same = false
				break
			}
		}
		if same {
			s.pos = nil
			for i := range docs {
				covered.set(int32(i))
			}
			return len(docs)
		}
	}
	if *byPath == nil {
		*byPath = make(map[string]int32, len(c.briefings))
		for i, b := range c.briefings {
			(*byPath)[b.Path] = int32(i)
		}
	}
	s.pos = make([]int32, len(docs))
	last := int32(-1)
	for i, d := range docs {
		s.pos[i] = -1
		p, ok := (*byPath)[d.path]
		if !ok {
			continue
		}
		if b := c.briefings[p]; d.size != b.size || d.modTime != b.modTime || d.size < 0 || covered.has(p) {
			continue
		}
		if p < last { // out of order: the segment cannot be trusted
			for j := range s.pos {
				if s.pos[j] >= 0 {
					covered.clear(s.pos[j])
				}
				s.pos[j] = -1
			}
			return 0
		}
		s.pos[i], last = p, p
		covered.set(p)
		live++
	}
	return live
}

// indexBriefings indexes the briefings at the given positions (in
// increasing order), on every core, into one segment.
func (c *Corpus) indexBriefings(positions []int32) (*segment, []Problem) {
	workers := max(1, min(runtime.GOMAXPROCS(0), len(positions)/256))
	parts := make([]*segment, workers)
	unread := make([][]Problem, workers)
	var wg sync.WaitGroup
	for w := range workers {
		from, to := w*len(positions)/workers, (w+1)*len(positions)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			bd := newSegmentBuilder()
			var buf []byte
			for doc := from; doc < to; doc++ {
				b := c.briefings[positions[doc]]
				bd.briefing(int32(doc), b)
				var text string
				var err error
				text, buf, err = c.bodyText(b, buf)
				if err != nil {
					unread[w] = append(unread[w], Problem{Path: b.Path, Severity: Warning,
						Message: fmt.Sprintf("cannot read the body for search: %v; the briefing is found by its other fields only", err)})
				}
				bd.body(int32(doc), text)
			}
			bd.ndocs = len(positions)
			parts[w] = bd.finish("")
		}()
	}
	wg.Wait()
	var problems []Problem
	for _, ps := range unread {
		problems = append(problems, ps...)
	}
	s := parts[0]
	if workers > 1 {
		s = mergeSegments(parts, len(positions), "")
	}
	if len(positions) < len(c.briefings) {
		s.pos = positions
	}
	s.docs = c.encodeDocs(positions, problems)
	return s, problems
}

// briefing indexes a briefing's fields as document doc.
func (bd *segmentBuilder) briefing(doc int32, b *Briefing) {
	bd.field(doc, classTitle, b.Title)
	for _, o := range b.Officials {
		bd.field(doc, classTitle, o.Name)
	}
	bd.field(doc, classSummary, b.Summary)
	for _, s := range [...]string{b.ID, b.Kind, b.Location} {
		bd.field(doc, classOther, s)
	}
	for _, s := range b.Countries {
		bd.field(doc, classOther, s)
	}
	for _, s := range b.Topics {
		bd.field(doc, classOther, s)
	}
	for _, f := range b.Figures {
		bd.field(doc, classOther, f.Label)
		bd.field(doc, classOther, f.Value)
		bd.field(doc, classOther, f.Note)
	}
	for _, s := range b.Sources {
		bd.field(doc, classOther, s.Outlet)
		bd.field(doc, classOther, s.Title)
	}
}

// bodyText reads a briefing's body as plain text for search; buf is
// scratch space, returned for reuse.
func (c *Corpus) bodyText(b *Briefing, buf []byte) (string, []byte, error) {
	f, err := c.fsys.Open(b.Path)
	if err != nil {
		return "", buf, unwrapPathError(err)
	}
	defer f.Close()
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", buf, unwrapPathError(err)
		}
		if len(buf) > MaxFileSize {
			return "", buf, fmt.Errorf("file is over the %d MiB limit for a briefing", MaxFileSize>>20)
		}
	}
	fm, _, line, err := findFrontmatter(buf, true)
	if err != nil {
		return "", buf, fmt.Errorf("line %d: %w", line, err)
	}
	return plainText(string(normalizeNewlines(buf[fm.bodyOffset:]))), buf, nil
}

// docInfo is what a segment knows of a document's file.
type docInfo struct {
	path          string
	size, modTime int64
}

// encodeDocs encodes the documents of a segment: the briefings at the
// given positions (nil: all). A document whose body could not be read is
// given size -1, so that it is never taken as up to date.
func (c *Corpus) encodeDocs(positions []int32, unread []Problem) string {
	bad := map[string]bool{}
	for _, p := range unread {
		bad[p.Path] = true
	}
	var e encoder
	add := func(b *Briefing) {
		e.str(b.Path)
		if bad[b.Path] || b.size <= 0 { // unknown: never taken as up to date
			e.int(-1)
		} else {
			e.int(int(b.size))
		}
		e.int(int(b.modTime))
	}
	if positions == nil {
		e.int(len(c.briefings))
		for _, b := range c.briefings {
			add(b)
		}
	} else {
		e.int(len(positions))
		for _, p := range positions {
			add(c.briefings[p])
		}
	}
	return e.buf.String()
}

// decodeDocs decodes what encodeDocs wrote; nil when it is damaged.
func decodeDocs(s string) []docInfo {
	d := decoder{s: s}
	n := d.count()
	docs := make([]docInfo, n)
	for i := range docs {
		docs[i] = docInfo{path: d.str(), size: int64(d.int()), modTime: int64(d.int())}
	}
	if d.err != nil {
		return nil
	}
	return docs
}

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
// newest first. See Query for what q's fields select, and parseTextQuery
// for the text's syntax.
func (c *Corpus) Search(q Query) []Hit {
	alive, score := c.evaluate(q)
	hits := make([]Hit, 0, alive.count())
	alive.each(func(p int) {
		s := 0
		if score != nil {
			s = int(score[p])
		}
		hits = append(hits, Hit{Briefing: c.briefings[p], Score: s})
	})
	slices.Reverse(hits) // newest first, kept among equal scores
	slices.SortStableFunc(hits, func(a, b Hit) int { return cmp.Compare(b.Score, a.Score) })
	return hits
}

// evaluate gives the positions of the briefings matching q and, when q
// has text, their scores.
func (c *Corpus) evaluate(q Query) (alive bitset, score []uint16) {
	tq := parseTextQuery(q.Text)
	alive = c.filterSet(q)
	if tq.empty() || len(c.briefings) == 0 {
		return alive, nil
	}
	ix := c.textIndex()
	n := len(c.briefings)
	score = make([]uint16, n)
	weights := make([]uint8, n)
	var phrases []queryTerm
	for _, t := range tq.include {
		if t.phrase {
			phrases = append(phrases, t)
		}
		for k, w := range t.words {
			clear(weights)
			c.wordWeights(ix, w, t.prefix && k == len(t.words)-1, weights)
			for i, word := range alive {
				for word != 0 {
					b := bits.TrailingZeros64(word)
					word &= word - 1
					p := i*64 + b
					if weights[p] == 0 {
						alive[i] &^= 1 << b
					} else if !t.phrase {
						score[p] += uint16(weights[p])
					}
				}
			}
		}
	}
	var excluded []excludedPhrase
	for _, t := range tq.exclude {
		if t.phrase {
			// Only the briefings with every word of the phrase need a check.
			has := slices.Clone(alive)
			for k, w := range t.words {
				clear(weights)
				c.wordWeights(ix, w, t.prefix && k == len(t.words)-1, weights)
				has.each(func(p int) {
					if weights[p] == 0 {
						has.clear(int32(p))
					}
				})
			}
			excluded = append(excluded, excludedPhrase{t, has})
			continue
		}
		clear(weights)
		c.wordWeights(ix, t.words[0], t.prefix, weights)
		for i, word := range alive {
			for word != 0 {
				b := bits.TrailingZeros64(word)
				word &= word - 1
				if weights[i*64+b] != 0 {
					alive[i] &^= 1 << b
				}
			}
		}
	}
	if len(phrases) > 0 || len(excluded) > 0 {
		c.checkPhrases(alive, score, phrases, excluded)
	}
	return alive, score
}

// filterSet gives the positions of the briefings meeting q's conditions
// other than text.
func (c *Corpus) filterSet(q Query) bitset {
	n := len(c.briefings)
	s := newBitset(n)
	m := q.prepare()
	lo, hi := c.dateBounds(q.Since, q.Until)
	candidates, all := c.candidates(q)
	if all {
		if !m.filters() {
			for p := lo; p < hi; p++ {
				s.set(int32(p))
			}
			return s
		}
		for p := lo; p < hi; p++ {
			if m.matches(c.briefings[p]) {
				s.set(int32(p))
			}
		}
		return s
	}
	for _, p := range candidates {
		if p >= lo && p < hi && m.matches(c.briefings[p]) {
			s.set(int32(p))
		}
	}
	return s
}

// wordWeights raises weights[p] to the weight of the best field in which
// the briefing at position p has the folded word w (or a word starting
// with it).
func (c *Corpus) wordWeights(ix *textIndex, w string, prefix bool, weights []uint8) {
	n := len(weights)
	for _, s := range ix.segments {
		lo, hi := s.find(w, prefix)
		for t := lo; t < hi; t++ {
			meta, body := splitPostings(s.postings(t))
			doc := -1
			for i := 0; i < len(meta); {
				var v uint64
				v, i = uvarint(meta, i)
				doc += int(v>>2) + 1
				p := doc
				if s.pos != nil {
					if doc >= len(s.pos) {
						break
					}
					p = int(s.pos[doc])
				}
				if p >= 0 && p < n {
					weights[p] = max(weights[p], classWeight[v&3])
				}
			}
			if len(body) == 0 {
				continue
			}
			if body[0] == bodyBitset {
				for i := 1; i < len(body); i++ {
					for c := body[i]; c != 0; c &= c - 1 {
						doc := (i-1)*8 + bits.TrailingZeros8(c)
						p := doc
						if s.pos != nil {
							if doc >= len(s.pos) {
								break
							}
							p = int(s.pos[doc])
						}
						if p >= 0 && p < n && weights[p] == 0 {
							weights[p] = 1
						}
					}
				}
				continue
			}
			doc = -1
			for i := 1; i < len(body); {
				var v uint64
				v, i = uvarint(body, i)
				doc += int(v) + 1
				p := doc
				if s.pos != nil {
					if doc >= len(s.pos) {
						break
					}
					p = int(s.pos[doc])
				}
				if p >= 0 && p < n && weights[p] == 0 {
					weights[p] = 1
				}
			}
		}
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
		}
	}
}

// excludedPhrase is a phrase a query excludes, with the briefings that
// have all its words.
type excludedPhrase struct {
	term queryTerm
	has  bitset
}

// checkPhrases keeps, of the briefings alive (which have every word of
// every included phrase), those that have each included phrase and none
// of the excluded ones, adding the phrases' weights to their scores.
// Fields are checked in memory; bodies are read again, on every core.
func (c *Corpus) checkPhrases(alive bitset, score []uint16, include []queryTerm, exclude []excludedPhrase) {
	var candidates []int32
	alive.each(func(p int) {
		check := len(include) > 0
		for _, x := range exclude {
			check = check || x.has.has(int32(p))
		}
		if check {
			candidates = append(candidates, int32(p))
		}
	})
	drop := make([]bool, len(candidates))
	add := make([]uint16, len(candidates))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(candidates)/16)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for {
				k := int(next.Add(1) - 1)
				if k >= len(candidates) {
					return
				}
				p := candidates[k]
				b := c.briefings[p]
				var body *textWords
				readBody := func() *textWords {
					if body == nil {
						var text string
						text, buf, _ = c.bodyText(b, buf) // an unreadable body has no phrase
						tw := splitWords(text)
						body = &tw
					}
					return body
				}
				for _, t := range include {
					class, ok := c.phraseClass(b, t, readBody)
					if !ok {
						drop[k] = true
						break
					}
					add[k] += uint16(classWeight[class]) * uint16(len(t.words))
				}
				for _, x := range exclude {
					if drop[k] {
						break
					}
					if x.has.has(p) {
						_, drop[k] = c.phraseClass(b, x.term, readBody)
					}
				}
			}
		}()
	}
	wg.Wait()
	for k, p := range candidates {
		if drop[k] {
			alive.clear(p)
			continue
		}
		score[p] += add[k]
	}
}

// phraseClass gives the best class of field in which the briefing has the
// phrase; ok is false when it has it nowhere. body reads the body when
// the fields do not have it.
func (c *Corpus) phraseClass(b *Briefing, t queryTerm, body func() *textWords) (class uint8, ok bool) {
	has := func(text string) bool {
		tw := splitWords(text)
		_, _, ok := tw.find(t)
		return ok
	}
	if has(b.Title) {
		return classTitle, true
	}
	for _, o := range b.Officials {
		if has(o.Name) {
			return classTitle, true
		}
		if o.Official != nil {
			for _, k := range o.Official.keys {
				if has(k) {
					return classTitle, true
				}
			}
		}
	}
	if has(b.Summary) {
		return classSummary, true
	}
	for _, f := range otherFields(b) {
		if has(f) {
			return classOther, true
		}
	}
	if tw := body(); tw != nil {
		if _, _, ok := tw.find(t); ok {
			return classBody, true
		}
	}
	return 0, false
}

// otherFields lists a briefing's fields of classOther.
func otherFields(b *Briefing) []string {
	fields := []string{b.ID, b.Kind, b.Location}
	fields = append(fields, b.Countries...)
	fields = append(fields, b.Topics...)
	for _, f := range b.Figures {
		fields = append(fields, f.Label, f.Value, f.Note)
	}
	for _, s := range b.Sources {
		fields = append(fields, s.Outlet, s.Title)
	}
	return fields
}
