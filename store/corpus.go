package store

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
)

// Corpus is a loaded set of briefings, sorted by date, with its registry,
// its indexes and the problems met while loading.
type Corpus struct {
	Name string

	fsys      fs.FS
	registry  *Registry
	briefings []*Briefing // oldest first
	byID      idIndex
	problems  []Problem
	seen      int
	rejected  int

	byOfficial map[*Official][]int32 // positions in briefings
	byName     map[string][]int32    // folded names the registry does not know
	byTopic    map[string][]int32    // folded topics
	topicNames map[string]string     // each folded topic as first written
	people     []Person
	search     search // the free-text index, built on demand

	// kept holds the briefings that are the last version that loaded of
	// a file that no longer does (only a CorpusSource keeps them).
	kept map[*Briefing]bool
	// bodies remembers the last bodies read, shared by the snapshots of
	// a CorpusSource, so that a kept briefing can still show its body; nil for
	// a corpus Load made.
	bodies *bodyMemo
	// generation numbers a CorpusSource's snapshots from 1; 0 for Load's.
	generation uint64
	// loading is set on a partial snapshot, made while a CorpusSource was
	// still loading its folder (see Partial).
	loading *Progress

	// textCachePath is where the free-text index is saved beside the index
	// cache ("" for none); stamp identifies the build that may read it.
	textCachePath, stamp string
}

// Briefings lists every loaded briefing, oldest first. The slice is shared:
// do not modify it.
func (c *Corpus) Briefings() []*Briefing { return c.briefings }

// Registry gives the officials registry in use.
func (c *Corpus) Registry() *Registry { return c.registry }

// Problems lists every error and warning met while loading, by file and
// line.
func (c *Corpus) Problems() []Problem { return c.problems }

// Seen counts the briefing files found; Rejected those that could not be
// loaded. Seen = len(Briefings()) + Rejected.
func (c *Corpus) Seen() int     { return c.seen }
func (c *Corpus) Rejected() int { return c.rejected }

// Errors counts the problems that are errors.
func (c *Corpus) Errors() int {
	n := 0
	for _, p := range c.problems {
		if p.Severity == Error {
			n++
		}
	}
	return n
}

// resolveOfficials links the briefing's names to the registry, warning
// about names it does not know. known memoizes lookups across briefings.
func (c *Corpus) resolveOfficials(b *Briefing, known map[string]*Official) {
	var lines []int // unpacked for the first warning
	for i := range b.Officials {
		ref := &b.Officials[i]
		o, ok := known[ref.Name]
		if !ok {
			o = c.registry.Lookup(ref.Name)
			known[ref.Name] = o
		}
		if ref.Official != o { // a briefing a CorpusSource carries over is resolved already, and may be read
			ref.Official = o
		}
		if ref.Official == nil && c.registry != nil {
			c.warnUnknown(b, i, &lines)
		}
	}
}

// warnUnknown warns that b's i-th official is not in the registry; lines
// are those of b's officials, unpacked by the first warning.
func (c *Corpus) warnUnknown(b *Briefing, i int, lines *[]int) {
	if *lines == nil {
		*lines = b.officialLines(nil)
	}
	c.problems = append(c.problems, Problem{Path: b.Path, Line: (*lines)[i], Severity: Warning,
		Message: fmt.Sprintf("official %q is not in the registry; add them to %s to match other spellings", clip(b.Officials[i].Name), RegistryFile)})
}

// index sorts the briefings and builds the lookup tables; byID indexes
// the briefings in their order before sorting, and follows them. The
// officials' and the topics' tables are built side by side: reading every
// briefing's lists is most of a cold load's last, single-threaded step.
func (c *Corpus) index() {
	c.byID.move(c.sortByDate())
	var wg sync.WaitGroup
	wg.Go(func() { c.byOfficial, c.byName = c.indexOfficials() })
	c.byTopic, c.topicNames = c.indexTopics()
	wg.Wait()
	c.people = c.buildPeople()
}

