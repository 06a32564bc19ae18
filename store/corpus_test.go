package store_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/brief-tools/brief/store"
)

// qaCorpusFiles is a small corpus whose dates cover every precision.
var qaCorpusFiles = map[string]string{
	"2024/march-1.md": qaDoc("title: Trade talks in Türkistan\ndate: 2024-03-01\nofficials: [tokayev]\ntopics: [trade]\nsummary: Énergie and trade.\n"),
	"2024/march-31.md": qaDoc("title: Water talks\ndate: 2024-03-31\nofficials: [Mirziyoev, saidov]\ntopics: [water-energy]\n" +
		"summary: The ministers met.\n"),
	"2024/apr.md":           qaDoc("title: Border talks\ndate: 2024-04\nofficials: [nurtleu]\ntopics: [Trade, border]\nlocation: Tashkent\n"),
	"2024/apr-1.md":         qaDoc("title: Energy call\ndate: 2024-04-01\nofficials: [tokayev, mirziyoyev]\ntopics: [energy]\nkind: call\n"),
	"2024/zz-same-day.md":   qaDoc("title: Another event the same day\ndate: '2024-04-01'\nofficials: [norbaeva]\n"),
	"2024/spring.md":        qaDoc("title: Flood call\ndate: 2024\ndating:\n  basis: inferred\n  season: spring\n  note: floods\nofficials: [Токаев]\ntopics: [flood-relief]\nsummary: Токаев thanks توكاييف's neighbours.\n"),
	"2024/winter.md":        qaDoc("title: Winter meeting\ndate: 2024\ndating:\n  season: winter\nofficials: [norbaeva]\n"),
	"2024/year-2024.md":     qaDoc("title: Some time in 2024\ndate: 2024\nofficials: [aksakalov]\n"),
	"2024/feb.md":           qaDoc("title: Leap day visit\ndate: 2024-02-29\nofficials: [Ali Unknownov]\ntopics: [trade]\n"),
	"2023/year-2023.md":     qaDoc("title: Old background\ndate: 2023\nofficials: [saidov, ALI UNKNÓWNOV]\nsources:\n  - outlet: Daryo\n    title: Ministers meet\n"),
	"2024/.hidden-draft.md": qaDoc("title: Draft\ndate: 2024-04-01\nofficials: [tokayev]\n"),
}

// qaCorpusOrder is the expected order of qaCorpusFiles.
var qaCorpusOrder = []string{"year-2023", "winter", "year-2024", "feb", "spring", "march-1", "march-31", "apr", "apr-1", "zz-same-day"}

func qaCorpus(t testing.TB) *store.Corpus {
	t.Helper()
	c := qaLoadFiles(t, qaCorpusFiles, store.Options{Full: true})
	if c.Errors() != 0 {
		t.Fatalf("fixture corpus has errors:\n%s", qaProblemList(c.Problems()))
	}
	return c
}

// TestCorpusOrder checks the sort: by the first day a date may stand for,
// a less precise date first, then by id.
func TestCorpusOrder(t *testing.T) {
	c := qaCorpus(t)
	if got := qaIDs(c.Briefings()); !reflect.DeepEqual(got, qaCorpusOrder) {
		t.Errorf("order\n got %q\nwant %q", got, qaCorpusOrder)
	}
	// The same corpus in any file order sorts the same.
	renamed := map[string]string{}
	for name, data := range qaCorpusFiles {
		renamed["x/"+strings.NewReplacer("a", "z", "e", "b").Replace(name)] = data
	}
	c2 := qaLoadFiles(t, renamed, store.Options{})
	if got := qaIDs(c2.Briefings()); len(got) != len(qaCorpusOrder) {
		t.Fatalf("renamed corpus: %q", got)
	}
	var dates, dates2 []string
	for i := range c.Briefings() {
		dates = append(dates, c.Briefings()[i].When())
		dates2 = append(dates2, c2.Briefings()[i].When())
	}
	if !reflect.DeepEqual(dates, dates2) {
		t.Errorf("file order changed the date order:\n%q\n%q", dates, dates2)
	}
}

