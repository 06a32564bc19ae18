package card

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// TestDraftBadge checks that a draft's card says DRAFT on its first line,
// even cut short, framed or plain, and that a finished briefing's card does not.
func TestDraftBadge(t *testing.T) {
	c := corpus(t)
	b, err := c.Lookup("2025-07-24")
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{Width: 60}, {Width: 60, Plain: true}, {Width: 30, Height: 4}} {
		draft := *b
		draft.Status = "draft"
		out := ansi.Strip(Briefing(&draft, styles(termenv.ANSI256), opts))
		first := strings.SplitN(out, "\n", 3)
		if line := first[min(1, len(first)-1)]; !opts.Plain && !strings.Contains(line, "DRAFT") || opts.Plain && !strings.HasPrefix(first[0], "DRAFT ") {
			t.Errorf("%+v: the first line lacks the DRAFT badge:\n%s", opts, out)
		}
		if plain := ansi.Strip(Briefing(b, styles(termenv.ANSI256), opts)); strings.Contains(plain, "DRAFT") {
			t.Errorf("%+v: a finished briefing shows DRAFT:\n%s", opts, plain)
		}
	}
}
