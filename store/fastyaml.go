package store

import (
	"math"
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
func parseSimpleYAML(data []byte, a *arena) (root node, ok bool) {
	text, lines, ok := simpleLines(data, a.lines[:0], a.inPlace, a.cleaned)
	a.text, a.lines, a.hashFree = text, lines, false
	if !ok {
		return node{}, false
	}
	return parseSimpleLines(a)
}

// parseSimpleLines is parseSimpleYAML once the lines are split, in
// a.lines of a.text.
func parseSimpleLines(a *arena) (root node, ok bool) {
	lines := a.lines
	if len(lines) == 0 || lines[0].indent != 0 {
		return node{}, false
	}
	p := &simpleParser{lines: lines, text: a.text, arena: a}
	var i int32
	if isDash(p.lineText(lines[0])) {
		i, ok = p.sequence(0)
	} else {
		i, ok = p.mapping(0, "", "")
	}
	if !ok || p.i != len(p.lines) {
		return node{}, false
	}
	return a.view(i), true
}

// simpleLine is one line of the block that holds something: its number,
// indentation, and where its text, without trailing spaces, starts and
// ends in the text split.
type simpleLine struct {
	num, indent int32
	start, end  int32
}

// simpleLines splits data into its non-blank, non-comment lines, refusing
// tabs and anything yaml.v3 treats specially (non-printable characters,
// Unicode line separators, byte order marks). It reads data once, eight
// bytes at a time where they are printable ASCII. It gives the text the
// lines are offsets into: with inPlace, data's bytes, not a copy (see
// arena.inPlace). cleaned says data went through cleanRaw: it is valid
// UTF-8 without control characters (but tabs and line ends), and only the
// few characters beyond ASCII that yaml.v3 reads apart need looking for.
func simpleLines(data []byte, lines []simpleLine, inPlace, cleaned bool) (string, []simpleLine, bool) {
	if len(data) > math.MaxInt32 {
		return "", nil, false // beyond the lines' offsets
	}
	var s string
	if inPlace && len(data) > 0 {
		s = unsafe.String(&data[0], len(data))
	} else {
		s = string(data)
	}
	if cleaned && plainCleaned(s) {
		return s, splitLines(s, lines), true
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
				return "", nil, false // a control character, a tab or DEL
			case cleaned:
				// U+2028, U+2029 (E2 80 A8/A9), U+FEFF (EF BB BF), U+FFFE
				// and U+FFFF (EF BF BE/BF): valid UTF-8, so all there.
				switch {
				case c == 0xe2 && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9),
					c == 0xef && (s[i+1] == 0xbb && s[i+2] == 0xbf || s[i+1] == 0xbf && s[i+2] >= 0xbe):
					return "", nil, false
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
					return "", nil, false
				}
				i += size
				end = i
				continue
			}
			break
		}
		if end > first && s[first] != '#' {
			lines = append(lines, simpleLine{num: int32(num), indent: int32(first - start), start: int32(first), end: int32(end)})
		}
		start = i + 1
	}
	return s, lines, true
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
			lines = append(lines, simpleLine{num: int32(num), indent: int32(first - start), start: int32(first), end: int32(last)})
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
	text  string // what the lines are offsets into
	arena *arena
}

// lineText gives a line's text.
func (p *simpleParser) lineText(l simpleLine) string { return p.text[l.start:l.end] }

// scalar adds a scalar whose value is v, which is p.text[at:at+len(v)].
func (p *simpleParser) scalar(at int, v string, line int, flags nodeFlags) int32 {
	return p.arena.add(scalarNode, line, at, len(v), flags)
}

// quotedScalar adds a quoted scalar whose text between the quotes is raw,
// which is p.text[at:at+len(raw)]: a single-quoted one with doubled
// quotes inside is read into the arena's own bytes, each pair as one
// quote.
func (p *simpleParser) quotedScalar(raw string, doubled bool, at, line int) int32 {
	a := p.arena
	if !doubled {
		return p.scalar(at, raw, line, a.scalarFlags(false))
	}
	from := len(a.own)
	for i := 0; i < len(raw); i++ {
		a.own = append(a.own, raw[i])
		if raw[i] == '\'' {
			i++ // the second of two
		}
	}
	return a.add(scalarNode, line, from, len(a.own)-from, a.scalarFlags(false)|ownedValue)
}

