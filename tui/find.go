package tui

import (
	"bytes"
	"sort"
	"unicode"

	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/x/ansi"
)

// pageText is a laid-out page's text folded the way the store folds
// names and search words, with where on screen each folded byte came
// from. A search in it finds a phrase however the page is wrapped, in any
// case, with or without accents: the same folding as the timeline's
// filter.
type pageText struct {
	folded []byte
	from   []cell // for each byte of folded: the cells of its rune
	starts []int  // for each line: the offset in folded where it starts
}

// cell is where a rune is on the page: its line and columns.
type cell struct{ line, start, end int }

// span is a run of cells on one line.
type span struct{ line, start, end int }

// match is one occurrence of a search: one span per line it covers.
type match []span

func newPageText(lines []string) *pageText {
	p := &pageText{starts: make([]int, len(lines))}
	space := true
	addSpace := func(at cell) {
		if !space {
			p.folded = append(p.folded, ' ')
			p.from = append(p.from, at)
			space = true
		}
	}
	var buf [8]byte
	for i, line := range lines {
		p.starts[i] = len(p.folded)
		col := 0
		for _, r := range ansi.Strip(line) {
			w := ansi.StringWidth(string(r))
			at := cell{i, col, col + w}
			col += w
			if unicode.Is(unicode.Mn, r) {
				continue // a combining mark folds away with its letter
			}
			var f string
			if r < 0x80 {
				f = string(foldASCII(r, buf[:0]))
			} else {
				f = store.Fold(string(r))
			}
			if f == "" {
				addSpace(at)
				continue
			}
			for j := 0; j < len(f); j++ {
				p.folded = append(p.folded, f[j])
				p.from = append(p.from, at)
			}
			space = false
		}
		addSpace(cell{i, col, col}) // a line's end separates words
	}
	return p
}

// foldASCII folds an ASCII rune as store.Fold does: letters to lower
// case, digits kept, anything else a separator ("").
func foldASCII(r rune, dst []byte) []byte {
	switch {
	case r >= 'A' && r <= 'Z':
		return append(dst, byte(r)+'a'-'A')
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return append(dst, byte(r))
	}
	return dst
}

// find gives every occurrence of query, in page order.
func (p *pageText) find(query string) []match {
	q := []byte(store.Fold(query))
	if len(q) == 0 {
		return nil
	}
	var out []match
	for from := 0; from < len(p.folded); {
		i := bytes.Index(p.folded[from:], q)
		if i < 0 {
			break
		}
		at := from + i
		out = append(out, p.spans(at, at+len(q)))
		from = at + len(q)
	}
	return out
}

// spans gives the cells of folded bytes [a, b), one span per line.
func (p *pageText) spans(a, b int) match {
	var m match
	for i := a; i < b; i++ {
		c := p.from[i]
		if c.start == c.end { // a line's end
			continue
		}
		if n := len(m); n > 0 && m[n-1].line == c.line {
			m[n-1].start, m[n-1].end = min(m[n-1].start, c.start), max(m[n-1].end, c.end)
			continue
		}
		m = append(m, span{c.line, c.start, c.end})
	}
	return m
}

// offsetOf gives where line starts in the folded text, as a fraction of
// it: a position that survives laying the page out at another width.
func (p *pageText) offsetOf(line int) float64 {
	if len(p.folded) == 0 || line <= 0 {
		return 0
	}
	line = min(line, len(p.starts)-1)
	return float64(p.starts[line]) / float64(len(p.folded))
}

// lineAt gives the line holding the text at a fraction of the folded text.
func (p *pageText) lineAt(frac float64) int {
	if len(p.starts) == 0 {
		return 0
	}
	off := int(frac * float64(len(p.folded)))
	// The last line starting at or before off.
	return max(sort.SearchInts(p.starts, off+1)-1, 0)
}
