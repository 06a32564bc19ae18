package store

import (
	"fmt"
	"hash/maphash"
	"io/fs"
	"slices"
	"sync"
)

// corpusBuilder makes a Corpus of a folder's files, given one by one in
// walk order (so that of two files with the same id, the first found is
// kept): a load that reads files while it walks (walkAndParse) adds them
// as each run of files is parsed, leaving little to do once the last is.
type corpusBuilder struct {
	c    *Corpus
	byID idIndex // in walk order, to find an id used twice
	// tags holds, beside each slot of byID, the low 32 bits of its id's
	// hash: most probes are settled without reading a briefing, and the
	// index grows without hashing an id again.
	tags  []uint32
	known map[string]*Official
	memo  map[string]refMemo // for a liveIndexer, in place of known
	files int                // the files added
	ix    *liveIndexer       // nil: the lookup tables are built by finish
}

// newCorpusBuilder starts a corpus; files is how many files are expected
// (a hint). With live, the lookup tables are built as briefings are
// added, and finish has only to sort them and place them.
func newCorpusBuilder(name string, fsys fs.FS, registry *Registry, files int, live bool) *corpusBuilder {
	cb := &corpusBuilder{
		c:     &Corpus{Name: name, fsys: fsys, registry: registry, briefings: make([]*Briefing, 0, files)},
		byID:  newIDIndex(files),
		known: map[string]*Official{},
	}
	cb.tags = make([]uint32, len(cb.byID.slots))
	if live {
		cb.ix, cb.memo = newLiveIndexer(), map[string]refMemo{}
	}
	return cb
}

// add adds the next file in walk order.
func (cb *corpusBuilder) add(f *fileState) {
	c := cb.c
	cb.files++
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
		return
	}
	c.briefings = append(grown(c.briefings), b)
	if n := len(c.briefings); n+n/2 > len(cb.byID.slots) {
		cb.grow()
	}
	if first := cb.addID(c.briefings, len(c.briefings)-1); first != nil {
		c.briefings = c.briefings[:len(c.briefings)-1]
		c.problems = append(c.problems, Problem{Path: b.Path, Line: int(b.idLine), Severity: Error,
			Message: fmt.Sprintf("duplicate id %q: %s already uses it; give one of them another id", b.ID, first.Path)})
		c.rejected++
		return
	}
	if cb.ix == nil {
		c.resolveOfficials(b, cb.known)
		return
	}
	cb.resolveAndNote(b)
}

// refMemo is what a corpusBuilder with a liveIndexer knows of a name
// given to an official: the official of the registry it names, if any,
// and its number on the indexer's lists (the official's, or ^ the
// folded name's).
type refMemo struct {
	o *Official
	n int32
}

// resolveAndNote links b's officials to the registry, as resolveOfficials
// does, and notes b in the indexer, with one lookup of each name.
func (cb *corpusBuilder) resolveAndNote(b *Briefing) {
	c, ix := cb.c, cb.ix
	i := ix.addKey(c.briefings)
	var lines []int
	for j := range b.Officials {
		ref := &b.Officials[j]
		m, ok := cb.memo[ref.Name]
		if !ok {
			m.o = c.registry.Lookup(ref.Name)
			if m.o != nil {
				m.n = ix.officials.numbered(m.o)
			} else {
				m.n = ^ix.names.numbered(Fold(ref.Name))
			}
			cb.memo[ref.Name] = m
		}
		if ref.Official != m.o {
			ref.Official = m.o
		}
		if m.o == nil && c.registry != nil {
			c.warnUnknown(b, j, &lines)
		}
		if m.n >= 0 && ix.officials.counted(m.n, i) || m.n < 0 && ix.names.counted(^m.n, i) {
			ix.officialRefs = append(grown(ix.officialRefs), m.n)
		}
	}
	ix.refsAt = append(grown(ix.refsAt), int32(len(ix.officialRefs)))
	ix.addTopics(b, i)
}

// addID indexes the briefing at position i of bs, as byID.add does.
func (cb *corpusBuilder) addID(bs []*Briefing, i int) *Briefing {
	x := cb.byID
	h := maphash.String(x.seed, bs[i].ID)
	mask := len(x.slots) - 1
	for s := int(h) & mask; ; s = (s + 1) & mask {
		switch at := x.slots[s]; {
		case at == 0:
			x.slots[s], cb.tags[s] = int32(i)+1, uint32(h)
			return nil
		case cb.tags[s] == uint32(h) && bs[at-1].ID == bs[i].ID:
			return bs[at-1]
		}
	}
}

