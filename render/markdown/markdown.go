// Package markdown renders a briefing's Markdown body for the terminal with
// glamour, made safe and small: every link is replaced by a number and
// listed, the output passes the sanitizer, and its styling is compacted so
// a reader on a slow link is not sent glamour's padding.
//
// Before glamour sees the body, its syntax tree is prepared so that
// glamour's wrapping comes out right: a line break inside a paragraph
// becomes a space (glamour keeps them in list items, where they broke lines
// early), each link's address becomes its number, glued to the link's last
// word, and the commas, full stops, semicolons, plus signs and bars inside
// words ("1,000", "daryo.uz") are kept from being break points (glamour
// breaks list items there). Stand-in characters from Unicode's private use
// area, one column wide each, hold those places while glamour wraps, and are
// put back after. Raw HTML, block or inline, is replaced by the text a
// reader of the page would see (see replaceHTML): glamour never handles
// HTML itself.
package markdown

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/brief-tools/brief/render/sanitize"
	gansi "github.com/charmbracelet/glamour/ansi"
	"github.com/charmbracelet/glamour/styles"
	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
	"github.com/muesli/termenv"
	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
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
	// Hyperlinks makes each "[n]" an OSC 8 hyperlink to its address, when
	// the address is one sanitize.HyperlinkAllowed accepts. Only for a
	// terminal known to support them; the text must then be printed
	// through sanitize.TerminalWithLinks or a link writer.
	Hyperlinks bool
}

// Document is a rendered body.
type Document struct {
	// Text is the rendered body: printable text, newlines and safe SGR
	// styles only (and, with Options.Hyperlinks, strict OSC 8 hyperlinks,
	// each opened and closed on one line), every line at most
	// Options.Width columns wide.
	Text string
	// Links lists the addresses of the body's links and images in the
	// order they first appear, each once; the text refers to Links[i] as
	// "[i+1]".
	Links []string
}

// Stand-ins, each one column wide, for what glamour must not wrap at.
const (
	markOpen  = '\ue000' // "[" of a link's number
	markClose = '\ue001' // "]" of a link's number
	markGlue  = '\ue002' // the space between a link's text and its number
	markBreak = '\ue003' // with the space after it: where a long word may break
	markDigit = '\ue010' // '0'; '1' is markDigit+1 and so on
	markPunct = '\ue020' // the first of keptPunct
	markLast  = '\ue02f' // the last stand-in: the body's own are replaced
)

// keptPunct are the break points of glamour's block wrapping (besides the
// space and '-', where a break is fine) that must not break a word.
const keptPunct = ",.;+|"

// MaxLaidOut is the most of a body Render lays out. glamour lays out
// prose at about 1.5 MB a second, but a body of nothing but links or
// nested lists at a tenth of that: a hostile 4 MB body held a core for
// half a minute, on an SSH host for each width a reader asked for. A
// briefing is a few pages; past this, the rest is cut at a paragraph and
// a closing paragraph says how much was left out and how to read it.
const MaxLaidOut = 256 << 10

// Render renders a Markdown body.
func Render(body string, opts Options) (Document, error) {
	width := max(opts.Width, 10)
	body = cutToLayOut(body)
	src := []byte(ownStandIns(body))
	// As glamour.NewTermRenderer builds it: the extensions' own (HTML)
	// renderers are replaced by glamour's.
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.DefinitionList),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	md.SetRenderer(renderer.NewRenderer(renderer.WithNodeRenderers(
		util.Prioritized(gansi.NewRenderer(gansi.Options{
			WordWrap:         width,
			ColorProfile:     opts.Profile,
			Styles:           style(opts.Dark),
			InlineTableLinks: true,
			PreserveNewLines: true,
		}), 1000),
	)))
	doc := md.Parser().Parse(text.NewReader(src))
	p := prepare(doc, src)
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, p.src, doc); err != nil {
		return Document{}, fmt.Errorf("render markdown: %w", err)
	}
	out := sanitize.Compact(buf.String())
	if broken, changed := fitLines(out, width); changed {
		out = sanitize.Compact(broken) // each line its own styles again
	}
	out = putBack(out, p.links, opts.Hyperlinks)
	return Document{Text: out, Links: p.links}, nil
}

