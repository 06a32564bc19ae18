package readstate

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/brief-tools/brief/store"
)

// loadCorpus loads briefings given as file name to content.
func loadCorpus(t testing.TB, files map[string]string) *store.Corpus {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	c, err := store.Load(fsys, store.Options{Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if ps := c.Problems(); c.Errors() > 0 {
		t.Fatalf("problems: %v", ps)
	}
	return c
}

func briefingText(id, title, body string) string {
	idLine := ""
	if id != "" {
		idLine = "id: " + id + "\n"
	}
	return "---\n" + idLine + "title: " + title + "\ndate: 2025-07-24\nofficials: [tokayev]\nsummary: A summary.\n---\n\n" + body + "\n"
}

// Every field of a briefing is in its hash, or left out on purpose: a new
// field must be added to one of the two.
func TestHashCoversEveryField(t *testing.T) {
	hashed := []string{"Title", "Date", "Dating", "Kind", "Location", "Countries", "Topics", "Officials", "Summary", "Figures", "Sources", "Status", "Extra"}
	leftOut := []string{"ID", "Path", "BodyLine"} // where it is, not what it says
	known := map[string]bool{}
	for _, f := range append(hashed, leftOut...) {
		known[f] = true
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[store.Briefing](), reflect.TypeFor[store.Details]()} {
		for i := range typ.NumField() {
			if f := typ.Field(i); f.IsExported() && !known[f.Name] {
				t.Errorf("%s.%s is neither hashed nor left out of the content hash on purpose", typ.Name(), f.Name)
			}
		}
	}
	base := store.Briefing{ID: "x", Title: "T", Summary: "S", Officials: []store.OfficialRef{{Name: "tokayev"}}}
	base.SetDetails(store.Details{Figures: []store.Figure{{Label: "L", Value: "V"}}, Sources: []store.Source{{Outlet: "O", URL: "https://a"}}})
	// detail changes the briefing's details (a copy of them: base keeps its own).
	detail := func(change func(d *store.Details)) func(b *store.Briefing) {
		return func(b *store.Briefing) {
			d := b.Details()
			change(&d)
			b.SetDetails(d)
		}
	}
	changes := map[string]func(b *store.Briefing){
		"Title":     func(b *store.Briefing) { b.Title = "T2" },
		"Date":      func(b *store.Briefing) { b.Date = store.Date{Year: 2025, Precision: store.PrecisionYear} },
		"Season":    func(b *store.Briefing) { b.Date.Season = "spring" },
		"Dating":    detail(func(d *store.Details) { d.Dating.Note = "n" }),
		"Basis":     detail(func(d *store.Details) { d.Dating.Basis = store.BasisInferred }),
		"Kind":      func(b *store.Briefing) { b.Kind = "call" },
		"Location":  func(b *store.Briefing) { b.Location = "Astana" },
		"Countries": func(b *store.Briefing) { b.Countries = []string{"Kazakhstan"} },
		"Topics":    func(b *store.Briefing) { b.Topics = []string{"trade"} },
		"Officials": func(b *store.Briefing) { b.Officials = append(b.Officials, store.OfficialRef{Name: "saidov"}) },
		"Summary":   func(b *store.Briefing) { b.Summary = "S2" },
		"Figures":   detail(func(d *store.Details) { d.Figures[0].Value = "V2" }),
		"Sources":   detail(func(d *store.Details) { d.Sources[0].URL = "https://b" }),
		"Status":    func(b *store.Briefing) { b.Status = store.StatusDraft },
		"Extra":     detail(func(d *store.Details) { d.Extra = []store.Field{{Key: "k", Value: "v"}} }),
		// Values that would run together without lengths.
		"Shifted": func(b *store.Briefing) { b.Title, b.Summary = "TS", "" },
	}
	want := Hash(&base, "body")
	for name, change := range changes {
		b := base
		b.Officials = append([]store.OfficialRef(nil), base.Officials...)
		change(&b)
		if Hash(&b, "body") == want {
			t.Errorf("a change of %s leaves the hash as it was", name)
		}
	}
	if Hash(&base, "body2") == want {
		t.Errorf("a change of the body leaves the hash as it was")
	}
	moved := base
	moved.ID, moved.Path, moved.BodyLine = "y", "elsewhere/y.md", 40
	if Hash(&moved, "body") != want {
		t.Errorf("the id or the file's place changes the hash")
	}
	if len(want) != 24 || !isHash(want) {
		t.Errorf("hash %q", want)
	}
}

func TestAdoptFollowsContent(t *testing.T) {
	before := loadCorpus(t, map[string]string{
		"a.md": briefingText("old-same", "Same content", "Unchanged text."),
		"b.md": briefingText("old-edited", "Edited later", "First text."),
		"c.md": briefingText("stays", "Stays", "Text."),
	})
	after := loadCorpus(t, map[string]string{
		"a.md": briefingText("new-same", "Same content", "Unchanged text."),
		"b.md": briefingText("new-edited", "Edited later", "Second text."),
		"c.md": briefingText("stays", "Stays", "Text."),
	})
	hb := NewHashes(before)
	dir := t.TempDir()
	s := open(t, dir, newClock("2025-08-20T10:00:00Z"))
	for _, b := range before.Briefings() {
		h, err := hb.Of(b)
		must(t, err)
		must(t, s.MarkRead(b.ID, h))
		must(t, s.Mark(b.ID, h, "note on "+b.ID))
		must(t, s.SetPosition(b.ID, h, 3, 0.5))
		must(t, s.See(b.ID, h))
	}
	must(t, s.Close())

	s = open(t, dir, nil)
	ha := NewHashes(after)
	calls := 0
	hashOf := func(b *store.Briefing) (string, error) { calls++; return ha.Of(b) }
	got, err := s.Adopt(after, hashOf)
	must(t, err)
	if want := []Move{{From: "old-same", To: "new-same"}}; !reflect.DeepEqual(got.Moved, want) {
		t.Errorf("moved %v, want %v", got.Moved, want)
	}
	if len(got.Orphans) != 1 || got.Orphans[0].ID != "old-edited" || got.Orphans[0].Note != "note on old-edited" {
		t.Errorf("orphans %+v, want the mark of old-edited", got.Orphans)
	}
	if calls > 2 {
		t.Errorf("%d hashes computed; only the two briefings without state need one", calls)
	}
	h, _ := ha.Of(after.ByID("new-same"))
	st := s.Status("new-same", h, time.Time{})
	if !st.Read || !st.Marked || st.Note != "note on old-same" || !st.HasPosition || st.New {
		t.Errorf("the renamed briefing did not keep its state: %+v", st)
	}
	h, _ = ha.Of(after.ByID("new-edited"))
	if st := s.Status("new-edited", h, time.Time{}); st.Read || st.Marked || !st.New {
		t.Errorf("renamed and edited: want unread, unmarked and new, got %+v", st)
	}
	must(t, s.Close())

	// Once adopted, it is settled: no hashing, the orphan no longer listed.
	s = open(t, dir, nil)
	calls = 0
	got, err = s.Adopt(after, hashOf)
	must(t, err)
	if len(got.Moved) != 0 || len(got.Orphans) != 1 {
		t.Errorf("second adoption: %+v", got)
	}
	// Unmarking the orphan's id removes it.
	if had, err := s.Unmark("old-edited"); err != nil || !had {
		t.Errorf("unmark the orphan: %v %v", had, err)
	}
	got, _ = s.Adopt(after, hashOf)
	if len(got.Orphans) != 0 {
		t.Errorf("orphans after unmark: %+v", got.Orphans)
	}
}

func TestHashesAll(t *testing.T) {
	c := loadCorpus(t, map[string]string{
		"a.md": briefingText("", "One", "Text one."),
		"b.md": briefingText("", "Two", "Text two."),
	})
	all, errs := NewHashes(c).All()
	body, _, err := c.Body(c.ByID("a"))
	must(t, err)
	if !strings.Contains(body, "Text one.") {
		t.Fatalf("body %q", body)
	}
	if len(errs) > 0 || len(all) != 2 || all["a"] == all["b"] || all["a"] != Hash(c.ByID("a"), body) {
		t.Errorf("hashes %v, errors %v", all, errs)
	}
}

func TestHashCache(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.md":     briefingText("", "One", "Text one."),
		"sub/b.md": briefingText("", "Two", "Text two."),
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(content), 0o644))
	}
	load := func() *store.Corpus {
		c, err := store.Load(store.Dir(dir), store.Options{Name: dir})
		must(t, err)
		return c
	}
	cachePath := filepath.Join(t.TempDir(), "cache", "hashes")
	c := load()
	first, errs := NewCachedHashes(c, dir, cachePath).All()
	if len(errs) > 0 || len(first) != 2 {
		t.Fatal(first, errs)
	}
	h := NewCachedHashes(c, dir, cachePath)
	h.All()
	must(t, h.Save())
	info, err := os.Stat(cachePath)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("cache: %v %v", info, err)
	}

	// A file changed behind the cache's back, same size and time: the
	// cached hash is taken, which shows the body was not read.
	a := filepath.Join(dir, "a.md")
	old, _ := os.Stat(a)
	must(t, os.WriteFile(a, []byte(strings.Replace(files["a.md"], "Text one.", "Text ONE.", 1)), 0o644))
	must(t, os.Chtimes(a, old.ModTime(), old.ModTime()))
	c = load()
	got, _ := NewCachedHashes(c, dir, cachePath).All()
	if got["a"] != first["a"] {
		t.Errorf("the cache was not used")
	}
	// Its time changed: read again.
	must(t, os.Chtimes(a, old.ModTime().Add(time.Second), old.ModTime().Add(time.Second)))
	c = load()
	got, _ = NewCachedHashes(c, dir, cachePath).All()
	if got["a"] == first["a"] || got["b"] != first["b"] {
		t.Errorf("a changed file kept its cached hash, or an unchanged one lost it: %v %v", got, first)
	}
	// A cache from another build, or damaged, is none.
	for _, bad := range []string{"brief-hashes-v1 other-build\n\"a.md\"\t1\t2\t" + first["a"] + "\n", "garbage"} {
		must(t, os.WriteFile(cachePath, []byte(bad), 0o600))
		if m := readHashCache(cachePath); m != nil {
			t.Errorf("%q read as %v", bad, m)
		}
	}
}
