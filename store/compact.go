package store

import (
	"hash/maphash"
	"slices"
	"strings"
	"unsafe"
)

// A briefing's strings are first slices of what they were read from: the
// frontmatter's text when a file is parsed, the whole index cache when
// it is decoded. Kept as they are, each briefing would hold that text
// alive (1.2 KB of frontmatter; 95 MB of cache for 100,000 briefings).
// compact copies them out: the strings that repeat across briefings
// (kinds, places, countries, topics, officials) are interned, and so are
// the lists of countries and of topics; the rest, with the details packed
// (details.go), go side by side into blocks shared by many briefings.

// interner keeps one copy of each string that repeats across briefings,
// and of each list of them (a briefing's countries or topics: the same
// few lists recur). It is not safe for concurrent use: each loading worker
// has its own.
type interner struct {
	strs map[string]string
	// recent holds strings given before, each at its recentSlot: a
	// string found there (most are: a corpus has a few kinds and
	// places, and its officials recur) costs a comparison rather than
	// hashing it for strs. Each is strs's copy.
	recent [recentSlots]string
	lists  map[uint64][]string // by the hash of their strings
	seed   maphash.Seed
	// last is the list last given for each kind of list (countries,
	// topics): files read one after the other often share it, and
	// comparing with it costs less than hashing.
	last [2][]string
	// room is the blocks lists are carved from, of up to listBlock
	// strings each: one allocation for many lists, and blocks small
	// enough for the garbage collector to mark in place (see pack), with
	// no malloc header.
	room chunk[string]
}

// listBlock is the most strings a block of lists holds: smallBlock bytes.
const listBlock = smallBlock / int(unsafe.Sizeof(""))

// The number of strings and of lists an interner first makes room for:
// a loading worker interns a thousand or more of each, and its maps
// would otherwise grow, and be rehashed, eight times over.
const (
	internedStrings = 1 << 10
	internedLists   = 1 << 9
)

// The kinds of lists an interner remembers the last of.
const (
	countriesList = iota
	topicsList
)

func (in *interner) of(s string) string {
	if s == "" {
		return "" // a literal: an empty slice of the source still holds it
	}
	slot := &in.recent[recentSlot(s)]
	if *slot == s {
		return *slot
	}
	if in.strs == nil {
		in.strs = make(map[string]string, internedStrings)
	}
	v, ok := in.strs[s]
	if !ok {
		v = strings.Clone(s)
		in.strs[v] = v
	}
	*slot = v
	return v
}

// recentSlots is how many strings an interner keeps at hand (recent).
const recentSlots = 1 << 9

// recentSlot gives the place of s, not "", in an interner's recent
// strings: a hash of its length and of its last eight bytes, or of its
// first, middle and last when fewer. Two strings in one place only cost
// a look in strs.
func recentSlot(s string) uint {
	n := len(s)
	var h uint64
	if n >= 8 {
		h = le64(s[n-8:])
	} else {
		h = uint64(s[0]) | uint64(s[n/2])<<8 | uint64(s[n-1])<<16
	}
	return uint((h ^ uint64(n)) * 0x9e3779b97f4a7c15 >> (64 - 9))
}

// list gives the one copy of a list of strings, each interned: the same
// slice for every briefing that has the same list, its capacity its
// length, so that appending to it copies it. kind is what the list is
// (countriesList, topicsList).
func (in *interner) list(ss []string, kind int) []string {
	if len(ss) == 0 {
		return nil
	}
	if last := in.last[kind]; slices.Equal(last, ss) {
		return last
	}
	if in.lists == nil {
		in.lists, in.seed = make(map[uint64][]string, internedLists), maphash.MakeSeed()
	}
	// Each string's hash, mixed in order: two lists that differ hash
	// apart almost always, and a collision is caught by slices.Equal.
	var sum uint64
	for _, s := range ss {
		sum = (sum^maphash.String(in.seed, s))*0x9e3779b97f4a7c15 + 1
	}
	l, ok := in.lists[sum]
	if !ok || !slices.Equal(l, ss) {
		l = in.room.take(len(ss), listBlock)
		for i, s := range ss {
			l[i] = in.of(s)
		}
		if !ok { // another list of the same hash keeps its place
			in.lists[sum] = l
		}
	}
	in.last[kind] = l
	return l
}

// packer gathers a briefing's own strings into shared blocks: one
// allocation for many briefings, each briefing's strings side by side.
type packer struct {
	refs  chunk[OfficialRef] // the briefings' officials, side by side, refBlock to a block
	buf   []byte             // the details being packed
	block strings.Builder    // written only at its end: what String gave stays as it was
	small strings.Builder    // the same, for short ids and titles (pack)
}

