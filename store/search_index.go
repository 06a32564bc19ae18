package store

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"io"
	"math/bits"
	"os"
	"slices"
	"strings"
	"sync"
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
// segment saved in the cache can be checked against the folder and reused
// for the files that did not change. A changed or new file is indexed into
// a new segment; segments are merged into one when there are too many or
// too much of them is stale.
//
// A segment is held in a few strings (one allocation each, or slices of
// the cache file as it was read), never as one object per word:
//
//	terms      the sorted words, end to end
//	termEnds   for each word, where it ends in terms (uint32, little endian)
//	post       the posting lists, end to end
//	postEnds   for each word, where its postings end in post (uint32 LE)
//	posEnds    for each word, where its body positions end (uint32 LE)
//	positions  the body positions, end to end: in memory, or left in the
//	           cache file and read only by phrase queries
//	docs       the documents: path, size, modification time (cache codec)
//
// A word's postings are two lists. The first, for the fields above the
// body, holds for each document the best field class it has the word in,
// as uvarint((gap-1)<<2 | class) with gap the distance from the previous
// document (from -1); it is preceded by its length in bytes as a uvarint.
// The second lists every document that has the word, in a field or in the
// body: a byte 0 and uvarint(gap-1) for each, or, when it is smaller, a
// byte 1 and a bitset of the segment's documents.
//
// A word's positions hold, for each document of its second list in
// order, the number of places the word has and each place as
// uvarint(gap-1). A document's places are numbered per class of field
// (placeRegion): the title and officials from 0, the summary from 1<<22,
// the other fields from 2<<22, the body from 3<<22, each field one word
// apart from the one before it, so that a phrase never spans two fields
// and the place of a match tells its class. A word's other forms (without
// an Arabic clitic) are at the word's place; two words joined across an
// apostrophe are at both of theirs.

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

// placeRegion is the number of places each class of field has in a
// document; a body of MaxFileSize has fewer words.
const placeRegion = 1 << 22

// classOfPlace gives the class of field a place is in.
func classOfPlace(p uint32) uint8 { return uint8(min(p/placeRegion, classBody)) }

// segment is one part of the index. See the comment above.
type segment struct {
	terms, termEnds, post, postEnds, posEnds string
	positions                                positionSource
	ndocs                                    int
	docs                                     string // encoded documents (see encodeDocs)
	// pos gives each document's position in the corpus, or -1 when its
	// file changed or went; nil when document i is at position i.
	pos []int32

	docAtOnce sync.Once
	docAt     []int32 // the inverse of pos, built when a phrase needs it
}

// positionSource holds a segment's positions: in memory, or in a file.
type positionSource struct {
	mem        string
	file       *os.File
	base, size int64
}

// read gives the positions between two offsets: a slice of the string in
// memory, or bytes read from the file.
func (p *positionSource) read(from, to uint32) (mem string, file []byte, err error) {
	if p.file == nil {
		if int(to) > len(p.mem) || from > to {
			return "", nil, errCorrupt
		}
		return p.mem[from:to], nil, nil
	}
	if int64(to) > p.size || from > to {
		return "", nil, errCorrupt
	}
	buf := make([]byte, to-from)
	if _, err := p.file.ReadAt(buf, p.base+int64(from)); err != nil {
		return "", nil, fmt.Errorf("free-text index: %w", err)
	}
	return "", buf, nil
}

// all gives every position.
func (p *positionSource) all() (string, error) {
	if p.file == nil {
		return p.mem, nil
	}
	var b strings.Builder
	b.Grow(int(p.size))
	if _, err := io.Copy(&b, io.NewSectionReader(p.file, p.base, p.size)); err != nil {
		return "", fmt.Errorf("free-text index: %w", err)
	}
	return b.String(), nil
}

func (p *positionSource) len() int64 {
	if p.file == nil {
		return int64(len(p.mem))
	}
	return p.size
}

func le32(s string, i int) uint32 {
	i *= 4
	return uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16 | uint32(s[i+3])<<24
}

func appendLE32(b []byte, v uint32) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

func (s *segment) numTerms() int { return len(s.termEnds) / 4 }

// span gives where item i starts and ends in a string indexed by ends.
func span(ends string, i int) (uint32, uint32) {
	start := uint32(0)
	if i > 0 {
		start = le32(ends, i-1)
	}
	return start, le32(ends, i)
}

func (s *segment) term(i int) string {
	from, to := span(s.termEnds, i)
	return s.terms[from:to]
}

