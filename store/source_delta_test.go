package store

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

const deltaRegistry = `- id: tokayev
  name: Kassym-Jomart Tokayev
  country: Kazakhstan
  roles:
    - title: President of Kazakhstan
      from: 2019-06
  aliases: [Tokayev, Токаев]
- id: mirziyoyev
  name: Shavkat Mirziyoyev
  country: Uzbekistan
  roles:
    - title: President of Uzbekistan
      from: 2016-12
  aliases: [Mirziyoyev, Мирзиёев]
- id: saidov
  name: Bakhtiyor Saidov
  country: Uzbekistan
  roles:
    - title: Minister of Foreign Affairs of Uzbekistan
      from: 2022-07
  aliases: [Saidov]
`

// deltaDoc writes a briefing.
func deltaDoc(id, title, date, officials, topics string) string {
	return fmt.Sprintf("---\nid: %s\ntitle: %s\ndate: %s\nofficials: [%s]\ntopics: [%s]\n---\n\nBody of %s.\n", id, title, date, officials, topics, id)
}

// TestSnapshotFromChanges changes files one step at a time and holds each
// snapshot a CorpusSource makes from the last one to the one the whole
// scan makes, field for field; and each step that can to being made that
// way.
func TestSnapshotFromChanges(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{RegistryFile: deltaRegistry}
	for i := range 30 {
		officials := []string{"tokayev", "Mirziyoyev, Saidov", "Someone Unknown", "tokayev, Nobody Known"}[i%4]
		topics := []string{"trade", "Water, trade", "energy", "water"}[i%3]
		files[fmt.Sprintf("y%d/f%02d.md", i%3, i)] = deltaDoc(fmt.Sprintf("e%02d", i), fmt.Sprintf("Event %d", i), fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%27), officials, topics)
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(Dir(dir), OpenOptions{Options: Options{Name: "t"}, Watch: WatchNone})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	write := func(name, text string) string {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		// A new time each step, as a second apart.
		at := time.Now().Add(-time.Hour).Add(time.Duration(len(name)+len(text)) * time.Millisecond)
		os.Chtimes(p, at, at)
		return name
	}
	steps := []struct {
		name        string
		change      func() []string
		incremental bool
	}{
		{"a title edited", func() []string {
			return []string{write("y0/f03.md", deltaDoc("e03", "Event 3, edited", "2024-04-04", "Someone Unknown", "energy"))}
		}, true},
		{"a date moved", func() []string {
			return []string{write("y1/f04.md", deltaDoc("e04", "Event 4", "2023-02-01", "tokayev", "trade"))}
		}, true},
		{"officials changed, one unknown", func() []string {
			return []string{write("y2/f05.md", deltaDoc("e05", "Event 5", "2024-06-06", "Saidov, A Stranger", "Water, trade"))}
		}, true},
		{"a topic's first spelling changes", func() []string {
			return []string{write("y1/f04.md", deltaDoc("e04", "Event 4", "2023-02-01", "tokayev", "TRADE, Fisheries"))}
		}, true},
		{"a file added", func() []string {
			return []string{write("y0/f99.md", deltaDoc("e99", "Event 99", "2025-01-01", "mirziyoyev", "new topic"))}
		}, true},
		{"a file removed", func() []string {
			os.Remove(filepath.Join(dir, "y2/f08.md"))
			return []string{"y2/f08.md"}
		}, true},
		{"a file broken: its last version kept", func() []string {
			return []string{write("y1/f10.md", "---\nid: e10\ntitle: [unclosed\n---\n")}
		}, true},
		{"the broken file fixed", func() []string {
			return []string{write("y1/f10.md", deltaDoc("e10", "Event 10, fixed", "2024-11-11", "tokayev", "water"))}
		}, true},
		{"an id taken from another file", func() []string {
			return []string{write("y2/f11.md", deltaDoc("e12", "Event 11 as 12", "2024-12-12", "tokayev", "water"))}
		}, false},
		{"the winner of a contested id takes another", func() []string {
			return []string{write("y0/f12.md", deltaDoc("e12b", "Event 12", "2024-01-13", "tokayev", "trade"))}
		}, false},
		{"the id given back", func() []string {
			return []string{write("y2/f11.md", deltaDoc("e11", "Event 11", "2024-12-12", "tokayev", "water"))}
		}, true},
		{"a file that does not load added", func() []string {
			return []string{write("y1/f98.md", "---\ntitle: [unclosed\n---\n")}
		}, true},
		{"the file that did not load removed", func() []string {
			os.Remove(filepath.Join(dir, "y1/f98.md"))
			return []string{"y1/f98.md"}
		}, true},
		{"two files at once, one moved", func() []string {
			return []string{
				write("y0/f00.md", deltaDoc("e00", "Event 0, again", "2024-01-01", "tokayev, Mirziyoyev", "trade")),
				write("y0/f06.md", deltaDoc("e06", "Event 6", "2022-07-07", "Nobody Known", "energy")),
			}
		}, true},
		{"two files take the same new id at once", func() []string {
			return []string{
				write("y1/f13.md", deltaDoc("e-same", "Event 13", "2024-02-14", "tokayev", "trade")),
				write("y2/f14.md", deltaDoc("e-same", "Event 14", "2024-03-15", "saidov", "water")),
			}
		}, false},
		{"an id changed", func() []string {
			return []string{write("y0/f09.md", deltaDoc("e09-new", "Event 9", "2024-10-10", "tokayev", "water"))}
		}, true},
		{"the last briefing of a topic removed", func() []string {
			os.Remove(filepath.Join(dir, "y0/f99.md"))
			return []string{"y0/f99.md"}
		}, true},
	}
	steps = append(steps, struct {
		name        string
		change      func() []string
		incremental bool
	}{"a title edited, found by a walk (R, or polling)", func() []string {
		write("y1/f01.md", deltaDoc("e01", "Event 1, walked", "2024-02-02", "Mirziyoyev, Saidov", "Water, trade"))
		return nil
	}, true})
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := s.Current()
			_, _, snaps := SourceStats(s)
			made := s.stats.incremental.Load()
			if paths := st.change(); paths != nil {
				SourceApply(s, paths...)
			} else if _, err := s.Reload(); err != nil {
				t.Fatal(err)
			}
			c := s.Current()
			if _, _, after := SourceStats(s); after != snaps+1 || c == before {
				t.Fatal("no new snapshot")
			}
			if got := s.stats.incremental.Load() > made; got != st.incremental {
				t.Errorf("made from the last snapshot: %v; want %v", got, st.incremental)
			}
			whole := s.state.corpus("t", s.fsys)
			sameCorpus(t, c, whole)
		})
	}
}

