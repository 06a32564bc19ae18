package store_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
)

// srFiles is a corpus whose bodies say what their fields do not, in
// several scripts.
var srFiles = map[string]string{
	"a.md": "---\nid: a\ntitle: Talks in Astana\ndate: 2024-02-19\nofficials: [saidov, nurtleu]\ntopics: [trade]\nsummary: Trade and water.\n---\n\n" +
		"The ministers discussed the **Darbaza–Maktaaral railway**. Tokayev received them.\n\n" +
		"See [Kazinform](https://example.org/secret-url) for more. Türkiye was mentioned.\n",
	"b.md": "---\nid: b\ntitle: Railway summit\ndate: 2025-03-01\nofficials: [tokayev]\n---\n\nNothing about trains here.\n",
	"c.md": "---\nid: c\ntitle: Meeting in the north\ndate: 2023\nofficials: [aksakalov]\nsummary: The railway line to the border.\n---\n\nA quiet day.\n",
	"d.md": "---\nid: d\ntitle: Звонок\ndate: 2024-05-01\nofficials: [norbaeva]\n---\n\nПрезидент Тоқаев провёл встречу в Қостанай. Ёлка.\n",
	"e.md": "---\nid: e\ntitle: Uchrashuv\ndate: 2024-06-01\nofficials: [norbaeva]\n---\n\nТўқаев ва Мирзиёев. Oʻzbekiston Respublikasi.\n",
	"f.md": "---\nid: f\ntitle: بيان\ndate: 2024-07-01\nofficials: [norbaeva]\n---\n\nقال والرئيس إنّ للرئيس بتوكاييف. تُوكَايِيف في أستانا.\n",
	"g.md": "---\nid: g\ntitle: Trade figures\ndate: 2022-01\nofficials: [norbaeva]\nfigures:\n  - label: Mutual trade turnover\n    value: $4 billion\n---\n\nPlain words.\n",
	"h.md": "---\nid: h\ntitle: Workers\ndate: 2021\nofficials: [norbaeva]\n---\n\nThe rail link and the railroad workers, and new railways.\n",
}

func srCorpus(t testing.TB) *store.Corpus {
	t.Helper()
	c := qaLoadFiles(t, srFiles, store.Options{})
	if c.Errors() != 0 {
		t.Fatalf("fixture has errors:\n%s", qaProblemList(c.Problems()))
	}
	return c
}

func hitIDs(hits []store.Hit) []string {
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.Briefing.ID)
	}
	return ids
}

// TestSearchFindsBodyWords checks that the text of briefings is searched,
// not only their frontmatter: the words of issue 10.
func TestSearchFindsBodyWords(t *testing.T) {
	c := qaBuiltIn(t)
	for _, tc := range []struct{ query, want string }{
		{"railway", "2024-02-19-nurtleu-saidov-astana-talks"},
		{"Kostanay", "2025-08-18-tokayev-norbaeva-meeting"},
	} {
		ids := hitIDs(c.Search(store.Query{Text: tc.query}))
		if !reflect.DeepEqual(ids, []string{tc.want}) {
			t.Errorf("Search(%q) = %q, want [%s]", tc.query, ids, tc.want)
		}
	}
}

