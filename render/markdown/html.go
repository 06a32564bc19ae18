package markdown

import (
	"bytes"
	"strings"

	gast "github.com/yuin/goldmark/ast"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A body's raw HTML is shown as a reader of the page would see it: its
// text, with every tag removed, its character references decoded, and the
// content of the elements a browser does not show as text (hiddenContent)
// dropped, as are comments, processing instructions and declarations.
// prepare replaces every HTML block and inline HTML node with text nodes
// before glamour sees the tree, so glamour's own HTML handling (a
// bluemonday policy, not linked into brief: see go.mod) is never used.
//
// An HTML block becomes paragraphs: its block elements (p, div, h1, table
// and the like) separate paragraphs, br breaks the line, li, dt, dd and tr
// start a new one,
// td and th are set apart by a space, and white space runs are one space
// (except inside pre, whose lines are kept). Inline HTML has no text of
// its own: its tags vanish, br breaks the line, and what lies between the
// opening and the closing tag of an element in hiddenContent is dropped
// up to the end of the paragraph (or whatever block holds it) when the
// closing tag is not beside the opening one.

// hiddenContent are the elements whose content is not shown.
var hiddenContent = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Title: true, atom.Iframe: true,
	atom.Object: true, atom.Noscript: true, atom.Noembed: true,
	atom.Noframes: true, atom.Frameset: true, atom.Textarea: true,
}

// rawContent are those of hiddenContent whose content the tokenizer reads
// as text up to their closing tag even when the opening tag ends in "/>".
var rawContent = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Title: true, atom.Iframe: true,
	atom.Noscript: true, atom.Noembed: true, atom.Noframes: true,
	atom.Textarea: true,
}

// htmlBreak is how an element's tags break an HTML block's text.
type htmlBreak int

const (
	noBreak htmlBreak = iota
	spaceBreak
	itemBreak // ends a line that has text
	lineBreak // ends a line, even an empty one
	paragraphBreak
)

// breaks gives the elements whose tags break the text.
var breaks = map[atom.Atom]htmlBreak{
	atom.Td: spaceBreak, atom.Th: spaceBreak,
	atom.Br: lineBreak, atom.Li: itemBreak, atom.Dt: itemBreak,
	atom.Dd: itemBreak, atom.Tr: itemBreak,
	atom.Address: paragraphBreak, atom.Article: paragraphBreak,
	atom.Aside: paragraphBreak, atom.Blockquote: paragraphBreak,
	atom.Caption: paragraphBreak, atom.Center: paragraphBreak,
	atom.Details: paragraphBreak, atom.Dialog: paragraphBreak,
	atom.Div: paragraphBreak, atom.Dl: paragraphBreak,
	atom.Fieldset: paragraphBreak, atom.Figcaption: paragraphBreak,
	atom.Figure: paragraphBreak, atom.Footer: paragraphBreak,
	atom.Form: paragraphBreak, atom.H1: paragraphBreak,
	atom.H2: paragraphBreak, atom.H3: paragraphBreak,
	atom.H4: paragraphBreak, atom.H5: paragraphBreak,
	atom.H6: paragraphBreak, atom.Header: paragraphBreak,
	atom.Hgroup: paragraphBreak, atom.Hr: paragraphBreak,
	atom.Main: paragraphBreak, atom.Menu: paragraphBreak,
	atom.Nav: paragraphBreak, atom.Ol: paragraphBreak,
	atom.P: paragraphBreak, atom.Pre: paragraphBreak,
	atom.Section: paragraphBreak, atom.Summary: paragraphBreak,
	atom.Table: paragraphBreak, atom.Ul: paragraphBreak,
}

// htmlText gathers the text of an HTML block as paragraphs of lines.
type htmlText struct {
	hidden int // depth inside hiddenContent elements
	pre    int // depth inside pre elements
	paras  [][]string
	lines  []string
	line   strings.Builder
	space  bool // a space is due before the next character on the line
}

