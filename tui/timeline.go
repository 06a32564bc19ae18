package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/brief-tools/brief/render/card"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// previewWidth is the terminal width from which the timeline shows the
// selected briefing's card beside the list.
const previewWidth = 110

// dateWidth fits the longest date a row shows ("~Spring 2024").
const dateWidth = 13

// listKey handles a key in the timeline and the cards view.
func (m Model) listKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	page := m.bodyHeight()
	if m.view == cardsView {
		page = m.cardsPerPage()
	}
	switch {
	case key.Matches(msg, k.Down), m.view == cardsView && key.Matches(msg, k.Right):
		m.moveCursor(1)
	case key.Matches(msg, k.Up), m.view == cardsView && key.Matches(msg, k.Left):
		m.moveCursor(-1)
	case key.Matches(msg, k.PageDown):
		m.moveCursor(page)
	case key.Matches(msg, k.PageUp):
		m.moveCursor(-page)
	case key.Matches(msg, k.HalfDown):
		m.moveCursor(max(page/2, 1))
	case key.Matches(msg, k.HalfUp):
		m.moveCursor(-max(page/2, 1))
	case key.Matches(msg, k.Top):
		m.moveCursor(-len(m.results))
	case key.Matches(msg, k.Bottom):
		m.moveCursor(len(m.results))
	case key.Matches(msg, k.Open):
		if b := m.selected(); b != nil {
			m.backView = m.view
			return m, m.openReader(b)
		}
	case key.Matches(msg, k.Cards):
		if m.view == cardsView {
			m.view = timelineView
		} else {
			m.view = cardsView
		}
		m.clampOffset()
	case key.Matches(msg, k.Reverse):
		m.newestFirst = !m.newestFirst
		slices.Reverse(m.results)
		m.cursor, m.offset = 0, 0
		if m.newestFirst {
			m.setStatus("Newest first")
		} else {
			m.setStatus("Oldest first")
		}
	case key.Matches(msg, k.Officials):
		m.picker = newOfficialPicker(m.corpus, m.th)
	case key.Matches(msg, k.Topics):
		m.picker = newTopicPicker(m.corpus, m.th)
	case key.Matches(msg, k.Filter):
		return m, m.openInput(filterInput, m.filters.text, "words in titles, summaries, places, names…")
	case key.Matches(msg, k.Back):
		if m.filters.dropLast() {
			m.refilter()
		}
	case key.Matches(msg, k.Problems):
		m.openProblems()
	}
	return m, nil
}

// moveCursor moves the selection by delta, within the results.
func (m *Model) moveCursor(delta int) {
	if len(m.results) == 0 {
		return
	}
	m.cursor = min(max(m.cursor+delta, 0), len(m.results)-1)
	m.clampOffset()
}

// clampOffset scrolls the timeline so that the selection is in view.
func (m *Model) clampOffset() {
	rows := m.bodyHeight()
	m.cursor = min(max(m.cursor, 0), max(len(m.results)-1, 0))
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = min(max(m.offset, 0), max(len(m.results)-rows, 0))
}

// timelineView draws the list of events, with the selected one's card
// beside it on a wide terminal.
func (m Model) timelineView() string {
	height := m.bodyHeight()
	if len(m.results) == 0 {
		return m.emptyView()
	}
	listWidth := m.width
	var preview string
	if m.width >= previewWidth {
		listWidth = m.width * 11 / 20
		if b := m.selected(); b != nil {
			preview = card.Briefing(b, m.th, card.Options{Width: m.width - listWidth - 1, Height: height})
		}
	}
	rows := make([]string, 0, height)
	for i := m.offset; i < len(m.results) && len(rows) < height; i++ {
		rows = append(rows, m.row(m.results[i], i == m.cursor, listWidth))
	}
	list := strings.Join(rows, "\n")
	if preview == "" {
		return list
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, fitBlock(list, listWidth, height), " ", preview)
}

