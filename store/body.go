package store

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Limits on a body, so that rendering any briefing takes bounded time.
const (
	// MaxLineBytes is the longest body line kept whole; longer lines are
	// broken (a soft line break in Markdown, so no text is lost).
	MaxLineBytes = 4096
	// MaxNesting is the deepest nesting of quotes and lists kept.
	MaxNesting = 8
	// MaxTableColumns is the widest table kept; further cells are joined
	// into the last one.
	MaxTableColumns = 24
)

// ErrChanged says that a briefing's file changed after the corpus was
// loaded (or went): its body would not go with the title, date and card
// the corpus holds. A CorpusSource publishes a corpus with the new version
// shortly (within a second); a reader waits for it rather than show a
// page that mixes two versions. A corpus Load made is simply loaded again.
var ErrChanged = errors.New("the file changed after it was loaded")

// ErrNoLongerLoads says that a briefing is the last version that loaded of
// a file that no longer does (Corpus.Kept), and that its body was not
// read while it loaded: there is no version of the body that goes with
// its card. The corpus' Problems say what is wrong with the file.
var ErrNoLongerLoads = errors.New("the file no longer loads, and the body of its last version that did was not kept")

// Body reads the Markdown body of a briefing, cleaned for display, with the
// warnings cleaning raised. It never gives a body that does not go with the
// briefing's frontmatter: when the file changed since the corpus was
// loaded, or went, the error is ErrChanged (errors.Is), and for a briefing
// the corpus keeps while its file no longer loads it is the body last read
// or ErrNoLongerLoads.
func (c *Corpus) Body(b *Briefing) (string, []Problem, error) {
	if c.kept[b] {
		if body, ps, ok := c.bodies.find(b); ok {
			return body, ps, nil
		}
		return "", nil, fmt.Errorf("%s: %w", b.Path, ErrNoLongerLoads)
	}
	data, err := fs.ReadFile(c.fsys, b.Path)
	if errors.Is(err, fs.ErrNotExist) && b.bodyOffset > 0 {
		return "", nil, fmt.Errorf("%s: %w: %w", b.Path, ErrChanged, unwrapPathError(err))
	}
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", b.Path, unwrapPathError(err))
	}
	if len(data) > MaxFileSize {
		return "", nil, fmt.Errorf("%s: file is over the %d MiB limit for a briefing", b.Path, MaxFileSize>>20)
	}
	if at := int(b.bodyOffset); at > 0 && (len(data) < at || headSum(data[:at]) != b.head) {
		return "", nil, fmt.Errorf("%s: %w", b.Path, ErrChanged)
	}
	ps := &problems{path: b.Path}
	fm, _, line, err := findFrontmatter(data, true)
	if err != nil {
		return "", nil, fmt.Errorf("%s:%d: %w", b.Path, line, err)
	}
	body := cleanBody(data[fm.bodyOffset:], fm.bodyLine, ps)
	c.bodies.remember(b, body, ps.list)
	return body, ps.list, nil
}

// headSum sums the start of a file, up to its body: two versions of a
// file with the same frontmatter have the same sum, and a changed
// frontmatter a different one (but once in 2^32).
func headSum(head []byte) uint32 { return crc32.Checksum(head, castagnoli()) }

// castagnoli is made on first use: its tables cost a third of a
// millisecond at start-up, which commands that read no file need not pay.
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// bodyMemo remembers the last bodies read through the snapshots of a
// CorpusSource, so that a briefing kept while its file no longer loads can
// still show the body it had (most often, the one open in a reader).
type bodyMemo struct {
	mu      sync.Mutex
	entries [bodyMemoSize]memoEntry
	next    int
}

// The memo holds up to bodyMemoSize bodies, each at most bodyMemoBytes
// long: most briefings are a few kilobytes.
const (
	bodyMemoSize  = 16
	bodyMemoBytes = 512 << 10
)

type memoEntry struct {
	b        *Briefing
	body     string
	problems []Problem
}

