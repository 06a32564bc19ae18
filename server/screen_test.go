package server

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// vterm is a small terminal emulator for tests: it interprets what a
// display writes (cursor position, line feed, carriage return, erase in
// line and display, SGR, OSC 8 hyperlinks, text with wide characters and
// clusters) the way xterm does, including the pending wrap at the last
// column. Its SGR reading is its own, not the display's.
type vterm struct {
	w, h    int
	cells   [][]vcell
	x, y    int
	wrap    bool // the cursor is past the last column, waiting to wrap
	pen     vpen
	noWrap  bool // for reference screens: a character that does not fit is dropped, and all after it
	dropped bool
	unknown []string
}

type vcell struct {
	text string // "" for the right half of a wide character
	pen  vpen
}

// vpen is what SGR and OSC 8 set, as a sorted list of attributes.
type vpen struct {
	attrs string // e.g. "bold,fg=38;5;3,rev"
	link  string
}

func newVterm(w, h int) *vterm {
	t := &vterm{w: w, h: h}
	t.cells = make([][]vcell, h)
	for y := range t.cells {
		t.cells[y] = t.blankRow()
	}
	return t
}

func (t *vterm) blankRow() []vcell {
	r := make([]vcell, t.w)
	for x := range r {
		r[x] = vcell{text: " ", pen: vpen{attrs: t.pen.background()}}
	}
	return r
}

// background is the part of the pen that erased cells take.
func (p vpen) background() string {
	for _, a := range strings.Split(p.attrs, ",") {
		if strings.HasPrefix(a, "bg=") {
			return a
		}
	}
	return ""
}

// resize keeps what fits, as a terminal that does not reflow.
func (t *vterm) resize(w, h int) {
	old := t.cells
	t.w, t.h = w, h
	t.cells = make([][]vcell, h)
	for y := range t.cells {
		t.cells[y] = t.blankRow()
		if y < len(old) {
			copy(t.cells[y], old[y])
		}
	}
	t.x, t.y, t.wrap = min(t.x, w-1), min(t.y, h-1), false
}

func (t *vterm) write(s string) {
	var state byte
	for len(s) > 0 {
		seq, w, n, next := ansi.DecodeSequence(s, state, nil)
		state = next
		s = s[n:]
		switch {
		case seq == "\r":
			t.x, t.wrap = 0, false
		case seq == "\n":
			t.lineFeed()
		case strings.HasPrefix(seq, "\x1b["):
			t.csi(seq[2:len(seq)-1], seq[len(seq)-1])
		case strings.HasPrefix(seq, "\x1b]8;"):
			l := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b]8;"), "\x1b\\"), "\x07")
			if _, uri, ok := strings.Cut(l, ";"); !ok {
				t.unknown = append(t.unknown, fmt.Sprintf("%q", seq))
			} else if uri == "" {
				l = ""
			}
			t.pen.link = l
		case seq[0] == 0x1b || seq[0] < 0x20:
			t.unknown = append(t.unknown, fmt.Sprintf("%q", seq))
		default:
			t.print(seq, w)
		}
	}
}

func (t *vterm) lineFeed() {
	t.wrap = false
	if t.y == t.h-1 {
		t.cells = append(t.cells[1:], t.blankRow())
		return
	}
	t.y++
}

func (t *vterm) print(g string, w int) {
	if t.dropped {
		return
	}
	if w == 0 { // joins the character before
		if t.x > 0 || t.wrap {
			x := t.x
			if !t.wrap {
				x--
			}
			for x > 0 && t.cells[t.y][x].text == "" {
				x--
			}
			t.cells[t.y][x].text += g
		}
		return
	}
	if t.wrap || t.x+w > t.w {
		if t.noWrap {
			t.dropped = true
			return
		}
		t.x = 0
		t.lineFeed()
	}
	row := t.cells[t.y]
	t.clearCell(t.x)
	if w == 2 {
		t.clearCell(t.x + 1)
	}
	row[t.x] = vcell{text: g, pen: t.pen}
	if w == 2 {
		row[t.x+1] = vcell{text: "", pen: t.pen}
	}
	t.x += w
	if t.x >= t.w {
		t.x, t.wrap = t.w-1, true
	}
}

// clearCell blanks cell x, and the other half of a wide character there.
func (t *vterm) clearCell(x int) {
	row := t.cells[t.y]
	if row[x].text == "" && x > 0 {
		row[x-1] = vcell{text: " "}
	}
	if x+1 < t.w && row[x+1].text == "" {
		row[x+1] = vcell{text: " "}
	}
}

