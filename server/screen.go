package server

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
)

// A served reader is drawn by the screen below, not by Bubble Tea's
// renderer: that one wakes 60 times a second in every session to compare
// the whole frame with the last, which with hundreds of idle readers is
// real work for nothing. The screen draws when a frame changes, and then
// only what changed, in one write: readers on slow links pay for every
// byte.
//
// A line that changed is drawn from the first cell that differs (when
// every cell before it has a width no terminal disputes), with the
// styles of its cells as they change from cell to cell, its trailing
// blanks left out and erased only when the terminal shows something
// there. The terminal's style is back to plain at the end of every write.

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
	oldRow, line []cell // reused between lines
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
	if s.buf.Len() > 0 {
		_, _ = s.out.Write(s.buf.Bytes())
		// The interval counts from when the write ends: on a slow link,
		// the frames that come while a write waits are drawn as one.
		s.last = time.Now()
	}
}

// drawLine rewrites row y, which shows old, to show line.
func (s *display) drawLine(y int, old, line string) {
	var oldOK, newOK bool
	s.oldRow, oldOK = parseLine(s.oldRow[:0], old, s.width)
	s.line, newOK = parseLine(s.line[:0], line, s.width)
	if !newOK {
		s.drawRaw(y, line)
		return
	}
	// The cells both show, as long as their width is certain.
	k, col := 0, 0
	for oldOK && k < len(s.line) && k < len(s.oldRow) && s.line[k] == s.oldRow[k] && s.line[k].certain {
		col += s.line[k].width
		k++
	}
	if k == len(s.line) && k == len(s.oldRow) {
		return // the same cells, drawn differently
	}
	// The cells both end with, when they are where the terminal shows
	// them already: after cells of certain width, at the same column.
	same := 0
	for oldOK && same < len(s.line)-k && same < len(s.oldRow)-k && s.line[len(s.line)-1-same] == s.oldRow[len(s.oldRow)-1-same] {
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
	if !oldOK && (s.width == 0 || end < s.width) || oldOK && widthOf(s.oldRow) > end {
		s.moveTo(y, end)
		if !s.pen.erases() {
			s.setPen(style{})
		}
		s.buf.WriteString("\x1b[K")
	}
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
		if !(c.blank() && s.pen.erases()) {
			s.setPen(c.style)
		}
		s.buf.WriteString(c.text)
		end += c.width
	}
	s.col += end
	return end
}

