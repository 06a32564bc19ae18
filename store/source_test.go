package store_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/store"
)

// How long a test waits for a snapshot before it fails: far above the
// second a change takes, so that a loaded machine does not fail a test;
// the times themselves are measured by benchmarks (source_bench_test.go).
const snapshotWait = 20 * time.Second

// srcBriefing is a briefing file whose title, body and officials carry a
// version, so that a test can tell which version it sees.
func srcBriefing(id, version string) string {
	return "---\nid: " + id + "\ntitle: " + id + " " + version + "\ndate: 2024-01-02\nofficials: [tokayev]\n---\n\nbody " + id + " " + version + "\n"
}

// srcOpen opens a CorpusSource on dir with short waits, in the mode
// asked for, closed with the test.
func srcOpen(t testing.TB, dir string, mode store.WatchMode) *store.CorpusSource {
	t.Helper()
	s, err := store.Open(store.Dir(dir), store.OpenOptions{
		Options:   store.Options{Name: "test", Registry: qaRegistry(t), CachePath: filepath.Join(t.TempDir(), "index")},
		Watch:     mode,
		PollEvery: 50 * time.Millisecond,
		Settle:    20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// waitFor takes snapshots from ch until one satisfies ok, and gives it.
func waitFor(t testing.TB, ch <-chan *store.Corpus, what string, ok func(*store.Corpus) bool) *store.Corpus {
	t.Helper()
	deadline := time.After(snapshotWait)
	for {
		select {
		case c, open := <-ch:
			if !open {
				t.Fatalf("waiting for %s: the source closed", what)
			}
			if ok(c) {
				return c
			}
		case <-deadline:
			t.Fatalf("no snapshot with %s after %v", what, snapshotWait)
		}
	}
}

func ids(c *store.Corpus) []string {
	var out []string
	for _, b := range c.Briefings() {
		out = append(out, b.ID)
	}
	slices.Sort(out)
	return out
}

func hasProblem(c *store.Corpus, path, text string) bool {
	for _, p := range c.Problems() {
		if p.Path == path && strings.Contains(p.Message, text) {
			return true
		}
	}
	return false
}

var watchModes = []struct {
	name string
	mode store.WatchMode
}{{"notify", store.WatchAuto}, {"poll", store.WatchPoll}}

// TestSourceFollowsChanges makes each kind of change to a folder and
// waits for the snapshot that shows it, with notifications and with stat
// walks; each snapshot must then be what Load gives for the folder.
func TestSourceFollowsChanges(t *testing.T) {
	// targeted marks the changes a notification names well enough for the
	// source to read the changed files alone, without a walk.
	tests := []struct {
		name     string
		change   func(t *testing.T, dir string)
		want     func(c *store.Corpus) bool
		targeted bool
	}{
		{"a title edited", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "a.md"), srcBriefing("a", "v2"))
		}, func(c *store.Corpus) bool { return c.ByID("a") != nil && c.ByID("a").Title == "a v2" }, true},
		{"a file added", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "c.md"), srcBriefing("c", "v1"))
		}, func(c *store.Corpus) bool { return reflect.DeepEqual(ids(c), []string{"a", "b", "c"}) }, true},
		{"a file removed", func(t *testing.T, dir string) {
			mustDo(t, os.Remove(filepath.Join(dir, "sub", "b.md")))
		}, func(c *store.Corpus) bool { return reflect.DeepEqual(ids(c), []string{"a"}) }, true},
		{"saved as an editor does: a temporary file renamed over it", func(t *testing.T, dir string) {
			tmp := filepath.Join(dir, ".a.md.tmp")
			write(t, tmp, srcBriefing("a", "v3"))
			mustDo(t, os.Rename(tmp, filepath.Join(dir, "a.md")))
		}, func(c *store.Corpus) bool { return c.ByID("a") != nil && c.ByID("a").Title == "a v3" }, true},
		{"saved as vim does: backup by rename, new file, chmod, backup removed", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "a.md")
			mustDo(t, os.Rename(p, p+"~"))
			write(t, p, srcBriefing("a", "v4"))
			mustDo(t, os.Chmod(p, 0o644))
			mustDo(t, os.Remove(p+"~"))
		}, func(c *store.Corpus) bool {
			return c.ByID("a") != nil && c.ByID("a").Title == "a v4" && reflect.DeepEqual(ids(c), []string{"a", "b"})
		}, true},
		{"a folder added with a briefing in it", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "new", "deep", "d.md"), srcBriefing("d", "v1"))
		}, func(c *store.Corpus) bool { return c.ByID("d") != nil }, false},
		{"a checkout: hundreds of files at once", func(t *testing.T, dir string) {
			for i := range 300 {
				write(t, filepath.Join(dir, "sub", fmt.Sprintf("m%03d.md", i)), srcBriefing(fmt.Sprintf("m%03d", i), "v1"))
			}
		}, func(c *store.Corpus) bool { return len(c.Briefings()) == 302 }, false},
		{"a folder removed", func(t *testing.T, dir string) {
			mustDo(t, os.RemoveAll(filepath.Join(dir, "sub")))
		}, func(c *store.Corpus) bool { return reflect.DeepEqual(ids(c), []string{"a"}) }, false},
		{"a folder renamed", func(t *testing.T, dir string) {
			mustDo(t, os.Rename(filepath.Join(dir, "sub"), filepath.Join(dir, "renamed")))
		}, func(c *store.Corpus) bool { return c.ByID("b") != nil && c.ByID("b").Path == "renamed/b.md" }, false},
		{"a briefing renamed", func(t *testing.T, dir string) {
			mustDo(t, os.Rename(filepath.Join(dir, "a.md"), filepath.Join(dir, "z.md")))
		}, func(c *store.Corpus) bool { return c.ByID("a") != nil && c.ByID("a").Path == "z.md" }, true},
		{"a file breaks", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "a.md"), "---\ntitle: [unclosed\n---\n")
		}, func(c *store.Corpus) bool {
			b := c.ByID("a")
			return b != nil && b.Title == "a v1" && c.Kept(b) && hasProblem(c, "a.md", "YAML") && c.Errors() > 0
		}, true},
		{"the registry edited: an official renamed", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, store.RegistryFile), "- id: tokayev\n  name: Kassym-Jomart Tokayev Renamed\n")
		}, func(c *store.Corpus) bool {
			b := c.ByID("a")
			return b != nil && b.Officials[0].Official != nil && b.Officials[0].Official.Name == "Kassym-Jomart Tokayev Renamed"
		}, true},
	}
	for _, m := range watchModes {
		for _, tc := range tests {
			t.Run(m.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				write(t, filepath.Join(dir, "a.md"), srcBriefing("a", "v1"))
				write(t, filepath.Join(dir, "sub", "b.md"), srcBriefing("b", "v1"))
				write(t, filepath.Join(dir, store.RegistryFile), "- id: tokayev\n  name: Kassym-Jomart Tokayev\n")
				s := srcOpen(t, dir, m.mode)
				ch, cancel := s.Subscribe()
				defer cancel()
				first := s.Current()
				if !reflect.DeepEqual(ids(first), []string{"a", "b"}) {
					t.Fatalf("first snapshot: %v (%v)", ids(first), first.Problems())
				}
				tc.change(t, dir)
				c := waitFor(t, ch, tc.name, tc.want)
				if c.Generation() <= first.Generation() {
					t.Errorf("generation %d after %d", c.Generation(), first.Generation())
				}
				if tc.name != "a file breaks" {
					sameAsLoad(t, c, dir)
				}
				walks, reads, _ := store.SourceStats(s)
				if w := s.Watch(); tc.targeted && w.Notify && w.Poll == 0 && (walks != 0 || reads > 4) {
					t.Errorf("%d walks and %d files read for a change notifications name", walks, reads)
				}
			})
		}
	}
}

