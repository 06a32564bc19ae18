package store

import (
	"cmp"
	"fmt"
	"io/fs"
	"strings"
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
