package store

import (
	"bytes"
	"cmp"
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// MaxFileSize is the largest briefing brief reads: 4 MiB.
const MaxFileSize = 4 << 20

var utf8BOM = []byte("\xef\xbb\xbf")

// frontmatter is a file's YAML block, located.
type frontmatter struct {
	yaml       []byte // the block between the delimiters, LF line ends
	firstLine  int    // file line of the block's first line
	bodyOffset int    // byte offset of the body in the file
	bodyLine   int    // file line of the body's first line
}

// findFrontmatter locates the YAML block at the top of data. complete is
// false when data may be only the start of the file and the closing line
// was not found in it: the caller should read more. Any other failure is
// returned as a Problem-ready message with its line.
func findFrontmatter(data []byte, complete bool) (fm frontmatter, needMore bool, line int, err error) {
	start := 0
	if bytes.HasPrefix(data, utf8BOM) {
		start = len(utf8BOM)
	}
	if len(bytes.TrimSpace(data[start:])) == 0 {
		if !complete {
			return fm, true, 0, nil
		}
		return fm, false, 0, fmt.Errorf("empty file: a briefing starts with a '---' line and its frontmatter")
	}
	if enc := wideEncoding(data); enc != "" {
		return fm, false, 0, fmt.Errorf("the file is %s text, and brief reads UTF-8 only: save it as UTF-8 (in most editors: Save As, encoding UTF-8)", enc)
	}
	if i := bytes.IndexByte(data[:min(len(data), 8000)], 0); i >= 0 {
		return fm, false, 0, fmt.Errorf("binary file (NUL byte at offset %d), not a Markdown briefing", i)
	}
	first, rest, ok := cutLine(data[start:])
	if !ok && !complete {
		return fm, true, 0, nil
	}
	switch string(bytes.TrimRight(first, " \t")) {
	case "---":
	case "+++":
		return fm, false, 1, fmt.Errorf("TOML frontmatter (+++) is not supported: write the fields as YAML between '---' lines")
	default:
		return fm, false, 1, fmt.Errorf("no frontmatter: a briefing must start with a line '---', then its fields, then '---'")
	}
	// The block ends at the first line that is "---" or "...", with only
	// spaces or tabs after it (and a CRLF's CR): found by searching for
	// such lines rather than reading every line.
	offset := len(data) - len(rest)
	for at := offset; ; {
		if end, ok, isLast := closerAt(data, at); ok {
			if isLast && !complete {
				return fm, true, 0, nil // the line may go on
			}
			fm = frontmatter{
				yaml:       crlfToLF(data[offset:at]),
				firstLine:  2,
				bodyOffset: end,
				bodyLine:   3 + bytes.Count(data[offset:at], []byte("\n")),
			}
			return fm, false, 0, nil
		}
		next := nextCloserCandidate(data[at:])
		if next < 0 {
			break
		}
		at += next
	}
	if !complete {
		return fm, true, 0, nil
	}
	return fm, false, 1, fmt.Errorf("the frontmatter opened on line 1 is never closed: add a line '---' after its last field")
}

// closerAt reports whether the line starting at data[at] closes a
// frontmatter: "---" or "...", then only spaces or tabs, and a CR before
// the line end. end is where the next line starts; isLast says the line
// has no line end (it may be cut short).
func closerAt(data []byte, at int) (end int, ok, isLast bool) {
	line := data[at:]
	if len(line) < 3 || !isCloser(line[:3]) {
		return 0, false, false
	}
	nl := bytes.IndexByte(line, '\n')
	end = at + nl + 1
	if nl < 0 {
		nl, end, isLast = len(line), len(data), true
	}
	t := bytes.TrimSuffix(line[3:nl], []byte("\r"))
	return end, len(bytes.TrimLeft(t, " \t")) == 0, isLast
}

// nextCloserCandidate gives where the next line that starts with "---"
// or "..." begins in data (not counting data's own first line), or -1.
// It steps from line end to line end: a frontmatter's lines are short,
// and one pass finds either closer (two searches, one for each, took
// twice as long).
func nextCloserCandidate(data []byte) int {
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
		if len(data)-i >= 3 && (data[i] == '-' || data[i] == '.') && data[i+1] == data[i] && data[i+2] == data[i] {
			return i
		}
	}
}

func isCloser(t []byte) bool {
	return len(t) == 3 && (string(t) == "---" || string(t) == "...")
}

// cutLine splits off the first line of data, without its line end. ok is
// false when data holds no line end (the line may be incomplete).
func cutLine(data []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return bytes.TrimSuffix(data, []byte("\r")), nil, false
	}
	return bytes.TrimSuffix(data[:i], []byte("\r")), data[i+1:], true
}