func (t *vterm) csi(params string, final byte) {
	num := func(i, def int) int {
		ps := strings.Split(params, ";")
		if i >= len(ps) || ps[i] == "" {
			return def
		}
		n, err := strconv.Atoi(ps[i])
		if err != nil {
			return def
		}
		return n
	}
	blank := vcell{text: " ", pen: vpen{attrs: t.pen.background()}}
	switch final {
	case 'H':
		t.y, t.x, t.wrap = min(num(0, 1), t.h)-1, min(num(1, 1), t.w)-1, false
	case 'X': // erase characters, from the cursor on
		t.clearCell(t.x)
		n := num(0, 1)
		if t.x+n < t.w && t.cells[t.y][t.x+n].text == "" {
			t.cells[t.y][t.x+n-1] = blank // the left half of a wide character at the end
			t.cells[t.y][t.x+n] = blank
		}
		for x := t.x; x < min(t.x+n, t.w); x++ {
			t.cells[t.y][x] = blank
		}
		t.wrap = false
	case 'C':
		t.x, t.wrap = min(t.x+num(0, 1), t.w-1), false
	case 'K':
		if params != "" && params != "0" {
			t.unknown = append(t.unknown, "EL "+params)
		}
		t.clearCell(t.x)
		for x := t.x; x < t.w; x++ {
			t.cells[t.y][x] = blank
		}
		t.wrap = false
	case 'J':
		switch params {
		case "", "0":
			t.clearCell(t.x)
			for y := t.y; y < t.h; y++ {
				for x := range t.cells[y] {
					if y > t.y || x >= t.x {
						t.cells[y][x] = blank
					}
				}
			}
		case "2":
			for y := range t.cells {
				for x := range t.cells[y] {
					t.cells[y][x] = blank
				}
			}
		default:
			t.unknown = append(t.unknown, "ED "+params)
		}
	case 'm':
		t.sgr(params)
	default:
		t.unknown = append(t.unknown, fmt.Sprintf("CSI %q %c", params, final))
	}
}

// sgr applies SGR parameters to the pen, kept as a set of named
// attributes.
func (t *vterm) sgr(params string) {
	set := map[string]string{}
	for _, a := range strings.Split(t.pen.attrs, ",") {
		if k, v, ok := strings.Cut(a, "="); ok {
			set[k] = v
		} else if a != "" {
			set[a] = "on"
		}
	}
	names := map[string]string{"1": "bold", "2": "faint", "3": "italic", "5": "blink", "6": "rapid", "7": "reverse", "8": "conceal", "9": "strike", "53": "overline"}
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		switch {
		case p == "" || p == "0":
			set = map[string]string{}
		case names[p] != "":
			set[names[p]] = "on"
		case p == "4" || p == "21" || strings.HasPrefix(p, "4:"):
			if p == "4:0" {
				delete(set, "ul")
			} else {
				set["ul"] = map[string]string{"4": "single", "4:1": "single", "21": "double", "4:2": "double"}[p] + p
			}
		case p == "22":
			delete(set, "bold")
			delete(set, "faint")
		case p == "23":
			delete(set, "italic")
		case p == "24":
			delete(set, "ul")
		case p == "25":
			delete(set, "blink")
			delete(set, "rapid")
		case p == "27":
			delete(set, "reverse")
		case p == "28":
			delete(set, "conceal")
		case p == "29":
			delete(set, "strike")
		case p == "55":
			delete(set, "overline")
		case p == "39":
			delete(set, "fg")
		case p == "49":
			delete(set, "bg")
		case p == "59":
			delete(set, "uc")
		case len(p) == 2 && (p[0] == '3' || p[0] == '9') && p[1] <= '7':
			set["fg"] = p
		case len(p) == 2 && p[0] == '4' && p[1] <= '7' || len(p) == 3 && p[:2] == "10" && p[2] <= '7':
			set["bg"] = p
		case p == "38" || p == "48" || p == "58":
			key := map[string]string{"38": "fg", "48": "bg", "58": "uc"}[p]
			if i+2 < len(ps) && ps[i+1] == "5" {
				set[key] = "256:" + ps[i+2]
				i += 2
			} else if i+4 < len(ps) && ps[i+1] == "2" {
				set[key] = "rgb:" + strings.Join(ps[i+2:i+5], "/")
				i += 4
			} else {
				t.unknown = append(t.unknown, "SGR "+params)
				return
			}
		default:
			// An unknown parameter changes nothing, as in xterm.
		}
	}
	var attrs []string
	for k, v := range set {
		if v == "on" {
			attrs = append(attrs, k)
		} else {
			attrs = append(attrs, k+"="+v)
		}
	}
	sortStrings(attrs)
	t.pen.attrs = strings.Join(attrs, ",")
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// looks gives what a cell looks like: a space with no background, no
// line through or under, no reverse video and no link looks blank
// whatever its other attributes.
func (c vcell) looks() string {
	if c.text == " " && c.pen.link == "" {
		visible := false
		for _, a := range strings.Split(c.pen.attrs, ",") {
			if strings.HasPrefix(a, "bg=") || strings.HasPrefix(a, "ul=") || a == "reverse" || a == "strike" || a == "overline" {
				visible = true
			}
		}
		if !visible {
			return " "
		}
	}
	return c.text + "{" + c.pen.attrs + "|" + c.pen.link + "}"
}

