package store_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
)

// streamFolder writes n generated briefings into a new folder, dated an
// hour back as a folder edited earlier is.
func streamFolder(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	if err := storetest.Write(dir, storetest.Options{Briefings: n, Seed: 7, Folders: 4}); err != nil {
		t.Fatal(err)
	}
	ageFiles(t, dir, time.Now().Add(-time.Hour))
	return dir
}

func ageFiles(t *testing.T, dir string, at time.Time) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			err = os.Chtimes(p, at, at)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// walkOrder lists the briefing files of dir as a load walks them.
func walkOrder(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// opened is a source opened to stream its first load, with every
// snapshot of that load as it was published.
type opened struct {
	src *store.CorpusSource
	mu  sync.Mutex
	all []*store.Corpus
}

func (o *opened) snapshots() []*store.Corpus {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.all)
}

// complete waits for the source's complete snapshot.
func (o *opened) complete(t *testing.T) *store.Corpus {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c := o.src.Current(); !c.Partial() {
			return c
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("no complete snapshot within 10 s")
	return nil
}

// streamOpen opens fsys with FirstScreen, recording each snapshot of the
// first load. gate, when not nil, is released before the source closes.
func streamOpen(t *testing.T, fsys fs.FS, cachePath string, firstScreen int, gate *storetest.Gate) *opened {
	t.Helper()
	o := &opened{}
	opts := store.OpenOptions{Options: store.Options{Name: "desk", CachePath: cachePath}, Watch: store.WatchNone, FirstScreen: firstScreen}
	opts = store.Observed(opts, func(c *store.Corpus) {
		o.mu.Lock()
		o.all = append(o.all, c)
		o.mu.Unlock()
	})
	var err error
	if o.src, err = store.Open(fsys, opts); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if gate != nil {
			gate.Release()
		}
		o.src.Close()
	})
	return o
}

// checkSubsets fails t unless every partial snapshot comes before the
// complete one, holds only briefings the complete one holds (the same
// *Briefing), in the timeline's order, and says how far it got.
func checkSubsets(t *testing.T, snaps []*store.Corpus, complete *store.Corpus) {
	t.Helper()
	if len(snaps) == 0 || snaps[len(snaps)-1] != complete {
		t.Fatalf("the complete snapshot is not the last of the %d published", len(snaps))
	}
	for i, c := range snaps[:len(snaps)-1] {
		if !c.Partial() {
			t.Fatalf("snapshot %d of %d is complete before the last", i+1, len(snaps))
		}
		if c.Generation() >= complete.Generation() {
			t.Errorf("partial snapshot %d has generation %d, the complete one %d", i+1, c.Generation(), complete.Generation())
		}
		p := c.Progress()
		if p.Expected != complete.Seen() || p.Loaded != c.Seen() || p.Loaded > p.Expected {
			t.Errorf("partial snapshot %d: progress %+v; it holds %d, the folder %d", i+1, p, c.Seen(), complete.Seen())
		}
		bs := c.Briefings()
		for j, b := range bs {
			if complete.ByID(b.ID) != b {
				t.Errorf("partial snapshot %d shows %s (%s), which the complete one does not hold as it is", i+1, b.ID, b.Path)
			}
			if c.ByID(b.ID) != b {
				t.Errorf("partial snapshot %d: ByID(%s) is not its briefing", i+1, b.ID)
			}
			if j > 0 && b.Date.Compare(bs[j-1].Date) < 0 {
				t.Errorf("partial snapshot %d is out of date order at %s", i+1, b.ID)
			}
		}
	}
	if complete.Partial() || complete.Progress() != (store.Progress{Loaded: complete.Seen(), Expected: complete.Seen()}) {
		t.Errorf("the complete snapshot says partial %v, progress %+v", complete.Partial(), complete.Progress())
	}
}

