package tui

import (
	"fmt"
	"io"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// copyLink copies a link to the reader's clipboard with OSC 52, which
// works over SSH too (opening a browser would open it on the server). It
// is a command: the write happens off the keystroke, and says how it went.
func copyLink(ctx *shared, link string) tea.Cmd {
	w := ctx.clipboard
	link = sanitize.Line(link)
	return func() tea.Msg {
		if w == nil {
			return StatusMsg("Copying is not available here; the links are listed at the end.")
		}
		if _, err := io.WriteString(w, osc52.New(link).String()); err != nil {
			return StatusMsg("Could not copy: " + sanitize.Line(err.Error()))
		}
		return StatusMsg("Copied " + link)
	}
}

type linksKeys struct {
	Copy, Back, Up, Down key.Binding
}

// linksView lists a briefing's numbered links for the reader to copy one.
type linksView struct {
	ctx    *shared
	keys   linksKeys
	links  []string
	cursor int
}

func newLinksView(ctx *shared, links []string) *linksView {
	return &linksView{ctx: ctx, links: links, keys: linksKeys{
		Copy: bind("enter/y/1-9", "copy", "enter", "y", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
		Back: bind("esc", "back", "esc"),
		Up:   bind("↑/k", "up", "up", "k"),
		Down: bind("↓/j", "down", "down", "j"),
	}}
}

func (v *linksView) update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.MouseMsg:
		v.cursor = min(max(v.cursor+wheelDelta(msg)/wheelLines, 0), len(v.links)-1)
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, v.keys.Back):
			return v, v.ctx.pop(nil)
		case key.Matches(msg, v.keys.Up):
			v.cursor = max(v.cursor-1, 0)
		case key.Matches(msg, v.keys.Down):
			v.cursor = min(v.cursor+1, len(v.links)-1)
		case key.Matches(msg, v.keys.Copy):
			i := v.cursor
			if s := msg.String(); len(s) == 1 && s[0] >= '1' && s[0] <= '9' {
				i = int(s[0] - '1')
			}
			if i < len(v.links) {
				return v, tea.Batch(copyLink(v.ctx, v.links[i]), v.ctx.pop(nil))
			}
		}
	}
	return v, nil
}

func (v *linksView) view() string {
	th := v.ctx.th
	width, height := v.ctx.bodyWidth(), v.ctx.bodyHeight()
	lines := []string{th.Title.Render("  Copy which link?"), ""}
	first := max(0, v.cursor-(height-4))
	for i := first; i < len(v.links) && len(lines) < height; i++ {
		marker := "  "
		style := th.Text
		if i == v.cursor {
			marker, style = th.Accent.Render("▌ "), th.Text.Inherit(th.Selected)
		}
		num := th.Muted.Render(fmt.Sprintf("[%d] ", i+1))
		lines = append(lines, ansi.Truncate(marker+num+style.Render(sanitize.Line(v.links[i])), width, "…"))
	}
	return fitBlock(strings.Join(lines, "\n"), width, height)
}

func (v *linksView) title() string    { return "links" }
func (v *linksView) position() string { return fmt.Sprintf("%d of %d", v.cursor+1, len(v.links)) }
func (v *linksView) shortHelp() []key.Binding {
	return []key.Binding{v.keys.Copy, v.keys.Down, v.keys.Up}
}
func (v *linksView) fullHelp() [][]key.Binding {
	return [][]key.Binding{{v.keys.Up, v.keys.Down}, {v.keys.Copy, v.keys.Back}}
}
func (v *linksView) typing() bool   { return false }
func (v *linksView) footer() string { return "" }
