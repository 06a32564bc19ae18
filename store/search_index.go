package store

import (
	"fmt"
	"io"
	"math/bits"
	"os"
	"strings"
	"sync"
)

// The free-text index is an inverted index: every folded word of the
// corpus (titles, officials as written, summaries, figures, topics, place,
// sources and bodies), sorted, each with the briefings that hold it, and
// where in them. A word costs a binary search; a prefix, two and the union
// of a range of posting lists.
//
// It is made of segments. A segment indexes a set of documents (briefing
// files), numbered in the order of the corpus they were indexed from; it
// knows each document's path, size and modification time, so that a
// segment saved in the cache can be checked against the folder and reused
// for the files that did not change. A changed or new file is indexed into
// a new segment; segments are merged into one when there are too many or
// too much of them is stale. Saved segments are files that never change
// (see search_cache.go).
//
// A segment holds in memory only its dictionary and offsets, in a few
// strings (one allocation each), never one object per word:
//
//	terms      the sorted words, end to end
//	termEnds   for each word, where it ends in terms (uint32, little endian)
//	postEnds   for each word, where its postings end in post (uint32 LE)
//	posEnds    for each word, where its places end in places (uint32 LE)
//	docs       the documents: path, size, modification time (cache codec)
//
// Its postings and places (blobs) stay in its file and are read for the
// words a query asks for; a segment that was not saved keeps them in
// memory.
//
// A word's postings are two lists. The first, for the fields above the
// body, holds for each document the best field class it has the word in,
// as uvarint((gap-1)<<2 | class) with gap the distance from the previous
// document (from -1); it is preceded by its length in bytes as a uvarint.
// The second lists every document that has the word, in a field or in the
// body: a byte 0 and uvarint(gap-1) for each, or, when it is smaller, a
// byte 1 and a bitset of the segment's documents.
//
// A word's places hold, for each document of its second list in order,
// the number of places the word has there, the first place (firstPlace)
// and each next place as uvarint(gap-1). A document's places are numbered
// per class of field (placeRegion): the title and officials from 0, the
// summary from 1<<22, the other fields from 2<<22, the body from 3<<22,
// each field one word apart from the one before it, so that a phrase never
// spans two fields and the place of a match tells its class. A word's
// other forms (without an Arabic clitic, with ў as о) are at the word's
// place; two words joined across an apostrophe are at both of theirs.

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

// firstPlace encodes the first place of a word in a document: its place
// in its class's region and the class, so that it is small.
func firstPlace(p uint32) uint64 { return uint64(p%placeRegion)<<2 | uint64(p/placeRegion) }

// placeOfFirst decodes what firstPlace encoded.
func placeOfFirst(v uint64) uint32 { return uint32(v>>2) + uint32(v&3)*placeRegion }

// classOfPlace gives the class of field a place is in.
func classOfPlace(p uint32) uint8 { return uint8(min(p/placeRegion, classBody)) }

// segment is one part of the index. See the comment above.
type segment struct {
	terms, termEnds, postEnds, posEnds string
	post, places                       blob
	ndocs                              int
	docs                               string // encoded documents (see encodeDocs)
	name                               string // the file it is saved in, "" when only in memory
	// pos gives each document's position in the corpus, or -1 when its
	// file changed or went; nil when document i is at position i.
	pos []int32
	// borrowed is set on a segment that shares its data, and its file,
	// with the index of an earlier snapshot (see borrow): closing it
	// leaves the file open for that index.
	borrowed bool

	docAtOnce sync.Once
	docAt     []int32 // the inverse of pos, built when a phrase needs it
}

// blob is a segment's postings or places: in memory, or in its file.
type blob struct {
	mem        string
	file       *os.File
	base, size int64
}

func (b *blob) len() int64 {
	if b.file == nil {
		return int64(len(b.mem))
	}
	return b.size
}

// read gives the bytes between two offsets: a slice of the string in
// memory, or bytes read from the file into buf (grown when too small).
func (b *blob) read(from, to uint32, buf *[]byte) (mem string, file []byte, err error) {
	if int64(to) > b.len() || from > to {
		return "", nil, errCorrupt
	}
	if b.file == nil {
		return b.mem[from:to], nil, nil
	}
	if cap(*buf) < int(to-from) {
		*buf = make([]byte, to-from)
	}
	file = (*buf)[:to-from]
	if _, err := b.file.ReadAt(file, b.base+int64(from)); err != nil {
		return "", nil, fmt.Errorf("free-text index: %w", err)
	}
	return "", file, nil
}

// reader reads the whole blob, in order.
func (b *blob) reader() io.Reader {
	if b.file == nil {
		return strings.NewReader(b.mem)
	}
	return io.NewSectionReader(b.file, b.base, b.size)
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

// postingsOf reads the postings of the words lo to hi (into buf, when
// they are in a file), from offset base on.
func (s *segment) postingsOf(lo, hi int, buf *[]byte) (mem string, file []byte, base uint32, err error) {
	base, _ = span(s.postEnds, lo)
	_, end := span(s.postEnds, hi-1)
	mem, file, err = s.post.read(base, end, buf)
	return mem, file, base, err
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

// skipUvarints gives the index after the n uvarints at s[i:]. It counts
// the bytes that end one (high bit clear) eight at a time while more
// than eight are left to skip.
func skipUvarints[T ~string | ~[]byte](s T, i, n int) int {
	for n > 8 && i+8 <= len(s) {
		b := s[i : i+8]
		w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		n -= bits.OnesCount64(^w & 0x8080808080808080)
		i += 8
	}
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

// splitPostings gives where a word's two lists are in its postings p:
// the meta list is p[metaFrom:metaTo], the list of all p[metaTo:].
func splitPostings[T ~string | ~[]byte](p T) (metaFrom, metaTo int) {
	n, i := uvarint(p, 0)
	return i, min(i+int(n), len(p))
}

// eachMeta calls f with each document and class of a meta list.
func eachMeta[T ~string | ~[]byte](meta T, f func(doc int, class uint8)) {
	doc := -1
	for i := 0; i < len(meta); {
		var v uint64
		v, i = uvarint(meta, i)
		doc += int(v>>2) + 1
		f(doc, uint8(v&3))
	}
}

// eachDoc calls f with each document of a list of all, in order.
func eachDoc[T ~string | ~[]byte](list T, f func(doc int)) {
	if len(list) == 0 {
		return
	}
	if list[0] == bodyBitset {
		for i := 1; i < len(list); i++ {
			for c := list[i]; c != 0; c &= c - 1 {
				f((i-1)*8 + bits.TrailingZeros8(c))
			}
		}
		return
	}
	doc := -1
	for i := 1; i < len(list); {
		var v uint64
		v, i = uvarint(list, i)
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
	n := len(s.terms) + len(s.termEnds) + len(s.postEnds) + len(s.posEnds) + len(s.docs) + 4*len(s.pos) + 4*len(s.docAt)
	return n + len(s.post.mem) + len(s.places.mem)
}

// scratch is space a query reads saved postings and places into, kept by
// the index for the next query.
type scratch struct {
	post, places []byte
	words        [][]byte // postings and places of each word of a phrase
	needed       bitset   // positions where a phrase is to be checked
	docs, at     []int32  // a segment's documents to check, and their positions
}

// need gives a bitset for n positions, cleared.
func (b *scratch) need(n int) bitset {
	b.needed = growBitset(b.needed, n)
	return b.needed
}
