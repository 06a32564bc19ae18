package tui

import (
	"slices"
	"strings"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
)

// filterKind names one of the filters that combine on the timeline.
type filterKind int

const (
	officialFilter filterKind = iota
	topicFilter
	textFilter
)

// filters are the active filters, with the order they were applied in, so
// that esc removes the last one.
type filters struct {
	person *store.Person
	topic  string
	text   string
	order  []filterKind
}

// set records that kind is now active (or active again, and so last).
func (f *filters) set(kind filterKind) {
	f.order = slices.DeleteFunc(f.order, func(k filterKind) bool { return k == kind })
	f.order = append(f.order, kind)
}

// clear drops a filter.
func (f *filters) clear(kind filterKind) {
	switch kind {
	case officialFilter:
		f.person = nil
	case topicFilter:
		f.topic = ""
	case textFilter:
		f.text = ""
	}
	f.order = slices.DeleteFunc(f.order, func(k filterKind) bool { return k == kind })
}

// dropLast removes the filter applied last; false when none is active.
func (f *filters) dropLast() bool {
	if len(f.order) == 0 {
		return false
	}
	f.clear(f.order[len(f.order)-1])
	return true
}

// query gives the store query for the filters.
func (f filters) query() store.Query {
	q := store.Query{Topic: f.topic, Text: f.text}
	if f.person != nil {
		q.Official, q.Name = f.person.Official, f.person.Name
	}
	return q
}

// chips draws the active filters for the header.
func (f filters) chips(th *theme.Theme) string {
	var parts []string
	for _, k := range f.order {
		switch k {
		case officialFilter:
			parts = append(parts, th.Muted.Render("official: ")+th.Filter.Render(sanitize.Line(f.person.Name)))
		case topicFilter:
			parts = append(parts, th.Muted.Render("topic: ")+th.Filter.Render(sanitize.Line(f.topic)))
		case textFilter:
			parts = append(parts, th.Muted.Render("text: ")+th.Filter.Render("“"+sanitize.Line(f.text)+"”"))
		}
	}
	return strings.Join(parts, "  ")
}

// refilter recomputes the results after a filter changed, keeping the
// selection on the same briefing when it is still there.
func (m *Model) refilter() {
	m.applyQuery(m.corpus.Query(m.filters.query()))
}

// narrow recomputes the results when the text filter grew: only what
// matched before can match now.
func (m *Model) narrow() {
	shown := slices.Clone(m.results)
	if m.newestFirst {
		slices.Reverse(shown) // back to the store's order
	}
	m.applyQuery(m.corpus.Filter(shown, m.filters.query()))
}

func (m *Model) applyQuery(found []*store.Briefing) {
	was := m.selected()
	if m.newestFirst {
		found = slices.Clone(found)
		slices.Reverse(found)
	}
	m.results = found
	m.cursor = max(slices.Index(found, was), 0)
	if was == nil || m.cursor >= len(found) {
		m.cursor = 0
	}
	m.clampOffset()
}
