package store

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The loading fast paths read eight bytes at a time; these tests hold
// them to the plain byte-by-byte reading they replace, on every length
// and every position of the bytes that matter.

// textLine is a simpleLine with its text.
type textLine struct {
	num, indent int
	text        string
}

// textLines gives the lines simpleLines split, of text, with their text.
func textLines(text string, lines []simpleLine) []textLine {
	var out []textLine
	for _, l := range lines {
		out = append(out, textLine{int(l.num), int(l.indent), text[l.start:l.end]})
	}
	return out
}

// linesByRune is simpleLines as written first: line by line, rune by rune.
func linesByRune(data []byte) ([]textLine, bool) {
	var lines []textLine
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
		lines = append(lines, textLine{num: num, indent: len(text) - len(trimmed), text: trimmed})
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
	alphabet := []string{"a", "b", " ", " ", "\n", "#", ":", "-", "é", "Ж", "\t", "\u200b", "\u2029", "\u2028", "\ufeff", "\ufffe", "\uffff", "\uffbf", "\u20ac", "😀", "\xc2\x85", "\xff", "\r"}
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(60) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		// Any bytes, and the same cleaned as parseYAML has them.
		cleaned := string(cleanRaw([]byte(in), &problems{}, 1))
		for _, tc := range []struct {
			in      string
			cleaned bool
		}{{in, false}, {cleaned, false}, {cleaned, true}} {
			want, wantOK := linesByRune([]byte(tc.in))
			for _, inPlace := range []bool{false, true} {
				text, lines, ok := simpleLines([]byte(tc.in), nil, inPlace, tc.cleaned)
				got := textLines(text, lines)
				if ok != wantOK || ok && !(len(got) == 0 && len(want) == 0 || reflect.DeepEqual(got, want)) {
					t.Fatalf("simpleLines(%q, inPlace %v, cleaned %v) = %v %v, want %v %v", tc.in, inPlace, tc.cleaned, got, ok, want, wantOK)
				}
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

// closesByLine is closesFrontmatter written plainly: after a first line
// "---", a line "---" or "..." that ends.
func closesByLine(data []byte) bool {
	lines := strings.SplitAfter(string(bytes.TrimPrefix(data, utf8BOM)), "\n")
	if len(lines) == 0 || (lines[0] != "---\n" && lines[0] != "---\r\n") {
		return false
	}
	for _, l := range lines[1:] {
		switch l {
		case "---\n", "---\r\n", "...\n", "...\r\n":
			return true
		}
	}
	return false
}

// TestClosesFrontmatterOnlyWhenClosed: whenever the cheap test says the
// bytes read close the frontmatter, findFrontmatter finds it in them,
// and finds the same whether or not more of the file follows; and it
// says so exactly when a line closes it (closesByLine).
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
		{"---\n---x\n...\n", true},            // a "---" line that does not close, then one that does
		{"---\nk: \"a\n---\"\n---\r\n", true}, // "---" not at a line start's search
		{"---\r\n---\r\n", true},
		{"---\nk: v\n---\t\n", false},
		{"--- \ntitle: T\n---\n", false},
		{"title: T\n---\n", false},
		{"", false},
		{"---\nk: a---\n", false},                             // dashes that do not start a line
		{"---\n----\n---\n", true},                            // four, then three
		{"---\ndate: 2022-01\nl:\n  - a\n  ---\n---\n", true}, // dashes in values, items, an indented line
		{"---\nk: v\n-- -\n", false},
	}
	for _, tc := range tests {
		if got := closesFrontmatter([]byte(tc.data)); got != tc.closes || closesByLine([]byte(tc.data)) != tc.closes {
			t.Errorf("closesFrontmatter(%q) = %v (closesByLine %v), want %v", tc.data, got, closesByLine([]byte(tc.data)), tc.closes)
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
		if got, want := closesFrontmatter(data), closesByLine(data); got != want {
			t.Fatalf("closesFrontmatter(%q) = %v, closesByLine %v", data, got, want)
		}
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

// frontmatterByLine is findFrontmatter's search for the closing line as
// written first: line by line.
func frontmatterByLine(data []byte, complete bool) (fm frontmatter, needMore bool, line int, err error) {
	start := 0
	if bytes.HasPrefix(data, utf8BOM) {
		start = len(utf8BOM)
	}
	if len(bytes.TrimSpace(data[start:])) == 0 {
		if !complete {
			return fm, true, 0, nil
		}
		return fm, false, 0, fmt.Errorf("empty")
	}
	if wideEncoding(data) != "" || bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
		return fm, false, 0, fmt.Errorf("not text")
	}
	first, rest, ok := cutLine(data[start:])
	if !ok && !complete {
		return fm, true, 0, nil
	}
	if string(bytes.TrimRight(first, " \t")) != "---" {
		return fm, false, 1, fmt.Errorf("no frontmatter")
	}
	offset := len(data) - len(rest)
	line = 2
	for {
		l, next, ok := cutLine(data[offset:])
		if !ok && !complete {
			return fm, true, 0, nil
		}
		if t := bytes.TrimRight(l, " \t"); isCloser(t) {
			return frontmatter{yaml: crlfToLF(data[len(data)-len(rest) : offset]), firstLine: 2, bodyOffset: len(data) - len(next), bodyLine: line + 1}, false, 0, nil
		}
		if !ok {
			return fm, false, 1, fmt.Errorf("never closed")
		}
		offset = len(data) - len(next)
		line++
	}
}

func TestFindFrontmatterFindsAsByLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"---", "...", "--", "----", "\n", "\r\n", "\r", " ", "\t", "a: b", "- x", "\xef\xbb\xbf", "+++", ".", "-"}
	for range 50000 {
		var b strings.Builder
		if rng.IntN(4) > 0 {
			b.WriteString("---\n")
		}
		for range rng.IntN(14) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		data := []byte(b.String())
		for _, complete := range []bool{false, true} {
			fm, more, line, err := findFrontmatter(data, complete)
			wfm, wmore, wline, werr := frontmatterByLine(data, complete)
			if more != wmore || line != wline || (err == nil) != (werr == nil) ||
				fm.bodyOffset != wfm.bodyOffset || fm.bodyLine != wfm.bodyLine || fm.firstLine != wfm.firstLine || string(fm.yaml) != string(wfm.yaml) {
				t.Fatalf("findFrontmatter(%q, %v) = %+v %v %d %v, want %+v %v %d %v", data, complete, fm, more, line, err, wfm, wmore, wline, werr)
			}
		}
	}
}

func TestIsMarkAsUnicode(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := isMark(r), unicode.In(r, unicode.Mn, unicode.Me); got != want {
			t.Fatalf("isMark(%U) = %v, want %v", r, got, want)
		}
	}
}

