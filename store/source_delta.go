package store

import (
	"cmp"
	"maps"
	"slices"
	"strings"
)

// When a few files change, a CorpusSource makes the next snapshot from
// the last one rather than from the whole scan: it takes the changed
// briefings out of the sorted list and puts their new versions in, edits
// the index lists they are on (shifting the positions of the others when
// the order moved), replaces their problems, and makes the id table anew
// (it holds positions). The snapshot is the one the whole scan
// would make, field for field (TestSnapshotFromChanges holds it to
// that); what it cannot do as cheaply (a new registry, a duplicate id
// involved, a snapshot still loading) goes the whole way.

// fileDelta is one file whose outcome changed between two scans: before
// is its state in the last one, after in the next; a new file has no
// before, a removed one no after.
type fileDelta struct {
	before, after       fileState
	hasBefore, hasAfter bool
}

// deltaMax is the most changed files a snapshot is made from the last
// one for: beyond it, the whole scan costs about as much.
const deltaMax = 256

// shown gives the briefing a file's state shows in a snapshot: its own,
// or the last version that loaded; nil when it shows none.
func (f *fileState) shown() *Briefing {
	if f.briefing != nil {
		return f.briefing
	}
	return f.kept
}

// sortKey gives the timeline's sort key of a briefing (see sortByDate).
func sortKey(b *Briefing) int { return b.Date.first()*4 + int(b.Date.Precision) }

