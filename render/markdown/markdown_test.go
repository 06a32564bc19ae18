package markdown

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
	"github.com/muesli/termenv"
)

// render renders for a dark 256-colour terminal, failing the test on an
// error.
func render(t testing.TB, body string, width int) Document {
	t.Helper()
	doc, err := Render(body, Options{Width: width, Dark: true, Profile: termenv.ANSI256})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// checkSafe asserts the shared predicate safe(output) and that every line
// fits the width.
func checkSafe(t *testing.T, out string, width int) {
	t.Helper()
	if err := sanitize.Check(out); err != nil {
		t.Errorf("unsafe output: %v\n%q", err, out)
	}
	for i, line := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(line); w > width {
			t.Errorf("line %d is %d columns, over %d: %q", i+1, w, width, ansi.Strip(line))
		}
	}
}

// TestHostileBodies renders bodies that try to act on the terminal; the
// output must be safe and the words around each attack must survive.
func TestHostileBodies(t *testing.T) {
	tests := []struct {
		name string
		body string
		keep []string
	}{
		{"CSI clear and home", "before \x1b[2J\x1b[H after", []string{"before", "after"}},
		{"cursor moves", "up\x1b[5Aleft\x1b[10D done", []string{"up", "left", "done"}},
		{"OSC 52 with BEL", "copy \x1b]52;c;ZXZpbA==\x07 me", []string{"copy", "me"}},
		{"OSC 52 with ST", "copy \x1b]52;c;ZXZpbA==\x1b\\ me", []string{"copy", "me"}},
		{"OSC 0 title", "a \x1b]0;pwned\x07 b", []string{"a", "b"}},
		{"OSC 2 title", "a \x1b]2;pwned\x1b\\ b", []string{"a", "b"}},
		{"OSC 8 link", "see \x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\ now", []string{"see", "here", "now"}},
		{"DCS DECRQSS", "x \x1bP$qm\x1b\\ y", []string{"x", "y"}},
		{"ENQ", "ask \x05 no", []string{"ask", "no"}},
		{"DA and DSR queries", "a \x1b[c b \x1b[6n c \x1b[>0c d", []string{"a", "b", "c", "d"}},
		{"font query", "f \x1b]50;?\x07 g", []string{"f", "g"}},
		{"ESC as decimal reference", "ref &#27;[2J text", []string{"ref", "text"}},
		{"ESC as hex reference", "ref &#x1b;]52;c;ZXZpbA==&#7; text", []string{"ref", "text"}},
		{"ESC reference without semicolon", "ref &#27[31m red", []string{"ref", "red"}},
		{"reference in a code span", "code `&#27;[2J` span", []string{"code", "span"}},
		{"reference in a link", "[click &#27;[2J](https://x.example/&#27;) end", []string{"click", "end"}},
		{"reference in an HTML block", "<div>\n&#27;[2J&#x1b;]0;t&#7;\n</div>\n\nafter", []string{"after"}},
		{"reference split across emphasis", "~~&**#27;**[31mX~~ tail", []string{"X", "tail"}},
		{"C1 CSI as UTF-8", "a \u009b2J b", []string{"a", "b"}},
		{"C1 OSC as UTF-8", "a \u009d0;t\u009c b", []string{"a", "b"}},
		{"NEL as UTF-8", "a \u0085 b", []string{"a", "b"}},
		{"raw 8-bit C1 bytes", "a \x9b2J \x9d0;x\x07 b", []string{"a", "b"}},
		{"invalid UTF-8", "a \xff\xfe b", []string{"a", "b"}},
		{"CR overwrite", "visible\rHIDDEN", []string{"visible", "HIDDEN"}},
		{"BS overwrite", "safe\b\b\b\bEVIL", []string{"EVIL"}},
		{"SO and SI", "a \x0e b \x0f c", []string{"a", "b", "c"}},
		{"BEL and DEL", "a \x07 b \x7f c", []string{"a", "b", "c"}},
		{"control in fenced code", "```\nline \x1b[2J code\n```\n", []string{"line", "code"}},
		{"control in indented code", "    indented \x1b]0;t\x07 code\n", []string{"indented", "code"}},
		{"control in info string", "```go\x1b[2J\nfmt.Println()\n```\n", []string{"Println"}},
		{"conceal and blink", "\x1b[8mhidden\x1b[0m \x1b[5mblink\x1b[0m", []string{"hidden", "blink"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := render(t, tc.body, 60)
			checkSafe(t, doc.Text, 60)
			plain := ansi.Strip(doc.Text)
			for _, w := range tc.keep {
				if !strings.Contains(plain, w) {
					t.Errorf("%q was lost:\n%s", w, plain)
				}
			}
			for _, l := range doc.Links {
				if err := sanitize.Check(l); err != nil || strings.ContainsAny(l, "\x1b\x07") {
					t.Errorf("unsafe link %q", l)
				}
			}
		})
	}
}