// TestCleanTextKeepsOnlyWhatIsClean: where the quick test takes a text as
// it is, cleaning it rune by rune changes nothing and warns of nothing.
func TestCleanTextKeepsOnlyWhatIsClean(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	runes := []string{"a", " ", "Ж", "ў", "\u0301", "\u0489", "\u200d", "\u202e", "\t", "\n", "\x7f", "\xc2\x85", "\xff", "ع", "\u064b", "😀", "\U000e0041"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(20) {
			b.WriteString(runes[rng.IntN(len(runes))])
		}
		s := b.String()
		for _, kind := range []fieldKind{textField, strictField} {
			if !isCleanText(s, kind) {
				continue
			}
			ps := &problems{path: "x.md"}
			if got := cleanRunes(s, 1, "f", ps, kind); got != strings.TrimSpace(s) || len(ps.list) > 0 {
				t.Fatalf("%q (kind %d) taken as clean, but cleaning gives %q, %v", s, kind, got, ps.list)
			}
		}
	}
}

// plainScalarInTwoPasses is plainScalar as written first: the comment cut
// off, then the colons looked at.
func plainScalarInTwoPasses(text string) (string, bool) {
	switch text[0] {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return "", false
	}
	if i := strings.Index(text, " #"); i >= 0 {
		text = strings.TrimRight(text[:i], " ")
	}
	for i := 0; i < len(text); i++ {
		if text[i] == ':' && (i+1 == len(text) || text[i+1] == ' ') {
			return "", false
		}
	}
	return text, true
}

func TestPlainScalarReadsAsInTwoPasses(t *testing.T) {
	var inputs []string
	// Each byte that matters, and its neighbours in value and in the
	// high bit, at each position of values around eight bytes long (the
	// length a reading eight bytes at a time would care about).
	for _, special := range []string{"#", ":", " #", ": ", ":#", "# :", "\"", "$", "9", ";", "\xa3", "\xba", "é", " ", "  #x"} {
		for n := range 20 {
			for at := 0; at <= n; at++ {
				base := strings.Repeat("v", n)
				inputs = append(inputs, base[:at]+special+base[at:], "x"+base[:at]+special+base[at:]+" #c")
			}
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []string{"a", "b", " ", " ", "#", ":", "-", "é", "\xa3", "\xba", "\"", "$", ";"}
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(40) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		got, ok := plainScalar(in)
		want, wantOK := plainScalarInTwoPasses(in)
		if got != want || ok != wantOK {
			t.Fatalf("plainScalar(%q) = %q %v, want %q %v", in, got, ok, want, wantOK)
		}
	}
}
