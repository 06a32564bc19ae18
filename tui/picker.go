package tui

import (
	"fmt"
	"strings"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// choice is one line a picker offers.
type choice struct {
	label  string // the name shown
	detail string // role and country, for officials
	events int
	person *store.Person
	topic  string
	match  func(folded string) bool
}

// picker chooses an official or a topic, narrowing as the reader types
// any spelling.
type picker struct {
	title   string
	input   textinput.Model
	all     []choice
	shown   []choice
	cursor  int
	offset  int
	isTopic bool
}

func newOfficialPicker(c *store.Corpus, th *theme.Theme) *picker {
	p := &picker{title: "Filter by official: type any name or spelling"}
	for _, person := range c.People() {
		person := person
		detail := "not in the registry"
		if o := person.Official; o != nil {
			var parts []string
			if role, ok := o.CurrentRole(); ok {
				parts = append(parts, role.Title)
			}
			if o.Country != "" {
				parts = append(parts, o.Country)
			}
			detail = strings.Join(parts, " · ")
		}
		p.all = append(p.all, choice{
			label: person.Name, detail: detail, events: person.Events, person: &person,
			match: person.Matches,
		})
	}
	return p.init(th)
}

func newTopicPicker(c *store.Corpus, th *theme.Theme) *picker {
	p := &picker{title: "Filter by topic", isTopic: true}
	for _, t := range c.Topics() {
		folded := store.Fold(t.Name)
		p.all = append(p.all, choice{
			label: t.Name, events: t.Events, topic: t.Name,
			match: func(q string) bool { return strings.Contains(folded, q) },
		})
	}
	return p.init(th)
}

func (p *picker) init(th *theme.Theme) *picker {
	p.input = newInput(th)
	p.input.Placeholder = "type to narrow"
	p.input.Focus()
	p.filter()
	return p
}

// filter narrows the choices to those matching what was typed.
func (p *picker) filter() {
	q := store.Fold(p.input.Value())
	p.shown = p.shown[:0]
	for _, c := range p.all {
		if c.match(q) {
			p.shown = append(p.shown, c)
		}
	}
	p.cursor = min(p.cursor, max(len(p.shown)-1, 0))
}

func (p *picker) move(delta int) {
	p.cursor = min(max(p.cursor+delta, 0), max(len(p.shown)-1, 0))
}

// pickerKey handles a key while a picker is open.
func (m Model) pickerKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	p := m.picker
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.picker = nil
		return m, nil
	case key.Matches(msg, m.keys.Accept):
		if p.cursor < len(p.shown) {
			c := p.shown[p.cursor]
			if p.isTopic {
				m.filters.topic = c.topic
				m.filters.set(topicFilter)
			} else {
				m.filters.person = c.person
				m.filters.set(officialFilter)
			}
			m.refilter()
		}
		m.picker = nil
		return m, nil
	case key.Matches(msg, m.keys.PickUp):
		p.move(-1)
		return m, nil
	case key.Matches(msg, m.keys.PickDown):
		p.move(1)
		return m, nil
	case msg.Type == tea.KeyPgDown:
		p.move(m.bodyHeight() - 3)
		return m, nil
	case msg.Type == tea.KeyPgUp:
		p.move(-(m.bodyHeight() - 3))
		return m, nil
	}
	var cmd tea.Cmd
	before := p.input.Value()
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before {
		p.filter()
	}
	return m, cmd
}

// view draws the picker: its title, the input and the choices.
func (p *picker) view(th *theme.Theme, width, height int) string {
	lines := []string{
		th.Title.Render(p.title),
		th.Accent.Render("› ") + p.input.View(),
		"",
	}
	rows := max(height-len(lines)-1, 1)
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+rows {
		p.offset = p.cursor - rows + 1
	}
	if len(p.shown) == 0 {
		lines = append(lines, th.Muted.Render("  Nothing matches."))
	}
	nameW := min(max(width/3, 16), 32)
	for i := p.offset; i < len(p.shown) && i < p.offset+rows; i++ {
		c := p.shown[i]
		events := fmt.Sprintf("%d event", c.events)
		if c.events != 1 {
			events += "s"
		}
		name := ansi.Truncate(sanitize.Line(c.label), nameW, "…")
		name += strings.Repeat(" ", max(nameW-ansi.StringWidth(name), 0))
		marker, nameStyle := "  ", th.Official
		if i == p.cursor {
			marker, nameStyle = th.Accent.Render("▌ "), th.Official.Inherit(th.Selected)
		}
		line := marker + nameStyle.Render(name) + "  " + th.Accent.Render(fmt.Sprintf("%-10s", events))
		if c.detail != "" {
			line += "  " + th.Muted.Render(sanitize.Line(c.detail))
		}
		lines = append(lines, ansi.Truncate(line, width, "…"))
	}
	if len(p.shown) > rows {
		lines = append(lines, th.Faint.Render(fmt.Sprintf("  %d of %d", p.cursor+1, len(p.shown))))
	}
	return strings.Join(lines, "\n")
}
