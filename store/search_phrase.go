package store

import (
	"math"
	"math/bits"
	"slices"
)

// A phrase is checked in the index's places: a briefing has it when some
// place p holds its first word, p+1 its second, and so on (a word of the
// phrase may match several words of the index: its other forms, or every
// word it starts when it is being typed). The check reads each of those
// words' places once, in document order, a chunk of documents at a time:
// the places of one word (the anchor, the one with the fewest places) give
// the candidate starts in each document, and each other word keeps the
// starts it continues; the last word stops reading a document at the
// first start it continues. Its work grows with the bytes of places read,
// never with the number of words times the number of documents.

// endDoc is a placeCursor's document once its list is done.
const endDoc = math.MaxInt32

// placeCursor walks one word's documents (its list of all) in a segment
// and, in step, its places there.
type placeCursor[T ~string | ~[]byte] struct {
	list T    // the word's list of all documents
	ps   T    // its places: an entry for each document of list
	li   int  // the next byte of list
	bits byte // of a bitset list, the current byte's documents left
	doc  int  // the current document: -1 before the first, endDoc after the last
	at   int  // where the current document's entry starts in ps
	next int  // where the entry after it starts, or -1 while unknown
}

func (c *placeCursor[T]) reset(list, ps T) {
	*c = placeCursor[T]{list: list, ps: ps, li: 1, doc: -1, next: -1}
	if len(list) == 0 {
		c.doc = endDoc
	}
}

// step moves to the next document; false at the end.
func (c *placeCursor[T]) step() bool {
	if c.doc == endDoc {
		return false
	}
	if c.doc >= 0 {
		if c.next < 0 {
			c.next = skipEntry(c.ps, c.at)
		}
		c.at = c.next
	}
	c.next = -1
	if c.list[0] == bodyBitset {
		for c.bits == 0 {
			if c.li >= len(c.list) {
				c.doc = endDoc
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
		c.doc = endDoc
		return false
	}
	v, li := uvarint(c.list, c.li)
	c.li = li
	c.doc += int(v) + 1
	return true
}

// seek moves to document doc or the first after it.
func (c *placeCursor[T]) seek(doc int) {
	for c.doc < doc && c.step() {
	}
}

// skipEntry gives where the entry of places at ps[at:] ends.
func skipEntry[T ~string | ~[]byte](ps T, at int) int {
	count, i := uvarint(ps, at)
	return skipUvarints(ps, i, int(count))
}

// appendPlaces appends the places of the entry at ps[at:] to out; it
// gives where the entry ends.
func appendPlaces[T ~string | ~[]byte](out []uint32, ps T, at int) ([]uint32, int) {
	count, i := uvarint(ps, at)
	if count == 0 || i >= len(ps) {
		return out, i
	}
	v, i := uvarint(ps, i)
	place := placeOfFirst(v)
	out = append(out, place)
	for k := uint64(1); k < count && i < len(ps); k++ {
		if b := ps[i]; b < 0x80 { // most gaps take one byte
			i++
			place += uint32(b) + 1
		} else {
			v, i = uvarint(ps, i)
			place += uint32(v) + 1
		}
		out = append(out, place)
	}
	return out, i
}

// each calls f with the current document's places, in increasing order,
// until f returns false.
func (c *placeCursor[T]) each(f func(p uint32) bool) {
	ps := c.ps
	count, i := uvarint(ps, c.at)
	if count == 0 || i >= len(ps) {
		c.next = i
		return
	}
	var v uint64
	v, i = uvarint(ps, i)
	place := placeOfFirst(v)
	more := f(place)
	for k := uint64(1); k < count && i < len(ps); k++ {
		if !more {
			c.next = skipUvarints(ps, i, int(count-k))
			return
		}
		if b := ps[i]; b < 0x80 { // most gaps take one byte
			i++
			place += uint32(b) + 1
		} else {
			v, i = uvarint(ps, i)
			place += uint32(v) + 1
		}
		more = f(place)
	}
	c.next = i
}

// phraseWord is one word of a phrase in a segment: a cursor for each word
// of the index it matches.
type phraseWord[T ~string | ~[]byte] struct {
	cursors []placeCursor[T]
	bytes   int // of places, to choose the anchor
	offset  int // the word's place in the phrase
}

// phraseChunk is the number of documents checked together: their starts
// are held at once, and a newer search can stop the check between two.
const phraseChunk = 1024

// phraseScratch is what checking a phrase reuses.
type phraseScratch struct {
	from, to []int32  // each document's starts in starts
	starts   []uint32 // the places of the anchor word where the phrase may start
	marks    []bool   // the starts a word continues
	pairs    []uint64 // document and place, to merge an anchor's forms
	chunk    int      // documents checked together; 0 for phraseChunk (tests set fewer)
	// the cursors of the words of the index the phrase's words match
	memCursors  []placeCursor[string]
	fileCursors []placeCursor[[]byte]
}

// checkPhrase finds which of the segment's documents docs (increasing)
// have the words one after another: it calls found with the index in docs
// of each and the class of field of its first match, and done(k) once the
// first k documents are checked. It gives false when stop said to stop.
func checkPhrase[T ~string | ~[]byte](words []phraseWord[T], docs []int32, found func(i int, class uint8), done func(k int), sc *phraseScratch, stop func() bool) bool {
	// The anchor is the word with the fewest places; the others are
	// checked rarest first, so that the starts thin out soonest.
	order := make([]int, len(words))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return words[a].bytes - words[b].bytes })
	anchor := &words[order[0]]
	size := phraseChunk
	if sc.chunk > 0 {
		size = sc.chunk
	}
	for from := 0; from < len(docs); from += size {
		if stop() {
			return false
		}
		chunk := docs[from:min(from+size, len(docs))]
		if !gatherStarts(sc, anchor, chunk) {
			done(from + len(chunk))
			continue
		}
		live := true
		for i, k := range order[1:] {
			last := i == len(order)-2
			if live = keepContinued(sc, &words[k], words[k].offset-anchor.offset, chunk, last); !live {
				break
			}
		}
		if live {
			for j := range chunk {
				if sc.to[j] > sc.from[j] {
					start := sc.starts[sc.from[j]] - uint32(anchor.offset)
					found(from+j, classOfPlace(start))
				}
			}
		}
		done(from + len(chunk))
	}
	return true
}

