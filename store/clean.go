package store

import (
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// fieldKind says how strictly a text field is cleaned at load.
type fieldKind uint8

const (
	// textField is prose on one line (summaries, notes, figure values): it
	// keeps the invisible characters scripts need (ZWJ, ZWNJ, LRM, RLM, ALM).
	textField fieldKind = iota
	// strictField is a title, name, place, label or URL: every invisible
	// format character is removed, so what a reader sees is all there is.
	strictField
)

// maxMarks caps the combining marks kept on one base character; more is
// never needed by a script and only smears text over its neighbours.
const maxMarks = 8

// cleanText makes one decoded frontmatter value safe to show: invalid UTF-8
// becomes U+FFFD, line breaks become spaces, control characters and
// direction overrides are removed, and so are zero-width characters in
// strict fields. Each change is reported as a warning on line.
func cleanText(s string, line int, field string, ps *problems, kind fieldKind) string {
	if isPlainASCII(s) || isCleanText(s, kind) {
		return trimSpace(s) // as cleanRunes does: "  " is empty
	}
	return cleanRunes(s, line, field, ps, kind)
}

// cleanRunes is cleanText rune by rune, for a text that needs cleaning.
func cleanRunes(s string, line int, field string, ps *problems, kind fieldKind) string {
	var b strings.Builder
	b.Grow(len(s))
	var removed []rune
	invalid, marks, trimmed := false, 0, 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			invalid = true
			b.WriteRune(utf8.RuneError)
			marks = 0
		case r == '\n' || r == '\t' || r == '\r':
			b.WriteByte(' ')
			marks = 0
		case isControl(r) || isHidden(r, kind):
			removed = append(removed, r)
		case isMark(r):
			if marks++; marks > maxMarks {
				trimmed++
				continue
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
			marks = 0
		}
	}
	if invalid {
		ps.warnf(line, "%s: invalid UTF-8 replaced with U+FFFD", field)
	}
	if len(removed) > 0 {
		ps.warnf(line, "%s: removed %s", field, describeRunes(removed))
	}
	if trimmed > 0 {
		ps.warnf(line, "%s: removed %d combining marks over the limit of %d on one character", field, trimmed, maxMarks)
	}
	return strings.TrimSpace(b.String())
}

// isCleanText reports whether cleanText would keep s as it is but for
// the spaces around it: valid UTF-8 with nothing it removes or replaces.
// Text in other scripts is read once, without being copied.
func isCleanText(s string, kind fieldKind) bool {
	tables := textTables()
	marks, table, twos := 0, &tables.marks, &tables.twos
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c-0x20 >= 0x7f-0x20 { // below 0x20, or 0x7f
				return false
			}
			i++
			marks = 0
			continue
		}
		var r rune
		if size := 2; c-0xc2 < 0xe0-0xc2 && i+1 < len(s) && s[i+1]&0xc0 == 0x80 {
			r = rune(c&0x1f)<<6 | rune(s[i+1]&0x3f) // two bytes, decoded in place
			i += size
			// Most of those (Cyrillic, Greek, Arabic letters) are
			// told by their class alone, and so are the ones after
			// them, while they are letters of two bytes.
			switch twos[r&0x7ff] {
			case twoByteLetter:
				marks = 0
				for i+1 < len(s) {
					c, c1 := s[i], s[i+1]
					if c-0xc2 >= 0xe0-0xc2 || c1&0xc0 != 0x80 || twos[(int(c&0x1f)<<6|int(c1&0x3f))&0x7ff] != twoByteLetter {
						break
					}
					i += 2
				}
				continue
			case twoByteMark:
				if marks++; marks > maxMarks {
					return false
				}
				continue
			}
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
			i += size
		}
		switch {
		case isControl(r), isHidden(r, kind):
			return false
		case r >= 0x300 && (r < 0x10000 && table[r>>6]&(1<<(r&63)) != 0 || r >= 0x10000 && isMark(r)):
			if marks++; marks > maxMarks {
				return false
			}
		default:
			marks = 0
		}
	}
	return true
}

// The classes of the characters of two UTF-8 bytes (U+0080 to U+07FF)
// that isCleanText tells at once: neither control, nor hidden in a field
// of any kind, nor mark; or a mark. The others (twoByteOther: C1
// controls, the soft hyphen, ALM) take the general path.
const (
	twoByteOther uint8 = iota
	twoByteLetter
	twoByteMark
)

// isMark reports whether r is a combining mark (Mn or Me), with a table
// for the characters below U+10000.
func isMark(r rune) bool {
	switch {
	case r < 0x300: // no mark comes before U+0300
		return false
	case r < 0x10000:
		return textTables().marks[r>>6]&(1<<(r&63)) != 0
	}
	return unicode.In(r, unicode.Mn, unicode.Me)
}

