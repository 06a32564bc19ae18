package server

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// A served reader is drawn by the screen below, not by Bubble Tea's
// renderer: that one wakes 60 times a second in every session to compare
// the whole frame with the last, which with hundreds of idle readers is
// real work for nothing. The screen draws when a frame changes, and then
// only what changed, in one write: readers on slow links pay for every
// byte.
//
// A line that changed is read into cells (character, width, SGR state,
// hyperlink) and drawn from the first cell that differs, up to the last
// (when every cell before the change, and in it, has a width no terminal
// disputes: ASCII, most Latin, Greek and Cyrillic letters, CJK; not
// emoji, clusters, right-to-left letters or East Asian ambiguous ones,
// which send the line whole). Styles change with the shortest SGR from
// the pen the terminal has; trailing blanks are left out and erased (EL)
// only when the terminal shows something there; runs of blanks inside a
// line are erased in place (ECH) and stepped over (CUF). Lines are cut at
// the frame's width, and nothing is erased after a line that fills it
// (EL there erases its last character). A line with anything else in it
// (other sequences, controls) is written whole, as before. The terminal's
// pen is plain again at the end of every write.
//
// Sequences written: CUP, CR LF (above the last row only), EL, ED below,
// ECH, CUF, SGR, OSC 8. server/screen_test.go has a terminal for them.

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

// minErased is the shortest run of blanks inside a line that is erased
// and stepped over rather than written: "\x1b[8X\x1b[8C" is as long as
// eight spaces.
const minErased = 9

