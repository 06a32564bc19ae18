package markdown

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestLongWordsComeOutWhole: a word too long for any line is laid out
// with break points of its own (see breakLongWords); they never show, no
// character is lost or added, the words around it keep their spaces, and
// every line fits. In a paragraph, a code span, a link's text and an
// address alike; in Latin, Cyrillic, wide CJK and letters with marks.
func TestLongWordsComeOutWhole(t *testing.T) {
	words := map[string]string{
		"latin":     strings.Repeat("abcdefghij", 30),
		"cyrillic":  strings.Repeat("Тоқаевжц", 40),
		"cjk":       strings.Repeat("哈萨克斯坦", 50),
		"marks":     strings.Repeat("e\u0301a\u0308", 90),
		"just over": strings.Repeat("x", longWord+1),
	}
	for name, word := range words {
		for _, shape := range []struct{ name, body, want string }{
			{"paragraph", "before " + word + " after", "before " + word + " after"},
			{"code span", "before `" + word + "` after", "before " + word + " after"},
			{"link text", "before [" + word + "](https://example.org/a) after", "before " + word + " [1] after"},
		} {
			for _, width := range []int{20, 50, 80} {
				doc := render(t, shape.body, width)
				checkSafe(t, doc.Text, width)
				if strings.ContainsRune(doc.Text, markBreak) {
					t.Fatalf("%s in a %s at %d: a break point shows", name, shape.name, width)
				}
				// Every character there, in order (the spaces aside).
				joined := strings.Join(strings.Fields(ansi.Strip(doc.Text)), "")
				if got, want := joined, strings.ReplaceAll(shape.want, " ", ""); !strings.Contains(got, want) {
					t.Errorf("%s in a %s at %d: the text is not all there:\n%s", name, shape.name, width, ansi.Strip(doc.Text))
				}
				for _, l := range strings.Split(ansi.Strip(doc.Text), "\n") {
					l = strings.TrimSpace(l)
					l = strings.TrimSpace(strings.TrimPrefix(l, "before"))
					l = strings.TrimSpace(strings.TrimSuffix(l, "after"))
					l = strings.TrimSpace(strings.TrimSuffix(l, "[1]"))
					if strings.Contains(l, " ") {
						t.Errorf("%s in a %s at %d: a space inside the word: %q", name, shape.name, width, l)
					}
				}
				if f := strings.Fields(ansi.Strip(doc.Text)); len(f) < 3 || f[0] != "before" || f[len(f)-1] != "after" {
					t.Errorf("%s in a %s at %d: the words around lost their spaces:\n%s", name, shape.name, width, ansi.Strip(doc.Text))
				}
			}
		}
	}
}

// BenchmarkRenderLongWords renders paragraphs of one word each, of
// growing length: the time per byte stays flat (it grew with the word's
// length, 154 ms for one of 4,000 characters).
//
//	go test -run '^$' -bench RenderLongWords ./render/markdown
func BenchmarkRenderLongWords(b *testing.B) {
	for _, n := range []int{1000, 4000, 16000, 64000} {
		body := strings.Repeat("\u00e0", n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				render(b, body, 80)
			}
		})
	}
}

// TestLongBodiesAreCut: a body longer than MaxLaidOut is laid out up to a
// paragraph before it, then a paragraph says how much is left and how to
// read it; a shorter one is laid out whole.
func TestLongBodiesAreCut(t *testing.T) {
	para := strings.Repeat("word ", 200) + "\n\n"
	tests := []struct {
		name   string
		body   string
		cut    bool
		notice string
	}{
		{"just short enough", strings.Repeat(para, MaxLaidOut/len(para)) + "END", false, ""},
		{"paragraphs", strings.Repeat(para, 2*MaxLaidOut/len(para)) + "END", true, "another 0.3 MB"},
		{"one line", strings.Repeat("Тоқаев ", MaxLaidOut/5) + "END", true, "another 0.4 MB"},
		{"links", strings.Repeat("[l](https://example.org/x) ", 4*MaxLaidOut/27) + "END", true, "another 0.7 MB"},
	}
	for _, tc := range tests {
		if kept := cutToLayOut(tc.body); tc.cut && len(kept) > MaxLaidOut+200 {
			t.Errorf("%s: %d bytes laid out, over %d and the notice", tc.name, len(kept), MaxLaidOut)
		}
		doc := render(t, tc.body, 80)
		plain := ansi.Strip(doc.Text)
		if got := strings.Contains(plain, "END"); got == tc.cut {
			t.Errorf("%s (%d bytes): the end shows: %v", tc.name, len(tc.body), got)
		}
		said := strings.Contains(plain, "too long to lay out here")
		if said != tc.cut || (tc.cut && !strings.Contains(plain, tc.notice)) {
			t.Errorf("%s: want notice %v (%q), got:\n%s", tc.name, tc.cut, tc.notice, plain[max(0, len(plain)-400):])
		}
		checkSafe(t, doc.Text, 80)
	}
}
