package markdown

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	gansi "github.com/charmbracelet/glamour/ansi"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// hostileCodeBlocks are fenced code blocks on which a syntax highlighter's
// lexer stalls, as measured with chroma v2.20.0 (which glamour v1.0.0
// highlights with) through this package before code blocks were plain:
// JSONata's lexer never finishes on an unclosed string or comment (a rule
// matches the empty string, and the lexer never moves on); the others
// took from 1.3 s (Gnuplot) to 4.5-6 minutes (ObjectPascal) for their 2,000
// characters, trying backtracking regular expressions, each bounded to
// 250 ms, at every position of the text.
var hostileCodeBlocks = []struct {
	name, lang, code string
}{
	{"JSONata unclosed string", "jsonata", `"x`},
	{"JSONata unclosed comment", "jsonata", "/*" + strings.Repeat("*a", 10)},
	{"AutoIt spaces", "autoit", strings.Repeat(" ", 2000)},
	{"Gherkin blank lines", "gherkin", strings.Repeat(" \n", 1000)},
	{"ObjectPascal digits", "objectpascal", strings.Repeat("1", 2000)},
	{"Gnuplot unclosed string", "gnuplot", `"` + strings.Repeat("a", 2000)},
	{"Jungle dashes", "jungle", strings.Repeat("-", 2000)},
}

// renderWithin renders in the background and fails the test when it has
// not finished after a generous while: a lexer that loops would otherwise
// hold the test until go test's own timeout.
func renderWithin(t *testing.T, body string, opts Options) Document {
	t.Helper()
	type result struct {
		doc Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		doc, err := Render(body, opts)
		done <- result{doc, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.doc
	case <-time.After(30 * time.Second):
		t.Fatalf("rendering did not finish in 30 s: %.60q", body)
		return Document{}
	}
}

var foreground = regexp.MustCompile(`\x1b\[[0-9;]*?38;5;(\d+)[0-9;]*m`)

// TestCodeBlocksArePlainText: a code block is drawn as plain text in the
// code block's colour for the theme, whatever language its fence names,
// and never highlighted: briefing text is untrusted, and a highlighter's
// lexer can be made to run for seconds or forever (hostileCodeBlocks).
// Before, chroma coloured each token, and the light theme got the dark
// theme's colours whenever a dark rendering came first in the process
// (glamour registers its chroma style once, under one name).
func TestCodeBlocksArePlainText(t *testing.T) {
	blocks := append([]struct{ name, lang, code string }{
		{"Go", "go", "func main() {\n\tx := \"s\" // comment\n}"},
		{"no language", "", "SELECT name FROM officials WHERE id = 1;\n<b>bold</b> $x = 1;"},
		{"unknown language", "no-such-language", "if (a) { return 1; }"},
		{"YAML", "yaml", "title: Talks\ndate: 2024-02-19"},
	}, hostileCodeBlocks...)
	for _, dark := range []bool{true, false} {
		want := *style(dark).CodeBlock.Color
		for _, b := range blocks {
			t.Run(b.name, func(t *testing.T) {
				body := "Before.\n\n```" + b.lang + "\n" + b.code + "\n```\n\nAfter."
				doc := renderWithin(t, body, Options{Width: 60, Dark: dark, Profile: termenv.ANSI256})
				checkSafe(t, doc.Text, 60)
				colours := map[string]bool{}
				for _, m := range foreground.FindAllStringSubmatch(doc.Text, -1) {
					colours[m[1]] = true
				}
				visible := strings.TrimSpace(b.code) != ""
				if len(colours) > 1 || len(colours) == 1 && !colours[want] || visible && len(colours) == 0 {
					t.Errorf("dark=%v: code drawn in colours %v, want only the code block's %s:\n%q", dark, colours, want, doc.Text)
				}
				// Every character but white space, in order (long lines
				// are broken to fit).
				solid := func(s string) string { return strings.Join(strings.Fields(s), "") }
				if !strings.Contains(solid(ansi.Strip(doc.Text)), solid(b.code)) {
					t.Errorf("dark=%v: the code is not all there:\n%s", dark, ansi.Strip(doc.Text))
				}
			})
		}
	}
}

// TestCodeBlocksWithoutColour: without colour (NO_COLOR), a code block
// is its text, indented, with no style at all.
func TestCodeBlocksWithoutColour(t *testing.T) {
	doc := renderWithin(t, "```go\nfunc main() {}\n```", Options{Width: 40, Dark: true, Profile: termenv.Ascii})
	if strings.Contains(doc.Text, "\x1b") {
		t.Errorf("styled without colour: %q", doc.Text)
	}
	if !strings.Contains(doc.Text, "    func main() {}") {
		t.Errorf("code block not indented as a block: %q", doc.Text)
	}
}

// BenchmarkRenderCodeBlock renders a briefing whose only block is one of
// hostileCodeBlocks (except JSONata's, which a highlighter never
// finishes), and a short Go snippet, in a dark 256-colour terminal.
//
//	go test -run '^$' -bench RenderCodeBlock ./render/markdown/
func BenchmarkRenderCodeBlock(b *testing.B) {
	cases := append([]struct{ name, lang, code string }{
		{"Go snippet", "go", "func main() {\n\tx := \"s\" // comment\n}"},
	}, hostileCodeBlocks[2:]...)
	for _, c := range cases {
		body := "Before.\n\n```" + c.lang + "\n" + c.code + "\n```\n\nAfter."
		b.Run(strings.ReplaceAll(c.name, " ", "-"), func(b *testing.B) {
			for b.Loop() {
				if _, err := Render(body, Options{Width: 80, Dark: true, Profile: termenv.ANSI256}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestHighlightingFailsLoudly: chroma is replaced by a stand-in that
// highlights nothing (see go.mod), so a style that asks glamour to
// highlight makes rendering fail with an error saying so, rather than
// highlight or drop the code.
func TestHighlightingFailsLoudly(t *testing.T) {
	for _, c := range []struct {
		theme  string
		chroma *gansi.Chroma
	}{{"", &gansi.Chroma{}}, {"monokai", nil}} {
		cfg := style(true)
		cfg.CodeBlock.Theme, cfg.CodeBlock.Chroma = c.theme, c.chroma
		md := goldmark.New()
		md.SetRenderer(renderer.NewRenderer(renderer.WithNodeRenderers(
			util.Prioritized(gansi.NewRenderer(gansi.Options{WordWrap: 40, ColorProfile: termenv.ANSI256, Styles: cfg}), 1000))))
		var out bytes.Buffer
		err := md.Convert([]byte("```go\nfunc main() {}\n```\n"), &out)
		if err == nil || !strings.Contains(err.Error(), "not built into brief") {
			t.Errorf("theme %q, chroma style %v: rendering gave %v, %q; want the error that highlighting is not built in", c.theme, c.chroma != nil, err, out.String())
		}
	}
}
