package dossier

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/render/dossier/dossiertest"
	"github.com/brief-tools/brief/render/markdown"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/muesli/termenv"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	ghtml "github.com/yuin/goldmark/renderer/html"
)

func builtinDossier(t *testing.T) Dossier {
	t.Helper()
	c, err := store.Load(briefs.FS(), store.Options{Name: briefs.Name})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := Collect(c, c.Briefings(), func(b *store.Briefing) (bool, string) {
		return b.ID == "2025-07-24-tokayev-mirziyoyev-call", "ask about the railway"
	})
	if err != nil {
		t.Fatal(err)
	}
	return Dossier{
		Title:     "Kazakhstan–Uzbekistan",
		Selection: []string{"official: Kassym-Jomart Tokayev", "since 2021"},
		Corpus:    "the built-in briefings",
		Made:      time.Date(2025, 9, 1, 8, 30, 0, 0, time.UTC),
		Entries:   entries,
	}
}

func TestMarkdown(t *testing.T) {
	d := builtinDossier(t)
	var buf bytes.Buffer
	if err := Markdown(&buf, d); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	wants := []string{
		"# Kazakhstan–Uzbekistan\n",
		"- **Selected:** official: Kassym-Jomart Tokayev; since 2021\n",
		"- **From:** the built-in briefings\n",
		"- **Made:** 1 September 2025, 08:30 UTC\n",
		"- **Holds:** 6 briefings\n",
		"| # | Date | Kind | Title | Officials |\n",
		"> ★ **Your note:** ask about the railway\n",
		"#### What was discussed\n", // the body's ## under the briefing's ##
		"**Sources**\n\n1. Trend News Agency (via MENAFN), “Kazakhstan\\-Uzbekistan",
	}
	for _, w := range wants {
		w = strings.ReplaceAll(w, `\-`, "-")
		if !strings.Contains(out, w) {
			t.Errorf("the Markdown lacks %q", w)
		}
	}
	// One section per briefing, in order, numbered as in the timeline.
	sections := regexp.MustCompile(`(?m)^## (\d+)\. `).FindAllStringSubmatch(out, -1)
	if len(sections) != len(d.Entries) {
		t.Fatalf("%d sections, want %d", len(sections), len(d.Entries))
	}
	for i, e := range d.Entries {
		if !strings.Contains(out, "\n| "+itoa(i+1)+" | ") || !strings.Contains(out, "## "+itoa(i+1)+". "+escape(e.Briefing.Title)+"\n") {
			t.Errorf("entry %d (%s) is not in the timeline and its section", i+1, e.Briefing.ID)
		}
		// The numbered links are the reader's.
		for j, l := range markdown.Links(e.Body) {
			if !strings.Contains(out, itoa(j+1)+". "+markdownURL(l)+"\n") {
				t.Errorf("%s: link %d %s is not listed", e.Briefing.ID, j+1, l)
			}
		}
	}
	// It renders in brief itself, safely.
	doc, err := markdown.Render(out, markdown.Options{Width: 80, Dark: true, Profile: termenv.ANSI256})
	if err != nil {
		t.Fatal(err)
	}
	if err := sanitize.Check(doc.Text); err != nil {
		t.Errorf("rendered: %v", err)
	}
	plain := sanitize.Plain(doc.Text)
	for _, e := range d.Entries {
		if !strings.Contains(strings.Join(strings.Fields(plain), " "), strings.Join(strings.Fields(e.Briefing.Summary[:40]), " ")) {
			t.Errorf("the rendered dossier lacks the summary of %s", e.Briefing.ID)
		}
	}
	if strings.Contains(plain, `\`) {
		i := strings.Index(plain, `\`)
		t.Errorf("an escape shows in the rendered text: %q", plain[max(0, i-40):min(len(plain), i+40)])
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// renderUnsafe renders Markdown as a viewer that lets HTML through does.
func renderUnsafe(t *testing.T, md string) string {
	t.Helper()
	var buf bytes.Buffer
	g := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(ghtml.WithUnsafe()))
	if err := g.Convert([]byte(md), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestHTML(t *testing.T) {
	d := builtinDossier(t)
	var buf bytes.Buffer
	if err := HTML(&buf, d); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if err := dossiertest.CheckHTML(out); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"@page { size: A4;", "break-before: page", `<section class="briefing" id="b6">`,
		`<a href="#b1">`, "<h4>What was discussed</h4>", "★ <strong>Your note:</strong> ask about the railway",
		`<a href="https://menafn.com/1109841244/`,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("the HTML lacks %q", w)
		}
	}
	text := dossiertest.VisibleText(out)
	for _, e := range d.Entries {
		if !strings.Contains(text, e.Briefing.Title) {
			t.Errorf("the HTML lacks the title %q", e.Briefing.Title)
		}
	}
}