func TestLinksAreNumberedInOrder(t *testing.T) {
	body := "First [one](https://a.example/1), then <https://b.example/2>, " +
		"an ![image](https://c.example/3.png), [a fragment](#here) and [two](https://a.example/4).\n\n" +
		"| col | link |\n|---|---|\n| x | [five](https://e.example/5) |\n"
	doc := render(t, body, 80)
	want := []string{"https://a.example/1", "https://b.example/2", "https://c.example/3.png", "https://a.example/4", "https://e.example/5"}
	if strings.Join(doc.Links, " ") != strings.Join(want, " ") {
		t.Fatalf("links %q, want %q", doc.Links, want)
	}
	plain := ansi.Strip(doc.Text)
	for i := range want {
		if ref := "[" + string(rune('1'+i)) + "]"; !strings.Contains(plain, ref) {
			t.Errorf("text lacks %s:\n%s", ref, plain)
		}
	}
	if strings.Contains(plain, "https://") {
		t.Errorf("addresses still inline; they belong in the list:\n%s", plain)
	}
}

func TestEveryLineFits(t *testing.T) {
	bodies := map[string]string{
		"prose":     strings.Repeat("Kazakhstan and Uzbekistan agreed to expand cooperation. ", 40),
		"cyrillic":  strings.Repeat("Казахстан и Узбекистан договорились расширять сотрудничество. ", 30),
		"arabic":    strings.Repeat("تلتزم كازاخستان وأوزبكستان بتعزيز العلاقات وزيادة حجم التجارة. ", 30),
		"long word": "a" + strings.Repeat("b", 300) + " c",
		"long url":  "<https://example.org/" + strings.Repeat("path/", 40) + ">",
		"table":     "| a | b | c |\n|---|---|---|\n| " + strings.Repeat("long cell text ", 20) + " | b | c |\n",
		"box":       "```\n┌────┐\n│ Тест │\n└────┘\n```\n",
		"quotes":    "> > > > > " + strings.Repeat("nested quote text ", 20),
		"lists":     "- one\n  - two\n    - three " + strings.Repeat("deep ", 30),
	}
	for name, body := range bodies {
		for _, width := range []int{20, 60, 80, 100} {
			doc := render(t, body, width)
			t.Run(name, func(t *testing.T) { checkSafe(t, doc.Text, width) })
		}
	}
}

func TestArabicStaysInLogicalOrder(t *testing.T) {
	words := []string{"كازاخستان", "وأوزبكستان", "التجارة"}
	doc := render(t, strings.Join(words, " ")+"\n", 80)
	plain := ansi.Strip(doc.Text)
	last := -1
	for _, w := range words {
		i := strings.Index(plain, w)
		if i <= last {
			t.Fatalf("%q is out of logical order in %q", w, plain)
		}
		last = i
	}
}