// cutToLayOut gives the start of body that Render lays out, whole
// paragraphs of at most MaxLaidOut bytes, and a paragraph that says what
// was left out; body itself when it is shorter.
func cutToLayOut(body string) string {
	if len(body) <= MaxLaidOut {
		return body
	}
	cut := strings.LastIndex(body[:MaxLaidOut], "\n\n")
	if cut < MaxLaidOut/2 {
		cut = strings.LastIndexByte(body[:MaxLaidOut], '\n')
	}
	if cut < MaxLaidOut/2 {
		cut = MaxLaidOut
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
	}
	left := float64(len(body)-cut) / (1 << 20)
	return body[:cut] + fmt.Sprintf("\n\n---\n\n*The text goes on for another %.1f MB, too long to lay out here. Piped, `brief show` prints it whole.*\n", left)
}

// ownStandIns replaces the stand-in characters a body carries itself.
func ownStandIns(body string) string {
	if !strings.ContainsFunc(body, isStandIn) {
		return body
	}
	return strings.Map(func(r rune) rune {
		if isStandIn(r) {
			return '\ufffd'
		}
		return r
	}, body)
}

func isStandIn(r rune) bool { return r >= markOpen && r <= markLast }

// fitLines breaks the lines glamour could not wrap (a word longer than the
// width) so that every line fits, never inside a link's number; s is
// Compact's output: text and SGR sequences.
func fitLines(s string, width int) (string, bool) {
	lines := strings.Split(s, "\n")
	changed := false
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = breakLine(l, width)
			changed = true
		}
	}
	if !changed {
		return s, false
	}
	return strings.Join(lines, "\n"), true
}

// breakLine breaks a line every width columns, keeping each link's number
// (its glue, its brackets and digits, and the styles between them) whole
// and, when it has to go to the next line, taking the last character of
// the word it is glued to along.
func breakLine(l string, width int) string {
	type token struct {
		s     string
		w     int
		group bool // a link's number
	}
	var lines [][]token
	var cur []token
	col := 0
	for i := 0; i < len(l); {
		var t token
		switch r, _ := utf8.DecodeRuneInString(l[i:]); {
		case l[i] == '\x1b':
			t.s = l[i : strings.IndexByte(l[i:], 'm')+i+1] // Compact writes SGR only
		case r == markGlue || r == markOpen:
			end := strings.IndexRune(l[i:], markClose)
			if end < 0 {
				end = len(l) - i
			} else {
				end += utf8.RuneLen(markClose)
			}
			t = token{s: l[i : i+end], group: true}
			t.w = ansi.StringWidth(t.s)
		default:
			t.s, t.w = ansi.FirstGraphemeCluster(l[i:], ansi.GraphemeWidth)
			if t.s == "" {
				t.s, t.w = l[i:i+1], 1
			}
		}
		i += len(t.s)
		if col > 0 && col+t.w > width {
			var carried []token
			if g, n := utf8.DecodeRuneInString(t.s); t.group && g == markGlue {
				// Take the glued word's last character along, and no
				// space to start the line.
				for k := len(cur) - 1; k > 0; k-- {
					if cur[k].w > 0 && !cur[k].group {
						carried = append(carried, cur[k:]...)
						cur = cur[:k]
						break
					}
				}
				if len(carried) == 0 {
					t.s, t.w = t.s[n:], t.w-1
				}
			}
			lines = append(lines, cur)
			cur, col = carried, 0
			for _, c := range carried {
				col += c.w
			}
		}
		cur = append(cur, t)
		col += t.w
	}
	lines = append(lines, cur)
	var b strings.Builder
	for k, line := range lines {
		if k > 0 {
			b.WriteByte('\n')
		}
		for _, t := range line {
			b.WriteString(t.s)
		}
	}
	return b.String()
}

