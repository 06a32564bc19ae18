package tui

import (
	"fmt"
	"slices"

	"github.com/brief-tools/brief/render/card"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// cardWidth is the narrowest card; wider screens show more side by side.
const cardWidth = 44

type cardsKeys struct {
	Left, Right, Open, Back key.Binding
}

func newCardsKeys() cardsKeys {
	return cardsKeys{
		Left:  bind("←/h", "previous card", "left", "h"),
		Right: bind("→/l", "next card", "right", "l"),
		Open:  bind("enter", "read", "enter"),
		Back:  bind("c/esc", "list", "c", "esc"),
	}
}

// cardsView shows the timeline's events as summary cards, side by side
// on a wide screen, headed by the official's profile when the timeline is
// filtered by officials.
type cardsView struct {
	ctx     *shared
	keys    cardsKeys
	move    moveKeys
	ids     []string // the timeline's events, in its order
	cursor  int
	filters filters // for the profile
}

func newCardsView(ctx *shared, ids []string, cursor int, fs filters) *cardsView {
	return &cardsView{ctx: ctx, keys: newCardsKeys(), move: newMoveKeys(), ids: ids, cursor: cursor, filters: fs}
}

// find finds ids in the corpus, skipping those that are gone.
func (v *cardsView) find(ids []string) []*store.Briefing {
	var out []*store.Briefing
	for _, id := range ids {
		if b := briefingByID(v.ctx.corpus, id); b != nil {
			out = append(out, b)
		}
	}
	return out
}

func (v *cardsView) columns() int {
	if v.ctx.compact() {
		return 1
	}
	return max(1, min(v.ctx.bodyWidth()/cardWidth, 4))
}

func (v *cardsView) update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case corpusMsg:
		// Keep the same card selected if it is still there.
		id := v.currentID()
		bs := v.find(v.ids)
		v.ids = v.ids[:0]
		for _, b := range bs {
			v.ids = append(v.ids, b.ID)
		}
		if i := slices.Index(v.ids, id); i >= 0 {
			v.cursor = i
		}
		v.cursor = min(v.cursor, max(len(v.ids)-1, 0))
	case tea.MouseMsg:
		v.moveBy(wheelDelta(msg) / wheelLines)
	case tea.KeyMsg:
		cols := v.columns()
		switch {
		case key.Matches(msg, v.keys.Right), key.Matches(msg, v.move.Down):
			v.moveBy(1)
		case key.Matches(msg, v.keys.Left), key.Matches(msg, v.move.Up):
			v.moveBy(-1)
		case key.Matches(msg, v.move.PageDown), key.Matches(msg, v.move.HalfDown):
			v.moveBy(cols)
		case key.Matches(msg, v.move.PageUp), key.Matches(msg, v.move.HalfUp):
			v.moveBy(-cols)
		case key.Matches(msg, v.move.Top):
			v.cursor = 0
		case key.Matches(msg, v.move.Bottom):
			v.cursor = max(len(v.ids)-1, 0)
		case key.Matches(msg, v.keys.Open):
			if id := v.currentID(); id != "" {
				return v, v.ctx.push(newBriefingView(v.ctx, id, v.ids))
			}
		case key.Matches(msg, v.keys.Back):
			return v, v.ctx.pop(selectMsg{v.currentID()})
		}
	}
	return v, nil
}

func (v *cardsView) moveBy(d int) {
	v.cursor = min(max(v.cursor+d, 0), max(len(v.ids)-1, 0))
}

func (v *cardsView) currentID() string {
	if v.cursor < len(v.ids) {
		return v.ids[v.cursor]
	}
	return ""
}

func (v *cardsView) view() string {
	ctx := v.ctx
	width, height := ctx.bodyWidth(), ctx.bodyHeight()
	var top string
	if people, ok := v.filters.people(ctx.corpus); ok && len(people) > 0 && height >= 16 {
		var profiles []string
		for _, p := range people {
			profiles = append(profiles, card.Person(p, ctx.th, card.Options{Width: width / len(people), Height: 6}))
		}
		top = lipgloss.JoinHorizontal(lipgloss.Top, profiles...)
	}
	cols := v.columns()
	first := (v.cursor / cols) * cols
	shown := v.find(v.ids[first:min(first+cols, len(v.ids))])
	if len(shown) == 0 {
		return fitBlock(top+"\n"+ctx.th.Muted.Render("  These briefings are no longer in the folder; esc goes back."), width, height)
	}
	cardsH := height
	if top != "" {
		cardsH -= lipgloss.Height(top)
	}
	w := width / cols
	// The reader's marks, one line above each card (blank for the others,
	// so that the cards still line up).
	marks := make([]string, len(shown))
	anyMark := false
	for i, b := range shown {
		if st := ctx.state.status(ctx.corpus, b); st.Marked {
			anyMark = true
			marks[i] = ctx.th.Accent.Render("★ marked")
			if st.Note != "" {
				marks[i] += ctx.th.Muted.Render(": ") + ctx.th.Text.Render(sanitize.Line(st.Note))
			}
			marks[i] = ansi.Truncate(marks[i], w, "…")
		}
	}
	if anyMark {
		cardsH--
	}
	var cards []string
	for i, b := range shown {
		c := card.Briefing(b, ctx.th, card.Options{Width: w, Height: max(cardsH, 3), Fill: true, Focused: first+i == v.cursor})
		if anyMark {
			c = lipgloss.NewStyle().Width(w).Render(marks[i]) + "\n" + c
		}
		cards = append(cards, c)
	}
	out := lipgloss.JoinHorizontal(lipgloss.Top, cards...)
	if top != "" {
		out = top + "\n" + out
	}
	return fitBlock(out, width, height)
}

func (v *cardsView) title() string { return "cards" }

func (v *cardsView) position() string {
	return fmt.Sprintf("%d of %d", min(v.cursor+1, len(v.ids)), len(v.ids))
}

func (v *cardsView) shortHelp() []key.Binding {
	return []key.Binding{v.keys.Right, v.keys.Left, v.keys.Open, v.keys.Back}
}

func (v *cardsView) fullHelp() [][]key.Binding {
	return [][]key.Binding{
		{v.keys.Left, v.keys.Right, v.move.Up, v.move.Down, v.move.PageUp, v.move.PageDown, v.move.Top, v.move.Bottom},
		{v.keys.Open, v.keys.Back},
	}
}

func (v *cardsView) typing() bool   { return false }
func (v *cardsView) footer() string { return "" }

// briefingByID finds a briefing by its exact id (nil when it is gone).
func briefingByID(c *store.Corpus, id string) *store.Briefing {
	if c == nil {
		return nil
	}
	return c.ByID(id)
}
