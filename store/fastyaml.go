package store

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

// parseSimpleYAML parses the plain subset of YAML that briefings are
// written in, about ten times faster than yaml.v3: block mappings and
// sequences indented with spaces, one-line plain, single- and double-quoted
// scalars without escapes, and one-line flow sequences of such scalars.
// For anything else (block scalars, anchors, tags, escapes, multi-line
// scalars, flow mappings, tabs, duplicate keys, empty values) it returns
// ok=false and the caller uses yaml.v3, which also reports every error.
// Where it answers, it answers exactly as yaml.v3 would in every node field
// brief reads (kind, value, null-ness, line, children): FuzzSimpleYAML
// checks this against yaml.v3 itself.
func parseSimpleYAML(data []byte, a *arena) (root *node, ok bool) {
	lines, ok := simpleLines(data, a.lines[:0], a.inPlace, a.cleaned)
	a.lines = lines
	if !ok {
		return nil, false
	}
	return parseSimpleLines(a)
}

// parseSimpleLines is parseSimpleYAML once the lines are split, in a.lines.
func parseSimpleLines(a *arena) (root *node, ok bool) {
	lines := a.lines
	if len(lines) == 0 || lines[0].indent != 0 {
		return nil, false
	}
	p := &simpleParser{lines: lines, arena: a}
	if isDash(lines[0].text) {
		root, ok = p.sequence(0)
	} else {
		root, ok = p.mapping(0)
	}
	if !ok || p.i != len(p.lines) {
		return nil, false
	}
	return root, true
}

// simpleLine is one line of the block that holds something: its number,
// indentation and text without trailing spaces.
type simpleLine struct {
	num    int
	indent int
	text   string
}

// simpleLines splits data into its non-blank, non-comment lines, refusing
// tabs and anything yaml.v3 treats specially (non-printable characters,
// Unicode line separators, byte order marks). It reads data once, eight
// bytes at a time where they are printable ASCII.
// With inPlace, the lines are read from data's bytes, not a copy (see
// arena.inPlace). cleaned says data went through cleanRaw: it is valid
// UTF-8 without control characters (but tabs and line ends), and only the
// few characters beyond ASCII that yaml.v3 reads apart need looking for.
func simpleLines(data []byte, lines []simpleLine, inPlace, cleaned bool) ([]simpleLine, bool) {
	var s string // every value is a slice of it
	if inPlace && len(data) > 0 {
		s = unsafe.String(&data[0], len(data))
	} else {
		s = string(data)
	}
	if cleaned && plainCleaned(s) {
		return splitLines(s, lines), true
	}
	num := 0
	for start := 0; start < len(s); {
		num++
		i := start
		for i < len(s) && s[i] == ' ' {
			i++
		}
		first, end := i, i // the text: s[first:end], without trailing spaces
		for i < len(s) {
			if i+8 <= len(s) && printableWord(le64(s[i:])) {
				i += 8
				if s[i-1] != ' ' {
					end = i
				} else if j := strings.TrimRight(s[end:i], " "); len(j) > 0 {
					end += len(j)
				}
				continue
			}
			c := s[i]
			switch {
			case c == '\n':
			case c >= 0x20 && c < 0x7f:
				i++
				if c != ' ' {
					end = i
				}
				continue
			case c < 0x80:
				return nil, false // a control character, a tab or DEL
			case cleaned:
				// U+2028, U+2029 (E2 80 A8/A9), U+FEFF (EF BB BF), U+FFFE
				// and U+FFFF (EF BF BE/BF): valid UTF-8, so all there.
				switch {
				case c == 0xe2 && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9),
					c == 0xef && (s[i+1] == 0xbb && s[i+2] == 0xbf || s[i+1] == 0xbf && s[i+2] >= 0xbe):
					return nil, false
				case c < 0xe0:
					i += 2
				case c < 0xf0:
					i += 3
				default:
					i += 4
				}
				end = i
				continue
			default:
				r, size := utf8.DecodeRuneInString(s[i:])
				if !simplePrintableRune(r, size) {
					return nil, false
				}
				i += size
				end = i
				continue
			}
			break
		}
		if end > first && s[first] != '#' {
			lines = append(lines, simpleLine{num: num, indent: first - start, text: s[first:end]})
		}
		start = i + 1
	}
	return lines, true
}