func (m *bodyMemo) remember(b *Briefing, body string, ps []Problem) {
	if m == nil || len(body) > bodyMemoBytes {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.entries {
		if m.entries[i].b == b {
			m.entries[i] = memoEntry{b, body, ps}
			return
		}
	}
	m.entries[m.next] = memoEntry{b, body, ps}
	m.next = (m.next + 1) % bodyMemoSize
}

func (m *bodyMemo) find(b *Briefing) (string, []Problem, bool) {
	if m == nil {
		return "", nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.entries {
		if e.b == b {
			return e.body, e.problems, true
		}
	}
	return "", nil, false
}

// checkBody reports what cleaning the body would change.
func checkBody(body []byte, firstLine int, ps *problems) {
	cleanBody(body, firstLine, ps)
}

// cleanBody makes a Markdown body safe and bounded to render: LF line ends;
// invalid UTF-8 as U+FFFD; no control characters but tab; no direction
// overrides, embeddings or isolates (the marks scripts need, ZWJ, ZWNJ,
// LRM, RLM and ALM, stay); character references that decode to control
// characters shown as text; long lines broken; deep nesting, wide tables
// and stacks of combining marks trimmed. Every change is a warning.
func cleanBody(body []byte, firstLine int, ps *problems) string {
	body = normalizeNewlines(body)
	var out bytes.Buffer
	out.Grow(len(body))
	line := firstLine
	for len(body) > 0 {
		l, rest, _ := bytes.Cut(body, []byte("\n"))
		body = rest
		cleanBodyLine(&out, l, line, ps)
		out.WriteByte('\n')
		line++
	}
	return out.String()
}

func cleanBodyLine(out *bytes.Buffer, l []byte, line int, ps *problems) {
	if !rawIsClean(l) || !isPlainASCII(string(l)) {
		l = cleanBodyRunes(l, line, ps)
	}
	l = neutralizeReferences(l, line, ps)
	l = limitNesting(l, line, ps)
	l = limitTable(l, line, ps)
	if len(l) > MaxLineBytes {
		ps.warnf(line, "line is %d bytes long; broken into lines of at most %d", len(l), MaxLineBytes)
		for len(l) > MaxLineBytes {
			cut := MaxLineBytes
			for cut > 0 && !utf8.RuneStart(l[cut]) {
				cut--
			}
			out.Write(l[:cut])
			out.WriteByte('\n')
			l = l[cut:]
		}
	}
	out.Write(l)
}

// cleanBodyRunes removes what must not reach a renderer from one line.
func cleanBodyRunes(l []byte, line int, ps *problems) []byte {
	out := make([]byte, 0, len(l))
	var removed []rune
	invalid, marks, trimmed := false, 0, 0
	for i := 0; i < len(l); {
		r, size := utf8.DecodeRune(l[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			invalid = true
			out = utf8.AppendRune(out, utf8.RuneError)
			marks = 0
		case r == '\t':
			out = append(out, '\t')
			marks = 0
		case isControl(r) || isHidden(r, textField):
			removed = append(removed, r)
		case unicode.In(r, unicode.Mn, unicode.Me):
			if marks++; marks > maxMarks {
				trimmed++
			} else {
				out = append(out, l[i:i+size]...)
			}
		default:
			out = append(out, l[i:i+size]...)
			marks = 0
		}
		i += size
	}
	if invalid {
		ps.warnf(line, "invalid UTF-8 replaced with U+FFFD")
	}
	if len(removed) > 0 {
		ps.warnf(line, "removed %s", describeRunes(removed))
	}
	if trimmed > 0 {
		ps.warnf(line, "removed %d combining marks over the limit of %d on one character", trimmed, maxMarks)
	}
	return out
}

// neutralizeReferences turns numeric character references that would
// decode to a control or invisible override ("&#27;", "&#x1b;") into text
// that shows them as written ("&amp;#27;").
func neutralizeReferences(l []byte, line int, ps *problems) []byte {
	if bytes.IndexByte(l, '&') < 0 {
		return l
	}
	var out []byte
	n := 0
	for i := 0; i < len(l); i++ {
		if l[i] != '&' || i+2 >= len(l) || l[i+1] != '#' {
			continue
		}
		r, ok := referencedRune(l[i+2:])
		if !ok || !(r == 0 || isControl(r) || isHidden(r, textField) || r > unicode.MaxRune || (r >= 0xd800 && r <= 0xdfff)) {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(l)+16)
		}
		out = append(out, l[n:i]...)
		out = append(out, "&amp;"...)
		n = i + 1
	}
	if out == nil {
		return l
	}
	ps.warnf(line, "character reference to a control character shown as text")
	return append(out, l[n:]...)
}

// referencedRune decodes the number of a reference after "&#".
func referencedRune(b []byte) (rune, bool) {
	base, digits := 10, b
	if len(b) > 0 && (b[0] == 'x' || b[0] == 'X') {
		base, digits = 16, b[1:]
	}
	zeros := 0 // leading zeros, which decoders skip whatever their number
	for zeros < len(digits) && digits[zeros] == '0' {
		zeros++
	}
	end := zeros
	for end < len(digits) && end-zeros < 16 && isDigitIn(digits[end], base) {
		end++
	}
	if end == 0 {
		return 0, false
	}
	if end == zeros {
		return 0, true
	}
	v, err := strconv.ParseUint(string(digits[zeros:end]), base, 64)
	if err != nil || v > unicode.MaxRune {
		return unicode.MaxRune + 1, true
	}
	return rune(v), true
}

func isDigitIn(c byte, base int) bool {
	if c >= '0' && c <= '9' {
		return true
	}
	return base == 16 && (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// limitNesting trims block quote and list markers at the start of a line
// beyond MaxNesting.
func limitNesting(l []byte, line int, ps *problems) []byte {
	depth, i, cut := 0, 0, -1
	for i < len(l) {
		j := i
		for j < len(l) && j-i < 4 && l[j] == ' ' {
			j++
		}
		if j >= len(l) {
			break
		}
		switch c := l[j]; {
		case c == '>':
			j++
		case (c == '-' || c == '*' || c == '+') && j+1 < len(l) && l[j+1] == ' ':
			j += 2
		default:
			j = -1
		}
		if j < 0 {
			break
		}
		depth++
		if depth == MaxNesting {
			cut = j
		}
		i = j
	}
	if depth <= MaxNesting {
		return l
	}
	ps.warnf(line, "nested %d levels deep; levels past %d are flattened", depth, MaxNesting)
	out := append([]byte{}, l[:cut]...)
	return append(out, bytes.TrimLeft(l[i:], " ")...)
}

// limitTable joins the cells of a table row past MaxTableColumns into the
// last one, so no row is wider than the limit.
func limitTable(l []byte, line int, ps *problems) []byte {
	if bytes.Count(l, []byte("|")) <= MaxTableColumns+1 {
		return l
	}
	seen, cut := 0, -1
	for i := 0; i < len(l); i++ {
		if l[i] == '\\' {
			i++
			continue
		}
		if l[i] == '|' {
			if seen++; seen == MaxTableColumns+1 {
				cut = i
				break
			}
		}
	}
	if cut < 0 {
		return l
	}
	ps.warnf(line, "table row has more than %d columns; the rest are joined into the last", MaxTableColumns)
	out := append([]byte{}, l[:cut]...)
	for _, c := range l[cut:] {
		if c == '|' {
			c = '/'
		}
		out = append(out, c)
	}
	return append(out, '|')
}
