package store

import (
	"fmt"
	"io/fs"
	"slices"
	"sync"
)

// corpusAsBefore makes a Corpus of what was scanned as Load did before
// its lookup tables were built as briefings come (liveIndexer): each
// briefing's officials resolved with a map of the names met, then the
// briefings sorted and every table built from them at the end. It is
// the reference TestLiveIndexAsIndex holds corpusBuilder to.
func corpusAsBefore(sc *scanned, name string, fsys fs.FS) *Corpus {
	c := &Corpus{Name: name, fsys: fsys, registry: sc.registry}
	c.problems = append(c.problems, sc.walkProblems...)
	c.problems = append(c.problems, sc.regProblems...)
	if sc.failure != nil {
		c.problems = append(c.problems, *sc.failure)
	}
	c.seen, c.rejected = len(sc.files)+sc.refused, sc.refused
	byID := newIDIndex(len(sc.files)) // in walk order, to find an id used twice
	known := map[string]*Official{}
	for i := range sc.files {
		f := &sc.files[i]
		c.problems = append(c.problems, f.problems...)
		b := f.briefing
		if b == nil && f.kept != nil {
			b = f.kept
			if c.kept == nil {
				c.kept = map[*Briefing]bool{}
			}
			c.kept[b] = true
			c.problems = append(c.problems, keptWarning(f.path))
		}
		if b == nil {
			c.rejected++
			continue
		}
		c.briefings = append(c.briefings, b)
		if first := byID.add(c.briefings, len(c.briefings)-1); first != nil {
			c.briefings = c.briefings[:len(c.briefings)-1]
			c.problems = append(c.problems, Problem{Path: b.Path, Line: int(b.idLine), Severity: Error,
				Message: fmt.Sprintf("duplicate id %q: %s already uses it; give one of them another id", b.ID, first.Path)})
			c.rejected++
			continue
		}
		c.resolveOfficials(b, known)
	}
	c.byID = byID
	sortProblems(c.problems)
	c.index()
	return c
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

func seenLast(list []int32, i int32) bool { return len(list) > 0 && list[len(list)-1] == i }
