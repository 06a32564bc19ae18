package tui

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
)

// builtin loads the built-in corpus.
func builtin(t testing.TB) *store.Corpus { return storetest.Builtin(t) }

// fixture loads a small corpus with links, an unregistered official and a
// file that cannot be loaded.
func fixture(t testing.TB) *store.Corpus {
	t.Helper()
	reg, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	fsys := fstest.MapFS{
		"a.md": {Data: []byte(`---
id: linked
title: Talks with links
date: 2025-03-04
kind: talks
location: Astana
officials: [saidov, Jane Example]
topics: [trade, railways]
summary: A briefing that cites its sources with links.
figures:
  - label: Trade
    value: $4 billion
sources:
  - outlet: Kazinform
    title: Report
    url: https://example.org/report
---

The ministers talked about the [railway](https://example.org/rail) and trade.

## Railway

The railway line runs to the border. Railway freight grows.
`)},
		"b.md":   {Data: []byte("---\ntitle: Second\ndate: 2025-03\nkind: call\nofficials: [tokayev]\n---\n\nSecond body.\n")},
		"bad.md": {Data: []byte("---\ntitle: Broken\ndate: 2025-02-30\nofficials: [tokayev]\n---\n")},
	}
	c, err := store.Load(fsys, store.Options{Name: "fixture", Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// plainRenderer styles nothing, so that golden files read as text.
func plainRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// start runs the reader in a test program of the given size.
func start(t *testing.T, c *store.Corpus, w, h int) *teatest.TestModel {
	t.Helper()
	m := New(Config{Corpus: c, Renderer: plainRenderer(), Dark: true})
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
}

// send presses keys, named as in help ("enter", "esc", "j", ...); other
// text is typed.
func send(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
}

// waitFor waits until the program has drawn text.
func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return strings.Contains(ansi.Strip(string(b)), text)
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// finish quits (with ctrl+c, which works even while typing) and gives the
// final screen.
func finish(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	send(tm, "ctrl+c")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	return fm.(Model).View()
}

// checkScreen checks what every screen must be: safe, exactly the
// terminal's size, no line wider than it.
func checkScreen(t *testing.T, screen string, w, h int) {
	t.Helper()
	if err := sanitize.Check(screen); err != nil {
		t.Errorf("screen is not safe: %v", err)
	}
	lines := strings.Split(screen, "\n")
	if len(lines) != h {
		t.Errorf("screen has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got > w {
			t.Errorf("line %d is %d columns wide, over %d: %q", i+1, got, w, ansi.Strip(l))
		}
	}
}

// runCmds runs the commands an update returned, feeding their messages
// back, as the program would.
func runCmds(m Model, cmd tea.Cmd) Model {
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
			next, more := m.Update(msg)
			m = next.(Model)
			queue = append(queue, more)
		}
	}
	return m
}

// do presses keys and runs what they start.
func do(m Model, keys ...string) Model {
	for _, k := range keys {
		next, cmd := m.Update(keyMsg(k))
		m = runCmds(next.(Model), cmd)
	}
	return m
}

// builtinIndexed is the built-in corpus with its word index built, so
// that text queries answer at once (they run in the background until it
// is).
func builtinIndexed(t testing.TB) *store.Corpus {
	c := builtin(t)
	c.PrepareSearch()
	return c
}

// top gives the view on top of the stack, as its own type.
func top[V view](t *testing.T, m Model) V {
	t.Helper()
	v, ok := m.top().(V)
	if !ok {
		t.Fatalf("the top view is %T", m.top())
	}
	return v
}

// newModel gives a reader on c, sized w×h.
func newModel(c *store.Corpus, w, h int) Model {
	return sized(New(Config{Corpus: c, Renderer: plainRenderer(), Dark: true}), w, h)
}

// TestScreens drives each view through its keys and compares the final
// screen with a golden file (go test ./tui -run TestScreens -update to
// write them; review every change by eye).
func TestScreens(t *testing.T) {
	tests := []struct {
		name   string
		corpus func(testing.TB) *store.Corpus
		w, h   int
		keys   []string
		wait   string // text to wait for before quitting
	}{
		{"timeline", builtin, 80, 24, nil, "Tokayev receives"},
		{"timeline_wide_with_preview", builtin, 160, 40, []string{"j"}, "Key figures"},
		{"timeline_oldest_first", builtin, 80, 24, []string{"r"}, "Mirziyoyev's state visit"},
		{"timeline_bottom", builtin, 80, 24, []string{"G"}, "6 of 6"},
		{"timeline_compact", builtin, 40, 12, nil, "Dec 2022"},
		{"help", builtin, 80, 24, []string{"?"}, "best match"},
		{"help_smallest", builtin, 40, 12, []string{"?"}, "Keys"},
		{"picker_official", builtin, 80, 24, []string{"o"}, "Kassym-Jomart Tokayev"},
		{"picker_narrowed_by_arabic_spelling", builtin, 80, 24, []string{"o", "سايدوف"}, "Bakhtiyor"},
		{"filter_by_official", builtin, 80, 24, []string{"o", "Мирзиёев", "enter"}, "official: Shavkat Mirziyoyev"},
		{"filter_official_and_topic", builtin, 80, 24, []string{"o", "tokayev", "enter", "t", "flood", "enter"}, "topic: flood-relief"},
		{"filter_text", builtinIndexed, 80, 24, []string{"/", "birthday", "tab"}, "text: “birthday”"},
		{"filters_wrap_at_60", builtinIndexed, 60, 20, []string{"o", "tokayev", "enter", "o", "mirziyoyev", "enter", "/", "zzzz", "tab"}, "text: “zzzz”"},
		{"esc_drops_last_filter", builtinIndexed, 80, 24, []string{"o", "tokayev", "enter", "/", "state", "tab", "esc"}, "official: Kassym-Jomart Tokayev"},
		{"no_match", builtinIndexed, 80, 24, []string{"/", "zzzz", "tab"}, "No briefings match"},
		{"cards", builtin, 80, 24, []string{"c"}, "1 of 6"},
		{"cards_wide_paged", builtin, 160, 40, []string{"c", "l", "l", "l"}, "4 of 6"},
		{"cards_with_profile", builtin, 120, 40, []string{"o", "saidov", "enter", "c"}, "Also written"},
		{"reader", builtin, 80, 24, []string{"enter"}, "Norbaeva"},
		{"reader_next_event", builtin, 80, 24, []string{"enter", "]"}, "event 2 of 6"},
		{"reader_search", builtinIndexed, 80, 24, []string{"j", "enter", "/", "trade", "enter", "n"}, "match 2/"},
		{"reader_links", fixture, 80, 24, []string{"enter", "G"}, "https://example.org/report"},
		{"reader_compact", builtin, 40, 12, []string{"enter"}, "Norbaeva"},
		{"links", fixture, 80, 24, []string{"enter", "y"}, "Copy which link?"},
		{"problems", fixture, 80, 24, []string{"!"}, "could not be loaded"},
		{"problems_narrow", fixture, 40, 12, []string{"!"}, "2025-02-30"},
		{"too_small", builtin, 30, 10, nil, "Make it larger"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tm := start(t, tc.corpus(t), tc.w, tc.h)
			send(tm, tc.keys...)
			waitFor(t, tm, tc.wait)
			screen := finish(t, tm)
			checkScreen(t, screen, tc.w, tc.h)
			if !strings.Contains(ansi.Strip(screen), tc.wait) {
				t.Errorf("final screen lacks %q:\n%s", tc.wait, screen)
			}
			golden.RequireEqual(t, []byte(screen))
		})
	}
}