// sameCorpus fails t unless c and want are the same snapshot, field for
// field.
func sameCorpus(t *testing.T, c, want *Corpus) {
	t.Helper()
	if !slices.Equal(c.briefings, want.briefings) {
		t.Errorf("briefings differ:\n got %v\nwant %v", ids(c.briefings), ids(want.briefings))
	}
	for _, b := range want.briefings {
		if got := c.ByID(b.ID); got != b {
			t.Errorf("id %s finds %v, want its briefing", b.ID, got)
		}
	}
	for _, b := range c.briefings {
		if want.ByID(b.ID) != b {
			t.Errorf("id %s is not in the whole snapshot", b.ID)
		}
	}
	if !reflect.DeepEqual(c.problems, want.problems) {
		t.Errorf("problems differ:\n got %v\nwant %v", c.problems, want.problems)
	}
	if c.seen != want.seen || c.rejected != want.rejected {
		t.Errorf("seen %d, rejected %d; want %d, %d", c.seen, c.rejected, want.seen, want.rejected)
	}
	if len(c.kept) != len(want.kept) || (len(c.kept) > 0 && !maps.Equal(c.kept, want.kept)) {
		t.Errorf("kept %v; want %v", c.kept, want.kept)
	}
	for name, pair := range map[string][2]any{
		"byOfficial": {c.byOfficial, want.byOfficial},
		"byName":     {c.byName, want.byName},
		"byTopic":    {c.byTopic, want.byTopic},
		"topicNames": {c.topicNames, want.topicNames},
		"people":     {c.people, want.people},
		"topics":     {c.Topics(), want.Topics()},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s differ:\n got %v\nwant %v", name, pair[0], pair[1])
		}
	}
}

func ids(bs []*Briefing) string {
	var out []string
	for _, b := range bs {
		out = append(out, b.ID)
	}
	return strings.Join(out, " ")
}

// TestSnapshotFromChangesAtRandom makes many random changes, one or a few
// files at a time, and holds every snapshot to the whole scan's.
func TestSnapshotFromChangesAtRandom(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, RegistryFile), []byte(deltaRegistry), 0o644); err != nil {
		t.Fatal(err)
	}
	officials := []string{"tokayev", "Mirziyoyev", "Saidov", "Someone Unknown", "Nobody Known", "Токаев"}
	topics := []string{"trade", "Trade", "water", "energy", "Water", "fisheries"}
	rng := uint64(12345)
	next := func(n int) int { // xorshift: the same steps every run
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(n))
	}
	stamp := time.Now().Add(-time.Hour)
	write := func(name string) string {
		var text string
		switch next(10) {
		case 0:
			text = "---\ntitle: [broken\n---\n"
		default:
			id := fmt.Sprintf("r%03d", next(600)) // ids collide now and then
			text = deltaDoc(id, fmt.Sprintf("Title %d", next(1000)), fmt.Sprintf("%d-%02d-%02d", 2020+next(5), 1+next(12), 1+next(28)),
				officials[next(len(officials))]+", "+officials[next(len(officials))], topics[next(len(topics))]+", "+topics[next(len(topics))])
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		stamp = stamp.Add(time.Second)
		os.Chtimes(p, stamp, stamp)
		return name
	}
	for i := range 60 {
		write(fmt.Sprintf("f%02d.md", i))
	}
	s, err := Open(Dir(dir), OpenOptions{Options: Options{Name: "t"}, Watch: WatchNone})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for step := range 300 {
		var paths []string
		for range 1 + next(3) {
			name := fmt.Sprintf("f%02d.md", next(70))
			if next(8) == 0 {
				os.Remove(filepath.Join(dir, name))
				paths = append(paths, name)
			} else {
				paths = append(paths, write(name))
			}
		}
		SourceApply(s, paths...)
		sameCorpus(t, s.Current(), s.state.corpus("t", s.fsys))
		if t.Failed() {
			t.Fatalf("step %d, %v", step, paths)
		}
	}
	if n := s.stats.incremental.Load(); n < 150 {
		t.Errorf("%d of 300 snapshots made from the last one", n)
	}
}