// eachHit calls f with the index in chunk of each of its documents the
// cursor's word is in, with the cursor there.
func eachHit[T ~string | ~[]byte](c *placeCursor[T], chunk []int32, f func(j int)) {
	for j := 0; j < len(chunk); {
		c.seek(int(chunk[j]))
		if c.doc == endDoc {
			return
		}
		if c.doc == int(chunk[j]) {
			f(j)
			j++
			continue
		}
		// The first document of the chunk from the cursor's on.
		lo, hi := j+1, len(chunk)
		for lo < hi {
			h := int(uint(lo+hi) >> 1)
			if int(chunk[h]) < c.doc {
				lo = h + 1
			} else {
				hi = h
			}
		}
		j = lo
	}
}

// gatherStarts sets each document's starts to the anchor's places there;
// it reports whether any document has one.
func gatherStarts[T ~string | ~[]byte](sc *phraseScratch, anchor *phraseWord[T], chunk []int32) bool {
	n := len(chunk)
	sc.from = slices.Grow(sc.from[:0], n)[:n]
	sc.to = slices.Grow(sc.to[:0], n)[:n]
	clear(sc.from)
	clear(sc.to)
	sc.starts = sc.starts[:0]
	any := false
	if len(anchor.cursors) == 1 {
		c := &anchor.cursors[0]
		eachHit(c, chunk, func(j int) {
			sc.from[j] = int32(len(sc.starts))
			sc.starts, c.next = appendPlaces(sc.starts, c.ps, c.at)
			sc.to[j] = int32(len(sc.starts))
			any = any || sc.to[j] > sc.from[j]
		})
		return any
	}
	// Several words of the index: their places merged, each once.
	sc.pairs = sc.pairs[:0]
	for i := range anchor.cursors {
		c := &anchor.cursors[i]
		eachHit(c, chunk, func(j int) {
			c.each(func(p uint32) bool {
				sc.pairs = append(sc.pairs, uint64(j)<<32|uint64(p))
				return true
			})
		})
	}
	if len(sc.pairs) == 0 {
		return false
	}
	slices.Sort(sc.pairs)
	last := uint64(math.MaxUint64)
	for _, pair := range sc.pairs {
		if pair == last {
			continue
		}
		last = pair
		j := int(pair >> 32)
		if sc.to[j] == 0 {
			sc.from[j] = int32(len(sc.starts))
		}
		sc.starts = append(sc.starts, uint32(pair))
		sc.to[j] = int32(len(sc.starts))
	}
	return true
}