// screenOf is what a frame should look like on a w×h terminal: each line
// from its row's first column, cut at the width.
func screenOf(frame string, w, h int) *vterm {
	t := newVterm(w, h)
	t.noWrap = true
	for y, l := range strings.Split(frame, "\n") {
		if y >= h {
			break
		}
		t.pen = vpen{}
		t.x, t.y, t.wrap, t.dropped = 0, y, false, false
		t.write(l)
	}
	return t
}

// diffScreens names the first cells where got and want differ.
func diffScreens(got, want *vterm) string {
	var b strings.Builder
	n := 0
	for y := range want.cells {
		for x := range want.cells[y] {
			if g, w := got.cells[y][x].looks(), want.cells[y][x].looks(); g != w && n < 5 {
				fmt.Fprintf(&b, "row %d col %d: got %q, want %q\n", y+1, x+1, g, w)
				n++
			}
		}
	}
	return b.String()
}

func (t *vterm) text() string {
	var b strings.Builder
	for _, r := range t.cells {
		for _, c := range r {
			b.WriteString(c.text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// drawn draws frame with d and returns what d wrote.
func drawn(d *display, out *bytes.Buffer, frame string) string {
	before := out.Len()
	d.mu.Lock()
	d.draw(frame)
	d.mu.Unlock()
	return out.String()[before:]
}

// Pieces of text for random frames: scripts of every width, clusters,
// and blanks.
var framePieces = []string{
	"plain text", "a", " ", "   ", "        ", "中文字符", "日本語", "한국어", "مرحبا بالعالم", "مَرْحَبًا",
	"שלום", "Привет", "Ελληνικά", "│─┼", "·•", "é", "e\u0301", "👍", "👍🏽", "👨\u200d👩\u200d👧", "❤\ufe0f",
	"🇫🇷", "x", "1 of 6", "──────", "ﷺ", "ｆｕｌｌ", "½", "ß",
}

var frameStyles = []string{
	"", "", "\x1b[0m", "\x1b[m", "\x1b[1m", "\x1b[2m", "\x1b[22m", "\x1b[3m", "\x1b[4m", "\x1b[4:3m", "\x1b[24m",
	"\x1b[7m", "\x1b[27m", "\x1b[9m", "\x1b[31m", "\x1b[38;5;123m", "\x1b[48;5;236m", "\x1b[38;2;10;20;30m",
	"\x1b[48;2;200;100;0m", "\x1b[39;49m", "\x1b[1;4;31;48;5;17m", "\x1b[53m", "\x1b[58;5;9m", "\x1b[5m",
	"\x1b[8m", "\x1b[97;100m", "\x1b]8;;https://example.org/a\x1b\\", "\x1b]8;id=1;https://example.org/b\x07",
	"\x1b]8;;\x1b\\",
}

func randomLine(r *rand.Rand, w int) string {
	var b strings.Builder
	for b.Len() == 0 || r.IntN(4) != 0 {
		b.WriteString(frameStyles[r.IntN(len(frameStyles))])
		b.WriteString(framePieces[r.IntN(len(framePieces))])
		if ansi.StringWidth(b.String()) > w+8 {
			break
		}
	}
	if r.IntN(3) == 0 {
		b.WriteString(strings.Repeat(" ", r.IntN(w+1))) // padding, as glamour writes it
	}
	return b.String()
}

// nextFrame changes frame the ways a reader's frames change: a new
// screen, one line, a few cells in a line, lines more or fewer.
func nextFrame(r *rand.Rand, frame string, w, h int) string {
	lines := strings.Split(frame, "\n")
	switch r.IntN(6) {
	case 0:
		lines = nil
		for range 1 + r.IntN(h+1) {
			lines = append(lines, randomLine(r, w))
		}
	case 1:
		lines[r.IntN(len(lines))] = randomLine(r, w)
	case 2: // a change inside a line
		i := r.IntN(len(lines))
		l := lines[i]
		var cuts []int // between sequences and characters
		var state byte
		for at := 0; at < len(l); {
			_, _, n, next := ansi.DecodeSequence(l[at:], state, nil)
			state = next
			at += n
			cuts = append(cuts, at)
		}
		cut := 0
		if len(cuts) > 0 {
			cut = cuts[r.IntN(len(cuts))]
		}
		lines[i] = l[:cut] + frameStyles[r.IntN(len(frameStyles))] + framePieces[r.IntN(len(framePieces))] + l[cut:]
	case 3: // the selection moves: two lines swap their styling
		i, j := r.IntN(len(lines)), r.IntN(len(lines))
		lines[i] = "\x1b[7m" + ansi.Strip(lines[i]) + "\x1b[m"
		lines[j] = ansi.Strip(lines[j])
	case 4:
		if len(lines) > 1 {
			lines = lines[:r.IntN(len(lines))+1]
		}
	case 5:
		lines = append(lines, randomLine(r, w))
	}
	return strings.Join(lines, "\n")
}

func TestDisplayShowsEveryFrame(t *testing.T) {
	// After every frame, what a terminal shows is the frame, for random
	// frames, changes and resizes.
	for seed := range uint64(100) {
		r := rand.New(rand.NewPCG(seed, 7))
		w, h := 10+r.IntN(30), 2+r.IntN(8)
		var out bytes.Buffer
		d := &display{out: &out}
		term := newVterm(w, h)
		d.resize(w, h)
		term.write(out.String())
		frame := randomLine(r, w)
		for step := range 60 {
			if r.IntN(15) == 0 {
				w, h = 10+r.IntN(30), 2+r.IntN(8)
				term.resize(w, h)
				before := out.Len()
				d.resize(w, h)
				term.write(out.String()[before:])
			}
			frame = nextFrame(r, frame, w, h)
			wrote := drawn(d, &out, frame)
			term.write(wrote)
			if len(term.unknown) > 0 {
				t.Fatalf("seed %d step %d: the display wrote what the terminal does not know: %v", seed, step, term.unknown)
			}
			if diff := diffScreens(term, screenOf(frame, w, h)); diff != "" {
				t.Fatalf("seed %d step %d (%dx%d): frame %q\nwrote %q\n%s\nscreen:\n%s", seed, step, w, h, frame, wrote, diff, term.text())
			}
			if d.pen != (style{}) {
				t.Fatalf("seed %d step %d: the pen is left at %+v", seed, step, d.pen)
			}
		}
	}
}

func TestDisplayWritesOnlyWhatChanged(t *testing.T) {
	tests := []struct {
		name          string
		before, after string
		want          string
	}{
		{"a counter", "status 1 of 6", "status 2 of 6", "\x1b[1;8H2"},
		{"a shorter line", "hello world", "hello", "\x1b[1;6H\x1b[K"},
		{"a longer line", "hello", "hello world", "\x1b[1;6H world"},
		{"a style gone", "\x1b[1mbold\x1b[m", "bold", "\x1b[1Hbold"},
		{"resets that change nothing", "", "\x1b[31mred\x1b[0m\x1b[0m \x1b[31mred\x1b[0m", "\x1b[1H\x1b[31mred red\x1b[m"},
		{"one attribute off", "", "\x1b[1;31mA\x1b[22mB", "\x1b[1H\x1b[1;31mA\x1b[22mB\x1b[m"},
		{"a reset when shorter", "", "\x1b[1;3;4;9;38;5;100mA\x1b[0;7mB", "\x1b[1H\x1b[1;3;9;38;5;100;4mA\x1b[0;7mB\x1b[m"},
		{"after wide characters", "中文a", "中文b", "\x1b[1;5Hb"},
		{"after an emoji, from the first column", "👍a", "👍b", "\x1b[1H👍b"},
		{"after Arabic, from the first column", "سلام a", "سلام b", "\x1b[1Hسلام b"},
		{"padding over nothing", "", "x" + strings.Repeat(" ", 70), "\x1b[1Hx"},
		{"padding over text", "some text", "x" + strings.Repeat(" ", 70), "\x1b[1Hx\x1b[K"},
		{"blanks inside", "", "a" + strings.Repeat(" ", 20) + "b", "\x1b[1Ha\x1b[20X\x1b[20Cb"},
		{"blanks inside, on a background", "", "\x1b[44ma" + strings.Repeat(" ", 20) + "b", "\x1b[1H\x1b[44ma" + strings.Repeat(" ", 20) + "b\x1b[m"},
		{"a full line keeps its last character", strings.Repeat("x", 80), strings.Repeat("y", 80), "\x1b[1H" + strings.Repeat("y", 80)},
		{"lines fewer", "a\nb\nc", "a", "\x1b[2H\x1b[J"},
		{"the next line", "a\nb", "x\ny", "\x1b[1Hx\r\ny"},
		{"a line past the width is cut", "", strings.Repeat("x", 79) + "中", "\x1b[1H" + strings.Repeat("x", 79)},
		{"a line drawn whole, then blank", "\u0301x", "", "\x1b[1H\x1b[K"},
		{"a hyperlink", "", "\x1b]8;;https://example.org\x07link\x1b]8;;\x07 end", "\x1b[1H\x1b]8;;https://example.org\x1b\\link\x1b]8;;\x1b\\ end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			d := &display{out: &out}
			d.resize(80, 24)
			drawn(d, &out, tt.before)
			term := newVterm(80, 24)
			term.write(out.String())
			got := drawn(d, &out, tt.after)
			if got != tt.want {
				t.Errorf("wrote %q, want %q", got, tt.want)
			}
			term.write(got)
			if diff := diffScreens(term, screenOf(tt.after, 80, 24)); diff != "" {
				t.Errorf("the screen is not the frame:\n%s", diff)
			}
		})
	}
}

// rowsWritten gives the rows (from 1) that output moves to.
func rowsWritten(out string) []int {
	var rows []int
	row := 0
	var state byte
	for len(out) > 0 {
		seq, _, n, next := ansi.DecodeSequence(out, state, nil)
		state = next
		out = out[n:]
		switch {
		case strings.HasPrefix(seq, "\x1b[") && strings.HasSuffix(seq, "H"):
			r, _, _ := strings.Cut(seq[2:len(seq)-1], ";")
			row, _ = strconv.Atoi(r)
			rows = append(rows, row)
		case seq == "\n":
			row++
			rows = append(rows, row)
		}
	}
	return rows
}

func TestDisplayMovingTheSelectionRedrawsTwoLines(t *testing.T) {
	list := func(selected int) string {
		var lines []string
		for i := range 20 {
			l := fmt.Sprintf("  \x1b[38;5;180m%d Aug 2025  \x1b[mTokayev receives a visitor, item %d", i+1, i)
			if i == selected {
				l = fmt.Sprintf("\x1b[38;5;111m▌ \x1b[1;38;5;180;48;5;237m%d Aug 2025  \x1b[38;5;255m Tokayev receives a visitor, item %d\x1b[m", i+1, i)
			}
			lines = append(lines, l)
		}
		return strings.Join(lines, "\n")
	}
	var out bytes.Buffer
	d := &display{out: &out}
	d.resize(80, 24)
	drawn(d, &out, list(3))
	got := drawn(d, &out, list(4))
	if rows := rowsWritten(got); !slices.Equal(rows, []int{4, 5}) {
		t.Errorf("rows %v written, want 4 and 5: %q", rows, got)
	}
}

// slowLink takes a while over each write, as a slow SSH link does once
// its window is full.
type slowLink struct {
	out    bytes.Buffer
	writes int
}

func (l *slowLink) Write(p []byte) (int, error) {
	time.Sleep(40 * time.Millisecond)
	l.writes++
	return l.out.Write(p)
}

func TestDisplayDrawsFramesThatCameDuringAWriteAsOne(t *testing.T) {
	link := &slowLink{}
	d := &display{out: link}
	d.resize(80, 24)
	for i := range 10 { // keys the reader pressed while the first frame was on its way
		d.show(fmt.Sprintf("frame %d", i))
	}
	d.stop()
	if link.writes > 3 { // the blank screen, the first frame, the last
		t.Errorf("%d writes for 10 frames that came during the first; want 3", link.writes)
	}
	term := newVterm(80, 24)
	term.write(link.out.String())
	if diff := diffScreens(term, screenOf("frame 9", 80, 24)); diff != "" {
		t.Errorf("the last frame is not on screen:\n%s", diff)
	}
}
