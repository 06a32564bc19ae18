package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/store"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// folder writes briefings into a new folder and opens a source on it.
func folder(t *testing.T, files map[string]string) (string, *store.CorpusSource) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reg, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	src, err := store.Open(store.Dir(dir), store.OpenOptions{Options: store.Options{Name: "desk", Registry: reg}, Settle: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = src.Close() })
	return dir, src
}

func doc(title, date, body string) string {
	return "---\ntitle: " + title + "\ndate: " + date + "\nofficials: [tokayev]\n---\n\n" + body + "\n"
}

// followed gives a reader that follows src, with its first corpus in.
func followed(t *testing.T, src *store.CorpusSource, w, h int) (Model, tea.Cmd) {
	t.Helper()
	m := New(Config{Renderer: plainRenderer(), Dark: true, Source: func() (*store.CorpusSource, error) { return src, nil }})
	m = sized(m, w, h)
	next, cmd := m.Update(m.Init()())
	return next.(Model), cmd
}

// nextSnapshot waits for the follow command in cmd to bring a snapshot
// and gives the reader that took it.
func nextSnapshot(t *testing.T, m Model, cmd tea.Cmd) (Model, tea.Cmd) {
	t.Helper()
	done := make(chan tea.Msg, 1)
	var follows []tea.Cmd
	var pick func(c tea.Cmd)
	pick = func(c tea.Cmd) {
		if c == nil {
			return
		}
		follows = append(follows, c)
	}
	pick(cmd)
	for _, c := range follows {
		go func() { done <- c() }()
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case msg := <-done:
			switch msg := msg.(type) {
			case tea.BatchMsg:
				for _, c := range msg {
					if c != nil {
						go func() { done <- c() }()
					}
				}
			case snapshotMsg:
				next, more := m.Update(msg)
				return next.(Model), more
			case nil:
			default:
				next, more := m.Update(msg)
				m = next.(Model)
				if more != nil {
					go func() { done <- more() }()
				}
			}
		case <-deadline:
			t.Fatal("no new snapshot within 5 s")
		}
	}
}

func TestEditsReachTheReader(t *testing.T) {
	dir, src := folder(t, map[string]string{
		"a.md": doc("Talks on water", "2025-01-10", "The ministers spoke of the Syr Darya."),
		"b.md": doc("A call on trade", "2025-02-20", "Trade grew."),
	})
	m, cmd := followed(t, src, 100, 30)
	m = do(m, "j") // the older one, a.md
	if tl := top[*timelineView](t, m); tl.selected != "a" {
		t.Fatalf("selected %q", tl.selected)
	}
	// Another shell edits the title and body of a.md and adds c.md.
	_ = os.WriteFile(filepath.Join(dir, "a.md"), []byte(doc("Talks on water and energy", "2025-01-10", "Now the Amu Darya too.")), 0o644)
	_ = os.WriteFile(filepath.Join(dir, "c.md"), []byte(doc("A visit", "2025-03-01", "A visit.")), 0o644)
	m, cmd = nextSnapshot(t, m, cmd)
	screen := ansi.Strip(m.View())
	if !strings.Contains(screen, "Talks on water and energy") || !strings.Contains(screen, "A visit") {
		t.Fatalf("the timeline did not change:\n%s", screen)
	}
	if tl := top[*timelineView](t, m); tl.selected != "a" {
		t.Errorf("the selection moved to %q", tl.selected)
	}
	// The open briefing takes an edit whole: title and body together.
	m = do(m, "enter")
	_ = os.WriteFile(filepath.Join(dir, "a.md"), []byte(doc("Talks on water, energy and roads", "2025-01-10", "And the roads.")), 0o644)
	m, cmd = nextSnapshot(t, m, cmd)
	screen = ansi.Strip(m.View())
	if !strings.Contains(screen, "Talks on water, energy and roads") || !strings.Contains(screen, "And the roads.") || strings.Contains(screen, "Amu Darya") {
		t.Errorf("the open briefing is not the new version whole:\n%s", screen)
	}
	// Deleted: it says so.
	_ = os.Remove(filepath.Join(dir, "a.md"))
	m, _ = nextSnapshot(t, m, cmd)
	if !strings.Contains(m.View(), "no longer in the folder") {
		t.Errorf("a deleted briefing:\n%s", m.View())
	}
	m = do(m, "esc")
	if tl := top[*timelineView](t, m); tl.results.Len() != 2 {
		t.Errorf("%d events after the deletion", tl.results.Len())
	}
}

func TestOfficialFilterSurvivesANewCorpus(t *testing.T) {
	// Swapping the corpus made the official filter silently match nothing.
	dir, src := folder(t, map[string]string{
		"a.md": doc("One", "2025-01-10", "x"),
		"b.md": "---\ntitle: Two\ndate: 2025-02-10\nofficials: [mirziyoyev]\n---\n\nx\n",
	})
	m, cmd := followed(t, src, 100, 30)
	m = do(m, "o", "tokayev", "enter")
	_ = os.WriteFile(filepath.Join(dir, "c.md"), []byte(doc("Three", "2025-03-10", "x")), 0o644)
	m, _ = nextSnapshot(t, m, cmd)
	if tl := top[*timelineView](t, m); tl.results.Len() != 2 {
		t.Errorf("the official filter finds %d events in the new corpus, want 2", tl.results.Len())
	}
}

func TestReloadByHand(t *testing.T) {
	dir, src := folder(t, map[string]string{"a.md": doc("One", "2025-01-10", "x")})
	m, _ := followed(t, src, 100, 30)
	_ = os.WriteFile(filepath.Join(dir, "b.md"), []byte(doc("Two", "2025-02-10", "y")), 0o644)
	m = do(m, "R")
	if !strings.Contains(m.View(), "Two") {
		t.Errorf("R did not show the new briefing:\n%s", m.View())
	}
}
