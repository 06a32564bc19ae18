package page

import (
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

func styles() *theme.Theme {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	return theme.New(r, true)
}

// pathological gives briefings built to make a renderer slow: a 1 MB
// line, 5,000 nested quotes, a 300-column table, 500 combining marks on
// one letter.
func pathological(t testing.TB) (*store.Corpus, map[string]*store.Briefing) {
	t.Helper()
	head := "---\ntitle: P\ndate: 2024\nofficials: [x]\n---\n\n"
	cells := make([]string, 300)
	for i := range cells {
		cells[i] = "cell"
	}
	row := "|" + strings.Join(cells, "|") + "|\n"
	fsys := fstest.MapFS{
		"line.md":   {Data: []byte(head + strings.Repeat("word ", 200_000) + "\n")},
		"quotes.md": {Data: []byte(head + strings.Repeat("> ", 5000) + "deep\n")},
		"table.md":  {Data: []byte(head + row + strings.Replace(row, "cell", "---", -1) + row)},
		"marks.md":  {Data: []byte(head + "a" + strings.Repeat("\u0301", 500) + " text\n")},
	}
	c, err := store.Load(fsys, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*store.Briefing{}
	for _, b := range c.Briefings() {
		byPath[b.Path] = b
	}
	return c, byPath
}

// TestPathologicalBriefingsRenderSafely renders each: the output is safe,
// fits the width, and keeps the text (its limits are warned about).
func TestPathologicalBriefingsRenderSafely(t *testing.T) {
	c, bs := pathological(t)
	for name, b := range bs {
		body, problems, err := c.Body(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) == 0 {
			t.Errorf("%s: no warning about the limits", name)
		}
		pg, err := Render(b, body, styles(), Options{Width: 80})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := sanitize.Check(pg.Text); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for i, l := range strings.Split(pg.Text, "\n") {
			if w := ansi.StringWidth(l); w > 80 {
				t.Errorf("%s: line %d is %d wide", name, i, w)
				break
			}
		}
		if want := map[string]string{"line.md": "word", "quotes.md": "deep", "table.md": "cell", "marks.md": "text"}[name]; !strings.Contains(ansi.Strip(pg.Text), want) {
			t.Errorf("%s: %q lost", name, want)
		}
	}
}

// BenchmarkPathological renders each pathological briefing, cleaning
// included: bounded time, whatever the input.
func BenchmarkPathological(b *testing.B) {
	c, bs := pathological(b)
	for name, br := range bs {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				body, _, _ := c.Body(br)
				if _, err := Render(br, body, styles(), Options{Width: 80}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestLinksListedAndNumbered(t *testing.T) {
	fsys := fstest.MapFS{"a.md": {Data: []byte("---\ntitle: T\ndate: 2024\nofficials: [x]\nsources:\n  - outlet: O\n    url: https://example.org/source\n---\n\nSee [the report](https://example.org/report).\n")}}
	c, err := store.Load(fsys, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := c.Briefings()[0]
	body, _, _ := c.Body(b)
	for _, plain := range []bool{false, true} {
		pg, err := Render(b, body, styles(), Options{Width: 60, Plain: plain})
		if err != nil {
			t.Fatal(err)
		}
		text := ansi.Strip(pg.Text)
		if len(pg.Links) != 2 || pg.Links[0] != "https://example.org/report" || pg.Links[1] != "https://example.org/source" {
			t.Errorf("plain=%v: links %v", plain, pg.Links)
		}
		for _, want := range []string{"[1] https://example.org/report", "[2] https://example.org/source", "Source links"} {
			if !strings.Contains(text, want) {
				t.Errorf("plain=%v: page lacks %q:\n%s", plain, want, text)
			}
		}
		if plain && strings.Contains(pg.Text, "\x1b") {
			t.Errorf("a plain page has escapes")
		}
	}
}
