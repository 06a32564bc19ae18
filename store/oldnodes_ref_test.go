package store

// The node tree as it was before it held no pointers (nodes holding their
// values as strings and their children as pointers), with the parser and
// decoders that read it, LoadRegistry's included: test-only, the
// reference parseDataAsBefore and TestRegistryLoadsAsBefore hold today's
// code to. Generated from the code of that time by renaming its
// declarations with the prefix old; the leaf helpers it shares with
// today's code (simpleKey, plainScalar, isNullWord, cleanText...) were
// not changed by the move.

import (
	"cmp"
	"fmt"
	"io/fs"
	"strings"
	"unicode/utf8"
	"unsafe"

	"gopkg.in/yaml.v3"
)

type oldNode struct {
	kind    nodeKind
	null    bool // a scalar that is YAML null (~, null, or nothing)
	plain   bool // a scalar, not null, of printable ASCII (see arena.ascii)
	unique  bool // a mapping whose keys are known to differ (the fast parser's)
	line    int
	value   string     // a scalar's text
	content []*oldNode // a list's items; a mapping's keys and values, alternating
}

type oldArena struct {
	block  []oldNode
	offset int

	lines []oldSimpleLine // the fast parser's lines
	ptrs  []*oldNode      // every container's children, end to end
	stack []*oldNode      // children of containers still being parsed

	// inPlace lets the fast parser read a file's text in place, its nodes'
	// values slices of the bytes given rather than of a copy: for a
	// loading worker, whose read buffer the next file overwrites, and
	// which keeps nothing of the tree (compact copies out all a briefing
	// keeps, and problems are formatted; TestParseKeepsNothingOfTheBuffer
	// checks it). This saves a copy of every frontmatter, 40% of what a
	// cold load allocates.
	inPlace bool
	// cleaned says the text parsed went through cleanRaw (parseYAML's
	// always does).
	cleaned bool
	// ascii says the block parsed is printable ASCII and line ends
	// (plainFrontmatter found it so): the fast parser marks the values it
	// reads as plain, which cleanText would keep as they are.
	ascii bool

	// What decoding gives compact, reused from file to file.
	dec decoding

	// What compact needs, kept across files.
	intern interner
	pack   packer
}

func (a *oldArena) reset(offset int) {
	a.block, a.ptrs, a.stack, a.lines = a.block[:0], a.ptrs[:0], a.stack[:0], a.lines[:0]
	a.offset = offset
	a.ascii = false
}

func (a *oldArena) oldNode(kind nodeKind, line int) *oldNode {
	if len(a.block) == cap(a.block) {

		a.block = make([]oldNode, 0, max(64, 2*cap(a.block)))
	}
	a.block = append(a.block, oldNode{kind: kind, line: line + a.offset})
	return &a.block[len(a.block)-1]
}

func (a *oldArena) children(start int) []*oldNode {
	from := len(a.ptrs)
	a.ptrs = append(a.ptrs, a.stack[start:]...)
	a.stack = a.stack[:start]
	return a.ptrs[from:len(a.ptrs):len(a.ptrs)]
}

func oldFromYAML(n *yaml.Node, a *oldArena, budget *int) (*oldNode, error) {
	for depth := 0; n.Kind == yaml.AliasNode; depth++ {
		if n.Alias == nil || depth > 16 {
			return nil, fmt.Errorf("line %d: alias *%s leads nowhere", n.Line, n.Value)
		}
		n = n.Alias
	}
	if *budget--; *budget < 0 {
		return nil, fmt.Errorf("line %d: aliases expand to more than %d values", n.Line, maxExpanded)
	}
	var out *oldNode
	switch n.Kind {
	case yaml.ScalarNode:
		out = a.oldNode(scalarNode, n.Line)
		out.value, out.null = n.Value, n.Tag == "!!null"
		return out, nil
	case yaml.SequenceNode:
		out = a.oldNode(listNode, n.Line)
	case yaml.MappingNode:
		out = a.oldNode(mapNode, n.Line)
	default:
		return nil, fmt.Errorf("line %d: unexpected YAML node", n.Line)
	}
	out.content = make([]*oldNode, 0, len(n.Content))
	for _, c := range n.Content {
		cn, err := oldFromYAML(c, a, budget)
		if err != nil {
			return nil, err
		}
		out.content = append(out.content, cn)
	}
	return out, nil
}

