package store

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// plainSplitWant is what plainFrontmatter should give for data, worked
// out the slow and obvious way: findFrontmatter finds the block, each of
// its runes is checked one by one, and strings.Split cuts it into lines.
type plainSplitWant struct {
	ok                bool
	fm                frontmatter
	lines             []simpleLine
	asciiLines        uint64
	allASCII, hashFre bool
}

func plainSplitReference(data []byte) plainSplitWant {
	start := 0
	if bytes.HasPrefix(data, utf8BOM) {
		start = len(utf8BOM)
	}
	if !bytes.HasPrefix(data[start:], []byte("---\n")) {
		return plainSplitWant{} // only an opening line "---" and its LF
	}
	fm, _, _, err := findFrontmatter(data, true)
	if err != nil {
		return plainSplitWant{}
	}
	offset := start + 4
	block := string(data[offset : offset+len(fm.yaml)])
	for i := 0; i < len(block); {
		r, size := utf8.DecodeRuneInString(block[i:])
		switch {
		case r == '\n':
		case r == utf8.RuneError && size == 1, r < 0x20, r >= 0x7f && r < 0xa0,
			r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
			return plainSplitWant{} // not plain
		}
		i += size
	}
	w := plainSplitWant{ok: true, fm: fm, allASCII: true, hashFre: !strings.Contains(block, "#")}
	at := offset
	for k, line := range strings.SplitAfter(block, "\n") {
		if line == "" {
			break // past the block's last LF
		}
		body := strings.TrimSuffix(line, "\n")
		text := strings.TrimLeft(body, " ")
		if text != "" && text[0] != '#' {
			indent := len(body) - len(text)
			text = strings.TrimRight(text, " ")
			ascii := true
			for _, r := range text {
				ascii = ascii && r < utf8.RuneSelf
			}
			if !ascii {
				w.allASCII = false
			} else if n := len(w.lines); n < 64 {
				w.asciiLines |= 1 << n
			}
			w.lines = append(w.lines, simpleLine{num: int32(k + 1), indent: int32(indent), start: int32(at + indent), end: int32(at + indent + len(text))})
		}
		at += len(line)
	}
	return w
}

// plainSplitInputs are frontmatters that put each kind of byte and line
// plainFrontmatter treats apart at each place in an eight- or
// sixteen-byte word, and in and after the first 64 lines.
func plainSplitInputs() []string {
	var lines []string
	for _, special := range []string{
		"", " ", "   ", "#", "# comment é", "  # comment", "é", "Жуков", "😀", "\u00a0", "\u07ff", "\u0800", "\ufffd",
		"\t", "\r", "\x00", "\x01", "\x7f", "\x80", "\xc2\x85", "\xff", "\xe2\x80", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff",
		"---", "...", "--- ", "---\t", "---\r", "---x", "-- -", "- x", ".x", " ---",
	} {
		for pad := range 18 {
			p := strings.Repeat("x", pad)
			lines = append(lines, p+special, "k: "+p+special+" ", strings.Repeat(" ", pad)+special, special+p)
		}
	}
	var inputs []string
	for _, l := range lines {
		for _, body := range []string{"a: b\n", "", "a: b\n" + strings.Repeat(" ", 20) + "c: d\n"} {
			inputs = append(inputs,
				"---\n"+body+l+"\nz: y\n---\nBody\n",
				"---\n"+body+l+"\n---",
				"---\n"+l+"\n...\n",
				"---\n"+body+l,
				"\xef\xbb\xbf---\n"+l+"\n"+body+"---\n",
			)
		}
	}
	for _, closer := range []string{"---", "...", "--- ", "---  \t ", "---\r", "--- \t\r", "...\t", "---\r\r", "---x", "----", "---\x00"} {
		for _, after := range []string{"", "\n", "\nbody\n", "\nbody\x00\n"} {
			inputs = append(inputs, "---\na: b\n"+closer+after, "---\n"+closer+after)
		}
	}
	// Batches of lines: the first 64 kept lines have their ASCII bits,
	// and a line holding no ASCII at any place.
	for _, n := range []int{62, 63, 64, 65, 66, 127, 128, 129, 200} {
		for _, odd := range []string{"k: é", "# é", "", "#", "k: x"} {
			for _, at := range []int{0, 62, 63, 64, 65, 128, n - 1} {
				var b strings.Builder
				b.WriteString("---\n")
				for i := range n {
					if i == at {
						b.WriteString(odd + "\n")
					} else {
						fmt.Fprintf(&b, "k%d: v\n", i)
					}
				}
				b.WriteString("---\n")
				inputs = append(inputs, b.String())
			}
		}
	}
	big := "---\n" + strings.Repeat("k: "+strings.Repeat("v", 70)+"\n", 120) // past 8000 bytes
	inputs = append(inputs, big+"---\n\x00", big+"---\n", big[:7990]+"\n---\n\x00", big[:7990]+"\n---\n"+strings.Repeat("b", 20)+"\x00")
	inputs = append(inputs, "", "-", "---", "---\n", "--- \n---\n", "---\r\n---\r\n", "\xef\xbb\xbf", "\xef\xbb\xbf---\n---\n", "---\n---\n", "---\n\n\n...", "---\n   \n---\n")
	return inputs
}

// TestPlainFrontmatterSplitsAsReference holds plainFrontmatter to
// plainSplitReference: whether it takes a file, the frontmatter, the
// lines, which are printable ASCII, and whether the block holds a '#'.
func TestPlainFrontmatterSplitsAsReference(t *testing.T) {
	inputs := plainSplitInputs()
	taken := 0
	a := &arena{inPlace: true}
	for _, in := range inputs {
		data := []byte(in)
		want := plainSplitReference(data)
		a.reset(1)
		fm, ok := plainFrontmatter(data, a)
		if ok != want.ok {
			t.Errorf("%q: took it %v, want %v", in, ok, want.ok)
			continue
		}
		if !ok {
			if a.asciiLines != 0 || a.allASCII {
				t.Errorf("%q: not taken, but lines noted ASCII (%b, all %v)", in, a.asciiLines, a.allASCII)
			}
			continue
		}
		taken++
		if !reflect.DeepEqual(fm, want.fm) {
			t.Errorf("%q: frontmatter %+v, want %+v", in, fm, want.fm)
		}
		if len(a.lines) != len(want.lines) || len(a.lines) > 0 && !reflect.DeepEqual(a.lines, want.lines) {
			t.Errorf("%q: lines\n%v, want\n%v", in, a.lines, want.lines)
		}
		if a.asciiLines != want.asciiLines || a.allASCII != want.allASCII {
			t.Errorf("%q: ASCII lines %b (all %v), want %b (all %v)", in, a.asciiLines, a.allASCII, want.asciiLines, want.allASCII)
		}
		if a.hashFree != want.hashFre {
			t.Errorf("%q: free of '#' %v, want %v", in, a.hashFree, want.hashFre)
		}
		if a.text != in {
			t.Errorf("%q: text %q", in, a.text)
		}
	}
	// The inputs must try both ways.
	if taken < len(inputs)/4 || taken > len(inputs)*3/4 {
		t.Errorf("took %d of %d inputs", taken, len(inputs))
	}
}
