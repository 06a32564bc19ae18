package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// streamingSource opens a source on n generated briefings that streams
// its first load, the files after the first free held back until the
// gate is released.
func streamingSource(t *testing.T, n, free int) (*store.CorpusSource, *storetest.Gate) {
	t.Helper()
	dir := t.TempDir()
	if err := storetest.Write(dir, storetest.Options{Briefings: n, Seed: 5, Folders: 3}); err != nil {
		t.Fatal(err)
	}
	gate := storetest.NewGate(dir, free)
	src, err := store.Open(gate, store.OpenOptions{Options: store.Options{Name: "desk"}, Watch: store.WatchNone, FirstScreen: 40})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		gate.Release()
		_ = src.Close()
	})
	return src, gate
}

// untilComplete runs what the reader starts (snapshots, queries in the
// background) until the complete snapshot is shown and nothing is
// pending in the timeline.
func untilComplete(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	msgs := make(chan tea.Msg, 64)
	run := func(c tea.Cmd) {
		if c != nil {
			go func() { msgs <- c() }()
		}
	}
	run(cmd)
	settled := func() bool {
		tl, ok := m.stack[0].(*timelineView)
		return !m.ctx.corpus.Partial() && ok && !tl.pending
	}
	deadline := time.After(10 * time.Second)
	for !settled() {
		select {
		case msg := <-msgs:
			switch msg := msg.(type) {
			case tea.BatchMsg:
				for _, c := range msg {
					run(c)
				}
			case nil:
			default:
				next, more := m.Update(msg)
				m = next.(Model)
				run(more)
			}
		case <-deadline:
			t.Fatal("the load did not end within 10 s")
		}
	}
	return m
}

