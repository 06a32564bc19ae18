package dossier

import (
	"bytes"
	"fmt"
	"github.com/brief-tools/brief/render/markdown"
	"html/template"
	"io"
	"net/url"
	"strings"
	"sync"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// HTML writes the dossier as one self-contained HTML page.
func HTML(w io.Writer, d Dossier) error {
	page := htmlPage{
		Title:     d.title(),
		Selection: d.selectionText(),
		Corpus:    line(d.Corpus),
		Made:      d.madeText(),
		Count:     count(len(d.Entries)),
	}
	for i, e := range d.Entries {
		entry, err := htmlEntryOf(i+1, e)
		if err != nil {
			return err
		}
		page.Entries = append(page.Entries, entry)
	}
	if err := pageTemplate().Execute(w, page); err != nil {
		return fmt.Errorf("dossier: %w", err)
	}
	return nil
}

// htmlPage is what the template fills in; every string is text, escaped
// by html/template, but Body, which bodyHTML made safe.
type htmlPage struct {
	Title, Selection, Corpus, Made, Count string
	Entries                               []htmlEntry
}

type htmlEntry struct {
	N                             int
	ID                            string
	Title, When, Kind, Location   string
	Draft, Marked                 bool
	Note, Dating, Summary         string
	Officials                     []htmlOfficial
	Figures                       []store.Figure
	Countries, Topics, ShortNames string
	Body                          template.HTML
	Sources                       []htmlSource
	Links                         []htmlLink
}

type htmlOfficial struct{ Name, Role string }

type htmlSource struct {
	Outlet, Title, Published, Lang string
	URL                            htmlLink
	SiteOnly                       string
}

// htmlLink is an address: a link only when it is a web address.
type htmlLink struct {
	Text string
	Href template.URL // "" for none
}

func linkOf(u string) htmlLink {
	u = line(u)
	l := htmlLink{Text: u}
	if isWebLink(u) {
		// isWebLink let through only http, https and mailto: the
		// template's own URL filter would keep them too.
		l.Href = template.URL(u)
	}
	return l
}

func htmlEntryOf(n int, e Entry) (htmlEntry, error) {
	b := e.Briefing
	out := htmlEntry{
		N: n, ID: b.ID, Title: line(b.Title), When: line(b.When()), Kind: line(b.Kind), Location: line(b.Location),
		Draft: b.IsDraft(), Marked: e.Marked, Note: line(e.Note), Dating: datingNote(b), Summary: line(b.Summary),
		Countries: line(strings.Join(b.Countries, ", ")), Topics: line(strings.Join(b.Topics, ", ")), ShortNames: shortNames(b),
	}
	for _, ref := range b.Officials {
		name, role := officialLine(b, ref)
		out.Officials = append(out.Officials, htmlOfficial{Name: name, Role: role})
	}
	for _, f := range b.Figures() {
		out.Figures = append(out.Figures, store.Figure{Label: line(f.Label), Value: line(f.Value), Note: line(f.Note)})
	}
	for _, s := range b.Sources() {
		outlet, title, published, lang := sourceParts(s)
		src := htmlSource{Outlet: outlet, Title: title, Published: published, Lang: lang}
		if s.URL != "" {
			src.URL, src.SiteOnly = linkOf(s.URL), siteOnlyNote(s.URL)
		}
		out.Sources = append(out.Sources, src)
	}
	body, links, err := bodyHTML(e.Body)
	if err != nil {
		return out, fmt.Errorf("dossier: %s: %w", b.Path, err)
	}
	out.Body = body
	for _, l := range links {
		out.Links = append(out.Links, linkOf(l))
	}
	return out, nil
}

// bodyHTML renders a Markdown body as HTML in which nothing but text comes
// from the body: raw HTML is left out, links and images become their text
// and a number ("[2]") that refers to links[1], headings sit two levels
// below the briefing's title, and task boxes are text.
func bodyHTML(body string) (template.HTML, []string, error) {
	source := []byte(sanitize.Plain(body))
	lr := &linkRenderer{}
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.DefinitionList),
		goldmark.WithRendererOptions(
			html.WithXHTML(),
			renderer.WithNodeRenderers(util.Prioritized(lr, 100)),
		),
	)
	var buf bytes.Buffer
	if err := md.Convert(source, &buf); err != nil {
		return "", nil, err
	}
	// Everything in buf was escaped or written by the renderers: goldmark
	// without html.WithUnsafe omits raw HTML, and lr writes no address.
	return template.HTML(buf.String()), lr.links, nil
}

// linkRenderer renders links, images, autolinks, headings, raw HTML and
// task boxes of a body without letting the body choose any element or
// attribute.
type linkRenderer struct {
	links []string
}

func (r *linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(gast.KindLink, r.link)
	reg.Register(gast.KindImage, r.image)
	reg.Register(gast.KindAutoLink, r.autoLink)
	reg.Register(gast.KindHeading, r.heading)
	reg.Register(gast.KindRawHTML, skip)
	reg.Register(gast.KindHTMLBlock, skip)
	reg.Register(east.KindTaskCheckBox, r.taskBox)
	reg.Register(gast.KindFencedCodeBlock, r.codeBlock)
}