// hostile is a briefing whose every field and body tries to become markup.
const hostile = `---
id: hostile
title: "<script>alert('title')</script> Title"
date: 2025-01-02
kind: "<b onclick=x>call</b>"
location: "Astana\"><img src=x onerror=alert(1)>"
countries: ["<svg onload=alert(1)>"]
topics: ["trade</li><li>injected"]
officials: [tokayev, "<i>Evil</i> Name"]
summary: "Summary <iframe src=https://evil.example/></iframe> & &lt;b&gt; end"
dating:
  basis: inferred
  note: "<style>body{display:none}</style>"
figures:
  - label: "<a href=javascript:alert(1)>label</a>"
    value: "$1bn</span><script>x</script>"
sources:
  - outlet: "Outlet <meta http-equiv=refresh content=0;url=https://evil.example>"
    title: "\" onmouseover=\"alert(1)"
    url: "javascript:alert(1)"
  - outlet: Data
    url: "data:text/html,<script>alert(1)</script>"
  - outlet: Good
    url: "https://example.org/a?b=<c>&d=\"e\""
---

Body <b onclick="alert(1)">bold</b> and <img src=https://evil.example/x.png onerror=alert(1)>.

<div style="position:fixed">block html</div>

<script>alert('body')</script>

[a link](javascript:alert(1)) and [ok](https://example.org/ok "title\" onclick=\"x") and ![pic](https://evil.example/track.png)
and <https://example.org/auto> and <javascript:alert(1)>.

` + "```\"><script>alert(1)</script>\ncode <b>x</b>\n```\n\n## Heading {#evil .class onclick=x}\n\n- [ ] task <input>\n"