// style gives glamour's dark or light style for brief.
func style(dark bool) gansi.StyleConfig {
	cfg := styles.LightStyleConfig
	if dark {
		cfg = styles.DarkStyleConfig
	}
	// Body text in the terminal's own foreground: glamour pads every line
	// to the width with spaces styled like the document, one escape
	// sequence per space; unstyled, the padding costs nothing to write,
	// filter or send. And the terminal's foreground is the one colour sure
	// to stand out from its background.
	cfg.Document.Color = nil
	cfg.Document.BackgroundColor = nil
	// Code blocks are plain text in one colour, never highlighted: a
	// briefing's text is untrusted, and chroma's lexers, which glamour
	// would highlight with, run backtracking regular expressions over it
	// (a 2,000-character block in some languages takes seconds to
	// minutes, JSONata's never finishes). A diplomatic briefing's code
	// block is a quoted text or a table of figures: colours by a guessed
	// language tell its reader nothing. With no Chroma and no Theme,
	// glamour draws the block in CodeBlock's own style.
	cfg.CodeBlock.Chroma = nil
	cfg.CodeBlock.Theme = ""
	// An image's number follows its text: no arrow to an address.
	cfg.ImageText.Format = "Image: {{.text}}"
	// The only addresses glamour sees are numbers: see numberAfter.
	cfg.Link.Format = "{{slice .text 2}}"
	// Colours glamour picks below the contrast the themes keep (see
	// TestStyleContrast): text 4.5:1 on the background it is for.
	cfg.H1.Color = ptr("231") // 228 on 63 was 4.4:1
	if dark {
		cfg.Link.Color = ptr("37")            // 30 was 3.9:1 on #1c1c1c
		cfg.Code.BackgroundColor = ptr("235") // 203 on 236 was 4.4:1
		cfg.CodeBlock.Color = ptr("251")      // 244 was 4.3:1 on #1c1c1c; chroma's text was #c4c4c4
	} else {
		cfg.Link.Color = ptr("24")       // 36 was 2.6:1 on #f5f5f5
		cfg.LinkText.Color = ptr("22")   // 29 was 4.2:1
		cfg.Image.Color = ptr("127")     // 205 was 2.6:1
		cfg.Code.Color = ptr("124")      // 203 on 254 was 2.3:1
		cfg.CodeBlock.Color = ptr("235") // chroma's text was #2a2a2a
	}
	return cfg
}

func ptr(s string) *string { return &s }

// prepared is a syntax tree made ready for glamour.
type prepared struct {
	// src is the source with the text the tree now refers to appended.
	src   []byte
	links []string
	index map[string]int // link key → number
}

// prepare rewrites the tree of a body for glamour: see the package
// comment.
func prepare(doc gast.Node, src []byte) *prepared {
	p := &prepared{src: src[:len(src):len(src)], index: map[string]int{}}
	p.replaceHTML(doc, src)
	var texts, codes []*gast.Text
	var links []*gast.Link
	var autos []*gast.AutoLink
	var images []*gast.Image
	_ = gast.Walk(doc, func(n gast.Node, entering bool) (gast.WalkStatus, error) {
		if !entering {
			return gast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *gast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*gast.Text); ok {
					codes = append(codes, t)
				}
			}
			return gast.WalkSkipChildren, nil
		case *gast.Text:
			texts = append(texts, n)
		case *gast.Link:
			links = append(links, n)
			if dest := string(n.Destination); showsHref(dest) {
				p.number(dest)
			}
		case *gast.AutoLink:
			autos = append(autos, n)
			p.number(autoURL(n, src))
		case *gast.Image:
			images = append(images, n)
			if len(n.Destination) > 0 {
				p.number(string(n.Destination))
			}
		}
		return gast.WalkContinue, nil
	})
	for _, t := range texts {
		p.text(t, p.src) // the text of replaced HTML is in p.src only
	}
	for _, t := range codes {
		if v := string(t.Segment.Value(p.src)); hasLongWord(v) {
			t.Segment = p.add(breakLongWords(v))
		}
	}
	for _, l := range links {
		dest := string(l.Destination)
		l.Destination = []byte("#") // glamour shows no address for "#"
		if showsHref(dest) {
			p.numberAfter(l, l, p.number(dest))
		}
	}
	for _, a := range autos {
		u := autoURL(a, src)
		l := gast.NewLink()
		l.Destination = []byte("#")
		l.AppendChild(l, p.textNode(breakLongWords(keepPunct(autoLabel(a, u, src)))))
		a.Parent().ReplaceChild(a.Parent(), a, l)
		p.numberAfter(l, l, p.number(u))
	}
	for _, img := range images {
		if len(img.Destination) == 0 {
			continue
		}
		n := p.number(string(img.Destination))
		img.Destination = nil // glamour shows no address for none
		var glue gast.Node
		if img.HasChildren() {
			glue = img
		}
		p.numberAfter(img, glue, n)
	}
	return p
}