// sameAsLoad checks that a snapshot holds what Load reads in the folder.
func sameAsLoad(t *testing.T, c *store.Corpus, dir string) {
	t.Helper()
	fresh := qaLoad(t, store.Dir(dir), store.Options{Name: "test", Registry: qaRegistry(t)})
	got, want := summary(c), summary(fresh)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the snapshot differs from a fresh load:\n got  %v\n want %v", got, want)
	}
	if !reflect.DeepEqual(c.Problems(), fresh.Problems()) {
		t.Errorf("problems differ from a fresh load:\n got  %v\n want %v", c.Problems(), fresh.Problems())
	}
	if c.Seen() != fresh.Seen() || c.Rejected() != fresh.Rejected() {
		t.Errorf("seen %d rejected %d, a fresh load %d and %d", c.Seen(), c.Rejected(), fresh.Seen(), fresh.Rejected())
	}
}

// summary gives what a reader sees of a corpus' briefings, in order.
func summary(c *store.Corpus) []string {
	var out []string
	for _, b := range c.Briefings() {
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%v|%d", b.ID, b.Title, b.Path, b.Date, b.OfficialNames(), b.BodyLine))
	}
	return out
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSourceKeepsTheLastGoodVersion: a file that breaks keeps its last
// version, with the body last read; once fixed, the new version shows.
func TestSourceKeepsTheLastGoodVersion(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.md")
	write(t, p, srcBriefing("a", "v1"))
	write(t, filepath.Join(dir, "b.md"), srcBriefing("b", "v1"))
	s := srcOpen(t, dir, store.WatchAuto)
	ch, cancel := s.Subscribe()
	defer cancel()
	c := s.Current()
	if body, _, err := c.Body(c.ByID("a")); err != nil || !strings.Contains(body, "body a v1") {
		t.Fatalf("body %q, %v", body, err)
	}

	write(t, p, "---\ntitle: a v2\ndate: 2024-13-45\nofficials: [tokayev]\n---\n\nbody a v2\n")
	write(t, filepath.Join(dir, "b.md"), "not a briefing at all\n")
	c = waitFor(t, ch, "both files broken", func(c *store.Corpus) bool {
		return c.ByID("a") != nil && c.Kept(c.ByID("a")) && c.ByID("b") != nil && c.Kept(c.ByID("b"))
	})
	if b := c.ByID("a"); b.Title != "a v1" {
		t.Errorf("kept title %q, want the last that loaded", b.Title)
	}
	if !hasProblem(c, "a.md", "month") || !hasProblem(c, "a.md", "last version that loaded") {
		t.Errorf("the problems do not say what is wrong and what is shown: %v", c.Problems())
	}
	if c.Errors() != 2 || len(c.Briefings()) != 2 || c.Rejected() != 0 {
		t.Errorf("errors %d, briefings %d, rejected %d; want 2, 2, 0", c.Errors(), len(c.Briefings()), c.Rejected())
	}
	// a's body was read while it loaded: it is still shown. b's never was.
	if body, _, err := c.Body(c.ByID("a")); err != nil || !strings.Contains(body, "body a v1") {
		t.Errorf("kept body %q, %v; want the one read before", body, err)
	}
	if _, _, err := c.Body(c.ByID("b")); !errors.Is(err, store.ErrNoLongerLoads) {
		t.Errorf("a kept briefing whose body was never read: %v, want ErrNoLongerLoads", err)
	}

	write(t, p, srcBriefing("a", "v3"))
	c = waitFor(t, ch, "the file fixed", func(c *store.Corpus) bool { return c.ByID("a") != nil && c.ByID("a").Title == "a v3" })
	if c.Kept(c.ByID("a")) {
		t.Error("a fixed file is still marked kept")
	}
	if body, _, err := c.Body(c.ByID("a")); err != nil || !strings.Contains(body, "body a v3") {
		t.Errorf("body %q, %v", body, err)
	}
}

// TestSourceBodiesOfOldSnapshots: an old snapshot's Body says the file
// changed rather than show the new body under the old title.
func TestSourceBodiesOfOldSnapshots(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), srcBriefing("a", "v1"))
	s := srcOpen(t, dir, store.WatchAuto)
	ch, cancel := s.Subscribe()
	defer cancel()
	old := s.Current()
	write(t, filepath.Join(dir, "a.md"), srcBriefing("a", "v2"))
	if _, _, err := old.Body(old.ByID("a")); !errors.Is(err, store.ErrChanged) {
		t.Errorf("the old snapshot's body: %v, want ErrChanged", err)
	}
	c := waitFor(t, ch, "v2", func(c *store.Corpus) bool { return c.ByID("a").Title == "a v2" })
	if body, _, err := c.Body(c.ByID("a")); err != nil || !strings.Contains(body, "body a v2") {
		t.Errorf("the new snapshot's body %q, %v", body, err)
	}
	if ch := c.ChangesSince(old); !reflect.DeepEqual(ch, store.Changes{Changed: []string{"a"}}) {
		t.Errorf("changes %+v", ch)
	}
}