// plainCleaned reports whether text cleanRaw passed has nothing the fast
// parser refuses: no tab, no CR, none of U+2028, U+2029, U+FEFF, U+FFFE
// and U+FFFF. Each is looked for in the whole text at once.
func plainCleaned(s string) bool {
	if strings.IndexByte(s, '\t') >= 0 || strings.IndexByte(s, '\r') >= 0 {
		return false
	}
	for _, lead := range []byte{0xe2, 0xef} {
		for at := 0; ; {
			i := strings.IndexByte(s[at:], lead)
			if i < 0 {
				break
			}
			at += i
			switch t := s[at+1 : at+3]; { // valid UTF-8: both are there
			case lead == 0xe2 && (t == "\x80\xa8" || t == "\x80\xa9"),
				lead == 0xef && (t == "\xbb\xbf" || t == "\xbf\xbe" || t == "\xbf\xbf"):
				return false
			}
			at += 3
		}
	}
	return true
}

// splitLines is simpleLines for text plainCleaned passed: it only
// splits lines and trims their spaces.
func splitLines(s string, lines []simpleLine) []simpleLine {
	for num, start := 1, 0; start < len(s); num++ {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		first := start
		for first < end && s[first] == ' ' {
			first++
		}
		last := end
		for last > first && s[last-1] == ' ' {
			last--
		}
		if last > first && s[first] != '#' {
			lines = append(lines, simpleLine{num: num, indent: first - start, text: s[first:last]})
		}
		start = end + 1
	}
	return lines
}

// le64 reads the first eight bytes of s as a little-endian number.
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// printableWord reports whether eight bytes are all printable ASCII (0x20
// to 0x7e): see plainWord.
func printableWord(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	if w&highs != 0 {
		return false
	}
	printable := (w + ones*0x60) & highs // byte >= 0x20
	del := (w + ones*0x01) & highs       // byte == 0x7f
	return printable&^del == highs
}

// simplePrintableRune reports whether a rune beyond ASCII, of size bytes
// in its text, is one yaml.v3 reads as plain printable text.
func simplePrintableRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1,
		r < 0xa0, r == 0x2028, r == 0x2029, r == 0xfeff,
		r >= 0xd800 && r < 0xe000, r == 0xfffe, r == 0xffff:
		return false
	}
	return true
}

type simpleParser struct {
	lines []simpleLine
	i     int
	arena *arena
}

// mapping parses a block mapping whose keys sit at indent.
func (p *simpleParser) mapping(indent int) (*node, bool) {
	m := p.arena.node(mapNode, p.lines[p.i].num)
	start := len(p.arena.stack)
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent < indent {
			break
		}
		if l.indent > indent {
			return nil, false
		}
		key, rest, ok := simpleKey(l.text)
		if !ok {
			return nil, false
		}
		for j := start; j < len(p.arena.stack); j += 2 {
			if p.arena.stack[j].value == key {
				return nil, false // a duplicate key: yaml.v3 decides
			}
		}
		k := p.arena.node(scalarNode, l.num)
		k.value = key
		var v *node
		if rest != "" {
			if v, ok = p.inlineValue(rest, l.num); !ok {
				return nil, false
			}
			p.i++
			if p.i < len(p.lines) && p.lines[p.i].indent > indent {
				return nil, false // a continuation line: yaml.v3 decides
			}
		} else {
			p.i++
			if p.i >= len(p.lines) {
				return nil, false
			}
			next := p.lines[p.i]
			switch {
			case isDash(next.text) && next.indent >= indent:
				v, ok = p.sequence(next.indent)
			case next.indent > indent:
				v, ok = p.mapping(next.indent)
			default:
				ok = false // an empty value
			}
			if !ok {
				return nil, false
			}
		}
		p.arena.stack = append(p.arena.stack, k, v)
	}
	m.content, m.unique = p.arena.children(start), true
	return m, true
}

