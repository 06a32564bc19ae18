// Package markdown renders a briefing's Markdown body for the terminal with
// glamour, made safe and small: every link is replaced by a number and
// listed, the output passes the sanitizer, and its styling is compacted so
// a reader on a slow link is not sent glamour's padding.
package markdown

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/charmbracelet/glamour"
	gansi "github.com/charmbracelet/glamour/ansi"
	"github.com/charmbracelet/glamour/styles"
	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
	"github.com/muesli/termenv"
	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

func init() {
	// glamour wraps with go-runewidth, which counts Cyrillic and
	// box-drawing characters as two columns under an East Asian locale or
	// RUNEWIDTH_EASTASIAN=1, while lipgloss and the terminal count them as
	// one. Agree with lipgloss, before anything renders, in every program
	// that renders Markdown (the reader, the server, the tests).
	runewidth.DefaultCondition.EastAsianWidth = false
}

// Options say how to render.
type Options struct {
	// Width is the number of columns every line must fit in.
	Width int
	// Dark picks the style for a dark background.
	Dark bool
	// Profile is the colour profile of the reader's terminal; termenv.Ascii
	// renders without colour (NO_COLOR), keeping bold and italics.
	Profile termenv.Profile
}

// Document is a rendered body.
type Document struct {
	// Text is the rendered body: printable text, newlines and safe SGR
	// styles only, every line at most Options.Width columns wide.
	Text string
	// Links lists the body's links and images in order; the text refers to
	// Links[i] as "[i+1]".
	Links []string
}

// Markers stand in for each link's address while glamour wraps the text:
// private-use characters, each one column wide, as many as the "[n]" that
// replaces them.
const (
	markerStart = '\ue000'
	markerFill  = '\ue001'
)

// Render renders a Markdown body.
func Render(body string, opts Options) (Document, error) {
	body = strings.NewReplacer(string(markerStart), "\ufffd", string(markerFill), "\ufffd").Replace(body)
	links := findLinks(body)
	digits := len(strconv.Itoa(len(links)))
	marker := string(markerStart) + strings.Repeat(string(markerFill), digits+1)

	r, err := glamour.NewTermRenderer(
		glamour.WithStyles(style(opts.Dark, marker)),
		glamour.WithWordWrap(max(opts.Width, 10)),
		glamour.WithColorProfile(opts.Profile),
		glamour.WithInlineTableLinks(true),
	)
	if err != nil {
		return Document{}, fmt.Errorf("markdown renderer: %w", err)
	}
	out, err := r.Render(body)
	if err != nil {
		return Document{}, fmt.Errorf("render markdown: %w", err)
	}
	out = sanitize.Terminal(out)
	out = numberLinks(out, marker, digits)
	out = fitLines(out, max(opts.Width, 10))
	return Document{Text: sanitize.Compact(out), Links: links}, nil
}

// fitLines breaks the lines glamour could not wrap (a word longer than the
// width) so that every line fits.
func fitLines(s string, width int) string {
	lines := strings.Split(s, "\n")
	changed := false
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Hardwrap(l, width, true)
			changed = true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(lines, "\n")
}

// style gives glamour's dark or light style with link addresses replaced
// by marker.
func style(dark bool, marker string) gansi.StyleConfig {
	cfg := styles.LightStyleConfig
	if dark {
		cfg = styles.DarkStyleConfig
	}
	cfg.Link.Format = marker
	cfg.Image.Format = marker
	// Body text in the terminal's own foreground: glamour pads every line
	// to the width with spaces styled like the document, one escape
	// sequence per space; unstyled, the padding costs nothing to write,
	// filter or send.
	cfg.Document.Color = nil
	cfg.Document.BackgroundColor = nil
	return cfg
}

// numberLinks replaces each marker with "[n]", padded to the marker's
// width.
func numberLinks(s, marker string, digits int) string {
	if !strings.Contains(s, marker) {
		return s
	}
	var b strings.Builder
	n := 0
	for {
		i := strings.Index(s, marker)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		n++
		b.WriteString(s[:i])
		fmt.Fprintf(&b, "%-*s", digits+2, "["+strconv.Itoa(n)+"]")
		s = s[i+len(marker):]
	}
}

// findLinks lists the addresses glamour shows for the body's links, in the
// order it shows them.
func findLinks(body string) []string {
	source := []byte(body)
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList))
	doc := md.Parser().Parse(text.NewReader(source))
	var links []string
	_ = gast.Walk(doc, func(n gast.Node, entering bool) (gast.WalkStatus, error) {
		if !entering {
			return gast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *gast.Link:
			if showsHref(string(n.Destination)) {
				links = append(links, string(n.Destination))
			}
		case *gast.AutoLink:
			u := string(n.URL(source))
			if n.AutoLinkType == gast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
				u = "mailto:" + u
			}
			if showsHref(u) {
				links = append(links, u)
			}
		case *gast.Image:
			if len(n.Destination) > 0 {
				links = append(links, string(n.Destination))
			}
		}
		return gast.WalkContinue, nil
	})
	for i, l := range links {
		links[i] = sanitize.Line(l)
	}
	return links
}

// showsHref mirrors glamour's rule for showing a link's address: it must
// parse and be more than a fragment.
func showsHref(dest string) bool {
	u, err := url.Parse(dest)
	return err == nil && "#"+u.Fragment != dest
}

// Plain gives a body as plain text for a pipe: the Markdown source, cleaned
// of anything a terminal would act on.
func Plain(body string) string {
	return sanitize.Plain(strings.TrimRight(body, "\n")) + "\n"
}

// Links lists the addresses of a body's links and images in the order
// Render numbers them.
func Links(body string) []string { return findLinks(body) }
