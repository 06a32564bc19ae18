package store

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// indexingFolder writes a folder that tests how a corpus is put
// together: spellings of one topic or name that differ (the first on the
// timeline names a topic, though another is walked first), a name or
// topic twice in one briefing, officials the registry knows under
// aliases, ids used twice (the first walked is kept), ties on a date
// (ordered by id), files that do not load, and enough briefings to grow
// an id index a few times.
func indexingFolder(t *testing.T) string {
	t.Helper()
	files := map[string]string{
		RegistryFile: "- id: someone\n  name: Some One\n  country: Nowhere\n  aliases: [S. One]\n" +
			"- id: other\n  name: Other Person\n  country: Nowhere\n",
		"a/01-late.md":    "---\nid: late\ntitle: T\ndate: 2024-05-01\ntopics: [Water, trade]\nofficials: [S. One, jane doe, Jane Doe]\n---\n",
		"a/02-early.md":   "---\nid: early\ntitle: T\ndate: 2020\ntopics: [WATER, Energy, water]\nofficials: [Jane  Doe, Other Person, Some One]\n---\n",
		"a/03-dup.md":     "---\nid: late\ntitle: T\ndate: 2019\ntopics: [dup-only]\nofficials: [Dup Only]\n---\n",
		"a/04-broken.md":  "no frontmatter\n",
		"b/05-tie-b.md":   "---\nid: tie-b\ntitle: T\ndate: 2021-03\ntopics: [Trade]\nofficials: [Nobody]\n---\n",
		"b/06-tie-a.md":   "---\nid: tie-a\ntitle: T\ndate: 2021-03\ntopics: [TRADE, energy]\nofficials: [nobody, S. One]\n---\n",
		"b/07-nothing.md": "---\nid: nothing\ntitle: T\ndate: 2022\n---\n", // no officials: rejected
	}
	for i := range 40 {
		id := fmt.Sprintf("c%d", i)
		if i == 39 { // in another run of files than c/00.md (walkRunSize)
			id = "c0"
		}
		files[fmt.Sprintf("c/%02d.md", i)] = fmt.Sprintf("---\nid: %s\ntitle: T\ndate: 20%02d\ntopics: [t%d, Trade]\nofficials: [n%d, Other Person]\n---\n", id, 10+i%15, i%4, i%3)
	}
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestLoadAsWalkThenParse: a load without a cache, which makes the
// corpus of each run of files as soon as it is parsed, while others are,
// gives the corpus made once every file is parsed (as a load with a
// cache makes it), value for value.
func TestLoadAsWalkThenParse(t *testing.T) {
	dir := indexingFolder(t)
	got, err := Load(Dir(dir), Options{Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Load(Dir(dir), Options{Name: "t", CachePath: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(want.briefings); n < 40 || want.rejected != 4 {
		t.Fatalf("%d briefings, %d rejected; the folder should give over 40, and 4 (two duplicates, the broken file, the one with no officials)", n, want.rejected)
	}
	paths := func(c *Corpus) []string {
		var ps []string
		for _, b := range c.briefings {
			ps = append(ps, b.Path)
		}
		return ps
	}
	if !reflect.DeepEqual(paths(got), paths(want)) {
		t.Errorf("briefings:\n got %v\nwant %v", paths(got), paths(want))
	}
	for i, b := range want.briefings {
		if g := got.ByID(b.ID); g == nil || g.Path != b.Path || got.briefings[i] != g {
			t.Errorf("id %s finds %v, want %s", b.ID, g, b.Path)
		}
	}
	if !reflect.DeepEqual(got.problems, want.problems) {
		t.Errorf("problems:\n got %v\nwant %v", got.problems, want.problems)
	}
	if got.seen != want.seen || got.rejected != want.rejected {
		t.Errorf("seen %d, rejected %d; want %d, %d", got.seen, got.rejected, want.seen, want.rejected)
	}
	for name, pair := range map[string][2]any{
		"byName":     {got.byName, want.byName},
		"byTopic":    {got.byTopic, want.byTopic},
		"topicNames": {got.topicNames, want.topicNames},
		"topics":     {got.Topics(), want.Topics()},
		"people":     {len(got.people), len(want.people)},
		"officials":  {len(got.byOfficial), len(want.byOfficial)},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s differ:\n got %v\nwant %v", name, pair[0], pair[1])
		}
	}
	// The id index grew as briefings came: no larger than one sized for
	// every file beforehand, and never over two thirds full.
	if n, most := len(got.byID.slots), len(newIDIndex(got.seen).slots); n > most || 3*len(got.briefings) > 2*n {
		t.Errorf("id index of %d slots for %d briefings of %d files, want at most %d and at least one and a half a briefing", n, len(got.briefings), got.seen, most)
	}
}

// TestLiveIndexAsIndex: a corpus whose lookup tables were built as its
// briefings were added (as a load without a cache builds them) is the
// corpus whose tables were built once they were all there, field for
// field, on indexingFolder and a briefing kept from an earlier version.
func TestLiveIndexAsIndex(t *testing.T) {
	fsys := Dir(indexingFolder(t))
	w, files, err := walkAndParse(fsys, false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.close()
	sc := &scanned{files: files, walkProblems: w.problems, refused: w.refused}
	sc.readRegistry(fsys, nil, nil)
	if len(sc.regProblems) > 0 {
		t.Fatalf("registry: %v", sc.regProblems)
	}
	for i := range sc.files { // a file that no longer loads, its last version kept
		if f := &sc.files[i]; f.path == "c/07.md" {
			f.kept, f.briefing = f.briefing, nil
		}
	}
	want := sc.corpus("t", fsys)
	cb := newCorpusBuilder("t", fsys, sc.registry, 0, true)
	for i := range sc.files {
		cb.add(&sc.files[i])
	}
	got := cb.finish(sc)
	sameCorpus(t, got, want)
	if len(want.kept) != 1 || len(want.byTopic) < 5 || len(want.byName) < 4 || len(want.byOfficial) != 2 {
		t.Fatalf("%d kept, %d topics, %d names, %d officials; the folder should give 1, 5 or more, 4 or more, 2",
			len(want.kept), len(want.byTopic), len(want.byName), len(want.byOfficial))
	}
	for k, name := range map[string]string{"water": "WATER", "trade": "Trade", "energy": "Energy"} {
		if got.topicNames[k] != name {
			t.Errorf("topic %q named %q, want %q (its first spelling on the timeline)", k, got.topicNames[k], name)
		}
	}
}

// TestMergeRuns: keys sorted run by run, then merged, are sorted as
// sorting them all at once sorts them: runs of any length, the last
// shorter, ids that share their first 8 bytes (and differ after) or are
// shorter than 8, dates that tie.
func TestMergeRuns(t *testing.T) {
	var bs []*Briefing
	var all []timelineKey
	for i := range 97 {
		id := fmt.Sprintf("gen-%05d", (i*37)%97) // "gen-0001" is the first 8 bytes of ten of them
		if i%11 == 0 {
			id = fmt.Sprint(i % 7) // short
		}
		bs = append(bs, &Briefing{ID: id, Date: Date{Year: 2000 + i%3, Precision: PrecisionYear}})
		all = append(all, keyOf(bs[i], i))
	}
	compare := compareKeysOf(bs)
	for _, tc := range []struct{ n, run int }{{0, 4}, {1, 1}, {2, 1}, {5, 2}, {16, 4}, {17, 4}, {97, 1}, {97, 3}, {97, 32}, {97, 96}, {97, 97}, {97, 200}} {
		keys := slices.Clone(all[:tc.n])
		for lo := 0; lo < len(keys); lo += tc.run {
			slices.SortFunc(keys[lo:min(lo+tc.run, len(keys))], compare)
		}
		got := mergeRuns(keys, tc.run, compare)
		want := slices.SortedFunc(slices.Values(all[:tc.n]), compare)
		if !slices.Equal(got, want) {
			t.Errorf("%d keys in runs of %d: merged\n%v\nwant\n%v", tc.n, tc.run, got, want)
		}
		if !slices.IsSortedFunc(want, func(x, y timelineKey) int { return timelineCompare(bs[x.at], bs[y.at]) }) {
			t.Errorf("%d keys: compareKeysOf does not order them on the timeline", tc.n)
		}
	}
}