// sequence parses a block sequence whose dashes sit at indent.
func (p *simpleParser) sequence(indent int) (*node, bool) {
	s := p.arena.node(listNode, p.lines[p.i].num)
	start := len(p.arena.stack)
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent < indent || (l.indent == indent && !isDash(l.text)) {
			break
		}
		if l.indent > indent {
			return nil, false
		}
		content := strings.TrimLeft(l.text[1:], " ")
		column := indent + len(l.text) - len(content)
		if _, _, isKey := simpleKey(content); isKey {
			// A mapping starts on the dash's line: parse it as if its first
			// key stood on a line of its own at its column.
			p.lines[p.i] = simpleLine{num: l.num, indent: column, text: content}
			item, ok := p.mapping(column)
			if !ok {
				return nil, false
			}
			p.arena.stack = append(p.arena.stack, item)
			continue
		}
		item, ok := p.inlineValue(content, l.num)
		if !ok {
			return nil, false
		}
		p.arena.stack = append(p.arena.stack, item)
		p.i++
		if p.i < len(p.lines) && p.lines[p.i].indent > indent {
			return nil, false
		}
	}
	s.content = p.arena.children(start)
	return s, true
}

func isDash(text string) bool { return len(text) >= 2 && text[0] == '-' && text[1] == ' ' }

// keyByte says what a byte may be in a key simpleKey reads: keyStart
// anywhere, keyOn anywhere but first, 0 not at all.
var keyByte = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
			t[c] = keyStart
		case c >= '0' && c <= '9', c == '-', c == '.':
			t[c] = keyOn
		}
	}
	return t
}()

const (
	keyStart = 1 + iota
	keyOn
)

// simpleKey splits "key: rest" or "key:", for keys of letters, digits, '_',
// '-' and '.' that start with a letter, digit or '_'.
func simpleKey(text string) (key, rest string, ok bool) {
	i := 0
	if len(text) > 0 && keyByte[text[0]] == keyStart {
		for i = 1; i < len(text) && keyByte[text[i]] != 0; i++ {
		}
	}
	if i == 0 || i > 128 || i >= len(text) || text[i] != ':' { // yaml.v3 caps implicit keys at 1024 characters
		return "", "", false
	}
	key = text[:i]
	if isNullWord(key) || isBoolWord(key) {
		return "", "", false
	}
	if i+1 == len(text) {
		return key, "", true
	}
	if text[i+1] != ' ' {
		return "", "", false
	}
	return key, strings.TrimLeft(text[i+2:], " "), true
}

// inlineValue parses a value written on its key's line.
func (p *simpleParser) inlineValue(text string, line int) (*node, bool) {
	switch text[0] {
	case '"', '\'':
		value, rest, ok := quoted(text)
		if !ok || !onlyComment(rest) {
			return nil, false
		}
		n := p.arena.node(scalarNode, line)
		n.value, n.plain = value, p.arena.ascii
		return n, true
	case '[':
		return p.flowSequence(text, line)
	}
	value, ok := plainScalar(text)
	if !ok {
		return nil, false
	}
	n := p.arena.node(scalarNode, line)
	n.value, n.null = value, isNullWord(value)
	n.plain = p.arena.ascii && !n.null
	return n, true
}

// plainScalar reads a plain scalar that fills the rest of a line, up to a
// comment.
func plainScalar(text string) (string, bool) {
	switch text[0] {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return "", false
	}
	// A comment starts at " #".
	for from := 0; ; {
		i := strings.IndexByte(text[from:], '#')
		if i < 0 {
			break
		}
		if i += from; text[i-1] == ' ' { // i > 0: text[0] is no '#'
			text = strings.TrimRight(text[:i], " ")
			break
		}
		from = i + 1
	}
	// ": " or a final ':' would start a mapping.
	for from := 0; ; {
		i := strings.IndexByte(text[from:], ':')
		if i < 0 {
			break
		}
		if i += from; i+1 == len(text) || text[i+1] == ' ' {
			return "", false
		}
		from = i + 1
	}
	return text, true
}

