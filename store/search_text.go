package store

import (
	"strings"
)

// plainText reduces a Markdown body to the text a reader sees, for
// search and snippets: block markers (headings, quotes, list items, table
// pipes, fences, rules), emphasis and code marks, link and image
// destinations, reference definitions, HTML tags and footnote marks are
// dropped; a link or an image keeps its text. Lines stay lines. It is a
// light reduction, not a Markdown parser: it only has to keep words and
// drop what is not prose.
func plainText(md string) string {
	var b strings.Builder
	b.Grow(len(md))
	fenced := false
	for len(md) > 0 {
		line := md
		if i := strings.IndexByte(md, '\n'); i >= 0 {
			line, md = md[:i], md[i+1:]
		} else {
			md = ""
		}
		trimmed := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fenced = !fenced
			b.WriteByte('\n')
			continue
		}
		if fenced {
			b.WriteString(line)
			b.WriteByte('\n')
			continue
		}
		if isRuleLine(trimmed) || isReferenceDefinition(trimmed) {
			b.WriteByte('\n')
			continue
		}
		writeInline(&b, stripBlockMarkers(trimmed))
		b.WriteByte('\n')
	}
	return b.String()
}

// isRuleLine reports whether a line is only a thematic break, a setext
// underline or a table's delimiter row.
func isRuleLine(l string) bool {
	if l == "" {
		return false
	}
	marks := 0
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '-', '=', '*', '_', ':', '|':
			marks++
		case ' ', '\t':
		default:
			return false
		}
	}
	return marks >= 3 || strings.Contains(l, "|")
}

// isReferenceDefinition reports whether a line defines a link reference:
// "[1]: https://...".
func isReferenceDefinition(l string) bool {
	if !strings.HasPrefix(l, "[") {
		return false
	}
	end := strings.Index(l, "]:")
	return end > 1 && !strings.Contains(l[:end], "](")
}

// stripBlockMarkers removes the quote, heading and list markers at the
// start of a line.
func stripBlockMarkers(l string) string {
	for {
		l = strings.TrimLeft(l, " \t")
		switch {
		case strings.HasPrefix(l, ">"):
			l = l[1:]
		case strings.HasPrefix(l, "#"):
			n := len(l) - len(strings.TrimLeft(l, "#"))
			if n > 6 || (n < len(l) && l[n] != ' ' && l[n] != '\t') {
				return l
			}
			return strings.TrimRight(strings.TrimLeft(l[n:], " \t"), " #")
		case len(l) >= 2 && (l[0] == '-' || l[0] == '*' || l[0] == '+') && (l[1] == ' ' || l[1] == '\t'):
			l = l[2:]
		case strings.HasPrefix(l, "[ ] ") || strings.HasPrefix(l, "[x] ") || strings.HasPrefix(l, "[X] "):
			l = l[4:]
		default:
			n := 0
			for n < len(l) && n < 9 && l[n] >= '0' && l[n] <= '9' {
				n++
			}
			if n > 0 && n+1 < len(l) && (l[n] == '.' || l[n] == ')') && (l[n+1] == ' ' || l[n+1] == '\t') {
				l = l[n+2:]
				continue
			}
			return l
		}
	}
}

// writeInline writes a line without its inline markup.
func writeInline(b *strings.Builder, l string) {
	for i := 0; i < len(l); {
		c := l[i]
		switch c {
		case '\\':
			if i+1 < len(l) && strings.IndexByte("\\`*_{}[]()#+-.!|<>~\"'", l[i+1]) >= 0 {
				b.WriteByte(l[i+1])
				i += 2
				continue
			}
		case '*', '`', '~':
			i++
			continue
		case '_':
			// Emphasis, unless inside a word (snake_case).
			if i > 0 && i+1 < len(l) && isASCIIWordByte(l[i-1]) && isASCIIWordByte(l[i+1]) {
				break
			}
			i++
			continue
		case '|':
			b.WriteByte(' ')
			i++
			continue
		case '!':
			if i+1 < len(l) && l[i+1] == '[' {
				i++
				continue
			}
		case '[':
			if i+1 < len(l) && l[i+1] == '^' { // a footnote mark
				if end := strings.IndexByte(l[i:], ']'); end > 0 {
					i += end + 1
					continue
				}
			}
			i++
			continue
		case ']':
			i++
			if i < len(l) && (l[i] == '(' || l[i] == '[') {
				closer := byte(')')
				if l[i] == '[' {
					closer = ']'
				}
				if end := strings.IndexByte(l[i:], closer); end > 0 {
					i += end + 1
				}
			}
			continue
		case '<':
			if end := strings.IndexByte(l[i:], '>'); end > 1 && isTagStart(l[i+1]) {
				i += end + 1
				continue
			}
		case '&':
			if r, n := namedEntity(l[i:]); n > 0 {
				b.WriteString(r)
				i += n
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
}

func isASCIIWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func isTagStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '!'
}

// namedEntity decodes the few named character references prose uses; never
// a numeric one, which could name a control character.
func namedEntity(s string) (string, int) {
	for _, e := range [...]struct{ name, text string }{
		{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"},
		{"&nbsp;", " "}, {"&ndash;", "–"}, {"&mdash;", "—"}, {"&hellip;", "…"},
	} {
		if strings.HasPrefix(s, e.name) {
			return e.text, len(e.name)
		}
	}
	return "", 0
}
