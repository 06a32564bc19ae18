package store

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"sort"
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
		ref.Official = o
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

// Person is an official, or a name the registry does not know, with the
// events they appear in.
type Person struct {
	Official    *Official // nil for a name the registry does not know
	Name        string    // the full name, or the name as first written
	Events      int
	First, Last *Briefing
}

// Key gives what identifies the person in a query: the registry id, or the
// name as written.
func (p Person) Key() string {
	if p.Official != nil {
		return p.Official.ID
	}
	return p.Name
}

// People lists the registry's officials in registry order, then the names
// the registry does not know, with their events. The slice is shared: do
// not modify it.
func (c *Corpus) People() []Person { return c.people }

func (c *Corpus) buildPeople() []Person {
	var people []Person
	for _, o := range c.registry.Officials() {
		people = append(people, c.person(o, o.Name, c.byOfficial[o]))
	}
	var names []string
	for k := range c.byName {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		pos := c.byName[k]
		name := k
		for _, ref := range c.briefings[pos[0]].Officials {
			if ref.Official == nil && Fold(ref.Name) == k {
				name = ref.Name
				break
			}
		}
		people = append(people, c.person(nil, name, pos))
	}
	return people
}

func (c *Corpus) person(o *Official, name string, pos []int) Person {
	p := Person{Official: o, Name: name, Events: len(pos)}
	if len(pos) > 0 {
		p.First, p.Last = c.briefings[pos[0]], c.briefings[pos[len(pos)-1]]
	}
	return p
}

// FindPeople finds the people a reader may mean by query: the registry's
// officials it names (exactly, or else by the start of a word of any
// spelling), and failing that the names briefings use that match.
func (c *Corpus) FindPeople(query string) []Person {
	var found []Person
	for _, o := range c.registry.Search(query) {
		found = append(found, c.person(o, o.Name, c.byOfficial[o]))
	}
	if len(found) > 0 {
		return found
	}
	q := Fold(query)
	if q == "" {
		return nil
	}
	for _, p := range c.people {
		if p.Official == nil && wordPrefix(Fold(p.Name), q) {
			found = append(found, p)
		}
	}
	return found
}

// Query selects briefings; every condition given must hold.
type Query struct {
	// Official keeps briefings naming this official; Name, briefings naming
	// this person the registry does not know (as written, folded).
	Official *Official
	Name     string
	// Topic keeps briefings with this topic (ignoring case).
	Topic string
	// Since and Until keep briefings whose date may fall in the range.
	Since, Until Date
	// Text keeps briefings that have every word of it, in their title,
	// officials (any name the registry has for them), summary, figures,
	// topics, place, kind, countries, sources, id or body. The last word
	// also matches as a prefix ("rail" finds "railway"), "quoted words"
	// must follow each other, and -word excludes. Case, diacritics and the
	// letters Fold unifies are ignored. See Search for ranked results.
	Text string
}

// IsZero reports whether the query selects everything.
func (q Query) IsZero() bool {
	return q.Official == nil && q.Name == "" && q.Topic == "" && q.Since.IsZero() && q.Until.IsZero() && strings.TrimSpace(q.Text) == ""
}

// Query returns the briefings that match q, oldest first. A text
// query waits for the free-text index (see PrepareSearch).
func (c *Corpus) Query(q Query) []*Briefing {
	alive, _ := c.evaluate(q)
	out := make([]*Briefing, 0, alive.count())
	alive.each(func(p int) { out = append(out, c.briefings[p]) })
	return out
}

// dateBounds narrows the sorted briefings to those that may fall in the
// range, by binary search. Briefings sort by the first day they may stand
// for, and a year-only date may end long after it starts, so the lower
// bound starts at the first briefing of since's year; filterSet does the rest.
func (c *Corpus) dateBounds(since, until Date) (lo, hi int) {
	hi = len(c.briefings)
	if !since.IsZero() {
		yearStart := since.Year*10000 + 101
		lo = sort.Search(len(c.briefings), func(i int) bool { return c.briefings[i].Date.first() >= yearStart })
	}
	if !until.IsZero() {
		hi = sort.Search(len(c.briefings), func(i int) bool { return c.briefings[i].Date.first() > until.last() })
	}
	return min(lo, hi), hi
}

