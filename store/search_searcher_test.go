package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
)

// The Searcher's answers are checked against store.ReferenceSearch, the
// search as it was before it (every briefing's words read afresh, each
// phrase checked from scratch): the same briefings in the same order
// with the same scores, for queries typed letter by letter and deleted
// back, on corpora whose index is in memory, saved, or saved in several
// segments of which some files changed since.

// searcherCorpora gives the corpora the Searcher is checked on.
func searcherCorpora(t *testing.T) map[string]*store.Corpus {
	t.Helper()
	corpora := map[string]*store.Corpus{"scripts": srCorpus(t)}
	files := storetest.Files(storetest.Options{Briefings: 160, Officials: 20, Seed: 11, Realistic: true})
	tree := map[string]string{}
	for name, data := range files {
		tree[name] = string(data)
	}
	dir := t.TempDir()
	writeTree(t, dir, tree)
	load := func(opts store.Options) *store.Corpus {
		t.Helper()
		c, err := store.Load(os.DirFS(dir), opts)
		if err != nil {
			t.Fatal(err)
		}
		c.PrepareSearch()
		return c
	}
	corpora["realistic in memory"] = load(store.Options{})
	opts := store.Options{CachePath: filepath.Join(t.TempDir(), "index")}
	load(opts) // saves the index
	corpora["realistic saved"] = load(opts)
	// Some files change: their briefings go to a new segment, and the
	// saved one maps the others to their new positions.
	names := qaSortedKeys(tree)
	for i, name := range names {
		if i%9 != 0 {
			continue
		}
		data := strings.Replace(tree[name], "\n\n", "\n\nA new first paragraph of the briefing, Astana and Tashkent.\n\n", 1)
		writeTree(t, dir, map[string]string{name: data})
		// A new modification time even on a coarse clock.
		later := qaModTime(t, filepath.Join(dir, name)).Add(2e9)
		if err := os.Chtimes(filepath.Join(dir, name), later, later); err != nil {
			t.Fatal(err)
		}
	}
	corpora["realistic in segments"] = load(opts)
	return corpora
}

func qaModTime(t *testing.T, path string) time.Time {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.ModTime()
}

// searcherQueries gives queries made of the corpus' own words: words,
// prefixes, phrases (closed or still being typed, of two and three
// words, in order and not), exclusions, in every script it has.
func searcherQueries(t *testing.T, c *store.Corpus) []string {
	t.Helper()
	queries := []string{
		"railway", "rail", "r", "тоқаев", "Токаев", "Тўқаев", "توكاييف", "والرئيس", "Oʻzbekiston", "o'zbekiston",
		`"the border"`, `"the bor`, `"of the"`, `"of t`, `"astana and tashkent"`, `"astana and`, `-"state visit" the`,
		"the -water", "-the", `"a new first" -astana`, "qostanay", "ёлка", "елка",
	}
	for i, b := range c.Briefings() {
		if i%7 != 0 {
			continue
		}
		body, _, err := c.Body(b)
		if err != nil {
			t.Fatal(err)
		}
		words := strings.Fields(store.Fold(body))
		if len(words) < 12 {
			continue
		}
		at := (i * 5) % (len(words) - 4)
		w := words[at : at+4]
		queries = append(queries,
			w[0],
			prefixOf(w[1], 1+i%3),
			w[0]+" "+prefixOf(w[2], 2),
			`"`+w[0]+" "+w[1]+`"`,
			`"`+w[0]+" "+w[1]+" "+prefixOf(w[2], 1+i%2),
			`"`+w[1]+" "+w[0]+`"`,
			w[2]+" -"+w[3],
			`-"`+w[1]+" "+w[2]+`" `+w[0],
			`"`+w[0]+" "+w[1]+" "+w[2]+`" `+prefixOf(w[3], 2),
		)
	}
	return queries
}

// prefixOf gives the first n letters of w (all of it when shorter).
func prefixOf(w string, n int) string {
	r := []rune(w)
	return string(r[:min(n, len(r))])
}

// sameHits reports how got differs from want, or "".
func sameHits(got []string, gotScores []int, want []store.Hit) string {
	var wantIDs []string
	var wantScores []int
	for _, h := range want {
		wantIDs = append(wantIDs, h.Briefing.ID)
		wantScores = append(wantScores, h.Score)
	}
	if !slices.Equal(got, wantIDs) {
		return fmt.Sprintf("found %d %q,\nwant %d %q", len(got), head(got), len(wantIDs), head(wantIDs))
	}
	if gotScores != nil && !slices.Equal(gotScores, wantScores) {
		return fmt.Sprintf("scores %v, want %v", head(gotScores), head(wantScores))
	}
	return ""
}

func head[T any](s []T) []T { return s[:min(len(s), 12)] }

