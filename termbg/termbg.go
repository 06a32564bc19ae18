// Package termbg asks a terminal for its background colour, once and with a
// short bound, and keeps the terminal's answers out of everything else.
//
// The question is OSC 11 ("what is your background colour?") followed by
// DA1 (primary device attributes), which every terminal answers: once the
// DA1 answer is in, the terminal has said all it will say, so a terminal
// that does not know OSC 11 costs one round trip, not a timeout. Only a
// terminal that answers nothing at all (a script, an Emacs shell, expect)
// costs the whole bound.
//
// The stream level (Query, Scanner, Ask, Filter) works on any reader and
// writer, such as an SSH session's; Terminal does the local terminal's
// part: its mode, job control, and answers that come late.
package termbg

import (
	"errors"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// Query asks for the background colour (OSC 11), then for the primary
// device attributes (DA1) as the sentinel every terminal answers.
const Query = "\x1b]11;?\x07\x1b[c"

// Color is a terminal's background colour, each component from 0 to 1.
type Color struct{ R, G, B float64 }

// Dark reports whether text should be styled for a dark background: the
// colour's perceived lightness (CIE L*) is below the middle.
func (c Color) Dark() bool { return c.Lightness() < 50 }

// Lightness gives the colour's CIE L*, from 0 (black) to 100 (white).
func (c Color) Lightness() float64 {
	lin := func(v float64) float64 {
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	y := 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
	if y <= 216.0/24389 {
		return y * 24389 / 27
	}
	return 116*math.Cbrt(y) - 16
}

// maxAnswer bounds how long an unfinished answer may grow before it is
// taken for typed input: real answers are under 40 bytes.
const maxAnswer = 64

// Scanner takes the terminal's answers to Query out of its input. Feed it
// the input in the chunks it arrives in: an answer split across chunks is
// held back until it is whole. The zero Scanner is ready to use.
type Scanner struct {
	held  []byte
	bg    Color
	hasBG bool
	done  bool
}

// Background gives the colour the terminal answered, if it did.
func (s *Scanner) Background() (Color, bool) { return s.bg, s.hasBG }

// Done reports whether the DA1 answer came: the terminal will say nothing
// more about Query.
func (s *Scanner) Done() bool { return s.done }

// Feed gives b without the answers in it: what is left is what was typed,
// in order. The start of an answer at the end of b is held back for the
// next Feed (see Flush).
func (s *Scanner) Feed(b []byte) []byte {
	data := b
	if len(s.held) > 0 {
		data = append(s.held, b...)
		s.held = nil
	}
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); {
		if data[i] != 0x1b {
			out = append(out, data[i])
			i++
			continue
		}
		n, whole := s.answer(data[i:])
		switch {
		case n > 0: // a whole answer: dropped
			i += n
		case !whole && len(data)-i < maxAnswer: // the start of one
			s.held = append(s.held, data[i:]...)
			return out
		default:
			out = append(out, data[i])
			i++
		}
	}
	return out
}

// Flush gives back what Feed held as the possible start of an answer, as
// typed input: when no more input is coming, or when answers are no
// longer expected.
func (s *Scanner) Flush() []byte {
	h := s.held
	s.held = nil
	return h
}

// answer looks at data, which starts with ESC. n > 0 is the length of a
// whole answer to Query (recorded); n == 0 with whole false means data is
// the unfinished start of one; otherwise data holds no answer.
func (s *Scanner) answer(data []byte) (n int, whole bool) {
	if len(data) < 2 {
		return 0, false // a lone ESC at the end: maybe the start
	}
	switch data[1] {
	case ']': // OSC 11 ; colour, ended by BEL or ESC \
		const prefix = "\x1b]11;"
		if m := min(len(data), len(prefix)); string(data[:m]) != prefix[:m] {
			return 0, true
		}
		for i := 2; i < len(data); i++ {
			switch c := data[i]; {
			case c == 0x07:
				s.setColour(data[len(prefix):i])
				return i + 1, true
			case c == 0x1b:
				if i+1 == len(data) {
					return 0, false
				}
				if data[i+1] != '\\' || i < len(prefix) {
					return 0, true
				}
				s.setColour(data[len(prefix):i])
				return i + 2, true
			case c < 0x20 || c == 0x7f:
				return 0, true
			}
		}
		return 0, false
	case '[': // DA1: CSI ? digits and ';' c
		if len(data) == 2 {
			return 0, false
		}
		if data[2] != '?' {
			return 0, true
		}
		for i := 3; i < len(data); i++ {
			switch c := data[i]; {
			case c == 'c':
				s.done = true
				return i + 1, true
			case c >= '0' && c <= '9' || c == ';':
			default:
				return 0, true
			}
		}
		return 0, false
	}
	return 0, true
}

func (s *Scanner) setColour(spec []byte) {
	if c, ok := ParseColor(string(spec)); ok {
		s.bg, s.hasBG = c, true
	}
}

// ParseColor reads a colour as terminals give it in an OSC 11 answer:
// "rgb:RRRR/GGGG/BBBB" with one to four hex digits a component, "rgba:"
// with a fourth (ignored) component, or "#RGB" with one to four digits a
// component.
func ParseColor(spec string) (Color, bool) {
	var parts []string
	switch {
	case strings.HasPrefix(spec, "rgb:"):
		parts = strings.Split(spec[len("rgb:"):], "/")
		if len(parts) != 3 {
			return Color{}, false
		}
	case strings.HasPrefix(spec, "rgba:"):
		parts = strings.Split(spec[len("rgba:"):], "/")
		if len(parts) != 4 {
			return Color{}, false
		}
		parts = parts[:3]
	case strings.HasPrefix(spec, "#"):
		hex := spec[1:]
		if len(hex) == 0 || len(hex)%3 != 0 || len(hex) > 12 {
			return Color{}, false
		}
		n := len(hex) / 3
		parts = []string{hex[:n], hex[n : 2*n], hex[2*n:]}
	default:
		return Color{}, false
	}
	var v [3]float64
	for i, p := range parts {
		if len(p) < 1 || len(p) > 4 {
			return Color{}, false
		}
		x, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return Color{}, false
		}
		v[i] = float64(x) / float64(uint64(1)<<(4*len(p))-1)
	}
	return Color{v[0], v[1], v[2]}, true
}