// TestSearchSyntax checks every part of the query syntax and the order of
// results.
func TestSearchSyntax(t *testing.T) {
	c := srCorpus(t)
	tests := []struct {
		name, query string
		want        []string // in rank order
	}{
		// Title above summary above body; equal ranks newest first.
		{"ranked by field", "railway", []string{"b", "c", "a", "h"}},
		{"every word must match", "railway tokayev", []string{"b", "a"}},
		{"every word, in any field", "railway water", []string{"a"}},
		{"the last word is a prefix", "rail", []string{"b", "c", "a", "h"}},
		{"other words are whole", "rail workers", []string{"h"}},
		{"other words are whole, none", "railw tokayev", nil},
		{"a prefix as typed", "railroad work", []string{"h"}},
		{"a phrase", `"Darbaza Maktaaral railway"`, []string{"a"}},
		{"a phrase, punctuation between", `"railway tokayev"`, []string{"a"}}, // ". Tokayev" follows on
		{"a phrase in the wrong order", `"railway Darbaza"`, nil},
		{"a phrase with a gap", `"Darbaza railway"`, nil},
		{"a phrase never spans two fields", `"summit tokayev"`, nil},
		{"a phrase in a field", `"railway summit"`, []string{"b"}},
		{"a phrase through the registry", `"Kassym-Jomart Tokayev"`, []string{"b"}},
		{"a phrase still being typed", `"railway sum`, []string{"b"}},
		{"a quoted word is whole", `"rail"`, []string{"h"}},
		// Only the end of the text is being typed: railway is whole here.
		{"a word left out", "railway -tokayev", []string{"c"}},
		{"a word left out is whole", "railway -tok", []string{"b", "c", "a"}},
		{"a word left out through the registry", "railway -kassym", []string{"c", "a"}},
		{"a phrase left out", `railway -"railway summit"`, []string{"c", "a"}},
		{"a phrase left out, words apart", `railway -"summit railway"`, []string{"b", "c", "a"}},
		{"only words left out", "-railway -trade -tokayev", []string{"f", "e", "d", "h"}},
		{"a figure", "turnover", []string{"g"}},
		{"the registry's names", "shavkat", nil}, // nobody names Mirziyoyev as an official
		{"the registry's names for an official", "Jomart", []string{"b"}},
		{"nothing", "zeppelin", nil},
		{"punctuation only", " ,;- ", []string{"b", "f", "e", "d", "a", "c", "g", "h"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := hitIDs(c.Search(store.Query{Text: tc.query})); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Search(%q)\n got %q\nwant %q", tc.query, got, tc.want)
			}
		})
	}
}

// TestSearchScores checks the weights behind the ranks.
func TestSearchScores(t *testing.T) {
	c := srCorpus(t)
	hits := c.Search(store.Query{Text: "railway"})
	scores := map[string]int{}
	for _, h := range hits {
		scores[h.Briefing.ID] = h.Score
	}
	want := map[string]int{"b": 8, "c": 4, "a": 1, "h": 1}
	if !reflect.DeepEqual(scores, want) {
		t.Errorf("scores %v, want %v", scores, want)
	}
	hits = c.Search(store.Query{Text: `"Darbaza Maktaaral railway" turnover`})
	if len(hits) != 0 {
		t.Errorf("phrase and a word no briefing has with it: %v", hitIDs(hits))
	}
	hits = c.Search(store.Query{Text: `"railway summit"`})
	if len(hits) != 1 || hits[0].Score != 16 {
		t.Errorf(`"railway summit": %+v, want b with 16 (a title phrase of two words)`, hits)
	}
}

// TestSearchFolding checks that search finds words across the spellings
// Fold unifies, in bodies.
func TestSearchFolding(t *testing.T) {
	c := srCorpus(t)
	// b names him, which the registry knows in every script; the bodies
	// of d and e write him in Cyrillic, of f in Arabic, of a in Latin.
	cyrillic, arabic := []string{"b", "e", "d"}, []string{"b", "f"}
	tests := []struct {
		query string
		want  []string
	}{
		{"Костанай", []string{"d"}},
		{"Қостанай", []string{"d"}},
		{"костанаи", []string{"d"}},
		{"Тоқаев", cyrillic},
		{"Токаев", cyrillic},
		{"Тўқаев", cyrillic},           // ў as о
		{"Тукаев", []string{"b", "e"}}, // b names tokayev, whose Uzbek spelling Тўқаев reads Тукаев too
		{"ёлка", []string{"d"}},
		{"ЕЛКА", []string{"d"}},
		{"provёl", nil},
		{"türkiye", []string{"a"}},
		{"TURKIYE", []string{"a"}},
		{"ozbekiston", []string{"e"}},
		{"O'zbekiston", []string{"e"}},
		{"O‘zbekiston respublikasi", []string{"e"}},
		{"Ўзбекистон", nil},
		{"رئيس", []string{"f"}},
		{"الرئيس", []string{"f"}},
		{"والرئيس", []string{"f"}},
		{"للرئيس", []string{"f"}},
		{"استانا", []string{"f"}},
		{"أستانا", []string{"f"}},
		{"تُوكاييف", arabic},
		{"Tokayev", []string{"b", "a"}},
		{`"توكاييف في"`, []string{"f"}},
	}
	for _, tc := range tests {
		if got := hitIDs(c.Search(store.Query{Text: tc.query})); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Search(%q) = %q, want %q", tc.query, got, tc.want)
		}
	}
}

