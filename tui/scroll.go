package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// scrollKey moves a viewport for a movement key; false for other keys.
func scrollKey(vp *viewport.Model, k moveKeys, msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.HalfDown):
		vp.HalfPageDown()
	case key.Matches(msg, k.HalfUp):
		vp.HalfPageUp()
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	default:
		return false
	}
	return true
}

// wheelLines is how far one turn of the mouse wheel moves.
const wheelLines = 3

// wheelDelta gives how many lines a mouse message scrolls (0: not the
// wheel).
func wheelDelta(msg tea.MouseMsg) int {
	if msg.Action != tea.MouseActionPress {
		return 0
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		return -wheelLines
	case tea.MouseButtonWheelDown:
		return wheelLines
	}
	return 0
}

// wheel scrolls a viewport with the mouse wheel.
func wheel(vp *viewport.Model, msg tea.MouseMsg) {
	switch d := wheelDelta(msg); {
	case d > 0:
		vp.ScrollDown(d)
	case d < 0:
		vp.ScrollUp(-d)
	}
}

// percent says how far down a viewport is.
func percent(vp viewport.Model) string {
	return fmt.Sprintf("%d%%", int(vp.ScrollPercent()*100+0.5))
}

// fitBlock cuts or pads text to exactly width×height cells, so that no
// line is left over from a previous frame.
func fitBlock(s string, width, height int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// count gives "1 file" or "3 files".
func count(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
