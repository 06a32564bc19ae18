// Package theme builds brief's styles from one lipgloss renderer, so that
// each terminal (and each SSH session) gets styles for its own colour
// profile and background, and nothing is shared between them.
//
// Two rules keep every style readable. Body text is drawn in the
// terminal's own foreground (no colour set), so the terminal's own
// contrast applies whatever its background; every other colour is chosen
// from the xterm 256-colour palette to stand out from the background the
// theme is for (dark: black to #1c1c1c; light: white to #f5f5f5): at least
// 4.5:1 for text, 3:1 for secondary text and for highlights against the
// background, 4.5:1 for text on a highlight, which therefore sets its own
// text colour (the test measures them all). And state never rests on
// colour alone: without colour (NO_COLOR) or with 16 colours, the selected
// row, search matches and the current match are drawn in reverse video,
// bold and underline (NO_COLOR asks for no colour, not for no emphasis),
// and the focused card has a heavier frame in every profile.
package theme

import (
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
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

	Text      lipgloss.Style // body text: the terminal's own foreground
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

// palette holds one background's colours, as xterm 256-colour palette
// indexes (16 to 255: the first 16 are each terminal's own).
type palette struct {
	muted, faint, accent, date, kind, official, figure, warning, errorC, border lipgloss.TerminalColor
	// A highlight sets its text colour as well as its background.
	selectedFg, selectedBg, matchFg, matchBg, currentFg, currentBg lipgloss.TerminalColor
}

// colourless is the palette without colour (NO_COLOR).
var colourless = palette{
	muted: lipgloss.NoColor{}, faint: lipgloss.NoColor{}, accent: lipgloss.NoColor{},
	date: lipgloss.NoColor{}, kind: lipgloss.NoColor{}, official: lipgloss.NoColor{},
	figure: lipgloss.NoColor{}, warning: lipgloss.NoColor{}, errorC: lipgloss.NoColor{},
	border:     lipgloss.NoColor{},
	selectedFg: lipgloss.NoColor{}, selectedBg: lipgloss.NoColor{}, matchFg: lipgloss.NoColor{},
	matchBg: lipgloss.NoColor{}, currentFg: lipgloss.NoColor{}, currentBg: lipgloss.NoColor{},
}

// paletteFor gives the colours for a dark or light background.
func paletteFor(dark bool) palette {
	if dark {
		return palette{
			muted: c("246"), faint: c("242"), accent: c("111"), date: c("180"), kind: c("150"),
			official: c("217"), figure: c("223"), warning: c("214"), errorC: c("203"), border: c("240"),
			selectedFg: c("255"), selectedBg: c("237"),
			matchFg: c("16"), matchBg: c("100"),
			currentFg: c("16"), currentBg: c("208"),
		}
	}
	return palette{
		muted: c("241"), faint: c("244"), accent: c("25"), date: c("58"), kind: c("22"),
		official: c("125"), figure: c("94"), warning: c("94"), errorC: c("160"), border: c("250"),
		selectedFg: c("235"), selectedBg: c("254"),
		matchFg: c("16"), matchBg: c("136"),
		currentFg: c("16"), currentBg: c("166"),
	}
}

func c(s string) lipgloss.Color { return lipgloss.Color(s) }

// New builds the styles for a terminal: r is its renderer (for an SSH
// session, the session's own), dark whether its background is dark.
//
// Without colour (r's profile is termenv.Ascii, as under NO_COLOR) the
// styles keep their bold, underline and reverse video: lipgloss would
// draw none of them for that profile, so they are built for a 16-colour
// profile with no colour in them.
func New(r *lipgloss.Renderer, dark bool) *Theme {
	p := paletteFor(dark)
	profile := r.ColorProfile()
	s := r.NewStyle
	if profile == termenv.Ascii {
		p = colourless
		attrs := lipgloss.NewRenderer(io.Discard)
		attrs.SetColorProfile(termenv.ANSI)
		s = attrs.NewStyle
	}
	th := &Theme{
		Renderer:  r,
		Dark:      dark,
		Text:      s(),
		Muted:     s().Foreground(p.muted),
		Faint:     s().Foreground(p.faint),
		Accent:    s().Foreground(p.accent),
		Title:     s().Foreground(p.accent).Bold(true),
		Heading:   s().Foreground(p.muted).Bold(true),
		Date:      s().Foreground(p.date),
		Kind:      s().Foreground(p.kind),
		Official:  s().Foreground(p.official),
		Figure:    s().Foreground(p.figure).Bold(true),
		Warning:   s().Foreground(p.warning),
		Error:     s().Foreground(p.errorC).Bold(true),
		Filter:    s().Foreground(p.accent).Bold(true),
		Bar:       s().Foreground(p.muted),
		Card:      s().Border(lipgloss.RoundedBorder()).BorderForeground(p.border).Padding(0, 1),
		CardFocus: s().Border(lipgloss.ThickBorder()).BorderForeground(p.accent).Padding(0, 1),
		Key:       s().Foreground(p.muted).Bold(true),
		KeyDesc:   s().Foreground(p.faint),
	}
	switch profile {
	case termenv.ANSI256, termenv.TrueColor:
		th.Selected = s().Foreground(p.selectedFg).Background(p.selectedBg).Bold(true)
		th.Match = s().Foreground(p.matchFg).Background(p.matchBg)
		th.Current = s().Foreground(p.currentFg).Background(p.currentBg).Bold(true).Underline(true)
	default:
		// No colour, or 16 of the terminal's own, where a grey background
		// may be black: reverse video shows on every terminal.
		th.Selected = s().Reverse(true).Bold(true)
		th.Match = s().Reverse(true)
		th.Current = s().Reverse(true).Bold(true).Underline(true)
	}
	return th
}
