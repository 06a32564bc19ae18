package store

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"
)

// The free-text index is an inverted index: every folded word of the
// corpus (titles, officials as written, summaries, figures, topics, place,
// sources and bodies), sorted, each with the briefings that hold it. A word
// costs a binary search; a prefix, two and the union of a range of
// posting lists.
//
// It is made of segments. A segment indexes a set of documents (briefing
// files), numbered in the order of the corpus they were indexed from; it
// knows each document's path, size and modification time, so that a
// segment saved in the index cache can be checked against the folder and
// reused for the files that did not change. A changed or new file is
// indexed into a new segment; segments are merged into one when there are
// too many or too much of them is stale.
//
// A segment is held in a few strings (one allocation each, or slices of
// the cache file as it was read), never as one object per word:
//
//	terms     the sorted words, end to end
//	termEnds  for each word, where it ends in terms (uint32, little endian)
//	post      the posting lists, end to end
//	postEnds  for each word, where its postings end in post (uint32 LE)
//	docs      the documents: path, size, modification time (cache codec)
//
// A word's postings are two lists. The first, for the fields above the
// body, holds for each document the best field class it has the word in,
// as uvarint((gap-1)<<2 | class) with gap the distance from the previous
// document (from -1); it is preceded by its length in bytes as a uvarint.
// The second lists the documents that have the word only in the body:
// a byte 0 and uvarint(gap-1) for each, or, when it is smaller, a byte 1
// and a bitset of the segment's documents.

// Field classes, best first; a search ranks a briefing by the best class
// each query word is found in.
const (
	classTitle   = 0 // title and officials (as written, or any name the registry has for them)
	classSummary = 1
	classOther   = 2 // figures, topics, place, kind, countries, sources, id
	classBody    = 3
)

// classWeight gives each class's weight in a briefing's rank.
var classWeight = [4]uint8{classTitle: 8, classSummary: 4, classOther: 2, classBody: 1}

const (
	bodyList   = 0
	bodyBitset = 1
)

// segment is one part of the index. See the comment above.
type segment struct {
	terms, termEnds, post, postEnds string
	ndocs                           int
	docs                            string // encoded documents (see encodeDocs)
	// pos gives each document's position in the corpus, or -1 when its
	// file changed or went; nil when document i is at position i.
	pos []int32
}

func le32(s string, i int) uint32 {
	i *= 4
	return uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16 | uint32(s[i+3])<<24
}

func appendLE32(b []byte, v uint32) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

func (s *segment) numTerms() int { return len(s.termEnds) / 4 }

func (s *segment) term(i int) string {
	start := uint32(0)
	if i > 0 {
		start = le32(s.termEnds, i-1)
	}
	return s.terms[start:le32(s.termEnds, i)]
}

func (s *segment) postings(i int) string {
	start := uint32(0)
	if i > 0 {
		start = le32(s.postEnds, i-1)
	}
	return s.post[start:le32(s.postEnds, i)]
}

// find gives the range of words equal to w, or starting with it when
// prefix is set.
func (s *segment) find(w string, prefix bool) (lo, hi int) {
	n := s.numTerms()
	lo = searchInts(n, func(i int) bool { return s.term(i) >= w })
	if !prefix {
		if lo < n && s.term(lo) == w {
			return lo, lo + 1
		}
		return lo, lo
	}
	hi = lo + searchInts(n-lo, func(i int) bool { return !strings.HasPrefix(s.term(lo+i), w) })
	return lo, hi
}

