package store

import (
	"hash/maphash"
	"slices"
	"strings"
)

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
	doc     int32    // the document being indexed
	pending []int32  // the words of its fields
	places  []uint32 // its words' places, in order
	link    []int32  // for each place, the index of the word's next, or -1
	touched []int32  // the words it has
	// chains gives for each word the first and last of its places in the
	// current document (through link), when its doc is the current one:
	// apart from terms, small, so that it stays in the processor's cache.
	chains []chain
	next   [4]uint32 // the next place in each class
	sc     wordScanner
	prev   []byte
	stems  []string
	bytes  int // in the words' lists
}

// chain is a word's places in the document being indexed.
type chain struct{ doc, first, last int32 }

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
	bd.chains = append(bd.chains, chain{doc: -1})
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
	place, end := int32(-1), 0
	for bd.sc.next() {
		place++
		if gap := bd.sc.start - end; gap > 1 && end > 0 && isParagraphBreak(text[end:bd.sc.start]) {
			place++ // a phrase never spans two paragraphs
			bd.prev = bd.prev[:0]
		}
		end = bd.sc.end
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
	bd.places, bd.link, bd.touched = bd.places[:0], bd.link[:0], bd.touched[:0]
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
			ch := &bd.chains[id]
			k := int32(len(bd.places))
			bd.places = append(bd.places, at)
			bd.link = append(bd.link, -1)
			if ch.doc != doc {
				ch.doc, ch.first = doc, k
				bd.touched = append(bd.touched, id)
			} else {
				bd.link[ch.last] = k
			}
			ch.last = k
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
		n := len(t.meta)
		t.meta = appendUvarint(t.meta, uint64(doc-t.lastMeta-1)<<2|uint64(t.class))
		bd.bytes += len(t.meta) - n
		t.lastMeta = doc
	}
	bd.pending = bd.pending[:0]
	// Each word's places come in increasing order: fields in the order of
	// their regions, words in the order of the text.
	for _, id := range bd.touched {
		t := &bd.terms[id]
		before := len(t.body) + len(t.positions)
		t.body = appendUvarint(t.body, uint64(doc-t.lastBody-1))
		t.lastBody = doc
		t.bodyCount++
		n := 0
		last := int64(-1)
		first := bd.chains[id].first
		for k := first; k >= 0; k = bd.link[k] {
			if p := int64(bd.places[k]); p > last {
				n++
				last = p
			}
		}
		t.positions = appendUvarint(t.positions, uint64(n))
		last = -1
		for k := first; k >= 0; k = bd.link[k] {
			p := int64(bd.places[k])
			switch {
			case p <= last: // the same place twice, through two forms
				continue
			case last < 0:
				t.positions = appendUvarint(t.positions, firstPlace(uint32(p)))
			default:
				t.positions = appendUvarint(t.positions, uint64(p-last-1))
			}
			last = p
		}
		bd.bytes += len(t.body) + len(t.positions) - before
	}
	bd.touched = bd.touched[:0]
	bd.places = bd.places[:0]
	bd.link = bd.link[:0]
}

// memory estimates the bytes the builder holds.
func (bd *segmentBuilder) memory() int {
	return bd.bytes + len(bd.terms)*termOverhead
}

// termOverhead is about the bytes a word costs the builder beyond its
// lists: its entry, its slot, its string and the lists' spare room.
const termOverhead = 160

// finish writes the segment built so far through w, and empties the
// builder for the documents that follow.
func (bd *segmentBuilder) finish(w *segmentWriter, docs, stamp string) (*segment, error) {
	order := make([]int32, len(bd.terms))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(bd.terms[a].word, bd.terms[b].word) })
	var scratch []byte
	for _, id := range order {
		t := &bd.terms[id]
		w.add(t.word, t.meta, t.body, int(t.bodyCount), func(f func(int)) {
			scratch = append(append(scratch[:0], bodyList), t.body...)
			eachDoc(scratch, f)
		}, t.positions)
	}
	s, err := w.finish(docs, stamp)
	bd.reset()
	return s, err
}

// reset empties the builder, keeping its scratch space.
func (bd *segmentBuilder) reset() {
	clear(bd.slots)
	clear(bd.hot)
	bd.terms = bd.terms[:0]
	bd.chains = bd.chains[:0]
	bd.bytes = 0
}
