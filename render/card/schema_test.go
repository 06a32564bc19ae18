package card

import (
	"strconv"
	"strings"
	"testing"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// notOnCard lists the briefing's fields the card does not show, each with
// the reason. Every other field of store.Briefing is something a reader
// sees, and must be on the card: see "Adding a field" in the store package
// doc.
var notOnCard = map[string]string{
	"ID":                   "an address for commands (`brief show ID`), which `brief list` prints; the card is about the event",
	"Officials[].Official": "a link into the registry: the card shows the name and role it gives",
	"Extra[].Key":          "unknown keys are kept but not used; `brief check` and the problems view list them",
	"Extra[].Value":        "unknown keys are kept but not used; `brief check` and the problems view list them",
	"Extra[].Line":         "where the key is in the file, for messages",
	"Path":                 "the file, not the event: the reader's header and `brief show` give it",
	"BodyLine":             "where the body starts in the file, for messages",
}

// shownAs gives how the card shows a value other than as written.
var shownAs = map[string]func(v any) string{
	"Status": func(any) string { return "DRAFT" }, // the badge
	"Date":   func(v any) string { return v.(store.Date).Short() },
}

// TestCardShowsEveryField fills every field of a briefing and checks that
// each value is on its card.
func TestCardShowsEveryField(t *testing.T) {
	b, leaves := storetest.EveryField()
	out := ansi.Strip(Briefing(b, styles(termenv.Ascii), Options{Plain: true}))
	for _, l := range leaves {
		if _, ok := notOnCard[l.Path]; ok {
			continue
		}
		want := ""
		switch x := l.Value.(type) {
		case string:
			want = x
		case int:
			want = strconv.Itoa(x)
		case store.Date:
			want = x.Short()
		default:
			t.Errorf("%s: no rule to find a %T on the card: add one to shownAs, or list the field in notOnCard with the reason", l.Path, l.Value)
			continue
		}
		if show, ok := shownAs[l.Path]; ok {
			want = show(l.Value)
		}
		if !strings.Contains(out, want) {
			t.Errorf("the card (render/card) does not show %s (%q): draw it, or list it in notOnCard with the reason", l.Path, want)
		}
	}
	for _, list := range []map[string]string{notOnCard, toStrings(shownAs)} {
		for p := range list {
			found := false
			for _, l := range leaves {
				found = found || l.Path == p
			}
			if !found {
				t.Errorf("the card's schema test names %s, which store.Briefing does not have", p)
			}
		}
	}
	if t.Failed() {
		t.Logf("the card:\n%s", out)
	}
}

func toStrings[V any](m map[string]V) map[string]string {
	out := map[string]string{}
	for k := range m {
		out[k] = ""
	}
	return out
}