// codeBlock writes a fenced code block without the language class that
// goldmark takes from the fence's info string (text of the body).
func (r *linkRenderer) codeBlock(w util.BufWriter, source []byte, n gast.Node, entering bool) (gast.WalkStatus, error) {
	if !entering {
		return gast.WalkContinue, nil
	}
	w.WriteString("<pre><code>")
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		w.WriteString(template.HTMLEscapeString(string(seg.Value(source))))
	}
	w.WriteString("</code></pre>\n")
	return gast.WalkSkipChildren, nil
}

// add numbers a link as the reader does: an address given twice keeps
// its first number.
func (r *linkRenderer) add(u string) int {
	key := markdown.LinkKey(u)
	for i, l := range r.links {
		if markdown.LinkKey(l) == key {
			return i + 1
		}
	}
	r.links = append(r.links, u)
	return len(r.links)
}

// ref writes the number of a link.
func (r *linkRenderer) ref(w util.BufWriter, n int) {
	fmt.Fprintf(w, `<sup class="ref">[%d]</sup>`, n)
}

func (r *linkRenderer) link(w util.BufWriter, source []byte, n gast.Node, entering bool) (gast.WalkStatus, error) {
	dest := string(n.(*gast.Link).Destination)
	if !entering && showsHref(dest) {
		r.ref(w, r.add(dest))
	}
	return gast.WalkContinue, nil
}

func (r *linkRenderer) image(w util.BufWriter, source []byte, n gast.Node, entering bool) (gast.WalkStatus, error) {
	img := n.(*gast.Image)
	if entering {
		w.WriteString(`<span class="image">`)
		return gast.WalkContinue, nil
	}
	w.WriteString(`</span>`)
	if len(img.Destination) > 0 {
		r.ref(w, r.add(string(img.Destination)))
	}
	return gast.WalkContinue, nil
}

func (r *linkRenderer) autoLink(w util.BufWriter, source []byte, n gast.Node, entering bool) (gast.WalkStatus, error) {
	if !entering {
		return gast.WalkContinue, nil
	}
	l := n.(*gast.AutoLink)
	u := string(l.URL(source))
	w.WriteString(template.HTMLEscapeString(string(l.Label(source))))
	if l.AutoLinkType == gast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
		u = "mailto:" + u
	}
	if showsHref(u) {
		r.ref(w, r.add(u))
	}
	return gast.WalkSkipChildren, nil
}

func (r *linkRenderer) heading(w util.BufWriter, source []byte, n gast.Node, entering bool) (gast.WalkStatus, error) {
	level := min(n.(*gast.Heading).Level+2, 6)
	if entering {
		fmt.Fprintf(w, "<h%d>", level)
	} else {
		fmt.Fprintf(w, "</h%d>\n", level)
	}
	return gast.WalkContinue, nil
}

func (r *linkRenderer) taskBox(w util.BufWriter, source []byte, n gast.Node, entering bool) (gast.WalkStatus, error) {
	if entering {
		if n.(*east.TaskCheckBox).IsChecked {
			w.WriteString("[x] ")
		} else {
			w.WriteString("[ ] ")
		}
	}
	return gast.WalkContinue, nil
}

func skip(w util.BufWriter, source []byte, n gast.Node, entering bool) (gast.WalkStatus, error) {
	return gast.WalkSkipChildren, nil
}

// showsHref is the reader's rule for counting a link (render/markdown):
// its address must parse and be more than a fragment, so that "[n]" here
// is "[n]" there.
func showsHref(dest string) bool {
	u, err := url.Parse(dest)
	return err == nil && "#"+u.Fragment != dest
}

var pageTemplate = sync.OnceValue(func() *template.Template { return template.Must(template.New("dossier").Parse(pageSource)) })