// charTables are what isCleanText and isMark look characters up in:
// marks is a bit for each character below U+10000, whether it is a
// combining mark; twos the class of each character below U+0800 (those
// below U+0080, one byte in UTF-8, are twoByteOther).
type charTables struct {
	marks [1 << 10]uint64
	twos  [0x800]uint8
}

// textTables gives the charTables, made on first use.
var textTables = sync.OnceValue(func() *charTables {
	t := new(charTables)
	for _, table := range []*unicode.RangeTable{unicode.Mn, unicode.Me} {
		for _, rg := range table.R16 {
			for r := uint32(rg.Lo); r <= uint32(rg.Hi); r += uint32(rg.Stride) {
				t.marks[r>>6] |= 1 << (r & 63)
			}
		}
	}
	for r := rune(0x80); r < 0x800; r++ {
		switch {
		case isControl(r) || isHidden(r, textField) || isHidden(r, strictField):
			t.twos[r] = twoByteOther
		case t.marks[r>>6]&(1<<(r&63)) != 0:
			t.twos[r] = twoByteMark
		default:
			t.twos[r] = twoByteLetter
		}
	}
	return t
})

// isPlainASCII reports whether s is printable ASCII only, the common case
// that needs no cleaning.
func isPlainASCII(s string) bool {
	if len(s) >= 8 {
		// Eight bytes at a time, the last eight overlapping the ones
		// before: no byte-by-byte tail.
		for i := 0; i < len(s)-8; i += 8 {
			if !printableWord(le64(s[i:])) {
				return false
			}
		}
		return printableWord(le64(s[len(s)-8:]))
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// isControl reports whether r is a C0 or C1 control or DEL (line breaks and
// tabs are handled before this is asked).
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// isHidden reports whether r is an invisible format character that a field
// of this kind must not carry.
func isHidden(r rune, kind fieldKind) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // embeddings, overrides, isolates
		return true
	case r >= 0xe0000 && r <= 0xe007f, r >= 0xfff9 && r <= 0xfffb: // tags, annotations
		return true
	case r == 0x2028 || r == 0x2029: // line and paragraph separators
		return true
	}
	if kind == strictField {
		switch r {
		case 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x180e, 0x00ad, // zero width, soft hyphen
			0x200e, 0x200f, 0x061c, // LRM, RLM, ALM
			0x2061, 0x2062, 0x2063, 0x2064: // invisible operators
			return true
		}
	}
	return false
}

// describeRunes names removed characters for a warning: "2 control
// characters (U+001B, U+0007)".
func describeRunes(rs []rune) string {
	seen := map[rune]bool{}
	var codes []string
	for _, r := range rs {
		if !seen[r] && len(codes) < 4 {
			seen[r] = true
			codes = append(codes, fmt.Sprintf("U+%04X", r))
		}
	}
	noun := "invisible or control characters"
	if len(rs) == 1 {
		noun = "invisible or control character"
	}
	list := strings.Join(codes, ", ")
	if len(seen) < countDistinct(rs) {
		list += ", ..."
	}
	return fmt.Sprintf("%d %s (%s)", len(rs), noun, list)
}

func countDistinct(rs []rune) int {
	seen := map[rune]bool{}
	for _, r := range rs {
		seen[r] = true
	}
	return len(seen)
}

