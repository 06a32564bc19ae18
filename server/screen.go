package server

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// A served reader is drawn by the screen below, not by Bubble Tea's
// renderer: that one wakes 60 times a second in every session to compare
// the whole frame with the last, which with hundreds of idle readers is
// real work for nothing. The screen draws when a frame changes, and then
// only the lines that changed, in one write.

// Terminal modes a reader's session runs in: the alternate screen, no
// cursor, mouse buttons and motion while pressed (SGR encoding), and
// bracketed paste.
const (
	screenStart = "\x1b[?1049h\x1b[?25l\x1b[?1002h\x1b[?1006h\x1b[?2004h\x1b[2J"
	screenEnd   = "\x1b[?2004l\x1b[?1006l\x1b[?1002l\x1b[?25h\x1b[?1049l"
)

// frameInterval is the shortest time between two frames: the frames of a
// burst of keys are drawn as one, the last.
const frameInterval = 16 * time.Millisecond

// display keeps what a session's terminal shows, to write only what
// changes, and no more often than every frameInterval.
type display struct {
	out io.Writer

	mu      sync.Mutex
	lines   []string // as drawn; nil: the terminal is blank
	buf     bytes.Buffer
	last    time.Time   // when a frame was last written
	pending string      // the latest frame, waiting for its turn
	timer   *time.Timer // set while a frame waits
	stopped bool
}

// show draws frame now, or when frameInterval has passed since the last.
func (s *display) show(frame string) {
	if frame == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	if wait := frameInterval - time.Since(s.last); wait > 0 {
		s.pending = frame
		if s.timer == nil {
			s.timer = time.AfterFunc(wait, s.drawPending)
		}
		return
	}
	s.draw(frame)
}

// drawPending draws the frame that waited.
func (s *display) drawPending() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timer = nil
	if s.pending != "" && !s.stopped {
		s.draw(s.pending)
	}
	s.pending = ""
}

// stop draws what waits, and nothing after.
func (s *display) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	if s.pending != "" && !s.stopped {
		s.draw(s.pending)
	}
	s.stopped = true
}

// draw writes the lines of frame that differ from what is shown; s.mu is
// held.
func (s *display) draw(frame string) {
	s.last = time.Now()
	lines := strings.Split(frame, "\n")
	s.buf.Reset()
	for i, l := range lines {
		if i < len(s.lines) && s.lines[i] == l {
			continue
		}
		fmt.Fprintf(&s.buf, "\x1b[%d;1H%s\x1b[0m\x1b[K", i+1, l)
	}
	for i := len(lines); i < len(s.lines); i++ {
		fmt.Fprintf(&s.buf, "\x1b[%d;1H\x1b[K", i+1)
	}
	s.lines = lines
	if s.buf.Len() > 0 {
		_, _ = s.out.Write(s.buf.Bytes())
	}
}

// clear blanks the terminal: the next frame is drawn whole.
func (s *display) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines = nil
	_, _ = io.WriteString(s.out, "\x1b[2J")
}

// screenModel draws a reader with a display; Bubble Tea runs without a
// renderer of its own.
type screenModel struct {
	inner  tea.Model
	screen *display
}

func (m screenModel) Init() tea.Cmd { return m.inner.Init() }

func (m screenModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.WindowSizeMsg); ok {
		m.screen.clear() // a terminal that changed size may have reflowed what it showed
	}
	next, cmd := m.inner.Update(msg)
	m.inner = next
	return m, cmd
}

// View draws the frame and gives Bubble Tea nothing to draw.
func (m screenModel) View() string {
	m.screen.show(m.inner.View())
	return ""
}