// TestResizeRelayout checks that every resize lays the screen out again
// at the new size, with nothing left over, in every view.
func TestResizeRelayout(t *testing.T) {
	for _, keys := range [][]string{nil, {"enter"}, {"c"}, {"o"}, {"!"}, {"?"}, {"enter", "y"}} {
		m := newModel(fixture(t), 160, 40)
		m = do(m, keys...)
		for _, size := range [][2]int{{80, 24}, {60, 20}, {120, 30}, {50, 10}, {40, 12}, {30, 10}, {100, 50}} {
			next, cmd := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m = runCmds(next.(Model), cmd)
			checkScreen(t, m.View(), size[0], size[1])
		}
	}
}

func TestFirstFrameWaitsForTheWindowSize(t *testing.T) {
	m := New(Config{Corpus: builtin(t), Renderer: plainRenderer(), Dark: true})
	if v := m.View(); v != "" {
		t.Fatalf("drew %q before knowing the window size", v)
	}
	if got := sized(m, 80, 24).View(); !strings.Contains(got, "Tokayev") {
		t.Errorf("first frame after the size arrived lacks the timeline:\n%s", got)
	}
}

func TestKeyPaths(t *testing.T) {
	c := builtin(t)
	newest := c.Briefings()[len(c.Briefings())-1]
	oldest := c.Briefings()[0]
	tests := []struct {
		name  string
		keys  []string
		check func(t *testing.T, m Model)
	}{
		{"newest first by default", nil, func(t *testing.T, m Model) {
			if tl := top[*timelineView](t, m); tl.current() != newest {
				t.Errorf("selected %s, want the newest %s", tl.selected, newest.ID)
			}
		}},
		{"r flips the order and keeps the selection", []string{"j", "j", "r"}, func(t *testing.T, m Model) {
			tl := top[*timelineView](t, m)
			if tl.results.At(0) != oldest || tl.selected != newBuiltinOrder(c)[2] {
				t.Errorf("first %s, selected %s", tl.results.At(0).ID, tl.selected)
			}
		}},
		{"j and k move", []string{"j", "j", "k"}, func(t *testing.T, m Model) {
			if tl := top[*timelineView](t, m); tl.cursor != 1 {
				t.Errorf("cursor %d, want 1", tl.cursor)
			}
		}},
		{"G and g jump to the ends", []string{"G"}, func(t *testing.T, m Model) {
			tl := top[*timelineView](t, m)
			if tl.cursor != tl.results.Len()-1 {
				t.Errorf("G: cursor %d", tl.cursor)
			}
			if tl = top[*timelineView](t, do(m, "g")); tl.cursor != 0 {
				t.Errorf("g: cursor %d", tl.cursor)
			}
		}},
		{"enter reads the selected briefing", []string{"j", "enter"}, func(t *testing.T, m Model) {
			if b := top[*briefingView](t, m); b.id != newBuiltinOrder(c)[1] || !b.ready {
				t.Errorf("reading %s, ready %v", b.id, b.ready)
			}
		}},
		{"] and [ step through events", []string{"enter", "]", "]", "["}, func(t *testing.T, m Model) {
			if b := top[*briefingView](t, m); b.id != newBuiltinOrder(c)[1] {
				t.Errorf("reading %s", b.id)
			}
		}},
		{"esc from the reader goes back to the cards it came from", []string{"c", "enter", "esc"}, func(t *testing.T, m Model) {
			top[*cardsView](t, m)
		}},
		{"! then esc then esc leaves the reader", []string{"enter", "!", "esc", "esc"}, func(t *testing.T, m Model) {
			top[*timelineView](t, m)
			if len(m.stack) != 1 {
				t.Errorf("stack of %d", len(m.stack))
			}
		}},
		{"search finds matches, n moves, N wraps back", []string{"j", "enter", "/", "trade", "enter", "n", "N", "N"}, func(t *testing.T, m Model) {
			b := top[*briefingView](t, m)
			if len(b.matches) < 2 || b.current != len(b.matches)-1 {
				t.Errorf("%d matches, current %d", len(b.matches), b.current)
			}
		}},
		{"n without a search does not leave the briefing", []string{"enter", "n"}, func(t *testing.T, m Model) {
			if b := top[*briefingView](t, m); b.id != newest.ID {
				t.Errorf("reading %s", b.id)
			}
		}},
		{"esc clears the search before leaving", []string{"enter", "/", "trade", "enter", "esc"}, func(t *testing.T, m Model) {
			if b := top[*briefingView](t, m); b.query != "" {
				t.Errorf("search %q still on", b.query)
			}
		}},
		{"esc cancels a filter being typed", []string{"/", "birthday", "esc"}, func(t *testing.T, m Model) {
			if tl := top[*timelineView](t, m); tl.results.Len() != 6 || tl.inputOpen {
				t.Errorf("%d results, input open %v", tl.results.Len(), tl.inputOpen)
			}
		}},
		{"arrows move while typing a filter, enter reads the selected", []string{"/", "tokayev", "down", "enter"}, func(t *testing.T, m Model) {
			b := top[*briefingView](t, m)
			if len(m.stack) != 2 || b.id != newBuiltinOrder(c)[1] {
				t.Errorf("reading %s", b.id)
			}
			if tl := m.stack[0].(*timelineView); tl.filters.text() != "tokayev" {
				t.Errorf("the filter was dropped: %q", tl.filters.text())
			}
		}},
		{"filters combine and esc drops the last", []string{"o", "tokayev", "enter", "t", "trade", "enter"}, func(t *testing.T, m Model) {
			tl := top[*timelineView](t, m)
			both := tl.results.Len()
			tl = top[*timelineView](t, do(m, "esc"))
			if len(tl.filters) != 1 || tl.filters[0].kind != officialFilter || tl.results.Len() <= both {
				t.Errorf("after esc: %v, %d results (was %d)", tl.filters, tl.results.Len(), both)
			}
		}},
		{"two officials combine", []string{"o", "tokayev", "enter", "o", "saidov", "enter"}, func(t *testing.T, m Model) {
			tl := top[*timelineView](t, m)
			if tl.results.Len() != 1 || !strings.HasPrefix(tl.results.At(0).ID, "2024-02-19") {
				t.Errorf("%d results", tl.results.Len())
			}
		}},
		{"q does not quit while typing", []string{"/", "q"}, func(t *testing.T, m Model) {
			if tl := top[*timelineView](t, m); tl.input.Value() != "q" {
				t.Errorf("input %q, want q typed", tl.input.Value())
			}
		}},
		{"ctrl+z does nothing where it may not suspend", []string{"ctrl+z"}, func(t *testing.T, m Model) {
			top[*timelineView](t, m)
		}},
		{"T switches the theme and says which", []string{"T"}, func(t *testing.T, m Model) {
			if m.ctx.th.Dark || !strings.Contains(m.View(), "Light theme") {
				t.Errorf("dark %v:\n%s", m.ctx.th.Dark, m.View())
			}
		}},
		{"? opens help, ? closes it", []string{"enter", "?", "?"}, func(t *testing.T, m Model) {
			top[*briefingView](t, m)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := do(newModel(c, 80, 24), tc.keys...)
			tc.check(t, m)
			checkScreen(t, m.View(), 80, 24)
		})
	}
}

