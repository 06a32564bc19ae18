package card

import (
	"strings"
	"testing"

	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// A source whose link is only the outlet's home page says so, so that no
// reader takes it for the article (issue 13, item 6).
func TestCardMarksOutletSites(t *testing.T) {
	const mark = "the outlet's site: the article's own address is not recorded"
	tests := []struct {
		url  string
		site bool
	}{
		{"https://daryo.uz/", true},
		{"https://www.eureporter.co", true},
		{"https://daryo.uz/en/", false},
		{"https://menafn.com/1109841244/Kazakhstan-Uzbekistan-Partnership", false},
		{"https://example.org/?id=5", false},
		{"https://example.org/#top", false},
		{"not a link", false},
		{"", false},
	}
	th := styles(termenv.Ascii)
	for _, tc := range tests {
		b := &store.Briefing{Title: "T"}
		b.SetDetails(store.Details{Sources: []store.Source{{Outlet: "Outlet", URL: tc.url}}})
		out := ansi.Strip(Briefing(b, th, Options{Width: 100, Plain: true}))
		if got := strings.Contains(out, mark); got != tc.site {
			t.Errorf("%q: marked as the outlet's site %v, want %v:\n%s", tc.url, got, tc.site, out)
		}
	}
}