// mapping parses a block mapping whose keys sit at indent, giving its
// index. firstKey and firstRest, when firstKey is not "", are what
// simpleKey gives for its first line, which the caller split.
func (p *simpleParser) mapping(indent int, firstKey, firstRest string) (int32, bool) {
	a := p.arena
	m := a.add(mapNode, int(p.lines[p.i].num), 0, 0, uniqueKeys)
	start := len(a.stack)
	var seen uint64 // the keyBits of the keys so far
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if int(l.indent) < indent {
			break
		}
		if int(l.indent) > indent {
			return 0, false
		}
		key, rest, ok := firstKey, firstRest, true
		if firstKey == "" {
			// simpleKey(text), written out: the call, and the registers
			// saved around it, cost a third of the split
			// (TestMappingSplitsKeysAsSimpleKey keeps the two in step).
			text := p.lineText(l)
			i := 0
			if len(text) > 0 && keyByte[text[0]] == keyStart {
				for i = 1; i < len(text) && keyByte[text[i]] != 0; i++ {
				}
			}
			if i == 0 || i > 128 || i >= len(text) || text[i] != ':' { // yaml.v3 caps implicit keys at 1024 characters
				return 0, false
			}
			key = text[:i]
			if c := key[0] | 0x20; i <= 5 && keyWordStarts[i]>>(c&31)&1 != 0 && (isNullWord(key) || isBoolWord(key)) {
				return 0, false
			}
			if i+1 == len(text) {
				rest = ""
			} else if text[i+1] != ' ' {
				return 0, false
			} else {
				j := i + 2
				for j < len(text) && text[j] == ' ' {
					j++
				}
				rest = text[j:]
			}
		}
		firstKey = ""
		if bit := keyBit(key); seen&bit == 0 {
			seen |= bit // no key before has its length and ends
		} else {
			for j := start; j < len(a.stack); j += 2 {
				if a.value(&a.block[a.stack[j]]) == key {
					return 0, false // a duplicate key: yaml.v3 decides
				}
			}
		}
		k := p.scalar(int(l.start), key, int(l.num), 0)
		var v int32
		if rest != "" {
			if valueStart[rest[0]] == valuePlain {
				// inlineValue's plain case, the most common, written
				// out to save a call.
				value := rest
				if !a.hashFree || strings.IndexByte(rest, ':') >= 0 {
					// Else plainRest has nothing to look at (see
					// TestPlainRestOfNoColonNorHash).
					if value, ok = plainRest(rest, !a.hashFree); !ok {
						return 0, false
					}
				}
				v = p.scalar(int(l.end)-len(rest), value, int(l.num), a.plainFlags(value, p.i))
			} else {
				a.ascii = a.asciiLine(p.i)
				if v, ok = p.inlineValue(rest, int(l.end), int(l.num)); !ok {
					return 0, false
				}
			}
			p.i++ // a deeper line next (a continuation) is refused at the top
		} else {
			p.i++
			if p.i >= len(p.lines) {
				return 0, false
			}
			next := p.lines[p.i]
			switch {
			case isDash(p.lineText(next)) && int(next.indent) >= indent:
				v, ok = p.sequence(int(next.indent))
			case int(next.indent) > indent:
				v, ok = p.mapping(int(next.indent), "", "")
			default:
				ok = false // an empty value
			}
			if !ok {
				return 0, false
			}
		}
		a.stack = append(a.stack, k, v)
	}
	a.endContainer(m, start)
	return m, true
}

// sequence parses a block sequence whose dashes sit at indent, giving its
// index.
func (p *simpleParser) sequence(indent int) (int32, bool) {
	a := p.arena
	s := a.add(listNode, int(p.lines[p.i].num), 0, 0, 0)
	start := len(a.stack)
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		text := p.lineText(l)
		if int(l.indent) < indent || (int(l.indent) == indent && !isDash(text)) {
			break
		}
		if int(l.indent) > indent {
			return 0, false
		}
		content := skipSpaces(text[1:])
		column := indent + len(text) - len(content)
		if key, rest, isKey := simpleKey(content); isKey {
			// A mapping starts on the dash's line: parse it as if its first
			// key stood on a line of its own at its column.
			p.lines[p.i] = simpleLine{num: l.num, indent: int32(column), start: l.end - int32(len(content)), end: l.end}
			item, ok := p.mapping(column, key, rest)
			if !ok {
				return 0, false
			}
			a.stack = append(a.stack, item)
			continue
		}
		var item int32
		ok := true
		if valueStart[content[0]] == valuePlain {
			// inlineValue's plain case, written out as in mapping.
			value := content
			if !a.hashFree || strings.IndexByte(content, ':') >= 0 {
				value, ok = plainRest(content, !a.hashFree)
			}
			if ok {
				item = p.scalar(int(l.end)-len(content), value, int(l.num), a.plainFlags(value, p.i))
			}
		} else {
			a.ascii = a.asciiLine(p.i)
			item, ok = p.inlineValue(content, int(l.end), int(l.num))
		}
		if !ok {
			return 0, false
		}
		a.stack = append(a.stack, item)
		p.i++ // a deeper line next (a continuation) is refused at the top
	}
	a.endContainer(s, start)
	return s, true
}