// pageSource is the HTML page's template.
const pageSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="brief">
<title>{{.Title}}</title>
<style>
@page { size: A4; margin: 18mm 16mm 20mm; }
:root { color-scheme: light; }
body { font: 11pt/1.45 "Noto Serif", Georgia, "Times New Roman", serif; color: #1a1a1a; background: #fff; max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1, h2, h3, h4, h5, h6, th, .meta, .cover dt { font-family: "Noto Sans", "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 22pt; margin: 0 0 .4em; }
h2 { font-size: 16pt; margin: 0 0 .2em; }
h3 { font-size: 12pt; margin: 1.2em 0 .3em; }
h4, h5, h6 { font-size: 11pt; margin: 1em 0 .3em; }
.cover dl { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }
.cover dt { font-weight: bold; }
.cover dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border-bottom: 1px solid #ccc; padding: .25em .4em; text-align: left; vertical-align: top; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.n { text-align: right; color: #666; }
a { color: #1a4f8b; text-decoration: none; }
.briefing { break-before: page; page-break-before: always; }
.meta { color: #555; margin: 0 0 .6em; }
.id { font-family: "Noto Sans Mono", Menlo, Consolas, monospace; font-size: 8.5pt; color: #777; }
.dating { font-style: italic; color: #555; }
.summary { font-size: 11.5pt; border-left: 3px solid #999; padding-left: .8em; }
.note { background: #fff6d6; border: 1px solid #e0c66a; padding: .4em .7em; }
.draft { color: #8a4b00; font-weight: bold; }
.card h3 { font-size: 10pt; text-transform: uppercase; letter-spacing: .04em; color: #444; }
.card ul { margin: .2em 0; padding-left: 1.2em; }
.figure-value { font-weight: bold; }
.text { margin-top: 1.2em; border-top: 1px solid #ddd; }
.text pre { white-space: pre-wrap; background: #f5f5f5; padding: .5em; font-size: 9pt; }
.text blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1em; color: #333; }
sup.ref { font-size: 7.5pt; color: #1a4f8b; }
.sources li, .links li { word-break: break-all; }
.sources .url, .links a, .links span { font-size: 9pt; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
</style>
</head>
<body>
<section class="cover">
<h1 dir="auto">{{.Title}}</h1>
<dl>
<dt>Selected</dt><dd dir="auto">{{.Selection}}</dd>
{{- if .Corpus}}
<dt>From</dt><dd dir="auto">{{.Corpus}}</dd>
{{- end}}
{{- if .Made}}
<dt>Made</dt><dd>{{.Made}}</dd>
{{- end}}
<dt>Holds</dt><dd>{{.Count}}</dd>
</dl>
{{- if .Entries}}
<h2>Timeline</h2>
<table>
<thead><tr><th>#</th><th>Date</th><th>Kind</th><th>Title</th><th>Officials</th></tr></thead>
<tbody>
{{- range .Entries}}
<tr><td class="n">{{.N}}</td><td>{{.When}}</td><td>{{.Kind}}</td><td dir="auto"><a href="#b{{.N}}">{{if .Marked}}★ {{end}}{{.Title}}</a></td><td dir="auto">{{.ShortNames}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
</section>
{{- range .Entries}}
<section class="briefing" id="b{{.N}}">
<h2 dir="auto">{{.N}}. {{if .Draft}}<span class="draft">DRAFT</span> {{end}}{{.Title}}</h2>
<p class="meta"><strong>{{.When}}</strong>{{if .Kind}} · {{.Kind}}{{end}}{{if .Location}} · <span dir="auto">{{.Location}}</span>{{end}} · <span class="id">{{.ID}}</span></p>
{{- if .Dating}}
<p class="dating" dir="auto">{{.Dating}}</p>
{{- end}}
{{- if .Marked}}
<p class="note" dir="auto">★ {{if .Note}}<strong>Your note:</strong> {{.Note}}{{else}}Marked{{end}}</p>
{{- end}}
{{- if .Summary}}
<p class="summary" dir="auto">{{.Summary}}</p>
{{- end}}
<div class="card">
{{- if .Officials}}
<h3>Officials</h3>
<ul>
{{- range .Officials}}
<li dir="auto">{{.Name}}{{if .Role}} — {{.Role}}{{end}}</li>
{{- end}}
</ul>
{{- end}}
{{- if .Figures}}
<h3>Key figures</h3>
<ul>
{{- range .Figures}}
<li dir="auto"><span class="figure-value">{{.Value}}</span> — {{.Label}}{{if .Note}} <em>({{.Note}})</em>{{end}}</li>
{{- end}}
</ul>
{{- end}}
{{- if .Countries}}
<p><strong>Countries:</strong> <span dir="auto">{{.Countries}}</span></p>
{{- end}}
{{- if .Topics}}
<p><strong>Topics:</strong> <span dir="auto">{{.Topics}}</span></p>
{{- end}}
</div>
<div class="text" dir="auto">
{{.Body}}
</div>
{{- if .Sources}}
<h3>Sources</h3>
<ol class="sources">
{{- range .Sources}}
<li dir="auto">{{.Outlet}}{{if .Title}}{{if .Outlet}}, {{end}}“{{.Title}}”{{end}}{{if .Published}}, {{.Published}}{{end}}{{if .Lang}} ({{.Lang}}){{end}}{{if .URL.Text}}<br><span class="url">{{if .URL.Href}}<a href="{{.URL.Href}}">{{.URL.Text}}</a>{{else}}{{.URL.Text}}{{end}}</span>{{if .SiteOnly}} <em>({{.SiteOnly}})</em>{{end}}{{end}}</li>
{{- end}}
</ol>
{{- end}}
{{- if .Links}}
<h3>Links in the text</h3>
<ol class="links">
{{- range .Links}}
<li>{{if .Href}}<a href="{{.Href}}">{{.Text}}</a>{{else}}<span>{{.Text}}</span>{{end}}</li>
{{- end}}
</ol>
{{- end}}
</section>
{{- end}}
</body>
</html>
`