// TestCorpusQuery checks that every condition of a query must hold.
func TestCorpusQuery(t *testing.T) {
	c := qaCorpus(t)
	reg := c.Registry()
	official := func(id string) *store.Official {
		o := reg.Lookup(id)
		if o == nil {
			t.Fatalf("registry lacks %s", id)
		}
		return o
	}
	d := func(s string) store.Date { return qaDate(t, s) }
	tests := []struct {
		name string
		q    store.Query
		want []string
	}{
		{"everything", store.Query{}, qaCorpusOrder},
		{"official", store.Query{Official: official("tokayev")}, []string{"spring", "march-1", "apr-1"}},
		{"official by another spelling in the file", store.Query{Official: official("mirziyoyev")}, []string{"march-31", "apr-1"}},
		{"official without briefings", store.Query{Official: &store.Official{ID: "nobody"}}, nil},
		{"topic", store.Query{Topic: "trade"}, []string{"feb", "march-1", "apr"}},
		{"topic ignores case", store.Query{Topic: "TRADE"}, []string{"feb", "march-1", "apr"}},
		{"topic with a hyphen", store.Query{Topic: "water-energy"}, []string{"march-31"}},
		{"topic is a whole topic", store.Query{Topic: "water"}, nil},
		{"unknown topic", store.Query{Topic: "space"}, nil},
		{"since a day inside a month", store.Query{Since: d("2024-04-10")}, []string{"winter", "year-2024", "spring", "apr"}},
		{"until a day", store.Query{Until: d("2024-02-29")}, []string{"year-2023", "winter", "year-2024", "feb"}},
		{"one month", store.Query{Since: d("2024-03"), Until: d("2024-03")}, []string{"winter", "year-2024", "spring", "march-1", "march-31"}},
		{"one day", store.Query{Since: d("2024-04-01"), Until: d("2024-04-01")}, []string{"winter", "year-2024", "spring", "apr", "apr-1", "zz-same-day"}},
		{"a year", store.Query{Since: d("2023"), Until: d("2023")}, []string{"year-2023"}},
		{"since the future", store.Query{Since: d("2030")}, nil},
		{"until the past", store.Query{Until: d("2000")}, nil},
		{"text, one word", store.Query{Text: "talks"}, []string{"march-1", "march-31", "apr"}},
		{"text, every word", store.Query{Text: "talks border"}, []string{"apr"}},
		{"text, word order free", store.Query{Text: "border talks"}, []string{"apr"}},
		{"text ignores case and diacritics", store.Query{Text: "TURKISTAN energie"}, []string{"march-1"}},
		{"text with diacritics finds plain", store.Query{Text: "Tálks Wáter"}, []string{"march-31"}},
		// "spring" writes the name in Cyrillic; the others name the registry's
		// tokayev, whose aliases the text search looks into too.
		{"text in Cyrillic", store.Query{Text: "токаев"}, []string{"spring", "march-1", "apr-1"}},
		{"text in Arabic with harakat", store.Query{Text: "تُوكَايِيف"}, []string{"spring", "march-1", "apr-1"}},
		{"text searches place, kind and topics", store.Query{Text: "tashkent"}, []string{"apr"}},
		{"text searches kind", store.Query{Text: "call energy"}, []string{"apr-1"}},
		{"text searches sources", store.Query{Text: "daryo"}, []string{"year-2023"}},
		{"text searches names as written", store.Query{Text: "unknownov"}, []string{"year-2023", "feb"}},
		{"text with punctuation only", store.Query{Text: " ,;- "}, qaCorpusOrder},
		{"text no match", store.Query{Text: "talks nothing"}, nil},
		{"official and topic", store.Query{Official: official("tokayev"), Topic: "energy"}, []string{"apr-1"}},
		{"official and dates", store.Query{Official: official("tokayev"), Since: d("2024-03-02")}, []string{"spring", "apr-1"}},
		{"topic and dates", store.Query{Topic: "trade", Until: d("2024-03-31")}, []string{"feb", "march-1"}},
		{"all four", store.Query{Official: official("tokayev"), Topic: "trade", Since: d("2024-03"), Until: d("2024-03"), Text: "energie"}, []string{"march-1"}},
		{"all four, text fails", store.Query{Official: official("tokayev"), Topic: "trade", Since: d("2024-03"), Until: d("2024-03"), Text: "water"}, nil},
		{"all four, date fails", store.Query{Official: official("tokayev"), Topic: "trade", Since: d("2024-04"), Text: "energie"}, nil},
		{"all four, topic fails", store.Query{Official: official("tokayev"), Topic: "border", Since: d("2024-03"), Until: d("2024-03"), Text: "energie"}, nil},
		{"name the registry does not know", store.Query{Name: "Ali Unknownov"}, []string{"year-2023", "feb"}},
		{"name folded", store.Query{Name: "ali unknownov"}, []string{"year-2023", "feb"}},
		{"name and topic", store.Query{Name: "Ali Unknownov", Topic: "trade"}, []string{"feb"}},
		{"name and dates", store.Query{Name: "Ali Unknownov", Since: d("2024")}, []string{"feb"}},
		{"name of nobody", store.Query{Name: "Nobody"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := qaIDs(c.Query(tc.q))
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Query(%+v)\n got %q\nwant %q", tc.q, got, tc.want)
			}
		})
	}
}

