package sanitize

import "strconv"

// Compact rewrites SGR-styled text (as glamour and lipgloss produce) to an equivalent with fewer bytes: it tracks the effective style state and emits an SGR only when the state actually changes (merging consecutive SGRs into one, dropping no-op resets and repeats), removes trailing spaces at the end of each line when those spaces are visually blank (current background is default and no reverse/underline/strike), and ends every line with the style reset if a style is active (so lines are independent: each line must re-establish its style at the start). Output must render identically to the input cell by cell (same characters, same effective foreground/background/bold/italic/underline/etc. per visible cell). Input is assumed already sanitized (only SGR + text + \n).
//
// Compact filters its input with Terminal first, so its output is always
// safe whatever the input. The input is taken to start with the default
// style. Every line of the output starts with the default style and
// returns to it before its end.
//
// A space is visually blank when it has no reverse video and no underline,
// strike or overline: only its background shows. Compact may write such a
// space under any style with the same background, and drops a line's
// trailing blank spaces on the default background. A space followed by a
// character outside ASCII keeps its exact style, since a combining
// character after it would be drawn with that style.
//
// The style model follows xterm and VTE: bold and faint are separate
// attributes, both reset by 22; 21 is double underline, reset by 24; a
// basic colour (31) and the same palette index (38;5;1) are kept apart.
func Compact(s string) string {
	s = Terminal(s)
	c := compactor{out: make([]byte, 0, len(s)/3+16)}
	for i := 0; i < len(s); {
		switch b := s[i]; b {
		case esc:
			// Terminal lets ESC through only as ESC [ params m.
			j := min(i+2, len(s))
			for j < len(s) && s[j] != 'm' {
				j++
			}
			c.want.apply(s[min(i+2, j):j], &c.ps)
			i = j + 1
		case '\n':
			c.endLine()
			c.out = append(c.out, '\n')
			i++
		case ' ':
			j := i + 1
			for j < len(s) && s[j] == ' ' {
				j++
			}
			c.spaces(j - i)
			i = j
		default:
			j := i + 1
			for j < len(s) && s[j] != esc && s[j] != '\n' && s[j] != ' ' {
				j++
			}
			c.glyphs(s[i:j])
			i = j
		}
	}
	c.endLine()
	return string(c.out)
}

// colour is a foreground or background colour as an SGR sets it.
type colour struct {
	kind uint8  // colDefault, colBasic, colIndex or colRGB
	v    uint32 // SGR code, palette index, or r<<16 | g<<8 | b
}

const (
	colDefault = iota
	colBasic   // 30-37, 90-97 or 40-47, 100-107: v is the code
	colIndex   // 38;5;n or 48;5;n
	colRGB     // 38;2;r;g;b or 48;2;r;g;b
)

// style is the effective graphic rendition.
type style struct {
	fg, bg                                         colour
	bold, faint, italic, reverse, strike, overline bool
	ul                                             uint8 // 0 none, 1 single, 2 double
}

// blank reports whether a space in this style shows only its background.
func (st style) blank() bool {
	return !st.reverse && st.ul == 0 && !st.strike && !st.overline
}

// sameBlank reports whether a space looks the same in a and b.
func sameBlank(a, b style) bool {
	return a.blank() && b.blank() && a.bg == b.bg
}

// apply applies the parameters of an allowed SGR; arr is scratch space.
func (st *style) apply(p string, arr *[maxParams]sgrParam) {
	n, ok := parseSGR(p, arr)
	if !ok {
		return
	}
	if n == 0 {
		*st = style{}
		return
	}
	ps := arr[:n]
	for i := 0; i < len(ps); i++ {
		if ps[i].colon {
			continue
		}
		switch v := ps[i].v; {
		case v == 0:
			*st = style{}
		case v == 1:
			st.bold = true
		case v == 2:
			st.faint = true
		case v == 3:
			st.italic = true
		case v == 4:
			st.ul = 1
		case v == 7:
			st.reverse = true
		case v == 9:
			st.strike = true
		case v == 21:
			st.ul = 2
		case v == 22:
			st.bold, st.faint = false, false
		case v == 23:
			st.italic = false
		case v == 24:
			st.ul = 0
		case v == 27:
			st.reverse = false
		case v == 29:
			st.strike = false
		case v == 53:
			st.overline = true
		case v == 55:
			st.overline = false
		case v >= 30 && v <= 37, v >= 90 && v <= 97:
			st.fg = colour{colBasic, uint32(v)}
		case v == 39:
			st.fg = colour{}
		case v >= 40 && v <= 47, v >= 100 && v <= 107:
			st.bg = colour{colBasic, uint32(v)}
		case v == 49:
			st.bg = colour{}
		case v == 38 || v == 48 || v == 58:
			k := extColour(ps, i)
			if k == 0 {
				return
			}
			var c colour
			if k == 3 {
				c = colour{colIndex, uint32(ps[i+2].v)}
			} else {
				c = colour{colRGB, uint32(ps[i+2].v<<16 | ps[i+3].v<<8 | ps[i+4].v)}
			}
			switch v {
			case 38:
				st.fg = c
			case 48:
				st.bg = c
			}
			i += k - 1
		}
	}
}

// params appends SGR parameters, each followed by ';'.
type params []byte

func (b params) add(v int) params {
	return append(strconv.AppendInt(b, int64(v), 10), ';')
}