// searchInts is sort.Search, inlined by hand for the hot path.
func searchInts(n int, f func(int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if !f(h) {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo
}

// uvarint reads a uvarint from s at i; it gives the value and the index
// after it. The index is trusted: a damaged varint reads as garbage, never
// past the end of s.
func uvarint(s string, i int) (uint64, int) {
	var x uint64
	var shift uint
	for i < len(s) {
		c := s[i]
		i++
		if c < 0x80 {
			return x | uint64(c)<<shift, i
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
		if shift > 63 {
			break
		}
	}
	return x, len(s)
}

func appendUvarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// splitPostings gives a word's two lists.
func splitPostings(p string) (meta, body string) {
	n, i := uvarint(p, 0)
	end := min(i+int(n), len(p))
	return p[i:end], p[end:]
}

// eachMeta calls f with each document and class of a meta list.
func eachMeta(meta string, f func(doc int, class uint8)) {
	doc := -1
	for i := 0; i < len(meta); {
		var v uint64
		v, i = uvarint(meta, i)
		doc += int(v>>2) + 1
		f(doc, uint8(v&3))
	}
}

// eachBody calls f with each document of a body list.
func eachBody(body string, f func(doc int)) {
	if len(body) == 0 {
		return
	}
	if body[0] == bodyBitset {
		for i := 1; i < len(body); i++ {
			for c := body[i]; c != 0; c &= c - 1 {
				f((i-1)*8 + bits.TrailingZeros8(c))
			}
		}
		return
	}
	doc := -1
	for i := 1; i < len(body); {
		var v uint64
		v, i = uvarint(body, i)
		doc += int(v) + 1
		f(doc)
	}
}

// posOf maps a document to its position in the corpus (-1 when gone).
func (s *segment) posOf(doc int) int {
	if s.pos == nil {
		return doc
	}
	if doc >= len(s.pos) {
		return -1
	}
	return int(s.pos[doc])
}

// size gives the bytes the segment holds.
func (s *segment) size() int {
	return len(s.terms) + len(s.termEnds) + len(s.post) + len(s.postEnds) + len(s.docs) + 4*len(s.pos)
}

// builderTerm is a word being indexed.
type builderTerm struct {
	word               string
	meta, body         []byte
	lastMeta, lastBody int32 // the last document of each list, -1 for none
	metaDoc            int32 // the document whose class is being gathered
	class              uint8
	bodyCount          int32
}

// segmentBuilder indexes documents numbered from 0 in increasing order.
type segmentBuilder struct {
	dict    map[string]int32
	terms   []builderTerm
	ndocs   int
	pending []int32 // the words of the current document's fields
	sc      wordScanner
	prev    []byte
	stems   []string
}

func newSegmentBuilder() *segmentBuilder {
	return &segmentBuilder{dict: make(map[string]int32, 1<<12)}
}

// id gives the word's number, adding it when new.
func (bd *segmentBuilder) id(w []byte) int32 {
	if id, ok := bd.dict[string(w)]; ok {
		return id
	}
	id := int32(len(bd.terms))
	word := string(w)
	bd.dict[word] = id
	bd.terms = append(bd.terms, builderTerm{word: word, lastMeta: -1, lastBody: -1, metaDoc: -1})
	return id
}

// eachWord calls f with every word of text as search finds it: each word,
// its forms without Arabic clitics, and the words joined across an
// apostrophe.
func (bd *segmentBuilder) eachWord(text string, f func(w []byte)) {
	bd.sc.reset(text)
	bd.prev = bd.prev[:0]
	for bd.sc.next() {
		w := bd.sc.word
		f(w)
		bd.stems = appendStems(bd.stems[:0], string(w))
		for _, s := range bd.stems {
			f([]byte(s))
		}
		if bd.sc.joined && len(bd.prev) > 0 {
			bd.prev = append(bd.prev, w...)
			f(bd.prev)
		}
		bd.prev = append(bd.prev[:0], w...)
	}
}

// field indexes a field of document doc, of the given class. Fields come
// before the body.
func (bd *segmentBuilder) field(doc int32, class uint8, text string) {
	bd.eachWord(text, func(w []byte) {
		id := bd.id(w)
		t := &bd.terms[id]
		if t.metaDoc != doc {
			t.metaDoc, t.class = doc, class
			bd.pending = append(bd.pending, id)
		} else if class < t.class {
			t.class = class
		}
	})
}

// body indexes the body of document doc, after its fields.
func (bd *segmentBuilder) body(doc int32, text string) {
	bd.flushFields(doc)
	bd.eachWord(text, func(w []byte) {
		id := bd.id(w)
		t := &bd.terms[id]
		if t.metaDoc == doc || t.lastBody == doc {
			return
		}
		t.body = appendUvarint(t.body, uint64(doc-t.lastBody-1))
		t.lastBody = doc
		t.bodyCount++
	})
}

// flushFields writes the current document's field words to their lists.
func (bd *segmentBuilder) flushFields(doc int32) {
	for _, id := range bd.pending {
		t := &bd.terms[id]
		t.meta = appendUvarint(t.meta, uint64(doc-t.lastMeta-1)<<2|uint64(t.class))
		t.lastMeta = doc
	}
	bd.pending = bd.pending[:0]
	bd.ndocs = max(bd.ndocs, int(doc)+1)
}

// finish encodes the segment; docs is its encoded document list.
func (bd *segmentBuilder) finish(docs string) *segment {
	order := make([]int32, len(bd.terms))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(bd.terms[a].word, bd.terms[b].word) })
	var w segmentWriter
	w.init(len(order), bd.ndocs)
	for _, id := range order {
		t := &bd.terms[id]
		w.add(t.word, t.meta, t.body, int(t.bodyCount), func(f func(int)) {
			eachBody("\x00"+string(t.body), f)
		})
	}
	return w.finish(docs)
}

// segmentWriter encodes a segment word by word, in word order.
type segmentWriter struct {
	terms, post        strings.Builder
	termEnds, postEnds []byte
	ndocs              int
	scratch, bitset    []byte
}

func (w *segmentWriter) init(nterms, ndocs int) {
	w.ndocs = ndocs
	w.termEnds = make([]byte, 0, 4*nterms)
	w.postEnds = make([]byte, 0, 4*nterms)
}

// add writes one word: its meta list, and its body list given as uvarint
// gaps (with count documents), or through each when a bitset is smaller.
func (w *segmentWriter) add(word string, meta, body []byte, count int, each func(func(int))) {
	w.terms.WriteString(word)
	w.termEnds = appendLE32(w.termEnds, uint32(w.terms.Len()))
	w.scratch = appendUvarint(w.scratch[:0], uint64(len(meta)))
	w.post.Write(w.scratch)
	w.post.Write(meta)
	if count > 0 {
		if bits := (w.ndocs + 7) / 8; bits < len(body) {
			w.bitset = append(w.bitset[:0], make([]byte, bits)...)
			each(func(doc int) { w.bitset[doc/8] |= 1 << (doc % 8) })
			w.post.WriteByte(bodyBitset)
			w.post.Write(w.bitset)
		} else {
			w.post.WriteByte(bodyList)
			w.post.Write(body)
		}
	}
	w.postEnds = appendLE32(w.postEnds, uint32(w.post.Len()))
}

func (w *segmentWriter) finish(docs string) *segment {
	return &segment{
		terms: w.terms.String(), termEnds: string(w.termEnds),
		post: w.post.String(), postEnds: string(w.postEnds),
		ndocs: w.ndocs, docs: docs,
	}
}

// mergeSegments merges segments into one whose document i is at position
// i, for a corpus of n positions. Every position must be held by at most
// one live document of the segments, and each segment's live documents
// must keep their order (they do: a file that did not change keeps its
// place among the others).
func mergeSegments(parts []*segment, n int, docs string) *segment {
	type cursor struct {
		seg *segment
		i   int
	}
	cursors := make([]cursor, 0, len(parts))
	total := 0
	for _, p := range parts {
		cursors = append(cursors, cursor{seg: p})
		total += p.numTerms()
	}
	var w segmentWriter
	w.init(total, n)
	type metaHit struct {
		pos   int32
		class uint8
	}
	var metas []metaHit
	var bodies []int32
	var from []cursor
	var meta, body []byte
	for {
		// The smallest word at the cursors, and the cursors that have it.
		word, found := "", false
		for _, c := range cursors {
			if c.i < c.seg.numTerms() {
				if t := c.seg.term(c.i); !found || t < word {
					word, found = t, true
				}
			}
		}
		if !found {
			break
		}
		from = from[:0]
		for k := range cursors {
			c := &cursors[k]
			if c.i < c.seg.numTerms() && c.seg.term(c.i) == word {
				from = append(from, *c)
				c.i++
			}
		}
		metas, bodies = metas[:0], bodies[:0]
		for _, c := range from {
			m, b := splitPostings(c.seg.postings(c.i))
			eachMeta(m, func(doc int, class uint8) {
				if p := c.seg.posOf(doc); p >= 0 {
					metas = append(metas, metaHit{int32(p), class})
				}
			})
			eachBody(b, func(doc int) {
				if p := c.seg.posOf(doc); p >= 0 {
					bodies = append(bodies, int32(p))
				}
			})
		}
		if len(from) > 1 {
			slices.SortFunc(metas, func(a, b metaHit) int { return cmp.Compare(a.pos, b.pos) })
			slices.Sort(bodies)
		}
		if len(metas) == 0 && len(bodies) == 0 {
			continue // only in documents that went
		}
		meta, body = meta[:0], body[:0]
		last := int32(-1)
		for _, m := range metas {
			meta = appendUvarint(meta, uint64(m.pos-last-1)<<2|uint64(m.class))
			last = m.pos
		}
		last = -1
		for _, p := range bodies {
			body = appendUvarint(body, uint64(p-last-1))
			last = p
		}
		w.add(word, meta, body, len(bodies), func(f func(int)) {
			for _, p := range bodies {
				f(int(p))
			}
		})
	}
	return w.finish(docs)
}