// TestSearchSnippets checks the passages that show why a briefing
// matched.
func TestSearchSnippets(t *testing.T) {
	c := srCorpus(t)
	tests := []struct {
		id, query string
		field     string
		contains  string   // in the snippet's text
		matched   []string // the text of each match
	}{
		{"a", "railway", "body", "discussed the Darbaza–Maktaaral railway.", []string{"railway"}},
		{"a", "darbaza railway", "body", "The ministers discussed", []string{"Darbaza", "railway"}},
		{"a", `"Darbaza Maktaaral railway"`, "body", "Darbaza–Maktaaral railway", []string{"Darbaza–Maktaaral railway"}},
		{"a", "kazinform", "body", "See Kazinform for more.", []string{"Kazinform"}},
		{"a", "turk", "body", "Türkiye was mentioned.", []string{"Türkiye"}},
		{"a", "water", "summary", "Trade and water.", []string{"water"}},
		{"b", "railway", "title", "Railway summit", []string{"Railway"}},
		{"b", "jomart", "officials", "Kassym-Jomart Tokayev", []string{"Jomart"}},
		{"b", "Токаев", "officials", "Kassym-Jomart Tokayev", []string{"Kassym-Jomart Tokayev"}}, // through the registry
		{"c", "railway", "summary", "The railway line to the border.", []string{"railway"}},
		{"d", "Токаев", "body", "Президент Тоқаев провёл", []string{"Тоқаев"}},
		{"e", "Токаев", "body", "Тўқаев ва", []string{"Тўқаев"}},
		{"e", "ozbekiston", "body", "Oʻzbekiston Respublikasi.", []string{"Oʻzbekiston"}},
		{"f", "رئيس", "body", "والرئيس", []string{"والرئيس", "للرئيس"}},
		{"g", "turnover", "figures", "Mutual trade turnover: $4 billion", []string{"turnover"}},
		{"h", "rail", "body", "The rail link and the railroad workers, and new railways.", []string{"rail", "railroad", "railways"}},
	}
	for _, tc := range tests {
		b, err := c.Lookup(tc.id)
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.Snippet(b, tc.query)
		if err != nil {
			t.Errorf("%s %q: %v", tc.id, tc.query, err)
		}
		if s.Field != tc.field || !strings.Contains(s.Text, tc.contains) {
			t.Errorf("%s %q: snippet %s %q, want %s containing %q", tc.id, tc.query, s.Field, s.Text, tc.field, tc.contains)
		}
		var matched []string
		last := 0
		for _, m := range s.Matches {
			if m.Start < last || m.End <= m.Start || m.End > len(s.Text) {
				t.Fatalf("%s %q: bad match %+v in %q", tc.id, tc.query, m, s.Text)
			}
			matched = append(matched, s.Text[m.Start:m.End])
			last = m.End
		}
		if !reflect.DeepEqual(matched, tc.matched) {
			t.Errorf("%s %q: matched %q in %q, want %q", tc.id, tc.query, matched, s.Text, tc.matched)
		}
		if strings.ContainsAny(s.Text, "\n\t*[]()") || strings.Contains(s.Text, "secret-url") {
			t.Errorf("%s %q: snippet keeps lines or Markdown: %q", tc.id, tc.query, s.Text)
		}
	}
	// No text, no snippet.
	if s, err := c.Snippet(c.Briefings()[0], " -railway "); err != nil || s.Text != "" || len(s.Matches) != 0 {
		t.Errorf("snippet without words to show: %+v, %v", s, err)
	}
}

// TestSearchSnippetsOfLongBodies checks that a passage is cut around the
// best place, within its paragraph, marked with "…".
func TestSearchSnippetsOfLongBodies(t *testing.T) {
	filler := strings.Repeat("word ", 60)
	c := qaLoadFiles(t, map[string]string{
		"long.md": "---\nid: long\ntitle: T\ndate: 2024\nofficials: [x]\n---\n\n" +
			filler + "alpha " + filler + "\n\n" + filler + "alpha then beta close together " + filler + "\n",
	}, store.Options{})
	b := c.Briefings()[0]
	s, err := c.Snippet(b, "alpha beta")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.Text, "…") || !strings.HasSuffix(s.Text, "…") || !strings.Contains(s.Text, "alpha then beta close together") {
		t.Errorf("snippet %q: want the passage with both words, cut at both ends", s.Text)
	}
	if len(s.Matches) != 2 || s.Text[s.Matches[0].Start:s.Matches[0].End] != "alpha" || s.Text[s.Matches[1].Start:s.Matches[1].End] != "beta" {
		t.Errorf("matches %+v in %q", s.Matches, s.Text)
	}
	if n := len(strings.Fields(s.Text)); n > 34 {
		t.Errorf("snippet of %d words: %q", n, s.Text)
	}
}

