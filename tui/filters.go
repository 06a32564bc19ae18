package tui

import (
	"slices"
	"strings"

	"github.com/brief-tools/brief/readstate"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/x/ansi"
)

// filterKind names one of the filters that combine on the timeline.
type filterKind int

const (
	officialFilter filterKind = iota
	topicFilter
	textFilter
	newFilter    // new or changed since the reader's previous visit
	markedFilter // marked by the reader
)

// filter is one active filter, held as a value that any corpus can
// answer: a person's key (registry id, or name as written), a topic's
// name, words.
type filter struct {
	kind  filterKind
	value string
	label string // what the chip shows
}

// filters are the active filters in the order they were applied, so that
// esc drops the last one. Officials combine (events with all of them);
// there is at most one topic and one text.
type filters []filter

// with gives the filters with f added: a second official joins the first;
// a topic or a text replaces the one before and becomes the last.
func (fs filters) with(f filter) filters {
	out := slices.DeleteFunc(slices.Clone(fs), func(g filter) bool {
		return g.kind == f.kind && (f.kind != officialFilter || g.value == f.value)
	})
	return append(out, f)
}

// without gives the filters without those of kind.
func (fs filters) without(kind filterKind) filters {
	return slices.DeleteFunc(slices.Clone(fs), func(g filter) bool { return g.kind == kind })
}

// dropLast gives the filters without the one applied last.
func (fs filters) dropLast() filters {
	if len(fs) == 0 {
		return fs
	}
	return slices.Clone(fs[:len(fs)-1])
}

// text gives the text filter's words ("" for none).
func (fs filters) text() string {
	for _, f := range fs {
		if f.kind == textFilter {
			return f.value
		}
	}
	return ""
}

// people gives the persons the official filters name, found in c; ok is
// false when one of them is not in c at all (nothing can match).
func (fs filters) people(c *store.Corpus) (people []store.Person, ok bool) {
	for _, f := range fs {
		if f.kind != officialFilter {
			continue
		}
		i := slices.IndexFunc(c.People(), func(p store.Person) bool { return p.Key() == f.value })
		if i < 0 {
			return nil, false
		}
		people = append(people, c.People()[i])
	}
	return people, true
}

// has reports whether a filter of kind is active.
func (fs filters) has(kind filterKind) bool {
	return slices.ContainsFunc(fs, func(f filter) bool { return f.kind == kind })
}

// request gives what the filters ask of c: a query, and keep, the test
// of what a query cannot ask (a second official, new, marked), nil when
// there is none; ok is false when nothing can match. status tells the
// reader's state of a briefing, for the new and marked filters.
func (fs filters) request(c *store.Corpus, status func(*store.Briefing) readstate.Status) (q store.Query, keep func(*store.Briefing) bool, ok bool) {
	people, ok := fs.people(c)
	if !ok {
		return q, nil, false
	}
	for _, f := range fs {
		switch f.kind {
		case topicFilter:
			q.Topic = f.value
		case textFilter:
			q.Text = f.value
		}
	}
	if len(people) > 0 {
		q.Official, q.Name = people[0].Official, people[0].Name
	}
	others := people[min(len(people), 1):]
	fresh, marked := fs.has(newFilter), fs.has(markedFilter)
	if len(others) == 0 && !fresh && !marked {
		return q, nil, true
	}
	return q, func(b *store.Briefing) bool {
		for _, p := range others {
			if !involves(b, p) {
				return false
			}
		}
		if fresh || marked {
			st := status(b)
			return (!fresh || st.New) && (!marked || st.Marked)
		}
		return true
	}, true
}

// involves reports whether briefing b names person p.
func involves(b *store.Briefing, p store.Person) bool {
	if p.Official != nil {
		return b.Involves(p.Official)
	}
	name := store.Fold(p.Name)
	for _, ref := range b.Officials {
		if ref.Official == nil && store.Fold(ref.Name) == name {
			return true
		}
	}
	return false
}

// chipLines draws the active filters, wrapped to width: every filter is
// always visible, however narrow the screen (a long one is shortened).
func (fs filters) chipLines(th *theme.Theme, width int) []string {
	if len(fs) == 0 {
		return nil
	}
	var chips []string
	for _, f := range fs {
		var name string
		switch f.kind {
		case officialFilter:
			name = "official"
		case topicFilter:
			name = "topic"
		case textFilter:
			name = "text"
		case newFilter, markedFilter:
			chips = append(chips, th.Filter.Render(f.label))
			continue
		}
		label := sanitize.Line(f.label)
		if f.kind == textFilter {
			label = "“" + label + "”"
		}
		chip := th.Muted.Render(name+": ") + th.Filter.Render(label)
		chips = append(chips, ansi.Truncate(chip, max(width-2, 8), "…"))
	}
	var lines []string
	line := ""
	for _, c := range chips {
		if line != "" && ansi.StringWidth(line)+2+ansi.StringWidth(c) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += "  "
		}
		line += c
	}
	return append(lines, line)
}

// hasText reports whether s, folded, holds words.
func hasText(s string) bool { return strings.TrimSpace(s) != "" }
