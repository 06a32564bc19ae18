package tui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/x/ansi"
)

// maxInput bounds what an input takes.
const maxInput = 200

// newInput makes a text input styled by the theme, with a cursor that does
// not blink (a blinking cursor redraws twice a second, which a reader on a
// slow link pays for).
func newInput(ctx *shared) textinput.Model {
	th := ctx.th
	in := textinput.New()
	in.Prompt = ""
	in.PromptStyle = th.Accent
	in.TextStyle = th.Text
	in.PlaceholderStyle = th.Faint
	in.CompletionStyle = th.Faint
	in.Cursor.Style = th.Renderer.NewStyle().Reverse(true)
	in.Cursor.TextStyle = th.Text
	in.Cursor.SetMode(cursor.CursorStatic)
	in.CharLimit = maxInput
	return in
}

// restyle gives an input the styles of the theme now in use, keeping what
// it holds.
func restyle(in textinput.Model, ctx *shared) textinput.Model {
	fresh := newInput(ctx)
	fresh.Placeholder = in.Placeholder
	fresh.SetValue(in.Value())
	fresh.SetCursor(in.Position())
	if in.Focused() {
		fresh.Focus()
	}
	return fresh
}

// inputLine draws an open input after its prompt, with a hint of its keys
// at the end when there is room.
func inputLine(ctx *shared, prompt string, in textinput.Model, hint string) string {
	th := ctx.th
	width := ctx.width
	hintW := ansi.StringWidth(hint) + 2
	showHint := width-ansi.StringWidth(prompt)-hintW >= 20
	room := width - ansi.StringWidth(prompt) - 1
	if showHint {
		room -= hintW
	}
	in.Width = max(room, 1)
	line := th.Accent.Render(prompt) + in.View()
	if showHint {
		gap := max(width-ansi.StringWidth(line)-hintW+2, 2)
		line += spaces(gap) + th.Faint.Render(hint)
	}
	return ansi.Truncate(line, width, "")
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = ' '
	}
	return string(b)
}