// TestSearchSnippetsNeverCarryControls checks that a hostile body gives a
// clean snippet.
func TestSearchSnippetsNeverCarryControls(t *testing.T) {
	c := qaLoadFiles(t, map[string]string{
		"x.md": "---\nid: x\ntitle: T\ndate: 2024\nofficials: [x]\n---\n\nbefore \x1b[2J evil\x07 \u202eword\u202c \u0085 \x7f &#27;[31m after\tthe\rend\n",
	}, store.Options{})
	for _, q := range []string{"evil", "word", "after", "end", "27"} {
		s, err := c.Snippet(c.Briefings()[0], q)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Matches) == 0 {
			t.Errorf("%q: no match in %q", q, s.Text)
		}
		for _, r := range s.Text {
			if r < 0x20 || r >= 0x7f && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
				t.Errorf("%q: snippet %q carries %U", q, s.Text, r)
			}
		}
	}
}

// TestSearchCombinesFilters checks text with the other conditions of a
// query, through Query (oldest first), Search (ranked) and Filter.
func TestSearchCombinesFilters(t *testing.T) {
	c := srCorpus(t)
	reg := c.Registry()
	d := func(s string) store.Date { return qaDate(t, s) }
	tests := []struct {
		name  string
		q     store.Query
		query []string // Query's order: oldest first
	}{
		{"text and official", store.Query{Text: "railway", Official: reg.Lookup("tokayev")}, []string{"b"}},
		{"text and since", store.Query{Text: "railway", Since: d("2024")}, []string{"a", "b"}},
		{"text and until", store.Query{Text: "railway", Until: d("2023")}, []string{"h", "c"}},
		{"text and topic", store.Query{Text: "water", Topic: "trade"}, []string{"a"}},
		{"text, official and dates", store.Query{Text: "Токаев", Official: reg.Lookup("norbaeva"), Since: d("2024-05")}, []string{"d", "e"}},
		{"nothing left", store.Query{Text: "railway", Official: reg.Lookup("norbaeva"), Since: d("2024")}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := qaIDs(c.Query(tc.q))
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, tc.query) {
				t.Errorf("Query = %q, want %q", got, tc.query)
			}
			hits := c.Search(tc.q)
			if len(hits) != len(tc.query) {
				t.Errorf("Search gives %q", hitIDs(hits))
			}
			filtered := qaIDs(c.Filter(c.Briefings(), tc.q))
			if len(filtered) == 0 {
				filtered = nil
			}
			if !reflect.DeepEqual(filtered, tc.query) {
				t.Errorf("Filter = %q, want %q", filtered, tc.query)
			}
		})
	}
	// Filter keeps the list's order and only its briefings.
	list := []*store.Briefing{c.Briefings()[len(c.Briefings())-1], c.Briefings()[0]}
	if got := qaIDs(c.Filter(list, store.Query{Text: "railway"})); !reflect.DeepEqual(got, []string{"b", "h"}) {
		t.Errorf("Filter(list) = %q", got)
	}
}

// countingFS counts the briefing files opened.
type countingFS struct {
	fs.FS
	mu     sync.Mutex
	opened []string
}

func (c *countingFS) Open(name string) (fs.File, error) {
	if strings.HasSuffix(name, ".md") {
		c.mu.Lock()
		c.opened = append(c.opened, name)
		c.mu.Unlock()
	}
	return c.FS.Open(name)
}

func (c *countingFS) reset() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	got := c.opened
	c.opened = nil
	return got
}