// TestSourceSharesUnchangedBriefings: a briefing whose file did not
// change is the same *Briefing in the next snapshot, so views can compare.
func TestSourceSharesUnchangedBriefings(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), srcBriefing("a", "v1"))
	write(t, filepath.Join(dir, "b.md"), srcBriefing("b", "v1"))
	s := srcOpen(t, dir, store.WatchAuto)
	ch, cancel := s.Subscribe()
	defer cancel()
	old := s.Current()
	write(t, filepath.Join(dir, "c.md"), srcBriefing("c", "v1"))
	mustDo(t, os.Remove(filepath.Join(dir, "b.md")))
	c := waitFor(t, ch, "c added, b removed", func(c *store.Corpus) bool { return reflect.DeepEqual(ids(c), []string{"a", "c"}) })
	if c.ByID("a") != old.ByID("a") {
		t.Error("the unchanged briefing is a new *Briefing")
	}
	if got := c.ChangesSince(old); !reflect.DeepEqual(got, store.Changes{Added: []string{"c"}, Removed: []string{"b"}}) {
		t.Errorf("changes %+v", got)
	}
}

// TestSourceSlowSubscriber: a subscriber that takes nothing holds nobody
// up, and gets the latest snapshot when it looks.
func TestSourceSlowSubscriber(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), srcBriefing("a", "v0"))
	s := srcOpen(t, dir, store.WatchNone)
	slow, cancelSlow := s.Subscribe()
	defer cancelSlow()
	for i := 1; i <= 5; i++ {
		write(t, filepath.Join(dir, "a.md"), srcBriefing("a", fmt.Sprintf("v%d", i)))
		if _, err := s.Reload(); err != nil { // would block if a send did
			t.Fatal(err)
		}
	}
	got := <-slow
	if got != s.Current() || got.ByID("a").Title != "a v5" {
		t.Errorf("the slow subscriber got %q (generation %d), want the latest (%d)", got.ByID("a").Title, got.Generation(), s.Current().Generation())
	}
	select {
	case c := <-slow:
		t.Errorf("a second, older snapshot was queued: generation %d", c.Generation())
	default:
	}
}