// indexOfficials lists where each official of the registry, and each
// name it does not know (folded), takes part.
func (c *Corpus) indexOfficials() (map[*Official][]int32, map[string][]int32) {
	byOfficial, byName := map[*Official][]int32{}, map[string][]int32{}
	fold := memoFold()
	for i, b := range c.briefings {
		i := int32(i)
		for _, ref := range b.Officials {
			if ref.Official != nil {
				if !seenLast(byOfficial[ref.Official], i) {
					byOfficial[ref.Official] = append(byOfficial[ref.Official], i)
				}
				continue
			}
			k := fold(ref.Name)
			if !seenLast(byName[k], i) {
				byName[k] = append(byName[k], i)
			}
		}
	}
	block := make([]int32, 0, total(byOfficial)+total(byName))
	packLists(byOfficial, &block)
	packLists(byName, &block)
	return byOfficial, byName
}

// indexTopics lists where each topic (folded) is, and names each by its
// first spelling.
func (c *Corpus) indexTopics() (map[string][]int32, map[string]string) {
	byTopic, names := map[string][]int32{}, map[string]string{}
	fold := memoFold()
	for i, b := range c.briefings {
		i := int32(i)
		for _, t := range b.Topics {
			k := fold(t)
			if _, ok := names[k]; !ok {
				names[k] = t
			}
			if !seenLast(byTopic[k], i) {
				byTopic[k] = append(byTopic[k], i)
			}
		}
	}
	block := make([]int32, 0, total(byTopic))
	packLists(byTopic, &block)
	return byTopic, names
}

// memoFold gives Fold, remembering what it folded: names and topics
// repeat.
func memoFold() func(string) string {
	folded := map[string]string{}
	return func(s string) string {
		f, ok := folded[s]
		if !ok {
			f = Fold(s)
			folded[s] = f
		}
		return f
	}
}

// total counts the positions in an index's lists.
func total[K comparable](m map[K][]int32) int {
	n := 0
	for _, l := range m {
		n += len(l)
	}
	return n
}

// packLists moves an index's lists, which grew by appending, end to end
// into block, each of its exact size.
func packLists[K comparable](m map[K][]int32, block *[]int32) {
	for k, l := range m {
		from := len(*block)
		*block = append(*block, l...)
		m[k] = (*block)[from:len(*block):len(*block)]
	}
}

// sortByDate orders the briefings on the timeline (Date.Compare), ties by
// id, with each sort key computed once. It gives where each briefing
// went: to[i] is the new position of the briefing that was at i.
func (c *Corpus) sortByDate() (to []int32) {
	keys := make([]timelineKey, len(c.briefings))
	for i, b := range c.briefings {
		keys[i] = keyOf(b, i)
	}
	slices.SortFunc(keys, compareKeysOf(c.briefings))
	return c.placeSorted(keys)
}

// timelineKey is a briefing's sort key, with its position before sorting
// (holding no pointer, keys are moved about without write barriers).
type timelineKey struct {
	key int
	id  uint64 // the id's first 8 bytes: most ties are broken without reading the briefing
	at  int32
}

func keyOf(b *Briefing, at int) timelineKey {
	var id uint64
	for i := range 8 {
		id <<= 8
		if i < len(b.ID) {
			id |= uint64(b.ID[i])
		}
	}
	return timelineKey{sortKey(b), id, int32(at)}
}

// compareKeysOf orders the keys of the briefings bs (by position) on the
// timeline (see timelineCompare).
func compareKeysOf(bs []*Briefing) func(x, y timelineKey) int {
	return func(x, y timelineKey) int {
		switch {
		case x.key != y.key:
			return cmp.Compare(x.key, y.key)
		case x.id != y.id:
			return cmp.Compare(x.id, y.id)
		}
		return strings.Compare(bs[x.at].ID, bs[y.at].ID)
	}
}

// placeSorted puts the briefings in the order of keys, sorted, in a
// slice of their number, and gives where each went.
func (c *Corpus) placeSorted(keys []timelineKey) (to []int32) {
	to = make([]int32, len(keys))
	sorted := make([]*Briefing, len(keys))
	for i, k := range keys {
		sorted[i] = c.briefings[k.at]
		to[k.at] = int32(i)
	}
	c.briefings = sorted
	return to
}

func seenLast(list []int32, i int32) bool { return len(list) > 0 && list[len(list)-1] == i }
