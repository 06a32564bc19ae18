package store

import (
	"slices"
	"sort"
	"strings"
)

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
	r, _ := NewSearcher().Search(c, q, OldestFirst, nil)
	return r.Briefings()
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

// Filter keeps the briefings of list that match q, in list's order.
func (c *Corpus) Filter(list []*Briefing, q Query) []*Briefing {
	r, _ := NewSearcher().Search(c, q, OldestFirst, nil)
	keep := make(map[*Briefing]bool, r.Len())
	for i := range r.Len() {
		keep[r.At(i)] = true
	}
	var out []*Briefing
	for _, b := range list {
		if keep[b] {
			out = append(out, b)
		}
	}
	return out
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