// grow makes the id index the size newIDIndex gives for the briefings
// added so far, the last included: in the end, the size it would have had
// for their number known beforehand. Each id goes where its hash, whose
// low bits its tag holds, puts it in the larger index.
func (cb *corpusBuilder) grow() {
	old, oldTags := cb.byID.slots, cb.tags
	cb.byID.slots = newIDIndex(len(cb.c.briefings)).slots
	cb.tags = make([]uint32, len(cb.byID.slots))
	mask := len(cb.byID.slots) - 1
	for s, at := range old {
		if at == 0 {
			continue
		}
		t := oldTags[s]
		n := int(t) & mask
		for cb.byID.slots[n] != 0 {
			n = (n + 1) & mask
		}
		cb.byID.slots[n], cb.tags[n] = at, t
	}
}

// finish makes the corpus of the files added and what else sc found
// (the walk's problems, the registry's).
func (cb *corpusBuilder) finish(sc *scanned) *Corpus {
	c := cb.c
	files := c.problems
	c.problems = make([]Problem, 0, len(sc.walkProblems)+len(sc.regProblems)+1+len(files))
	c.problems = append(c.problems, sc.walkProblems...)
	c.problems = append(c.problems, sc.regProblems...)
	if sc.failure != nil {
		c.problems = append(c.problems, *sc.failure)
	}
	c.problems = append(c.problems, files...)
	c.seen, c.rejected = cb.files+sc.refused, c.rejected+sc.refused
	c.byID = cb.byID
	sortProblems(c.problems)
	if cb.ix == nil {
		c.index()
		return c
	}
	cb.ix.index(c)
	return c
}

// liveIndexer builds a corpus' lookup tables (see Corpus.index) as its
// briefings are added, before they are sorted: it gives each official,
// name and topic a number as it first meets it, and notes which each
// briefing has and how many briefings have each. Once the briefings are
// sorted, every list is then laid out in its place in one pass, with no
// lookups by name left to do.
type liveIndexer struct {
	// keys are the briefings' sort keys, in the order added; each run of
	// sortRun of them is sorted once complete, keys[:sorted] are.
	keys   []timelineKey
	sorted int

	officials *listsOf[*Official]
	names     *listsOf[string] // folded names the registry does not know
	topics    *listsOf[string] // folded
	// rawTopic numbers each spelling of a topic met: most repeat as they
	// are (corpusBuilder.memo does so for names).
	rawTopic map[string]int32

	// officialRefs lists, briefing after briefing, the officials each
	// has (a number of officials), then the names (^ a number of names);
	// topicRefs the topics. refsAt[i] and topicsAt[i] are where the i-th
	// briefing's start.
	officialRefs, topicRefs []int32
	refsAt, topicsAt        []int32
}

// listsOf numbers the keys of one table and counts the briefings on each
// key's list.
type listsOf[K comparable] struct {
	number map[K]int32
	keys   []K
	count  []int32
	last   []int32 // the last briefing counted on each list
}

func newListsOf[K comparable]() *listsOf[K] { return &listsOf[K]{number: map[K]int32{}} }

// numbered gives k's number, numbering it if it has none.
func (l *listsOf[K]) numbered(k K) int32 {
	n, known := l.number[k]
	if !known {
		n = int32(len(l.keys))
		l.number[k] = n
		l.keys = append(l.keys, k)
		l.count = append(l.count, 0)
		l.last = append(l.last, -1)
	}
	return n
}

// counted notes briefing i on list n, unless it is there already.
func (l *listsOf[K]) counted(n, i int32) bool {
	if l.last[n] == i {
		return false
	}
	l.last[n] = i
	l.count[n]++
	return true
}

// layOut gives each list a place in one block, each of its exact size,
// empty; fill appends to them.
func (l *listsOf[K]) layOut(block []int32) (lists [][]int32, rest []int32) {
	lists = make([][]int32, len(l.keys))
	for n, count := range l.count {
		lists[n] = block[:0:count]
		block = block[count:]
	}
	return lists, block
}

func (l *listsOf[K]) total() int {
	t := 0
	for _, c := range l.count {
		t += int(c)
	}
	return t
}

// table gives the lists by key.
func (l *listsOf[K]) table(lists [][]int32) map[K][]int32 {
	m := make(map[K][]int32, len(lists))
	for n, list := range lists {
		m[l.keys[n]] = list
	}
	return m
}

func newLiveIndexer() *liveIndexer {
	return &liveIndexer{
		officials: newListsOf[*Official](),
		names:     newListsOf[string](),
		topics:    newListsOf[string](),
		rawTopic:  map[string]int32{},
		refsAt:    []int32{0},
		topicsAt:  []int32{0},
	}
}

