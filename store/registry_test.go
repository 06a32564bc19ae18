package store_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/store"
)

// TestRegistryBuiltIn checks that the built-in registry loads cleanly.
func TestRegistryBuiltIn(t *testing.T) {
	reg, ps := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	if len(ps) != 0 {
		t.Errorf("problems:\n%s", qaProblemList(ps))
	}
	var ids []string
	countries := map[string]int{}
	for _, o := range reg.Officials() {
		ids = append(ids, o.ID)
		countries[o.Country]++
		if o.Name == "" || o.Country == "" || len(o.Roles) == 0 || len(o.Aliases) == 0 {
			t.Errorf("%s is incomplete: %+v", o.ID, o)
		}
	}
	// The officials the briefings name come first, in file order; then the
	// heads of state and government, foreign ministers and speakers of the
	// five Central Asian states since 2016.
	if want := []string{"tokayev", "mirziyoyev", "nurtleu", "saidov", "norbaeva", "aksakalov"}; len(ids) < len(want) || !reflect.DeepEqual(ids[:len(want)], want) {
		t.Errorf("officials %q, want %q first, in file order", ids, want)
	}
	for _, c := range []string{"Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan"} {
		if countries[c] < 5 {
			t.Errorf("%d officials of %s, want at least 5", countries[c], c)
		}
	}
	if len(countries) != 5 {
		t.Errorf("countries %v, want the five Central Asian states only", countries)
	}
}