// TestCyrillicSingleWidthUnderEastAsianLocale runs the width check in a
// child process with RUNEWIDTH_EASTASIAN=1, which go-runewidth reads when
// it starts: Cyrillic and box drawing must still count one column each.
func TestCyrillicSingleWidthUnderEastAsianLocale(t *testing.T) {
	if os.Getenv("BRIEF_CHILD_EASTASIAN") == "1" {
		if runewidth.StringWidth("Тест│") != 5 {
			t.Fatalf("runewidth counts Cyrillic as wide: %d", runewidth.StringWidth("Тест│"))
		}
		doc := render(t, strings.Repeat("Казахстан и Узбекистан │ ", 20), 40)
		checkSafe(t, doc.Text, 40)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCyrillicSingleWidthUnderEastAsianLocale$", "-test.v")
	cmd.Env = append(os.Environ(), "BRIEF_CHILD_EASTASIAN=1", "RUNEWIDTH_EASTASIAN=1", "LANG=ja_JP.UTF-8", "LC_ALL=ja_JP.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func TestPlainIsSafeWithoutEscapes(t *testing.T) {
	out := Plain("a \x1b[2J b \u009b c &#27; d\n")
	if strings.ContainsAny(out, "\x1b\u009b") || !strings.Contains(out, "d") {
		t.Errorf("Plain = %q", out)
	}
}

// FuzzRender: any body renders without panic to safe output that fits.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"# t\n\n**b** [l](https://x)", linkedProse, "[a](javascript:x) <https://y.example/> ![i](https://z.example/i.png)", "&#27;[2J", "~~&**#27;**[31mX~~", "| a |\n|---|\n| \x1b |", "> > > q", "```\n\x9b\n```",
		"<div>\n<script>x</script>&amp;<p>a<br>b</p>\n</div>", "a <span>b</span> <br> c <script>d\n\ne", "<pre>\n a\n  b</pre>", "- <b>x</b>\n- <table><tr><td>1</td></tr></table>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) > 4096 {
			return
		}
		doc, err := Render(body, Options{Width: 50, Dark: true, Profile: termenv.ANSI256})
		if err != nil {
			return
		}
		checkSafe(t, doc.Text, 50)
		// With hyperlinks: the same text, numbers linked to allowed
		// addresses only, each link closed on its line.
		linked, err := Render(body, Options{Width: 50, Dark: true, Profile: termenv.ANSI256, Hyperlinks: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := sanitize.CheckWithLinks(linked.Text); err != nil {
			t.Fatalf("unsafe with hyperlinks: %v\n%q", err, linked.Text)
		}
		if bare := osc8.ReplaceAllString(linked.Text, ""); bare != doc.Text {
			t.Fatalf("hyperlinks change the text:\n%q\n%q", bare, doc.Text)
		}
		for _, m := range osc8.FindAllStringSubmatch(linked.Text, -1) {
			if m[1] != "" && !sanitize.HyperlinkAllowed(m[1]) {
				t.Fatalf("a hyperlink to %q", m[1])
			}
		}
	})
}

// linkedProse is the kind of paragraph that broke early: links whose text
// spans a line break of the source, in a paragraph, a list item and a
// quote, with figures and addresses that must not break at their
// punctuation.
const linkedProse = `The talks in Astana were reported by [Daryo](https://daryo.uz/en/2024/02/19/talks) and
[Xinhua's
summit coverage](https://english.news.cn/20240219/c_1234567890abcdef.htm) [3]. Both outlets agreed on the agenda, the
[railway](https://daryo.uz/en/rail) that runs from one border to the next and trade of $1.5bn, 1,000,000 tonnes and more.

- The talks in Astana were reported by [Daryo](https://daryo.uz/en/2024/02/19/talks) and [Xinhua's
  summit coverage](https://english.news.cn/20240219/c_1234567890abcdef.htm) [3]. Both outlets agreed on the agenda,
  the railway that runs from one border to the next (see daryo.uz) and trade of $1.5bn, 1,000,000 tonnes.
- A second item with [one link](https://www.inform.kz/en/a) in it, then <https://kabar.kg/news/1> and
  words enough to wrap at every width we try here.

> Quoted: the talks in Astana were reported by [Daryo](https://daryo.uz/en/2024/02/19/talks) and [Xinhua's
> summit coverage](https://english.news.cn/20240219/c_1234567890abcdef.htm) [3]. Both outlets agreed.
`