// Lookup finds a briefing by its id or a prefix of it that only one id
// has. When none or several match, the error is a *LookupError that
// suggests ids.
func (c *Corpus) Lookup(id string) (*Briefing, error) {
	if b, ok := c.byID[id]; ok {
		return b, nil
	}
	var matches []string
	for _, b := range c.briefings {
		if strings.HasPrefix(b.ID, id) {
			matches = append(matches, b.ID)
		}
	}
	if len(matches) == 0 { // ids are case-sensitive, but a reader's typing need not be
		for _, b := range c.briefings {
			if len(b.ID) >= len(id) && strings.EqualFold(b.ID[:len(id)], id) {
				matches = append(matches, b.ID)
			}
		}
	}
	if len(matches) == 1 && id != "" {
		return c.byID[matches[0]], nil
	}
	if len(matches) > 1 && id != "" {
		return nil, &LookupError{ID: id, Ambiguous: true, Suggestions: matches}
	}
	return nil, &LookupError{ID: id, Suggestions: c.closestIDs(id, 3)}
}

// ByID gives the briefing with exactly this id, or nil: for a program that
// keeps ids and finds them again in each new corpus.
func (c *Corpus) ByID(id string) *Briefing { return c.byID[id] }

// LookupError says that an id names no briefing, or several.
type LookupError struct {
	ID          string
	Ambiguous   bool
	Suggestions []string
}

func (e *LookupError) Error() string {
	if e.Ambiguous {
		return fmt.Sprintf("%q is the start of several ids: %s", e.ID, strings.Join(e.Suggestions, ", "))
	}
	msg := fmt.Sprintf("no briefing has the id %q", e.ID)
	if len(e.Suggestions) > 0 {
		msg += "; did you mean " + strings.Join(e.Suggestions, ", ") + "?"
	}
	return msg
}

// closestIDs gives up to n ids nearest to id: those containing it first,
// then by edit distance.
func (c *Corpus) closestIDs(id string, n int) []string {
	type scored struct {
		id    string
		score int
	}
	var all []scored
	for _, b := range c.briefings {
		// Compare with the whole id, and with its start as long as what
		// was typed: "2025-07-42" is close to "2025-07-24-...".
		s := editDistance(id, b.ID)
		if n := len([]rune(id)); n < len([]rune(b.ID)) {
			s = min(s, editDistance(id, string([]rune(b.ID)[:n])))
		}
		if id != "" && strings.Contains(b.ID, id) {
			s = 0
		}
		all = append(all, scored{b.ID, s})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score < all[j].score })
	var out []string
	for _, s := range all {
		if len(out) == n || s.score > max(len(id)/3, 2) {
			break
		}
		out = append(out, s.id)
	}
	return out
}

// Filter keeps the briefings of list that match q, in list's order.
func (c *Corpus) Filter(list []*Briefing, q Query) []*Briefing {
	alive, _ := c.evaluate(q)
	keep := make(map[*Briefing]bool, alive.count())
	alive.each(func(p int) { keep[c.briefings[p]] = true })
	var out []*Briefing
	for _, b := range list {
		if keep[b] {
			out = append(out, b)
		}
	}
	return out
}

// Matches reports whether the person goes by a name in which the folded
// text occurs: their id, full name or any alias, or the name as written.
func (p Person) Matches(folded string) bool {
	if folded == "" {
		return true
	}
	if p.Official != nil {
		for _, k := range p.Official.keys {
			if strings.Contains(k, folded) {
				return true
			}
		}
		return false
	}
	return strings.Contains(Fold(p.Name), folded)
}

// Topic is a topic with the number of briefings that have it.
type Topic struct {
	Name   string
	Events int
}

// Topics lists the corpus' topics, the most used first.
func (c *Corpus) Topics() []Topic {
	topics := make([]Topic, 0, len(c.byTopic))
	for k, list := range c.byTopic {
		topics = append(topics, Topic{Name: c.topicNames[k], Events: len(list)})
	}
	slices.SortFunc(topics, func(a, b Topic) int {
		if a.Events != b.Events {
			return b.Events - a.Events
		}
		return strings.Compare(a.Name, b.Name)
	})
	return topics
}
