package store

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

const cacheBriefing = `---
title: Talks in Astana
date: 2024-02-19
dating:
  basis: inferred
  note: year from context
kind: talks
location: Astana
countries: [Kazakhstan, Uzbekistan]
topics: [trade, transport]
officials: [Nurtleu, Saidov]
summary: They talked.
figures:
  - label: Trade
    value: $4 billion
    note: recent years
sources:
  - outlet: Daryo
    url: https://daryo.uz/x
    published: 2024-02
mystery: kept
---
Body.
`

// corpusSummary gives what a load produced, comparable across loads.
func corpusSummary(c *Corpus) (briefings []Briefing, problems []Problem) {
	for _, b := range c.Briefings() {
		plain := *b
		plain.Officials = append([]OfficialRef(nil), b.Officials...)
		for i := range plain.Officials {
			plain.Officials[i].Official = nil // registry pointers differ per load
		}
		briefings = append(briefings, plain)
	}
	return briefings, c.Problems()
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCacheGivesTheSameCorpus(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.md":     cacheBriefing,
		"sub/b.md": "---\ntitle: B\ndate: 2025\nofficials: [x]\n---\n",
		"bad.md":   "---\ntitle: no closer\n",
		"bad2.md":  "---\ntitle: [\n---\n",
	})
	opts := Options{CachePath: filepath.Join(cacheDir, "index")}
	first, err := Load(os.DirFS(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(opts.CachePath); err != nil {
		t.Fatalf("no cache written: %v", err)
	}
	second, err := Load(os.DirFS(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	b1, p1 := corpusSummary(first)
	b2, p2 := corpusSummary(second)
	if !reflect.DeepEqual(b1, b2) {
		t.Errorf("briefings differ through the cache:\nfresh:  %+v\ncached: %+v", b1, b2)
	}
	if !reflect.DeepEqual(p1, p2) {
		t.Errorf("problems differ through the cache:\nfresh:  %v\ncached: %v", p1, p2)
	}
	if second.Seen() != 4 || second.Rejected() != 2 {
		t.Errorf("seen %d rejected %d, want 4 and 2", second.Seen(), second.Rejected())
	}
}

func TestCacheIsNotTrustedWhenStale(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{"a.md": cacheBriefing, "gone.md": cacheBriefingWith("gone")})
	opts := Options{CachePath: filepath.Join(cacheDir, "index")}
	if _, err := Load(os.DirFS(dir), opts); err != nil {
		t.Fatal(err)
	}

	// Same size, new time: a changed title must show.
	changed := []byte(cacheBriefing)
	copy(changed[len("---\ntitle: "):], "Tolks")
	if err := os.WriteFile(filepath.Join(dir, "a.md"), changed, 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(filepath.Join(dir, "a.md"), later, later); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "gone.md")); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"new.md": cacheBriefingWith("new")})

	c, err := Load(os.DirFS(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, b := range c.Briefings() {
		ids = append(ids, b.ID)
		if b.ID == "a" && b.Title != "Tolks in Astana" {
			t.Errorf("title %q: the stale cache entry was used", b.Title)
		}
	}
	if !reflect.DeepEqual(ids, []string{"new", "a"}) { // 2024 sorts before 19 Feb 2024
		t.Errorf("ids %v, want [new a]: deleted files must go and new ones come", ids)
	}
}

func cacheBriefingWith(id string) string {
	return "---\nid: " + id + "\ntitle: T\ndate: 2024\nofficials: [x]\n---\n"
}

func TestCacheDamagedOrForeignIsIgnored(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{"a.md": cacheBriefing})
	path := filepath.Join(cacheDir, "index")
	tests := map[string][]byte{
		"garbage":   []byte("not a cache at all"),
		"truncated": nil, // filled below from a real cache
		"foreign":   []byte(cacheMagic + "\x10another build!!" + "\x00"),
		"empty":     {},
	}
	if _, err := Load(os.DirFS(dir), Options{CachePath: path}); err != nil {
		t.Fatal(err)
	}
	real, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tests["truncated"] = real[:len(real)*2/3]
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(os.DirFS(dir), Options{CachePath: path})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Briefings()) != 1 || c.Briefings()[0].Title != "Talks in Astana" {
				t.Fatalf("a damaged cache changed the result: %+v", c.Briefings())
			}
			if readCache(path, BuildStamp()) == nil {
				t.Errorf("the damaged cache was not replaced by a good one")
			}
		})
	}
}
