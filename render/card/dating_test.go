package card

import (
	"strings"
	"testing"

	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// The card shows how a date was worked out whenever the briefing says so,
// on a stated date too (issue 13, item 10): the 24 July 2025 note warns
// that the page clock is not the event date.
func TestCardShowsEveryDatingNote(t *testing.T) {
	tests := []struct {
		basis store.Basis
		note  string
		want  string // "" for no dating line
	}{
		{store.BasisStated, "The dateline reads July 24; the page clock is noise.", "Date stated: The dateline reads July 24; the page clock is noise."},
		{store.BasisStated, "", ""},
		{"", "A note with no basis.", "Date stated: A note with no basis."},
		{store.BasisInferred, "Worked out from the floods.", "Date inferred: Worked out from the floods."},
		{store.BasisInferred, "", "Date inferred"},
		{store.BasisPublished, "", "Date published"},
	}
	th := styles(termenv.Ascii)
	for _, tc := range tests {
		b := &store.Briefing{Title: "T"}
		b.SetDetails(store.Details{Dating: store.Dating{Basis: tc.basis, Note: tc.note}})
		out := ansi.Strip(Briefing(b, th, Options{Plain: true}))
		has := strings.Contains(out, "\nDate ")
		switch {
		case tc.want == "" && has:
			t.Errorf("%q %q: a dating line where none is due:\n%s", tc.basis, tc.note, out)
		case tc.want != "" && !strings.Contains(out, "\n"+tc.want+"\n"):
			t.Errorf("%q %q: card lacks %q:\n%s", tc.basis, tc.note, tc.want, out)
		}
	}
	// The built-in briefing the issue names.
	b, err := corpus(t).Lookup("2025-07-24")
	if err != nil {
		t.Fatal(err)
	}
	out := ansi.Strip(Briefing(b, th, Options{Width: 300, Plain: true}))
	if !strings.Contains(out, "Date stated: "+b.Dating().Note) || b.Dating().Note == "" {
		t.Errorf("the 24 July 2025 card lacks its dating note:\n%s", out)
	}
}
