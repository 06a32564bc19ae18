package tui

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// searches runs the commands an update returned and gives the messages
// they bring, without feeding them back: a test decides when they arrive.
func searches(cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case nil:
		default:
			out = append(out, msg)
		}
	}
	return out
}

// feed gives the model the messages, as the program would.
func feed(m Model, msgs []tea.Msg) Model {
	for _, msg := range msgs {
		next, cmd := m.Update(msg)
		m = runCmds(next.(Model), cmd)
	}
	return m
}

// shownIDs gives the ids the timeline lists.
func shownIDs(tl *timelineView) []string {
	var ids []string
	for i := range tl.results.Len() {
		ids = append(ids, tl.results.At(i).ID)
	}
	return ids
}

// wantIDs gives the ids a search of text finds, best first.
func wantIDs(c *store.Corpus, text string) []string {
	var ids []string
	for _, h := range c.Search(store.Query{Text: text}) {
		ids = append(ids, h.Briefing.ID)
	}
	return ids
}

// TestSlowQueriesRunInTheBackground makes every text query costly enough
// to run off the event loop: a keystroke returns at once, the list shows
// what it showed, dimmed, with "searching…" in the header, until the
// query's results arrive; results of a query typed over never show,
// whichever order the searches run and end in.
func TestSlowQueriesRunInTheBackground(t *testing.T) {
	c := builtinIndexed(t)
	m := newModel(c, 100, 30)
	top[*timelineView](t, m).offLoop = -1 // every text query is slow
	m = do(m, "/")
	all := shownIDs(top[*timelineView](t, m))
	if len(all) != len(c.Briefings()) {
		t.Fatalf("%d briefings listed", len(all))
	}

	// A keystroke: the list stays, drawn as the last query's.
	next, cmdS := m.Update(keyMsg("s"))
	m = next.(Model)
	tl := top[*timelineView](t, m)
	if !tl.pending || !slices.Equal(shownIDs(tl), all) {
		t.Fatalf("while searching: pending %v, %q", tl.pending, shownIDs(tl))
	}
	if screen := m.View(); !strings.Contains(strings.SplitN(screen, "\n", 2)[0], "searching…") {
		t.Errorf("the header does not say it is searching:\n%s", screen)
	}
	// Typed over before the search ran: it finds itself stale.
	next, cmdT := m.Update(keyMsg("t"))
	m = next.(Model)
	if msgs := searches(cmdS); len(msgs) != 0 {
		t.Errorf("a query typed over brought %v", msgs)
	}
	m = feed(m, searches(cmdT))
	tl = top[*timelineView](t, m)
	if tl.pending || !slices.Equal(shownIDs(tl), wantIDs(c, "st")) {
		t.Fatalf("after st: pending %v, %q, want %q", tl.pending, shownIDs(tl), wantIDs(c, "st"))
	}

	// The next search ends before the key after it, but its results
	// arrive after that key: they are not shown.
	next, cmdA := m.Update(keyMsg("a"))
	m = next.(Model)
	msgsA := searches(cmdA)
	if len(msgsA) != 1 {
		t.Fatalf("sta brought %v", msgsA)
	}
	next, cmdT2 := m.Update(keyMsg("t"))
	m = next.(Model)
	m = feed(m, msgsA)
	tl = top[*timelineView](t, m)
	if !tl.pending || !slices.Equal(shownIDs(tl), wantIDs(c, "st")) {
		t.Fatalf("results of sta shown over stat: pending %v, %q", tl.pending, shownIDs(tl))
	}
	// Two searches run in the wrong order: only the last asked for counts.
	next, cmdE := m.Update(keyMsg("e"))
	m = next.(Model)
	m = feed(m, searches(cmdE))
	m = feed(m, searches(cmdT2))
	tl = top[*timelineView](t, m)
	if tl.pending || !slices.Equal(shownIDs(tl), wantIDs(c, "state")) {
		t.Fatalf("after state: pending %v, %q, want %q", tl.pending, shownIDs(tl), wantIDs(c, "state"))
	}
	if len(shownIDs(tl)) == 0 || len(shownIDs(tl)) == len(all) {
		t.Fatalf("state finds %q: the test needs a word that narrows", shownIDs(tl))
	}
	if tl.snippet.Text == "" {
		t.Errorf("no snippet for the selected briefing once its results came")
	}
}

// TestDimmedWhileSearching checks that rows from an earlier query look
// different from current ones.
func TestDimmedWhileSearching(t *testing.T) {
	c := builtinIndexed(t)
	m := sized(newBenchModel(c), 100, 30)
	tl := top[*timelineView](t, m)
	b := tl.results.At(1)
	cols := tl.layout(tl.listWidth())
	current := strings.Join(tl.row(b, false, cols), "\n")
	tl.pending = true
	stale := strings.Join(tl.row(b, false, cols), "\n")
	if current == stale {
		t.Errorf("a row looks the same while searching: %q", stale)
	}
}

