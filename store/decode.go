package store

import (
	"fmt"
	"strings"
	"unsafe"
)

// knownKeys lists the frontmatter keys the format defines.
var knownKeys = []string{"id", "title", "date", "dating", "kind", "location", "countries", "topics", "officials", "summary", "figures", "sources", "status", "draft"}

// decoding is what decoding a briefing gives besides the briefing (its
// details, the lines of its officials), with the scratch space it uses: a
// loading worker reuses it from file to file (see parseBriefing, compact).
type decoding struct {
	details Details // but its figures and sources, packed below
	// figs and srcs are the figures and sources decoded, packed as
	// packDetails packs them (appendFigure, appendSource), nFigs and
	// nSrcs how many: held as Figure and Source values, each of their
	// strings would be written (behind a write barrier while the
	// garbage collector marks) only to be packed.
	figs, srcs   []byte
	nFigs, nSrcs int
	lines        []int
	officials    []OfficialRef
	strs         []string // the briefing's lists of countries and topics
	// briefings are where the next briefings go: one allocation for
	// many, starting at one and doubling up to briefingSlab, so that a
	// worker that reads one file (a CorpusSource reading a file that
	// changed) holds no more than it needs.
	briefings []Briefing
	slab      int // the length of the last block of briefings
}

// briefingSlab is the most briefings allocated at once: as many as fit
// in 32 KB, the largest small object, with the 8-byte header a larger
// object of pointers carries (a block of 64 needed 18,440 bytes, and got
// 19,072).
const briefingSlab = (32<<10 - 8) / int(unsafe.Sizeof(Briefing{}))

// briefing gives a zero Briefing to decode into, the next of the
// decoding's block; it is taken from the block only once kept.
func (dec *decoding) briefing() *Briefing {
	if len(dec.briefings) == 0 {
		dec.slab = min(briefingSlab, max(1, 2*dec.slab))
		dec.briefings = make([]Briefing, dec.slab)
	}
	return &dec.briefings[0]
}

// keep takes the briefing given last out of the block, or, when it is
// not kept, zeroes it for the next file: it must hold nothing of this
// file's text.
func (dec *decoding) keep(kept bool) {
	if kept {
		dec.briefings = dec.briefings[1:]
	} else {
		dec.briefings[0] = Briefing{}
	}
}

// reset empties the decoding for the next file, keeping its memory. The
// lists are only cut to nothing, not cleared: what they held (strings of
// the last file's text, which the loading worker holds anyway, or of its
// cleaned values) is overwritten by the next file's, and clearing cost
// a write barrier for each pointer while the garbage collector marks.
func (dec *decoding) reset() {
	dec.details.Dating = Dating{}
	dec.details.Figures = dec.details.Figures[:0]
	dec.details.Sources = dec.details.Sources[:0]
	dec.details.Extra = dec.details.Extra[:0]
	dec.figs, dec.srcs, dec.nFigs, dec.nSrcs = dec.figs[:0], dec.srcs[:0], 0, 0
	dec.lines = dec.lines[:0]
	dec.officials = dec.officials[:0]
	dec.strs = dec.strs[:0]
}

// list reads a list field as cleanList does, into the decoding's scratch
// space; given lines, it notes there the line of each item it keeps.
func (dec *decoding) list(n node, ps *problems, field string, lines *[]int) []string {
	from := len(dec.strs)
	if n.kind() == listNode {
		a, blk := n.a, n.a.block
		for _, k := range kidsOf(n) {
			item := node{a, &blk[k]}
			s, ok := plainValueText(item)
			if !ok {
				if s, ok = itemText(item, ps, field); !ok {
					continue
				}
			}
			dec.strs = append(dec.strs, s)
			if lines != nil {
				*lines = append(*lines, item.line())
			}
		}
	} else if itemCount(n, ps, field) > 0 {
		if s, ok := itemText(n, ps, field); ok {
			dec.strs = append(dec.strs, s)
			if lines != nil {
				*lines = append(*lines, n.line())
			}
		}
	}
	return dec.strs[from:len(dec.strs):len(dec.strs)]
}