func allCertain(cells []cell) bool {
	for _, c := range cells {
		if !c.certain {
			return false
		}
	}
	return true
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
	if s.pen.link != p.link {
		s.buf.WriteString("\x1b]8;")
		if p.link == "" {
			s.buf.WriteByte(';') // no parameters, no address: the link ends
		}
		s.buf.WriteString(p.link)
		s.buf.WriteString("\x1b\\")
	}
	if s.pen.sgr != p.sgr {
		writeSGR(&s.buf, s.pen.sgr, p.sgr)
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

// A cell is one character on the screen (a grapheme cluster), its width
// and style.
type cell struct {
	text    string
	width   int
	certain bool // its width is the same on every terminal
	style   style
}

// blank reports whether the cell looks like an erased one.
func (c cell) blank() bool { return c.text == " " && c.style == style{} }

// style is how a cell is drawn: its SGR state and hyperlink.
type style struct {
	sgr  sgrState
	link string // the OSC 8 parameters and address; "" outside links
}

// erases reports whether cells erased, or spaces written, with this pen
// look blank: no background, no reverse video, no line through or
// under, no link.
func (p style) erases() bool {
	return p.link == "" && p.sgr.bg == "" && p.sgr.ul == "" && p.sgr.attrs&(attrReverse|attrStrike|attrOverline) == 0
}

// sgrState is the state Select Graphic Rendition sets; colours keep the
// parameters that set them.
type sgrState struct {
	attrs      uint16
	fg, bg, uc string // "" for the default
	ul         string // the underline parameter ("4", "4:3", "21"); "" for none
}

const (
	attrBold uint16 = 1 << iota
	attrFaint
	attrItalic
	attrBlink
	attrRapidBlink
	attrReverse
	attrConceal
	attrStrike
	attrOverline
)

// attrCodes are the parameters that set and reset each attribute.
var attrCodes = [...]struct {
	attr    uint16
	on, off string
}{
	{attrBold, "1", "22"}, {attrFaint, "2", "22"}, {attrItalic, "3", "23"},
	{attrBlink, "5", "25"}, {attrRapidBlink, "6", "25"}, {attrReverse, "7", "27"},
	{attrConceal, "8", "28"}, {attrStrike, "9", "29"}, {attrOverline, "53", "55"},
}

// applySGR applies the parameters of one SGR sequence; it reports false
// for a parameter it does not know.
func (st *sgrState) apply(params string) bool {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		colour := func() (string, bool) { // 38;5;n or 38;2;r;g;b, or one parameter with colons
			if strings.ContainsRune(p, ':') {
				return p, true
			}
			if i+1 < len(ps) && ps[i+1] == "5" && i+2 < len(ps) {
				c := strings.Join(ps[i:i+3], ";")
				i += 2
				return c, true
			}
			if i+1 < len(ps) && ps[i+1] == "2" && i+4 < len(ps) {
				c := strings.Join(ps[i:i+5], ";")
				i += 4
				return c, true
			}
			return "", false
		}
		head, _, _ := strings.Cut(p, ":")
		n, err := strconv.Atoi(head)
		if head == "" {
			n, err = 0, nil
		}
		if err != nil {
			return false
		}
		switch {
		case n == 0:
			*st = sgrState{}
		case n == 4 && p != head: // 4:x, underline styles
			if p == "4:0" {
				st.ul = ""
			} else {
				st.ul = p
			}
		case n == 4 || n == 21:
			st.ul = p
		case n == 24:
			st.ul = ""
		case n == 22:
			st.attrs &^= attrBold | attrFaint
		case n == 25:
			st.attrs &^= attrBlink | attrRapidBlink
		case n >= 30 && n <= 37 || n >= 90 && n <= 97:
			st.fg = p
		case n == 39:
			st.fg = ""
		case n >= 40 && n <= 47 || n >= 100 && n <= 107:
			st.bg = p
		case n == 49:
			st.bg = ""
		case n == 38 || n == 48 || n == 58:
			c, ok := colour()
			if !ok {
				return false
			}
			switch n {
			case 38:
				st.fg = c
			case 48:
				st.bg = c
			default:
				st.uc = c
			}
		case n == 59:
			st.uc = ""
		default:
			known := false
			for _, a := range attrCodes {
				if p == a.on {
					st.attrs |= a.attr
					known = true
				} else if p == a.off && p != "22" && p != "25" {
					st.attrs &^= a.attr
					known = true
				}
			}
			if !known {
				return false
			}
		}
	}
	return true
}

// writeSGR writes the shortest SGR sequence that takes the terminal from
// state from to state to: the changes alone, or a reset and what to sets.
func writeSGR(b *bytes.Buffer, from, to sgrState) {
	if to == (sgrState{}) {
		b.WriteString("\x1b[m")
		return
	}
	var full, diff []string
	for _, a := range attrCodes {
		if to.attrs&a.attr != 0 {
			full = append(full, a.on)
		}
	}
	for _, c := range []string{to.fg, to.bg, to.uc, to.ul} {
		if c != "" {
			full = append(full, c)
		}
	}
	// Changes: what is turned off first (22 turns off both bold and faint).
	off := from.attrs &^ to.attrs
	again := uint16(0) // set in both, but turned off with another
	if off&(attrBold|attrFaint) != 0 {
		again |= to.attrs & (attrBold | attrFaint)
	}
	if off&(attrBlink|attrRapidBlink) != 0 {
		again |= to.attrs & (attrBlink | attrRapidBlink)
	}
	done := map[string]bool{}
	for _, a := range attrCodes {
		if off&a.attr != 0 && !done[a.off] {
			diff = append(diff, a.off)
			done[a.off] = true
		}
	}
	for _, a := range attrCodes {
		if to.attrs&a.attr != 0 && (from.attrs&a.attr == 0 || again&a.attr != 0) {
			diff = append(diff, a.on)
		}
	}
	for _, c := range [...]struct{ from, to, reset string }{
		{from.fg, to.fg, "39"}, {from.bg, to.bg, "49"}, {from.uc, to.uc, "59"}, {from.ul, to.ul, "24"},
	} {
		switch {
		case c.from == c.to:
		case c.to == "":
			diff = append(diff, c.reset)
		default:
			diff = append(diff, c.to)
		}
	}
	fullLen, diffLen := 1, -1 // "0" and the separator after it
	for _, p := range full {
		fullLen += len(p) + 1
	}
	for _, p := range diff {
		diffLen += len(p) + 1
	}
	b.WriteString("\x1b[")
	if diffLen <= fullLen {
		b.WriteString(strings.Join(diff, ";"))
	} else {
		b.WriteString("0;")
		b.WriteString(strings.Join(full, ";"))
	}
	b.WriteByte('m')
}

// parseLine reads a frame's line into cells, appended to cells, without
// its trailing blanks and cut at width columns (when width > 0). It
// reports false for a line it cannot read cell by cell.
func parseLine(cells []cell, line string, width int) ([]cell, bool) {
	var pen style
	var state byte
	col := 0
	for len(line) > 0 {
		seq, w, n, next := ansi.DecodeSequence(line, state, nil)
		state = next
		line = line[n:]
		switch {
		case strings.HasPrefix(seq, "\x1b[") && strings.HasSuffix(seq, "m"):
			if !pen.sgr.apply(seq[2 : len(seq)-1]) {
				return cells, false
			}
		case strings.HasPrefix(seq, "\x1b]8;"):
			link := strings.TrimPrefix(seq, "\x1b]8;")
			link = strings.TrimSuffix(strings.TrimSuffix(link, "\x07"), "\x1b\\")
			if link == ";" || strings.HasSuffix(link, ";") {
				link = "" // a link's end: params and no address
			}
			pen.link = link
		case seq[0] < 0x20 || seq[0] == 0x7f || strings.ContainsRune(seq, 0x1b):
			return cells, false
		case w == 0: // joins the character before, as on a terminal
			if len(cells) == 0 || col > width && width > 0 {
				return cells, false
			}
			cells[len(cells)-1].text += seq
			cells[len(cells)-1].certain = false
		default:
			if width > 0 && col+w > width {
				return trimBlanks(cells), true
			}
			c := cell{text: seq, width: w, style: pen, certain: certainWidth(seq, w)}
			if seq == " " && pen.erases() {
				c.style = style{} // a blank looks the same in any colour
			}
			cells = append(cells, c)
			col += w
		}
	}
	return trimBlanks(cells), true
}

func trimBlanks(cells []cell) []cell {
	for len(cells) > 0 && cells[len(cells)-1].blank() {
		cells = cells[:len(cells)-1]
	}
	return cells
}

func widthOf(cells []cell) int {
	w := 0
	for _, c := range cells {
		w += c.width
	}
	return w
}

// certainWidth reports whether every terminal gives the character s the
// width w: one code point, neither emoji, nor of ambiguous East Asian
// width, nor right-to-left (a terminal that shapes may join letters).
func certainWidth(s string, w int) bool {
	r, size := utf8.DecodeRuneInString(s)
	if size != len(s) {
		return false // a cluster: combining marks, joiners, selectors
	}
	switch {
	case r < 0x7f:
		return w == 1
	case r >= 0xa0 && r < 0x300:
		return w == 1 && !runewidth.IsAmbiguousWidth(r)
	case r >= 0x370 && r < 0x590: // Greek, Cyrillic, Armenian
		return w == 1 && !runewidth.IsAmbiguousWidth(r)
	case r >= 0x4e00 && r <= 0x9fff, r >= 0xac00 && r <= 0xd7a3, r >= 0x3040 && r <= 0x30ff: // CJK ideographs, Hangul, kana
		return w == 2
	}
	return false
}