// newBuiltinOrder gives the built-in briefings' ids, newest first.
func newBuiltinOrder(c *store.Corpus) []string {
	var ids []string
	for i := len(c.Briefings()) - 1; i >= 0; i-- {
		ids = append(ids, c.Briefings()[i].ID)
	}
	return ids
}

// footerOf gives the last line of a screen.
func footerOf(screen string) string {
	lines := strings.Split(screen, "\n")
	return lines[len(lines)-1]
}

func TestHelpIsAlwaysInReach(t *testing.T) {
	// At 80x24 the help line was cut before ? and q, in the reader before
	// esc; at 60x20 the ? screen itself was cut.
	for _, size := range [][2]int{{80, 24}, {60, 20}, {40, 12}} {
		for _, keys := range [][]string{nil, {"enter"}, {"c"}, {"!"}, {"enter", "/", "trade", "enter"}, {"o"}} {
			m := do(newModel(fixture(t), size[0], size[1]), keys...)
			m.status = ""
			foot := ansi.Strip(footerOf(m.View()))
			want := []string{"?", "q"}
			if _, typing := m.top().(*pickerView); typing {
				want = []string{"ctrl+c"}
			}
			if len(m.stack) > 1 {
				want = append(want, "esc")
			}
			for _, w := range want {
				if !strings.Contains(foot, w) {
					t.Errorf("%dx%d after %v: the help line %q lacks %q", size[0], size[1], keys, foot, w)
				}
			}
		}
		// The full help scrolls to its end at any size.
		m := do(newModel(fixture(t), size[0], size[1]), "?", "G")
		if !strings.Contains(m.View(), "quit") {
			t.Errorf("%dx%d: the end of the help is out of reach:\n%s", size[0], size[1], m.View())
		}
	}
}