func TestStreamColdShowsWhatIsReadInWalkOrder(t *testing.T) {
	const n, free, first = 300, 80, 50
	dir := streamFolder(t, n)
	gate := storetest.NewGate(dir, free)
	o := streamOpen(t, gate, "", first, gate)
	// Open returned with the first partial snapshot; the rest is held.
	c := o.src.Current()
	if !c.Partial() || len(c.Briefings()) < first || len(c.Briefings()) > free {
		t.Fatalf("Open gave partial %v with %d briefings; want a partial one of %d to %d", c.Partial(), len(c.Briefings()), first, free)
	}
	// What it holds is the start of the walk, without a gap.
	order := walkOrder(t, dir)
	paths := map[string]bool{}
	for _, b := range c.Briefings() {
		paths[b.Path] = true
	}
	for _, p := range order[:len(paths)] {
		if !paths[p] {
			t.Errorf("the partial snapshot skips %s, early in the walk", p)
		}
	}
	// Queries answer from what is loaded.
	if got := c.Query(store.Query{Since: store.Date{Year: 1900, Precision: store.PrecisionYear}}); len(got) != len(c.Briefings()) {
		t.Errorf("a query on the partial snapshot found %d of its %d", len(got), len(c.Briefings()))
	}
	gate.Release()
	complete := o.complete(t)
	if len(complete.Briefings()) != n {
		t.Fatalf("the complete snapshot holds %d of %d", len(complete.Briefings()), n)
	}
	checkSubsets(t, o.snapshots(), complete)
}

