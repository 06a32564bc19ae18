package markdown

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// shown renders a body without colour and gives its text as a reader sees
// it: each line without its trailing padding, with no blank lines at
// either end.
func shown(t testing.TB, body string, width int) (string, Document) {
	t.Helper()
	doc, err := Render(body, Options{Width: width, Dark: true, Profile: termenv.Ascii})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(ansi.Strip(doc.Text), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.TrimPrefix(l, "  "), " ") // glamour's margin
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n"), doc
}

// htmlBodies are bodies with raw HTML and what a reader must see of them.
var htmlBodies = []struct {
	name, body, want string
	links            []string
}{
	{"block", "before\n\n<div>\nHello <b>bold</b>\n<p>World</p>\n</div>\n\nafter",
		"before\n\nHello bold\n\nWorld\n\nafter", nil},
	{"inline span", "a <span>x</span> b", "a x b", nil},
	{"inline script", "a <script>alert(1)</script> b", "a b", nil},
	{"inline script with markup", "a <script>x *y* [z](https://z.example)</script> b", "a b", nil},
	{"inline script unclosed", "a <script>x *y* z\n\nnext", "a\n\nnext", nil},
	{"inline style, title, textarea", "a <style>p{}</style><title>T</title><textarea>t</textarea> b", "a b", nil},
	{"script block", "<script>\nalert(1)\n</script>\n\nafter", "after", nil},
	{"style block", "<style>\np { color: red }\n</style>\n\nafter", "after", nil},
	{"hidden elements in a block",
		"<div><title>T</title><textarea>x</textarea><iframe>y</iframe><noscript>n</noscript>shown</div>",
		"shown", nil},
	{"object with markup inside", "<div><object><p>inner</p></object>shown</div>", "shown", nil},
	{"self-closing script hides what follows", "<div><script/>hidden</script>shown</div>", "shown", nil},
	{"entities in a block", "<p>Tom &amp; Jerry &lt;3 &eacute;t&#233; &#x44;</p>", "Tom & Jerry <3 été D", nil},
	{"entity decoded once", "<p>&amp;lt; &amp;amp;</p>", "&lt; &amp;", nil},
	{"entities in text", "x &amp;c &lt;b&gt;y a.b", "x &c <b>y a.b", nil},
	{"comment block", "<!-- hidden -->\n\nafter", "after", nil},
	{"inline comment", "a <!-- c --> b", "a b", nil},
	{"processing instruction and declaration", "<?php echo 1; ?>\n\n<!DOCTYPE html>\n\nafter", "after", nil},
	{"CDATA", "<![CDATA[\nhidden\n]]>\n\nafter", "after", nil},
	{"unclosed tags", "<div>\n<b>bold\n<i>x", "bold x", nil},
	{"tag cut off", "<div>\ntext <b", "text", nil},
	{"inline br", "a<br>b", "a\nb", nil},
	{"table", "<table><tr><td>one</td><td>two</td></tr><tr><th>3</th><td>4</td></tr></table>",
		"one two\n3 4", nil},
	{"list", "<ul><li>a</li><li>b</li></ul>", "a\nb", nil},
	{"pre", "<pre>\nline 1\nline 2\n</pre>", "line 1\nline 2", nil},
	{"in a tight list", "- a\n- <div>x</div>\n- c", "• a\n• x\n• c", nil},
	{"in a link's text", "[a <b>bold</b>](https://x.example) c", "a bold [1] c", []string{"https://x.example"}},
	{"only tags", "<div></div>\n\nafter", "after", nil},
	{"stand-ins from references", "<p>&#xe000;1&#xe001;</p>", "\ufffd1\ufffd", nil},
}

// TestHTMLShownAsText: raw HTML in a body shows as its text, tags removed,
// references decoded once, hidden content dropped, never as glamour's own
// HTML handling would show it.
func TestHTMLShownAsText(t *testing.T) {
	for _, tc := range htmlBodies {
		t.Run(tc.name, func(t *testing.T) {
			got, doc := shown(t, tc.body, 60)
			if got != tc.want {
				t.Errorf("shown as\n%s\nwant\n%s", got, tc.want)
			}
			if !slices.Equal(doc.Links, tc.links) {
				t.Errorf("links %q, want %q", doc.Links, tc.links)
			}
			checkSafe(t, render(t, tc.body, 60).Text, 60)
		})
	}
}

// TestHardLineBreaksKept: a hard line break (two spaces, a backslash or
// <br> at the end of a line) breaks the line; glamour's paragraphs made it
// a space.
func TestHardLineBreaksKept(t *testing.T) {
	for _, body := range []string{"hard  \nbreak", "hard\\\nbreak", "hard<br>\nbreak", "hard<br/>break"} {
		if got, _ := shown(t, body, 60); got != "hard\nbreak" {
			t.Errorf("%q shown as %q", body, got)
		}
	}
	if got, _ := shown(t, "soft\nbreak", 60); got != "soft break" {
		t.Errorf("a soft line break shown as %q", got)
	}
}

// BenchmarkRenderHTMLBlock renders one HTML block of growing size: the
// time per byte must stay flat (no quadratic work in the HTML's text).
//
//	go test -run '^$' -bench RenderHTMLBlock ./render/markdown
func BenchmarkRenderHTMLBlock(b *testing.B) {
	const row = "<p>Talks in <b>Tashkent</b> &amp; Astana, 1,000 delegates.<br>Next round <i>soon</i>.</p>\n"
	for _, size := range []int{64 << 10, 256 << 10, 1 << 20} {
		body := "<div>\n" + strings.Repeat(row, size/len(row)) + "</div>\n"
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := Render(body, Options{Width: 80, Dark: true, Profile: termenv.ANSI256}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