// keyBit gives one of 64 bits for a key, from its length and its first
// and last bytes: keys with different bits differ.
func keyBit(key string) uint64 {
	return 1 << ((uint(len(key))*7 + uint(key[0]) + uint(key[len(key)-1])*3) & 63)
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

// keyWordStarts says, for each length up to five, which letters, in
// either case, start a word YAML reads as null or a boolean: y and n;
// no and on; yes and off; true and null; false. A letter is a bit, of
// its low five.
var keyWordStarts = [6]uint32{
	1: 1<<('y'&31) | 1<<('n'&31),
	2: 1<<('n'&31) | 1<<('o'&31),
	3: 1<<('y'&31) | 1<<('o'&31),
	4: 1<<('t'&31) | 1<<('n'&31),
	5: 1 << ('f' & 31),
}

// simpleKey splits "key: rest" or "key:", for keys of letters, digits, '_',
// '-' and '.' that start with a letter, digit or '_'. mapping has a copy
// of it written out.
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
	// The words YAML reads as null or a boolean are at most five letters
	// long: keyWordStarts says which letters start those of a length.
	if c := key[0] | 0x20; i <= 5 && keyWordStarts[i]>>(c&31)&1 != 0 && (isNullWord(key) || isBoolWord(key)) {
		return "", "", false
	}
	if i+1 == len(text) {
		return key, "", true
	}
	if text[i+1] != ' ' {
		return "", "", false
	}
	j := i + 2
	for j < len(text) && text[j] == ' ' {
		j++
	}
	return key, text[j:], true
}

// inlineValue parses a value written on its key's line: text, which ends
// at end in p.text.
func (p *simpleParser) inlineValue(text string, end, line int) (int32, bool) {
	at := end - len(text)
	switch valueStart[text[0]] {
	case valueQuoted:
		raw, rest, doubled, ok := quoted(text)
		if !ok || !onlyComment(rest) {
			return 0, false
		}
		return p.quotedScalar(raw, doubled, at+1, line), true
	case valueFlow:
		return p.flowSequence(text, end, line)
	case valueRefused:
		return 0, false
	}
	value, ok := plainRest(text, !p.arena.hashFree)
	if !ok {
		return 0, false
	}
	return p.scalar(at, value, line, p.arena.scalarFlags(isNullWord(value))), true
}

// plainScalar reads a plain scalar that fills the rest of a line, up to a
// comment.
func plainScalar(text string) (string, bool) { return plainValue(text, true) }

// plainValue is plainScalar, told whether text may hold a '#' (where
// the block has none, no comment need be looked for).
func plainValue(text string, hashes bool) (string, bool) {
	if valueStart[text[0]] != valuePlain {
		return "", false
	}
	return plainRest(text, hashes)
}

// valueStart says what a value on its key's or dash's line is from its
// first byte: plain, quoted, a flow sequence, or refused, that is, no
// plain scalar (-?:,[]{}#&*!|>'"%@` start none) and none of the others.
var valueStart = func() (t [256]uint8) {
	for _, c := range []byte("-?:,]{}#&*!|>%@`") {
		t[c] = valueRefused
	}
	t['"'], t['\''], t['['] = valueQuoted, valueQuoted, valueFlow
	return t
}()

const (
	valuePlain = iota
	valueQuoted
	valueFlow
	valueRefused
)