func oldParseYAML(data []byte, offset int, a *oldArena) (*oldNode, error) {
	if a == nil {
		a = &oldArena{}
	}
	a.reset(offset)
	a.cleaned = true
	lines, ok := oldSimpleLines(data, a.lines[:0], a.inPlace, a.cleaned)
	a.lines = lines
	return oldParseLinesOrYAML(data, ok, a)
}

func oldParseLinesOrYAML(data []byte, split bool, a *oldArena) (*oldNode, error) {
	if split {
		if root, ok := oldParseSimpleLines(a); ok {
			return root, nil
		}
	}
	offset := a.offset
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	budget := maxExpanded
	a.reset(offset)
	return oldFromYAML(doc.Content[0], a, &budget)
}
func oldParseSimpleLines(a *oldArena) (root *oldNode, ok bool) {
	lines := a.lines
	if len(lines) == 0 || lines[0].indent != 0 {
		return nil, false
	}
	p := &oldSimpleParser{lines: lines, oldArena: a}
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

type oldSimpleLine struct {
	num    int
	indent int
	text   string
}

func oldSimpleLines(data []byte, lines []oldSimpleLine, inPlace, cleaned bool) ([]oldSimpleLine, bool) {
	var s string // every value is a slice of it
	if inPlace && len(data) > 0 {
		s = unsafe.String(&data[0], len(data))
	} else {
		s = string(data)
	}
	if cleaned && plainCleaned(s) {
		return oldSplitLines(s, lines), true
	}
	num := 0
	for start := 0; start < len(s); {
		num++
		i := start
		for i < len(s) && s[i] == ' ' {
			i++
		}
		first, end := i, i
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
				return nil, false
			case cleaned:

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
			lines = append(lines, oldSimpleLine{num: num, indent: first - start, text: s[first:end]})
		}
		start = i + 1
	}
	return lines, true
}

func oldSplitLines(s string, lines []oldSimpleLine) []oldSimpleLine {
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
			lines = append(lines, oldSimpleLine{num: num, indent: first - start, text: s[first:last]})
		}
		start = end + 1
	}
	return lines
}

type oldSimpleParser struct {
	lines    []oldSimpleLine
	i        int
	oldArena *oldArena
}

func (p *oldSimpleParser) mapping(indent int) (*oldNode, bool) {
	m := p.oldArena.oldNode(mapNode, p.lines[p.i].num)
	start := len(p.oldArena.stack)
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
		for j := start; j < len(p.oldArena.stack); j += 2 {
			if p.oldArena.stack[j].value == key {
				return nil, false
			}
		}
		k := p.oldArena.oldNode(scalarNode, l.num)
		k.value = key
		var v *oldNode
		if rest != "" {
			if v, ok = p.inlineValue(rest, l.num); !ok {
				return nil, false
			}
			p.i++
			if p.i < len(p.lines) && p.lines[p.i].indent > indent {
				return nil, false
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
				ok = false
			}
			if !ok {
				return nil, false
			}
		}
		p.oldArena.stack = append(p.oldArena.stack, k, v)
	}
	m.content, m.unique = p.oldArena.children(start), true
	return m, true
}

func (p *oldSimpleParser) sequence(indent int) (*oldNode, bool) {
	s := p.oldArena.oldNode(listNode, p.lines[p.i].num)
	start := len(p.oldArena.stack)
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

			p.lines[p.i] = oldSimpleLine{num: l.num, indent: column, text: content}
			item, ok := p.mapping(column)
			if !ok {
				return nil, false
			}
			p.oldArena.stack = append(p.oldArena.stack, item)
			continue
		}
		item, ok := p.inlineValue(content, l.num)
		if !ok {
			return nil, false
		}
		p.oldArena.stack = append(p.oldArena.stack, item)
		p.i++
		if p.i < len(p.lines) && p.lines[p.i].indent > indent {
			return nil, false
		}
	}
	s.content = p.oldArena.children(start)
	return s, true
}

