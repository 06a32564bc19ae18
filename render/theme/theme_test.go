package theme

import (
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// sgr lists the parameters of every SGR sequence in s.
func sgr(s string) map[string]bool {
	params := map[string]bool{}
	for _, m := range regexp.MustCompile(`\x1b\[([0-9;]*)m`).FindAllStringSubmatch(s, -1) {
		for _, p := range strings.Split(m[1], ";") {
			params[p] = true
		}
	}
	return params
}

// TestStateWithoutColour: with no colour (NO_COLOR) or 16, the selected
// row, a search match and the current match are drawn in reverse video,
// bold and underline, which every terminal shows; with 256 colours and
// more, with their own text and background colours, the current match
// still bold and underlined. The focused card has a heavier frame than
// the others in every profile.
func TestStateWithoutColour(t *testing.T) {
	for _, profile := range []termenv.Profile{termenv.Ascii, termenv.ANSI, termenv.ANSI256, termenv.TrueColor} {
		for _, dark := range []bool{true, false} {
			r := lipgloss.NewRenderer(io.Discard)
			r.SetColorProfile(profile)
			th := New(r, dark)
			colour := profile == termenv.ANSI256 || profile == termenv.TrueColor
			tests := []struct {
				name  string
				style lipgloss.Style
				want  []string // SGR parameters that must be there
			}{
				{"Selected", th.Selected, []string{"7", "1"}},
				{"Match", th.Match, []string{"7"}},
				{"Current", th.Current, []string{"7", "1", "4"}},
			}
			if colour {
				tests[0].want = []string{"1", "48"}
				tests[1].want = []string{"38", "48"}
				tests[2].want = []string{"1", "4", "38", "48"}
			}
			for _, tc := range tests {
				got := sgr(tc.style.Render("state"))
				for _, p := range tc.want {
					if !got[p] {
						t.Errorf("profile %v, dark %v: %s = %q lacks SGR %s", profile, dark, tc.name, tc.style.Render("state"), p)
					}
				}
				if profile == termenv.Ascii && (got["38"] || got["48"] || anyBasicColour(got)) {
					t.Errorf("NO_COLOR: %s = %q has colour", tc.name, tc.style.Render("state"))
				}
			}
			focus, plain := th.CardFocus.Render("card"), th.Card.Render("card")
			if !strings.HasPrefix(stripSGR(focus), "┏") || !strings.HasPrefix(stripSGR(plain), "╭") {
				t.Errorf("profile %v: the focused card's frame is not heavier:\n%s\n%s", profile, focus, plain)
			}
			if th.CardFocus.GetHorizontalFrameSize() != th.Card.GetHorizontalFrameSize() || th.CardFocus.GetVerticalFrameSize() != th.Card.GetVerticalFrameSize() {
				t.Errorf("the focused card's frame changes its size")
			}
			// Body text is the terminal's own foreground.
			if got := th.Text.Render("body"); got != "body" {
				t.Errorf("profile %v: body text is styled: %q", profile, got)
			}
		}
	}
}

func anyBasicColour(params map[string]bool) bool {
	for p := range params {
		if len(p) == 2 && (p[0] >= '3' && p[0] <= '4' || p[0] == '9') || len(p) == 3 && p[:2] == "10" {
			return true
		}
	}
	return false
}

func stripSGR(s string) string { return regexp.MustCompile(`\x1b\[[0-9;]*m`).ReplaceAllString(s, "") }

func TestParse(t *testing.T) {
	for _, s := range []string{"auto", "dark", "light"} {
		if n, ok := Parse(s); !ok || string(n) != s {
			t.Errorf("Parse(%q) = %q, %v", s, n, ok)
		}
	}
	for _, s := range []string{"", "Dark", "solarized"} {
		if _, ok := Parse(s); ok {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
}