func (b params) colour(c colour, base int) params {
	switch c.kind {
	case colBasic:
		return b.add(int(c.v))
	case colIndex:
		return b.add(base + 8).add(5).add(int(c.v))
	case colRGB:
		return b.add(base + 8).add(2).add(int(c.v >> 16)).add(int(c.v >> 8 & 0xff)).add(int(c.v & 0xff))
	}
	return b.add(base + 9)
}

func (b params) underline(ul uint8) params {
	if ul == 2 {
		return b.add(21)
	}
	return b.add(4)
}

// full gives the parameters that set st from the default style.
func full(b params, st style) params {
	if st.bold {
		b = b.add(1)
	}
	if st.faint {
		b = b.add(2)
	}
	if st.italic {
		b = b.add(3)
	}
	if st.ul != 0 {
		b = b.underline(st.ul)
	}
	if st.reverse {
		b = b.add(7)
	}
	if st.strike {
		b = b.add(9)
	}
	if st.overline {
		b = b.add(53)
	}
	if st.fg.kind != colDefault {
		b = b.colour(st.fg, 30)
	}
	if st.bg.kind != colDefault {
		b = b.colour(st.bg, 40)
	}
	return b
}

// diff gives the parameters that change from into to without a reset.
func diff(b params, from, to style) params {
	if from.bold && !to.bold || from.faint && !to.faint {
		b = b.add(22)
		from.bold, from.faint = false, false
	}
	if to.bold && !from.bold {
		b = b.add(1)
	}
	if to.faint && !from.faint {
		b = b.add(2)
	}
	if from.italic != to.italic {
		if to.italic {
			b = b.add(3)
		} else {
			b = b.add(23)
		}
	}
	if from.ul != to.ul {
		if from.ul != 0 {
			b = b.add(24)
		}
		if to.ul != 0 {
			b = b.underline(to.ul)
		}
	}
	if from.reverse != to.reverse {
		if to.reverse {
			b = b.add(7)
		} else {
			b = b.add(27)
		}
	}
	if from.strike != to.strike {
		if to.strike {
			b = b.add(9)
		} else {
			b = b.add(29)
		}
	}
	if from.overline != to.overline {
		if to.overline {
			b = b.add(53)
		} else {
			b = b.add(55)
		}
	}
	if from.fg != to.fg {
		b = b.colour(to.fg, 30)
	}
	if from.bg != to.bg {
		b = b.colour(to.bg, 40)
	}
	return b
}

// appendSGR appends the shortest SGR that changes from into to.
func appendSGR(out []byte, from, to style) []byte {
	var ib, fb [96]byte
	inc := diff(ib[:0], from, to)
	var res params
	if to == (style{}) {
		res = fb[:0] // ESC[m
	} else {
		res = full(append(fb[:0], '0', ';'), to)
	}
	p := inc
	if len(res) < len(inc) {
		p = res
	}
	if len(p) > 0 {
		p = p[:len(p)-1] // the last ';'
	}
	out = append(out, esc, '[')
	out = append(out, p...)
	return append(out, 'm')
}

// spaceRun is a run of blank spaces with one background.
type spaceRun struct {
	st style // the style of its first space
	n  int
}

type compactor struct {
	out  []byte
	want style // the style the input has set
	term style // the style the output has set
	pend []spaceRun
	last style // the style of the last pending space
	ps   [maxParams]sgrParam
}

func (c *compactor) set(st style) {
	if c.term != st {
		c.out = appendSGR(c.out, c.term, st)
		c.term = st
	}
}

// spaces takes n spaces in the wanted style.
func (c *compactor) spaces(n int) {
	if !c.want.blank() {
		c.flush(c.want, false, true)
		c.set(c.want)
		c.out = appendSpaces(c.out, n)
		return
	}
	if k := len(c.pend); k > 0 && c.pend[k-1].st.bg == c.want.bg {
		c.pend[k-1].n += n
	} else {
		c.pend = append(c.pend, spaceRun{c.want, n})
	}
	c.last = c.want
}

// glyphs takes text other than spaces in the wanted style.
func (c *compactor) glyphs(text string) {
	c.flush(c.want, text[0] >= 0x80, true)
	c.set(c.want)
	c.out = append(c.out, text...)
}

// flush writes the pending blank spaces, each run in the current style if
// that looks the same, else in next's if that does, else in its own. With
// exactLast the last space is written in its exact style.
func (c *compactor) flush(next style, exactLast, hasNext bool) {
	for k, r := range c.pend {
		n := r.n
		lastRun := exactLast && k == len(c.pend)-1
		if lastRun {
			n--
		}
		if n > 0 {
			switch {
			case sameBlank(r.st, c.term):
			case hasNext && sameBlank(r.st, next):
				c.set(next)
			default:
				c.set(r.st)
			}
			c.out = appendSpaces(c.out, n)
		}
		if lastRun {
			c.set(c.last)
			c.out = append(c.out, ' ')
		}
	}
	c.pend = c.pend[:0]
}

// endLine drops the trailing blank spaces on the default background and
// resets the style.
func (c *compactor) endLine() {
	k := len(c.pend)
	for k > 0 && c.pend[k-1].st.bg == (colour{}) {
		k--
	}
	c.pend = c.pend[:k]
	c.flush(style{}, false, false)
	if c.term != (style{}) {
		c.out = append(c.out, esc, '[', 'm')
		c.term = style{}
	}
}

func appendSpaces(out []byte, n int) []byte {
	for n > len(spaces) {
		out = append(out, spaces...)
		n -= len(spaces)
	}
	return append(out, spaces[:n]...)
}
