package store

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Corpus is a loaded set of briefings, sorted by date, with its registry,
// its indexes and the problems met while loading.
type Corpus struct {
	Name string

	fsys      fs.FS
	registry  *Registry
	briefings []*Briefing // oldest first
	byID      map[string]*Briefing
	problems  []Problem
	seen      int
	rejected  int

	byOfficial map[*Official][]int // positions in briefings
	byName     map[string][]int    // folded names the registry does not know
	byTopic    map[string][]int    // folded topics
	topicNames map[string]string   // each folded topic as first written
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
	// byIDChanged, when set, holds the ids that changed since the snapshot
	// whose byID this one shares (a nil briefing for an id gone): see
	// source_delta.go. byID answers for the others.
	byIDChanged map[string]*Briefing

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
			c.problems = append(c.problems, Problem{Path: b.Path, Line: ref.line, Severity: Warning,
				Message: fmt.Sprintf("official %q is not in the registry; add them to %s to match other spellings", clip(ref.Name), RegistryFile)})
		}
	}
}

// index sorts the briefings and builds the lookup tables.
func (c *Corpus) index() {
	c.sortByDate()
	c.byOfficial = map[*Official][]int{}
	c.byName = map[string][]int{}
	c.byTopic = map[string][]int{}
	c.topicNames = map[string]string{}
	folded := map[string]string{} // memoized Fold: topics and names repeat
	fold := func(s string) string {
		f, ok := folded[s]
		if !ok {
			f = Fold(s)
			folded[s] = f
		}
		return f
	}
	for i, b := range c.briefings {
		for _, ref := range b.Officials {
			if ref.Official != nil {
				if !seenLast(c.byOfficial[ref.Official], i) {
					c.byOfficial[ref.Official] = append(c.byOfficial[ref.Official], i)
				}
				continue
			}
			k := fold(ref.Name)
			if !seenLast(c.byName[k], i) {
				c.byName[k] = append(c.byName[k], i)
			}
		}
		for _, t := range b.Topics {
			k := fold(t)
			if _, ok := c.topicNames[k]; !ok {
				c.topicNames[k] = t
			}
			if !seenLast(c.byTopic[k], i) {
				c.byTopic[k] = append(c.byTopic[k], i)
			}
		}
	}
	c.people = c.buildPeople()
}

// sortByDate orders the briefings on the timeline (Date.Compare), ties by
// id, with each sort key computed once.
func (c *Corpus) sortByDate() {
	type keyed struct {
		key int
		b   *Briefing
	}
	keys := make([]keyed, len(c.briefings))
	for i, b := range c.briefings {
		keys[i] = keyed{b.Date.first()*4 + int(b.Date.Precision), b}
	}
	slices.SortFunc(keys, func(x, y keyed) int {
		if x.key != y.key {
			return cmp.Compare(x.key, y.key)
		}
		return strings.Compare(x.b.ID, y.b.ID)
	})
	for i, k := range keys {
		c.briefings[i] = k.b
	}
}

func seenLast(list []int, i int) bool { return len(list) > 0 && list[len(list)-1] == i }