func TestHelpListsWhatWorks(t *testing.T) {
	// ! , ctrl+u/ctrl+d, f and the picker's page keys worked but were not
	// listed; r and h/l were listed where they did nothing; esc was "drop
	// last filter" in the reader.
	helpOf := func(keys ...string) string {
		m := do(newModel(fixture(t), 120, 60), keys...)
		m = do(m, "?")
		return ansi.Strip(m.View())
	}
	for _, tc := range []struct {
		keys       []string
		has, lacks []string
	}{
		{nil, []string{"ctrl+u", "ctrl+d", "pgdn/space/f", "!", "order: newest, oldest", "drop last filter"}, []string{"←/h", "next match"}},
		{[]string{"enter"}, []string{"next match", "next event", "copy a link", "ctrl+u"}, []string{"order: newest", "drop last filter", "←/h"}},
		{[]string{"c"}, []string{"←/h", "→/l"}, []string{"order: newest", "next match"}},
	} {
		h := helpOf(tc.keys...)
		for _, s := range tc.has {
			if !strings.Contains(h, s) {
				t.Errorf("help after %v lacks %q:\n%s", tc.keys, s, h)
			}
		}
		for _, s := range tc.lacks {
			if strings.Contains(h, s) {
				t.Errorf("help after %v lists %q, which does nothing there:\n%s", tc.keys, s, h)
			}
		}
	}
}