// refBlock is how many officials a block holds: as many as fit in
// smallBlock bytes, for the reason pack gives.
const refBlock = smallBlock / int(unsafe.Sizeof(OfficialRef{}))

// The blocks strings are packed into start at firstPackBlock and double
// up to packBlock: a packer that packs one briefing (a CorpusSource
// reading a file that changed) holds little memory for it.
const (
	firstPackBlock = 1 << 10
	packBlock      = 64 << 10
)

// pack copies the packed details in p.buf into b.details, and b's own
// strings (its id, title and summary) beside them, pointing them all into
// the packer's blocks. A short id and title go into a block of their own
// (smallBlock): the garbage collector marks a pointer into a block that
// small at half the cost of one into a large block, and every collection
// during a load marks those of every briefing loaded so far.
func (p *packer) pack(b *Briefing) {
	size := len(p.buf) + len(b.Summary)
	small := len(b.ID)+len(b.Title) <= smallPack
	if small {
		roomIn(&p.small, len(b.ID)+len(b.Title), smallBlock)
		packInto(&p.small, &b.ID, &b.Title)
	} else {
		size += len(b.ID) + len(b.Title)
	}
	if size == 0 {
		// An empty slice of the source would still hold the source.
		b.details, b.Summary = "", ""
		return
	}
	roomIn(&p.block, size, min(packBlock, max(firstPackBlock, 2*p.block.Cap())))
	at := p.block.Len()
	p.block.Write(p.buf)
	b.details, _ = packed(p.block.String(), at, len(p.buf))
	if !small {
		packInto(&p.block, &b.ID, &b.Title)
	}
	packInto(&p.block, &b.Summary)
}

// roomIn makes room for n more bytes in block: if it has not, a new
// block of size bytes (or n, if more) replaces it, so that what String
// gave of the last one stays as it was.
func roomIn(block *strings.Builder, n, size int) {
	if block.Cap()-block.Len() < n {
		*block = strings.Builder{}
		block.Grow(max(size, n))
	}
}

// packInto appends each of ss to block, which has room for them, and
// points it at its copy there.
func packInto(block *strings.Builder, ss ...*string) {
	for _, s := range ss {
		at := block.Len()
		block.WriteString(*s)
		*s, _ = packed(block.String(), at, len(*s))
	}
}

// A briefing's id and title are packed apart, in blocks of smallBlock
// bytes, when together they take smallPack bytes or fewer: the most a
// block leaves unused at its end. smallBlock is the largest size the
// garbage collector marks objects of in place (heapBitsInSpan in the
// runtime's mbitmap.go).
const (
	smallBlock = 512
	smallPack  = smallBlock / 4
)

// packed gives the n bytes of block at at, and where the next string
// starts: "" when n is 0, as an empty slice of the block would still hold
// it.
func packed(block string, at, n int) (string, int) {
	if n == 0 {
		return "", at
	}
	return block[at : at+n], at + n
}

// compact makes b's strings its own (see above), and packs its details d
// and the lines of its officials into it. Its officials are copied into a
// block shared with other briefings' (b's slice of them may be scratch
// space). Path is left to the caller: it
// is the walk's, shared with the file's state.
func compact(b *Briefing, d *Details, lines []int, in *interner, p *packer) {
	p.buf = packDetails(p.buf[:0], d, lines)
	compactPacked(b, d.Dating.Basis, in, p)
}

// compactDecoded is compact for a briefing decodeBriefing decoded with
// dec.
func compactDecoded(b *Briefing, dec *decoding, in *interner, p *packer) {
	p.buf = packDecoded(p.buf[:0], dec)
	compactPacked(b, dec.details.Dating.Basis, in, p)
}

// compactPacked is compact once the details are packed in p.buf.
func compactPacked(b *Briefing, basis Basis, in *interner, p *packer) {
	b.Kind = in.of(b.Kind)
	b.Location = in.of(b.Location)
	b.Status = in.of(b.Status)
	b.Date.Season = in.of(b.Date.Season)
	b.Countries = in.list(b.Countries, countriesList)
	b.Topics = in.list(b.Topics, topicsList)
	if len(b.Officials) > 0 {
		refs := p.refs.take(len(b.Officials), refBlock)
		for i, ref := range b.Officials {
			refs[i] = OfficialRef{Name: in.of(ref.Name), Official: ref.Official}
		}
		b.Officials = refs
	}
	b.basis = codeOf(basis)
	p.pack(b)
}
