package card

import (
	"io"
	"strings"
	"testing"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

func corpus(t *testing.T) *store.Corpus { return storetest.Builtin(t) }

func styles(profile termenv.Profile) *theme.Theme {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(profile)
	return theme.New(r, true)
}

// TestCardsFitAndAreSafe draws every built-in briefing's card at many
// widths, framed and plain, cut and whole.
func TestCardsFitAndAreSafe(t *testing.T) {
	c := corpus(t)
	th := styles(termenv.ANSI256)
	for _, b := range c.Briefings() {
		for _, w := range []int{30, 44, 60, 80, 120, 160} {
			for _, opts := range []Options{{Width: w}, {Width: w, Plain: true}, {Width: w, Height: 12}, {Width: w, Focused: true}} {
				out := Briefing(b, th, opts)
				if err := sanitize.Check(out); err != nil {
					t.Fatalf("%s at %d: %v", b.ID, w, err)
				}
				lines := strings.Split(out, "\n")
				for i, l := range lines {
					if got := ansi.StringWidth(l); got > w {
						t.Errorf("%s at %d %+v: line %d is %d wide: %q", b.ID, w, opts, i, got, ansi.Strip(l))
					}
				}
				if opts.Height > 0 && len(lines) > opts.Height {
					t.Errorf("%s: %d lines, cut to %d asked", b.ID, len(lines), opts.Height)
				}
			}
		}
	}
}

func TestCardShowsRolesAtTheTimeAndEveryFigure(t *testing.T) {
	c := corpus(t)
	b, err := c.Lookup("2024-02-19")
	if err != nil {
		t.Fatal(err)
	}
	out := ansi.Strip(Briefing(b, styles(termenv.Ascii), Options{Width: 200, Plain: true}))
	for _, want := range []string{
		b.Title, "~19 Feb 2024", "talks", "Astana", "Date inferred",
		"Murat Nurtleu — Deputy Prime Minister and Minister of Foreign Affairs of Kazakhstan",
		"Bakhtiyor Saidov — Minister of Foreign Affairs of Uzbekistan",
		"$156mn", "21 new joint projects", "approximately $1bn", "$10bn",
		"Daryo", "EU Reporter",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("card lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "╭") {
		t.Errorf("a plain card has a frame")
	}
}

func TestPersonCard(t *testing.T) {
	c := corpus(t)
	people := c.FindPeople("saidov")
	if len(people) != 1 {
		t.Fatalf("FindPeople(saidov) = %v", people)
	}
	out := ansi.Strip(Person(people[0], styles(termenv.Ascii), Options{Width: 100}))
	for _, want := range []string{"Bakhtiyor Saidov", "Minister of Foreign Affairs of Uzbekistan", "Uzbekistan", "1 event", "first ~19 Feb 2024", "Бахтиёр Саидов"} {
		if !strings.Contains(out, want) {
			t.Errorf("profile lacks %q:\n%s", want, out)
		}
	}
}