// timelineCompare orders briefings on the timeline: by date, then id.
func timelineCompare(a, b *Briefing) int {
	if c := cmp.Compare(sortKey(a), sortKey(b)); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// contestedIDs gives the ids more than one file of sc shows (one of them
// rejected as a duplicate in c, sc's snapshot); nil when there are none,
// found without a map.
func contestedIDs(sc *scanned, c *Corpus) map[string]bool {
	n := 0
	for i := range sc.files {
		if sc.files[i].shown() != nil {
			n++
		}
	}
	if n == len(c.briefings) {
		return nil
	}
	ids := map[string]bool{}
	for i := range sc.files {
		if b := sc.files[i].shown(); b != nil && c.ByID(b.ID) != b {
			ids[b.ID] = true
		}
	}
	return ids
}

// withChanges makes the snapshot of sc from c, the snapshot of the scan
// before it, given the files that changed; ok is false when it cannot
// (the caller then makes it from sc whole). contested are the ids more
// than one file showed in c's scan.
func (c *Corpus) withChanges(sc *scanned, deltas []fileDelta, contested map[string]bool) (next *Corpus, ok bool) {
	if len(deltas) == 0 || len(deltas) > deltaMax || c.loading != nil || sc.registry != c.registry {
		return nil, false
	}
	type change struct {
		old, new *Briefing // shown before and after (nil for none)
		oldAt    int       // old's position in c.briefings
		path     string
	}
	changes := make([]change, 0, len(deltas))
	newIDs := map[string]bool{}
	for i := range deltas {
		d := &deltas[i]
		ch := change{oldAt: -1}
		if d.hasBefore {
			ch.old, ch.path = d.before.shown(), d.before.path
		}
		if d.hasAfter {
			ch.new, ch.path = d.after.shown(), d.after.path
		}
		if ch.old != nil {
			// It must be the one its id shows, its id held by no other
			// file: else the duplicate rules decide anew.
			if contested[ch.old.ID] || c.ByID(ch.old.ID) != ch.old {
				return nil, false
			}
			at, found := slices.BinarySearchFunc(c.briefings, ch.old, timelineCompare)
			if !found || c.briefings[at] != ch.old {
				return nil, false
			}
			ch.oldAt = at
		}
		if b := ch.new; b != nil {
			if newIDs[b.ID] {
				return nil, false
			}
			if held := c.ByID(b.ID); held != nil && (ch.old == nil || held != ch.old) {
				return nil, false // the id of another file: a duplicate
			}
			newIDs[b.ID] = true
		}
		changes = append(changes, ch)
	}

	n := &Corpus{Name: c.Name, fsys: c.fsys, registry: c.registry, seen: c.seen, rejected: c.rejected}
	known := map[string]*Official{}
	problems := map[string][]Problem{} // each changed path's block, as the whole scan makes it
	for i := range deltas {
		d := &deltas[i]
		if d.hasBefore {
			n.seen--
			if d.before.shown() == nil {
				n.rejected--
			}
		}
		if !d.hasAfter {
			problems[d.before.path] = nil
			continue
		}
		n.seen++
		f := &d.after
		block := slices.Clone(f.problems)
		b := f.shown()
		if b == nil {
			n.rejected++
		} else {
			if f.briefing == nil {
				block = append(block, keptWarning(f.path))
			}
			tmp := &Corpus{registry: c.registry}
			tmp.resolveOfficials(b, known)
			block = append(block, tmp.problems...)
		}
		sortProblems(block)
		problems[f.path] = block
	}
	n.problems = replaceProblems(c.problems, problems)

	// The sorted list: in place when each changed briefing keeps its
	// place, else merged.
	var moved []*Briefing // new versions to merge in
	var removed []int     // old positions to take out
	n.briefings = slices.Clone(c.briefings)
	for _, ch := range changes {
		switch {
		case ch.old != nil && ch.new != nil && timelineCompare(ch.old, ch.new) == 0:
			n.briefings[ch.oldAt] = ch.new
		default:
			if ch.old != nil {
				removed = append(removed, ch.oldAt)
			}
			if ch.new != nil {
				moved = append(moved, ch.new)
			}
		}
	}
	// remap gives each old position its new one (-1: gone); positions
	// below lo keep theirs. nil when nothing moved.
	var remap []int32
	lo := len(c.briefings)
	if len(removed) > 0 || len(moved) > 0 {
		slices.Sort(removed)
		slices.SortFunc(moved, timelineCompare)
		ins := make([]int, len(moved)) // where each goes, among the old positions
		for i, b := range moved {
			ins[i], _ = slices.BinarySearchFunc(c.briefings, b, timelineCompare)
		}
		if len(removed) > 0 {
			lo = removed[0]
		}
		if len(ins) > 0 {
			lo = min(lo, ins[0])
		}
		old := n.briefings
		merged := make([]*Briefing, 0, len(old)-len(removed)+len(moved))
		merged = append(merged, old[:lo]...)
		remap = make([]int32, len(old))
		for i := range lo {
			remap[i] = int32(i)
		}
		r, m := 0, 0
		for i := lo; i <= len(old); i++ {
			for m < len(moved) && ins[m] == i {
				merged = append(merged, moved[m])
				m++
			}
			if i == len(old) {
				break
			}
			if r < len(removed) && removed[r] == i {
				remap[i] = -1
				r++
				continue
			}
			remap[i] = int32(len(merged))
			merged = append(merged, old[i])
		}
		n.briefings = merged
	}

	// The id table: of positions, which the merge moved; made anew
	// (hashing the ids, a few milliseconds at 100k).
	n.byID = newIDIndex(len(n.briefings))
	for i := range n.briefings {
		n.byID.add(n.briefings, i)
	}

	// The last versions kept of files that no longer load.
	n.kept = c.kept
	own := false
	for i := range deltas {
		d := &deltas[i]
		wasKept := d.hasBefore && d.before.briefing == nil && d.before.kept != nil
		isKept := d.hasAfter && d.after.briefing == nil && d.after.kept != nil
		if !wasKept && !isKept {
			continue
		}
		if !own {
			n.kept, own = maps.Clone(c.kept), true
			if n.kept == nil {
				n.kept = map[*Briefing]bool{}
			}
		}
		if wasKept {
			delete(n.kept, d.before.kept)
		}
		if isKept {
			n.kept[d.after.kept] = true
		}
	}
	if len(n.kept) == 0 {
		n.kept = nil
	}

	// The index lists: each shifted when the order moved; those of the
	// changed briefings' officials, names and topics edited.
	moveTo := func(p int) int {
		if remap == nil {
			return p
		}
		return int(remap[p])
	}
	var e indexEdit
	for _, ch := range changes {
		if ch.old != nil {
			e.affect(ch.old, nil)
			if ch.new != nil && timelineCompare(ch.old, ch.new) == 0 {
				e.drop = append(e.drop, int32(moveTo(ch.oldAt))) // replaced where it was
			}
		}
		if b := ch.new; b != nil {
			at, _ := slices.BinarySearchFunc(n.briefings, b, timelineCompare)
			e.affect(b, &at)
		}
	}
	n.byOfficial = editLists(c.byOfficial, e.officials, e.addOfficials, e.drop, remap, lo)
	n.byName = editLists(c.byName, e.names, e.addNames, e.drop, remap, lo)
	n.byTopic = editLists(c.byTopic, e.topics, e.addTopics, e.drop, remap, lo)
	n.topicNames = c.topicNames
	if len(e.topics) > 0 {
		n.topicNames = maps.Clone(c.topicNames)
		for k := range e.topics {
			list, ok := n.byTopic[k]
			if !ok {
				delete(n.topicNames, k)
				continue
			}
			for _, t := range n.briefings[list[0]].Topics {
				if Fold(t) == k {
					n.topicNames[k] = t
					break
				}
			}
		}
	}
	n.people = n.buildPeople()
	return n, true
}

// indexEdit gathers what the changed briefings do to the index lists:
// the keys whose lists change, the positions to add to each, and the
// positions of briefings replaced in place (taken off every list they
// were on, and put back on their new version's).
type indexEdit struct {
	officials    map[*Official]bool
	names        map[string]bool
	topics       map[string]bool
	addOfficials map[*Official][]int32
	addNames     map[string][]int32
	addTopics    map[string][]int32
	drop         []int32
}

// affect notes b's keys as changing; with at, b is a new version, at its
// position in the new list.
func (e *indexEdit) affect(b *Briefing, at *int) {
	if e.officials == nil {
		e.officials, e.names, e.topics = map[*Official]bool{}, map[string]bool{}, map[string]bool{}
		e.addOfficials, e.addNames, e.addTopics = map[*Official][]int32{}, map[string][]int32{}, map[string][]int32{}
	}
	for _, ref := range b.Officials {
		if ref.Official != nil {
			e.officials[ref.Official] = true
			if at != nil {
				e.addOfficials[ref.Official] = append(e.addOfficials[ref.Official], int32(*at))
			}
			continue
		}
		k := Fold(ref.Name)
		e.names[k] = true
		if at != nil {
			e.addNames[k] = append(e.addNames[k], int32(*at))
		}
	}
	for _, t := range b.Topics {
		k := Fold(t)
		e.topics[k] = true
		if at != nil {
			e.addTopics[k] = append(e.addTopics[k], int32(*at))
		}
	}
}

// editLists gives the index lists of old with each position moved by
// remap (nil: none moved; positions below lo do not move), and the lists
// of the affected keys with the positions in drop taken off and those in
// add put on: sorted, each position once, no key without one. Lists that
// do not change are shared.
func editLists[K comparable](old map[K][]int32, affected map[K]bool, add map[K][]int32, drop []int32, remap []int32, lo int) map[K][]int32 {
	if remap == nil && len(affected) == 0 {
		return old
	}
	out := make(map[K][]int32, len(old)+len(add))
	for k, list := range old {
		from := len(list) // where positions start to move
		if remap != nil {
			from, _ = slices.BinarySearch(list, int32(lo))
		}
		if from == len(list) && !affected[k] {
			out[k] = list
			continue
		}
		nl := make([]int32, from, len(list)+len(add[k]))
		copy(nl, list[:from])
		for _, p := range list[from:] {
			if q := remap[p]; q >= 0 {
				nl = append(nl, q)
			}
		}
		if affected[k] {
			nl = slices.DeleteFunc(nl, func(p int32) bool { return slices.Contains(drop, p) })
			nl = append(nl, add[k]...)
			slices.Sort(nl)
			nl = slices.Compact(nl)
		}
		if len(nl) > 0 {
			out[k] = nl
		}
	}
	for k, ps := range add {
		if _, ok := old[k]; !ok {
			out[k] = slices.Compact(slices.Sorted(slices.Values(ps)))
		}
	}
	return out
}

// keptWarning is the problem a kept version of a file carries.
func keptWarning(path string) Problem {
	return Problem{Path: path, Severity: Warning,
		Message: "the file no longer loads: the last version that loaded is shown until it is fixed"}
}

// replaceProblems gives ps, sorted by path and line, with the problems of
// each path in blocks replaced by its block (sorted by line).
func replaceProblems(ps []Problem, blocks map[string][]Problem) []Problem {
	paths := slices.Sorted(maps.Keys(blocks))
	out := make([]Problem, 0, len(ps))
	at := 0
	for _, p := range paths {
		from, _ := slices.BinarySearchFunc(ps[at:], p, func(x Problem, p string) int { return strings.Compare(x.Path, p) })
		from += at
		to := from
		for to < len(ps) && ps[to].Path == p {
			to++
		}
		out = append(out, ps[at:from]...)
		out = append(out, blocks[p]...)
		at = to
	}
	return append(out, ps[at:]...)
}