func resultIDs(r *store.Results) []string {
	var ids []string
	for i := range r.Len() {
		ids = append(ids, r.At(i).ID)
	}
	return ids
}

// TestSearchAgreesWithReference checks Search and Query, which run on a
// new Searcher each time, against the reference.
func TestSearchAgreesWithReference(t *testing.T) {
	for name, c := range searcherCorpora(t) {
		t.Run(name, func(t *testing.T) {
			official := c.People()[0].Official
			for _, text := range searcherQueries(t, c) {
				for _, q := range []store.Query{{Text: text}, {Text: text, Official: official}, {Text: text, Since: qaDate(t, "2020")}} {
					want := store.ReferenceSearch(c, q)
					got := c.Search(q)
					var ids []string
					var scores []int
					for _, h := range got {
						ids = append(ids, h.Briefing.ID)
						scores = append(scores, h.Score)
					}
					if diff := sameHits(ids, scores, want); diff != "" {
						t.Errorf("Search(%+v): %s", q, diff)
					}
					var oldest []string
					for _, b := range c.Query(q) {
						oldest = append(oldest, b.ID)
					}
					wantOldest := hitIDs(want)
					slices.Sort(wantOldest)
					slices.Sort(oldest)
					if !slices.Equal(oldest, wantOldest) {
						t.Errorf("Query(%+v) finds %q, want %q", q, head(oldest), head(wantOldest))
					}
				}
			}
		})
	}
}

// typing gives every text the query box holds while text is typed
// letter by letter, then deleted back to nothing.
func typing(text string) []string {
	runes := []rune(text)
	var out []string
	for i := 1; i <= len(runes); i++ {
		out = append(out, string(runes[:i]))
	}
	for i := len(runes) - 1; i >= 0; i-- {
		out = append(out, string(runes[:i]))
	}
	return out
}

// TestSearcherTypingAgreesWithReference types queries into one Searcher,
// letter by letter and back, with jumps from one query to another: after
// each keystroke it must find what a search from scratch finds, in each
// order.
func TestSearcherTypingAgreesWithReference(t *testing.T) {
	for name, c := range searcherCorpora(t) {
		t.Run(name, func(t *testing.T) {
			s := store.NewSearcher()
			store.SetPhraseChunk(s, 16)
			typed := []string{
				`"Тўқаев ва" Мирзиёев -Қостанай`,
				`والرئيس توكاييف "في أستانا"`,
				`O'zbekiston rail -"darbaza maktaaral"`,
			}
			queries := searcherQueries(t, c)
			for i := 0; i+8 < len(queries); i += 8 {
				// Several of the corpus' words and phrases in one query.
				typed = append(typed, queries[i+3]+" "+queries[i+6]+" "+queries[i+1], queries[i+8]+" "+queries[i+4])
			}
			var last *store.Results
			for _, text := range typed {
				for _, k := range typing(text) {
					q := store.Query{Text: k}
					want := store.ReferenceSearch(c, q)
					r, ok := s.Search(c, q, store.BestFirst, nil)
					if !ok {
						t.Fatalf("%q: stale with no other search", k)
					}
					if diff := sameHits(resultIDs(r), store.SearcherScores(s, r), want); diff != "" {
						t.Fatalf("after typing %q: %s", k, diff)
					}
					last.Release()
					last = r
					newest, _ := s.Search(c, q, store.NewestFirst, nil)
					oldest, _ := s.Search(c, q, store.OldestFirst, nil)
					wantIDs := hitIDs(want)
					slices.Sort(wantIDs) // ids of generated corpora follow dates; check the sets
					for _, r := range []*store.Results{newest, oldest} {
						got := resultIDs(r)
						slices.Sort(got)
						if !slices.Equal(got, wantIDs) {
							t.Fatalf("after typing %q: by date %q, want %q", k, head(got), head(wantIDs))
						}
					}
					for i := 1; i < newest.Len(); i++ {
						if newest.At(i).Date.Compare(newest.At(i-1).Date) > 0 || oldest.At(i).Date.Compare(oldest.At(i-1).Date) < 0 {
							t.Fatalf("after typing %q: not in date order at %d", k, i)
						}
					}
					newest.Release()
					oldest.Release()
				}
			}
		})
	}
}