// addKey notes the sort key of the next briefing, the last of bs (the
// briefings added), and gives its number.
func (ix *liveIndexer) addKey(bs []*Briefing) int32 {
	i := int32(len(ix.keys))
	ix.keys = append(grown(ix.keys), keyOf(bs[i], int(i)))
	if len(ix.keys)-ix.sorted == sortRun {
		slices.SortFunc(ix.keys[ix.sorted:], compareKeysOf(bs))
		ix.sorted = len(ix.keys)
	}
	return i
}

// addTopics notes the topics of briefing i.
func (ix *liveIndexer) addTopics(b *Briefing, i int32) {
	for _, t := range b.Topics {
		n, known := ix.rawTopic[t]
		if !known {
			n = ix.topics.numbered(Fold(t))
			ix.rawTopic[t] = n
		}
		if ix.topics.counted(n, i) {
			ix.topicRefs = append(grown(ix.topicRefs), n)
		}
	}
	ix.topicsAt = append(grown(ix.topicsAt), int32(len(ix.topicRefs)))
}

// index sorts c's briefings, which ix was given in order, and makes the
// lookup tables Corpus.index makes.
func (ix *liveIndexer) index(c *Corpus) {
	compare := compareKeysOf(c.briefings)
	slices.SortFunc(ix.keys[ix.sorted:], compare)
	to := c.placeSorted(mergeRuns(ix.keys, sortRun, compare))
	c.byID.move(to)
	from := make([]int32, len(to)) // the position before sorting of each briefing
	for i, p := range to {
		from[p] = int32(i)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		block := make([]int32, ix.officials.total()+ix.names.total())
		byOfficial, block := ix.officials.layOut(block)
		byName, _ := ix.names.layOut(block)
		for p, i := range from {
			for _, n := range ix.officialRefs[ix.refsAt[i]:ix.refsAt[i+1]] {
				if n >= 0 {
					byOfficial[n] = append(byOfficial[n], int32(p))
				} else {
					byName[^n] = append(byName[^n], int32(p))
				}
			}
		}
		c.byOfficial, c.byName = ix.officials.table(byOfficial), ix.names.table(byName)
	})
	byTopic, _ := ix.topics.layOut(make([]int32, ix.topics.total()))
	for p, i := range from {
		for _, n := range ix.topicRefs[ix.topicsAt[i]:ix.topicsAt[i+1]] {
			byTopic[n] = append(byTopic[n], int32(p))
		}
	}
	c.byTopic = ix.topics.table(byTopic)
	// Each topic is named by its first spelling on the timeline.
	c.topicNames = make(map[string]string, len(byTopic))
	for n, list := range byTopic {
		k := ix.topics.keys[n]
		for _, t := range c.briefings[list[0]].Topics {
			if m, ok := ix.rawTopic[t]; ok && int(m) == n {
				c.topicNames[k] = t
				break
			}
		}
	}
	wg.Wait()
	c.people = c.buildPeople()
}

// sortRun is how many sort keys a liveIndexer sorts at a time, as they
// come: the runs are then merged, in a few passes.
const sortRun = 2048

// mergeRuns sorts keys made of sorted runs of n keys (the last may be
// shorter), merging them two by two; it gives them sorted, in keys or in
// a slice of its own.
func mergeRuns(keys []timelineKey, n int, compare func(x, y timelineKey) int) []timelineKey {
	if n >= len(keys) {
		return keys
	}
	from, into := keys, make([]timelineKey, len(keys))
	for ; n < len(keys); n *= 2 {
		for lo := 0; lo < len(keys); lo += 2 * n {
			mid, hi := min(lo+n, len(keys)), min(lo+2*n, len(keys))
			a, b, out := from[lo:mid], from[mid:hi], into[lo:lo]
			for len(a) > 0 && len(b) > 0 {
				if compare(b[0], a[0]) < 0 {
					out, b = append(out, b[0]), b[1:]
				} else {
					out, a = append(out, a[0]), a[1:]
				}
			}
			out = append(out, a...)
			_ = append(out, b...)
		}
		from, into = into, from
	}
	return from
}

// grown gives s with room for one more, doubling it when it is full: the
// lists a corpusBuilder makes grow to the corpus' size, and append would
// grow them by a quarter at a time, copying them some five times over.
func grown[T any](s []T) []T {
	if len(s) < cap(s) {
		return s
	}
	return slices.Grow(s, max(len(s), 64))
}