// row draws one event: date, kind, title and officials.
func (m Model) row(b *store.Briefing, selected bool, width int) string {
	th := m.th
	rest := width - 2 - dateWidth - 1 - m.kindWidth - 1
	titleW := max(rest*2/3, 10)
	namesW := max(rest-titleW-1, 0)
	cells := []struct {
		text  string
		width int
		style lipgloss.Style
	}{
		{b.When(), dateWidth, th.Date},
		{b.Kind, m.kindWidth, th.Kind},
		{b.Title, titleW, th.Text},
		{strings.Join(b.ShortNames(), ", "), namesW, th.Official},
	}
	var sb strings.Builder
	marker := "  "
	if selected {
		marker = th.Accent.Render("▌ ")
	}
	sb.WriteString(marker)
	for i, c := range cells {
		if c.width <= 0 {
			continue
		}
		text := ansi.Truncate(sanitize.Line(c.text), c.width, "…")
		pad := strings.Repeat(" ", max(c.width-ansi.StringWidth(text), 0))
		style := c.style
		if selected {
			style = style.Inherit(th.Selected)
		}
		sb.WriteString(style.Render(text + pad))
		if i < len(cells)-1 {
			sep := " "
			if selected {
				sep = th.Selected.Render(" ")
			}
			sb.WriteString(sep)
		}
	}
	return sb.String()
}

// emptyView says why nothing is shown.
func (m Model) emptyView() string {
	msg := "No briefings match these filters."
	if len(m.filters.order) > 0 {
		msg += "\nesc removes the last filter."
	} else if len(m.corpus.Briefings()) == 0 {
		msg = "There are no briefings in " + sanitize.Line(m.corpus.Name) + "."
		if n := m.corpus.Rejected(); n > 0 {
			msg += "\n" + count(n, "file", "files") + " could not be loaded: press ! to see why."
		}
	}
	return lipgloss.Place(m.width, m.bodyHeight(), lipgloss.Center, lipgloss.Center, m.th.Muted.Render(msg), lipgloss.WithWhitespaceChars(" "))
}

// cardColumns gives how many cards sit side by side.
func (m Model) cardColumns() int {
	return max(1, min(m.width/44, 4))
}

// cardsPerPage is how far page up and down move among cards.
func (m Model) cardsPerPage() int { return m.cardColumns() }

// cardsView draws the selected card and its neighbours side by side,
// headed by the official's profile when an official filter is active.
func (m Model) cardsView() string {
	height := m.bodyHeight()
	var top string
	if p := m.filters.person; p != nil {
		fresh := m.freshPerson(*p)
		top = card.Person(fresh, m.th, card.Options{Width: m.width, Height: 6})
		height -= lipgloss.Height(top)
	}
	if len(m.results) == 0 {
		if top == "" {
			return m.emptyView()
		}
		return top + "\n" + m.th.Muted.Render("  No briefings match these filters; esc removes the last filter.")
	}
	cols := m.cardColumns()
	first := (m.cursor / cols) * cols
	w := m.width / cols
	var cards []string
	for i := first; i < first+cols && i < len(m.results); i++ {
		cards = append(cards, card.Briefing(m.results[i], m.th, card.Options{Width: w, Height: height - 1, Focused: i == m.cursor}))
	}
	row := lipgloss.JoinHorizontal(lipgloss.Top, cards...)
	pos := m.th.Muted.Render(fmt.Sprintf(" card %d of %d  ", m.cursor+1, len(m.results))) + m.th.Faint.Render("←/→ to page, enter to read")
	out := row + "\n" + pos
	if top != "" {
		out = top + "\n" + out
	}
	return out
}

// freshPerson gives the person with their events counted over the whole
// corpus, not just the filtered results.
func (m Model) freshPerson(p store.Person) store.Person {
	for _, q := range m.corpus.People() {
		if q.Official == p.Official && q.Name == p.Name {
			return q
		}
	}
	return p
}