// numberAfter puts link n's number after node, glued with a stand-in
// space appended to glue, if any: the link or image itself, so that the
// space is styled as its text.
//
// The number is an autolink, the one element glamour draws in its link
// style with no space before it, to the address "x:" and the number's
// stand-ins: style's link format shows the stand-ins alone.
func (p *prepared) numberAfter(node, glue gast.Node, n int) {
	if glue != nil {
		t := p.textNode(string(markGlue))
		if glue == node {
			glue.AppendChild(glue, t)
		} else {
			node.Parent().InsertAfter(node.Parent(), node, t)
			node = t
		}
	}
	var b strings.Builder
	b.WriteString("x:")
	b.WriteRune(markOpen)
	for _, d := range strconv.Itoa(n) {
		b.WriteRune(markDigit + d - '0')
	}
	b.WriteRune(markClose)
	num := gast.NewAutoLink(gast.AutoLinkURL, p.textNode(b.String()))
	node.Parent().InsertAfter(node.Parent(), node, num)
}

// number gives the number of the link to dest, adding it to the list the
// first time.
func (p *prepared) number(dest string) int {
	shown := sanitize.Line(dest)
	k := LinkKey(shown)
	if n, ok := p.index[k]; ok {
		return n
	}
	p.links = append(p.links, shown)
	p.index[k] = len(p.links)
	return len(p.links)
}

// add appends s to the source and gives its segment.
func (p *prepared) add(s string) text.Segment {
	start := len(p.src)
	p.src = append(p.src, s...)
	return text.NewSegment(start, len(p.src))
}

func (p *prepared) textNode(s string) *gast.Text { return gast.NewTextSegment(p.add(s)) }

// text makes a text node's line break a space and keeps its punctuation
// inside words from being break points.
func (p *prepared) text(t *gast.Text, src []byte) {
	v := string(t.Segment.Value(src))
	soft := t.SoftLineBreak() && !t.HardLineBreak()
	if !soft && innerPunct(v) < 0 && !hasLongWord(v) {
		return
	}
	v = breakLongWords(keepPunct(v))
	if soft {
		v += " "
		t.SetSoftLineBreak(false)
	}
	t.Segment = p.add(v)
}

// A word longer than longWord characters gets a break point (markBreak
// and a space, both gone from the output) after every wordPiece of them.
// glamour's wrapping measures a word again for each character added to
// it: a word of n characters cost n² (4 MB of words thousands of
// characters long took minutes to lay out, at each width). A word that
// long does not fit a line anyway: fitLines breaks it where it must.
const (
	longWord  = 128
	wordPiece = 64
)

// hasLongWord reports whether v holds a run of more than longWord
// characters without a space.
func hasLongWord(v string) bool {
	run := 0
	for _, r := range v {
		if r == ' ' || r == '\t' || r == '\n' {
			run = 0
		} else if run++; run > longWord {
			return true
		}
	}
	return false
}

// breakLongWords puts a break point after every wordPiece characters of
// each word longer than longWord.
func breakLongWords(v string) string {
	if !hasLongWord(v) {
		return v
	}
	var b strings.Builder
	b.Grow(len(v) + len(v)/8)
	for len(v) > 0 {
		end := strings.IndexAny(v, " \t\n")
		if end < 0 {
			end = len(v)
		}
		word := v[:end]
		if utf8.RuneCountInString(word) > longWord {
			// Between characters as a reader sees them: a mark stays
			// with its letter.
			for n := 0; word != ""; n++ {
				c, _ := ansi.FirstGraphemeCluster(word, ansi.GraphemeWidth)
				if c == "" {
					c = word[:1]
				}
				if n > 0 && n%wordPiece == 0 {
					b.WriteRune(markBreak)
					b.WriteByte(' ')
				}
				b.WriteString(c)
				word = word[len(c):]
			}
		} else {
			b.WriteString(word)
		}
		if end < len(v) {
			b.WriteByte(v[end])
			end++
		}
		v = v[end:]
	}
	return b.String()
}

// keepPunct replaces each of keptPunct that is followed by more of its
// word with its stand-in.
func keepPunct(v string) string {
	i := innerPunct(v)
	if i < 0 {
		return v
	}
	var b strings.Builder
	b.Grow(len(v) + 8)
	for ; i >= 0; i = innerPunct(v) {
		b.WriteString(v[:i])
		b.WriteRune(markPunct + rune(strings.IndexByte(keptPunct, v[i])))
		v = v[i+1:]
	}
	b.WriteString(v)
	return b.String()
}

