package tui

import (
	"strings"

	"github.com/brief-tools/brief/render/theme"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// helpLine draws short help in width cells. The keys in must (help, quit,
// and back where there is a way back) are always shown, at the end; the
// view's own keys are dropped from the last until the line fits, and at
// the narrowest the descriptions go.
func helpLine(th *theme.Theme, own, must []key.Binding, width int) string {
	item := func(b key.Binding, withDesc bool) string {
		h := b.Help()
		if !withDesc {
			return th.Key.Render(h.Key)
		}
		return th.Key.Render(h.Key) + " " + th.KeyDesc.Render(h.Desc)
	}
	sep := th.Faint.Render(" · ")
	join := func(n int, withDesc bool) string {
		var parts []string
		for _, b := range own[:n] {
			if b.Enabled() {
				parts = append(parts, item(b, withDesc))
			}
		}
		for _, b := range must {
			parts = append(parts, item(b, withDesc))
		}
		return strings.Join(parts, sep)
	}
	for n := len(own); n >= 0; n-- {
		if line := join(n, true); ansi.StringWidth(line) <= width {
			return line
		}
	}
	return ansi.Truncate(join(0, false), width, "")
}

// heading is a line of text among a group's keys in the full help.
func heading(text string) key.Binding {
	return key.NewBinding(key.WithHelp("", text))
}

// helpView shows every key of the view below it, scrollable, so that help
// fits any screen.
type helpView struct {
	ctx    *shared
	keys   globalKeys
	move   moveKeys
	of     string
	groups [][]key.Binding
	vp     viewport.Model
}

func newHelpView(ctx *shared, below view, global []key.Binding) *helpView {
	h := &helpView{ctx: ctx, keys: newGlobalKeys(), move: newMoveKeys(), of: below.title(),
		groups: append(below.fullHelp(), global)}
	h.layout()
	return h
}

func (h *helpView) layout() {
	h.vp = viewport.New(h.ctx.bodyWidth(), h.ctx.bodyHeight())
	h.vp.SetContent(h.text())
}

// text lays the groups out in columns as wide as the screen allows, one
// under the other on a narrow one.
func (h *helpView) text() string {
	th := h.ctx.th
	var cols []string
	keyW := 0
	for _, g := range h.groups {
		for _, b := range g {
			keyW = max(keyW, ansi.StringWidth(b.Help().Key))
		}
	}
	for _, g := range h.groups {
		var lines []string
		for _, b := range g {
			if b.Help().Key == "" {
				lines = append(lines, "  "+th.Heading.Render(b.Help().Desc))
				continue
			}
			if !b.Enabled() {
				continue
			}
			k := b.Help().Key
			lines = append(lines, "  "+th.Key.Render(k)+strings.Repeat(" ", keyW-ansi.StringWidth(k)+2)+th.KeyDesc.Render(b.Help().Desc))
		}
		if len(lines) > 0 {
			cols = append(cols, strings.Join(lines, "\n"))
		}
	}
	width := h.ctx.bodyWidth()
	var rows []string
	var row []string
	rowW := 0
	for _, c := range cols {
		w := lipgloss.Width(c) + 2
		if len(row) > 0 && rowW+w > width {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowW = nil, 0
		}
		row = append(row, lipgloss.NewStyle().PaddingRight(2).Render(c))
		rowW += w
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	head := th.Title.Render("  Keys")
	if h.of != "" {
		head += th.Muted.Render(" · " + h.of)
	}
	return head + "\n\n" + strings.Join(rows, "\n\n")
}

func (h *helpView) update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case resizeMsg, themeMsg:
		h.layout()
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, h.keys.Back), key.Matches(msg, h.keys.Help):
			return h, h.ctx.pop(nil)
		default:
			scrollKey(&h.vp, h.move, msg)
		}
	case tea.MouseMsg:
		wheel(&h.vp, msg)
	}
	return h, nil
}

func (h *helpView) view() string {
	return fitBlock(h.vp.View(), h.ctx.bodyWidth(), h.ctx.bodyHeight())
}

func (h *helpView) title() string { return "help" }

func (h *helpView) position() string {
	if h.vp.TotalLineCount() <= h.vp.Height {
		return ""
	}
	return percent(h.vp)
}

func (h *helpView) shortHelp() []key.Binding {
	return []key.Binding{h.move.Down, h.move.Up}
}

func (h *helpView) fullHelp() [][]key.Binding { return [][]key.Binding{h.move.all()} }
func (h *helpView) typing() bool              { return false }
func (h *helpView) footer() string            { return "" }