// TestQueryIsZero checks which queries select everything.
func TestQueryIsZero(t *testing.T) {
	d := qaDate(t, "2024")
	tests := []struct {
		q    store.Query
		want bool
	}{
		{store.Query{}, true},
		{store.Query{Text: "  "}, true},
		{store.Query{Text: "x"}, false},
		{store.Query{Topic: "trade"}, false},
		{store.Query{Name: "x"}, false},
		{store.Query{Official: &store.Official{}}, false},
		{store.Query{Since: d}, false},
		{store.Query{Until: d}, false},
	}
	for _, tc := range tests {
		if got := tc.q.IsZero(); got != tc.want {
			t.Errorf("%+v.IsZero() = %v, want %v", tc.q, got, tc.want)
		}
	}
}

// TestCorpusUnknownOfficial checks that a name the registry does not know
// loads with a warning and is found as a person.
func TestCorpusUnknownOfficial(t *testing.T) {
	c := qaCorpus(t)
	if !qaHas(c.Problems(), "2024/feb.md", 4, store.Warning, "Ali Unknownov", "not in the registry") {
		t.Errorf("no warning for the unknown name:\n%s", qaProblemList(c.Problems()))
	}
	b, err := c.Lookup("feb")
	if err != nil {
		t.Fatal(err)
	}
	if b.Officials[0].Official != nil || b.Officials[0].Display() != "Ali Unknownov" {
		t.Errorf("official = %+v", b.Officials[0])
	}
	people := c.FindPeople("unknownov")
	if len(people) != 1 || people[0].Official != nil || people[0].Events != 2 || people[0].Key() == "" {
		t.Fatalf("FindPeople(unknownov) = %+v", people)
	}
	if got := qaIDs(c.Query(store.Query{Name: people[0].Key()})); !reflect.DeepEqual(got, []string{"year-2023", "feb"}) {
		t.Errorf("Query by the person's key %q = %q", people[0].Key(), got)
	}
	if people[0].First.ID != "year-2023" || people[0].Last.ID != "feb" {
		t.Errorf("first %s, last %s", people[0].First.ID, people[0].Last.ID)
	}
}

