package dossier

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/brief-tools/brief/render/markdown"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// Markdown writes the dossier as Markdown (CommonMark with GFM tables).
func Markdown(w io.Writer, d Dossier) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }

	p("# %s\n\n", escape(d.title()))
	p("- **Selected:** %s\n", escape(d.selectionText()))
	if c := line(d.Corpus); c != "" {
		p("- **From:** %s\n", escape(c))
	}
	if m := d.madeText(); m != "" {
		p("- **Made:** %s\n", escape(m))
	}
	p("- **Holds:** %s\n\n", count(len(d.Entries)))

	if len(d.Entries) > 0 {
		p("## Timeline\n\n")
		p("| # | Date | Kind | Title | Officials |\n| ---: | --- | --- | --- | --- |\n")
		for i, e := range d.Entries {
			b := e.Briefing
			title := cell(b.Title)
			if e.Marked {
				title = "★ " + title
			}
			p("| %d | %s | %s | %s | %s |\n", i+1, cell(b.When()), cell(b.Kind), title, cell(shortNames(b)))
		}
		p("\n")
	}

	for i, e := range d.Entries {
		p("---\n\n")
		writeMarkdownEntry(bw, i+1, e)
	}
	return bw.Flush()
}

func writeMarkdownEntry(w *bufio.Writer, n int, e Entry) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	b := e.Briefing
	d := b.Details()
	draft := ""
	if b.IsDraft() {
		draft = "DRAFT: "
	}
	p("## %d. %s%s\n\n", n, draft, escape(line(b.Title)))
	meta := []string{"**" + escape(line(b.When())) + "**"}
	if k := line(b.Kind); k != "" {
		meta = append(meta, escape(k))
	}
	if l := line(b.Location); l != "" {
		meta = append(meta, escape(l))
	}
	p("%s · `%s`\n\n", strings.Join(meta, " · "), strings.ReplaceAll(b.ID, "`", ""))
	if note := datingNote(b); note != "" {
		p("*%s*\n\n", escape(note))
	}
	if e.Marked {
		if note := line(e.Note); note != "" {
			p("> ★ **Your note:** %s\n\n", escape(note))
		} else {
			p("> ★ **Marked**\n\n")
		}
	}
	if s := line(b.Summary); s != "" {
		p("%s\n\n", escapeStart(escape(s)))
	}
	if len(b.Officials) > 0 {
		p("**Officials**\n\n")
		for _, ref := range b.Officials {
			name, role := officialLine(b, ref)
			if role != "" {
				p("- %s — %s\n", escape(name), escape(role))
			} else {
				p("- %s\n", escape(name))
			}
		}
		p("\n")
	}
	if len(d.Figures) > 0 {
		p("**Key figures**\n\n")
		for _, f := range d.Figures {
			p("- **%s** — %s", escape(line(f.Value)), escape(line(f.Label)))
			if note := line(f.Note); note != "" {
				p(" *(%s)*", escape(note))
			}
			p("\n")
		}
		p("\n")
	}
	if len(b.Countries) > 0 {
		p("**Countries:** %s  \n", escape(line(strings.Join(b.Countries, ", "))))
	}
	if len(b.Topics) > 0 {
		p("**Topics:** %s  \n", escape(line(strings.Join(b.Topics, ", "))))
	}
	if len(b.Countries) > 0 || len(b.Topics) > 0 {
		p("\n")
	}

	if body := strings.TrimSpace(shiftHeadings(neutralizeHTML(sanitize.Plain(e.Body)), 2)); body != "" {
		p("%s\n\n", body)
	}

	if len(d.Sources) > 0 {
		p("**Sources**\n\n")
		for i, s := range d.Sources {
			outlet, title, published, lang := sourceParts(s)
			var parts []string
			if outlet != "" {
				parts = append(parts, escape(outlet))
			}
			if title != "" {
				parts = append(parts, "“"+escape(title)+"”")
			}
			if published != "" {
				parts = append(parts, escape(published))
			}
			text := strings.Join(parts, ", ")
			if lang != "" {
				text += " (" + escape(lang) + ")"
			}
			if s.URL != "" {
				text += " — " + markdownURL(s.URL)
				if note := siteOnlyNote(s.URL); note != "" {
					text += " *(" + escape(note) + ")*"
				}
			}
			p("%d. %s\n", i+1, text)
		}
		p("\n")
	}
	if links := markdown.Links(e.Body); len(links) > 0 {
		p("**Links in the text**\n\n")
		for i, l := range links {
			p("%d. %s\n", i+1, markdownURL(l))
		}
		p("\n")
	}
}