var (
	osc8             = regexp.MustCompile(`\x1b\]8;;([^\x1b]*)\x1b\\`)
	reference        = regexp.MustCompile(`^\[\d+\]`)
	startsWithNumber = regexp.MustCompile(`^\s*\[\d+\]`)
)

// TestNoEarlyBreaks: no line ends before it has to, that is, the next
// line's first word (with the number glued to it, if any) would not have
// fitted within the right margin of 2 columns; no number starts a line;
// no figure or address is broken at its punctuation.
func TestNoEarlyBreaks(t *testing.T) {
	for _, width := range []int{40, 60, 80, 100} {
		doc := render(t, linkedProse, width)
		checkSafe(t, doc.Text, width)
		lines := strings.Split(ansi.Strip(doc.Text), "\n")
		for i := 0; i+1 < len(lines); i++ {
			cur, next := strings.TrimRight(lines[i], " "), strings.Fields(lines[i+1])
			if strings.TrimSpace(cur) == "" || len(next) == 0 || next[0] == "•" {
				continue
			}
			if next[0] == "│" {
				next = next[1:]
			}
			if reference.MatchString(next[0]) {
				t.Errorf("width %d: a number starts line %d: %q", width, i+2, lines[i+1])
			}
			unit := next[0]
			if len(next) > 1 && reference.MatchString(next[1]) {
				unit += " " + next[1]
			}
			if ansi.StringWidth(cur)+1+ansi.StringWidth(unit) <= width-2 {
				t.Errorf("width %d: line %d ends early: %q, and %q would have fitted", width, i+1, cur, unit)
			}
		}
		plain := strings.Join(strings.Fields(ansi.Strip(doc.Text)), " ")
		for _, w := range []string{"$1.5bn", "1,000,000", "daryo.uz)", "Xinhua's summit coverage [2] [3].", "Daryo [1] and", "one link [4]", "kabar.kg [5]"} {
			if !strings.Contains(plain, w) {
				t.Errorf("width %d: %q is broken or missing:\n%s", width, w, ansi.Strip(doc.Text))
			}
		}
	}
}

// TestLinksListedOnce: the same address, however its scheme and host are
// cased and whether or not it ends its host with "/", has one number.
func TestLinksListedOnce(t *testing.T) {
	body := "[a](https://daryo.uz/) and [b](HTTPS://Daryo.uz) and <https://daryo.uz> then [c](https://kun.uz/x), " +
		"[d](https://daryo.uz/) again and [e](https://kun.uz/X).\n\n![map](https://kun.uz/x)\n"
	doc := render(t, body, 80)
	want := []string{"https://daryo.uz/", "https://kun.uz/x", "https://kun.uz/X"}
	if strings.Join(doc.Links, " ") != strings.Join(want, " ") {
		t.Errorf("links %q, want %q", doc.Links, want)
	}
	plain := strings.Join(strings.Fields(ansi.Strip(doc.Text)), " ")
	for _, w := range []string{"a [1] and b [1] and daryo.uz [1] then c [2], d [1] again and e [3].", "Image: map [2]"} {
		if !strings.Contains(plain, w) {
			t.Errorf("text lacks %q:\n%s", w, plain)
		}
	}
	if got := Links(body); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Links = %q, want %q", got, want)
	}
}

func TestLinkKey(t *testing.T) {
	same := [][2]string{
		{"https://daryo.uz", "https://daryo.uz/"},
		{"HTTPS://DARYO.UZ/", "https://daryo.uz/"},
		{"mailto:a@b.kz", "MAILTO:a@b.kz"},
	}
	for _, p := range same {
		if LinkKey(p[0]) != LinkKey(p[1]) {
			t.Errorf("%q and %q are different links", p[0], p[1])
		}
	}
	differ := [][2]string{
		{"https://daryo.uz/a", "https://daryo.uz/A"},
		{"https://daryo.uz/a", "https://daryo.uz/a/"},
		{"http://daryo.uz/", "https://daryo.uz/"},
		{"https://daryo.uz/?q=1", "https://daryo.uz/"},
	}
	for _, p := range differ {
		if LinkKey(p[0]) == LinkKey(p[1]) {
			t.Errorf("%q and %q are the same link", p[0], p[1])
		}
	}
}