// quoted reads a one-line quoted scalar without escapes (” in single
// quotes is the one allowed), returning its value and what follows it.
func quoted(text string) (value, rest string, ok bool) {
	q := text[0]
	if q == '"' {
		end := strings.IndexByte(text[1:], '"')
		if end < 0 || strings.IndexByte(text[1:1+end], '\\') >= 0 {
			return "", "", false // unclosed, or with escapes
		}
		return text[1 : 1+end], text[2+end:], true
	}
	if end := strings.IndexByte(text[1:], '\''); end >= 0 && !strings.HasPrefix(text[2+end:], "'") {
		return text[1 : 1+end], text[2+end:], true // no '' inside: no copy
	}
	var b strings.Builder
	for i := 1; i < len(text); i++ {
		if text[i] != '\'' {
			b.WriteByte(text[i])
			continue
		}
		if i+1 < len(text) && text[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), text[i+1:], true
	}
	return "", "", false
}

// onlyComment reports whether what follows a value is nothing or a
// comment.
func onlyComment(rest string) bool {
	t := strings.TrimLeft(rest, " ")
	return t == "" || (t[0] == '#' && len(t) < len(rest))
}

// flowSequence reads "[a, 'b', "c"]" on one line.
func (p *simpleParser) flowSequence(text string, line int) (*node, bool) {
	s := p.arena.node(listNode, line)
	rest := strings.TrimLeft(text[1:], " ")
	if strings.HasPrefix(rest, "]") {
		return s, onlyComment(rest[1:])
	}
	start := len(p.arena.stack)
	defer func() { s.content = p.arena.children(start) }()
	for {
		var value string
		if rest == "" {
			return nil, false
		}
		null := false
		switch rest[0] {
		case '"', '\'':
			v, after, ok := quoted(rest)
			if !ok {
				return nil, false
			}
			value, rest = v, strings.TrimLeft(after, " ")
		default:
			end := flowEnd(rest)
			if end <= 0 {
				return nil, false
			}
			value = strings.TrimRight(rest[:end], " ")
			if value == "" || !plainFlowItem(value) {
				return nil, false
			}
			null = isNullWord(value)
			rest = rest[end:]
		}
		item := p.arena.node(scalarNode, line)
		item.value, item.null, item.plain = value, null, p.arena.ascii && !null
		p.arena.stack = append(p.arena.stack, item)
		if rest == "" {
			return nil, false
		}
		if rest[0] == ']' {
			return s, onlyComment(rest[1:])
		}
		if rest[0] != ',' {
			return nil, false
		}
		rest = strings.TrimLeft(rest[1:], " ")
		if rest == "" || rest[0] == ']' || rest[0] == ',' {
			return nil, false
		}
	}
}

// flowEnd gives where a flow item ends: at the first ',' or ']', or -1.
func flowEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == ']' {
			return i
		}
	}
	return -1
}

// plainFlowItem reports whether a flow item's text is a plain scalar the
// fast parser reads: none of []{}#:"' in it, and none of -?,!&*|>%@` to
// start it.
func plainFlowItem(v string) bool {
	switch v[0] {
	case '-', '?', ',', '!', '&', '*', '|', '>', '%', '@', '`':
		return false
	}
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '[', ']', '{', '}', '#', ':', '"', '\'':
			return false
		}
	}
	return true
}

func isNullWord(s string) bool {
	switch s {
	case "~", "null", "Null", "NULL":
		return true
	}
	return false
}

// isBoolWord reports whether s, a key of ASCII letters, digits and
// '_-.', is one of the words YAML 1.1 reads as a boolean, in any case:
// true, false, yes, no, on, off, y, n.
func isBoolWord(s string) bool {
	switch len(s) {
	case 1:
		c := s[0] | 0x20
		return c == 'y' || c == 'n'
	case 2:
		return foldedIs(s, "no") || foldedIs(s, "on")
	case 3:
		return foldedIs(s, "yes") || foldedIs(s, "off")
	case 4:
		return foldedIs(s, "true")
	case 5:
		return foldedIs(s, "false")
	}
	return false
}

// foldedIs reports whether s is word, a word of lowercase ASCII letters
// as long as s, in any case.
func foldedIs(s, word string) bool {
	for i := range len(word) {
		if s[i]|0x20 != word[i] {
			return false
		}
	}
	return true
}
