package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// choice is one line a picker offers: a filter, and how to show and find
// it.
type choice struct {
	f      filter
	detail string // role, for officials
	events int
	match  func(folded string) bool
}

type pickerKeys struct {
	Accept, Cancel, Up, Down, PageUp, PageDown key.Binding
}

func newPickerKeys() pickerKeys {
	return pickerKeys{
		Accept:   bind("enter", "choose", "enter"),
		Cancel:   bind("esc", "cancel", "esc"),
		Up:       bind("↑/ctrl+p", "up", "up", "ctrl+p", "ctrl+k"),
		Down:     bind("↓/ctrl+n", "down", "down", "ctrl+n", "ctrl+j"),
		PageUp:   bind("pgup", "page up", "pgup"),
		PageDown: bind("pgdn", "page down", "pgdown"),
	}
}

// pickerView chooses an official or a topic, narrowing as the reader
// types any spelling, in any script; the choice goes to the timeline.
type pickerView struct {
	ctx    *shared
	keys   pickerKeys
	name   string // "official" or "topic"
	choose func(c *store.Corpus) []choice
	all    []choice
	shown  []choice
	cursor int
	offset int
	input  textinput.Model
}

func newOfficialPicker(ctx *shared) *pickerView {
	return newPicker(ctx, "official", officialChoices)
}

func newTopicPicker(ctx *shared) *pickerView {
	return newPicker(ctx, "topic", topicChoices)
}

func newPicker(ctx *shared, name string, choose func(*store.Corpus) []choice) *pickerView {
	p := &pickerView{ctx: ctx, keys: newPickerKeys(), name: name, choose: choose}
	p.input = newInput(ctx)
	p.input.Placeholder = "type to narrow"
	p.input.Focus()
	p.all = choose(ctx.corpus)
	p.narrow()
	return p
}

// officialChoices lists the people with events, most events first.
func officialChoices(c *store.Corpus) []choice {
	var out []choice
	for _, person := range c.People() {
		if person.Events == 0 {
			continue
		}
		detail := "not in the registry"
		if o := person.Official; o != nil {
			detail = ""
			if role, ok := o.CurrentRole(); ok {
				detail = role.Title
			}
			// The country only where the role does not name it already.
			if o.Country != "" && !strings.Contains(detail, o.Country) {
				detail = strings.TrimPrefix(detail+" · "+o.Country, " · ")
			}
		}
		out = append(out, choice{
			f:      filter{kind: officialFilter, value: person.Key(), label: person.Name},
			detail: detail, events: person.Events, match: person.Matches,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].events > out[j].events })
	return out
}

// topicChoices lists the topics, most events first.
func topicChoices(c *store.Corpus) []choice {
	var out []choice
	for _, t := range c.Topics() {
		folded := store.Fold(t.Name)
		out = append(out, choice{
			f:      filter{kind: topicFilter, value: t.Name, label: t.Name},
			events: t.Events, match: func(q string) bool { return strings.Contains(folded, q) },
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].events > out[j].events })
	return out
}

// narrow keeps the choices matching what was typed.
func (p *pickerView) narrow() {
	q := store.Fold(p.input.Value())
	p.shown = p.shown[:0]
	for _, c := range p.all {
		if q == "" || c.match(q) {
			p.shown = append(p.shown, c)
		}
	}
	p.moveTo(p.cursor)
}

func (p *pickerView) rows() int { return max(p.ctx.bodyHeight()-3, 1) }

func (p *pickerView) moveTo(i int) {
	p.cursor = min(max(i, 0), max(len(p.shown)-1, 0))
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if rows := p.rows(); p.cursor >= p.offset+rows {
		p.offset = p.cursor - rows + 1
	}
}

func (p *pickerView) update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case corpusMsg:
		p.all = p.choose(p.ctx.corpus)
		p.narrow()
	case resizeMsg:
		p.moveTo(p.cursor)
	case themeMsg:
		p.input = restyle(p.input, p.ctx)
	case tea.MouseMsg:
		p.moveTo(p.cursor + wheelDelta(msg))
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, p.keys.Cancel):
			return p, p.ctx.pop(nil)
		case key.Matches(msg, p.keys.Accept):
			if p.cursor < len(p.shown) {
				return p, p.ctx.pop(pickedMsg{p.shown[p.cursor].f})
			}
			return p, nil
		case key.Matches(msg, p.keys.Up):
			p.moveTo(p.cursor - 1)
		case key.Matches(msg, p.keys.Down):
			p.moveTo(p.cursor + 1)
		case key.Matches(msg, p.keys.PageUp):
			p.moveTo(p.cursor - p.rows())
		case key.Matches(msg, p.keys.PageDown):
			p.moveTo(p.cursor + p.rows())
		default:
			before := p.input.Value()
			var cmd tea.Cmd
			p.input, cmd = p.input.Update(msg)
			if p.input.Value() != before {
				p.cursor = 0
				p.narrow()
			}
			return p, cmd
		}
	}
	return p, nil
}

func (p *pickerView) view() string {
	ctx := p.ctx
	th := ctx.th
	width, height := ctx.bodyWidth(), ctx.bodyHeight()
	in := p.input
	in.Width = max(width-4, 1)
	lines := []string{
		th.Title.Render("  Choose " + map[string]string{"official": "an official: any name or spelling, any script", "topic": "a topic"}[p.name]),
		th.Accent.Render("› ") + in.View(),
		"",
	}
	if len(p.shown) == 0 {
		lines = append(lines, th.Muted.Render("  Nothing matches."))
	}
	nameW := min(max(width/3, 16), 32)
	if ctx.compact() {
		nameW = max(width-16, 10)
	}
	for i := p.offset; i < len(p.shown) && i < p.offset+p.rows(); i++ {
		c := p.shown[i]
		name := ansi.Truncate(sanitize.Line(c.f.label), nameW, "…")
		name += strings.Repeat(" ", max(nameW-ansi.StringWidth(name), 0))
		marker, style := "  ", th.Official
		if i == p.cursor {
			marker, style = th.Accent.Render("▌ "), th.Official.Inherit(th.Selected)
		}
		line := marker + style.Render(name) + "  " + th.Accent.Render(fmt.Sprintf("%-9s", count(c.events, "event", "events")))
		if c.detail != "" && !ctx.compact() {
			line += " " + th.Muted.Render(sanitize.Line(c.detail))
		}
		lines = append(lines, ansi.Truncate(line, width, "…"))
	}
	return fitBlock(strings.Join(lines, "\n"), width, height)
}

func (p *pickerView) title() string { return "choose " + p.name }

func (p *pickerView) position() string {
	if len(p.shown) == 0 {
		return ""
	}
	return fmt.Sprintf("%d of %d", p.cursor+1, len(p.shown))
}

func (p *pickerView) shortHelp() []key.Binding {
	return []key.Binding{p.keys.Accept, p.keys.Down, p.keys.Up}
}

func (p *pickerView) fullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Accept, k.Cancel}}
}

// typing: every letter narrows the choices.
func (p *pickerView) typing() bool   { return true }
func (p *pickerView) footer() string { return "" }
