package tui

import (
	"strings"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// marker marks a briefing for the reader, with an optional one-line
// private note typed at the bottom; on a marked briefing it takes the mark
// off.
type marker struct {
	ctx   *shared
	keys  inputKeys
	open  bool
	id    string
	input textinput.Model
}

func newMarker(ctx *shared) marker {
	m := marker{ctx: ctx, keys: newInputKeys(), input: newInput(ctx)}
	m.input.Placeholder = "a private note (optional)"
	return m
}

// start marks the briefing id, or unmarks it.
func (mk *marker) start(id string) tea.Cmd {
	st := mk.ctx.state
	b := briefingByID(mk.ctx.corpus, id)
	if b == nil || !st.ready(mk.ctx.corpus) {
		mk.ctx.say("Marks are not available yet.")
		return nil
	}
	if st.status(mk.ctx.corpus, b).Marked {
		_, _ = st.store.Unmark(id)
		mk.ctx.say("Unmarked. m marks it again.")
		return func() tea.Msg { return stateMsg{} }
	}
	mk.open, mk.id = true, id
	mk.input.SetValue("")
	return mk.input.Focus()
}

// key handles a key while the note is typed; done when the input closed.
func (mk *marker) key(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, mk.keys.Cancel):
		mk.open = false
		mk.input.Blur()
		return nil
	case key.Matches(msg, mk.keys.Accept):
		mk.open = false
		mk.input.Blur()
		st := mk.ctx.state
		note := strings.TrimSpace(sanitize.Line(mk.input.Value()))
		if b := briefingByID(mk.ctx.corpus, mk.id); b != nil && st.ready(mk.ctx.corpus) {
			_ = st.store.Mark(b.ID, st.hash[b.ID], note)
			mk.ctx.say("Marked.")
		}
		return func() tea.Msg { return stateMsg{} }
	}
	var cmd tea.Cmd
	mk.input, cmd = mk.input.Update(msg)
	return cmd
}

func (mk *marker) footer() string {
	return inputLine(mk.ctx, "note: ", mk.input, "enter mark · esc cancel")
}
