// Package theme builds brief's styles from one lipgloss renderer, so that
// each terminal (and each SSH session) gets styles for its own colour
// profile and background, and nothing is shared between them.
package theme

import (
	"github.com/charmbracelet/lipgloss"
)

// Name is a theme's name as the --theme flag takes it.
type Name string

// The themes.
const (
	Auto  Name = "auto"
	Dark  Name = "dark"
	Light Name = "light"
)

// Parse reads a --theme value.
func Parse(s string) (Name, bool) {
	switch Name(s) {
	case Auto, Dark, Light:
		return Name(s), true
	}
	return "", false
}

// Theme is a set of styles for one terminal.
type Theme struct {
	Renderer *lipgloss.Renderer
	Dark     bool

	Text      lipgloss.Style
	Muted     lipgloss.Style
	Faint     lipgloss.Style
	Accent    lipgloss.Style
	Title     lipgloss.Style
	Heading   lipgloss.Style // a column header or section heading
	Date      lipgloss.Style
	Kind      lipgloss.Style
	Official  lipgloss.Style
	Figure    lipgloss.Style
	Selected  lipgloss.Style // the selected row
	Match     lipgloss.Style // a search match
	Current   lipgloss.Style // the current search match
	Warning   lipgloss.Style
	Error     lipgloss.Style
	Filter    lipgloss.Style // an active filter chip
	Bar       lipgloss.Style // the header and status bars
	Card      lipgloss.Style // a card's frame
	CardFocus lipgloss.Style // the selected card's frame
	Key       lipgloss.Style // a key in help
	KeyDesc   lipgloss.Style // a key's description in help
}

// palette holds one background's colours.
type palette struct {
	text, muted, faint, accent, date, kind, official, figure, warning, errorC, border, selectedBg, matchBg, currentBg, barBg lipgloss.Color
}

// paletteFor gives the colours for a dark or light background.
func paletteFor(dark bool) palette {
	if dark {
		return palette{
			text: "252", muted: "246", faint: "240", accent: "111", date: "180", kind: "150",
			official: "217", figure: "223", warning: "214", errorC: "203", border: "240",
			selectedBg: "237", matchBg: "58", currentBg: "130", barBg: "236",
		}
	}
	return palette{
		text: "235", muted: "242", faint: "248", accent: "25", date: "94", kind: "28",
		official: "125", figure: "130", warning: "130", errorC: "160", border: "250",
		selectedBg: "254", matchBg: "229", currentBg: "221", barBg: "255",
	}
}

// New builds the styles for a terminal: r is its renderer (for an SSH
// session, the session's own), dark whether its background is dark.
func New(r *lipgloss.Renderer, dark bool) *Theme {
	p := paletteFor(dark)
	s := r.NewStyle
	return &Theme{
		Renderer:  r,
		Dark:      dark,
		Text:      s().Foreground(p.text),
		Muted:     s().Foreground(p.muted),
		Faint:     s().Foreground(p.faint),
		Accent:    s().Foreground(p.accent),
		Title:     s().Foreground(p.accent).Bold(true),
		Heading:   s().Foreground(p.muted).Bold(true),
		Date:      s().Foreground(p.date),
		Kind:      s().Foreground(p.kind),
		Official:  s().Foreground(p.official),
		Figure:    s().Foreground(p.figure).Bold(true),
		Selected:  s().Background(p.selectedBg).Bold(true),
		Match:     s().Background(p.matchBg),
		Current:   s().Background(p.currentBg).Bold(true),
		Warning:   s().Foreground(p.warning),
		Error:     s().Foreground(p.errorC).Bold(true),
		Filter:    s().Foreground(p.accent).Bold(true),
		Bar:       s().Foreground(p.muted),
		Card:      s().Border(lipgloss.RoundedBorder()).BorderForeground(p.border).Padding(0, 1),
		CardFocus: s().Border(lipgloss.RoundedBorder()).BorderForeground(p.accent).Padding(0, 1),
		Key:       s().Foreground(p.muted).Bold(true),
		KeyDesc:   s().Foreground(p.faint),
	}
}