// officialsOf reads the officials field n into the decoding's scratch
// space, with the line of each.
func (dec *decoding) officialsOf(n node, ps *problems) ([]OfficialRef, []int) {
	dec.lines = dec.lines[:0]
	refs := dec.officials[:0]
	for _, s := range dec.list(n, ps, "officials", &dec.lines) {
		refs = append(refs, OfficialRef{Name: s})
	}
	dec.officials = refs
	return refs, dec.lines
}

// kidsOf gives a list's or a mapping's children, as indexes into its
// arena's block (see packedNode): read once, rather than through
// node.child for each.
func kidsOf(n node) []int32 {
	p := n.p
	return n.a.kids[p.off : p.off+p.n]
}

// decodeBriefing fills b, and dec's details and lines, from the
// frontmatter mapping, reporting every problem with its line. b's lists
// are in dec's scratch space until compact copies them.
func decodeBriefing(b *Briefing, dec *decoding, m node, ps *problems) {
	d := &dec.details
	var season string
	var verify []string // the fields a draft block asks to verify
	statusLine, draftLine := 0, 0
	a, blk, ks := m.a, m.a.block, kidsOf(m)
	unique := m.unique()
	for i := 0; i+1 < len(ks); i += 2 {
		k, v := node{a, &blk[ks[i]]}, node{a, &blk[ks[i+1]]}
		if !unique {
			reportTwice(m, i, ps)
		}
		switch k.value() {
		case "id":
			id, ok := plainValueText(v)
			if !ok {
				id = scalarText(v, ps, "id")
			}
			if !isID(id) {
				ps.errorf(v.line(), "id %q may hold only letters, digits, '-', '_' and '.', and must start with a letter or digit", clip(id))
				continue
			}
			b.ID, b.idLine = id, int32(k.line())
		case "title", "kind", "location", "summary":
			dst, kind := &b.Title, strictField
			switch k.value() {
			case "kind":
				dst = &b.Kind
			case "location":
				dst = &b.Location
			case "summary":
				dst, kind = &b.Summary, textField
			}
			var ok bool
			if *dst, ok = plainValueText(v); !ok { // cleanScalar, its fast path written out
				*dst = cleanScalarSlow(v, ps, k.value(), kind)
			}
			if dst == &b.Title && b.Title == "" {
				ps.errorf(v.line(), "title is empty")
			}
		case "date":
			s, ok := plainValueText(v)
			if !ok {
				s = scalarText(v, ps, "date")
			}
			d, err := ParseDate(s)
			if err != nil {
				ps.errorf(v.line(), "%v", err)
				continue
			}
			b.Date = d
		case "dating":
			d.Dating, season = decodeDating(v, ps)
		case "countries":
			b.Countries = dec.list(v, ps, "countries", nil)
		case "topics":
			b.Topics = dec.list(v, ps, "topics", nil)
		case "officials":
			b.Officials, dec.lines = dec.officialsOf(v, ps)
			if len(b.Officials) == 0 {
				ps.errorf(v.line(), "officials is empty: name at least one official who took part")
			}
		case "figures":
			dec.figs, dec.nFigs = decodeFigures(v, ps, dec.figs, dec.nFigs)
		case "sources":
			dec.srcs, dec.nSrcs = decodeSources(v, ps, dec.srcs, dec.nSrcs)
		case "status":
			switch st := scalarText(v, ps, "status"); st {
			case StatusDraft:
				b.Status, statusLine = st, k.line()
			case "":
			default:
				ps.warnf(v.line(), "status %q is not known and is ignored; the only status is draft (leave status out for a finished briefing)", clip(st))
			}
		case "draft":
			verify, draftLine = decodeDraftBlock(v, ps), k.line()
		default:
			key := cleanText(k.value(), k.line(), "key", ps, strictField) // a quoted key may hold escapes too
			d.Extra = append(d.Extra, Field{Key: key, Value: cleanText(nodeText(v), v.line(), key, ps, textField), Line: k.line()})
			ps.warnf(k.line(), "unknown key %q is kept but not used%s", clip(key), suggestKey(key))
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
		ps.warnf(m.line(), "dating.season %q is used only with a year-only date; this date is %s", season, b.Date)
	}
}

// reportTwice reports the keys before the i-th child of the mapping m
// that are the same as it.
func reportTwice(m node, i int, ps *problems) {
	k := m.child(i)
	for j := 0; j < i; j += 2 {
		if m.child(j).value() == k.value() {
			ps.errorf(k.line(), "key %q is given twice (first on line %d); keep one", clip(k.value()), m.child(j).line())
		}
	}
}

// suggestKey names the known key an unknown one is likely a typo of, if
// any: one letter off for a short key (two for a longer one, a swap of
// neighbours counting as one), the same key in other case, or its plural.
func suggestKey(key string) string {
	lower := strings.ToLower(key)
	best, bestDist := "", 0
	for _, k := range knownKeys {
		limit := 1
		if len(k) > 4 {
			limit = 2
		}
		d := typoDistance(lower, k)
		if lower+"s" == k || strings.TrimSuffix(lower, "y")+"ies" == k {
			d = 1 // a singular for the plural
		}
		if d <= limit && d < len([]rune(lower)) && (best == "" || d < bestDist) {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + best + "?"
}

// typoDistance counts the edits between a and b: letters inserted,
// deleted, replaced, or two neighbours swapped (optimal string alignment).
func typoDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func decodeDating(n node, ps *problems) (d Dating, season string) {
	if n.kind() != mapNode {
		ps.errorf(n.line(), "dating must be a mapping with basis, season and note")
		return d, ""
	}
	a, blk, ks := n.a, n.a.block, kidsOf(n)
	for i := 0; i+1 < len(ks); i += 2 {
		k, v := node{a, &blk[ks[i]]}, node{a, &blk[ks[i+1]]}
		switch k.value() {
		case "basis":
			text, ok := plainValueText(v)
			if !ok {
				text = scalarText(v, ps, "dating.basis")
			}
			switch basis := Basis(text); basis {
			case BasisStated, BasisPublished, BasisInferred:
				d.Basis = basis
			default:
				ps.errorf(v.line(), "dating.basis %q is not stated, published or inferred", clip(string(basis)))
			}
		case "season":
			switch s := strings.ToLower(scalarText(v, ps, "dating.season")); s {
			case "spring", "summer", "autumn", "winter":
				season = s
			default:
				ps.errorf(v.line(), "dating.season %q is not spring, summer, autumn or winter", clip(s))
			}
		case "note":
			var ok bool
			if d.Note, ok = plainValueText(v); !ok {
				d.Note = cleanScalarSlow(v, ps, "dating.note", textField)
			}
		default:
			ps.warnf(k.line(), "unknown key %q in dating (known: basis, season, note)", clip(k.value()))
		}
	}
	if d.Basis == "" {
		d.Basis = BasisStated
	}
	if d.Basis == BasisInferred && d.Note == "" {
		ps.warnf(n.line(), "dating.basis is inferred but no note says how")
	}
	return d, season
}

// decodeDraftBlock reads the draft block that 'brief draft' writes: a list
// of fields to verify, each a mapping with field, found and why. It gives the
// fields' names, with their lines.
func decodeDraftBlock(n node, ps *problems) []string {
	if n.kind() != listNode {
		ps.warnf(n.line(), "draft must be a list of fields to verify, each a mapping with field, found and why")
		return nil
	}
	var fields []string
	for j := range n.len() {
		item := n.child(j)
		if item.kind() != mapNode {
			ps.warnf(item.line(), "an entry of draft must be a mapping with field, found and why")
			continue
		}
		field := ""
		for i := 0; i+1 < item.len(); i += 2 {
			k, v := item.child(i), item.child(i+1)
			switch k.value() {
			case "field":
				field = cleanScalar(v, ps, "draft field", strictField)
			case "found", "why":
				cleanText(scalarText(v, ps, "draft "+k.value()), v.line(), "draft "+k.value(), ps, textField)
			default:
				ps.warnf(k.line(), "unknown key %q in a draft entry (known: field, found, why)", clip(k.value()))
			}
		}
		if field == "" {
			ps.warnf(item.line(), "a draft entry needs a field")
			continue
		}
		fields = append(fields, fmt.Sprintf("%s (line %d)", field, item.line()))
	}
	return fields
}

// decodeFigures appends the figures of n to figs, packed (appendFigure),
// and counts them in count.
func decodeFigures(n node, ps *problems, figs []byte, count int) ([]byte, int) {
	if n.kind() != listNode {
		ps.errorf(n.line(), "figures must be a list of mappings with label, value and note")
		return figs, count
	}
	a, blk := n.a, n.a.block
	for _, j := range kidsOf(n) {
		item := node{a, &blk[j]}
		if item.kind() != mapNode {
			ps.errorf(item.line(), "a figure must be a mapping with label, value and an optional note")
			continue
		}
		var f Figure
		ks := kidsOf(item)
		for i := 0; i+1 < len(ks); i += 2 {
			k, v := node{a, &blk[ks[i]]}, node{a, &blk[ks[i+1]]}
			dst, field, kind := &f.Value, "figure value", textField
			switch k.value() {
			case "label":
				dst, field, kind = &f.Label, "figure label", strictField
			case "value":
			case "note":
				dst, field = &f.Note, "figure note"
			default:
				ps.warnf(k.line(), "unknown key %q in a figure (known: label, value, note)", clip(k.value()))
				continue
			}
			var ok bool
			if *dst, ok = plainValueText(v); !ok { // cleanScalar, its fast path written out
				*dst = cleanScalarSlow(v, ps, field, kind)
			}
		}
		if f.Label == "" || f.Value == "" {
			ps.errorf(item.line(), "a figure needs both a label and a value")
			continue
		}
		figs, count = appendFigure(figs, &f), count+1
	}
	return figs, count
}

// decodeSources appends the sources of n to srcs, packed (appendSource),
// and counts them in count.
func decodeSources(n node, ps *problems, srcs []byte, count int) ([]byte, int) {
	if n.kind() != listNode {
		ps.errorf(n.line(), "sources must be a list of mappings with outlet, title, url, lang and published")
		return srcs, count
	}
	a, blk := n.a, n.a.block
	for _, j := range kidsOf(n) {
		item := node{a, &blk[j]}
		if item.kind() != mapNode {
			ps.errorf(item.line(), "a source must be a mapping with outlet, title, url, lang and published")
			continue
		}
		var s Source
		ks := kidsOf(item)
		for i := 0; i+1 < len(ks); i += 2 {
			k, v := node{a, &blk[ks[i]]}, node{a, &blk[ks[i+1]]}
			var dst *string
			var field string
			switch k.value() {
			case "outlet":
				dst, field = &s.Outlet, "source outlet"
			case "title":
				dst, field = &s.Title, "source title"
			case "url":
				dst, field = &s.URL, "source url"
			case "lang":
				dst, field = &s.Lang, "source lang"
			case "published":
				text, ok := plainValueText(v)
				if !ok {
					text = scalarText(v, ps, "source published")
				}
				d, err := ParseDate(text)
				if err != nil {
					ps.errorf(v.line(), "source published: %v", err)
					continue
				}
				s.Published = d
				continue
			default:
				ps.warnf(k.line(), "unknown key %q in a source (known: outlet, title, url, lang, published)", clip(k.value()))
				continue
			}
			var ok bool
			if *dst, ok = plainValueText(v); !ok { // cleanScalar, its fast path written out
				*dst = cleanScalarSlow(v, ps, field, strictField)
			}
			if dst == &s.URL {
				s.URL = cleanURL(s.URL, v.line(), ps)
			}
		}
		if s.Outlet == "" && s.Title == "" && s.URL == "" {
			ps.errorf(item.line(), "a source needs at least an outlet, a title or a url")
			continue
		}
		srcs, count = appendSource(srcs, &s), count+1
	}
	return srcs, count
}

// scalarText gives a single value's text, reporting a list or mapping where
// one value belongs.
func scalarText(n node, ps *problems, field string) string {
	if n.kind() != scalarNode {
		ps.errorf(n.line(), "%s must be a single value, not a %s", field, kindName(n))
		return ""
	}
	if n.null() {
		return ""
	}
	return n.value()
}

// cleanScalar is cleanText(scalarText(n, ps, field), n.line(), field, ps,
// kind).
func cleanScalar(n node, ps *problems, field string, kind fieldKind) string {
	if s, ok := plainValueText(n); ok {
		return s
	}
	return cleanScalarSlow(n, ps, field, kind)
}

// plainValueText gives a value the fast parser read, in place, from a line of
// printable ASCII (plain and not owned), with no space at its ends: what
// cleanScalar gives for it, as cleanText keeps printable ASCII as it is.
// ok is false for any other value. It is small enough to be inlined
// where a value is read.
func plainValueText(n node) (s string, ok bool) {
	if p := n.p; p.flags&(plainNode|ownedValue) == plainNode {
		// A byte from 0x21 to 0x7f is no space, nor the start of one.
		s = n.a.text[p.off : p.off+p.n]
		return s, len(s) > 0 && s[0]-0x21 < 0x5f && s[len(s)-1]-0x21 < 0x5f
	}
	return "", false
}

// cleanScalarSlow is cleanScalar for any value: a plain one is only
// trimmed (cleanText keeps printable ASCII as it is), any other cleaned.
func cleanScalarSlow(n node, ps *problems, field string, kind fieldKind) string {
	if n.plain() {
		return trimSpace(n.value())
	}
	return cleanText(scalarText(n, ps, field), n.line(), field, ps, kind)
}

// trimSpace is strings.TrimSpace, at once for a value with no space
// around it, the common case: a byte from 0x21 to 0x7f is no space, nor
// the start of one (an empty value takes the long way, as rare).
func trimSpace(s string) string {
	if len(s) > 0 && s[0]-0x21 < 0x5f && s[len(s)-1]-0x21 < 0x5f {
		return s
	}
	return strings.TrimSpace(s)
}

// cleanList reads a list of single values (or one value standing for a
// list of one), cleaned as strict fields, empty items dropped with a
// warning.
func cleanList(n node, ps *problems, field string) []string {
	count := itemCount(n, ps, field)
	out := make([]string, 0, count)
	for i := range count {
		if s, ok := itemText(itemAt(n, i), ps, field); ok {
			out = append(out, s)
		}
	}
	return out
}

// itemCount gives how many items a list field has: a list's items, or
// one value standing for a list of one (none when it is null). A mapping
// is an error, and has none.
func itemCount(n node, ps *problems, field string) int {
	switch n.kind() {
	case listNode:
		return n.len()
	case scalarNode:
		if n.null() {
			return 0
		}
		return 1
	}
	ps.errorf(n.line(), "%s must be a list, such as [a, b]", field)
	return 0
}

// itemAt gives the i-th item of a list field (see itemCount).
func itemAt(n node, i int) node {
	if n.kind() == listNode {
		return n.child(i)
	}
	return n
}

// itemText gives a list item, cleaned; ok is false, with a warning, when
// it is empty.
func itemText(n node, ps *problems, field string) (s string, ok bool) {
	s = cleanScalar(n, ps, field, strictField)
	if s == "" {
		ps.warnf(n.line(), "%s: empty item skipped", field)
		return "", false
	}
	return s, true
}

// nodeText renders any node as one line of text, for keys brief does not
// know.
func nodeText(n node) string {
	switch n.kind() {
	case scalarNode:
		return n.value()
	case listNode:
		parts := make([]string, n.len())
		for i := range parts {
			parts[i] = nodeText(n.child(i))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case mapNode:
		var parts []string
		for i := 0; i+1 < n.len(); i += 2 {
			parts = append(parts, nodeText(n.child(i))+": "+nodeText(n.child(i+1)))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return ""
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	cut := 57
	for cut > 0 && s[cut]&0xc0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
