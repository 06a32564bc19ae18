package tui

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/brief-tools/brief/readstate"
	"github.com/brief-tools/brief/render/dossier"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/x/ansi"
)

// withState gives a reader on c with its state in path, the state ready.
func withState(t *testing.T, c *store.Corpus, path string, w, h int) (Model, *readstate.Store) {
	t.Helper()
	st, err := readstate.OpenFile(path, readstate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	m := New(Config{Corpus: c, Renderer: plainRenderer(), Dark: true,
		State: func() (*readstate.Store, error) { return st, nil }})
	m = runCmds(sized(m, w, h), m.Init())
	if !m.ctx.state.ready(c) {
		t.Fatal("the state is not ready")
	}
	return m, st
}

func TestReadAndUnread(t *testing.T) {
	c := builtin(t)
	m, _ := withState(t, c, filepath.Join(t.TempDir(), "s.state"), 100, 24)
	if !strings.Contains(m.View(), "6 unread") {
		t.Fatalf("no unread count:\n%s", m.View())
	}
	if n := strings.Count(ansi.Strip(m.View()), "•"); n != 6 {
		t.Errorf("%d events marked unread, want 6:\n%s", n, m.View())
	}
	m = do(m, "enter", "esc")
	if !strings.Contains(m.View(), "5 unread") || strings.Count(ansi.Strip(m.View()), "•") != 5 {
		t.Errorf("after reading one:\n%s", m.View())
	}
	// What was first seen in this visit is new; N shows only that.
	m = do(m, "N")
	tl := top[*timelineView](t, m)
	if tl.results.Len() != 6 || !strings.Contains(m.View(), "new since last visit") {
		t.Errorf("N: %d results:\n%s", tl.results.Len(), m.View())
	}
}

func TestMarksWithNotes(t *testing.T) {
	c := builtin(t)
	path := filepath.Join(t.TempDir(), "s.state")
	m, st := withState(t, c, path, 100, 24)
	m = do(m, "j", "m", "ask about the railway", "enter")
	second := newBuiltinOrder(c)[1]
	if s := st.Status(second, m.ctx.state.hash[second], m.ctx.state.since); !s.Marked || s.Note != "ask about the railway" {
		t.Fatalf("status %+v", s)
	}
	if !strings.Contains(ansi.Strip(m.View()), "★") {
		t.Errorf("the mark is not shown:\n%s", m.View())
	}
	m = do(m, "M")
	if tl := top[*timelineView](t, m); tl.results.Len() != 1 || tl.results.At(0).ID != second {
		t.Errorf("M: %d results", tl.results.Len())
	}
	m = do(m, "enter")
	if !strings.Contains(m.View(), "★") || !strings.Contains(m.View(), "ask about the railway") {
		t.Errorf("the open briefing does not show its mark and note:\n%s", m.View())
	}
	m = do(m, "m") // unmark
	if s := st.Status(second, m.ctx.state.hash[second], m.ctx.state.since); s.Marked {
		t.Errorf("still marked after m on a marked briefing")
	}
	// The marks outlast the reader: another run reads them from the file.
	_ = st.Flush()
	m2, _ := withState(t, c, path, 100, 24)
	if tl := top[*timelineView](t, do(m2, "M")); tl.results.Len() != 0 {
		t.Errorf("an unmarked briefing came back marked")
	}
}

func TestReadingPositionOutlastsTheReader(t *testing.T) {
	c := wideBody(t)
	path := filepath.Join(t.TempDir(), "s.state")
	m, st := withState(t, c, path, 80, 20)
	m = do(m, "enter", "ctrl+d", "ctrl+d")
	was := top[*briefingView](t, m).vp.YOffset
	_, cmd := m.Update(keyMsg("q"))
	if cmd == nil {
		t.Fatal("q does not quit")
	}
	_ = st.Flush()
	m2, _ := withState(t, c, path, 80, 20)
	m2 = do(m2, "enter")
	if got := top[*briefingView](t, m2).vp.YOffset; got != was || was == 0 {
		t.Errorf("the next run opens at line %d; the last one left at %d", got, was)
	}
}

func TestExportWhatIsOnScreen(t *testing.T) {
	var got dossier.Dossier
	m := New(Config{Corpus: builtin(t), Renderer: plainRenderer(), Dark: true,
		Export: func(d dossier.Dossier) (string, error) { got = d; return "/tmp/x.html", nil }})
	m = sized(m, 80, 24)
	m = do(m, "o", "saidov", "enter", "e")
	if len(got.Entries) != 1 || len(got.Selection) != 1 || !strings.Contains(got.Selection[0], "Saidov") {
		t.Errorf("exported %d entries, selection %q", len(got.Entries), got.Selection)
	}
	if !strings.Contains(m.View(), "written to /tmp/x.html") {
		t.Errorf("not told where:\n%s", m.View())
	}
	// Without an export (over SSH), e is not offered.
	m = do(newModel(builtin(t), 120, 60), "?")
	if strings.Contains(m.View(), "export") {
		t.Errorf("help offers an export that is not there")
	}
}

func TestMarksOnCards(t *testing.T) {
	m, _ := withState(t, builtin(t), filepath.Join(t.TempDir(), "s.state"), 100, 30)
	m = do(m, "m", "for Tuesday", "enter", "c")
	if !strings.Contains(m.View(), "★ marked: for Tuesday") {
		t.Errorf("the card does not show the mark:\n%s", m.View())
	}
	checkScreen(t, m.View(), 100, 30)
}
