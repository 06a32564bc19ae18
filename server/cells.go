package server

import (
	"bytes"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
)

// A cell is one character on the screen (a grapheme cluster), its width
// and style.
type cell struct {
	text    string
	width   uint8
	certain bool   // its width is the same on every terminal
	style   uint16 // in the display's styles of the line being drawn; 0 is plain
}

// blank reports whether the cell looks like an erased one.
func (c cell) blank() bool { return c.style == 0 && c.text == " " }

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

// nextParam splits the first parameter off SGR parameters.
func nextParam(params string) (p, rest string, more bool) {
	return strings.Cut(params, ";")
}

// apply applies the parameters of one SGR sequence; it reports false for
// a parameter it does not know.
func (st *sgrState) apply(params string) bool {
	for {
		start := params
		p, rest, more := nextParam(params)
		head, _, colon := strings.Cut(p, ":")
		n, ok := smallNumber(head)
		if !ok {
			return false
		}
		switch {
		case n == 0:
			*st = sgrState{}
		case n == 4 && colon: // 4:x, underline styles
			st.ul = p
			if p == "4:0" {
				st.ul = ""
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
			c := p // 38:5:n, 38:2::r:g:b
			if !colon {
				// 38;5;n or 38;2;r;g;b: the parameters that follow.
				kind, after, ok := nextParam(rest)
				count := 0
				switch kind {
				case "5":
					count = 1
				case "2":
					count = 3
				}
				if !ok || count == 0 {
					return false
				}
				for range count {
					var p string
					if p, after, ok = nextParam(after); p == "" {
						return false
					}
					_ = ok
				}
				c = start[:len(start)-len(after)]
				if ok {
					c = c[:len(c)-1] // the separator before what follows
				}
				rest, more = after, ok
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
				} else if p == a.off {
					st.attrs &^= a.attr
					known = true
				}
			}
			if !known {
				return false
			}
		}
		if !more {
			return true
		}
		params = rest
	}
}