// blockText gives the paragraphs, each a list of lines, a reader sees of
// an HTML block.
func blockText(raw []byte) [][]string {
	var h htmlText
	z := html.NewTokenizer(bytes.NewReader(raw))
	for {
		switch z.Next() {
		case html.ErrorToken: // the end, or a tag cut off by it
			h.breakAt(paragraphBreak)
			return h.paras
		case html.TextToken:
			if h.hidden == 0 {
				h.text(z.Text())
			}
		case html.StartTagToken:
			h.tag(z, true, false)
		case html.SelfClosingTagToken:
			h.tag(z, true, true)
		case html.EndTagToken:
			h.tag(z, false, false)
		}
	}
}

// tag takes an opening (start) or closing tag.
func (h *htmlText) tag(z *html.Tokenizer, start, selfClosing bool) {
	name, _ := z.TagName()
	a := atom.Lookup(name)
	switch {
	case hiddenContent[a]:
		if !start {
			h.hidden = max(h.hidden-1, 0)
		} else if !selfClosing || rawContent[a] {
			h.hidden++
		}
		return
	case h.hidden > 0:
		return
	case a == atom.Pre && !selfClosing:
		if start {
			h.pre++
		} else {
			h.pre = max(h.pre-1, 0)
		}
	}
	h.breakAt(breaks[a])
}

// text adds a text token's decoded text.
func (h *htmlText) text(t []byte) {
	for _, r := range string(t) {
		switch {
		case r == '\n' && h.pre > 0:
			h.endLine(true)
		case (r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f') && h.pre == 0:
			h.space = h.line.Len() > 0
		default:
			if h.space {
				h.line.WriteByte(' ')
				h.space = false
			}
			h.line.WriteRune(r)
		}
	}
}

func (h *htmlText) breakAt(b htmlBreak) {
	switch b {
	case spaceBreak:
		h.space = h.line.Len() > 0
	case itemBreak:
		if h.line.Len() > 0 {
			h.endLine(false)
		}
	case lineBreak:
		h.endLine(false)
	case paragraphBreak:
		if h.line.Len() > 0 {
			h.endLine(false)
		}
		for len(h.lines) > 0 && h.lines[len(h.lines)-1] == "" {
			h.lines = h.lines[:len(h.lines)-1]
		}
		for len(h.lines) > 0 && h.lines[0] == "" {
			h.lines = h.lines[1:]
		}
		if len(h.lines) > 0 {
			h.paras = append(h.paras, h.lines)
			h.lines = nil
		}
	}
}

// endLine ends the line; an empty one is kept only inside a paragraph's
// lines, or always when keep (a pre element's empty lines).
func (h *htmlText) endLine(keep bool) {
	if h.line.Len() > 0 || keep || len(h.lines) > 0 {
		h.lines = append(h.lines, h.line.String())
	}
	h.line.Reset()
	h.space = false
}

// inlineTag reads an inline HTML node: whether it breaks the line (br),
// and how it changes the depth inside hiddenContent elements.
func inlineTag(raw []byte, hidden int) (brk bool, hiddenAfter int) {
	z := html.NewTokenizer(bytes.NewReader(raw))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return brk, hidden
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		name, _ := z.TagName()
		a := atom.Lookup(name)
		switch {
		case hiddenContent[a] && tt == html.EndTagToken:
			hidden = max(hidden-1, 0)
		case hiddenContent[a] && (tt == html.StartTagToken || rawContent[a]):
			hidden++
		case a == atom.Br && hidden == 0:
			brk = true
		}
	}
}

// escapeText makes text a text node's source: glamour decodes character
// references in text once more.
func escapeText(s string) string {
	return strings.ReplaceAll(ownStandIns(s), "&", "&amp;")
}

// replaceHTML replaces the tree's HTML blocks and inline HTML with what a
// reader sees of them: see blockText and inlineTag.
func (p *prepared) replaceHTML(doc gast.Node, src []byte) {
	var blocks []*gast.HTMLBlock
	var inlines []*gast.RawHTML
	_ = gast.Walk(doc, func(n gast.Node, entering bool) (gast.WalkStatus, error) {
		if entering {
			switch n := n.(type) {
			case *gast.HTMLBlock:
				blocks = append(blocks, n)
			case *gast.RawHTML:
				inlines = append(inlines, n)
			}
		}
		return gast.WalkContinue, nil
	})
	for _, b := range blocks {
		p.replaceBlock(b, src)
	}
	if len(inlines) > 0 {
		p.replaceInline(inlines, src)
	}
}