// markdownURL writes an address as a link when it is a web address that
// an autolink can hold, else as text.
func markdownURL(u string) string {
	u = line(u)
	if isWebLink(u) && !strings.ContainsAny(u, " <>\\`") {
		return "<" + u + ">"
	}
	return escape(u)
}

// escape makes text read as itself inside a line of Markdown: every
// character that could start inline markup (emphasis, code, links, HTML,
// headings, table cells) is escaped with a backslash, and so are '~' when
// two could strike text through and '&' when it starts a character
// reference. (glamour shows a backslash before '~' and '&', so they are
// escaped only when they must be.) Text that starts a line goes through
// escapeStart too.
func escape(s string) string {
	var b strings.Builder
	tildes := strings.Count(s, "~") > 1
	for i, r := range s {
		switch {
		case strings.ContainsRune("\\`*_{}[]<>#|", r),
			r == '~' && tildes,
			r == '&' && entity().MatchString(s[i:]):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// entity matches a character reference at the start of a text.
var entity = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)
})

// escapeStart escapes what would make an escaped text starting a line a
// list item, a quote or a heading underline: a leading -, +, = or >, or
// digits followed by . or ).
func escapeStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '-', '+', '=':
		return "\\" + s
	}
	digits := 0
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	if digits > 0 && digits < len(s) && (s[digits] == '.' || s[digits] == ')') {
		return s[:digits] + "\\" + s[digits:]
	}
	return s
}

// cell makes text one table cell.
func cell(s string) string { return escape(line(s)) }

// shiftHeadings moves every ATX heading of a Markdown body down by n
// levels (at most to level 6), outside code blocks, so that the body's
// headings nest under the briefing's own.
func shiftHeadings(body string, n int) string {
	lines := strings.Split(body, "\n")
	fence := ""
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, " ")
		indent := len(l) - len(trimmed)
		if fence != "" {
			if indent < 4 && strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]+" ") == "" {
				fence = ""
			}
			continue
		}
		if indent >= 4 {
			continue
		}
		if f := fenceOf(trimmed); f != "" {
			fence = f
			continue
		}
		level := 0
		for level < len(trimmed) && trimmed[level] == '#' {
			level++
		}
		if level == 0 || level > 6 || (level < len(trimmed) && trimmed[level] != ' ' && trimmed[level] != '\t') {
			continue
		}
		lines[i] = strings.Repeat(" ", indent) + strings.Repeat("#", min(level+n, 6)) + trimmed[level:]
	}
	return strings.Join(lines, "\n")
}

// fenceOf gives the fence a line opens (``` or ~~~, as long as written),
// or "".
func fenceOf(l string) string {
	for _, c := range []byte{'`', '~'} {
		n := 0
		for n < len(l) && l[n] == c {
			n++
		}
		if n >= 3 && (c == '~' || !strings.Contains(l[n:], "`")) {
			return l[:n]
		}
	}
	return ""
}

// neutralizeHTML makes the raw HTML of a Markdown body text: each '<' that
// opens an HTML block or inline HTML becomes "&lt;", so that a viewer
// that renders HTML in Markdown shows the body's tags instead of obeying
// them. Code is left as it is.
func neutralizeHTML(body string) string {
	source := []byte(body)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList)).Parser().Parse(text.NewReader(source))
	var spans [][2]int
	_ = gast.Walk(doc, func(n gast.Node, entering bool) (gast.WalkStatus, error) {
		if !entering {
			return gast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *gast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				spans = append(spans, [2]int{seg.Start, seg.Stop})
			}
		case *gast.HTMLBlock:
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				spans = append(spans, [2]int{seg.Start, seg.Stop})
			}
			if n.HasClosure() {
				seg := n.ClosureLine
				spans = append(spans, [2]int{seg.Start, seg.Stop})
			}
		}
		return gast.WalkContinue, nil
	})
	if len(spans) == 0 {
		return body
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		if sp[0] < last {
			continue
		}
		b.WriteString(body[last:sp[0]])
		b.WriteString(strings.ReplaceAll(body[sp[0]:sp[1]], "<", "&lt;"))
		last = sp[1]
	}
	b.WriteString(body[last:])
	return b.String()
}
