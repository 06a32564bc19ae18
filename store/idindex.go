package store

import "hash/maphash"

// idIndex finds a corpus' briefings by id: a hash table of their positions
// in the corpus, open addressing with linear probing, four bytes a slot
// and under two slots a briefing; a map of ids costs some 33 bytes a
// briefing.
type idIndex struct {
	slots []int32 // a position plus one; 0 for an empty slot
	seed  maphash.Seed
}

// newIDIndex makes an index for n briefings.
func newIDIndex(n int) idIndex {
	size := 16
	for size < n+n/2 {
		size *= 2
	}
	return idIndex{slots: make([]int32, size), seed: maphash.MakeSeed()}
}

// add indexes the briefing at position i of bs, unless a briefing of the
// same id is indexed already: that one is given instead.
func (x idIndex) add(bs []*Briefing, i int) *Briefing {
	mask := len(x.slots) - 1
	for s := int(maphash.String(x.seed, bs[i].ID)) & mask; ; s = (s + 1) & mask {
		switch at := x.slots[s]; {
		case at == 0:
			x.slots[s] = int32(i) + 1
			return nil
		case bs[at-1].ID == bs[i].ID:
			return bs[at-1]
		}
	}
}

// move follows the briefings to new positions: to[i] is the new position
// of the briefing that was at i.
func (x idIndex) move(to []int32) {
	for s, at := range x.slots {
		if at != 0 {
			x.slots[s] = to[at-1] + 1
		}
	}
}

// find gives the briefing of bs with this id, or nil.
func (x idIndex) find(bs []*Briefing, id string) *Briefing {
	if p := x.position(bs, id); p >= 0 {
		return bs[p]
	}
	return nil
}

// position gives the position in bs of the briefing with this id, or -1.
func (x idIndex) position(bs []*Briefing, id string) int {
	if len(x.slots) == 0 {
		return -1
	}
	mask := len(x.slots) - 1
	for s := int(maphash.String(x.seed, id)) & mask; ; s = (s + 1) & mask {
		at := x.slots[s]
		if at == 0 {
			return -1
		}
		if bs[at-1].ID == id {
			return int(at - 1)
		}
	}
}