// plainRest is plainValue once text's first byte is known to start a
// plain scalar.
func plainRest(text string, hashes bool) (string, bool) {
	// A comment starts at " #".
	for from := 0; hashes; {
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

// quoted reads a one-line quoted scalar without escapes (a doubled quote
// in single quotes is the one allowed), returning the text between its quotes,
// what follows it, and whether that text holds a doubled quote, which
// stands for one.
func quoted(text string) (raw, rest string, doubled, ok bool) {
	if text[0] == '"' {
		end := strings.IndexByte(text[1:], '"')
		if end < 0 || strings.IndexByte(text[1:1+end], '\\') >= 0 {
			return "", "", false, false // unclosed, or with escapes
		}
		return text[1 : 1+end], text[2+end:], false, true
	}
	for from := 1; ; {
		i := strings.IndexByte(text[from:], '\'')
		if i < 0 {
			return "", "", false, false // unclosed
		}
		i += from
		if i+1 < len(text) && text[i+1] == '\'' {
			doubled, from = true, i+2
			continue
		}
		return text[1:i], text[i+1:], doubled, true
	}
}

// onlyComment reports whether what follows a value is nothing or a
// comment.
func onlyComment(rest string) bool {
	t := skipSpaces(rest)
	return t == "" || (t[0] == '#' && len(t) < len(rest))
}

// flowSequence reads "[a, 'b', "c"]" on one line: text, which ends at
// end in p.text.
func (p *simpleParser) flowSequence(text string, end, line int) (int32, bool) {
	a := p.arena
	s := a.add(listNode, line, 0, 0, 0)
	rest := skipSpaces(text[1:])
	if strings.HasPrefix(rest, "]") {
		return s, onlyComment(rest[1:])
	}
	// Its items, scalars that hold nothing, go straight to kids rather
	// than through the stack.
	from := len(a.kids)
	ok := p.flowItems(rest, end, line)
	a.block[s].off, a.block[s].n = uint32(from), uint32(len(a.kids)-from)
	return s, ok
}

// flowItems reads the items of a flow sequence and what follows them,
// rest, which ends at end in p.text, appending them to kids.
func (p *simpleParser) flowItems(rest string, end, line int) bool {
	a := p.arena
	for {
		if rest == "" {
			return false
		}
		at := end - len(rest)
		var item int32
		switch rest[0] {
		case '"', '\'':
			raw, after, doubled, ok := quoted(rest)
			if !ok {
				return false
			}
			item = p.quotedScalar(raw, doubled, at+1, line)
			rest = skipSpaces(after)
		default:
			e := plainFlowEnd(rest)
			if e <= 0 {
				return false
			}
			n := e // the item's text ends before its spaces
			for n > 0 && rest[n-1] == ' ' {
				n--
			}
			if n == 0 {
				return false
			}
			value := rest[:n]
			item = p.scalar(at, value, line, a.scalarFlags(isNullWord(value)))
			rest = rest[e:]
		}
		a.kids = append(a.kids, item)
		if rest == "" {
			return false
		}
		if rest[0] == ']' {
			return onlyComment(rest[1:])
		}
		if rest[0] != ',' {
			return false
		}
		rest = skipSpaces(rest[1:])
		if rest == "" || rest[0] == ']' || rest[0] == ',' {
			return false
		}
	}
}

// plainFlowEnd gives where a flow item that starts rest ends, at the
// first ',' or ']', if its text is a plain scalar the fast parser reads:
// none of []{}#:"'? in it, and none of -?,!&*|>%@` to start it. It gives
// -1 for any other (0 for an item of no text).
func plainFlowEnd(rest string) int {
	switch rest[0] {
	case '-', '?', ',', '!', '&', '*', '|', '>', '%', '@', '`':
		return -1
	}
	for i := 0; i < len(rest); i++ {
		if k := flowByte[rest[i]]; k != 0 {
			if k == flowStop {
				return i
			}
			return -1
		}
	}
	return -1
}

// flowByte says what a byte is in a plain flow item: flowStop ends it,
// flowRefused makes it no plain scalar, 0 is part of it.
var flowByte = func() (t [256]uint8) {
	for _, c := range []byte(",]") {
		t[c] = flowStop
	}
	for _, c := range []byte("[{}#:\"'?") { // yaml.v3 ends a flow scalar at '?'
		t[c] = flowRefused
	}
	return t
}()

const (
	flowStop = 1 + iota
	flowRefused
)

// skipSpaces gives s without its leading spaces.
func skipSpaces(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	return s
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