// TestTypingMatchesAFreshSearch types a query into the timeline letter by
// letter and deletes it back, with its own Searcher keeping what it found:
// after each key the list must be what a search from scratch finds, in
// each order.
func TestTypingMatchesAFreshSearch(t *testing.T) {
	c := builtinIndexed(t)
	m := newModel(c, 100, 30)
	m = do(m, "/")
	text := `tokayev "state visit" -tashkent`
	var typed string
	check := func() {
		t.Helper()
		tl := top[*timelineView](t, m)
		if tl.pending {
			t.Fatalf("%q: still searching", typed)
		}
		want := wantIDs(c, strings.TrimSpace(typed))
		if !hasText(typed) {
			want = newBuiltinOrder(c)
		}
		if got := shownIDs(tl); !slices.Equal(got, want) {
			t.Fatalf("after typing %q: %q, want %q", typed, got, want)
		}
	}
	for _, r := range text {
		m = do(m, string(r))
		typed += string(r)
		check()
	}
	for len(typed) > 0 {
		m = do(m, "backspace")
		_, size := lastRune(typed)
		typed = typed[:len(typed)-size]
		check()
	}
}

func lastRune(s string) (rune, int) {
	r := []rune(s)
	last := r[len(r)-1]
	return last, len(string(last))
}

// TestWidthBound checks that widthBound never says less than the width
// the columns are measured with, in every script titles come in.
func TestWidthBound(t *testing.T) {
	texts := []string{
		"", "Plain ASCII title", "Тоқаев и Мирзиёев", "Tokayev’s “state visit” – Dec 2022",
		"تُوكَايِيف في أستانا", "Oʻzbekiston Respublikasi", "中文标题", "emoji 🇺🇿🇰🇿 ok", "tab\there\x1b[31m",
		"e\u0301\u0301\u0301", "한국어", "ｆｕｌｌ", "\u00ad\u200b\u200d", "٣٤٥ ۱۲۳", "ᄀᄀᄀ",
	}
	fsys := fstest.MapFS{}
	for name, data := range storetest.Files(storetest.Options{Briefings: 300, Officials: 20, Seed: 3, Realistic: true}) {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	realistic, err := store.Load(fsys, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*store.Corpus{builtin(t), realistic} {
		for _, b := range c.Briefings() {
			texts = append(texts, b.Title, b.Kind, b.Summary)
		}
	}
	for _, s := range texts {
		if bound, width := widthBound(s), ansi.StringWidth(s); bound < width {
			t.Errorf("widthBound(%q) = %d, under its width %d", s, bound, width)
		}
	}
	for r := rune(0); r < 0x1000; r++ {
		if w := ansi.StringWidth(string(r)); w > 1 {
			t.Errorf("U+%04X is %d cells wide: widthBound counts one", r, w)
		}
	}
}

// TestTypingSelectsTheBestMatch: while a text query is typed, its results
// come best first and the selection goes to the best, wherever it stood
// before (it stayed there, and at 10,000 briefings the list showed the
// thousandth result, the best ones out of sight). Once the reader moves,
// the selection is theirs until the next key; a query kept with tab before
// its results came still selects the best when they come.
func TestTypingSelectsTheBestMatch(t *testing.T) {
	c := builtinIndexed(t)
	const query = "tokayev"
	best := wantIDs(c, query)
	if len(best) < 3 {
		t.Fatalf("%q finds %q: the test needs a word found in several", query, best)
	}
	// Select, before searching, a briefing the query finds, but not first.
	last := best[len(best)-1]
	m := newModel(c, 100, 30)
	m = feed(m, []tea.Msg{selectMsg{id: last}})
	if tl := top[*timelineView](t, m); tl.selected != last {
		t.Fatalf("selected %q, want %q", tl.selected, last)
	}
	m = do(m, "/")
	for _, r := range query {
		m = do(m, string(r))
	}
	tl := top[*timelineView](t, m)
	if tl.cursor != 0 || tl.selected != best[0] {
		t.Errorf("after typing %q: selection %q at %d, want the best match %q at 0", query, tl.selected, tl.cursor, best[0])
	}
	// The reader moves: the selection stays theirs when the list comes again.
	m = do(m, "down")
	chosen := top[*timelineView](t, m).selected
	next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 31})
	m = next.(Model)
	if tl := top[*timelineView](t, m); tl.selected != chosen {
		t.Errorf("after moving: selection %q, want %q", tl.selected, chosen)
	}

	// A slow query kept with tab before its results came.
	m = newModel(c, 100, 30)
	top[*timelineView](t, m).offLoop = -1
	m = feed(m, []tea.Msg{selectMsg{id: last}})
	m = do(m, "/")
	var cmd tea.Cmd
	for _, r := range query {
		var next tea.Model
		next, cmd = m.Update(keyMsg(string(r)))
		m = next.(Model)
	}
	m = do(m, "tab")
	m = feed(m, searches(cmd))
	if tl := top[*timelineView](t, m); tl.pending || tl.cursor != 0 || tl.selected != best[0] {
		t.Errorf("kept before its results came: pending %v, selection %q at %d, want %q at 0", tl.pending, tl.selected, tl.cursor, best[0])
	}
}