// smallNumber reads an SGR parameter: "" is 0.
func smallNumber(s string) (int, bool) {
	if len(s) > 3 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// sgrWriter writes SGR changes; its buffers are reused.
type sgrWriter struct {
	full, diff []byte
}

func addParam(b []byte, p string) []byte {
	if len(b) > 0 {
		b = append(b, ';')
	}
	return append(b, p...)
}

// write writes the shortest SGR sequence that takes the terminal from
// state from to state to: the changes alone, or a reset and what to sets.
func (w *sgrWriter) write(b *bytes.Buffer, from, to sgrState) {
	if to == (sgrState{}) {
		b.WriteString("\x1b[m")
		return
	}
	w.full = append(w.full[:0], '0')
	for _, a := range attrCodes {
		if to.attrs&a.attr != 0 {
			w.full = addParam(w.full, a.on)
		}
	}
	for _, c := range [...]string{to.fg, to.bg, to.uc, to.ul} {
		if c != "" {
			w.full = addParam(w.full, c)
		}
	}
	// The changes: what is turned off first (22 turns off both bold and
	// faint, 25 both blinks), then what is turned on.
	w.diff = w.diff[:0]
	off := from.attrs &^ to.attrs
	again := uint16(0) // in both, but turned off with another
	if off&(attrBold|attrFaint) != 0 {
		again |= to.attrs & (attrBold | attrFaint)
	}
	if off&(attrBlink|attrRapidBlink) != 0 {
		again |= to.attrs & (attrBlink | attrRapidBlink)
	}
	for _, a := range attrCodes {
		if off&a.attr != 0 && !(a.attr == attrFaint && off&attrBold != 0) && !(a.attr == attrRapidBlink && off&attrBlink != 0) {
			w.diff = addParam(w.diff, a.off)
		}
	}
	for _, a := range attrCodes {
		if to.attrs&a.attr != 0 && (from.attrs&a.attr == 0 || again&a.attr != 0) {
			w.diff = addParam(w.diff, a.on)
		}
	}
	for _, c := range [...]struct{ from, to, reset string }{
		{from.fg, to.fg, "39"}, {from.bg, to.bg, "49"}, {from.uc, to.uc, "59"}, {from.ul, to.ul, "24"},
	} {
		switch {
		case c.from == c.to:
		case c.to == "":
			w.diff = addParam(w.diff, c.reset)
		default:
			w.diff = addParam(w.diff, c.to)
		}
	}
	b.WriteString("\x1b[")
	if len(w.diff) <= len(w.full) {
		b.Write(w.diff)
	} else {
		b.Write(w.full)
	}
	b.WriteByte('m')
}

// styleIndex gives p's index in styles, adding it if new.
func styleIndex(styles *[]style, p style) uint16 {
	for i, q := range *styles {
		if q == p {
			return uint16(i)
		}
	}
	*styles = append(*styles, p)
	return uint16(len(*styles) - 1)
}

// parseLine reads a frame's line into cells, appended to cells, without
// its trailing blanks and cut at width columns (when width > 0); their
// styles are indexes in styles, whose first is plain. It reports false
// for a line it cannot read cell by cell: an escape sequence other than
// SGR and OSC 8, a control character, a mark of no width at its start.
func parseLine(cells []cell, styles *[]style, line string, width int) ([]cell, bool) {
	var pen style
	current := uint16(0) // pen's index
	blank := uint16(0)   // the style of spaces: plain when the pen erases
	col := 0
	for i := 0; i < len(line); {
		b := line[i]
		switch {
		case b == 0x1b:
			switch {
			case strings.HasPrefix(line[i:], "\x1b["):
				j := i + 2
				for j < len(line) && line[j] >= 0x30 && line[j] <= 0x3f {
					j++
				}
				if j == len(line) || line[j] != 'm' || !pen.sgr.apply(line[i+2:j]) {
					return cells, false
				}
				i = j + 1
			case strings.HasPrefix(line[i:], "\x1b]8;"):
				rest := line[i+4:]
				end := strings.IndexAny(rest, "\x07\x1b") // BEL or ST ends it
				if end < 0 || rest[end] == 0x1b && !strings.HasPrefix(rest[end:], "\x1b\\") {
					return cells, false
				}
				link := rest[:end]
				i += 4 + end + 1
				if rest[end] == 0x1b {
					i++
				}
				if strings.HasSuffix(link, ";") {
					link = "" // parameters and no address: the link ends
				}
				pen.link = link
			default:
				return cells, false
			}
			current = styleIndex(styles, pen)
			blank = current
			if pen.erases() {
				blank = 0 // a blank looks the same in any colour
			}
		case b < 0x20 || b == 0x7f:
			return cells, false
		case b < 0x80 && (i+1 == len(line) || line[i+1] < 0x80):
			// ASCII, and no mark after it.
			if width > 0 && col+1 > width {
				return trimBlanks(cells), true
			}
			c := cell{text: line[i : i+1], width: 1, certain: true, style: current}
			if b == ' ' {
				c.style = blank
			}
			cells = append(cells, c)
			col++
			i++
		default:
			if w, n := simpleChar(line[i:]); n > 0 {
				if width > 0 && col+w > width {
					return trimBlanks(cells), true
				}
				seq := line[i : i+n]
				cells = append(cells, cell{text: seq, width: uint8(w), style: current, certain: certainWidth(seq, w)})
				col += w
				i += n
				continue
			}
			seq, w, n, _ := ansi.DecodeSequence(line[i:], ansi.NormalState, nil)
			if r, _ := utf8.DecodeRuneInString(seq); seq == "" || r >= 0x80 && r < 0xa0 || strings.ContainsRune(seq, 0x1b) {
				return cells, false // C1 controls, broken sequences
			}
			i += n
			if w == 0 { // joins the character before, as on a terminal
				if len(cells) == 0 {
					return cells, false
				}
				cells[len(cells)-1].text += seq
				cells[len(cells)-1].certain = false
				continue
			}
			if width > 0 && col+w > width {
				return trimBlanks(cells), true
			}
			cells = append(cells, cell{text: seq, width: uint8(w), style: current, certain: certainWidth(seq, w)})
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
		w += int(c.width)
	}
	return w
}

func allCertain(cells []cell) bool {
	for _, c := range cells {
		if !c.certain {
			return false
		}
	}
	return true
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
	case r >= 0xa0 && r < 0x300, r >= 0x370 && r < 0x590: // Latin, Greek, Cyrillic, Armenian
		return w == 1 && !runewidth.IsAmbiguousWidth(r)
	case r >= 0x4e00 && r <= 0x9fff, r >= 0xac00 && r <= 0xd7a3, r >= 0x3040 && r <= 0x30ff: // CJK ideographs, Hangul, kana
		return w == 2
	}
	return false
}

// simpleChar gives the width and length of the character s starts with
// when it is a grapheme cluster of one code point that the table of
// widths knows, and the character after it joins nothing to it; else 0
// and 0, to be decoded in full.
func simpleChar(s string) (width, n int) {
	r, n := utf8.DecodeRuneInString(s)
	width = simpleWidth(r)
	if width == 0 {
		return 0, 0
	}
	if n == len(s) || s[n] < 0x80 {
		return width, n // the line's end, ASCII, or an escape sequence
	}
	if next, _ := utf8.DecodeRuneInString(s[n:]); simpleWidth(next) == 0 {
		return 0, 0 // a mark, a joiner, a selector, or what the table does not know
	}
	return width, n
}

// simpleWidth gives the width of r when it is a character that stands
// alone whatever follows it or comes before it (no mark, joiner,
// selector, Hangul jamo, prepended sign, control), from the same widths
// as the frames were laid out with; else 0.
func simpleWidth(r rune) int {
	switch {
	case r >= 0x4e00 && r <= 0x9fff: // CJK unified ideographs
		return 2
	case r < 0xa0 || r >= 0x3000:
		return 0
	case r >= 0x1100 && r <= 0x11ff, r >= 0x0600 && r <= 0x0605, r == 0x06dd, r == 0x070f,
		r >= 0x0890 && r <= 0x0891, r == 0x08e2, r >= 0x200b && r <= 0x200f, r >= 0x2028 && r <= 0x202e,
		r >= 0x2060 && r <= 0x206f, r == 0x00ad:
		return 0
	}
	return int(narrowWidths()[r-0xa0])
}

// narrowWidths holds the width of each code point from U+00A0 to U+2FFF
// as x/ansi measures it (lipgloss lays frames out with it), 0 for marks
// and what is not a character of its own; made once, then only read.
var narrowWidths = sync.OnceValue(func() *[0x3000 - 0xa0]uint8 {
	var t [0x3000 - 0xa0]uint8
	for i := range t {
		r := rune(i + 0xa0)
		if unicode.In(r, unicode.M, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) || !utf8.ValidRune(r) {
			continue
		}
		if w := ansi.StringWidth(string(r)); w >= 1 && w <= 2 {
			t[i] = uint8(w)
		}
	}
	return &t
})