// keepContinued keeps of each document's starts those that the word
// continues: with the word at start+delta. It reports whether any start
// is left. For the last word checked, a document is done once its first
// start is kept (that gives its class): later words of the index skip it.
func keepContinued[T ~string | ~[]byte](sc *phraseScratch, w *phraseWord[T], delta int, chunk []int32, last bool) bool {
	sc.marks = slices.Grow(sc.marks[:0], len(sc.starts))[:len(sc.starts)]
	clear(sc.marks)
	starts, marks := sc.starts, sc.marks
	// The last word, when it is one word of the index, stops at its first
	// place that continues a start: its places come in order, so that
	// start is the first the phrase has, the one that gives its class.
	first := last && len(w.cursors) == 1
	for i := range w.cursors {
		c := &w.cursors[i]
		eachHit(c, chunk, func(j int) {
			from, to := sc.from[j], sc.to[j]
			if from == to || last && marks[from] {
				return
			}
			c.next = markContinued(c.ps, c.at, starts[from:to], marks[from:to], int32(delta), first)
		})
	}
	any := false
	for j := range chunk {
		w := sc.from[j]
		for x := sc.from[j]; x < sc.to[j]; x++ {
			if marks[x] {
				starts[w] = starts[x]
				w++
			}
		}
		sc.to[j] = w
		any = any || w > sc.from[j]
	}
	return any
}

// markContinued marks the starts (increasing) that the places of the
// entry at ps[at:] continue, a place p continuing the start p-delta;
// with first, it stops at the first. It gives where the entry ends.
func markContinued[T ~string | ~[]byte](ps T, at int, starts []uint32, marks []bool, delta int32, first bool) int {
	count, k := uvarint(ps, at)
	// The first start at or after each place's: walked to when there are
	// more places than starts, else found by a binary search.
	walk := count >= uint64(len(starts))
	x, end := 0, len(starts)
	var place uint32
	for n := uint64(0); n < count && k < len(ps); n++ {
		if n == 0 {
			var v uint64
			v, k = uvarint(ps, k)
			place = placeOfFirst(v)
		} else if b := ps[k]; b < 0x80 { // most gaps take one byte
			k++
			place += uint32(b) + 1
		} else {
			var v uint64
			v, k = uvarint(ps, k)
			place += uint32(v) + 1
		}
		want := int32(place) - delta // places stay under 1<<24
		if int32(starts[x]) < want {
			if walk {
				for x++; x < end && int32(starts[x]) < want; x++ {
				}
			} else {
				lo, hi := x+1, end
				for lo < hi {
					h := int(uint(lo+hi) >> 1)
					if int32(starts[h]) < want {
						lo = h + 1
					} else {
						hi = h
					}
				}
				x = lo
			}
			if x == end {
				return skipUvarints(ps, k, int(count-n-1))
			}
		}
		if int32(starts[x]) == want {
			marks[x] = true
			if first {
				return skipUvarints(ps, k, int(count-n-1))
			}
		}
	}
	return k
}
