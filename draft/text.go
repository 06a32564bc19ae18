package draft

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// LineKind says what a line of a saved article is.
type LineKind uint8

// The kinds of line the text step tells apart.
const (
	Blank   LineKind = iota // an empty line, a paragraph break
	Prose                   // the article's own text
	Heading                 // a headline before the article, or a subheading
	Stamp                   // a date or time on its own: a page clock or publication stamp
	Address                 // a web address on its own
	Caption                 // a photo caption
	Chrome                  // site furniture, set aside
)

var lineKindNames = [...]string{"blank", "prose", "heading", "stamp", "address", "caption", "chrome"}

func (k LineKind) String() string { return lineKindNames[k] }

// Line is one line of an article with where it came from.
type Line struct {
	N    int      // 1-based line number in the file
	Text string   // the line, trimmed of surrounding space
	Kind LineKind // what the text step made of it
	Why  string   // for Chrome and Stamp: why it was set aside
}

// Text is one article as the text step reads it: every line kept, each
// classified, so that later steps can cite file and line.
type Text struct {
	File  string
	Lines []Line
	// URL is the page's address: a line 1 holding only a URL, or the
	// address an HTML page names for itself.
	URL string
	// Meta holds what an HTML page says of itself; empty for plain text.
	Meta Meta
	// clip is the clipping tool's date stamp (" date 2025-08-18 EN"), with
	// its line, when the text starts with one.
	clip     string
	clipLine int
	// last maps a line's folded text to the index of its last occurrence.
	last map[string]int
}

// Meta is what a saved HTML page says of itself.
type Meta struct {
	Title, Site, Lang, Published string
}