func TestStreamingFirstLoad(t *testing.T) {
	const n, free = 240, 60
	cases := []struct {
		name string
		keys func(t *testing.T, m Model) []string
		// check looks at the reader with every briefing in; before is the
		// timeline as the keys left it on the partial snapshot.
		check func(t *testing.T, m Model, before timelineView, found []*store.Briefing)
	}{
		{"untouched, the selection is the top as the list fills", nil, func(t *testing.T, m Model, _ timelineView, _ []*store.Briefing) {
			tl := top[*timelineView](t, m)
			all := m.ctx.corpus.Briefings()
			if tl.cursor != 0 || tl.selected != all[len(all)-1].ID {
				t.Errorf("cursor %d on %q; want the top, the newest %q", tl.cursor, tl.selected, all[len(all)-1].ID)
			}
		}},
		{"moved, the selection stays on its event and its line", func(*testing.T, Model) []string { return []string{"j", "j", "j"} }, func(t *testing.T, m Model, before timelineView, found []*store.Briefing) {
			tl := top[*timelineView](t, m)
			if tl.selected != before.selected || tl.current() == nil || tl.current().ID != before.selected {
				t.Errorf("the selection moved from %q to %q", before.selected, tl.selected)
			}
			if line, was := tl.cursor-tl.offset, before.cursor-before.offset; line != was {
				t.Errorf("the selected row moved from line %d to line %d of the list", was, line)
			}
			if tl.cursor == before.cursor {
				t.Errorf("no newer event came above the selection (cursor %d): the test shows nothing", tl.cursor)
			}
		}},
		{"an official picked while loading filters what is loaded, then everything", func(t *testing.T, m Model) []string {
			o := m.ctx.corpus.Briefings()[0].Officials[0].Official
			if o == nil {
				t.Fatal("the first briefing's official is not in the registry")
			}
			return []string{"o", o.Name, "enter"}
		}, func(t *testing.T, m Model, before timelineView, found []*store.Briefing) {
			tl := top[*timelineView](t, m)
			o := m.ctx.corpus.Registry().Lookup(before.filters[0].value)
			want := m.ctx.corpus.Query(store.Query{Official: o})
			if tl.results.Len() != len(want) || len(want) <= len(found) {
				t.Errorf("%d results, %d before all was loaded; the corpus has %d", tl.results.Len(), len(found), len(want))
			}
		}},
		{"a text filter typed while loading finds in what is loaded, then everything", func(t *testing.T, m Model) []string {
			return []string{"/", "cooperation"}
		}, func(t *testing.T, m Model, before timelineView, found []*store.Briefing) {
			tl := top[*timelineView](t, m)
			want := m.ctx.corpus.Search(store.Query{Text: "cooperation"})
			if tl.results.Len() != len(want) || len(want) <= len(found) {
				t.Errorf("%d results, %d before all was loaded; the corpus has %d", tl.results.Len(), len(found), len(want))
			}
			for _, b := range found {
				if m.ctx.corpus.ByID(b.ID) != b {
					t.Errorf("%s was found while loading, as the complete snapshot does not hold it", b.ID)
				}
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src, gate := streamingSource(t, n, free)
			m, cmd := followed(t, src, 100, 30)
			c := m.ctx.corpus
			if !c.Partial() {
				t.Fatal("the reader did not start on a partial snapshot")
			}
			screen := ansi.Strip(m.View())
			loading := fmt.Sprintf("loading… %d of %d", len(c.Briefings()), n)
			if !strings.Contains(screen, loading) || !strings.Contains(screen, "▌") {
				t.Fatalf("no rows, or no %q, while loading:\n%s", loading, screen)
			}
			if tc.keys != nil {
				m = do(m, tc.keys(t, m)...)
			}
			if tl := top[*timelineView](t, m); tl.pending {
				t.Fatal("a query on the partial snapshot did not answer")
			}
			before := *top[*timelineView](t, m)
			found := before.results.Briefings() // before the results are given back for reuse
			gate.Release()
			m = untilComplete(t, m, cmd)
			screen = ansi.Strip(m.View())
			if strings.Contains(screen, "loading") {
				t.Errorf("still says loading with every briefing in:\n%s", screen)
			}
			if got := len(m.ctx.corpus.Briefings()); got != n {
				t.Fatalf("the reader ends with %d of %d briefings", got, n)
			}
			tc.check(t, m, before, found)
		})
	}
}

// TestStreamingEndsWithEveryBriefing follows a streamed load to the end
// with no filter: the timeline lists every briefing, newest first.
func TestStreamingEndsWithEveryBriefing(t *testing.T) {
	const n = 240
	src, gate := streamingSource(t, n, 60)
	m, cmd := followed(t, src, 80, 24)
	gate.Release()
	m = untilComplete(t, m, cmd)
	tl := top[*timelineView](t, m)
	all := slices.Clone(m.ctx.corpus.Briefings())
	slices.Reverse(all)
	if !slices.Equal(tl.results.Briefings(), all) {
		t.Errorf("the timeline lists %d briefings, not the %d of the folder newest first", tl.results.Len(), n)
	}
	if !strings.Contains(ansi.Strip(m.View()), fmt.Sprintf("1 of %d", n)) {
		t.Errorf("the header does not count every briefing:\n%s", ansi.Strip(m.View()))
	}
}

// TestStreamingMissesNoSnapshot starts the reader on a partial snapshot
// that the source has replaced with the complete one before the reader
// subscribed: the reader shows the complete one, not the partial one
// forever.
func TestStreamingMissesNoSnapshot(t *testing.T) {
	src, gate := streamingSource(t, 240, 60)
	partial := src.Current()
	gate.Release()
	for i := 0; src.Current().Partial(); i++ {
		if i > 5000 {
			t.Fatal("no complete snapshot within 5 s")
		}
		time.Sleep(time.Millisecond)
	}
	m := sized(New(Config{Renderer: plainRenderer(), Dark: true}), 80, 24)
	next, _ := m.Update(loadedMsg{corpus: partial, source: src})
	m = next.(Model)
	if m.ctx.corpus.Partial() || len(m.ctx.corpus.Briefings()) != 240 {
		t.Errorf("the reader shows %d briefings (partial %v), not the complete snapshot", len(m.ctx.corpus.Briefings()), m.ctx.corpus.Partial())
	}
}

// TestStreamingRunsOneTextQueryAtATime types a text filter on a partial
// snapshot, its query still running when the next partial snapshot comes:
// the reader waits for that answer, shows it, then asks again of the
// newest snapshot, instead of starting a query (an index of every body
// loaded) for each snapshot.
func TestStreamingRunsOneTextQueryAtATime(t *testing.T) {
	src, gate := streamingSource(t, 240, 60)
	m, _ := followed(t, src, 100, 30)
	first := m.ctx.corpus
	next, query := m.Update(keyMsg("/"))
	m = next.(Model)
	next, query = m.Update(keyMsg("cooperation"))
	m = next.(Model)
	if tl := top[*timelineView](t, m); !tl.pending || query == nil {
		t.Fatal("the text query on the partial snapshot did not go to the background")
	}
	gate.Free(120)
	var second *store.Corpus
	for i := 0; ; i++ {
		if c := src.Current(); c.Partial() && len(c.Briefings()) > len(first.Briefings()) {
			second = c
			break
		}
		if i > 5000 {
			t.Fatal("no second partial snapshot within 5 s")
		}
		time.Sleep(time.Millisecond)
	}
	next, again := m.Update(CorpusMsg{second})
	m = next.(Model)
	if again != nil {
		if _, ok := again().(resultsMsg); ok {
			t.Fatal("a second query started while the first was running")
		}
	}
	// The first query answers: shown, and asked again of the newer one.
	var found tea.Msg
	for _, msg := range batchMsgs(query) {
		if r, ok := msg.(resultsMsg); ok {
			found = r
		}
	}
	if found == nil {
		t.Fatal("the first query gave no results")
	}
	next, again = m.Update(found)
	m = next.(Model)
	tl := top[*timelineView](t, m)
	if tl.results.Len() == 0 || !tl.pending {
		t.Fatalf("%d results shown, pending %v: the first answer is not shown, or not asked again", tl.results.Len(), tl.pending)
	}
	var last resultsMsg
	for _, msg := range batchMsgs(again) {
		if r, ok := msg.(resultsMsg); ok {
			last = r
		}
	}
	if last.corpus != second {
		t.Fatalf("the query was asked again of %p, not the newest snapshot %p", last.corpus, second)
	}
	next, _ = m.Update(last)
	tl = top[*timelineView](t, next.(Model))
	if want := second.Search(store.Query{Text: "cooperation"}); tl.results.Len() != len(want) {
		t.Errorf("%d results; the newer snapshot has %d", tl.results.Len(), len(want))
	}
}

// batchMsgs runs cmd, and the commands of a batch it gives, and gives
// their messages.
func batchMsgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, batchMsgs(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}
