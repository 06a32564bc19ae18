package store

import (
	"fmt"
	"sort"
	"strings"
)

// Lookup finds a briefing by its id or a prefix of it that only one id
// has. When none or several match, the error is a *LookupError that
// suggests ids.
func (c *Corpus) Lookup(id string) (*Briefing, error) {
	if b := c.ByID(id); b != nil {
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
		return c.ByID(matches[0]), nil
	}
	if len(matches) > 1 && id != "" {
		return nil, &LookupError{ID: id, Ambiguous: true, Suggestions: matches}
	}
	return nil, &LookupError{ID: id, Suggestions: c.closestIDs(id, 3)}
}

// ByID gives the briefing with exactly this id, or nil: for a program that
// keeps ids and finds them again in each new corpus.
func (c *Corpus) ByID(id string) *Briefing {
	if b, ok := c.byIDChanged[id]; ok {
		return b
	}
	return c.byID[id]
}

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