// TestHyperlinks: with Hyperlinks each number links to its address, when
// the address is allowed, in the strict form, opened and closed on its
// line; without, no OSC at all.
func TestHyperlinks(t *testing.T) {
	body := "See [the report](https://daryo.uz/a) and [a trap](javascript:alert(1)), " +
		"[a file](file:///etc/passwd), <press@mfa.example.kz> and [again](https://daryo.uz/a).\n\n- [in a list](https://kun.uz/b)\n"
	for _, width := range []int{30, 80} {
		doc, err := Render(body, Options{Width: width, Dark: true, Profile: termenv.ANSI256, Hyperlinks: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := sanitize.CheckWithLinks(doc.Text); err != nil {
			t.Errorf("unsafe: %v\n%q", err, doc.Text)
		}
		if sanitize.Check(doc.Text) == nil {
			t.Errorf("no hyperlink in %q", doc.Text)
		}
		for i, l := range strings.Split(doc.Text, "\n") {
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("line %d is %d columns: %q", i+1, w, l)
			}
			if strings.Count(l, "\x1b]8;;\x1b\\") != strings.Count(l, "\x1b]8;;")/2 {
				t.Errorf("line %d does not close each of its links: %q", i+1, l)
			}
		}
		for n, addr := range doc.Links {
			ref := fmt.Sprintf("[%d]", n+1)
			linked := "\x1b]8;;" + addr + "\x1b\\" + ref + "\x1b]8;;\x1b\\"
			switch {
			case sanitize.HyperlinkAllowed(addr) && strings.Count(doc.Text, linked) != strings.Count(ansi.Strip(doc.Text), ref):
				t.Errorf("%s is not always a link to %s:\n%q", ref, addr, doc.Text)
			case !sanitize.HyperlinkAllowed(addr) && strings.Contains(doc.Text, "\x1b]8;;"+addr):
				t.Errorf("a hyperlink to %q", addr)
			}
		}
		if len(doc.Links) != 5 {
			t.Errorf("links %q", doc.Links)
		}
	}
	plain := render(t, body, 80)
	if strings.Contains(plain.Text, "\x1b]") {
		t.Errorf("hyperlinks without asking: %q", plain.Text)
	}
}

// TestOverlongWords: a word longer than the width is broken, each line
// keeping its own styles (as Compact leaves them) and each number whole,
// hyperlink included, and no line starting with a number.
func TestOverlongWords(t *testing.T) {
	body := "[abcdefghijklmnopqrstuvwxyz](https://x.example/) and **" + strings.Repeat("б", 30) + "** [x](https://y.example/)\n"
	for width := 10; width <= 24; width++ {
		for _, hyper := range []bool{false, true} {
			doc, err := Render(body, Options{Width: width, Dark: true, Profile: termenv.ANSI256, Hyperlinks: hyper})
			if err != nil {
				t.Fatal(err)
			}
			if err := sanitize.CheckWithLinks(doc.Text); err != nil {
				t.Fatal(err)
			}
			bare := regexp.MustCompile(`\x1b\]8;;[^\x1b]*\x1b\\`).ReplaceAllString(doc.Text, "")
			for i, l := range strings.Split(bare, "\n") {
				if w := ansi.StringWidth(l); w > width {
					t.Errorf("width %d: line %d is %d wide: %q", width, i+1, w, l)
				}
				if sanitize.Compact(l) != l {
					t.Errorf("width %d: line %d does not set its own styles: %q", width, i+1, l)
				}
				if startsWithNumber.MatchString(ansi.Strip(l)) {
					t.Errorf("width %d: line %d starts with a number: %q", width, i+1, l)
				}
			}
			plain := ansi.Strip(doc.Text)
			for _, n := range []string{"[1]", "[2]"} {
				if !strings.Contains(plain, n) {
					t.Errorf("width %d: %s broken:\n%s", width, n, plain)
				}
			}
		}
	}
}