// wideEncoding names the encoding of text written in UTF-16 or UTF-32,
// by its byte order mark or, without one, by the zero bytes every ASCII
// character has in it; "" for anything else.
func wideEncoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe, 0, 0}):
		return "UTF-32 (little-endian)"
	case bytes.HasPrefix(data, []byte{0, 0, 0xfe, 0xff}):
		return "UTF-32 (big-endian)"
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		return "UTF-16 (little-endian)"
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return "UTF-16 (big-endian)"
	}
	// "---" and a line end, as UTF-16 without a mark.
	head := data[:min(len(data), 8)]
	switch string(head) {
	case "-\x00-\x00-\x00\n\x00", "-\x00-\x00-\x00\r\x00":
		return "UTF-16 (little-endian)"
	case "\x00-\x00-\x00-\x00\n", "\x00-\x00-\x00-\x00\r":
		return "UTF-16 (big-endian)"
	}
	return ""
}

// crlfToLF turns CRLF line ends into LF. A lone CR is no line end for
// brief (nor for the editors that count lines by LF): it is left for
// parseBriefing to report.
func crlfToLF(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
}

// loneCRs reads each CR left in a frontmatter block (none ends a line) as
// a space, with a warning on its line: YAML would take it for a line end
// and shift the lines after it. firstLine is the file line of the
// block's first line.
func loneCRs(data []byte, ps *problems, firstLine int) []byte {
	if bytes.IndexByte(data, '\r') < 0 {
		return data
	}
	out := bytes.Clone(data)
	line, warned := firstLine, 0
	for i, c := range out {
		switch c {
		case '\n':
			line++
		case '\r':
			if warned != line {
				ps.warnf(line, "a carriage return (CR) inside the line was read as a space")
				warned = line
			}
			out[i] = ' '
		}
	}
	return out
}

// normalizeNewlines turns CRLF and lone CR line ends into LF.
func normalizeNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}

var notIDChars = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9._-]+`) })

// isID reports whether s is a valid id: letters, digits, '.', '_' and '-',
// starting with a letter or digit.
func isID(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || (c != '.' && c != '_' && c != '-')) {
			return false
		}
	}
	return s != ""
}

// defaultID derives an id from a file name: its base without ".md", with
// anything an id may not hold replaced by '-'.
func defaultID(p string) string {
	base := strings.TrimSuffix(path.Base(p), path.Ext(p))
	id := strings.Trim(notIDChars().ReplaceAllString(base, "-"), "-._")
	if id == "" {
		id = "briefing"
	}
	return id
}

// parseBriefing decodes and validates the frontmatter of the file at p. It
// returns nil when the file cannot be loaded; ps holds why. The briefing's
// strings are slices of the frontmatter's text, its lists are a's scratch
// space, and its details and the lines of its officials are left in a.dec
// (compact makes them all the briefing's own).
func parseBriefing(p string, fm frontmatter, ps *problems, a *arena) *Briefing {
	data := cleanRaw(loneCRs(fm.yaml, ps, fm.firstLine), ps, fm.firstLine)
	root, err := parseYAML(data, fm.firstLine-1, a)
	return briefingOf(p, fm, data, root, err, ps, a)
}

// briefingOf is parseBriefing once the frontmatter, as data, is parsed
// into root (or failed to parse, with err).
func briefingOf(p string, fm frontmatter, data []byte, root node, err error, ps *problems, a *arena) *Briefing {
	if err != nil {
		line, msg := yamlErrorLine(err)
		if line <= 0 {
			line = 1
		}
		if hint := cmp.Or(colonHint(data, line, msg), flowHint(data, line, msg)); hint != "" {
			ps.errorf(line+fm.firstLine-1, "%s", hint)
		} else {
			ps.errorf(line+fm.firstLine-1, "YAML syntax error: %s", msg)
		}
		return nil
	}
	if !root.exists() {
		ps.errorf(fm.firstLine-1, "the frontmatter is empty: a briefing needs at least title, date and officials")
		return nil
	}
	if root.kind() != mapNode {
		ps.errorf(root.line(), "the frontmatter must be a mapping of fields (key: value), not a %s", kindName(root))
		return nil
	}
	b := a.dec.briefing()
	b.Path, b.BodyLine, b.bodyOffset, b.idLine = p, fm.bodyLine, int32(fm.bodyOffset), int32(fm.firstLine-1)
	a.dec.reset()
	decodeBriefing(b, &a.dec, root, ps)
	if b.ID == "" {
		b.ID = defaultID(p)
	}
	if a.dec.details.Dating.Basis == "" {
		a.dec.details.Dating.Basis = BasisStated // the default, also without a dating key
	}
	if b.Title == "" && !hasKey(root, "title") {
		ps.errorf(fm.firstLine-1, "missing title: every briefing needs a one-line title")
	}
	if b.Date.IsZero() && !hasKey(root, "date") {
		ps.errorf(fm.firstLine-1, "missing date: write it as YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known")
	}
	if len(b.Officials) == 0 && !hasKey(root, "officials") {
		ps.errorf(fm.firstLine-1, "missing officials: name at least one official who took part")
	}
	a.dec.keep(!ps.failed())
	if ps.failed() {
		return nil
	}
	return b
}

func hasKey(m node, key string) bool {
	for i := 0; i+1 < m.len(); i += 2 {
		if m.child(i).value() == key {
			return true
		}
	}
	return false
}

func kindName(n node) string {
	switch n.kind() {
	case listNode:
		return "list"
	case mapNode:
		return "mapping"
	}
	return "single value"
}

// plainField is a "key: value" line, maybe a list item's ("- key: value").
var plainField = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_-]*):\s+(.*)$`)
})

