package store

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// The loading fast paths read eight bytes at a time; these tests hold
// them to the plain byte-by-byte reading they replace, on every length
// and every position of the bytes that matter.

// linesByRune is simpleLines as written first: line by line, rune by rune.
func linesByRune(data []byte) ([]simpleLine, bool) {
	var lines []simpleLine
	s, num := string(data), 0
	for len(s) > 0 {
		num++
		raw, rest, _ := strings.Cut(s, "\n")
		s = rest
		for i := 0; i < len(raw); {
			r, size := utf8.DecodeRuneInString(raw[i:])
			if r < 0x80 && (r < 0x20 || r == 0x7f) || r >= 0x80 && !simplePrintableRune(r, size) {
				return nil, false
			}
			i += size
		}
		text := strings.TrimRight(raw, " ")
		trimmed := strings.TrimLeft(text, " ")
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		lines = append(lines, simpleLine{num: num, indent: len(text) - len(trimmed), text: trimmed})
	}
	return lines, true
}

func TestSimpleLinesReadsAsByRune(t *testing.T) {
	var inputs []string
	// Each special byte at each position of lines around eight bytes long.
	for _, special := range []string{" ", "\t", "\r", "\x00", "\x1f", "\x7f", "\x80", "\xc2\x85", "é", "\u2028", "\ufeff", "\ufffe", "#", "\xff", "  ", "\n"} {
		for n := range 20 {
			for at := 0; at <= n; at++ {
				base := strings.Repeat("k", n)
				inputs = append(inputs, base[:at]+special+base[at:], "  "+base[:at]+special+base[at:]+"  \nx: y\n")
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", " ", " ", "\n", "#", ":", "-", "é", "Ж", "\t", "\u200b", "\u2029"}
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(60) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		want, wantOK := linesByRune([]byte(in))
		for _, inPlace := range []bool{false, true} {
			got, ok := simpleLines([]byte(in), nil, inPlace)
			if ok != wantOK || ok && !(len(got) == 0 && len(want) == 0 || reflect.DeepEqual(got, want)) {
				t.Fatalf("simpleLines(%q, inPlace %v) = %v %v, want %v %v", in, inPlace, got, ok, want, wantOK)
			}
		}
	}
}

func TestIsPlainASCIIReadsAsByByte(t *testing.T) {
	byByte := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] >= 0x7f {
				return false
			}
		}
		return true
	}
	for n := range 24 {
		for at := range n {
			for _, c := range []byte{0, '\n', 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff} {
				b := []byte(strings.Repeat("a", n))
				b[at] = c
				if got, want := isPlainASCII(string(b)), byByte(string(b)); got != want {
					t.Errorf("isPlainASCII(%q) = %v, want %v", b, got, want)
				}
			}
		}
	}
}

// TestClosesFrontmatterOnlyWhenClosed: whenever the cheap test says the
// bytes read close the frontmatter, findFrontmatter finds it in them,
// and finds the same whether or not more of the file follows.
func TestClosesFrontmatterOnlyWhenClosed(t *testing.T) {
	tests := []struct {
		data   string
		closes bool
	}{
		{"---\ntitle: T\n---\nbody", true},
		{"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n", true},
		{"---\ntitle: T\n...\n", true},
		{"---\ntitle: T\n---", false},          // the line may go on
		{"---\ntitle: T\n--- \n", false},       // closed, but read on to be sure
		{"---\ntitle: T\n----\nx: y\n", false}, // not a closing line
		{"---\n---\n", true},
		{"--- \ntitle: T\n---\n", false},
		{"title: T\n---\n", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := closesFrontmatter([]byte(tc.data)); got != tc.closes {
			t.Errorf("closesFrontmatter(%q) = %v, want %v", tc.data, got, tc.closes)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"---", "...", "\n", "\r\n", " ", "a: b", "\xef\xbb\xbf", "-", "."}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		data := []byte(b.String())
		if !closesFrontmatter(data) {
			continue
		}
		fm, more, _, err := findFrontmatter(data, false)
		whole, _, _, wholeErr := findFrontmatter(append(data[:len(data):len(data)], "more\n---\n"...), false)
		if more || err != nil || wholeErr != nil || fm.bodyOffset != whole.bodyOffset || string(fm.yaml) != string(whole.yaml) {
			t.Fatalf("%q closes, but findFrontmatter gives more=%v err=%v (%v, %v with more after)", data, more, err, fm, whole)
		}
	}
}
