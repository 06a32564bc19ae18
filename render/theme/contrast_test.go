package theme

import (
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func TestContrastFormula(t *testing.T) {
	tests := []struct {
		fg, bg string
		want   float64
		ok     bool
	}{
		{"#000000", "#ffffff", 21, true},
		{"#ffffff", "#ffffff", 1, true},
		{"#777777", "#ffffff", 4.48, true},
		{"231", "16", 21, true},
		{"252", "#000000", 13.62, true}, // #d0d0d0
		{"235", "#000000", 1.39, true},  // #262626: issue 9's "1.4:1"
		{"229", "#ffffff", 1.04, true},  // issue 9's light search highlight
		{"244", "#1c1c1c", 4.32, true},  // #808080
		{"1", "#000000", 0, false},      // the terminal's own red
		{"256", "#000000", 0, false},
		{"#12345", "#000000", 0, false},
		{"", "#000000", 0, false},
	}
	for _, tc := range tests {
		got, ok := Contrast(lipgloss.Color(tc.fg), lipgloss.Color(tc.bg))
		if ok != tc.ok || math.Abs(got-tc.want) > 0.005 {
			t.Errorf("Contrast(%s, %s) = %.3f, %v; want %.2f, %v", tc.fg, tc.bg, got, ok, tc.want, tc.ok)
		}
	}
	if _, ok := Contrast(lipgloss.NoColor{}, lipgloss.Color("#000000")); ok {
		t.Error("no colour measured")
	}
}

// backgrounds are the terminal backgrounds each theme is for.
var backgrounds = map[bool][]string{
	true:  {"#000000", "#1c1c1c"},
	false: {"#ffffff", "#f5f5f5"},
}

// check is one measured requirement.
type check struct {
	name string
	fg   lipgloss.TerminalColor
	bg   lipgloss.TerminalColor // nil: the terminal's background
	min  float64
}

// checks lists what a theme must meet: body text 4.5:1, secondary text
// 3:1, the focused card's frame 3:1 (a state shown by a non-text element,
// WCAG 1.4.11), a highlight's text 4.5:1 on the highlight and every
// column's text on the selected row 4.5:1, and each search highlight 3:1
// against the terminal's background, so that it can be told from it.
func checks(th *Theme) []check {
	fg := func(s lipgloss.Style) lipgloss.TerminalColor { return s.GetForeground() }
	cs := []check{}
	for _, b := range []struct {
		name string
		s    lipgloss.Style
	}{
		{"Text", th.Text}, {"Accent", th.Accent}, {"Title", th.Title}, {"Heading", th.Heading},
		{"Date", th.Date}, {"Kind", th.Kind}, {"Official", th.Official}, {"Figure", th.Figure},
		{"Warning", th.Warning}, {"Error", th.Error}, {"Filter", th.Filter}, {"Key", th.Key},
	} {
		cs = append(cs, check{b.name, fg(b.s), nil, 4.5})
	}
	for _, b := range []struct {
		name string
		s    lipgloss.Style
	}{{"Muted", th.Muted}, {"Faint", th.Faint}, {"KeyDesc", th.KeyDesc}, {"Bar", th.Bar}} {
		cs = append(cs, check{b.name, fg(b.s), nil, 3})
	}
	cs = append(cs, check{"CardFocus frame", th.CardFocus.GetBorderTopForeground(), nil, 3})
	cs = append(cs, check{"Card frame", th.Card.GetBorderTopForeground(), nil, 0})
	for _, h := range []struct {
		name string
		s    lipgloss.Style
	}{{"Match", th.Match}, {"Current", th.Current}} {
		bg := h.s.GetBackground()
		if _, none := bg.(lipgloss.NoColor); none {
			continue
		}
		cs = append(cs, check{h.name + " text", fg(h.s), bg, 4.5}, check{h.name + " background", bg, nil, 3})
	}
	if bg := th.Selected.GetBackground(); !isNone(bg) {
		for _, c := range []struct {
			name string
			s    lipgloss.Style
		}{{"Selected", th.Selected}, {"Date", th.Date}, {"Kind", th.Kind}, {"Official", th.Official}, {"Accent", th.Accent}} {
			cs = append(cs, check{c.name + " on Selected", fg(c.s), bg, 4.5})
		}
		cs = append(cs, check{"Selected background", bg, nil, 0})
	}
	return cs
}

func isNone(c lipgloss.TerminalColor) bool {
	_, none := c.(lipgloss.NoColor)
	return none
}

// TestContrast measures every style of both themes against the
// backgrounds the theme is for, from the xterm palette; -v prints the
// table.
func TestContrast(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	for _, dark := range []bool{true, false} {
		th := New(r, dark)
		name := map[bool]string{true: "dark", false: "light"}[dark]
		var table strings.Builder
		fmt.Fprintf(&table, "%s theme\n  %-22s %-6s %-6s %8s %8s  min\n", name, "style", "fg", "bg", backgrounds[dark][0], backgrounds[dark][1])
		for _, c := range checks(th) {
			if isNone(c.fg) {
				// The terminal's own foreground: right on its own
				// background, unknown on any other.
				if c.bg != nil {
					t.Errorf("%s theme: %s: a background (%v) with the terminal's foreground, of unknown contrast", name, c.name, c.bg)
				}
				fmt.Fprintf(&table, "  %-22s %-6s %-6v %8s %8s\n", c.name, "none", c.bg, "terminal", "terminal")
				continue
			}
			bgName := "term"
			var cols []float64
			for _, page := range backgrounds[dark] {
				var bg lipgloss.TerminalColor = lipgloss.Color(page)
				if c.bg != nil {
					bg, bgName = c.bg, fmt.Sprint(c.bg)
				}
				got, ok := Contrast(c.fg, bg)
				if !ok {
					t.Fatalf("%s theme: %s: %v on %v cannot be measured", name, c.name, c.fg, bg)
				}
				cols = append(cols, got)
				if got < c.min {
					t.Errorf("%s theme: %s (%v) on %s is %.2f:1, want at least %.1f:1", name, c.name, c.fg, map[bool]string{true: bgName, false: page}[c.bg != nil], got, c.min)
				}
			}
			fmt.Fprintf(&table, "  %-22s %-6v %-6s %7.2f:1 %7.2f:1  %.1f\n", c.name, c.fg, bgName, cols[0], cols[1], c.min)
		}
		t.Log("\n" + table.String())
	}
}
