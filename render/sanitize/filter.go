package sanitize

import (
	"strconv"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

type mode uint8

const (
	modeTerminal mode = iota // text, '\n' and allowed SGR
	modePlain                // text and '\n'
	modeLine                 // text only; '\n', tab, U+2028/9 become ' '
)

type state uint8

const (
	stGround   state = iota
	stEsc            // after ESC
	stEscInter       // after ESC and one or more intermediate bytes
	stCSI            // inside a control sequence
	stString         // inside an OSC, DCS, SOS, PM or APC string
)

const (
	esc = 0x1b
	bel = 0x07
	can = 0x18
	sub = 0x1a
	del = 0x7f

	// maxSGRBytes bounds the parameter bytes kept for one CSI: 32
	// parameters of up to 5 digits each and their separators.
	maxSGRBytes = 32 * 6
	// foldMin is how much text the tab-column tracker holds before it
	// measures what it can.
	foldMin = 4096
)

// filter is the state machine behind every function of the package. It is
// fed input in one or more pieces and appends what may pass to out.
type filter struct {
	mode  mode
	st    state
	track bool // track display columns for tab expansion

	// lazy means nothing has been changed yet: the output is src up to
	// the current position and out is not built. The first change copies
	// that prefix into out.
	lazy  bool
	src   string
	out   []byte
	extra int // room to leave in out for growth

	check bool // record the first change in err
	err   *UnsafeError

	base     int               // offset of the current piece in the whole stream
	seqStart int               // offset of the current sequence's introducer
	c1       bool              // the current sequence was introduced by a C1 control
	strOSC   bool              // the current string is an OSC (BEL ends it too)
	inter    bool              // the CSI has intermediate bytes
	csiBad   bool              // the CSI cannot be an allowed SGR
	dirty    bool              // bytes inside the sequence were ignored
	params   [maxSGRBytes]byte // CSI parameter bytes
	nparams  int
	ps       [maxParams]sgrParam           // scratch for filterSGR
	kept     [maxSGRBytes + maxParams]byte // scratch for filterSGR

	col    int    // display column modulo 8 of the text measured so far
	seg    []byte // text of the line not yet measured
	foldAt int

	// Hyperlinks (modeTerminal with links only): an OSC string introduced
	// by ESC ] is collected while it may still be an allowed OSC 8.
	links    bool   // let strict OSC 8 hyperlinks through
	linkOpen bool   // the output has an open hyperlink
	cand     bool   // the current OSC string is collected
	candBad  bool   // the collected string cannot be allowed
	candEsc  bool   // an ESC inside the collected string: ST if a backslash follows
	escAt    int    // stream offset of that ESC
	osc      []byte // the collected payload (after ESC ])
}

func (f *filter) init(m mode, track bool) {
	*f = filter{mode: m, track: track, foldAt: foldMin}
}

// bad records that the output diverges from the input at offset off (in
// the current piece). Everything before off has already been passed on,
// and nothing from off on.
func (f *filter) bad(off int, reason string) {
	if f.check {
		// Check stops here and needs no output.
		if f.err == nil {
			f.err = &UnsafeError{Offset: f.base + off, Reason: reason}
		}
		return
	}
	if f.lazy {
		f.lazy = false
		f.out = make([]byte, 0, len(f.src)+f.extra+64)
		f.out = append(f.out, f.src[:off]...)
	}
}

// badSeq is bad for the sequence in progress, whose introducer may have
// come in an earlier piece (only the Writer feeds pieces, and it is never
// lazy).
func (f *filter) badSeq(reason string) {
	off := f.seqStart - f.base
	if off < 0 {
		off = 0
	}
	f.bad(off, reason)
}

func (f *filter) emit(s string) {
	if !f.lazy {
		f.out = append(f.out, s...)
	}
}

// text passes printable text.
func (f *filter) text(s string) {
	f.emit(s)
	if f.track {
		if len(f.seg) == 0 && isASCII(s) {
			// ASCII is one column a byte, and with nothing pending
			// there is no cluster it could extend
			f.col = (f.col + len(s)) % 8
			return
		}
		f.seg = append(f.seg, s...)
		if len(f.seg) >= f.foldAt {
			f.fold()
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// replacement passes U+FFFD.
func (f *filter) replacement() {
	if !f.lazy {
		f.out = append(f.out, 0xef, 0xbf, 0xbd)
	}
	if f.track {
		f.seg = append(f.seg, 0xef, 0xbf, 0xbd)
		if len(f.seg) >= f.foldAt {
			f.fold()
		}
	}
}

func (f *filter) newline() {
	f.emit("\n")
	f.col = 0
	f.seg = f.seg[:0]
}

// fold measures the complete grapheme clusters of seg, keeping only the
// last, which later text may extend.
func (f *filter) fold() {
	w, keep := measure(f.seg, false)
	f.col = (f.col + w) % 8
	n := copy(f.seg, f.seg[keep:])
	f.seg = f.seg[:n]
	f.foldAt = max(foldMin, 2*n)
}

const spaces = "        "

func (f *filter) tab(i int) {
	f.bad(i, "tab")
	if f.mode == modeLine {
		f.emit(" ")
		return
	}
	w, _ := measure(f.seg, true)
	w = (f.col + w) % 8
	f.emit(spaces[w:])
	f.col = 0
	f.seg = f.seg[:0]
}

// unit kinds
const (
	uASCII   = iota // one byte below 0x80
	uC1             // a C1 control, raw or UTF-8 encoded
	uInvalid        // one byte that is not valid UTF-8
	uRune           // a valid character from U+00A0 on
)

// feed processes s, the next piece of input. Unless final, it stops before
// an incomplete UTF-8 sequence at the end of s and returns how many bytes
// it consumed; the caller passes the rest again with the next piece.
func (f *filter) feed(s string, final bool) int {
	i := 0
	for i < len(s) {
		if f.err != nil {
			return len(s)
		}
		if f.st == stGround {
			var ok bool
			if i, ok = f.ground(s, i, final); !ok {
				return i
			}
			continue
		}
		if f.st == stCSI && !f.inter {
			// parameter digits and separators, the bulk of styled text
			j, k := i, f.nparams
			for j < len(s) && k < maxSGRBytes && s[j] >= '0' && s[j] <= ';' {
				f.params[k] = s[j]
				j++
				k++
			}
			if j > i {
				f.nparams = k
				i = j
				continue
			}
		}
		b := s[i]
		kind, code, n := uASCII, rune(b), 1
		if b >= 0x80 {
			code, n = utf8.DecodeRuneInString(s[i:])
			switch {
			case n == 1:
				if !final && !utf8.FullRuneInString(s[i:]) {
					return i
				}
				if b <= 0x9f {
					kind, code = uC1, rune(b)
				} else {
					kind = uInvalid
				}
			case code <= 0x9f:
				kind = uC1
			default:
				kind = uRune
			}
		}
		if f.step(i, kind, code) {
			i += n
		}
	}
	return i
}

// ground runs the ground state from s[i:] until the state changes or the
// input ends. ok is false when it stopped before an incomplete UTF-8
// sequence at the end of a piece that is not final.
func (f *filter) ground(s string, i int, final bool) (next int, ok bool) {
	start := i // start of the text not yet passed on
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < del {
			i++
			continue
		}
		r, n := rune(c), 1
		if c >= 0x80 {
			r, n = utf8.DecodeRuneInString(s[i:])
			if n > 1 && r >= 0xa0 && r != 0x2028 && r != 0x2029 {
				i += n
				continue
			}
		}
		if i > start {
			f.text(s[start:i])
		}
		switch {
		case c == '\n':
			if f.mode == modeLine {
				f.bad(i, "newline")
				f.emit(" ")
			} else {
				f.closeLink(i, "hyperlink open at the end of a line")
				f.newline()
			}
		case c == '\t':
			f.tab(i)
		case c == esc:
			f.startSeq(i, false)
			f.st = stEsc
			return i + 1, true
		case c < 0x80:
			f.bad(i, "control character")
		case n > 1 && r >= 0xa0: // U+2028, U+2029
			f.bad(i, "line separator")
			if f.mode == modeLine {
				f.emit(" ")
			} else {
				f.newline()
			}
		case n > 1: // C1 as UTF-8
			f.control1(i, r)
			if f.st != stGround {
				return i + n, true
			}
		case !final && !utf8.FullRuneInString(s[i:]):
			return i, false
		case c <= 0x9f: // raw C1
			f.control1(i, rune(c))
			if f.st != stGround {
				return i + 1, true
			}
		default:
			f.bad(i, "invalid UTF-8")
			f.replacement()
		}
		if f.err != nil {
			return len(s), true
		}
		i += n
		start = i
	}
	if i > start {
		f.text(s[start:i])
	}
	return i, true
}

// step handles the unit at offset i inside a sequence and reports whether
// it was consumed; a unit not consumed is handled again in the new state.
func (f *filter) step(i, kind int, code rune) bool {
	switch f.st {
	case stEsc, stEscInter:
		if kind != uASCII {
			return f.abort(i, kind, code)
		}
		switch {
		case code == esc || code == can || code == sub:
			return f.abort(i, kind, code)
		case code >= 0x20 && code <= 0x2f:
			f.st = stEscInter
		case f.st == stEscInter && code >= 0x30 && code <= 0x7e:
			f.badSeq("escape sequence")
			f.st = stGround
		case code == '[':
			f.st = stCSI
		case code == ']' || code == 'P' || code == 'X' || code == '^' || code == '_':
			f.startString(byte(code))
		case code >= 0x30 && code <= 0x7e:
			f.badSeq("escape sequence")
			f.st = stGround
		default: // other C0 controls and DEL are ignored
			f.dirty = true
		}
		return true

	case stCSI:
		if kind != uASCII {
			return f.abort(i, kind, code)
		}
		switch {
		case code >= 0x30 && code <= 0x3f:
			if f.inter || code >= 0x3c || f.nparams == maxSGRBytes {
				f.csiBad = true
			} else {
				f.params[f.nparams] = byte(code)
				f.nparams++
			}
		case code >= 0x20 && code <= 0x2f:
			f.inter = true
			f.csiBad = true
		case code >= 0x40 && code <= 0x7e:
			f.st = stGround
			f.endCSI(byte(code))
		case code == esc || code == can || code == sub:
			return f.abort(i, kind, code)
		default:
			f.dirty = true
		}
		return true

	default: // stString
		if f.candEsc {
			// ESC inside a collected OSC: ST ends it, anything else drops
			// it and the ESC starts a new sequence.
			f.candEsc = false
			if kind == uASCII && code == '\\' {
				f.st = stGround
				f.endHyperlink()
				return true
			}
			f.dropCand()
			f.seqStart, f.c1 = f.escAt, false
			f.inter, f.csiBad, f.dirty = false, false, false
			f.nparams = 0
			f.st = stEsc
			return false
		}
		switch kind {
		case uASCII:
			switch code {
			case bel:
				if f.strOSC {
					f.dropCand()
					f.st = stGround
				}
			case esc:
				if f.cand {
					f.candEsc, f.escAt = true, f.base+i
					break
				}
				// ESC ends the string; ESC \ (ST) is then dropped as a
				// two-byte sequence.
				f.startSeq(i, false)
				f.st = stEsc
			case can, sub:
				f.dropCand()
				f.st = stGround
			default:
				if f.cand {
					f.collect(byte(code))
				}
			}
		case uC1:
			f.dropCand()
			f.st = stGround
			if code != 0x9c { // ST ends the string, any other C1 aborts it
				f.control1(i, code)
			}
		default:
			f.candBad = true // a hyperlink is printable ASCII only
		}
		return true
	}
}

func (f *filter) startSeq(i int, c1 bool) {
	f.seqStart = f.base + i
	f.c1 = c1
	f.inter, f.csiBad, f.dirty = false, false, false
	f.nparams = 0
}

func (f *filter) startString(kind byte) {
	f.st = stString
	f.strOSC = kind == ']'
	if f.strOSC && f.links && !f.c1 {
		// It may be an allowed hyperlink: decide at its end.
		f.cand, f.candBad, f.candEsc, f.osc = true, false, false, f.osc[:0]
		return
	}
	f.badSeq(stringName(kind))
}

func stringName(kind byte) string {
	switch kind {
	case ']':
		return "OSC string"
	case 'P':
		return "DCS string"
	case 'X':
		return "SOS string"
	case '^':
		return "PM string"
	}
	return "APC string"
}

// abort drops the ESC or CSI sequence in progress because of the unit at
// i. ESC starts a new sequence, CAN and SUB are consumed, a C1 control is
// handled as a C1 control, and anything else is handled again as text.
func (f *filter) abort(i, kind int, code rune) bool {
	f.badSeq("incomplete escape sequence")
	f.st = stGround
	switch {
	case kind == uC1:
		f.control1(i, code)
	case kind == uASCII && code == esc:
		f.startSeq(i, false)
		f.st = stEsc
	case kind == uASCII && (code == can || code == sub):
		f.bad(i, "control character")
	default:
		return false
	}
	return true
}

// control1 handles a C1 control at i.
func (f *filter) control1(i int, code rune) {
	f.bad(i, "C1 control")
	f.st = stGround
	f.startSeq(i, true)
	switch code {
	case 0x9b:
		f.st = stCSI
	case 0x9d:
		f.startString(']')
	case 0x90:
		f.startString('P')
	case 0x98:
		f.startString('X')
	case 0x9e:
		f.startString('^')
	case 0x9f:
		f.startString('_')
	}
}

// endCSI ends a control sequence with final byte fin.
func (f *filter) endCSI(fin byte) {
	if fin != 'm' || f.csiBad || f.c1 {
		f.badSeq("CSI sequence")
		return
	}
	if f.mode != modeTerminal {
		f.badSeq("SGR sequence")
		return
	}
	kept, pass, changed, reason, first := filterSGR(f.params[:f.nparams], f.kept[:0], &f.ps)
	if changed || f.dirty {
		switch {
		case reason == "":
			reason = "SGR sequence with ignored bytes"
		case first >= 0 && f.check && f.err == nil:
			reason = "SGR parameter " + strconv.Itoa(first) + " not allowed"
		}
		f.badSeq(reason)
	}
	if !pass {
		return
	}
	if f.lazy {
		return // passed through unchanged
	}
	f.out = append(f.out, esc, '[')
	f.out = append(f.out, kept...)
	f.out = append(f.out, 'm')
}

// finish ends the input: a sequence still open is dropped, and a
// hyperlink still open is closed.
func (f *filter) finish() {
	if f.st != stGround {
		f.cand, f.candEsc = false, false
		f.badSeq("unterminated " + seqName(f.st))
		f.st = stGround
	}
	f.closeLink(len(f.src), "hyperlink open at the end")
}

func seqName(st state) string {
	switch st {
	case stCSI:
		return "CSI sequence"
	case stString:
		return "string sequence"
	}
	return "escape sequence"
}

// measure gives the display width of text (printable text only) as
// github.com/charmbracelet/x/ansi StringWidth counts it: ASCII one column a
// byte, anything else by grapheme cluster. Unless final, the last cluster,
// which more text could extend, is left out: keep is where it starts.
func measure(text []byte, final bool) (width, keep int) {
	i := 0
	for i < len(text) {
		if text[i] < 0x80 {
			width++
			i++
			continue
		}
		cluster, w := ansi.FirstGraphemeCluster(text[i:], ansi.GraphemeWidth)
		if len(cluster) == 0 {
			cluster = text[i : i+1]
		}
		if !final && i+len(cluster) == len(text) {
			return width, i
		}
		width += w
		i += len(cluster)
	}
	return width, len(text)
}