// TestSourceReloadAndClose: with no watching, Reload alone sees changes;
// after Close, channels are closed and Reload says so.
func TestSourceReloadAndClose(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), srcBriefing("a", "v1"))
	s := srcOpen(t, dir, store.WatchNone)
	if w := s.Watch(); w.Notify || w.Poll != 0 {
		t.Errorf("watch %+v with WatchNone", w)
	}
	before := s.Current()
	c, err := s.Reload()
	if err != nil || c != before {
		t.Errorf("a reload with nothing changed made a snapshot: %v, %v", c.Generation(), err)
	}
	write(t, filepath.Join(dir, "b.md"), srcBriefing("b", "v1"))
	if c, err := s.Reload(); err != nil || c.ByID("b") == nil {
		t.Errorf("reload: %v, %v", ids(c), err)
	}
	ch, _ := s.Subscribe()
	s.Close()
	if _, open := <-ch; open {
		t.Error("a subscriber's channel is open after Close")
	}
	if _, err := s.Reload(); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Reload after Close: %v", err)
	}
	if late, _ := s.Subscribe(); late != nil {
		if _, open := <-late; open {
			t.Error("Subscribe after Close gave an open channel")
		}
	}
	if s.Current() == nil {
		t.Error("no snapshot after Close")
	}
}

