package store

import "math/bits"

// placeCursor walks one word's documents and places in a segment, for
// checking a phrase document by document without decoding more places
// than it needs.
type placeCursor[T ~string | ~[]byte] struct {
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

func newPlaceCursor[T ~string | ~[]byte](list string, ps T) *placeCursor[T] {
	return &placeCursor[T]{list: list, ps: ps, li: 1, doc: -1}
}

// nextDoc moves to the next document; false at the end.
func (c *placeCursor[T]) nextDoc() bool {
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
func (c *placeCursor[T]) seek(doc int) bool {
	for c.doc < doc {
		if !c.nextDoc() {
			c.doc = 1 << 30
			return false
		}
	}
	return c.doc == doc
}

// begin reads the current entry's count.
func (c *placeCursor[T]) begin() {
	n, off := uvarint(c.ps, c.at)
	c.left, c.off, c.begun = int(n), off, true
}

// next gives the current document's next place; false when none is left.
func (c *placeCursor[T]) next() (uint32, bool) {
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

// adjacentIn reports whether, in their current document, the cursors'
// words follow each other, and the first place where they do.
func adjacentIn[T ~string | ~[]byte](cursors []*placeCursor[T]) (uint32, bool) {
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

// streamPhrase finds the documents (increasing) that have the words one
// after the other, each word's list and places given: for each, its
// first place. It is phraseInPlaces for words of one form each.
func streamPhrase[T ~string | ~[]byte](lists []string, places []T, docs []int32, found func(d int, place uint32)) {
	cursors := make([]*placeCursor[T], len(lists))
	for k := range lists {
		cursors[k] = newPlaceCursor(lists[k], places[k])
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
		if p, ok := adjacentIn(cursors); ok {
			found(d, p)
		}
	}
}