// replaceBlock replaces an HTML block with paragraphs of its text (text
// blocks in a tight list, as goldmark makes its paragraphs there).
func (p *prepared) replaceBlock(b *gast.HTMLBlock, src []byte) {
	var raw bytes.Buffer
	lines := b.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		raw.Write(seg.Value(src))
	}
	if b.HasClosure() {
		raw.Write(b.ClosureLine.Value(src))
	}
	parent := b.Parent()
	tight := false
	if _, ok := parent.(*gast.ListItem); ok {
		if l, ok := parent.Parent().(*gast.List); ok {
			tight = l.IsTight
		}
	}
	for _, para := range blockText(raw.Bytes()) {
		var block gast.Node = gast.NewParagraph()
		if tight {
			block = gast.NewTextBlock()
		}
		for i, l := range para {
			t := p.textNode(escapeText(l))
			t.SetHardLineBreak(i < len(para)-1)
			block.AppendChild(block, t)
		}
		parent.InsertBefore(parent, b, block)
	}
	parent.RemoveChild(parent, b)
}

// replaceInline replaces the inline HTML nodes, in document order: each
// br with a line break, every other with nothing, dropping what lies in
// hiddenContent elements.
func (p *prepared) replaceInline(raws []*gast.RawHTML, src []byte) {
	var (
		block   gast.Node // the block holding the node being read
		hidden  int
		from    gast.Node // the node that opened hidden content
		parents = map[gast.Node]bool{}
		done    []gast.Node
	)
	// hide drops from's next siblings up to (not including) to, or to
	// the end of from's parent when to is not one of them.
	hide := func(from, to gast.Node) {
		parent := from.Parent()
		if parent == nil {
			return
		}
		if to != nil && to.Parent() != parent {
			to = nil
		}
		for n := from.NextSibling(); n != nil && n != to; {
			next := n.NextSibling()
			parent.RemoveChild(parent, n)
			n = next
		}
	}
	for _, r := range raws {
		if b := blockOf(r); b != block {
			if from != nil {
				hide(from, nil)
			}
			block, hidden, from = b, 0, nil
		}
		before := hidden
		var brk bool
		brk, hidden = inlineTag(r.Segments.Value(src), hidden)
		switch {
		case before == 0 && hidden > 0:
			from = r
		case before > 0 && hidden == 0 && from != nil:
			hide(from, r)
			from = nil
		}
		if brk && hidden == 0 {
			t := p.textNode("")
			t.SetHardLineBreak(true)
			if parent := r.Parent(); parent != nil {
				parent.InsertBefore(parent, r, t)
			}
			// The line's end after "<br>" is no second break, nor a space
			// to start the next line.
			if next, ok := r.NextSibling().(*gast.Text); ok && next.Segment.IsEmpty() && next.SoftLineBreak() {
				next.SetSoftLineBreak(false)
			}
		}
		done = append(done, r)
	}
	if from != nil {
		hide(from, nil)
	}
	for _, r := range done {
		if parent := r.Parent(); parent != nil {
			parents[parent] = true
			parent.RemoveChild(parent, r)
		}
	}
	for parent := range parents {
		joinSpaces(parent, p.src)
	}
}

// blockOf gives the block that holds an inline node.
func blockOf(n gast.Node) gast.Node {
	for n != nil && n.Type() != gast.TypeBlock {
		n = n.Parent()
	}
	return n
}

// joinSpaces keeps one space where removed HTML leaves two text nodes
// side by side, the first ending in a space and the next starting with
// one.
func joinSpaces(parent gast.Node, src []byte) {
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		t, ok := c.(*gast.Text)
		if !ok || t.SoftLineBreak() || t.HardLineBreak() {
			continue
		}
		next, ok := c.NextSibling().(*gast.Text)
		if !ok {
			continue
		}
		v := t.Segment.Value(src)
		if len(v) == 0 || v[len(v)-1] != ' ' {
			continue
		}
		for next.Segment.Start < next.Segment.Stop && src[next.Segment.Start] == ' ' {
			next.Segment.Start++
		}
	}
}