// TestSearchCache checks that the index is saved with the index cache: a
// later load finds body words without reading a body, reads again only
// what changed, and forgets what went.
func TestSearchCache(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	writeTree(t, dir, srFiles)
	opts := store.Options{Registry: qaRegistry(t), CachePath: filepath.Join(cacheDir, "index")}
	fsys := &countingFS{FS: os.DirFS(dir)}
	load := func() *store.Corpus {
		t.Helper()
		c, err := store.Load(fsys, opts)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	c := load()
	c.PrepareSearch()
	if got := fsys.reset(); len(got) < 2*len(srFiles) {
		t.Fatalf("first load and index read %d files, want every one twice: %q", len(got), got)
	}
	if _, err := os.Stat(opts.CachePath + ".text"); err != nil {
		t.Fatalf("no saved index: %v", err)
	}

	// Cached: the bodies are not read, and their words are found.
	c = load()
	c.PrepareSearch()
	if got := fsys.reset(); len(got) != 0 {
		t.Errorf("a cached load read %q", got)
	}
	for _, q := range []string{"railway", `"Darbaza Maktaaral railway"`, "Қостанай", "رئيس"} {
		if len(c.Search(store.Query{Text: q})) == 0 {
			t.Errorf("cached index: nothing for %q", q)
		}
	}
	if got := hitIDs(c.Search(store.Query{Text: "railway"})); !reflect.DeepEqual(got, []string{"b", "c", "a", "h"}) {
		t.Errorf("cached index ranks %q", got)
	}

	// One file changed, one gone, one new: only the changed and the new
	// are read.
	changed := strings.Replace(srFiles["a.md"], "Darbaza–Maktaaral railway", "Zeppelin airfield", 1)
	writeTree(t, dir, map[string]string{"a.md": changed, "new.md": "---\nid: new\ntitle: New\ndate: 2025\nofficials: [x]\n---\n\nA railway again.\n"})
	later := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(filepath.Join(dir, "a.md"), later, later); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "h.md")); err != nil {
		t.Fatal(err)
	}
	c = load()
	fsys.reset() // Load itself reads the changed frontmatter
	c.PrepareSearch()
	if got := fsys.reset(); !sameSet(got, []string{"a.md", "new.md"}) {
		t.Errorf("after a change the index read %q, want a.md and new.md", got)
	}
	if got := hitIDs(c.Search(store.Query{Text: "zeppelin"})); !reflect.DeepEqual(got, []string{"a"}) {
		t.Errorf("the changed body: %q", got)
	}
	if got := hitIDs(c.Search(store.Query{Text: "railway"})); !reflect.DeepEqual(got, []string{"b", "c", "new"}) {
		t.Errorf("railway after the change: %q, want b, c, new", got)
	}
	if got := hitIDs(c.Search(store.Query{Text: `"Darbaza Maktaaral"`})); len(got) != 0 {
		t.Errorf("the old body is still found: %q", got)
	}

	// And the next load trusts what was saved after the change.
	c = load()
	c.PrepareSearch()
	if got := fsys.reset(); len(got) != 0 {
		t.Errorf("the load after the change read %q", got)
	}
	if got := hitIDs(c.Search(store.Query{Text: "zeppelin"})); !reflect.DeepEqual(got, []string{"a"}) {
		t.Errorf("zeppelin from the cache: %q", got)
	}
}

func sameSet(a, b []string) bool {
	set := func(s []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range s {
			m[x] = true
		}
		return m
	}
	return reflect.DeepEqual(set(a), set(b))
}

// TestSearchCacheUnderManyChanges checks that an index updated through
// many saved segments (and merged) answers as one built afresh.
func TestSearchCacheUnderManyChanges(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	writeTree(t, dir, srFiles)
	opts := store.Options{Registry: qaRegistry(t), CachePath: filepath.Join(cacheDir, "index")}
	queries := []string{"railway", "rail", `"Darbaza Maktaaral railway"`, "tokayev", "Токаев", "رئيس", "edit", `"edit number"`, "-railway"}
	for round := range 8 {
		name := []string{"a.md", "b.md", "c.md", "d.md", "e.md", "f.md", "g.md", "h.md"}[round]
		data := strings.TrimSuffix(srFiles[name], "\n") + " Edit number " + string(rune('a'+round)) + ".\n"
		writeTree(t, dir, map[string]string{name: data})
		later := time.Now().Add(time.Duration(round+2) * time.Second)
		if err := os.Chtimes(filepath.Join(dir, name), later, later); err != nil {
			t.Fatal(err)
		}
		cached, err := store.Load(os.DirFS(dir), opts)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := store.Load(os.DirFS(dir), store.Options{Registry: qaRegistry(t)})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range queries {
			a, b := cached.Search(store.Query{Text: q}), fresh.Search(store.Query{Text: q})
			if !reflect.DeepEqual(hitIDs(a), hitIDs(b)) {
				t.Errorf("round %d, %q: cached index gives %q, a fresh one %q", round, q, hitIDs(a), hitIDs(b))
			}
		}
		// Segment files replaced are gone; no part is left behind.
		segments, _ := filepath.Glob(opts.CachePath + ".text-*.seg")
		parts, _ := filepath.Glob(filepath.Join(cacheDir, ".*part*"))
		if len(segments) == 0 || len(segments) > 5 || len(parts) != 0 {
			t.Errorf("round %d: segment files %q, parts %q", round, segments, parts)
		}
	}
}