// TestSourceFolderGoesAndComes: a folder that cannot be read keeps its
// briefings, with the problem; when it is back, so is everything.
func TestSourceFolderGoesAndComes(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "briefs")
	write(t, filepath.Join(dir, "a.md"), srcBriefing("a", "v1"))
	s := srcOpen(t, dir, store.WatchNone)
	mustDo(t, os.Rename(dir, dir+"-away"))
	c, err := s.Reload()
	if err == nil || c.ByID("a") == nil || !hasProblem(c, "test", "briefings shown are those read before") {
		t.Errorf("a folder gone: %v, %v, %v", ids(c), err, c.Problems())
	}
	mustDo(t, os.Rename(dir+"-away", dir))
	write(t, filepath.Join(dir, "b.md"), srcBriefing("b", "v1"))
	c, err = s.Reload()
	if err != nil || !reflect.DeepEqual(ids(c), []string{"a", "b"}) || c.Errors() != 0 {
		t.Errorf("the folder back: %v, %v, %v", ids(c), err, c.Problems())
	}
}

// TestSourceRefusesLinksOut: a symlink made to lead out of the folder is
// refused as Load refuses it.
func TestSourceRefusesLinksOut(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	write(t, filepath.Join(outside, "secret.md"), srcBriefing("secret", "v1"))
	write(t, filepath.Join(dir, "a.md"), srcBriefing("a", "v1"))
	for _, m := range watchModes {
		t.Run(m.name, func(t *testing.T) {
			s := srcOpen(t, dir, m.mode)
			ch, cancel := s.Subscribe()
			defer cancel()
			link := filepath.Join(dir, "link-"+m.name+".md")
			mustDo(t, os.Symlink(filepath.Join(outside, "secret.md"), link))
			c := waitFor(t, ch, "the link refused", func(c *store.Corpus) bool {
				return hasProblem(c, "link-"+m.name+".md", "outside the briefing folder")
			})
			if c.ByID("secret") != nil {
				t.Error("a briefing read through a link out of the folder")
			}
			// A file replaced by such a link.
			mustDo(t, os.Remove(link))
			mustDo(t, os.Remove(filepath.Join(dir, "a.md")))
			mustDo(t, os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(dir, "a.md")))
			c = waitFor(t, ch, "a.md refused", func(c *store.Corpus) bool { return hasProblem(c, "a.md", "outside the briefing folder") })
			if c.ByID("secret") != nil {
				t.Error("a briefing read through a link out of the folder")
			}
			write(t, filepath.Join(dir, "a.md.tmp"), srcBriefing("a", "v1"))
			mustDo(t, os.Rename(filepath.Join(dir, "a.md.tmp"), filepath.Join(dir, "a.md")))
			waitFor(t, ch, "a.md back", func(c *store.Corpus) bool { return c.ByID("a") != nil })
		})
	}
}