// cleanRaw prepares raw file bytes for the YAML parser: invalid UTF-8
// becomes U+FFFD and control characters other than tab and line breaks are
// removed, each reported once per line. firstLine is the file line of
// data's first line. data is returned unchanged, without copying, when
// nothing needs cleaning.
func cleanRaw(data []byte, ps *problems, firstLine int) []byte {
	if rawIsClean(data) {
		return data
	}
	out := make([]byte, 0, len(data))
	line := firstLine
	var invalid bool
	var removed []rune
	flush := func() {
		if invalid {
			ps.warnf(line, "invalid UTF-8 replaced with U+FFFD")
		}
		if len(removed) > 0 {
			ps.warnf(line, "removed %s", describeRunes(removed))
		}
		invalid, removed = false, nil
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			invalid = true
			out = utf8.AppendRune(out, utf8.RuneError)
		case r == '\n':
			flush()
			line++
			out = append(out, '\n')
		case r == '\t' || r == '\r':
			out = append(out, byte(r))
		case isControl(r):
			removed = append(removed, r)
		default:
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	flush()
	return out
}

// rawIsClean reports whether data is valid UTF-8 with no control
// characters other than tab and line breaks.
func rawIsClean(data []byte) bool {
	for i := 0; i < len(data); {
		// Eight bytes at a time while they are printable ASCII or a
		// newline, the common case.
		for i+8 <= len(data) && plainWord(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
		}
		if i >= len(data) {
			break
		}
		c := data[i]
		if c < 0x80 {
			if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if (r == utf8.RuneError && size == 1) || (r >= 0x80 && r <= 0x9f) {
			return false
		}
		i += size
	}
	return true
}

// plainWord reports whether eight bytes are all printable ASCII (0x20 to
// 0x7e) or newlines. Once no byte has its high bit set, adding to each
// byte cannot carry into the next, so each test below is exact per byte.
func plainWord(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	if w&highs != 0 {
		return false
	}
	printable := (w + ones*0x60) & highs                // byte >= 0x20
	del := (w + ones*0x01) & highs                      // byte == 0x7f
	notNewline := ((w ^ ones*'\n') + ones*0x7f) & highs // byte != '\n'
	return (printable&^del)|(highs&^notNewline) == highs
}

// cleanURL checks a source link and shows a host that mixes scripts (a
// look-alike such as "аkorda.kz" with a Cyrillic "а") in punycode, so the
// reader sees what the link really points at.
func cleanURL(raw string, line int, ps *problems) string {
	if isPlainLink(raw) {
		return raw // an ASCII host cannot mix scripts; nothing to check
	}
	return checkURL(raw, line, ps)
}

// checkURL is cleanURL for any link: parsed, its scheme checked and its
// host's scripts.
func checkURL(raw string, line int, ps *problems) string {
	u, err := url.Parse(raw)
	if err != nil {
		ps.warnf(line, "url %q does not parse: %v", raw, unwrapURLError(err))
		return raw
	}
	switch u.Scheme {
	case "http", "https":
	default:
		ps.warnf(line, "url %q is not an http or https link", raw)
		return raw
	}
	host := u.Hostname()
	if isPlainASCII(host) {
		return raw
	}
	mixed := false
	for _, label := range strings.Split(host, ".") {
		if mixesScripts(label) {
			mixed = true
		}
	}
	if !mixed {
		return raw
	}
	ascii, err := idna.Lookup.ToASCII(host)
	if err != nil {
		ascii, _ = idna.Punycode.ToASCII(host)
	}
	ps.warnf(line, "url host %q mixes scripts; shown as %s", host, ascii)
	if port := u.Port(); port != "" {
		ascii += ":" + port
	}
	u.Host = ascii
	return u.String()
}

// isPlainLink reports whether raw is an http or https link that
// url.Parse would take as it is and whose host is ASCII: printable
// ASCII but for a space and " < > \\ ^ ` { | } %. It reads raw once.
func isPlainLink(raw string) bool {
	var rest string
	switch {
	case strings.HasPrefix(raw, "https://"):
		rest = raw[len("https://"):]
	case strings.HasPrefix(raw, "http://"):
		rest = raw[len("http://"):]
	default:
		return false
	}
	// Eight bytes at a time, their table entries and-ed together: one
	// branch for eight bytes.
	t := &linkBytes
	for len(rest) >= 8 {
		b := rest[:8]
		if t[b[0]]&t[b[1]]&t[b[2]]&t[b[3]]&t[b[4]]&t[b[5]]&t[b[6]]&t[b[7]] == 0 {
			return false
		}
		rest = rest[8:]
	}
	for i := 0; i < len(rest); i++ {
		if t[rest[i]] == 0 {
			return false
		}
	}
	return true
}

// linkBytes says which bytes isPlainLink lets through: 1 for those, 0
// for the others.
var linkBytes = func() (t [256]uint8) {
	for c := 0x21; c < 0x7f; c++ {
		if !strings.ContainsRune(`"<>\^`+"`"+`{|}%`, rune(c)) {
			t[c] = 1
		}
	}
	return t
}()

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// scripts that look-alike hosts mix.
var hostScripts = []*unicode.RangeTable{
	unicode.Latin, unicode.Cyrillic, unicode.Greek, unicode.Arabic, unicode.Armenian,
	unicode.Hebrew, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul,
	unicode.Georgian, unicode.Cherokee,
}

// mixesScripts reports whether a host label has letters of more than one
// script.
func mixesScripts(label string) bool {
	var first *unicode.RangeTable
	for _, r := range label {
		if !unicode.IsLetter(r) {
			continue
		}
		for _, t := range hostScripts {
			if unicode.Is(t, r) {
				if first == nil {
					first = t
				} else if first != t {
					return true
				}
				break
			}
		}
	}
	return false
}