func (s *segment) postings(i int) string {
	from, to := span(s.postEnds, i)
	return s.post[from:to]
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

// searchInts is sort.Search, by hand for the hot path.
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
// after it. A damaged varint reads as garbage, never past the end of s.
func uvarint[T ~string | ~[]byte](s T, i int) (uint64, int) {
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

// skipUvarints gives the index after the n uvarints at s[i:].
func skipUvarints[T ~string | ~[]byte](s T, i, n int) int {
	for ; n > 0 && i < len(s); i++ {
		if s[i] < 0x80 {
			n--
		}
	}
	return i
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

// eachBody calls f with each document of a body list, in order.
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

// docOf maps a position in a corpus of n briefings to the segment's
// document, -1 when the segment has none there.
func (s *segment) docOf(p, n int) int {
	if s.pos == nil {
		if p < s.ndocs {
			return p
		}
		return -1
	}
	s.docAtOnce.Do(func() {
		s.docAt = make([]int32, n)
		for i := range s.docAt {
			s.docAt[i] = -1
		}
		for doc, p := range s.pos {
			if p >= 0 && int(p) < n {
				s.docAt[p] = int32(doc)
			}
		}
	})
	if p >= len(s.docAt) {
		return -1
	}
	return int(s.docAt[p])
}

// size gives the bytes the segment holds in memory.
func (s *segment) size() int {
	n := len(s.terms) + len(s.termEnds) + len(s.post) + len(s.postEnds) + len(s.posEnds) + len(s.docs) + 4*len(s.pos)
	return n + len(s.positions.mem)
}

// builderTerm is a word being indexed.
type builderTerm struct {
	word                  string
	meta, body, positions []byte
	lastMeta, lastBody    int32 // the last document of each list, -1 for none
	metaDoc               int32 // the document whose class is being gathered
	bodyCount             int32
	hash                  uint32
	class                 uint8
}

// segmentBuilder indexes documents numbered from 0 in increasing order.
type segmentBuilder struct {
	// The words: an open-addressed table of hash<<32 | id+1, and in front
	// of it a small direct-mapped table of recent words, which holds the
	// frequent ones (Zipf's law) in the processor's cache.
	slots   []uint64
	hot     []hotWord
	seed    maphash.Seed
	terms   []builderTerm
	ndocs   int
	doc     int32     // the document being indexed
	pending []int32   // the words of its fields
	places  []uint64  // its words: id<<32 | place
	next    [4]uint32 // the next place in each class
	sc      wordScanner
	prev    []byte
	stems   []string
}

// hotWord is an entry of the table of recent words.
type hotWord struct {
	id   int32
	n    uint8
	word [27]byte
}

func newSegmentBuilder() *segmentBuilder {
	return &segmentBuilder{slots: make([]uint64, 1<<14), hot: make([]hotWord, 1<<13), seed: maphash.MakeSeed()}
}

// id gives the word's number, adding it when new.
func (bd *segmentBuilder) id(w []byte) int32 {
	h := maphash.Bytes(bd.seed, w)
	hot := &bd.hot[h&uint64(len(bd.hot)-1)]
	if int(hot.n) == len(w) && hot.n > 0 && string(hot.word[:hot.n]) == string(w) {
		return hot.id
	}
	h32 := uint32(h >> 32)
	mask := len(bd.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		slot := bd.slots[i]
		if slot == 0 {
			break
		}
		if uint32(slot>>32) == h32 {
			if id := int32(uint32(slot) - 1); bd.terms[id].word == string(w) {
				bd.remember(hot, id, w)
				return id
			}
		}
	}
	id := int32(len(bd.terms))
	bd.terms = append(bd.terms, builderTerm{word: string(w), lastMeta: -1, lastBody: -1, metaDoc: -1, hash: h32})
	if 2*len(bd.terms) > len(bd.slots) {
		bd.grow()
	} else {
		bd.place(id, h32, int(h))
	}
	bd.remember(hot, id, w)
	return id
}

func (bd *segmentBuilder) remember(hot *hotWord, id int32, w []byte) {
	if len(w) <= len(hot.word) {
		hot.id, hot.n = id, uint8(len(w))
		copy(hot.word[:], w)
	}
}

// place puts word id in the table, at the first free slot from start.
func (bd *segmentBuilder) place(id int32, h32 uint32, start int) {
	mask := len(bd.slots) - 1
	i := start & mask
	for bd.slots[i] != 0 {
		i = (i + 1) & mask
	}
	bd.slots[i] = uint64(h32)<<32 | uint64(id+1)
}

// grow doubles the table.
func (bd *segmentBuilder) grow() {
	bd.slots = make([]uint64, 2*len(bd.slots))
	for id := range bd.terms {
		t := &bd.terms[id]
		bd.place(int32(id), t.hash, int(maphash.String(bd.seed, t.word)))
	}
}

// eachWord calls f with every word of text as search finds it, with its
// place: each word, its forms without Arabic clitics at the same place,
// and two words joined across an apostrophe at the places of both.
func (bd *segmentBuilder) eachWord(text string, f func(w []byte, place int32)) {
	bd.sc.reset(text)
	bd.prev = bd.prev[:0]
	place := int32(-1)
	for bd.sc.next() {
		place++
		w := bd.sc.word
		f(w, place)
		if len(w) >= 8 && (w[0] == 0xd8 || w[0] == 0xd9) {
			bd.stems = appendStems(bd.stems[:0], string(w))
			for _, s := range bd.stems {
				f([]byte(s), place)
			}
		}
		if hasUzbekU(&bd.sc, text) {
			if alt, ok := uzbekO(text[bd.sc.start:bd.sc.end]); ok && alt != string(w) {
				f([]byte(alt), place)
			}
		}
		if bd.sc.joined && len(bd.prev) > 0 {
			bd.prev = append(bd.prev, w...)
			f(bd.prev, place-1)
			f(bd.prev, place)
		}
		bd.prev = append(bd.prev[:0], w...)
	}
}

// begin starts indexing document doc; documents come in increasing
// order. Its fields come before its body.
func (bd *segmentBuilder) begin(doc int32) {
	bd.doc = doc
	bd.places = bd.places[:0]
	for class := range bd.next {
		bd.next[class] = uint32(class) * placeRegion
	}
	bd.ndocs = max(bd.ndocs, int(doc)+1)
}

// hasUzbekU reports whether the scanner's word is written with ў or Ў
// (UTF-8 d1 9e, d0 8e), quickly.
func hasUzbekU(sc *wordScanner, text string) bool {
	for i := sc.start; i+1 < sc.end; i++ {
		if c := text[i]; c == 0xd1 && text[i+1] == 0x9e || c == 0xd0 && text[i+1] == 0x8e {
			return true
		}
	}
	return false
}

// field indexes a field of the current document, of the given class.
func (bd *segmentBuilder) field(class uint8, text string) {
	doc, base, end := bd.doc, bd.next[class], uint32(class+1)*placeRegion
	last := int32(-1)
	bd.eachWord(text, func(w []byte, place int32) {
		id := bd.id(w)
		if class != classBody {
			t := &bd.terms[id]
			if t.metaDoc != doc {
				t.metaDoc, t.class = doc, class
				bd.pending = append(bd.pending, id)
			} else if class < t.class {
				t.class = class
			}
		}
		if at := base + uint32(place); at < end {
			bd.places = append(bd.places, uint64(id)<<32|uint64(at))
		}
		last = place
	})
	bd.next[class] = min(base+uint32(last+2), end)
}

// end writes the current document's words to their lists.
func (bd *segmentBuilder) end() {
	doc := bd.doc
	for _, id := range bd.pending {
		t := &bd.terms[id]
		t.meta = appendUvarint(t.meta, uint64(doc-t.lastMeta-1)<<2|uint64(t.class))
		t.lastMeta = doc
	}
	bd.pending = bd.pending[:0]
	slices.Sort(bd.places)
	for i := 0; i < len(bd.places); {
		id := int32(bd.places[i] >> 32)
		j := i
		for j < len(bd.places) && int32(bd.places[j]>>32) == id {
			j++
		}
		t := &bd.terms[id]
		t.body = appendUvarint(t.body, uint64(doc-t.lastBody-1))
		t.lastBody = doc
		t.bodyCount++
		n := 0
		for k := i; k < j; k++ {
			if k == i || bd.places[k] != bd.places[k-1] {
				n++
			}
		}
		t.positions = appendUvarint(t.positions, uint64(n))
		last := int64(-1)
		for k := i; k < j; k++ {
			if p := int64(uint32(bd.places[k])); p != last {
				t.positions = appendUvarint(t.positions, uint64(p-last-1))
				last = p
			}
		}
		i = j
	}
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
	var scratch []byte
	for _, id := range order {
		t := &bd.terms[id]
		w.add(t.word, t.meta, t.body, int(t.bodyCount), func(f func(int)) {
			scratch = append(append(scratch[:0], bodyList), t.body...)
			eachBody(string(scratch), f)
		}, t.positions)
	}
	return w.finish(docs)
}

// segmentWriter encodes a segment word by word, in word order.
type segmentWriter struct {
	terms, post, positions      strings.Builder
	termEnds, postEnds, posEnds []byte
	ndocs                       int
	scratch, bitset             []byte
}

func (w *segmentWriter) init(nterms, ndocs int) {
	w.ndocs = ndocs
	w.termEnds = make([]byte, 0, 4*nterms)
	w.postEnds = make([]byte, 0, 4*nterms)
	w.posEnds = make([]byte, 0, 4*nterms)
}

// add writes one word: its meta list, its body list given as uvarint gaps
// (with count documents), or through each when a bitset is smaller, and
// its positions.
func (w *segmentWriter) add(word string, meta, body []byte, count int, each func(func(int)), positions []byte) {
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
	w.positions.Write(positions)
	w.posEnds = appendLE32(w.posEnds, uint32(w.positions.Len()))
}

func (w *segmentWriter) finish(docs string) *segment {
	return &segment{
		terms: w.terms.String(), termEnds: string(w.termEnds),
		post: w.post.String(), postEnds: string(w.postEnds),
		posEnds: string(w.posEnds), positions: positionSource{mem: w.positions.String()},
		ndocs: w.ndocs, docs: docs,
	}
}

// mergeSegments merges segments into one whose document i is at position
// i, for a corpus of n positions; positions holds each part's positions
// (see positionSource.all). Every position must be held by at most one
// live document of the segments, and each segment's live documents must
// keep their order (they do: a file that did not change keeps its place
// among the others).
func mergeSegments(parts []*segment, positions []string, n int, docs string) *segment {
	type cursor struct {
		seg       *segment
		i         int
		positions string
	}
	cursors := make([]cursor, 0, len(parts))
	total := 0
	for k, p := range parts {
		cursors = append(cursors, cursor{seg: p, positions: positions[k]})
		total += p.numTerms()
	}
	var w segmentWriter
	w.init(total, n)
	type metaHit struct {
		pos   int32
		class uint8
	}
	type bodyHit struct {
		pos    int32
		places string // the document's entry in the word's positions
	}
	var metas []metaHit
	var bodies []bodyHit
	var from []cursor
	var meta, body, places []byte
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
			pstart, pend := span(c.seg.posEnds, c.i)
			ps := c.positions[min(int(pstart), len(c.positions)):min(int(pend), len(c.positions))]
			at := 0
			eachBody(b, func(doc int) {
				count, next := uvarint(ps, at)
				end := skipUvarints(ps, next, int(count))
				if p := c.seg.posOf(doc); p >= 0 {
					bodies = append(bodies, bodyHit{int32(p), ps[at:end]})
				}
				at = end
			})
		}
		if len(from) > 1 {
			slices.SortFunc(metas, func(a, b metaHit) int { return cmp.Compare(a.pos, b.pos) })
			slices.SortFunc(bodies, func(a, b bodyHit) int { return cmp.Compare(a.pos, b.pos) })
		}
		if len(metas) == 0 && len(bodies) == 0 {
			continue // only in documents that went
		}
		meta, body, places = meta[:0], body[:0], places[:0]
		last := int32(-1)
		for _, m := range metas {
			meta = appendUvarint(meta, uint64(m.pos-last-1)<<2|uint64(m.class))
			last = m.pos
		}
		last = -1
		for _, b := range bodies {
			body = appendUvarint(body, uint64(b.pos-last-1))
			places = append(places, b.places...)
			last = b.pos
		}
		w.add(word, meta, body, len(bodies), func(f func(int)) {
			for _, b := range bodies {
				f(int(b.pos))
			}
		}, places)
	}
	return w.finish(docs)
}

// bodyPlaces gives, for each of the documents asked for (increasing), the
// places of the word i of the segment, appended to out with ends[k] where
// document k's places end.
func (s *segment) bodyPlaces(i int, docs []int32, out []uint32, ends []int) ([]uint32, []int, error) {
	from, to := span(s.posEnds, i)
	mem, file, err := s.positions.read(from, to)
	if err != nil {
		return out, ends, err
	}
	_, list := splitPostings(s.postings(i))
	if file != nil {
		out, ends = places(file, list, docs, out, ends)
	} else {
		out, ends = places(mem, list, docs, out, ends)
	}
	return out, ends, nil
}

// places decodes a word's places (ps) in the documents asked for, from
// its list of documents: see bodyPlaces.
func places[T ~string | ~[]byte](ps T, list string, docs []int32, out []uint32, ends []int) ([]uint32, []int) {
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
			place := uint32(0)
			for j := uint64(0); j < count && next < len(ps); j++ {
				var v uint64
				v, next = uvarint(ps, next)
				place += uint32(v) + 1
				out = append(out, place-1)
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