// display keeps what a session's terminal shows, to write only what
// changes, and no more often than every frameInterval.
type display struct {
	out io.Writer

	mu            sync.Mutex
	lines         []string // as drawn; nil: the terminal is blank
	widths        []int    // of each line as drawn; -1 when not known
	width, height int      // of the frames, once known; 0: not yet
	buf           bytes.Buffer
	last          time.Time   // when a frame was last written
	pending       string      // the latest frame, waiting for its turn
	timer         *time.Timer // set while a frame waits
	stopped       bool

	// While a frame is written: the terminal's pen and cursor.
	pen          style
	row, col     int
	cursorKnown  bool
	oldRow, line []cell  // reused between lines
	styles       []style // of the cells of the line being drawn
	sgr          sgrWriter
	penStyle     int // the pen's index in styles, or -1
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

// draw writes what differs between frame and what the terminal shows;
// s.mu is held.
func (s *display) draw(frame string) {
	s.last = time.Now()
	s.pending = ""
	lines := strings.Split(frame, "\n")
	if s.height > 0 && len(lines) > s.height {
		lines = lines[:s.height] // a line below the last row would scroll the screen
	}
	s.buf.Reset()
	s.cursorKnown = false
	if s.lines == nil {
		s.widths = s.widths[:0] // a blank terminal
	}
	for len(s.widths) < len(lines) {
		s.widths = append(s.widths, 0)
	}
	for i, l := range lines {
		old := ""
		if i < len(s.lines) {
			old = s.lines[i]
			if old == l {
				continue
			}
		}
		s.drawLine(i, old, l)
	}
	if len(s.lines) > len(lines) {
		for i := len(lines); i < len(s.lines); i++ {
			if s.lines[i] != "" {
				s.moveTo(len(lines), 0)
				s.setPen(style{})
				s.buf.WriteString("\x1b[J") // erase below
				break
			}
		}
	}
	s.setPen(style{})
	s.lines = lines
	s.widths = s.widths[:len(lines)]
	if s.buf.Len() > 0 {
		_, _ = s.out.Write(s.buf.Bytes())
		// The interval counts from when the write ends: on a slow link,
		// the frames that come while a write waits are drawn as one.
		s.last = time.Now()
	}
}

// drawLine rewrites row y, which shows old, to show line.
func (s *display) drawLine(y int, old, line string) {
	s.styles = append(s.styles[:0], style{})
	s.penStyle = -1
	var newOK bool
	s.line, newOK = parseLine(s.line[:0], &s.styles, line, s.width)
	if !newOK {
		s.drawRaw(y, line)
		s.widths[y] = -1
		return
	}
	// What the row shows: read again only when the lines have text in
	// common at either end, else its width is enough.
	oldWidth := s.widths[y]
	s.oldRow = s.oldRow[:0]
	oldCells := false
	if old != "" && sharesAnEnd(old, line) {
		var ok bool
		if s.oldRow, ok = parseLine(s.oldRow, &s.styles, old, s.width); ok {
			oldCells = true
			oldWidth = widthOf(s.oldRow)
		} else {
			s.oldRow = s.oldRow[:0]
		}
	}
	s.widths[y] = widthOf(s.line)
	// The cells both show, as long as their width is certain.
	k, col := 0, 0
	for oldCells && k < len(s.line) && k < len(s.oldRow) && s.line[k] == s.oldRow[k] && s.line[k].certain {
		col += int(s.line[k].width)
		k++
	}
	if oldCells && k == len(s.line) && k == len(s.oldRow) {
		return // the same cells, drawn differently
	}
	// The cells both end with, when they are where the terminal shows
	// them already: after cells of certain width, at the same column.
	same := 0
	for oldCells && same < len(s.line)-k && same < len(s.oldRow)-k && s.line[len(s.line)-1-same] == s.oldRow[len(s.oldRow)-1-same] {
		same++
	}
	if same > 0 && !(allCertain(s.line[k:len(s.line)-same]) && allCertain(s.oldRow[k:len(s.oldRow)-same]) &&
		widthOf(s.line[k:len(s.line)-same]) == widthOf(s.oldRow[k:len(s.oldRow)-same])) {
		same = 0
	}
	if same > 0 {
		s.moveTo(y, col)
		s.writeCells(s.line[k : len(s.line)-same])
		return
	}
	end := col
	if k < len(s.line) {
		s.moveTo(y, col)
		end += s.writeCells(s.line[k:])
		if s.width > 0 && end >= s.width {
			s.cursorKnown = false // waiting to wrap: where the next character goes differs between terminals
		}
	}
	if oldWidth < 0 && (s.width == 0 || end < s.width) || oldWidth > end {
		s.moveTo(y, end)
		if !s.pen.erases() {
			s.setPen(style{})
		}
		s.buf.WriteString("\x1b[K")
	}
}

// sharesAnEnd reports whether two lines begin or end (trailing spaces
// aside) with the same byte.
func sharesAnEnd(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a[0] == b[0] {
		return true
	}
	a, b = strings.TrimRight(a, " "), strings.TrimRight(b, " ")
	return a != "" && b != "" && a[len(a)-1] == b[len(b)-1]
}

// writeCells writes cells from the cursor and gives their width.
func (s *display) writeCells(cells []cell) int {
	end := 0
	for i := 0; i < len(cells); i++ {
		c := cells[i]
		if c.blank() {
			n := 1
			for i+n < len(cells) && cells[i+n].blank() {
				n++
			}
			if n >= minErased {
				// Blanks inside the line: erased in place (ECH), and
				// stepped over (CUF).
				if !s.pen.erases() {
					s.setPen(style{})
				}
				count := strconv.Itoa(n)
				s.buf.WriteString("\x1b[" + count + "X\x1b[" + count + "C")
				end += n
				i += n - 1
				continue
			}
		}
		if int(c.style) != s.penStyle && !(c.blank() && s.pen.erases()) {
			s.setPen(s.styles[c.style])
			s.penStyle = int(c.style)
		}
		s.buf.WriteString(c.text)
		end += int(c.width)
	}
	s.col += end
	return end
}

// drawRaw writes line whole, from the row's first column, for lines the
// display does not read cell by cell (an escape sequence other than SGR
// and hyperlinks, a control character, a character of no width).
func (s *display) drawRaw(y int, line string) {
	s.moveTo(y, 0)
	s.setPen(style{})
	if s.width > 0 {
		line = ansi.Truncate(line, s.width, "")
	}
	s.buf.WriteString(line)
	s.buf.WriteString("\x1b[m")
	if strings.Contains(line, "\x1b]8;") {
		s.buf.WriteString("\x1b]8;;\x1b\\")
	}
	if s.width == 0 || ansi.StringWidth(line) < s.width {
		s.buf.WriteString("\x1b[K") // at the last column, it would erase the last character
	}
	s.cursorKnown = false
}

// moveTo puts the cursor at row y, column x (from 0).
func (s *display) moveTo(y, x int) {
	switch {
	case s.cursorKnown && s.row == y && s.col == x:
	case s.cursorKnown && s.row+1 == y && x == 0 && y < s.height:
		s.buf.WriteString("\r\n") // a line feed above the last row: it cannot scroll
	case x == 0:
		s.buf.WriteString("\x1b[")
		s.buf.WriteString(strconv.Itoa(y + 1))
		s.buf.WriteByte('H')
	default:
		s.buf.WriteString("\x1b[")
		s.buf.WriteString(strconv.Itoa(y + 1))
		s.buf.WriteByte(';')
		s.buf.WriteString(strconv.Itoa(x + 1))
		s.buf.WriteByte('H')
	}
	s.row, s.col, s.cursorKnown = y, x, true
}

// setPen changes the terminal's pen to p, with the shortest SGR.
func (s *display) setPen(p style) {
	s.penStyle = -1
	if s.pen.link != p.link {
		s.buf.WriteString("\x1b]8;")
		if p.link == "" {
			s.buf.WriteByte(';') // no parameters, no address: the link ends
		}
		s.buf.WriteString(p.link)
		s.buf.WriteString("\x1b\\")
	}
	if s.pen.sgr != p.sgr {
		s.sgr.write(&s.buf, s.pen.sgr, p.sgr)
	}
	s.pen = p
}

// resize takes the size of the frames to come; the terminal is blanked,
// as a terminal that changed size may have reflowed what it showed.
func (s *display) resize(width, height int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.width, s.height = width, height
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
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		m.screen.resize(size.Width, size.Height)
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