// TestCorpusPeople checks the people list and search.
func TestCorpusPeople(t *testing.T) {
	c := qaCorpus(t)
	people := c.People()
	byKey := map[string]store.Person{}
	for _, p := range people {
		byKey[p.Key()] = p
	}
	for _, want := range []struct {
		key         string
		events      int
		first, last string
	}{
		{"tokayev", 3, "spring", "apr-1"},
		{"mirziyoyev", 2, "march-31", "apr-1"},
		{"saidov", 2, "year-2023", "march-31"},
		{"norbaeva", 2, "winter", "zz-same-day"},
		{"aksakalov", 1, "year-2024", "year-2024"},
		{"nurtleu", 1, "apr", "apr"},
	} {
		p, ok := byKey[want.key]
		if !ok {
			t.Errorf("no person %s in %v", want.key, qaSortedKeys(byKey))
			continue
		}
		if p.Events != want.events || p.First == nil || p.First.ID != want.first || p.Last.ID != want.last {
			t.Errorf("%s: %d events, %v to %v; want %d, %s to %s", want.key, p.Events, p.First, p.Last, want.events, want.first, want.last)
		}
	}
	// Registry officials come first, in registry order.
	for i, o := range c.Registry().Officials() {
		if people[i].Official != o {
			t.Errorf("People()[%d] = %v, want %s", i, people[i].Name, o.ID)
		}
	}
	if len(people) != len(c.Registry().Officials())+1 {
		t.Errorf("%d people, want the registry's %d and one unknown", len(people), len(c.Registry().Officials()))
	}

	tests := []struct {
		query string
		want  []string // keys
	}{
		{"mirz", []string{"mirziyoyev"}},
		{"MIRZIYÓYEV", []string{"mirziyoyev"}},
		{"Мирзиёев", []string{"mirziyoyev"}},
		{"jomart", []string{"tokayev"}},
		{"tokayev", []string{"tokayev"}},
		{"unknownov", []string{"ALI UNKNÓWNOV"}}, // as first written, in date order
		{"unkn", []string{"ALI UNKNÓWNOV"}},      // ("ali" would find Alikhan Smailov in the registry)
		{"known", nil},                           // not the start of a word
		{"ziyoyev", nil},                         // not the start of a word
		{"", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, p := range c.FindPeople(tc.query) {
			got = append(got, p.Key())
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("FindPeople(%q) = %q, want %q", tc.query, got, tc.want)
		}
	}
}

// TestCorpusLookup checks finding a briefing by id or unique prefix.
func TestCorpusLookup(t *testing.T) {
	c := qaCorpus(t)
	tests := []struct {
		id        string
		want      string // the id found, "" for an error
		ambiguous bool
		suggest   string // one suggestion the error must make
	}{
		{"march-1", "march-1", false, ""},
		{"march-3", "march-31", false, ""},
		{"zz", "zz-same-day", false, ""},
		{"march", "", true, "march-31"},
		{"apr", "apr", false, ""}, // an exact id wins over longer ones
		{"year", "", true, "year-2023"},
		{"winterr", "", false, "winter"},
		{"same-day", "", false, "zz-same-day"},
		{"MARCH-1", "march-1", false, ""}, // case does not matter when nothing matches exactly
		{"MARCH", "", true, "march-31"},
		{"", "", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			b, err := c.Lookup(tc.id)
			if tc.want != "" {
				if err != nil || b == nil || b.ID != tc.want {
					t.Errorf("Lookup(%q) = %v, %v; want %s", tc.id, b, err, tc.want)
				}
				return
			}
			var le *store.LookupError
			if !errors.As(err, &le) {
				t.Fatalf("Lookup(%q) error %v (%T), want a *LookupError", tc.id, err, err)
			}
			if b != nil {
				t.Errorf("Lookup(%q) returned a briefing with its error", tc.id)
			}
			if le.ID != tc.id || le.Ambiguous != tc.ambiguous {
				t.Errorf("LookupError = %+v", le)
			}
			if tc.suggest != "" && !qaContains(le.Suggestions, tc.suggest) {
				t.Errorf("suggestions %q lack %s", le.Suggestions, tc.suggest)
			}
			if tc.ambiguous && !strings.Contains(le.Error(), "several") {
				t.Errorf("message %q does not say the prefix is ambiguous", le.Error())
			}
			if !strings.Contains(le.Error(), tc.id) {
				t.Errorf("message %q does not name %q", le.Error(), tc.id)
			}
		})
	}
}

func qaContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestCorpusWithoutRegistry checks a folder loaded with no registry at
// all: every name is as written, none is warned about, and names still
// filter.
func TestCorpusWithoutRegistry(t *testing.T) {
	c, err := store.Load(qaFS(map[string]string{"a.md": qaValid, "b.md": qaDoc("title: B\ndate: 2023\nofficials: [Tokayev, saidov]\n")}), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	qaCheckCounts(t, c)
	if len(c.Briefings()) != 2 || len(c.Problems()) != 0 {
		t.Fatalf("loaded %d:\n%s", len(c.Briefings()), qaProblemList(c.Problems()))
	}
	if got := qaIDs(c.Query(store.Query{Name: "tokayev"})); !reflect.DeepEqual(got, []string{"b", "a"}) {
		t.Errorf("Query{Name: tokayev} = %q", got)
	}
	if got := c.FindPeople("sai"); len(got) != 1 || got[0].Name != "saidov" || got[0].Events != 1 {
		t.Errorf("FindPeople(sai) = %+v", got)
	}
	if c.Registry().Lookup("tokayev") != nil || len(c.People()) != 2 {
		t.Errorf("people without a registry: %+v", c.People())
	}
}