// fieldAt gives the key and the value of the line (1-based, in data) if
// it is a "key: value" line (plainField).
func fieldAt(data []byte, line int) (key, value string, ok bool) {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return "", "", false
	}
	m := plainField().FindSubmatch(lines[line-1])
	if m == nil {
		return "", "", false
	}
	return string(m[1]), string(m[2]), true
}

// colonHint explains YAML's "mapping values are not allowed" when the line
// (1-based, in data) is a field whose unquoted value holds ": ", as in
// "title: Talks: the next step": YAML takes the second colon for another
// key. It gives "" when that is not the case.
func colonHint(data []byte, line int, msg string) string {
	if msg != "mapping values are not allowed in this context" {
		return ""
	}
	key, value, ok := fieldAt(data, line)
	if !ok {
		return ""
	}
	value = strings.TrimRight(value, " \t")
	if i := strings.Index(value, " #"); i >= 0 {
		value = strings.TrimRight(value[:i], " \t") // a comment
	}
	if !strings.Contains(value, ": ") || strings.HasPrefix(value, "'") || (strings.HasPrefix(value, `"`) && strings.HasSuffix(value, `"`)) {
		return ""
	}
	return fmt.Sprintf(`the value of %s holds ": ", which YAML takes for the start of another key; put the value in quotes: %s: %s`,
		key, key, quoteYAML(value))
}

// flowHint explains YAML's "did not find expected ',' or ']'" when the
// line (1-based, in data) is a field whose value is a list in brackets
// with an unquoted item that holds a '?', a brace or " #", as in "topics:
// [trade, why?]": YAML ends such an item there. It gives "" when that is
// not the case.
func flowHint(data []byte, line int, msg string) string {
	if msg != "did not find expected ',' or ']'" {
		return ""
	}
	key, rest, ok := fieldAt(data, line)
	if !ok {
		return ""
	}
	items, why := []string(nil), ""
	rest = strings.TrimSpace(rest)
	if !strings.HasPrefix(rest, "[") {
		return ""
	}
	for rest = rest[1:]; ; {
		rest = strings.TrimLeft(rest, " ")
		var item string
		switch {
		case rest == "":
			return "" // unclosed
		case rest[0] == '\'' || rest[0] == '"':
			end := quotedEnd(rest)
			if end < 0 {
				return ""
			}
			item, rest = rest[:end], rest[end:]
		default:
			end := strings.IndexAny(rest, ",]")
			if end < 0 || strings.Contains(rest[:end], "[") {
				return ""
			}
			item, rest = strings.TrimRight(rest[:end], " "), rest[end:]
			if w := flowTrouble(item); w != "" {
				item = quoteYAML(item)
				why = cmp.Or(why, w)
			}
		}
		items = append(items, item)
		rest = strings.TrimLeft(rest, " ")
		if rest == "" {
			return ""
		}
		if rest[0] == ']' {
			break
		}
		if rest[0] != ',' {
			return ""
		}
		rest = rest[1:]
	}
	if why == "" {
		return ""
	}
	return fmt.Sprintf("an item of %s holds %s; put it in quotes: %s: [%s]", key, why, key, strings.Join(items, ", "))
}

// flowTrouble says what in a plain item of a list in brackets makes YAML
// stop reading the list, or "".
func flowTrouble(item string) string {
	switch {
	case strings.Contains(item, "?"):
		return "a '?', which ends an item of a list in brackets unless it is in quotes"
	case strings.ContainsAny(item, "{}"):
		return "a brace, which YAML reads as part of a mapping unless it is in quotes"
	case strings.Contains(item, " #"):
		return `" #", which YAML reads as the start of a comment unless it is in quotes`
	}
	return ""
}

// quotedEnd gives the length of the quoted scalar s starts with, quotes
// included (” is a quote inside single quotes, \" inside double), or -1
// if it is not closed.
func quotedEnd(s string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q && q == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == q:
			return i + 1
		}
	}
	return -1
}

// quoteYAML quotes a value for YAML: in single quotes when it holds double
// ones and no single one, else in double quotes with escapes, which
// write every character that does not print (controls, direction
// marks, zero-width spaces) as its \u escape: the message that shows it
// shows nothing invisible, and the line it suggests gives the same value.
func quoteYAML(v string) string {
	printable := !strings.ContainsFunc(v, func(r rune) bool { return !unicode.IsPrint(r) })
	if printable && strings.Contains(v, `"`) && !strings.Contains(v, "'") {
		return "'" + v + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range v {
		switch {
		case r == '\\' || r == '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case unicode.IsPrint(r):
			b.WriteRune(r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			fmt.Fprintf(&b, `\U%08X`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