// TestSourceBuiltin: the built-in briefings never change: no watching,
// and a reload finds nothing new.
func TestSourceBuiltin(t *testing.T) {
	s, err := store.Open(briefs.FS(), store.OpenOptions{Options: store.Options{Name: briefs.Name}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := s.Current()
	if len(c.Briefings()) == 0 || c.Generation() != 1 {
		t.Fatalf("%d briefings, generation %d", len(c.Briefings()), c.Generation())
	}
	if w := s.Watch(); w.Notify || w.Poll != 0 || !strings.Contains(w.String(), "not watching") {
		t.Errorf("watch %+v (%s)", w, w)
	}
	if again, err := s.Reload(); err != nil || again != c {
		t.Errorf("reload of the built-in briefings: generation %d, %v", again.Generation(), err)
	}
	fresh := storetestBuiltin(t)
	if !reflect.DeepEqual(summary(c), summary(fresh)) || !reflect.DeepEqual(c.Problems(), fresh.Problems()) {
		t.Error("the source's built-in corpus differs from Load's")
	}
}

func storetestBuiltin(t *testing.T) *store.Corpus {
	c, err := store.Load(briefs.FS(), store.Options{Name: briefs.Name})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSourceUnderEditors has many writers save briefings over and over
// while the source runs, as editors do (a temporary file renamed over the
// briefing) or in place (truncate, then write), and checks every snapshot
// it publishes: each briefing exactly once, none lost, none twice; and a
// body read from any snapshot never from another version than its title
// (the body's version matches the title's, or Body says ErrChanged).
// At the end, the last snapshot is what a fresh load gives.
func TestSourceUnderEditors(t *testing.T) {
	const (
		files   = 120
		writers = 6
		saves   = 100 // per writer, a few milliseconds apart
	)
	for _, m := range watchModes {
		for _, inPlace := range []bool{false, true} {
			name := m.name + "/rename"
			if inPlace {
				name = m.name + "/in-place"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				want := make([]string, files)
				for i := range files {
					want[i] = fmt.Sprintf("b%03d", i)
					write(t, filepath.Join(dir, fmt.Sprintf("f%d", i%7), want[i]+".md"), srcBriefing(want[i], "v0"))
				}
				slices.Sort(want)
				s := srcOpen(t, dir, m.mode)
				ch, cancel := s.Subscribe()
				defer cancel()

				done := make(chan struct{})
				errs := make(chan error, writers)
				for w := range writers {
					go func() {
						for k := range saves {
							i := (w*7919 + k*31) % files // each writer its own files at a time
							if i%writers != w {
								i = i - i%writers + w
								if i >= files {
									i -= writers
								}
							}
							id := fmt.Sprintf("b%03d", i)
							p := filepath.Join(dir, fmt.Sprintf("f%d", i%7), id+".md")
							content := srcBriefing(id, fmt.Sprintf("w%dk%d", w, k))
							var err error
							if inPlace { // in two writes, a moment apart: a reader may see half
								err = writeSlowly(p, content, time.Duration(k%4)*time.Millisecond)
							} else {
								tmp := []string{p + ".tmp", p + "~", filepath.Join(filepath.Dir(p), "."+id+".md.swp")}[k%3]
								if err = os.WriteFile(tmp, []byte(content), 0o644); err == nil {
									err = os.Rename(tmp, p)
								}
							}
							if err != nil {
								errs <- err
								return
							}
							time.Sleep(time.Duration(k%6) * time.Millisecond)
						}
						errs <- nil
					}()
				}
				go func() {
					for range writers {
						if err := <-errs; err != nil {
							t.Error(err)
						}
					}
					close(done)
				}()

				checked, broken := 0, 0
				check := func(c *store.Corpus) {
					checked++
					if c.Errors() > 0 {
						broken++
					}
					if got := ids(c); !reflect.DeepEqual(got, want) {
						t.Fatalf("snapshot %d holds %d briefings, want each of the %d once: %v", c.Generation(), len(got), len(want), diff(got, want))
					}
					if c.Seen() != files || c.Rejected() != 0 {
						t.Fatalf("snapshot %d: seen %d, rejected %d", c.Generation(), c.Seen(), c.Rejected())
					}
					for _, b := range c.Briefings() {
						if !inPlace && (c.Kept(b) || c.Errors() > 0) {
							t.Fatalf("snapshot %d: a rename is atomic, yet %s looked broken: %v", c.Generation(), b.ID, c.Problems())
						}
					}
					for _, b := range c.Briefings() {
						body, _, err := c.Body(b)
						if errors.Is(err, store.ErrChanged) || errors.Is(err, store.ErrNoLongerLoads) {
							continue
						}
						version := strings.TrimPrefix(b.Title, b.ID+" ")
						if err != nil || !strings.Contains(body, "body "+b.ID+" "+version+"\n") {
							t.Fatalf("snapshot %d: %s titled %q has the body %q (%v): versions mixed", c.Generation(), b.ID, b.Title, body, err)
						}
					}
				}
			loop:
				for {
					select {
					case c := <-ch:
						check(c)
					case <-done:
						break loop
					}
				}
				// Every file's last version must show, and nothing else.
				fresh := qaLoad(t, store.Dir(dir), store.Options{Name: "test", Registry: qaRegistry(t)})
				last := s.Current() // which the loop may have taken already
				if !reflect.DeepEqual(summary(last), summary(fresh)) {
					last = waitFor(t, ch, "the last versions", func(c *store.Corpus) bool {
						check(c)
						return reflect.DeepEqual(summary(c), summary(fresh))
					})
				}
				if last.Errors() != 0 {
					t.Errorf("problems left: %v", last.Problems())
				}
				walks, reads, snapshots := store.SourceStats(s)
				t.Logf("%d saves: %d snapshots checked of %d made (%d with a file caught half written), %d walks, %d files read (%s)", writers*saves, checked, snapshots, broken, walks, reads, s.Watch())
			})
		}
	}
}

// diff names what two sorted lists do not share.
func diff(got, want []string) string {
	var missing, extra []string
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	seen := map[string]int{}
	for _, g := range got {
		seen[g]++
		if !slices.Contains(want, g) || seen[g] == 2 {
			extra = append(extra, g)
		}
	}
	return fmt.Sprintf("missing %v, extra or twice %v", missing, extra)
}

// writeSlowly writes a file in place in two halves, pause apart.
func writeSlowly(path, content string, pause time.Duration) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	half := len(content) / 2
	if _, err := f.WriteString(content[:half]); err != nil {
		f.Close()
		return err
	}
	time.Sleep(pause)
	if _, err := f.WriteString(content[half:]); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// TestSourceSearchFollowsChanges: once a reader has built the free-text
// index, each new snapshot gets its own in the background, from the last
// one, and it finds what the files say now: a body edited, a file added,
// a file removed. The index saved beside the cache agrees, for the next
// run.
func TestSourceSearchFollowsChanges(t *testing.T) {
	dir := t.TempDir()
	briefing := func(id, body string) string {
		return "---\nid: " + id + "\ntitle: " + id + "\ndate: 2024-01-02\nofficials: [tokayev]\n---\n\n" + body + "\n"
	}
	write(t, filepath.Join(dir, "a.md"), briefing("a", "The railway opened."))
	write(t, filepath.Join(dir, "b.md"), briefing("b", "A wombat appeared."))
	write(t, filepath.Join(dir, "c.md"), briefing("c", "Nothing much."))
	cachePath := filepath.Join(t.TempDir(), "index")
	s, err := store.Open(store.Dir(dir), store.OpenOptions{
		Options: store.Options{Name: "test", Registry: qaRegistry(t), CachePath: cachePath},
		Settle:  20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ch, cancel := s.Subscribe()
	defer cancel()
	first := s.Current()
	if first.SearchReady() {
		t.Fatal("the index is ready before anyone asked for it")
	}
	first.PrepareSearch()
	if got := hitIDs(first.Search(store.Query{Text: "railway"})); !reflect.DeepEqual(got, []string{"a"}) {
		t.Fatalf("railway: %v", got)
	}

	write(t, filepath.Join(dir, "a.md"), briefing("a", "The zeppelin landed.")) // the body alone
	write(t, filepath.Join(dir, "new.md"), briefing("new", "A quokka smiled."))
	mustDo(t, os.Remove(filepath.Join(dir, "b.md")))
	c := waitFor(t, ch, "the three changes", func(c *store.Corpus) bool {
		return reflect.DeepEqual(ids(c), []string{"a", "c", "new"}) && c.ByID("a") != first.ByID("a")
	})
	deadline := time.Now().Add(snapshotWait)
	for !c.SearchReady() && s.Current() == c && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // built in the background; nobody asks
	}
	if s.Current() == c && !c.SearchReady() {
		t.Error("the new snapshot's index was not built in the background")
	}
	check := func(name string, c *store.Corpus) {
		t.Helper()
		for q, want := range map[string][]string{
			"zeppelin": {"a"}, "railway": nil, "quokka": {"new"}, "wombat": nil, "nothing": {"c"},
		} {
			if got := hitIDs(c.Search(store.Query{Text: q})); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %q finds %v, want %v", name, q, got, want)
			}
		}
		if ps := c.SearchProblems(); len(ps) > 0 {
			t.Errorf("%s: search problems %v", name, ps)
		}
	}
	check("the new snapshot", c)
	// The first snapshot still answers for itself.
	if got := hitIDs(first.Search(store.Query{Text: "railway"})); !reflect.DeepEqual(got, []string{"a"}) {
		t.Errorf("the old snapshot: railway finds %v", got)
	}
	s.Close()
	next, err := store.Load(store.Dir(dir), store.Options{Name: "test", Registry: qaRegistry(t), CachePath: cachePath})
	if err != nil {
		t.Fatal(err)
	}
	check("the next run, from the saved index", next)
}

// TestSourceWatchesAFolderThatCameBack: with notifications, a folder
// moved away and back is found again, and watched again.
func TestSourceWatchesAFolderThatCameBack(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "briefs")
	write(t, filepath.Join(dir, "a.md"), srcBriefing("a", "v1"))
	s := srcOpen(t, dir, store.WatchAuto)
	if !s.Watch().Notify || s.Watch().Poll != 0 {
		t.Skipf("no notifications here: %s", s.Watch())
	}
	ch, cancel := s.Subscribe()
	defer cancel()
	mustDo(t, os.Rename(dir, dir+"-away"))
	c := waitFor(t, ch, "the folder gone", func(c *store.Corpus) bool { return hasProblem(c, "test", "cannot read") })
	if c.ByID("a") == nil {
		t.Error("the briefings went with the folder")
	}
	mustDo(t, os.Rename(dir+"-away", dir))
	write(t, filepath.Join(dir, "b.md"), srcBriefing("b", "v1"))
	waitFor(t, ch, "the folder back", func(c *store.Corpus) bool { return c.Errors() == 0 && c.ByID("b") != nil })
	for deadline := time.Now().Add(snapshotWait); s.Watch().Poll != 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if w := s.Watch(); !w.Notify || w.Poll != 0 {
		t.Errorf("still %s", w)
	}
	walks, _, _ := store.SourceStats(s) // the loop stops polling before its next look at anything

	write(t, filepath.Join(dir, "c.md"), srcBriefing("c", "v1"))
	waitFor(t, ch, "a change seen by notifications again", func(c *store.Corpus) bool { return c.ByID("c") != nil })
	if after, _, _ := store.SourceStats(s); after != walks {
		t.Errorf("%d walks to see a new file: notifications do not serve", after-walks)
	}
}

// TestSourceSavesItsCacheWhenAsked: a reader that quits right after the
// first load has the index cache written before it goes (the source
// otherwise waits a second after the last change), so that its next
// start reads the cache rather than every file; first without and then
// with the first screen streamed. Once the source is closed, asking
// again returns at once.
func TestSourceSavesItsCacheWhenAsked(t *testing.T) {
	for _, firstScreen := range []int{0, 1} {
		dir := t.TempDir()
		for _, id := range []string{"a", "b", "c"} {
			write(t, filepath.Join(dir, id+".md"), srcBriefing(id, "v1"))
		}
		cachePath := filepath.Join(t.TempDir(), "index")
		s, err := store.Open(store.Dir(dir), store.OpenOptions{
			Options:     store.Options{Name: "test", Registry: qaRegistry(t), CachePath: cachePath},
			FirstScreen: firstScreen,
		})
		if err != nil {
			t.Fatal(err)
		}
		for s.Current().Partial() {
			time.Sleep(time.Millisecond) // the rest streams in
		}
		s.SaveCache()
		if _, err := os.Stat(cachePath); err != nil {
			t.Errorf("first screen %d: no index cache once asked: %v", firstScreen, err)
		}
		s.Close()
		s.SaveCache() // returns: nothing left to do it
		c, err := store.Load(store.Dir(dir), store.Options{Name: "test", Registry: qaRegistry(t), CachePath: cachePath})
		if err != nil || len(c.Briefings()) != 3 {
			t.Fatalf("the next load: %v, %d briefings", err, len(c.Briefings()))
		}
	}
}