// wideBody is a briefing whose phrases wrap differently at each width.
func wideBody(t testing.TB) *store.Corpus {
	t.Helper()
	reg, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	para := strings.Repeat("The ministers spoke of the new rail corridor to the sea and of Türkiye's part in it. ", 12)
	fsys := fstest.MapFS{"a.md": {Data: []byte("---\ntitle: Corridors\ndate: 2025-01-02\nofficials: [tokayev]\n---\n\n" + para + "\n")}}
	c, err := store.Load(fsys, store.Options{Name: "wide", Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSearchInABriefingIgnoresWrappingCaseAndAccents(t *testing.T) {
	// "rail corridor" found 0 at 80 columns and 1 at 120; /turkiye found
	// nothing where Türkiye was.
	for _, query := range []string{"rail corridor", "RAIL  Corridor", "turkiye", "türkiye's part"} {
		for _, w := range []int{40, 60, 80, 120} {
			m := do(newModel(wideBody(t), w, 30), "enter", "/")
			m = do(m, query, "enter")
			b := top[*briefingView](t, m)
			if len(b.matches) != 12 {
				t.Errorf("%q at %d columns: %d matches, want 12", query, w, len(b.matches))
			}
		}
	}
	m := do(newModel(wideBody(t), 80, 30), "enter", "/", "rail corridor", "enter", "n", "n")
	if !strings.Contains(m.View(), "match 3/12") {
		t.Errorf("the position is not shown as 3/12:\n%s", m.View())
	}
}

func TestReadingPositionSurvivesResize(t *testing.T) {
	m := do(newModel(wideBody(t), 80, 20), "enter", "ctrl+d", "ctrl+d")
	before := top[*briefingView](t, m)
	frac := before.text.offsetOf(before.vp.YOffset)
	if frac == 0 {
		t.Fatal("did not scroll")
	}
	for _, w := range []int{120, 50, 80} {
		next, cmd := m.Update(tea.WindowSizeMsg{Width: w, Height: 20})
		m = runCmds(next.(Model), cmd)
		b := top[*briefingView](t, m)
		got := b.text.offsetOf(b.vp.YOffset)
		if d := got - frac; d < -0.08 || d > 0.08 {
			t.Errorf("at %d columns the text moved from %.2f to %.2f of the way down", w, frac, got)
		}
	}
}

func TestTitlesGetTheRoomFirst(t *testing.T) {
	// At 80 columns titles got 34 characters; at 110 the preview left 19.
	c := builtin(t)
	longest := 0
	for _, b := range c.Briefings() {
		longest = max(longest, len([]rune(b.Title)))
	}
	for _, tc := range []struct{ width, want int }{{80, 45}, {110, 50}, {200, min(longest, 79)}} {
		m := newModel(c, tc.width, 24)
		tl := top[*timelineView](t, m)
		if got := tl.layout(tl.listWidth()).title; got < tc.want {
			t.Errorf("at %d columns titles get %d cells, want at least %d", tc.width, got, tc.want)
		}
	}
}

func TestNothingIsShownWithoutAWayBack(t *testing.T) {
	// Every view pushed on the stack can be left with esc.
	for _, keys := range [][]string{{"enter"}, {"c"}, {"o"}, {"t"}, {"!"}, {"?"}, {"enter", "y"}, {"enter", "!"}, {"enter", "?"}} {
		m := do(newModel(fixture(t), 80, 24), keys...)
		for range 4 {
			m = do(m, "esc")
		}
		if len(m.stack) != 1 {
			t.Errorf("after %v and esc, %d views are still stacked (top %T)", keys, len(m.stack), m.top())
		}
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m := newModel(builtin(t), 80, 24)
		_, cmd := m.Update(keyMsg(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%s does not quit", k)
		}
	}
}

func TestNoWindowTitleIsLeftBehind(t *testing.T) {
	// The terminal's title stayed "brief: <last briefing>" after quitting.
	m := newModel(builtin(t), 80, 24)
	for _, k := range []string{"enter", "]", "esc", "c", "enter"} {
		next, cmd := m.Update(keyMsg(k))
		m = next.(Model)
		for q := []tea.Cmd{cmd}; len(q) > 0; q = q[1:] {
			if q[0] == nil {
				continue
			}
			msg := q[0]()
			if strings.Contains(fmt.Sprintf("%T", msg), "WindowTitle") {
				t.Errorf("%s sets the window title", k)
			}
			if b, ok := msg.(tea.BatchMsg); ok {
				q = append(q, b...)
			}
			if msg != nil {
				m = runCmds(m, func() tea.Msg { return msg })
			}
		}
	}
}

func TestCopyALink(t *testing.T) {
	var clip bytes.Buffer
	m := sized(New(Config{Corpus: fixture(t), Renderer: plainRenderer(), Dark: true, Clipboard: &clip}), 80, 24)
	m = do(m, "enter", "y")
	l := top[*linksView](t, m)
	if len(l.links) != 2 {
		t.Fatalf("links %v", l.links)
	}
	m = do(m, "2")
	want := base64.StdEncoding.EncodeToString([]byte("https://example.org/report"))
	if got := clip.String(); !strings.HasPrefix(got, "\x1b]52;c;") || !strings.Contains(got, want) {
		t.Errorf("clipboard got %q, want an OSC 52 write of the second link", got)
	}
	if !strings.Contains(m.View(), "Copied https://example.org/report") {
		t.Errorf("no confirmation on screen:\n%s", m.View())
	}
	top[*briefingView](t, m)
}

func TestMouse(t *testing.T) {
	m := newModel(builtin(t), 80, 24)
	mouse := func(m Model, msg tea.MouseMsg) Model {
		next, cmd := m.Update(msg)
		return runCmds(next.(Model), cmd)
	}
	wheel := tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress}
	if m = mouse(m, wheel); top[*timelineView](t, m).cursor == 0 {
		t.Errorf("the wheel did not move the timeline")
	}
	click := tea.MouseMsg{Button: tea.MouseButtonLeft, Action: tea.MouseActionPress, X: 10, Y: 3} // the third event
	m = mouse(m, click)
	if tl := top[*timelineView](t, m); tl.cursor != 2 {
		t.Errorf("a click on the third row selected row %d", tl.cursor+1)
	}
	m = mouse(m, click)
	b := top[*briefingView](t, m)
	if b.id != newBuiltinOrder(builtin(t))[2] {
		t.Errorf("a double click opened %s", b.id)
	}
	if m = mouse(m, wheel); top[*briefingView](t, m).vp.YOffset == 0 {
		t.Errorf("the wheel did not scroll the briefing")
	}
}

func TestRenderedOnlyWhenOpened(t *testing.T) {
	m := newModel(builtin(t), 80, 24)
	m = do(m, "c", "l", "esc", "/", "trade", "tab")
	if n := m.ctx.renders.len(); n != 0 {
		t.Errorf("%d briefings rendered before any was opened", n)
	}
	m = do(m, "enter", "esc", "enter")
	if n := m.ctx.renders.len(); n != 1 {
		t.Errorf("%d renderings cached after opening one briefing twice, want 1", n)
	}
}

func TestLoadingFrameThenTimeline(t *testing.T) {
	c := builtin(t)
	release := make(chan struct{})
	m := New(Config{Renderer: plainRenderer(), Dark: true, Load: func() (*store.Corpus, error) {
		<-release
		return c, nil
	}})
	load := m.Init()
	if load == nil {
		t.Fatal("no command loads the corpus")
	}
	m = sized(m, 80, 24)
	checkScreen(t, m.View(), 80, 24)
	if !strings.Contains(m.View(), "Loading briefings") {
		t.Fatalf("first frame while loading:\n%s", m.View())
	}
	m = do(m, "j", "enter", "o") // keys before the corpus arrives are ignored
	close(release)
	next, cmd := m.Update(load())
	m = runCmds(next.(Model), cmd)
	if !strings.Contains(m.View(), "1 of 6") || len(m.stack) != 1 {
		t.Errorf("after loading:\n%s", m.View())
	}
}

func TestLoadErrorIsShown(t *testing.T) {
	m := New(Config{Renderer: plainRenderer(), Dark: true, Load: func() (*store.Corpus, error) {
		return nil, errors.New("briefing folder /nope: no such file or directory\x1b[2J")
	}})
	next, _ := m.Update(m.Init()())
	m = sized(next.(Model), 80, 24)
	checkScreen(t, m.View(), 80, 24)
	if !strings.Contains(m.View(), "/nope: no such file") {
		t.Errorf("error not shown:\n%s", m.View())
	}
	if _, cmd := m.Update(keyMsg("q")); cmd == nil {
		t.Errorf("q does not quit after a load error")
	}
}

func TestTooSmallSaysSoWhole(t *testing.T) {
	// At 30x10 the "too small" message was itself cut.
	m := newModel(builtin(t), 30, 10)
	screen := ansi.Strip(m.View())
	flat := strings.Join(strings.Fields(screen), " ")
	for _, w := range []string{"brief needs at least 40×12;", "this is 30×10.", "Make it larger, or press q to quit."} {
		if !strings.Contains(flat, w) {
			t.Errorf("the message lacks %q:\n%s", w, screen)
		}
	}
}

func TestProblemsAreShownWhole(t *testing.T) {
	// The reason was cut at the screen's edge with no way to read it.
	c := fixture(t)
	var reason string
	for _, p := range c.Problems() {
		if p.Severity == store.Error {
			reason = p.Message
		}
	}
	m := do(newModel(c, 40, 30), "!")
	flat := strings.Join(strings.Fields(ansi.Strip(m.View())), " ")
	if !strings.Contains(flat, strings.Join(strings.Fields(reason), " ")) {
		t.Errorf("the reason %q is not shown whole at 40 columns:\n%s", reason, m.View())
	}
}

func TestReadingPositionIsKeptWhenComingBack(t *testing.T) {
	// esc then enter on the same briefing started it from the top.
	m := do(newModel(wideBody(t), 80, 20), "enter", "ctrl+d", "ctrl+d")
	was := top[*briefingView](t, m).vp.YOffset
	if was == 0 {
		t.Fatal("did not scroll")
	}
	m = do(m, "esc", "enter")
	if got := top[*briefingView](t, m).vp.YOffset; got != was {
		t.Errorf("back at line %d, left at %d", got, was)
	}
}

func TestHyperlinksWhereTheTerminalTakesThem(t *testing.T) {
	reg, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	doc := "---\ntitle: Links\ndate: 2025-01-02\nofficials: [tokayev]\nsources:\n  - outlet: Kazinform\n    url: https://example.org/report\n---\n\n" +
		"See [the report](https://example.org/report) and [this](javascript:alert(1)).\n"
	c, err := store.Load(fstest.MapFS{"a.md": {Data: []byte(doc)}}, store.Options{Name: "x", Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	m := sized(New(Config{Corpus: c, Renderer: plainRenderer(), Dark: true, Hyperlinks: true}), 100, 40)
	m = do(m, "enter")
	screen := m.View()
	if err := sanitize.CheckWithLinks(screen); err != nil {
		t.Errorf("the screen is not safe: %v", err)
	}
	if !strings.Contains(screen, "\x1b]8;;https://example.org/report") {
		t.Errorf("no hyperlink to the report")
	}
	if strings.Contains(screen, "\x1b]8;;javascript") {
		t.Errorf("a javascript: link became a hyperlink")
	}
	// Without, none.
	m = do(sized(New(Config{Corpus: c, Renderer: plainRenderer(), Dark: true}), 100, 40), "enter")
	if strings.Contains(m.View(), "\x1b]8;") {
		t.Errorf("a hyperlink where none was asked for")
	}
}

func TestOldestFirstFromTheConfiguration(t *testing.T) {
	c := builtin(t)
	m := sized(New(Config{Corpus: c, Renderer: plainRenderer(), Dark: true, OldestFirst: true}), 80, 24)
	if tl := top[*timelineView](t, m); tl.current() != c.Briefings()[0] {
		t.Errorf("the first event is %s, not the oldest", tl.selected)
	}
}
