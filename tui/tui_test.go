package tui

import (
	"bytes"
	"encoding/base64"
	"errors"
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
		{"timeline_bottom", builtin, 80, 24, []string{"G"}, "Dec 2021"},
		{"help", builtin, 80, 24, []string{"?"}, "flip order"},
		{"picker_official", builtin, 80, 24, []string{"o"}, "Kumar Aksakalov"},
		{"picker_narrowed_by_arabic_spelling", builtin, 80, 24, []string{"o", "سايدوف"}, "Bakhtiyor"},
		{"filter_by_official", builtin, 80, 24, []string{"o", "Мирзиёев", "enter"}, "official: Shavkat Mirziyoyev"},
		{"filter_official_and_topic", builtin, 80, 24, []string{"o", "tokayev", "enter", "t", "flood", "enter"}, "topic: flood-relief"},
		{"filter_text", builtin, 80, 24, []string{"/", "birthday", "enter"}, "text: “birthday”"},
		{"esc_drops_last_filter", builtin, 80, 24, []string{"o", "tokayev", "enter", "/", "state", "enter", "esc"}, "official: Kassym-Jomart Tokayev"},
		{"no_match", builtin, 80, 24, []string{"/", "zzzz", "enter"}, "No briefings match"},
		{"cards", builtin, 80, 24, []string{"c"}, "card 1 of 6"},
		{"cards_wide_paged", builtin, 160, 40, []string{"c", "l", "l", "l"}, "card 4 of 6"},
		{"cards_with_profile", builtin, 120, 40, []string{"o", "saidov", "enter", "c"}, "Also written"},
		{"reader", builtin, 80, 24, []string{"enter"}, "Norbaeva"},
		{"reader_next_event", builtin, 80, 24, []string{"enter", "n"}, "2/6"},
		{"reader_search", builtin, 80, 24, []string{"j", "enter", "/", "trade", "enter", "n"}, "next match"},
		{"reader_links", fixture, 80, 24, []string{"enter", "G"}, "[2] https://example.org/report"},
		{"problems", fixture, 80, 24, []string{"!"}, "could not be loaded"},
		{"too_small", builtin, 50, 15, nil, "at least 60×20"},
		{"smallest_usable", builtin, 60, 20, []string{"enter"}, "Officials"},
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
// at the new size, with nothing left over.
func TestResizeRelayout(t *testing.T) {
	m := sized(New(Config{Corpus: builtin(t), Renderer: plainRenderer(), Dark: true}), 160, 40)
	m = press(m, "enter")
	for _, size := range [][2]int{{80, 24}, {60, 20}, {120, 30}, {50, 10}, {100, 50}} {
		next, cmd := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m = runCmds(next.(Model), cmd)
		checkScreen(t, m.View(), size[0], size[1])
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
			if m.selected() != newest {
				t.Errorf("selected %s, want the newest %s", m.selected().ID, newest.ID)
			}
		}},
		{"r flips the order and goes to the top", []string{"j", "r"}, func(t *testing.T, m Model) {
			if m.selected() != oldest || m.results[len(m.results)-1] != newest {
				t.Errorf("selected %s, want the oldest %s first", m.selected().ID, oldest.ID)
			}
		}},
		{"j and k move", []string{"j", "j", "k"}, func(t *testing.T, m Model) {
			if m.cursor != 1 {
				t.Errorf("cursor %d, want 1", m.cursor)
			}
		}},
		{"arrows move", []string{"down", "down", "up"}, func(t *testing.T, m Model) {
			if m.cursor != 1 {
				t.Errorf("cursor %d, want 1", m.cursor)
			}
		}},
		{"G and g jump to the ends", []string{"G"}, func(t *testing.T, m Model) {
			if m.cursor != len(m.results)-1 {
				t.Errorf("G: cursor %d, want %d", m.cursor, len(m.results)-1)
			}
			if m = do(m, "g"); m.cursor != 0 {
				t.Errorf("g: cursor %d, want 0", m.cursor)
			}
		}},
		{"space and pgdown page", []string{" "}, func(t *testing.T, m Model) {
			if m.cursor != len(m.results)-1 { // six events fit in one page
				t.Errorf("cursor %d after a page down, want the last", m.cursor)
			}
		}},
		{"enter opens the selected briefing", []string{"j", "enter"}, func(t *testing.T, m Model) {
			if m.view != readerView || m.reader.b != m.results[1] || !m.reader.ready {
				t.Errorf("view %v briefing %v ready %v", m.view, m.reader.b, m.reader.ready)
			}
		}},
		{"n and p step through events in the reader", []string{"enter", "n", "n", "p"}, func(t *testing.T, m Model) {
			if m.reader.b != m.results[1] {
				t.Errorf("reader shows %s, want %s", m.reader.b.ID, m.results[1].ID)
			}
		}},
		{"esc in the reader goes back", []string{"c", "enter", "esc"}, func(t *testing.T, m Model) {
			if m.view != cardsView {
				t.Errorf("view %v, want the cards it was opened from", m.view)
			}
		}},
		{"search in the reader finds matches and n moves", []string{"j", "enter", "/", "trade", "enter", "n"}, func(t *testing.T, m Model) {
			if len(m.reader.matches) < 2 || m.reader.current != 1 {
				t.Errorf("%d matches, current %d", len(m.reader.matches), m.reader.current)
			}
		}},
		{"N moves back and wraps", []string{"j", "enter", "/", "trade", "enter", "N"}, func(t *testing.T, m Model) {
			if m.reader.current != len(m.reader.matches)-1 {
				t.Errorf("current %d, want the last of %d", m.reader.current, len(m.reader.matches))
			}
		}},
		{"esc clears the search before leaving", []string{"enter", "/", "trade", "enter", "esc"}, func(t *testing.T, m Model) {
			if m.view != readerView || m.reader.searching() {
				t.Errorf("view %v searching %v", m.view, m.reader.searching())
			}
		}},
		{"esc cancels a filter being typed", []string{"/", "birthday", "esc"}, func(t *testing.T, m Model) {
			if len(m.results) != 6 || m.inputMode != noInput {
				t.Errorf("%d results, input %v", len(m.results), m.inputMode)
			}
		}},
		{"filters combine and esc drops the last", []string{"o", "tokayev", "enter", "t", "trade", "enter"}, func(t *testing.T, m Model) {
			both := len(m.results)
			m = do(m, "esc")
			if m.filters.topic != "" || m.filters.person == nil || len(m.results) <= both {
				t.Errorf("after esc: topic %q person %v, %d results (was %d)", m.filters.topic, m.filters.person, len(m.results), both)
			}
		}},
		{"q does not quit while typing", []string{"/", "q"}, func(t *testing.T, m Model) {
			if m.input.Value() != "q" {
				t.Errorf("input %q, want q typed", m.input.Value())
			}
		}},
		{"ctrl+z does not suspend", []string{"ctrl+z"}, func(t *testing.T, m Model) {
			if m.view != timelineView {
				t.Errorf("view %v", m.view)
			}
		}},
		{"T switches the theme", []string{"T"}, func(t *testing.T, m Model) {
			if m.th.Dark {
				t.Errorf("still dark after T")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := sized(New(Config{Corpus: c, Renderer: plainRenderer(), Dark: true}), 80, 24)
			m = do(m, tc.keys...)
			tc.check(t, m)
			checkScreen(t, m.View(), 80, 24)
		})
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m := sized(New(Config{Corpus: builtin(t), Renderer: plainRenderer(), Dark: true}), 80, 24)
		_, cmd := m.Update(keyMsg(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%s does not quit", k)
		}
	}
}

func TestCopySourceLink(t *testing.T) {
	var clip bytes.Buffer
	m := sized(New(Config{Corpus: fixture(t), Renderer: plainRenderer(), Dark: true, Clipboard: &clip}), 80, 24)
	m = do(m, "enter", "y")
	want := base64.StdEncoding.EncodeToString([]byte("https://example.org/report"))
	if got := clip.String(); !strings.HasPrefix(got, "\x1b]52;c;") || !strings.Contains(got, want) {
		t.Errorf("clipboard got %q, want an OSC 52 write of the first source link", got)
	}
	if !strings.Contains(m.View(), "Copied https://example.org/report") {
		t.Errorf("no confirmation on screen:\n%s", m.View())
	}
}

func TestMouseWheelScrolls(t *testing.T) {
	m := sized(New(Config{Corpus: builtin(t), Renderer: plainRenderer(), Dark: true}), 80, 24)
	wheel := func(m Model, b tea.MouseButton) Model {
		next, _ := m.Update(tea.MouseMsg{Button: b, Action: tea.MouseActionPress})
		return next.(Model)
	}
	if m = wheel(m, tea.MouseButtonWheelDown); m.cursor == 0 {
		t.Errorf("wheel down did not move the timeline")
	}
	m = do(m, "g", "enter")
	if m = wheel(m, tea.MouseButtonWheelDown); m.reader.viewport.YOffset == 0 {
		t.Errorf("wheel down did not scroll the briefing")
	}
}

func TestRenderedOnlyWhenOpened(t *testing.T) {
	m := sized(New(Config{Corpus: builtin(t), Renderer: plainRenderer(), Dark: true}), 80, 24)
	m = do(m, "c", "l", "c", "/", "trade", "enter")
	if n := m.cache.len(); n != 0 {
		t.Errorf("%d briefings rendered before any was opened", n)
	}
	m = do(m, "enter", "esc", "enter")
	if n := m.cache.len(); n != 1 {
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
	if !strings.Contains(m.View(), "6 of 6") || m.view != timelineView {
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
