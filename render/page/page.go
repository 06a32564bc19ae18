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
	// (not wrapped when Width is 0), the body as its Markdown source, every
	// address whole. Plain pages never carry hyperlinks.
	Plain bool
	// Hyperlinks makes each "[n]" of the text and each listed address an
	// OSC 8 hyperlink to its address (when sanitize.HyperlinkAllowed
	// accepts it): only for a terminal known to support them, and the
	// page must then be printed through sanitize.TerminalWithLinks or
	// sanitize.NewLinkWriter, which let exactly those through.
	Hyperlinks bool
	// WholeURLs lists an address too long for the width whole, on a line
	// of its own from the first column, so that the terminal's own
	// wrapping keeps it one address for copying and clicking; that line
	// is then wider than Width. Without it, such an address is shortened
	// in the middle with "…" to fit, whole in Page.Links (and in its
	// hyperlink). For output printed once (brief show); a reader that
	// draws a screen of Width columns wants every line to fit.
	WholeURLs bool
}

// Page is a laid-out briefing.
type Page struct {
	// Text is the page, every line at most Width columns (but see
	// Options.WholeURLs), safe to print: printable text, newlines and safe
	// SGR styles (and, with Options.Hyperlinks, strict OSC 8 hyperlinks,
	// each opened and closed on one line).
	Text string
	// Links are the body's links, then the sources' links that the body
	// does not already have, each address once; "[n]" in the text refers
	// to Links[n-1].
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
		links = markdown.Links(body)
	} else {
		doc, err := markdown.Render(body, markdown.Options{
			Width:      width,
			Dark:       th.Dark,
			Profile:    th.Renderer.ColorProfile(),
			Hyperlinks: opts.Hyperlinks,
		})
		if err != nil {
			return Page{}, fmt.Errorf("%s: %w", b.Path, err)
		}
		links = addSources(doc.Links, b.Sources())
		// The card names each source's address by its number in the
		// list below, where it is shown whole: once, never wrapped.
		numbers := make(map[string]int, len(links))
		for i, l := range links {
			numbers[markdown.LinkKey(l)] = i + 1
		}
		number := func(u string) int { return numbers[markdown.LinkKey(sanitize.Line(u))] }
		sb.WriteString(card.Briefing(b, th, card.Options{Width: width, LinkNumber: number}))
		sb.WriteString("\n")
		sb.WriteString(strings.TrimRight(doc.Text, "\n"))
		sb.WriteString("\n")
		links = doc.Links
	}
	bodyLinks := len(links)
	links = addSources(links, b.Sources())
	if len(links) > 0 {
		sb.WriteString("\n")
		l := lister{th: th, width: width, opts: opts}
		sb.WriteString(l.list(links, bodyLinks))
	}
	text := strings.TrimRight(sb.String(), "\n") + "\n"
	if opts.Plain {
		text = sanitize.Plain(text) // no styles either, whatever the theme
	}
	return Page{Text: text, Links: links}, nil
}

// addSources adds to links, the body's, the sources' addresses that are
// not yet among them.
func addSources(links []string, sources []store.Source) []string {
	seen := make(map[string]bool, len(links)+len(sources))
	for _, l := range links {
		seen[markdown.LinkKey(l)] = true
	}
	for _, s := range sources {
		if s.URL == "" {
			continue
		}
		u := sanitize.Line(s.URL)
		if k := markdown.LinkKey(u); !seen[k] {
			seen[k] = true
			links = append(links, u)
		}
	}
	return links
}

// lister draws the numbered links.
type lister struct {
	th    *theme.Theme
	width int
	opts  Options
}

// list draws links; the first bodyLinks come from the body, the rest from
// the sources.
func (l lister) list(links []string, bodyLinks int) string {
	var sb strings.Builder
	for i, u := range links {
		switch {
		case i == 0 && bodyLinks > 0:
			l.heading(&sb, "Links")
		case i == bodyLinks:
			l.heading(&sb, "Source links")
		}
		l.entry(&sb, i+1, u)
	}
	return sb.String()
}

func (l lister) heading(sb *strings.Builder, s string) {
	if l.opts.Plain {
		sb.WriteString(s + ":\n")
		return
	}
	sb.WriteString("  " + l.th.Heading.Render(s) + "\n")
}

// entry draws link n, never broken: whole when it fits (and always in a
// plain page), else whole on a line of its own or shortened to fit.
func (l lister) entry(sb *strings.Builder, n int, u string) {
	label := fmt.Sprintf("[%d]", n)
	if l.opts.Plain {
		sb.WriteString(label + " " + u + "\n")
		return
	}
	const indent = "  "
	shown := u
	avail := l.width - len(indent) - len(label) - 1
	sb.WriteString(indent + l.th.Muted.Render(label))
	if ansi.StringWidth(u) > avail {
		if l.opts.WholeURLs {
			sb.WriteString("\n" + l.link(u, u) + "\n")
			return
		}
		shown = shorten(u, avail)
	}
	sb.WriteString(" " + l.link(u, shown) + "\n")
}

// link styles shown, the form of address u on the page, and makes it a
// hyperlink to u when asked and allowed.
func (l lister) link(u, shown string) string {
	s := l.th.Accent.Render(shown)
	if l.opts.Hyperlinks {
		s = sanitize.Hyperlink(u, s)
	}
	return s
}

// shorten fits address u in width columns by putting "…" in place of its
// middle, keeping two thirds of the room for its start (the host) and the
// rest for its end (the page).
func shorten(u string, width int) string {
	if width < 2 {
		return ansi.Truncate(u, max(width, 0), "")
	}
	head := (width - 1) * 2 / 3
	tail := width - 1 - head
	return ansi.Truncate(u, head, "") + "…" + ansi.TruncateLeft(u, ansi.StringWidth(u)-tail, "")
}
