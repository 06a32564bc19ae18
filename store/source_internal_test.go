package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestSourceIndexIsIncremental: a new snapshot's free-text index shares
// the last one's segments and indexes only the file that changed.
func TestSourceIndexIsIncremental(t *testing.T) {
	for _, cached := range []bool{false, true} {
		t.Run(fmt.Sprintf("cache=%v", cached), func(t *testing.T) {
			dir := t.TempDir()
			for i := range 40 {
				writeFiles(t, dir, map[string]string{fmt.Sprintf("f%02d.md", i): fmt.Sprintf("---\ntitle: T%d\ndate: 2024\nofficials: [x]\n---\n\nword%d\n", i, i)})
			}
			opts := OpenOptions{Options: Options{Name: "t"}, Settle: 10 * time.Millisecond}
			if cached {
				opts.CachePath = filepath.Join(t.TempDir(), "index")
			}
			s, err := Open(Dir(dir), opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ch, cancel := s.Subscribe()
			defer cancel()
			first := s.Current()
			first.PrepareSearch()
			before := first.search.index.Load()
			if len(before.segments) != 1 || before.segments[0].ndocs != 40 {
				t.Fatalf("first index: %d segments", len(before.segments))
			}
			if err := os.WriteFile(filepath.Join(dir, "f07.md"), []byte("---\ntitle: T7\ndate: 2024\nofficials: [x]\n---\n\nchanged\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var c *Corpus
			select {
			case c = <-ch:
			case <-time.After(20 * time.Second):
				t.Fatal("no snapshot")
			}
			c.PrepareSearch()
			ix := c.search.index.Load()
			var borrowed, fresh []int
			for _, seg := range ix.segments {
				if seg.borrowed {
					borrowed = append(borrowed, seg.ndocs)
				} else {
					fresh = append(fresh, seg.ndocs)
				}
			}
			if len(borrowed) != 1 || borrowed[0] != 40 || len(fresh) != 1 || fresh[0] != 1 {
				t.Errorf("segments borrowed %v, new %v; want the last index's 40 documents borrowed and 1 new", borrowed, fresh)
			}
			if got := len(c.Search(Query{Text: "changed"})); got != 1 {
				t.Errorf("changed: %d hits", got)
			}
			if got := len(c.Search(Query{Text: "word7"})); got != 0 {
				t.Errorf("word7 still found: %d hits", got)
			}
			if got := len(first.Search(Query{Text: "word7"})); got != 1 {
				t.Errorf("the first snapshot lost word7: %d hits", got)
			}
		})
	}
}

// TestSourceIndexAcrossMerges: after enough changes the index merges its
// segments; every snapshot, old ones included, still answers in full.
func TestSourceIndexAcrossMerges(t *testing.T) {
	dir := t.TempDir()
	for i := range 20 {
		writeFiles(t, dir, map[string]string{fmt.Sprintf("f%02d.md", i): fmt.Sprintf("---\ntitle: T%d\ndate: 2024\nofficials: [x]\n---\n\nw%cx\n", i, 'a'+i)})
	}
	s, err := Open(Dir(dir), OpenOptions{Options: Options{Name: "t", CachePath: filepath.Join(t.TempDir(), "index")}, Settle: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ch, cancel := s.Subscribe()
	defer cancel()
	snapshots := []*Corpus{s.Current()}
	s.Current().PrepareSearch()
	merged := false
	for round := range 12 {
		p := filepath.Join(dir, fmt.Sprintf("f%02d.md", round))
		if err := os.WriteFile(p, fmt.Appendf(nil, "---\ntitle: T%d\ndate: 2024\nofficials: [x]\n---\n\nr%cx\n", round, 'a'+round), 0o644); err != nil {
			t.Fatal(err)
		}
		var c *Corpus
		for c == nil || c.ByID(fmt.Sprintf("f%02d", round)).size != fileSize(t, p) {
			select {
			case c = <-ch:
			case <-time.After(20 * time.Second):
				t.Fatal("no snapshot")
			}
		}
		c.PrepareSearch()
		merged = merged || len(c.search.index.Load().segments) == 1 && round > 0
		snapshots = append(snapshots, c)
	}
	if !merged {
		t.Error("the segments were never merged: this test no longer tests merges")
	}
	for g, c := range snapshots {
		for i := range 20 {
			word := fmt.Sprintf("w%cx", 'a'+i)
			want := 1
			if i < g { // changed in the rounds before this snapshot
				word = fmt.Sprintf("r%cx", 'a'+i)
			}
			if got := len(c.Search(Query{Text: word})); got != want {
				t.Errorf("snapshot %d: %s found %d times, want %d", g, word, got, want)
			}
		}
		if ps := c.SearchProblems(); len(ps) > 0 {
			t.Errorf("snapshot %d: %v", g, ps)
		}
	}
}

func fileSize(t *testing.T, p string) int64 {
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// TestSourceIndexMergesSmallSegments: edits one file at a time make small
// segments, merged among themselves; the large one is never merged again
// while little of it is stale, and answers stay right.
func TestSourceIndexMergesSmallSegments(t *testing.T) {
	dir := t.TempDir()
	const n = 100
	for i := range n {
		writeFiles(t, dir, map[string]string{fmt.Sprintf("f%03d.md", i): fmt.Sprintf("---\ntitle: T%d\ndate: 2024\nofficials: [x]\n---\n\nold%03dz\n", i, i)})
	}
	s, err := Open(Dir(dir), OpenOptions{Options: Options{Name: "t", CachePath: filepath.Join(t.TempDir(), "index")}, Watch: WatchNone})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Current().PrepareSearch()
	first := s.Current().search.index.Load().segments[0]
	smallMerges := 0
	for round := range 12 {
		p := filepath.Join(dir, fmt.Sprintf("f%03d.md", round*7))
		if err := os.WriteFile(p, fmt.Appendf(nil, "---\ntitle: T%d\ndate: 2024\nofficials: [x]\n---\n\nnew%03dz\n", round*7, round*7), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := s.Reload()
		if err != nil {
			t.Fatal(err)
		}
		c.PrepareSearch()
		segs := c.search.index.Load().segments
		if len(segs) > 5 {
			t.Errorf("round %d: %d segments", round, len(segs))
		}
		if segs[0].ndocs != n || segs[0].terms != first.terms {
			t.Errorf("round %d: the large segment was rebuilt (%d documents)", round, segs[0].ndocs)
		}
		if len(segs) == 2 && round > 3 {
			smallMerges++
		}
		for i := 0; i <= round; i++ {
			if got := len(c.Search(Query{Text: fmt.Sprintf("new%03dz", i*7)})); got != 1 {
				t.Errorf("round %d: new%03dz found %d times", round, i*7, got)
			}
			if got := len(c.Search(Query{Text: fmt.Sprintf("old%03dz", i*7)})); got != 0 {
				t.Errorf("round %d: old%03dz still found %d times", round, i*7, got)
			}
		}
		if got := len(c.Search(Query{Text: "old099z"})); got != 1 {
			t.Errorf("round %d: an unchanged file's word found %d times", round, got)
		}
	}
	if smallMerges == 0 {
		t.Error("the small segments were never merged: this test no longer tests that")
	}
}
