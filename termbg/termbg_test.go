package termbg

import (
	"bytes"
	"io"
	"math"
	"strings"
	"testing"
	"time"
)

const (
	darkAnswer  = "\x1b]11;rgb:1c1c/1c1c/1c1c\x07"
	lightAnswer = "\x1b]11;rgb:ffff/ffff/ffff\x1b\\"
	da1Answer   = "\x1b[?62;22c"
)

func TestParseColor(t *testing.T) {
	tests := []struct {
		spec string
		want Color
		ok   bool
	}{
		{"rgb:0000/0000/0000", Color{0, 0, 0}, true},
		{"rgb:ffff/ffff/ffff", Color{1, 1, 1}, true},
		{"rgb:ff/80/00", Color{1, 128.0 / 255, 0}, true},
		{"rgb:f/8/0", Color{1, 8.0 / 15, 0}, true},
		{"rgb:fff/000/fff", Color{1, 0, 1}, true},
		{"rgba:ffff/0000/0000/ffff", Color{1, 0, 0}, true},
		{"#fdf6e3", Color{253.0 / 255, 246.0 / 255, 227.0 / 255}, true},
		{"#fff", Color{1, 1, 1}, true},
		{"rgb:ffff/ffff", Color{}, false},
		{"rgb:fffff/0/0", Color{}, false},
		{"rgb:gg/00/00", Color{}, false},
		{"rgb://", Color{}, false},
		{"rgba:1/2/3", Color{}, false},
		{"#ff", Color{}, false},
		{"", Color{}, false},
		{"?", Color{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseColor(tt.spec)
		if ok != tt.ok || !near(got, tt.want) {
			t.Errorf("ParseColor(%q) = %v, %v; want %v, %v", tt.spec, got, ok, tt.want, tt.ok)
		}
	}
}

func near(a, b Color) bool {
	return math.Abs(a.R-b.R) < 1e-9 && math.Abs(a.G-b.G) < 1e-9 && math.Abs(a.B-b.B) < 1e-9
}

func TestDark(t *testing.T) {
	tests := []struct {
		spec string
		dark bool
	}{
		{"rgb:0000/0000/0000", true},
		{"#002b36", true},  // Solarized dark
		{"#282828", true},  // Gruvbox dark
		{"#1e1e2e", true},  // Catppuccin Mocha
		{"#fdf6e3", false}, // Solarized light
		{"#fbf1c7", false}, // Gruvbox light
		{"#ffffff", false},
		{"#3465a4", true},  // Tango blue
		{"#c0c0c0", false}, // silver
	}
	for _, tt := range tests {
		c, ok := ParseColor(tt.spec)
		if !ok {
			t.Fatalf("ParseColor(%q) failed", tt.spec)
		}
		if c.Dark() != tt.dark {
			t.Errorf("%s: Dark() = %v (L* %.1f), want %v", tt.spec, c.Dark(), c.Lightness(), tt.dark)
		}
	}
}

// TestScannerFeed feeds input whole and split at every byte, and checks
// that what is typed comes out in order and the answers never do.
func TestScannerFeed(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		typed   string
		bg      string // the colour answered, "" for none
		done    bool
		flushed string // what Flush gives at the end
	}{
		{"both answers, BEL", darkAnswer + da1Answer, "", "rgb:1c1c/1c1c/1c1c", true, ""},
		{"both answers, ST", lightAnswer + da1Answer, "", "rgb:ffff/ffff/ffff", true, ""},
		{"only DA1", da1Answer, "", "", true, ""},
		{"only OSC 11", darkAnswer, "", "rgb:1c1c/1c1c/1c1c", false, ""},
		{"keys around the answers", "ab" + darkAnswer + "c" + da1Answer + "d", "abcd", "rgb:1c1c/1c1c/1c1c", true, ""},
		{"arrow keys pass", "\x1b[A\x1b[B" + da1Answer, "\x1b[A\x1b[B", "", true, ""},
		{"alt+] followed by a letter passes", "\x1b]x", "\x1b]x", "", false, ""},
		{"another OSC answer passes", "\x1b]10;rgb:0/0/0\x07", "\x1b]10;rgb:0/0/0\x07", "", false, ""},
		{"DA2 passes", "\x1b[>0;95;0c", "\x1b[>0;95;0c", "", false, ""},
		{"a lone ESC at the end is held", "q\x1b", "q", "", false, "\x1b"},
		{"an unfinished answer is held", "\x1b]11;rgb:00", "", "", false, "\x1b]11;rgb:00"},
		{"an unreadable colour still ends the answer", "\x1b]11;nonsense\x07" + da1Answer, "", "", true, ""},
		{"a control character inside is not an answer", "\x1b]11;rgb\x03", "\x1b]11;rgb\x03", "", false, ""},
		{"too long to be an answer", "\x1b]11;" + strings.Repeat("0", 80), "\x1b]11;" + strings.Repeat("0", 80), "", false, ""},
		{"DA1 with junk inside passes", "\x1b[?6x", "\x1b[?6x", "", false, ""},
	}
	for _, tt := range tests {
		for cut := 0; cut <= len(tt.in); cut++ {
			var s Scanner
			got := string(s.Feed([]byte(tt.in[:cut]))) + string(s.Feed([]byte(tt.in[cut:])))
			flushed := string(s.Flush())
			// Held bytes come out by Flush, so together nothing typed is lost.
			if got != tt.typed || flushed != tt.flushed {
				t.Errorf("%s, cut at %d: typed %q, flushed %q; want %q, %q", tt.name, cut, got, flushed, tt.typed, tt.flushed)
			}
			c, ok := s.Background()
			if want, _ := ParseColor(strings.TrimPrefix(tt.bg, "")); ok != (tt.bg != "") || (ok && !near(c, want)) {
				t.Errorf("%s, cut at %d: background %v, %v; want %q", tt.name, cut, c, ok, tt.bg)
			}
			if s.Done() != tt.done {
				t.Errorf("%s, cut at %d: Done() = %v, want %v", tt.name, cut, s.Done(), tt.done)
			}
		}
	}
}

// chunkReader gives its chunks one Read at a time.
type chunkReader struct{ chunks []string }

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.chunks[0])
	r.chunks[0] = r.chunks[0][n:]
	if r.chunks[0] == "" {
		r.chunks = r.chunks[1:]
	}
	return n, nil
}