// innerPunct gives the index of the first of keptPunct in v that is
// followed by more of the word, or -1. The semicolon that ends a character
// reference ("&amp;") is not one: glamour decodes references after
// prepare, and a stand-in there would leave the reference undecoded.
func innerPunct(v string) int {
	for i := 0; i+1 < len(v); i++ {
		if strings.IndexByte(keptPunct, v[i]) >= 0 && v[i+1] != ' ' && v[i+1] != '\t' &&
			(v[i] != ';' || !endsReference(v, i)) {
			return i
		}
	}
	return -1
}

// endsReference says whether the semicolon at v[i] ends a character
// reference that html.UnescapeString decodes.
func endsReference(v string, i int) bool {
	const longest = 32 // "CounterClockwiseContourIntegral", the longest name
	j := i
	for j > 0 && i-j < longest && (isASCIIAlnum(v[j-1]) || v[j-1] == '#') {
		j--
	}
	if j == 0 || j == i || v[j-1] != '&' {
		return false
	}
	ref := v[j-1 : i+1]
	return html.UnescapeString(ref) != ref
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// autoURL gives the address of an autolink, as glamour would link it.
func autoURL(a *gast.AutoLink, src []byte) string {
	u := string(a.URL(src))
	if a.AutoLinkType == gast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
		u = "mailto:" + u
	}
	return u
}

// autoLabel gives the text shown for an autolink in place of its address,
// which is listed whole: an e-mail address itself, else the host without
// "www." (the address when it has none).
func autoLabel(a *gast.AutoLink, u string, src []byte) string {
	if a.AutoLinkType == gast.AutoLinkEmail {
		return string(a.Label(src))
	}
	if pu, err := url.Parse(u); err == nil && pu.Hostname() != "" {
		return strings.TrimPrefix(pu.Hostname(), "www.")
	}
	return u
}

// showsHref says whether a link's address is listed and numbered: it must
// parse and be more than a fragment (glamour's rule), and not be empty.
func showsHref(dest string) bool {
	u, err := url.Parse(dest)
	return dest != "" && err == nil && "#"+u.Fragment != dest
}

// LinkKey gives the form of a link's address under which two addresses are
// the same link, listed once: with its scheme and host in lower case and,
// for http and https, an empty path as "/". Anything that does not parse
// is its own key.
func LinkKey(addr string) string {
	u, err := url.Parse(addr)
	if err != nil || u.Scheme == "" {
		return addr
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if (u.Scheme == "http" || u.Scheme == "https") && u.Path == "" && u.RawPath == "" && u.Opaque == "" {
		u.Path = "/"
	}
	return u.String()
}

// putBack replaces the stand-ins in rendered text: each number's with
// "[n]", made a hyperlink to links[n-1] when hyper is set and the address
// allows.
func putBack(s string, links []string, hyper bool) string {
	if !strings.ContainsFunc(s, isStandIn) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 64)
	n, inNumber := 0, false
	broken, inSGR := false, false // after a break point, whose space goes too
	for _, r := range s {
		switch {
		case broken && (inSGR || r == '\x1b'):
			inSGR = r != 'm' // Compact writes SGR sequences only
			b.WriteRune(r)
		case broken:
			broken = false
			if r != ' ' {
				b.WriteRune(r)
			}
		case !isStandIn(r):
			b.WriteRune(r)
		case r == markBreak:
			broken = true
		case r == markGlue:
			b.WriteByte(' ')
		case r == markOpen:
			n, inNumber = 0, true
		case r >= markDigit && r <= markDigit+9 && inNumber:
			n = n*10 + int(r-markDigit)
		case r == markClose && inNumber:
			inNumber = false
			ref := "[" + strconv.Itoa(n) + "]"
			if hyper && n >= 1 && n <= len(links) {
				ref = sanitize.Hyperlink(links[n-1], ref)
			}
			b.WriteString(ref)
		case r >= markPunct && r < markPunct+rune(len(keptPunct)):
			b.WriteByte(keptPunct[r-markPunct])
		default:
			b.WriteRune('\ufffd')
		}
	}
	return b.String()
}

// Plain gives a body as plain text for a pipe: the Markdown source, cleaned
// of anything a terminal would act on.
func Plain(body string) string {
	return sanitize.Plain(strings.TrimRight(body, "\n")) + "\n"
}

// Links lists the addresses of a body's links and images, each once, in
// the order Render numbers them.
func Links(body string) []string {
	src := []byte(ownStandIns(body))
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList))
	return prepare(md.Parser().Parse(text.NewReader(src)), src).links
}
