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

// linked loads one briefing whose body links two of its three sources
// (one as a bare host, one under another case) and a long address.
func linked(t *testing.T) (*store.Briefing, string) {
	t.Helper()
	long := "https://english.news.cn/20240301/" + strings.Repeat("very-long-path/", 6) + "c_1234567890abcdef.htm"
	md := "---\ntitle: T\ndate: 2024\nofficials: [x]\nsources:\n" +
		"  - outlet: Daryo\n    url: https://daryo.uz/\n" +
		"  - outlet: Xinhua\n    url: " + long + "\n" +
		"  - outlet: EU Reporter\n    url: https://www.eureporter.co/\n" +
		"  - outlet: Daryo again\n    url: https://daryo.uz/\n" +
		"---\n\nReported by [Daryo](HTTPS://DARYO.UZ) and [Xinhua's summit coverage](" + long + "), " +
		"with [a map](https://kun.uz/map) and [Daryo again](https://daryo.uz/).\n"
	c, err := store.Load(fstest.MapFS{"a.md": {Data: []byte(md)}}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := c.Briefings()[0]
	body, _, err := c.Body(b)
	if err != nil {
		t.Fatal(err)
	}
	return b, body
}

// TestEveryLinkListedOnce: body links and sources together, one number
// each, the body's first.
func TestEveryLinkListedOnce(t *testing.T) {
	b, body := linked(t)
	for _, plain := range []bool{false, true} {
		pg, err := Render(b, body, styles(), Options{Width: 80, Plain: plain})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"HTTPS://DARYO.UZ", b.Sources()[1].URL, "https://kun.uz/map", "https://www.eureporter.co/"}
		if strings.Join(pg.Links, " ") != strings.Join(want, " ") {
			t.Errorf("plain=%v: links %q, want %q", plain, pg.Links, want)
		}
		text := ansi.Strip(pg.Text)
		tail := text[strings.LastIndex(text, "Links"):]
		for _, u := range []string{"daryo.uz", "kun.uz/map", "eureporter.co"} {
			if n := strings.Count(strings.ToLower(tail), u); n != 1 {
				t.Errorf("plain=%v: %s listed %d times:\n%s", plain, u, n, tail)
			}
		}
		if !strings.Contains(tail, "Source links") || !strings.Contains(tail, "[4] https://www.eureporter.co/") {
			t.Errorf("plain=%v: the source not in the body is not listed after the body's:\n%s", plain, tail)
		}
		if !plain && !strings.Contains(strings.Join(strings.Fields(text), " "), "Daryo [1] and Xinhua's summit coverage [2], with a map [3] and Daryo again [1].") {
			t.Errorf("numbers in the text:\n%s", text)
		}
	}
}

// TestLongAddressesNeverBroken: an address longer than the width is
// shortened in the middle to fit, listed whole with WholeURLs (on a line of
// its own) and in a plain page, and whole in Links either way.
func TestLongAddressesNeverBroken(t *testing.T) {
	b, body := linked(t)
	long := b.Sources()[1].URL
	for _, width := range []int{40, 60, 80} {
		pg, err := Render(b, body, styles(), Options{Width: width})
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(ansi.Strip(pg.Text), "\n")
		found := false
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("width %d: line %d is %d wide: %q", width, i+1, w, l)
			}
			if strings.HasPrefix(l, "  [2] https://english.n") && strings.Contains(l, "…") && strings.HasSuffix(l, "def.htm") {
				found = true
			}
		}
		if !found {
			t.Errorf("width %d: no shortened [2]:\n%s", width, strings.Join(lines, "\n"))
		}
		if pg.Links[1] != long {
			t.Errorf("Links[1] = %q", pg.Links[1])
		}

		pg, err = Render(b, body, styles(), Options{Width: width, WholeURLs: true})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ansi.Strip(pg.Text), "\n  [2]\n"+long+"\n") {
			t.Errorf("width %d: the long address is not whole on its own line:\n%s", width, ansi.Strip(pg.Text))
		}
	}
	pg, err := Render(b, body, styles(), Options{Width: 40, Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pg.Text, "\n[2] "+long+"\n") {
		t.Errorf("plain: the long address is not whole:\n%s", pg.Text)
	}
}

func TestShorten(t *testing.T) {
	for _, tc := range []struct {
		u     string
		width int
		want  string
	}{
		{"https://example.org/abcdefghij", 16, "https://ex…fghij"},
		{"https://пример.рф/путь/к/странице", 20, "https://прим…транице"},
		{"https://example.org/", 1, "h"},
	} {
		got := shorten(tc.u, tc.width)
		if got != tc.want || ansi.StringWidth(got) > tc.width {
			t.Errorf("shorten(%q, %d) = %q, want %q", tc.u, tc.width, got, tc.want)
		}
	}
}

// TestPageHyperlinks: with Hyperlinks, each number and each listed
// address links to its address in the strict form; never in a plain page,
// never unasked, never to an address that is not allowed.
func TestPageHyperlinks(t *testing.T) {
	b, body := linked(t)
	body += "\nA [trap](javascript:alert(1)).\n"
	pg, err := Render(b, body, styles(), Options{Width: 80, Hyperlinks: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := sanitize.CheckWithLinks(pg.Text); err != nil {
		t.Fatalf("unsafe: %v", err)
	}
	for n, u := range pg.Links {
		open := "\x1b]8;;" + u + "\x1b\\"
		got := strings.Count(pg.Text, open)
		switch {
		case u == "javascript:alert(1)":
			if got != 0 || strings.Contains(pg.Text, "\x1b]8;;javascript") {
				t.Errorf("a hyperlink to %q", u)
			}
		case n < 4 && got < 2: // in the body
			t.Errorf("[%d] %s is linked %d times, want the number in the text and the list entry", n+1, u, got)
		case got < 1:
			t.Errorf("[%d] %s is not linked", n+1, u)
		}
	}
	for _, opts := range []Options{{Width: 80}, {Width: 80, Plain: true, Hyperlinks: true}} {
		pg, err := Render(b, body, styles(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(pg.Text, "\x1b]") {
			t.Errorf("%+v: hyperlinks: %q", opts, pg.Text)
		}
	}
}

// TestSourceAddressesOnceOnAPage: the card names each source's address by
// its number in the list, where it is shown whole, instead of showing it
// wrapped mid-address and listing it again.
func TestSourceAddressesOnceOnAPage(t *testing.T) {
	b, body := linked(t)
	pg, err := Render(b, body, styles(), Options{Width: 60})
	if err != nil {
		t.Fatal(err)
	}
	text := ansi.Strip(pg.Text)
	for _, u := range []string{"eureporter.co", "kun.uz/map"} {
		if n := strings.Count(strings.ToLower(text), u); n != 1 {
			t.Errorf("%s is on the page %d times:\n%s", u, n, text)
		}
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"EU Reporter [4]", "Xinhua [2]", "Daryo [1]"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the card lacks %q:\n%s", want, text)
		}
	}
}