// TestSearchBuildInParts checks that an index built in parts saved to
// disk, as for a large folder, answers as one built in memory.
func TestSearchBuildInParts(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	files := map[string]string{}
	for name, data := range srFiles {
		files[name] = data
		for i := range 40 { // enough briefings for two workers
			id := fmt.Sprintf("%s%02d", strings.TrimSuffix(name, ".md"), i)
			files[id+".md"] = strings.Replace(data, "id: "+strings.TrimSuffix(name, ".md")+"\n", "id: "+id+"\n", 1)
		}
	}
	writeTree(t, dir, files)
	opts := store.Options{Registry: qaRegistry(t), CachePath: filepath.Join(cacheDir, "index")}
	parted, err := store.Load(os.DirFS(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	store.SetSearchFlushBytes(parted, 32<<10) // a part every few briefings
	fresh, err := store.Load(os.DirFS(dir), store.Options{Registry: qaRegistry(t)})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"railway", "rail", `"Darbaza Maktaaral railway"`, "Токаев", "رئيس", "-railway", "jomart"} {
		a, b := parted.Search(store.Query{Text: q}), fresh.Search(store.Query{Text: q})
		if len(a) == 0 && q != "-railway" || !reflect.DeepEqual(hitIDs(a), hitIDs(b)) {
			t.Errorf("%q: built in parts %q, in memory %q", q, hitIDs(a), hitIDs(b))
		}
	}
	if ps := parted.SearchProblems(); len(ps) != 0 {
		t.Errorf("problems: %v", ps)
	}
	parts, _ := filepath.Glob(filepath.Join(cacheDir, ".*part*"))
	if len(parts) != 0 {
		t.Errorf("parts left: %q", parts)
	}
}

// TestSearchCacheDamaged checks that a damaged saved index is not used.
func TestSearchCacheDamaged(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	writeTree(t, dir, srFiles)
	opts := store.Options{Registry: qaRegistry(t), CachePath: filepath.Join(cacheDir, "index")}
	c, err := store.Load(os.DirFS(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	c.PrepareSearch()
	manifest := opts.CachePath + ".text"
	segments, _ := filepath.Glob(manifest + "-*.seg")
	if len(segments) != 1 {
		t.Fatalf("segment files %q, want one", segments)
	}
	goodManifest, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	goodSegment, err := os.ReadFile(segments[0])
	if err != nil {
		t.Fatal(err)
	}
	flip := func(b []byte, at int) []byte {
		b = append([]byte{}, b...)
		b[at] ^= 0xff
		return b
	}
	tests := []struct {
		name          string
		manifest, seg []byte
		mustBeRebuilt bool
	}{
		{"manifest truncated", goodManifest[:len(goodManifest)/2], goodSegment, true},
		{"manifest garbage", []byte("brief-text-v3\nnot a manifest"), goodSegment, true},
		{"manifest empty", nil, goodSegment, true},
		{"segment truncated", goodManifest, goodSegment[:len(goodSegment)/2], true},
		{"segment empty", goodManifest, nil, true},
		{"segment footer", goodManifest, flip(goodSegment, len(goodSegment)-3), true},
		{"segment postings", goodManifest, flip(goodSegment, len("brief-seg-v1\n")+5), false},
		{"segment places", goodManifest, flip(goodSegment, len(goodSegment)/2), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(manifest, tc.manifest, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(segments[0], tc.seg, 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := store.Load(os.DirFS(dir), opts)
			if err != nil {
				t.Fatal(err)
			}
			// Whatever the damage, queries do not fail; damage the checks
			// catch gives an index built again, and the right answers.
			for _, q := range []string{"railway", `"Darbaza Maktaaral"`, "rail", "-railway"} {
				got := hitIDs(c.Search(store.Query{Text: q}))
				fresh := hitIDs(srCorpus(t).Search(store.Query{Text: q}))
				if tc.mustBeRebuilt && !reflect.DeepEqual(got, fresh) {
					t.Errorf("%q: got %q, want %q", q, got, fresh)
				}
			}
		})
	}
}

// TestSearchUnreadableBody checks that a body that cannot be read is
// reported, and its briefing still found by its fields.
func TestSearchUnreadableBody(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, srFiles)
	c, err := store.Load(os.DirFS(dir), store.Options{Registry: qaRegistry(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "b.md")); err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(c.Search(store.Query{Text: "railway"})); !reflect.DeepEqual(got, []string{"b", "c", "a", "h"}) {
		t.Errorf("railway: %q", got)
	}
	ps := c.SearchProblems()
	if len(ps) != 1 || ps[0].Path != "b.md" || !strings.Contains(ps[0].Message, "cannot read the body") {
		t.Errorf("problems %v", ps)
	}
}

// TestSearchPrepareIsShared checks that concurrent queries and
// PrepareSearch build one index.
func TestSearchPrepareIsShared(t *testing.T) {
	c := srCorpus(t)
	if c.SearchReady() {
		t.Fatal("ready before anything asked for it")
	}
	var wg sync.WaitGroup
	results := make([][]string, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				c.PrepareSearch()
			}
			results[i] = hitIDs(c.Search(store.Query{Text: "railway"}))
		}()
	}
	wg.Wait()
	for _, r := range results {
		if !reflect.DeepEqual(r, results[0]) || len(r) != 4 {
			t.Errorf("results differ: %q", results)
			break
		}
	}
	if !c.SearchReady() {
		t.Error("not ready after a search")
	}
}

// writeTree writes files under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSearchPhrasesAgreeWithSnippets checks the index's places against a
// scan of the text: a phrase taken from a generated body finds exactly
// the briefings whose snippet for it marks it, whether the index is in
// memory or read from saved segments.
func TestSearchPhrasesAgreeWithSnippets(t *testing.T) {
	files := storetest.Files(storetest.Options{Briefings: 40, Officials: 20, Seed: 7, Realistic: true})
	dir := t.TempDir()
	tree := map[string]string{}
	for name, data := range files {
		tree[name] = string(data)
	}
	writeTree(t, dir, tree)
	inMemory, err := store.Load(os.DirFS(dir), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := store.Options{CachePath: filepath.Join(t.TempDir(), "index")}
	if c, err := store.Load(os.DirFS(dir), opts); err != nil {
		t.Fatal(err)
	} else {
		c.PrepareSearch() // saved
	}
	saved, err := store.Load(os.DirFS(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	// Phrases: two or three words running in some body, and the same
	// words in another order.
	var phrases []string
	for i, b := range inMemory.Briefings() {
		if i%4 != 0 {
			continue
		}
		body, _, err := inMemory.Body(b)
		if err != nil {
			t.Fatal(err)
		}
		words := strings.Fields(store.Fold(body))
		if len(words) < 40 {
			continue
		}
		n := 2 + i%2
		at := (i * 7) % (len(words) - n)
		phrases = append(phrases, `"`+strings.Join(words[at:at+n], " ")+`"`)
		phrases = append(phrases, `"`+words[at+1]+" "+words[at]+`"`)
	}
	if len(phrases) < 16 {
		t.Fatalf("only %d phrases", len(phrases))
	}
	for _, c := range []*store.Corpus{inMemory, saved} {
		for _, q := range phrases {
			var want []string
			for _, b := range c.Briefings() {
				if s, err := c.Snippet(b, q); err != nil {
					t.Fatal(err)
				} else if len(s.Matches) > 0 {
					want = append(want, b.ID)
				}
			}
			var got []string
			for _, b := range c.Query(store.Query{Text: q}) {
				got = append(got, b.ID)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q: the index finds %q, the snippets %q", q, got, want)
			}
		}
	}
}