// DeadlineReader is a reader whose reads can be bounded in time: a
// terminal opened by its path, a pty, a network connection.
type DeadlineReader interface {
	io.Reader
	SetReadDeadline(t time.Time) error
}

// Ask writes Query to w and reads r until the terminal has answered or
// timeout has passed. typed is what was read that was not an answer (keys
// pressed meanwhile), in order. The Scanner says what the terminal said;
// when it is not Done, an answer may still come: keep feeding it what r
// gives (or read through Filter) so that the late answer is taken out.
// The read deadline is cleared before Ask returns.
func Ask(w io.Writer, r DeadlineReader, timeout time.Duration) (s *Scanner, typed []byte, err error) {
	s = &Scanner{}
	if err := r.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return s, nil, err
	}
	defer r.SetReadDeadline(time.Time{})
	if _, err := io.WriteString(w, Query); err != nil {
		return s, nil, err
	}
	buf := make([]byte, 256)
	for !s.Done() {
		n, err := r.Read(buf)
		typed = append(typed, s.Feed(buf[:n])...)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return s, typed, nil
		}
		if err != nil {
			return s, typed, err
		}
	}
	return s, typed, nil
}

// Filter reads through to a terminal's input and takes out the answers to
// a Query that were not in when Ask returned, until the DA1 answer comes
// or until a time: after either, it passes everything through.
type Filter struct {
	r       io.Reader
	s       *Scanner
	until   time.Time
	now     func() time.Time
	pending []byte // kept input that did not fit the caller's buffer
}

// NewFilter filters r with the Scanner Ask returned, until the time given.
func NewFilter(r io.Reader, s *Scanner, until time.Time) *Filter {
	return &Filter{r: r, s: s, until: until, now: time.Now}
}

// Read reads from the input. It may return 0 bytes and no error when all
// it read was an answer.
func (f *Filter) Read(p []byte) (int, error) {
	if len(f.pending) > 0 {
		n := copy(p, f.pending)
		f.pending = f.pending[n:]
		return n, nil
	}
	if f.s.Done() || !f.now().Before(f.until) {
		if h := f.s.Flush(); len(h) > 0 {
			n := copy(p, h)
			f.pending = h[n:]
			return n, nil
		}
		return f.r.Read(p)
	}
	n, err := f.r.Read(p)
	kept := f.s.Feed(p[:n])
	if err != nil || f.s.Done() || string(f.s.held) == "\x1b" {
		// A lone ESC is far likelier the esc key than an answer cut
		// after its first byte: the reader gets it now.
		kept = append(kept, f.s.Flush()...)
	}
	n = copy(p, kept)
	f.pending = kept[n:]
	return n, err
}