// Plain reads a plain-text clipping: a page saved from a browser or a
// clipping tool, chrome and all.
func Plain(file string, data []byte) *Text {
	t := &Text{File: file}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	s := strings.ToValidUTF8(string(data), "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	raw := strings.Split(s, "\n")
	for i, l := range raw {
		t.Lines = append(t.Lines, Line{N: i + 1, Text: cleanLine(l)})
	}
	t.classify()
	return t
}

// cleanLine trims a line and turns tabs, no-break and other odd spaces
// into plain ones, dropping zero-width characters.
func cleanLine(s string) string {
	if isASCIISpaceOnly(s) {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u00ad':
			continue
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.IsControl(r):
			continue
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

func isASCIISpaceOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c == '\t' || c < ' ' {
			return false
		}
	}
	return true
}

// classify sorts the lines into prose, headings, stamps and chrome.
func (t *Text) classify() {
	lines := t.Lines
	// A line 1 that is only a URL is the page's address.
	first := -1
	for i := range lines {
		if lines[i].Text != "" {
			first = i
			break
		}
	}
	if first >= 0 && isURL(lines[first].Text) {
		t.URL = lines[first].Text
		lines[first].Kind, lines[first].Why = Address, "the page's address"
	}
	// A clipping tool's stamp at the very start: " date 2025-08-18 EN".
	if first >= 0 && lines[first].Kind == Blank {
		if stamp, rest, ok := clipStamp(lines[first].Text); ok {
			t.clip, t.clipLine = stamp, lines[first].N
			lines[first].Text = rest
		}
	}
	t.last = make(map[string]int, len(lines))
	keys := make([]string, len(lines))
	for i, l := range lines {
		if l.Text != "" {
			keys[i] = foldKey(l.Text)
			t.last[keys[i]] = i
		}
	}
	seen := map[string]bool{}
	for i := range lines {
		l := &lines[i]
		if l.Kind != Blank || l.Text == "" {
			continue
		}
		l.Kind, l.Why = classifyLine(l.Text)
		if l.Kind == Prose || l.Kind == Heading {
			if seen[keys[i]] {
				l.Kind, l.Why = Chrome, "repeats an earlier line"
			}
			seen[keys[i]] = true
		}
	}
	// Before the article starts, short lines are navigation; after its
	// last sentence, everything but a stamp or an address is furniture. A
	// run of three furniture lines ends the article: what follows is a
	// poll, a list of other stories or a footer.
	firstProse, lastProse, run := -1, -1, 0
	for i, l := range lines {
		switch {
		case l.Kind == Prose:
			if run >= 3 && firstProse >= 0 {
				break
			}
			if firstProse < 0 {
				firstProse = i
			}
			lastProse, run = i, 0
			continue
		case l.Kind == Chrome && l.Why != "repeats an earlier line":
			run++
			continue
		case l.Kind == Blank:
			continue
		default:
			if run < 3 {
				run = 0
			}
			continue
		}
		if run >= 3 {
			break
		}
	}
	for i := range lines {
		l := &lines[i]
		switch {
		case firstProse >= 0 && i < firstProse && l.Kind == Heading && len(strings.Fields(l.Text)) <= 2:
			l.Kind, l.Why = Chrome, "a menu entry before the article"
		case firstProse >= 0 && i < firstProse && l.Kind == Heading && l.Why != "" && t.last[keys[i]] <= i:
			l.Kind, l.Why = Chrome, "a menu line before the article"
		case lastProse >= 0 && i > lastProse && (l.Kind == Heading || l.Kind == Prose || l.Kind == Caption):
			l.Kind, l.Why = Chrome, "after the article's last sentence"
		case l.Kind == Heading:
			l.Why = ""
		}
	}
}

// isURL reports whether s is a single web address.
func isURL(s string) bool {
	if strings.ContainsAny(s, " \t") {
		return false
	}
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// clipStamp splits a clipping tool's leading " date YYYY-MM-DD [HH:MM] [XX]"
// from the rest of the line.
func clipStamp(s string) (stamp, rest string, ok bool) {
	if !strings.HasPrefix(s, "date ") || len(s) < 15 {
		return "", s, false
	}
	d := s[5:15]
	if !isISODate(d) {
		return "", s, false
	}
	rest = strings.TrimSpace(s[15:])
	if len(rest) >= 5 && rest[2] == ':' && isDigits(rest[:2]) && isDigits(rest[3:5]) {
		rest = strings.TrimSpace(rest[5:])
	}
	if f := strings.Fields(rest); len(f) > 0 && len(f[0]) == 2 && strings.ToUpper(f[0]) == f[0] && isLetters(f[0]) {
		rest = strings.TrimSpace(rest[2:]) // a language code: "EN"
	}
	return d, rest, true
}

func isISODate(s string) bool {
	return len(s) == 10 && isDigits(s[:4]) && s[4] == '-' && isDigits(s[5:7]) && s[7] == '-' && isDigits(s[8:10])
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// foldKey is the form under which two lines count as the same.
func foldKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Paragraph is a run of prose lines.
type Paragraph struct {
	Index int // 0 for the first paragraph of the article
	Lines []Line
}

// Paragraphs gives the article's prose (and subheadings after it starts)
// as paragraphs, in order.
func (t *Text) Paragraphs() []Paragraph {
	var out []Paragraph
	var cur []Line
	started := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, Paragraph{Index: len(out), Lines: cur})
			cur = nil
		}
	}
	for _, l := range t.Lines {
		switch {
		case l.Kind == Prose:
			started = true
			cur = append(cur, l)
			flush() // one line is one paragraph in clipped text
		case l.Kind == Heading && started:
			cur = append(cur, l)
			flush()
		}
	}
	flush()
	return out
}

// Title gives the article's headline and its line: the page's own title
// for HTML, else the first heading before the article (a heading the page
// repeats is preferred, as clipped pages print the title twice).
func (t *Text) Title() (string, int) {
	if t.Meta.Title != "" {
		return t.Meta.Title, 0
	}
	var first *Line
	for i := range t.Lines {
		l := &t.Lines[i]
		if l.Kind == Prose {
			break
		}
		if l.Kind != Heading {
			continue
		}
		if first == nil {
			first = l
		}
		if t.last[foldKey(l.Text)] > i {
			return l.Text, l.N // the page prints its headline twice
		}
	}
	if first != nil {
		return first.Text, first.N
	}
	// A page clipped without its headline often starts with a lead line
	// that ends without a full stop: that is the headline.
	for _, l := range t.Lines {
		if l.Kind == Prose {
			if !endsSentence(l.Text) && len(strings.Fields(l.Text)) <= 25 {
				return l.Text, l.N
			}
			break
		}
	}
	return "", 0
}
