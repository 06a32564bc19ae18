package store_test

import (
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/store"
)

// qaBuiltIn loads the built-in corpus as brief check does.
func qaBuiltIn(t testing.TB) *store.Corpus {
	t.Helper()
	c, err := store.Load(briefs.FS(), store.Options{Name: briefs.Name, Full: true})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	qaCheckCounts(t, c)
	return c
}

// TestBuiltInCorpus checks that the built-in briefings load without a
// problem, every official resolved, in date order.
func TestBuiltInCorpus(t *testing.T) {
	c := qaBuiltIn(t)
	if c.Errors() != 0 || len(c.Problems()) != 0 {
		t.Errorf("problems:\n%s", qaProblemList(c.Problems()))
	}
	if c.Name != briefs.Name {
		t.Errorf("Name = %q", c.Name)
	}
	files, _ := fs.Glob(briefs.FS(), "*.md")
	if c.Seen() != len(files) || len(c.Briefings()) != len(files) || c.Rejected() != 0 {
		t.Errorf("seen %d, loaded %d, rejected %d of %d files", c.Seen(), len(c.Briefings()), c.Rejected(), len(files))
	}
	want := []string{
		"2021-12-mirziyoyev-state-visit-astana",
		"2022-12-tokayev-state-visit-tashkent",
		"2024-02-19-nurtleu-saidov-astana-talks",
		"2024-tokayev-mirziyoyev-flood-solidarity-call",
		"2025-07-24-tokayev-mirziyoyev-call",
		"2025-08-18-tokayev-norbaeva-meeting",
	}
	if got := qaIDs(c.Briefings()); !reflect.DeepEqual(got, want) {
		t.Errorf("order\n got %q\nwant %q", got, want)
	}
	whens := map[string]string{
		"2021-12-mirziyoyev-state-visit-astana":         "Dec 2021",
		"2024-02-19-nurtleu-saidov-astana-talks":        "~19 Feb 2024",
		"2024-tokayev-mirziyoyev-flood-solidarity-call": "~Spring 2024",
		"2025-07-24-tokayev-mirziyoyev-call":            "24 Jul 2025",
	}
	for _, b := range c.Briefings() {
		if w, ok := whens[b.ID]; ok && b.When() != w {
			t.Errorf("%s: When() = %q, want %q", b.ID, b.When(), w)
		}
		if b.ID+".md" != b.Path {
			t.Errorf("%s is in %s", b.ID, b.Path)
		}
		for _, ref := range b.Officials {
			if ref.Official == nil {
				t.Errorf("%s: official %q is not resolved", b.ID, ref.Name)
				continue
			}
			if _, ok := ref.Official.RoleOn(b.Date); !ok {
				t.Errorf("%s: %s held no role on %s", b.ID, ref.Official.ID, b.Date)
			}
		}
		for name, values := range qaStrings(b) {
			for _, v := range values {
				if u := qaUnsafe(v); u != "" {
					t.Errorf("%s: %s %q keeps %s", b.ID, name, v, u)
				}
			}
		}
		if b.Title == "" || b.Summary == "" || len(b.Sources()) == 0 {
			t.Errorf("%s lacks a title, summary or source", b.ID)
		}
		body, ps, err := c.Body(b)
		if err != nil || len(ps) != 0 {
			t.Errorf("%s: Body: %v\n%s", b.ID, err, qaProblemList(ps))
		}
		if len(body) < 200 || strings.HasPrefix(body, "---") {
			t.Errorf("%s: body %q", b.ID, body[:min(len(body), 80)])
		}
	}
	// Every person is a registry official.
	for _, p := range c.People() {
		if p.Official == nil {
			t.Errorf("unknown person %q", p.Name)
		}
	}
}