func (p *oldSimpleParser) inlineValue(text string, line int) (*oldNode, bool) {
	switch text[0] {
	case '"', '\'':
		value, rest, ok := oldQuoted(text)
		if !ok || !onlyComment(rest) {
			return nil, false
		}
		n := p.oldArena.oldNode(scalarNode, line)
		n.value, n.plain = value, p.oldArena.ascii
		return n, true
	case '[':
		return p.flowSequence(text, line)
	}
	value, ok := plainScalar(text)
	if !ok {
		return nil, false
	}
	n := p.oldArena.oldNode(scalarNode, line)
	n.value, n.null = value, isNullWord(value)
	n.plain = p.oldArena.ascii && !n.null
	return n, true
}

func oldQuoted(text string) (value, rest string, ok bool) {
	q := text[0]
	if q == '"' {
		end := strings.IndexByte(text[1:], '"')
		if end < 0 || strings.IndexByte(text[1:1+end], '\\') >= 0 {
			return "", "", false
		}
		return text[1 : 1+end], text[2+end:], true
	}
	if end := strings.IndexByte(text[1:], '\''); end >= 0 && !strings.HasPrefix(text[2+end:], "'") {
		return text[1 : 1+end], text[2+end:], true
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

func (p *oldSimpleParser) flowSequence(text string, line int) (*oldNode, bool) {
	s := p.oldArena.oldNode(listNode, line)
	rest := strings.TrimLeft(text[1:], " ")
	if strings.HasPrefix(rest, "]") {
		return s, onlyComment(rest[1:])
	}
	start := len(p.oldArena.stack)
	defer func() { s.content = p.oldArena.children(start) }()
	for {
		var value string
		if rest == "" {
			return nil, false
		}
		null := false
		switch rest[0] {
		case '"', '\'':
			v, after, ok := oldQuoted(rest)
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
		item := p.oldArena.oldNode(scalarNode, line)
		item.value, item.null, item.plain = value, null, p.oldArena.ascii && !null
		p.oldArena.stack = append(p.oldArena.stack, item)
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
func (dec *decoding) oldList(n *oldNode, ps *problems, field string) []string {
	from := len(dec.strs)
	for _, it := range oldCleanItems(n, ps, field, nil) {
		dec.strs = append(dec.strs, it.text)
	}
	return dec.strs[from:len(dec.strs):len(dec.strs)]
}

func oldDecodeBriefing(b *Briefing, dec *decoding, m *oldNode, ps *problems) {
	d := &dec.details
	var season string
	var verify []string // the fields a draft block asks to verify
	statusLine, draftLine := 0, 0
	for i := 0; i+1 < len(m.content); i += 2 {
		k, v := m.content[i], m.content[i+1]
		for j := 0; j < i && !m.unique; j += 2 {
			if m.content[j].value == k.value {
				ps.errorf(k.line, "key %q is given twice (first on line %d); keep one", clip(k.value), m.content[j].line)
			}
		}
		switch k.value {
		case "id":
			id := oldScalarText(v, ps, "id")
			if !isID(id) {
				ps.errorf(v.line, "id %q may hold only letters, digits, '-', '_' and '.', and must start with a letter or digit", clip(id))
				continue
			}
			b.ID, b.idLine = id, int32(k.line)
		case "title":
			b.Title = oldCleanScalar(v, ps, "title", strictField)
			if b.Title == "" {
				ps.errorf(v.line, "title is empty")
			}
		case "date":
			d, err := ParseDate(oldScalarText(v, ps, "date"))
			if err != nil {
				ps.errorf(v.line, "%v", err)
				continue
			}
			b.Date = d
		case "dating":
			d.Dating, season = oldDecodeDating(v, ps)
		case "kind":
			b.Kind = oldCleanScalar(v, ps, "kind", strictField)
		case "location":
			b.Location = oldCleanScalar(v, ps, "location", strictField)
		case "countries":
			b.Countries = dec.oldList(v, ps, "countries")
		case "topics":
			b.Topics = dec.oldList(v, ps, "topics")
		case "officials":
			b.Officials, dec.lines = dec.officials[:0], dec.lines[:0]
			for _, item := range oldCleanItems(v, ps, "officials", nil) {
				b.Officials = append(b.Officials, OfficialRef{Name: item.text})
				dec.lines = append(dec.lines, item.line)
			}
			dec.officials = b.Officials
			if len(b.Officials) == 0 {
				ps.errorf(v.line, "officials is empty: name at least one official who took part")
			}
		case "summary":
			b.Summary = oldCleanScalar(v, ps, "summary", textField)
		case "figures":
			d.Figures = oldDecodeFigures(v, ps, d.Figures)
		case "sources":
			d.Sources = oldDecodeSources(v, ps, d.Sources)
		case "status":
			switch st := oldScalarText(v, ps, "status"); st {
			case StatusDraft:
				b.Status, statusLine = st, k.line
			case "":
			default:
				ps.warnf(v.line, "status %q is not known and is ignored; the only status is draft (leave status out for a finished briefing)", clip(st))
			}
		case "draft":
			verify, draftLine = oldDecodeDraftBlock(v, ps), k.line
		default:
			key := cleanText(k.value, k.line, "key", ps, strictField)
			d.Extra = append(d.Extra, Field{Key: key, Value: cleanText(oldNodeText(v), v.line, key, ps, textField), Line: k.line})
			ps.warnf(k.line, "unknown key %q is kept but not used%s", clip(key), suggestKey(key))
		}
	}
	switch {
	case b.Status == StatusDraft && len(verify) > 0:
		ps.warnf(statusLine, "this briefing is a draft: check it against its sources, then remove status and the draft block; to verify: %s", strings.Join(verify, ", "))
	case b.Status == StatusDraft:
		ps.warnf(statusLine, "this briefing is a draft: check it against its sources, then remove the status line")
	case draftLine > 0:
		ps.warnf(draftLine, "a draft block belongs only to a briefing with status: draft; remove it once the briefing is checked")
	}
	switch {
	case season == "":
	case b.Date.Precision == PrecisionYear:
		b.Date.Season = season
	case !b.Date.IsZero():
		ps.warnf(m.line, "dating.season %q is used only with a year-only date; this date is %s", season, b.Date)
	}
}

func oldDecodeDating(n *oldNode, ps *problems) (d Dating, season string) {
	if n.kind != mapNode {
		ps.errorf(n.line, "dating must be a mapping with basis, season and note")
		return d, ""
	}
	for i := 0; i+1 < len(n.content); i += 2 {
		k, v := n.content[i], n.content[i+1]
		switch k.value {
		case "basis":
			switch basis := Basis(oldScalarText(v, ps, "dating.basis")); basis {
			case BasisStated, BasisPublished, BasisInferred:
				d.Basis = basis
			default:
				ps.errorf(v.line, "dating.basis %q is not stated, published or inferred", clip(string(basis)))
			}
		case "season":
			switch s := strings.ToLower(oldScalarText(v, ps, "dating.season")); s {
			case "spring", "summer", "autumn", "winter":
				season = s
			default:
				ps.errorf(v.line, "dating.season %q is not spring, summer, autumn or winter", clip(s))
			}
		case "note":
			d.Note = oldCleanScalar(v, ps, "dating.note", textField)
		default:
			ps.warnf(k.line, "unknown key %q in dating (known: basis, season, note)", clip(k.value))
		}
	}
	if d.Basis == "" {
		d.Basis = BasisStated
	}
	if d.Basis == BasisInferred && d.Note == "" {
		ps.warnf(n.line, "dating.basis is inferred but no note says how")
	}
	return d, season
}

func oldDecodeDraftBlock(n *oldNode, ps *problems) []string {
	if n.kind != listNode {
		ps.warnf(n.line, "draft must be a list of fields to verify, each a mapping with field, found and why")
		return nil
	}
	var fields []string
	for _, item := range n.content {
		if item.kind != mapNode {
			ps.warnf(item.line, "an entry of draft must be a mapping with field, found and why")
			continue
		}
		field := ""
		for i := 0; i+1 < len(item.content); i += 2 {
			k, v := item.content[i], item.content[i+1]
			switch k.value {
			case "field":
				field = oldCleanScalar(v, ps, "draft field", strictField)
			case "found", "why":
				cleanText(oldScalarText(v, ps, "draft "+k.value), v.line, "draft "+k.value, ps, textField)
			default:
				ps.warnf(k.line, "unknown key %q in a draft entry (known: field, found, why)", clip(k.value))
			}
		}
		if field == "" {
			ps.warnf(item.line, "a draft entry needs a field")
			continue
		}
		fields = append(fields, fmt.Sprintf("%s (line %d)", field, item.line))
	}
	return fields
}

func oldDecodeFigures(n *oldNode, ps *problems, figs []Figure) []Figure {
	if n.kind != listNode {
		ps.errorf(n.line, "figures must be a list of mappings with label, value and note")
		return figs
	}
	for _, item := range n.content {
		if item.kind != mapNode {
			ps.errorf(item.line, "a figure must be a mapping with label, value and an optional note")
			continue
		}
		var f Figure
		for i := 0; i+1 < len(item.content); i += 2 {
			k, v := item.content[i], item.content[i+1]
			switch k.value {
			case "label":
				f.Label = oldCleanScalar(v, ps, "figure label", strictField)
			case "value":
				f.Value = oldCleanScalar(v, ps, "figure value", textField)
			case "note":
				f.Note = oldCleanScalar(v, ps, "figure note", textField)
			default:
				ps.warnf(k.line, "unknown key %q in a figure (known: label, value, note)", clip(k.value))
			}
		}
		if f.Label == "" || f.Value == "" {
			ps.errorf(item.line, "a figure needs both a label and a value")
			continue
		}
		figs = append(figs, f)
	}
	return figs
}

func oldDecodeSources(n *oldNode, ps *problems, srcs []Source) []Source {
	if n.kind != listNode {
		ps.errorf(n.line, "sources must be a list of mappings with outlet, title, url, lang and published")
		return srcs
	}
	for _, item := range n.content {
		if item.kind != mapNode {
			ps.errorf(item.line, "a source must be a mapping with outlet, title, url, lang and published")
			continue
		}
		var s Source
		for i := 0; i+1 < len(item.content); i += 2 {
			k, v := item.content[i], item.content[i+1]
			switch k.value {
			case "outlet":
				s.Outlet = oldCleanScalar(v, ps, "source outlet", strictField)
			case "title":
				s.Title = oldCleanScalar(v, ps, "source title", strictField)
			case "url":
				s.URL = cleanURL(oldCleanScalar(v, ps, "source url", strictField), v.line, ps)
			case "lang":
				s.Lang = oldCleanScalar(v, ps, "source lang", strictField)
			case "published":
				d, err := ParseDate(oldScalarText(v, ps, "source published"))
				if err != nil {
					ps.errorf(v.line, "source published: %v", err)
					continue
				}
				s.Published = d
			default:
				ps.warnf(k.line, "unknown key %q in a source (known: outlet, title, url, lang, published)", clip(k.value))
			}
		}
		if s.Outlet == "" && s.Title == "" && s.URL == "" {
			ps.errorf(item.line, "a source needs at least an outlet, a title or a url")
			continue
		}
		srcs = append(srcs, s)
	}
	return srcs
}

func oldScalarText(n *oldNode, ps *problems, field string) string {
	if n.kind != scalarNode {
		ps.errorf(n.line, "%s must be a single value, not a %s", field, oldKindName(n))
		return ""
	}
	if n.null {
		return ""
	}
	return n.value
}

func oldCleanScalar(n *oldNode, ps *problems, field string, kind fieldKind) string {
	if n.plain {
		return strings.TrimSpace(n.value)
	}
	return cleanText(oldScalarText(n, ps, field), n.line, field, ps, kind)
}

func oldCleanList(n *oldNode, ps *problems, field string) []string {
	items := oldCleanItems(n, ps, field, nil)
	out := make([]string, len(items))
	for i, item := range items {
		out[i] = item.text
	}
	return out
}

// item is one cleaned list item and its line, as the old pipeline gave
// them.
type item struct {
	text string
	line int
}

func oldCleanItems(n *oldNode, ps *problems, field string, out []item) []item {
	items := n.content
	switch n.kind {
	case listNode:
	case scalarNode:
		if n.null {
			return out
		}
		items = []*oldNode{n}
	default:
		ps.errorf(n.line, "%s must be a list, such as [a, b]", field)
		return out
	}
	for _, n := range items {
		s := oldCleanScalar(n, ps, field, strictField)
		if s == "" {
			ps.warnf(n.line, "%s: empty item skipped", field)
			continue
		}
		out = append(out, item{s, n.line})
	}
	return out
}

func oldNodeText(n *oldNode) string {
	switch n.kind {
	case scalarNode:
		return n.value
	case listNode:
		parts := make([]string, len(n.content))
		for i, c := range n.content {
			parts[i] = oldNodeText(c)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case mapNode:
		var parts []string
		for i := 0; i+1 < len(n.content); i += 2 {
			parts = append(parts, oldNodeText(n.content[i])+": "+oldNodeText(n.content[i+1]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return ""
}
func oldParseBriefing(p string, fm frontmatter, ps *problems, a *oldArena) *Briefing {
	data := cleanRaw(loneCRs(fm.yaml, ps, fm.firstLine), ps, fm.firstLine)
	root, err := oldParseYAML(data, fm.firstLine-1, a)
	return oldBriefingOf(p, fm, data, root, err, ps, a)
}

func oldBriefingOf(p string, fm frontmatter, data []byte, root *oldNode, err error, ps *problems, a *oldArena) *Briefing {
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
	if root == nil {
		ps.errorf(fm.firstLine-1, "the frontmatter is empty: a briefing needs at least title, date and officials")
		return nil
	}
	if root.kind != mapNode {
		ps.errorf(root.line, "the frontmatter must be a mapping of fields (key: value), not a %s", oldKindName(root))
		return nil
	}
	b := &Briefing{Path: p, BodyLine: fm.bodyLine, bodyOffset: int32(fm.bodyOffset), idLine: int32(fm.firstLine - 1)}
	a.dec.reset()
	oldDecodeBriefing(b, &a.dec, root, ps)
	if b.ID == "" {
		b.ID = defaultID(p)
	}
	if a.dec.details.Dating.Basis == "" {
		a.dec.details.Dating.Basis = BasisStated
	}
	if b.Title == "" && !oldHasKey(root, "title") {
		ps.errorf(fm.firstLine-1, "missing title: every briefing needs a one-line title")
	}
	if b.Date.IsZero() && !oldHasKey(root, "date") {
		ps.errorf(fm.firstLine-1, "missing date: write it as YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known")
	}
	if len(b.Officials) == 0 && !oldHasKey(root, "officials") {
		ps.errorf(fm.firstLine-1, "missing officials: name at least one official who took part")
	}
	if ps.failed() {
		return nil
	}
	return b
}

func oldHasKey(m *oldNode, key string) bool {
	for i := 0; i+1 < len(m.content); i += 2 {
		if m.content[i].value == key {
			return true
		}
	}
	return false
}

func oldKindName(n *oldNode) string {
	switch n.kind {
	case listNode:
		return "list"
	case mapNode:
		return "mapping"
	}
	return "single value"
}
func oldLoadRegistry(fsys fs.FS, path string) (*Registry, []Problem) {
	ps := &problems{path: path}
	reg := &Registry{byKey: map[string]*Official{}}
	data, err := fs.ReadFile(fsys, path)
	if err != nil {
		ps.errorf(0, "cannot read the officials registry: %v", err)
		return reg, ps.list
	}
	data = cleanRaw(data, ps, 1)
	oldList, err := oldParseYAML(data, 0, nil)
	if err != nil {
		line, msg := yamlErrorLine(err)
		ps.errorf(line, "YAML syntax error: %s", msg)
		return reg, ps.list
	}
	if oldList == nil {
		ps.warnf(0, "the officials registry is empty")
		return reg, ps.list
	}
	if oldList.kind != listNode {
		ps.errorf(oldList.line, "the officials registry must be a list of officials, one '- id: ...' each")
		return reg, ps.list
	}
	for _, item := range oldList.content {
		o := oldDecodeOfficial(item, ps)
		if o == nil {
			continue
		}
		if other, dup := reg.byKey[Fold(o.ID)]; dup && other.ID == o.ID {
			ps.errorf(item.line, "official id %q is used twice", o.ID)
			continue
		}
		reg.add(o, ps, item.line)
	}
	return reg, ps.list
}

func oldDecodeOfficial(n *oldNode, ps *problems) *Official {
	if n.kind != mapNode {
		ps.errorf(n.line, "each official must be a mapping with id, name, country, roles and aliases")
		return nil
	}
	o := &Official{}
	for i := 0; i+1 < len(n.content); i += 2 {
		k, v := n.content[i], n.content[i+1]
		switch k.value {
		case "id":
			o.ID = oldScalarText(v, ps, "id")
		case "name":
			o.Name = oldCleanScalar(v, ps, "name", strictField)
		case "country":
			o.Country = oldCleanScalar(v, ps, "country", strictField)
		case "aliases":
			o.Aliases = oldCleanList(v, ps, "aliases")
		case "roles":
			o.Roles = oldDecodeRoles(v, ps)
		default:
			ps.warnf(k.line, "unknown key %q in an official (known: id, name, country, roles, aliases)", k.value)
		}
	}
	switch {
	case o.ID == "":
		ps.errorf(n.line, "official has no id")
		return nil
	case !officialIDPattern().MatchString(o.ID):
		ps.errorf(n.line, "official id %q must be lowercase letters, digits and '-'", o.ID)
		return nil
	case o.Name == "":
		ps.errorf(n.line, "official %q has no name", o.ID)
		return nil
	case o.Country == "":
		ps.warnf(n.line, "official %q has no country", o.ID)
	}
	return o
}

func oldDecodeRoles(n *oldNode, ps *problems) []Role {
	if n.kind != listNode {
		ps.errorf(n.line, "roles must be a list of mappings with title, from, to and note")
		return nil
	}
	var roles []Role
	for _, item := range n.content {
		if item.kind != mapNode {
			ps.errorf(item.line, "a role must be a mapping with title, from, to and note")
			continue
		}
		var r Role
		for i := 0; i+1 < len(item.content); i += 2 {
			k, v := item.content[i], item.content[i+1]
			switch k.value {
			case "title":
				r.Title = cleanText(oldScalarText(v, ps, "title"), v.line, "role title", ps, strictField)
			case "from", "to":
				d, err := ParseDate(oldScalarText(v, ps, k.value))
				if err != nil {
					ps.errorf(v.line, "role %s: %v", k.value, err)
					continue
				}
				if k.value == "from" {
					r.From = d
				} else {
					r.To = d
				}
			case "note":
				r.Note = cleanText(oldScalarText(v, ps, "note"), v.line, "role note", ps, textField)
			default:
				ps.warnf(k.line, "unknown key %q in a role (known: title, from, to, note)", k.value)
			}
		}
		if r.Title == "" {
			ps.errorf(item.line, "role has no title")
			continue
		}
		if !r.From.IsZero() && !r.To.IsZero() && r.To.Compare(r.From) < 0 {
			ps.errorf(item.line, "role %q ends (%s) before it starts (%s)", r.Title, r.To, r.From)
			continue
		}
		roles = append(roles, r)
	}
	return roles
}