func readAll(t *testing.T, r io.Reader, size int) string {
	t.Helper()
	var out bytes.Buffer
	buf := make([]byte, size)
	for range 1000 {
		n, err := r.Read(buf)
		out.Write(buf[:n])
		if err == io.EOF {
			return out.String()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Fatal("the reader never ended")
	return ""
}

func TestFilter(t *testing.T) {
	future := time.Now().Add(time.Hour)
	tests := []struct {
		name   string
		chunks []string
		until  time.Time
		size   int // the caller's buffer
		want   string
	}{
		{"late answers are taken out", []string{"a", darkAnswer[:7], darkAnswer[7:] + da1Answer, "q"}, future, 256, "aq"},
		{"after DA1 everything passes", []string{da1Answer + "x", da1Answer}, future, 256, "x" + da1Answer},
		{"after the time everything passes", []string{darkAnswer + "q"}, time.Now().Add(-time.Second), 256, darkAnswer + "q"},
		{"a small buffer loses nothing", []string{"abc" + darkAnswer + "defgh"}, future, 8, "abcdefgh"},
		{"a tiny buffer loses nothing typed", []string{"abcdefgh"}, future, 1, "abcdefgh"},
		{"an unfinished answer at the end comes out", []string{"x\x1b]11;rgb"}, future, 256, "x\x1b]11;rgb"},
	}
	for _, tt := range tests {
		f := NewFilter(&chunkReader{chunks: tt.chunks}, &Scanner{}, tt.until)
		if got := readAll(t, f, tt.size); got != tt.want {
			t.Errorf("%s: read %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestFilterPassesEscAtOnce: the esc key, read alone, reaches the reader
// at once even while answers are expected.
func TestFilterPassesEscAtOnce(t *testing.T) {
	f := NewFilter(&chunkReader{chunks: []string{"\x1b", "j"}}, &Scanner{}, time.Now().Add(time.Hour))
	buf := make([]byte, 16)
	n, err := f.Read(buf)
	if err != nil || string(buf[:n]) != "\x1b" {
		t.Fatalf("first read gave %q, %v; want the esc key", buf[:n], err)
	}
}
