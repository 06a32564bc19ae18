package store

import (
	"sort"
	"strings"
)

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

func (c *Corpus) person(o *Official, name string, pos []int32) Person {
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