// TestBuiltInLookup checks finding built-in briefings by id and prefix.
func TestBuiltInLookup(t *testing.T) {
	c := qaBuiltIn(t)
	tests := []struct {
		id        string
		want      string
		ambiguous bool
		suggest   string
	}{
		{"2025-07-24-tokayev-mirziyoyev-call", "2025-07-24-tokayev-mirziyoyev-call", false, ""},
		{"2025-08", "2025-08-18-tokayev-norbaeva-meeting", false, ""},
		{"2021", "2021-12-mirziyoyev-state-visit-astana", false, ""},
		{"2024-0", "2024-02-19-nurtleu-saidov-astana-talks", false, ""},
		{"2024-t", "2024-tokayev-mirziyoyev-flood-solidarity-call", false, ""},
		{"2024", "", true, "2024-02-19-nurtleu-saidov-astana-talks"},
		{"2025", "", true, "2025-07-24-tokayev-mirziyoyev-call"},
		{"2", "", true, "2021-12-mirziyoyev-state-visit-astana"},
		{"tokayev-norbaeva-meeting", "", false, "2025-08-18-tokayev-norbaeva-meeting"},
		{"2025-07-24-tokayev-mirziyoyev-cal1", "", false, "2025-07-24-tokayev-mirziyoyev-call"},
		{"2023", "", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			b, err := c.Lookup(tc.id)
			if tc.want != "" {
				if err != nil || b.ID != tc.want {
					t.Errorf("Lookup(%q) = %v, %v; want %s", tc.id, b, err, tc.want)
				}
				return
			}
			var le *store.LookupError
			if !errors.As(err, &le) {
				t.Fatalf("Lookup(%q) error = %v, want a *LookupError", tc.id, err)
			}
			if le.Ambiguous != tc.ambiguous {
				t.Errorf("Ambiguous = %v, want %v (%v)", le.Ambiguous, tc.ambiguous, le)
			}
			if tc.ambiguous && !strings.Contains(le.Error(), "several") {
				t.Errorf("message %q does not say the prefix is ambiguous", le.Error())
			}
			if !tc.ambiguous && !strings.Contains(le.Error(), "no briefing") {
				t.Errorf("message %q does not say the id is unknown", le.Error())
			}
			if tc.suggest != "" && !qaContains(le.Suggestions, tc.suggest) {
				t.Errorf("suggestions %q lack %s", le.Suggestions, tc.suggest)
			}
			if len(le.Suggestions) > 0 && !strings.Contains(le.Error(), le.Suggestions[0]) {
				t.Errorf("message %q does not show the suggestions", le.Error())
			}
		})
	}
}

// TestBuiltInQueries checks queries over the built-in corpus, as the
// reader's filters make them.
func TestBuiltInQueries(t *testing.T) {
	c := qaBuiltIn(t)
	reg := c.Registry()
	d := func(s string) store.Date { return qaDate(t, s) }
	tests := []struct {
		name string
		q    store.Query
		want []string // id prefixes
	}{
		{"Tokayev", store.Query{Official: reg.Lookup("Токаев")}, []string{"2021-12", "2022-12", "2024-02-19", "2024-tokayev", "2025-07-24", "2025-08-18"}},
		{"Saidov in Arabic", store.Query{Official: reg.Lookup("سايدوف")}, []string{"2024-02-19"}},
		{"Nurtleu in Arabic", store.Query{Official: reg.Lookup("نورتليو")}, []string{"2024-02-19"}},
		{"Norbaeva", store.Query{Official: reg.Lookup("Narbaeva")}, []string{"2025-08-18"}},
		{"Aksakalov takes part in nothing", store.Query{Official: reg.Lookup("aksakalov")}, nil},
		{"trade", store.Query{Topic: "trade"}, []string{"2024-02-19", "2025-07-24", "2025-08-18"}},
		{"border", store.Query{Topic: "border"}, []string{"2022-12", "2024-02-19"}},
		{"since April 2024", store.Query{Since: d("2024-04-10")}, []string{"2024-tokayev", "2025-07-24", "2025-08-18"}},
		{"until March 2024", store.Query{Until: d("2024-03")}, []string{"2021-12", "2022-12", "2024-02-19", "2024-tokayev"}},
		{"2022", store.Query{Since: d("2022"), Until: d("2022")}, []string{"2022-12"}},
		{"text", store.Query{Text: "STATE visit"}, []string{"2021-12", "2022-12", "2024-02-19"}}, // its body: "the state visits"
		{"text, a closed phrase", store.Query{Text: `"STATE visit"`}, []string{"2021-12", "2022-12"}},
		{"text, a body word", store.Query{Text: "railway"}, []string{"2024-02-19"}},
		{"text in a source title in Arabic", store.Query{Text: "كازاخستان"}, []string{"2024-02-19"}},
		{"Mirziyoyev, trade, 2025, birthday", store.Query{Official: reg.Lookup("Mirziyoev"), Topic: "trade", Since: d("2025"), Text: "birthday"}, []string{"2025-07-24"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Query(tc.q)
			if len(got) != len(tc.want) {
				t.Fatalf("Query = %q, want %d briefings starting %q", qaIDs(got), len(tc.want), tc.want)
			}
			for i, b := range got {
				if !strings.HasPrefix(b.ID, tc.want[i]) {
					t.Errorf("Query[%d] = %s, want %s...", i, b.ID, tc.want[i])
				}
			}
		})
	}
}