// TestSearcherStale stops searches after each check they make, as a newer
// search would: a stopped search answers nothing, and what it kept must
// not spoil the next one.
func TestSearcherStale(t *testing.T) {
	c := searcherCorpora(t)["realistic saved"]
	queries := []string{`"of the" border`, `"of t`, "t", `-"of the" a`, "the water"}
	for _, text := range queries {
		q := store.Query{Text: text}
		want := store.ReferenceSearch(c, q)
		s := store.NewSearcher()
		store.SetPhraseChunk(s, 7) // stopped halfway through phrases too
		stopped := 0
		for checks := 0; !store.SearchStoppedAfter(s, c, q, checks); checks++ {
			stopped++
			r, _ := s.Search(c, store.Query{Text: prefixOf(text, checks%len(text))}, store.BestFirst, nil)
			r.Release()
		}
		if stopped == 0 {
			t.Errorf("%q: never stopped", text)
		}
		r, _ := s.Search(c, q, store.BestFirst, nil)
		if diff := sameHits(resultIDs(r), store.SearcherScores(s, r), want); diff != "" {
			t.Errorf("%q after %d stopped searches: %s", text, stopped, diff)
		}
	}
}

// TestSearcherResults checks what results promise: they stay as they were
// through later searches until released, Index finds a briefing in them,
// keep narrows them, and a new corpus is searched afresh.
func TestSearcherResults(t *testing.T) {
	c := srCorpus(t)
	s := store.NewSearcher()
	rail, _ := s.Search(c, store.Query{Text: "rail"}, store.BestFirst, nil)
	want := resultIDs(rail)
	if len(want) < 3 {
		t.Fatalf("rail finds %q", want)
	}
	for _, text := range []string{"trade", "", "тоқаев", "rail"} {
		r, _ := s.Search(c, store.Query{Text: text}, store.NewestFirst, nil)
		r.Release()
	}
	if got := resultIDs(rail); !slices.Equal(got, want) {
		t.Errorf("results changed by later searches: %q, want %q", got, want)
	}
	for i, id := range want {
		if got := rail.Index(id); got != i {
			t.Errorf("Index(%q) = %d, want %d", id, got, i)
		}
	}
	if got := rail.Index("d"); got != -1 {
		t.Errorf("Index of a briefing not found = %d", got)
	}
	kept, _ := s.Search(c, store.Query{Text: "rail"}, store.BestFirst, func(b *store.Briefing) bool { return b.ID != want[0] })
	if got := resultIDs(kept); !slices.Equal(got, want[1:]) {
		t.Errorf("keep: %q, want %q", got, want[1:])
	}
	other := srCorpus(t) // another corpus with the same files
	r, _ := s.Search(other, store.Query{Text: "rail"}, store.BestFirst, nil)
	if r.Corpus() != other || !slices.Equal(resultIDs(r), want) {
		t.Errorf("another corpus: %q", resultIDs(r))
	}
	if r.At(0) != other.ByID(want[0]) {
		t.Errorf("results point into the corpus searched before")
	}
}

// TestSearcherRanksLongQueries checks the ranking of queries whose scores
// are too many to count (thousands of words: a score may pass 65536).
func TestSearcherRanksLongQueries(t *testing.T) {
	c := srCorpus(t)
	for _, text := range []string{strings.Repeat("railway ", 8200), strings.Repeat("rail ", 8200) + "the"} {
		q := store.Query{Text: text}
		want := store.ReferenceSearch(c, q)
		s := store.NewSearcher()
		r, _ := s.Search(c, q, store.BestFirst, nil)
		if diff := sameHits(resultIDs(r), store.SearcherScores(s, r), want); diff != "" {
			t.Errorf("%d words: %s", len(strings.Fields(text)), diff)
		}
		if len(want) == 0 {
			t.Errorf("%d words: nothing found", len(strings.Fields(text)))
		}
	}
}

// TestSearcherConcurrent asks for searches one after another, as a
// reader types, each run on a goroutine of its own while the next is
// asked for, with results released and Forget called meanwhile: each
// search is either stale or right, and the last one asked for is right.
// Run with -race.
func TestSearcherConcurrent(t *testing.T) {
	c := searcherCorpora(t)["realistic saved"]
	s := store.NewSearcher()
	store.SetPhraseChunk(s, 8)
	keys := append(typing(`"of the" border -water`), typing("the trade")...)
	type answer struct {
		i    int
		text string
		r    *store.Results
		ok   bool
	}
	answers := make(chan answer, len(keys))
	for i, k := range keys {
		run := s.Prepare(c, store.Query{Text: k}, store.BestFirst, nil)
		go func() {
			r, ok := run()
			answers <- answer{i, k, r, ok}
		}()
		if i%5 == 0 {
			s.Forget()
		}
	}
	for range keys {
		a := <-answers
		if !a.ok {
			if a.i == len(keys)-1 {
				t.Errorf("the last search asked for was stale")
			}
			continue
		}
		var got []string
		for i := range a.r.Len() {
			got = append(got, a.r.At(i).ID)
		}
		if diff := sameHits(got, nil, store.ReferenceSearch(c, store.Query{Text: a.text})); diff != "" {
			t.Errorf("%q: %s", a.text, diff)
		}
		a.r.Release()
	}
}