func hostileDossier(t *testing.T) Dossier {
	t.Helper()
	fsys := fstest.MapFS{"hostile.md": {Data: []byte(hostile)}}
	reg, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	c, err := store.Load(fsys, store.Options{Name: "<b>corpus</b>", Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Briefings()) != 1 {
		t.Fatalf("the hostile briefing did not load: %v", c.Problems())
	}
	entries, err := Collect(c, c.Briefings(), func(*store.Briefing) (bool, string) { return true, "<script>note</script>" })
	if err != nil {
		t.Fatal(err)
	}
	return Dossier{Title: "<h1>title</h1>", Selection: []string{"text: <script>"}, Corpus: c.Name, Entries: entries}
}

// No element or attribute of the HTML comes from a briefing: every tag in
// it is text.
func TestHostileHTML(t *testing.T) {
	var buf bytes.Buffer
	if err := HTML(&buf, hostileDossier(t)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if err := dossiertest.CheckHTML(out); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	text := dossiertest.VisibleText(out)
	for _, w := range []string{
		"<script>alert('title')</script> Title", "<b onclick=x>call</b>", `Astana"><img src=x onerror=alert(1)>`,
		"<i>Evil</i> Name", "<style>body{display:none}</style>", "$1bn</span><script>x</script>",
		"javascript:alert(1)", "<script>note</script>", "<h1>title</h1>", "text: <script>", "<b>corpus</b>",
		"code <b>x</b>",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("the text %q is not shown as text", w)
		}
	}
	for _, bad := range []string{"<script", "<img", "<iframe", "<svg", "<meta http", "<style>body", "<input", "href=\"data:", "href=\"javascript:"} {
		if strings.Contains(strings.ToLower(out), bad) {
			t.Errorf("the HTML holds %q", bad)
		}
	}
	// The good link is a link, its address escaped.
	if !strings.Contains(out, `href="https://example.org/a?b=%3cc%3e&amp;d=%22e%22"`) {
		t.Errorf("the good source link is not there, escaped:\n%s", out)
	}
}

// In Markdown, the fields read as text and the body's HTML shows as text,
// in a viewer that renders HTML in Markdown too.
func TestHostileMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := Markdown(&buf, hostileDossier(t)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if err := sanitize.Check(out); err != nil {
		t.Errorf("a control character in the Markdown: %v", err)
	}
	// As a viewer renders it (goldmark with raw HTML allowed, the
	// harshest case): no element from the briefing.
	page := renderUnsafe(t, out)
	// (The body's own Markdown, its image and its task box, renders as
	// Markdown does.)
	for _, bad := range []string{"<script", "<img src=x", "<img src=https://evil.example/x.png", "<iframe", "<svg", "<meta", "<div style", "<b onclick", "<style", "<i>", "<input>"} {
		if strings.Contains(page, bad) {
			t.Errorf("a viewer would render %q from:\n%s", bad, out)
		}
	}
	text := dossiertest.VisibleText(page)
	for _, w := range []string{"<script>alert('title')</script> Title", "<b onclick=\"alert(1)\">bold</b>", "<script>note</script>"} {
		if !strings.Contains(text, w) {
			t.Errorf("%q is not shown as text", w)
		}
	}
}

func TestShiftHeadings(t *testing.T) {
	tests := []struct{ in, want string }{
		{"# A\n## B\ntext", "### A\n#### B\ntext"},
		{"##### five\n###### six", "###### five\n###### six"},
		{"#hashtag\n####### seven", "#hashtag\n####### seven"},
		{"```\n# not a heading\n```\n# yes", "```\n# not a heading\n```\n### yes"},
		{"~~~~\n# no\n~~~\n# still code\n~~~~\n# yes", "~~~~\n# no\n~~~\n# still code\n~~~~\n### yes"},
		{"    # indented code", "    # indented code"},
		{"  ## two spaces", "  #### two spaces"},
	}
	for _, tt := range tests {
		if got := shiftHeadings(tt.in, 2); got != tt.want {
			t.Errorf("shiftHeadings(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []string{"a*b*", "_x_", "[l](u)", "<b>", "a|b", "~~s~~", "~s~", "~19 Feb", "&amp;", "&#27;", "R&D", "`c`", `\`, "# h", "$x$"}
	for _, in := range tests {
		page := renderUnsafe(t, "x "+escape(in))
		if got := strings.TrimSpace(dossiertest.VisibleText(page)); got != "x "+in {
			t.Errorf("escape(%q) renders as %q", in, got)
		}
	}
	for _, in := range []string{"- item", "+ item", "1. item", "12) item", "= under"} {
		page := renderUnsafe(t, "x\n\n"+escapeStart(escape(in)))
		if got := strings.TrimSpace(dossiertest.VisibleText(page)); got != "x\n"+in || strings.Contains(page, "<li>") {
			t.Errorf("escapeStart(%q) renders as %q: %s", in, got, page)
		}
	}
}

func TestLinksNumberedAsInTheReader(t *testing.T) {
	bodies := []string{
		"[a](https://a) [b](#frag) ![i](https://i) <https://auto> www.example.org x@example.org",
		"[ref][r]\n\n[r]: https://ref",
		hostile[strings.Index(hostile, "Body"):],
	}
	for _, body := range bodies {
		_, links, err := bodyHTML(body)
		if err != nil {
			t.Fatal(err)
		}
		want := markdown.Links(body)
		for i := range links {
			links[i] = sanitize.Line(links[i])
		}
		if !slices.Equal(links, want) {
			t.Errorf("links %q, the reader's %q", links, want)
		}
	}
}
