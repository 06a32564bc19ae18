// Package page lays out a whole briefing for reading: its summary card, its
// rendered body, and its links, numbered, at the end, so that they can be
// read and copied on any terminal, over SSH included.
package page

import (
	"fmt"
	"strings"

	"github.com/brief-tools/brief/render/card"
	"github.com/brief-tools/brief/render/markdown"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/x/ansi"
)

// Options say how to lay out a page.
type Options struct {
	Width int
	// Plain lays the page out as plain text for a pipe: the card unframed
	// (not wrapped when Width is 0), the body as its Markdown source.
	Plain bool
}

// Page is a laid-out briefing.
type Page struct {
	// Text is the page, every line at most Width columns, safe to print.
	Text string
	// Links are the body's links and then the sources' links; "[n]" in
	// the text refers to Links[n-1].
	Links []string
}

// Render lays out briefing b with its body.
func Render(b *store.Briefing, body string, th *theme.Theme, opts Options) (Page, error) {
	width := max(opts.Width, 20)
	var sb strings.Builder
	var links []string
	if opts.Plain {
		sb.WriteString(card.Briefing(b, th, card.Options{Width: opts.Width, Plain: true}))
		sb.WriteString("\n\n")
		sb.WriteString(markdown.Plain(body))
		links = bodyLinksPlain(body)
	} else {
		sb.WriteString(card.Briefing(b, th, card.Options{Width: width}))
		sb.WriteString("\n")
		doc, err := markdown.Render(body, markdown.Options{Width: width, Dark: th.Dark, Profile: th.Renderer.ColorProfile()})
		if err != nil {
			return Page{}, fmt.Errorf("%s: %w", b.Path, err)
		}
		sb.WriteString(strings.TrimRight(doc.Text, "\n"))
		sb.WriteString("\n")
		links = doc.Links
	}
	bodyLinks := len(links)
	for _, s := range b.Sources {
		if s.URL != "" {
			links = append(links, s.URL)
		}
	}
	if len(links) > 0 {
		sb.WriteString("\n")
		sb.WriteString(linkList(links, bodyLinks, th, width, opts.Plain))
	}
	text := strings.TrimRight(sb.String(), "\n") + "\n"
	if opts.Plain {
		text = sanitize.Plain(text) // no styles either, whatever the theme
	}
	return Page{Text: text, Links: links}, nil
}

// linkList draws the numbered links; the first bodyLinks come from the
// body, the rest from the sources.
func linkList(links []string, bodyLinks int, th *theme.Theme, width int, plain bool) string {
	var sb strings.Builder
	heading := func(s string) {
		if plain {
			sb.WriteString(s + ":\n")
			return
		}
		sb.WriteString("  " + th.Heading.Render(s) + "\n")
	}
	indent := "  "
	if plain {
		indent = ""
	}
	for i, l := range links {
		switch i {
		case 0:
			if bodyLinks > 0 {
				heading("Links")
			} else {
				heading("Source links")
			}
		case bodyLinks:
			heading("Source links")
		}
		label := fmt.Sprintf("[%d] ", i+1)
		url := sanitize.Line(l)
		if plain {
			sb.WriteString(label + url + "\n")
			continue
		}
		avail := max(width-len(indent)-len(label), 10)
		lines := strings.Split(ansi.Hardwrap(url, avail, false), "\n")
		for j, part := range lines {
			prefix := indent + th.Muted.Render(label)
			if j > 0 {
				prefix = indent + strings.Repeat(" ", len(label))
			}
			sb.WriteString(prefix + th.Accent.Render(part) + "\n")
		}
	}
	return sb.String()
}

// bodyLinksPlain lists the links of a body for plain output, as the
// rendered page numbers them.
func bodyLinksPlain(body string) []string {
	return markdown.Links(body)
}