func TestStreamWarmShowsBothEndsFirst(t *testing.T) {
	const n = 1000
	dir := streamFolder(t, n)
	cachePath := filepath.Join(t.TempDir(), "index")
	if _, err := store.Load(store.Dir(dir), store.Options{CachePath: cachePath}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(store.FirstScreenPath(cachePath)); err != nil {
		t.Fatalf("Load wrote no first screen file: %v", err)
	}
	o := streamOpen(t, store.Dir(dir), cachePath, 50, nil)
	complete := o.complete(t)
	snaps := o.snapshots()
	checkSubsets(t, snaps, complete)
	if len(snaps) < 2 {
		t.Fatalf("%d snapshots: no partial one came first", len(snaps))
	}
	// The first holds the newest and the oldest 200, the ends of the
	// timeline either order starts from.
	all := complete.Briefings()
	var want []string
	for _, b := range append(slices.Clone(all[:200]), all[n-200:]...) {
		want = append(want, b.ID)
	}
	var got []string
	for _, b := range snaps[0].Briefings() {
		got = append(got, b.ID)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the first snapshot holds %d briefings, not the 400 at the ends of the timeline", len(got))
	}
	// A text query on it answers from what it holds, and saves nothing:
	// the saved index is the complete snapshot's to write.
	word := strings.Fields(strings.ToLower(all[n-1].Title))[0]
	for _, h := range snaps[0].Search(store.Query{Text: word}) {
		if snaps[0].ByID(h.Briefing.ID) == nil {
			t.Errorf("a text query on the partial snapshot found %s, which it does not hold", h.Briefing.ID)
		}
	}
	if matches, _ := filepath.Glob(cachePath + ".text*"); len(matches) > 0 {
		t.Errorf("a text query on a partial snapshot saved an index: %v", matches)
	}
}

// TestStreamNeverShowsWhatTheLoadRejects changes the folder between the
// cache and the start: what the first screen file says is then not
// trusted, and no partial snapshot shows a stale version, or a briefing a
// duplicate id now rejects.
func TestStreamNeverShowsWhatTheLoadRejects(t *testing.T) {
	const n = 600
	cases := []struct {
		name   string
		change func(t *testing.T, dir, cachePath string, c *store.Corpus) (gone string)
	}{
		{"the newest briefing edited", func(t *testing.T, dir, _ string, c *store.Corpus) string {
			b := c.Briefings()[n-1]
			rewrite(t, dir, b.Path, func(s string) string {
				return strings.Replace(s, "title: ", "title: Edited ", 1)
			})
			return b.Title
		}},
		{"an early file takes the newest one's id", func(t *testing.T, dir, _ string, c *store.Corpus) string {
			newest := c.Briefings()[n-1]
			early := walkOrder(t, dir)[0]
			rewrite(t, dir, early, func(s string) string {
				i := strings.Index(s, "\nid: ")
				j := strings.Index(s[i+1:], "\n")
				return s[:i+1] + "id: " + newest.ID + s[i+1+j:]
			})
			return newest.Title
		}},
		{"the index cache written again", func(t *testing.T, dir, cachePath string, c *store.Corpus) string {
			// The newest file changes without its size or time changing
			// (an edit within the clock's tick), and another load writes
			// the cache again: the first screen file, kept from before,
			// still matches the folder, but not the cache that load wrote,
			// which has the new version.
			first, err := os.ReadFile(store.FirstScreenPath(cachePath))
			if err != nil {
				t.Fatal(err)
			}
			newest := c.Briefings()[n-1]
			p := filepath.Join(dir, filepath.FromSlash(newest.Path))
			info, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			rewrite(t, dir, newest.Path, func(s string) string {
				i := strings.Index(s, "title: ") + len("title: ")
				other := "Z"
				if s[i] == 'Z' {
					other = "Y"
				}
				return s[:i] + other + s[i+1:]
			})
			if err := os.Chtimes(p, info.ModTime(), info.ModTime()); err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(cachePath); err != nil {
				t.Fatal(err)
			}
			if _, err := store.Load(store.Dir(dir), store.Options{CachePath: cachePath}); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(store.FirstScreenPath(cachePath), first, 0o600); err != nil {
				t.Fatal(err)
			}
			return newest.Title
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := streamFolder(t, n)
			cachePath := filepath.Join(t.TempDir(), "index")
			before, err := store.Load(store.Dir(dir), store.Options{CachePath: cachePath})
			if err != nil {
				t.Fatal(err)
			}
			stale := tc.change(t, dir, cachePath, before)
			o := streamOpen(t, store.Dir(dir), cachePath, 50, nil)
			complete := o.complete(t)
			snaps := o.snapshots()
			checkSubsets(t, snaps, complete)
			for i, c := range snaps {
				for _, b := range c.Briefings() {
					if b.Title == stale {
						t.Errorf("snapshot %d of %d (partial %v) shows %s as it was before the change", i+1, len(snaps), c.Partial(), b.ID)
					}
				}
			}
		})
	}
}

// rewrite changes a briefing file in place (its folder's time stays) and
// dates it an hour back, as an edit made before the reader started.
func rewrite(t *testing.T, dir, rel string, change func(string) string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(change(string(data))); err != nil {
		t.Fatal(err)
	}
	f.Close()
	at := time.Now().Add(-30 * time.Minute)
	if err := os.Chtimes(p, at, at); err != nil {
		t.Fatal(err)
	}
}

func TestStreamSubscribersGetPartialThenComplete(t *testing.T) {
	const n, free = 300, 80
	dir := streamFolder(t, n)
	gate := storetest.NewGate(dir, free)
	o := streamOpen(t, gate, "", 50, gate)
	ch, cancel := o.src.Subscribe()
	defer cancel()
	first := o.src.Current()
	if !first.Partial() {
		t.Fatal("Open did not give a partial snapshot")
	}
	gate.Release()
	var last *store.Corpus
	for c := range ch {
		if last != nil && c.Generation() <= last.Generation() {
			t.Errorf("generation %d after %d", c.Generation(), last.Generation())
		}
		last = c
		if !c.Partial() {
			break
		}
	}
	if last == nil || last.Partial() || len(last.Briefings()) != n {
		t.Fatalf("the subscriber's last snapshot is not the complete one")
	}
	if len(first.Problems()) > len(last.Problems()) {
		t.Errorf("the partial snapshot has more problems (%d) than the complete one (%d)", len(first.Problems()), len(last.Problems()))
	}
}

// TestStreamClosedWhileLoading closes a source in the middle of its first
// load: Close returns once the files being read are, the subscribers'
// channels close, and the last snapshot stays usable.
func TestStreamClosedWhileLoading(t *testing.T) {
	dir := streamFolder(t, 300)
	gate := storetest.NewGate(dir, 80)
	src, err := store.Open(gate, store.OpenOptions{Options: store.Options{Name: "desk"}, Watch: store.WatchNone, FirstScreen: 50})
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := src.Subscribe()
	closed := make(chan struct{})
	go func() {
		src.Close()
		close(closed)
	}()
	time.Sleep(20 * time.Millisecond)
	gate.Release() // the two files being read finish; no more are read
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	for range ch { // drained, then closed
	}
	if c := src.Current(); c == nil || len(c.Briefings()) == 0 {
		t.Fatal("no snapshot after Close")
	}
	if _, err := src.Reload(); err != store.ErrClosed {
		t.Errorf("Reload after Close: %v", err)
	}
}
