package server

import (
	"io"
	"testing"
	"time"

	"github.com/brief-tools/brief/tui"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// readerFrames gives the frames a reader draws at 80x24 for each key of
// the load benchmark's reader (open the newest briefing, page down and up
// in turn): for each key, the frame after it and after each message its
// commands send.
func readerFrames(b *testing.B, ts *testServer) [][]string {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	var m tea.Model = tui.New(tui.Config{Corpus: ts.srv.corpus, Renderer: r, Dark: true})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	var frames [][]string
	var run func(msg tea.Msg, key *[]string)
	run = func(msg tea.Msg, key *[]string) {
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		*key = append(*key, m.View())
		if cmd == nil {
			return
		}
		switch next := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range next {
				if c != nil {
					if msg := c(); msg != nil {
						run(msg, key)
					}
				}
			}
		default:
			run(next, key)
		}
	}
	first := []string{m.View()}
	frames = append(frames, first)
	keys := []tea.KeyMsg{{Type: tea.KeyEnter}}
	for i := range pages {
		keys = append(keys, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(pageKey(i))})
	}
	for _, k := range keys {
		var key []string
		run(k, &key)
		frames = append(frames, key)
	}
	return frames
}

// frameModel shows the frame it was last sent.
type frameModel string

func (m frameModel) Init() tea.Cmd { return nil }
func (m frameModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if f, ok := msg.(frameModel); ok {
		return f, nil
	}
	return m, nil
}
func (m frameModel) View() string { return string(m) }

// settleOutput waits for output beyond n, then until it has been quiet for a
// few frames.
func settleOutput(out *syncBuffer, n int) {
	out.waitBeyond(n, 5*time.Second)
	for out.waitBeyond(out.Len(), 4*frameInterval) {
	}
}

// BenchmarkScreenBytes counts the bytes a reader's keys cost at a
// reader's pace, drawn by the session's display and by Bubble Tea's
// standard renderer (60 frames a second: at a reader's pace it draws each
// key's last frame), for the keys of the load benchmark's reader:
//
//	go test -run '^$' -bench ScreenBytes -benchtime 1x -count 3 ./server/
func BenchmarkScreenBytes(b *testing.B) {
	ts := start(b, nil)
	frames := readerFrames(b, ts)
	keys := len(frames) - 1
	for b.Loop() {
		// The display, as a session drives it: every frame as it comes.
		var shown syncBuffer
		d := &display{out: &shown}
		d.resize(80, 24)
		d.show(frames[0][len(frames[0])-1])
		settleOutput(&shown, 0)
		opened := shown.Len()
		for _, key := range frames[1:] {
			before := shown.Len()
			for _, f := range key {
				d.show(f)
			}
			settleOutput(&shown, before)
		}
		d.stop()
		display := shown.Len() - opened

		// Bubble Tea's renderer, in the alternate screen.
		var drawn syncBuffer
		p := tea.NewProgram(frameModel(""), tea.WithOutput(&drawn), tea.WithInput(nil),
			tea.WithoutSignalHandler(), tea.WithAltScreen())
		done := make(chan struct{})
		go func() { _, _ = p.Run(); close(done) }()
		p.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
		p.Send(frameModel(frames[0][len(frames[0])-1]))
		settleOutput(&drawn, 0)
		opened = drawn.Len()
		for _, key := range frames[1:] {
			before := drawn.Len()
			p.Send(frameModel(key[len(key)-1]))
			settleOutput(&drawn, before)
		}
		bubbletea := drawn.Len() - opened
		p.Quit()
		<-done

		b.ReportMetric(float64(display)/float64(keys), "display-bytes/key")
		b.ReportMetric(float64(bubbletea)/float64(keys), "bubbletea-bytes/key")
		b.ReportMetric(float64(display)/float64(bubbletea), "display/bubbletea")
		n := 0
		for _, k := range frames[1:] {
			n += len(k)
		}
		b.Logf("%d keys, %d frames: display %d bytes, Bubble Tea %d", keys, n, display, bubbletea)
	}
}

// BenchmarkScreenDraw is the CPU a frame costs the display: the reader's
// frames of the load benchmark, page after page, drawn in turn.
//
//	go test -run '^$' -bench ScreenDraw -count 3 ./server/
func BenchmarkScreenDraw(b *testing.B) {
	ts := start(b, nil)
	var frames []string
	for _, key := range readerFrames(b, ts) {
		frames = append(frames, key[len(key)-1])
	}
	d := &display{out: io.Discard}
	d.resize(80, 24)
	i := 0
	for b.Loop() {
		d.mu.Lock()
		d.draw(frames[i%len(frames)])
		d.mu.Unlock()
		i++
	}
}