// TestRegistryLookup checks that every spelling the sources use finds the
// right official, ignoring case, diacritics and Arabic short vowels.
func TestRegistryLookup(t *testing.T) {
	reg := qaRegistry(t)
	tests := []struct {
		name string
		want string // official id, "" for none
	}{
		// Ids and names.
		{"tokayev", "tokayev"},
		{"Kassym-Jomart Tokayev", "tokayev"},
		{"kassym jomart tokayev", "tokayev"},
		{"  KASSYM–JOMART   TOKAYEV ", "tokayev"},
		// Latin transliterations and diacritics.
		{"Mirziyoev", "mirziyoyev"},
		{"mirziyoyev", "mirziyoyev"},
		{"MIRZIYÓYEV", "mirziyoyev"},
		{"Mirzíyoyev", "mirziyoyev"},
		{"Mirzijojev", "mirziyoyev"},
		{"Toqaev", "tokayev"},
		{"Nurtileu", "nurtleu"},
		{"Narbayeva", "norbaeva"},
		{"Baxtiyor Saidov", "saidov"},
		// Cyrillic, as in the registry and the seeds.
		{"Токаев", "tokayev"},
		{"ТОКАЕВ", "tokayev"},
		{"Тоқаев", "tokayev"},
		{"Мирзиёев", "mirziyoyev"},
		{"Мирзиеев", "mirziyoyev"},
		{"Шавкат Мирзиёев", "mirziyoyev"},
		{"Нұртілеу", "nurtleu"},
		{"Саидов", "saidov"},
		{"Аксакалов", "aksakalov"},
		// Arabic, as the Arabic seed article spells them.
		{"توكاييف", "tokayev"},
		{"قاسم جومارت توكاييف", "tokayev"},
		{"سعيدوف", "saidov"},
		{"سايدوف", "saidov"},
		{"بختيور سعيدوف", "saidov"},
		{"نورتلو", "nurtleu"},
		{"نورتليو", "nurtleu"},
		{"مراد نورتلو", "nurtleu"},
		{"ميرزيوييف", "mirziyoyev"},
		// Arabic with harakat (short vowels), shadda and tatweel.
		{"تُوكَايِيف", "tokayev"},
		{"سَعِيدُوف", "saidov"},
		{"سعّيدوف", "saidov"},
		{"نُورْتْلُو", "nurtleu"},
		{"توكـاييف", "tokayev"},
		// Not officials.
		{"Tokay", ""},
		{"Saidova", ""},
		{"Kazakhstan", ""},
		{"", ""},
		{"   ", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := reg.Lookup(tc.name)
			got := ""
			if o != nil {
				got = o.ID
			}
			if got != tc.want {
				t.Errorf("Lookup(%q) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
	var nilReg *store.Registry
	if nilReg.Lookup("tokayev") != nil || nilReg.Search("tok") != nil || nilReg.Officials() != nil {
		t.Error("a nil registry should find nothing")
	}
}

// TestRegistrySearch checks word-prefix search over every spelling.
func TestRegistrySearch(t *testing.T) {
	reg := qaRegistry(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"mirz", []string{"mirziyoyev"}},
		{"MIRZ", []string{"mirziyoyev"}},
		{"jomart", []string{"tokayev"}},
		{"shavkat", []string{"mirziyoyev"}},
		{"Мирз", []string{"mirziyoyev"}},
		{"توكا", []string{"tokayev"}},
		{"تُوكَا", []string{"tokayev"}},
		{"سعيد", []string{"saidov"}},
		{"murat", []string{"nurtleu"}},
		{"tanzila", []string{"norbaeva"}},
		{"saidov", []string{"saidov"}}, // an exact name answers alone
		{"n", []string{"nurtleu", "norbaeva", "nazarbayev", "dariga-nazarbayeva", "nigmatulin", "yuldashev", "aripov", "norov", "ismoilov", "novikov", "turgunbek-uulu", "nurberdiyeva"}}, // registry order
		{"ta", []string{"norbaeva", "mamytov"}},                   // Tanzila, Talant
		{"japarov", []string{"sadyr-japarov", "akylbek-japarov"}}, // a shared surname finds both
		{"Жээнбеков", []string{"sooronbay-jeenbekov", "asylbek-jeenbekov"}},
		{"ziyoyev", nil},
		{"xyz", nil},
		{"", nil},
		{" - ", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, o := range reg.Search(tc.query) {
			got = append(got, o.ID)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Search(%q) = %q, want %q", tc.query, got, tc.want)
		}
	}
}

// TestRegistryRoleOn checks that the role held on a date is picked.
func TestRegistryRoleOn(t *testing.T) {
	reg := qaRegistry(t)
	tests := []struct {
		id, date string
		want     string // role title, "" for none
	}{
		{"mirziyoyev", "2016-09-08", "Acting President of Uzbekistan"},
		{"mirziyoyev", "2016-10", "Acting President of Uzbekistan"},
		{"mirziyoyev", "2016-12-13", "Acting President of Uzbekistan"},
		{"mirziyoyev", "2016-12-14", "President of Uzbekistan"}, // both may hold: the later start wins
		{"mirziyoyev", "2016-12", "President of Uzbekistan"},
		{"mirziyoyev", "2025-07-24", "President of Uzbekistan"},
		{"mirziyoyev", "2016-09-07", "Prime Minister of Uzbekistan"},
		{"mirziyoyev", "2015", "Prime Minister of Uzbekistan"},
		{"mirziyoyev", "2003-12-11", ""},
		{"tokayev", "2019-03-20", "President of Kazakhstan"},
		{"tokayev", "2019-03-19", "Chairman of the Senate of Kazakhstan"},
		{"tokayev", "2013-10-15", ""},
		{"tokayev", "2019", "President of Kazakhstan"}, // the year may include the start
		{"nurtleu", "2024-02-19", "Deputy Prime Minister and Minister of Foreign Affairs of Kazakhstan"},
		{"nurtleu", "2025-09-25", "Deputy Prime Minister and Minister of Foreign Affairs of Kazakhstan"},
		{"nurtleu", "2025-09-26", "Assistant to the President of Kazakhstan for international investment and trade cooperation"}, // the later start wins
		{"nurtleu", "2025-10-01", "Assistant to the President of Kazakhstan for international investment and trade cooperation"},
		{"nurtleu", "2023-04-03", "Deputy Prime Minister and Minister of Foreign Affairs of Kazakhstan"},
		{"nurtleu", "2023-04-02", ""},
		{"saidov", "2022-12-30", "Acting Minister of Foreign Affairs of Uzbekistan"},
		{"saidov", "2023-04-24", "Acting Minister of Foreign Affairs of Uzbekistan"},
		{"saidov", "2023-04-25", "Minister of Foreign Affairs of Uzbekistan"},
		{"saidov", "2022-12-29", ""},
		{"yuldashev", "2016-09-05", "Acting President of Uzbekistan"},
		{"yuldashev", "2018", "Chairman of the Senate of the Oliy Majlis of Uzbekistan"},
		{"mamytov", "2020-12", "Acting President of Kyrgyzstan"},
	}
	for _, tc := range tests {
		o := reg.Lookup(tc.id)
		role, ok := o.RoleOn(qaDate(t, tc.date))
		if ok != (tc.want != "") || role.Title != tc.want {
			t.Errorf("%s.RoleOn(%s) = %q, %v; want %q", tc.id, tc.date, role.Title, ok, tc.want)
		}
	}
	m := reg.Lookup("mirziyoyev")
	if r, ok := m.CurrentRole(); !ok || r.Title != "President of Uzbekistan" || r.Period() != "since 14 Dec 2016" {
		t.Errorf("CurrentRole = %+v (%q), %v", r, r.Period(), ok)
	}
	if got := m.Roles[1].Period(); got != "8 Sep 2016 – 14 Dec 2016" {
		t.Errorf("Period = %q", got)
	}
	if got := reg.Lookup("tokayev").Surname(); got != "Tokayev" {
		t.Errorf("Surname = %q", got)
	}
}

// TestRegistryProblems checks that a broken registry is reported with
// lines, keeping the officials it could read.
func TestRegistryProblems(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		ids  []string // officials kept
		line int
		sev  store.Severity
		want string
	}{
		{"valid", "- id: a\n  name: A A\n  country: X\n", []string{"a"}, -1, store.Warning, ""},
		{"duplicate id", "- id: a\n  name: A\n  country: X\n- id: a\n  name: B\n  country: Y\n", []string{"a"}, 4, store.Error, "used twice"},
		{"bad id", "- id: A B\n  name: A\n  country: X\n- id: ok\n  name: O\n  country: X\n", []string{"ok"}, 1, store.Error, "lowercase"},
		{"no id", "- name: A\n  country: X\n", nil, 1, store.Error, "no id"},
		{"no name", "- id: a\n  country: X\n", nil, 1, store.Error, "no name"},
		{"no country", "- id: a\n  name: A\n", []string{"a"}, 1, store.Warning, "no country"},
		{"shared alias", "- id: a\n  name: A\n  country: X\n  aliases: [Same]\n- id: b\n  name: B\n  country: X\n  aliases: [same]\n", []string{"a", "b"}, 5, store.Warning, "also a name of a"},
		{"role ends before it starts", "- id: a\n  name: A\n  country: X\n  roles:\n    - title: T\n      from: 2020\n      to: 2019\n", []string{"a"}, 5, store.Error, "ends"},
		{"bad role date", "- id: a\n  name: A\n  country: X\n  roles:\n    - title: T\n      from: 2020-13\n", []string{"a"}, 6, store.Error, "2020-13"},
		{"unknown key", "- id: a\n  name: A\n  country: X\n  born: 1953\n", []string{"a"}, 4, store.Warning, "born"},
		{"not a list", "id: a\nname: A\n", nil, 1, store.Error, "list"},
		{"YAML syntax", "- id: a\n  name: [A\n", nil, 2, store.Error, "YAML"},
		{"empty", "", nil, 0, store.Warning, "empty"},
		{"control characters in names", "- id: a\n  name: \"A\\e[2J\\u202eB\"\n  country: X\n  aliases: [\"C\\x9bD\"]\n", []string{"a"}, 2, store.Warning, "removed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg, ps := store.LoadRegistry(qaFS(map[string]string{"reg.yaml": tc.yaml}), "reg.yaml")
			var ids []string
			for _, o := range reg.Officials() {
				ids = append(ids, o.ID)
				for _, s := range append([]string{o.Name, o.Country}, o.Aliases...) {
					if u := qaHiddenStrict(s); u != "" {
						t.Errorf("%s keeps %s in %q", o.ID, u, s)
					}
				}
			}
			if !reflect.DeepEqual(ids, tc.ids) {
				t.Errorf("officials %q, want %q", ids, tc.ids)
			}
			if tc.want == "" {
				if len(ps) != 0 {
					t.Errorf("problems:\n%s", qaProblemList(ps))
				}
				return
			}
			if !qaHas(ps, "reg.yaml", tc.line, tc.sev, tc.want) {
				t.Errorf("no %v at line %d with %q:\n%s", tc.sev, tc.line, tc.want, qaProblemList(ps))
			}
		})
	}
	_, ps := store.LoadRegistry(qaFS(nil), "missing.yaml")
	if len(ps) != 1 || ps[0].Severity != store.Error || ps[0].Path != "missing.yaml" {
		t.Errorf("missing registry: %v", ps)
	}
	reg, _ := store.LoadRegistry(qaFS(map[string]string{"r.yaml": "- id: a\n  name: \"A\\e[2J\\u202eB\"\n  country: X\n  aliases: [\"C\\u200bD\"]\n"}), "r.yaml")
	if o := reg.Lookup("CD"); o == nil || o.Name != "A[2JB" {
		t.Errorf("cleaned alias not found, or name not cleaned: %+v", o)
	}
}

// TestFold checks the comparison form of names and search text.
func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mirziyoyev", "mirziyoyev"},
		{"MIRZIYÓYEV", "mirziyoyev"},
		{"Kassym-Jomart  Tokayev!", "kassym jomart tokayev"},
		{"  leading and trailing  ", "leading and trailing"},
		{"Мирзиёев", "мирзиеев"},
		{"تُوكَايِيف", "توكاييف"},
		{"أحمد", "احمد"},
		{"ـ", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := store.Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, pair := range [][2]string{
		{"Mirziyoev", "mirziyoev"}, {"Мирзиёев", "Мирзиеев"}, {"توكاييف", "تُوكَايِيف"}, {"Saïdov", "saidov"},
		{"Qasym-Jomart", "qasym jomart"},
	} {
		if store.Fold(pair[0]) != store.Fold(pair[1]) {
			t.Errorf("Fold(%q) = %q differs from Fold(%q) = %q", pair[0], store.Fold(pair[0]), pair[1], store.Fold(pair[1]))
		}
	}
	if strings.Contains(store.Fold("a\u200db"), "\u200d") {
		t.Error("Fold keeps a ZWJ")
	}
}
