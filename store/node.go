package store

import (
	"fmt"
	"unsafe"

	"gopkg.in/yaml.v3"
)

// nodeKind says what a frontmatter node holds.
type nodeKind uint8

const (
	scalarNode nodeKind = iota + 1
	listNode
	mapNode
)

// packedNode is a parsed YAML value as its arena keeps it: the little of
// yaml.Node that brief reads, without a pointer, so that the arena's
// memory is never scanned by the garbage collector and writing it costs
// no write barrier. A scalar's value is text[off:off+n] of the text parsed
// (arena.text), or of the arena's own bytes (arena.own) when owned; a
// container's children are kids[off:off+n], indexes in block: a list's
// items, a mapping's keys and values alternating.
type packedNode struct {
	off, n uint32
	line   int32
	kind   nodeKind
	flags  nodeFlags
}

// nodeFlags say more of a node.
type nodeFlags uint8

const (
	nullNode   nodeFlags = 1 << iota // a scalar that is YAML null (~, null, or nothing)
	plainNode                        // a scalar, not null, of printable ASCII (see arena.ascii)
	uniqueKeys                       // a mapping whose keys are known to differ (the fast parser's)
	ownedValue                       // a scalar whose value is in arena.own
)

// node is what decoding reads a parsed value through: a packedNode and
// the arena holding it. The zero node stands for no value at all (an
// empty frontmatter). A node is valid until its arena is reset.
type node struct {
	a *arena
	p *packedNode
}

// exists reports whether there is a value (an empty document has none).
func (n node) exists() bool { return n.p != nil }

func (n node) kind() nodeKind { return n.p.kind }
func (n node) line() int      { return int(n.p.line) }
func (n node) null() bool     { return n.p.flags&nullNode != 0 }
func (n node) plain() bool    { return n.p.flags&plainNode != 0 }
func (n node) unique() bool   { return n.p.flags&uniqueKeys != 0 }

// value gives a scalar's text; a list's or a mapping's is "" (a key may
// be either).
func (n node) value() string {
	if n.p.kind != scalarNode {
		return ""
	}
	return n.a.value(n.p)
}

// len gives how many children a container has (a mapping's keys and values
// both count).
func (n node) len() int {
	if n.p.kind == scalarNode {
		return 0
	}
	return int(n.p.n)
}

// child gives a container's i-th child.
func (n node) child(i int) node {
	return node{n.a, &n.a.block[n.a.kids[int(n.p.off)+i]]}
}

// arena holds the nodes of one frontmatter block, reused from file to
// file so that a block costs no allocation once the arena has grown.
// Nodes get file line numbers: the block's line plus offset.
//
// A loading worker keeps one arena and resets it for each file, so that
// parsing a file allocates almost nothing: the node trees of earlier
// files are garbage by then (decoding copies out what it keeps, which is
// strings of the file's text, never nodes).
type arena struct {
	block  []packedNode
	kids   []int32 // every container's children, end to end
	stack  []int32 // children of containers still being parsed
	offset int

	// text is the text the fast parser reads, which its lines and the
	// values of its nodes are offsets into; own holds the values the
	// parser builds rather than finds (a single-quoted scalar with a
	// doubled quote inside) and yaml.v3's.
	text  string
	own   []byte
	lines []simpleLine // the fast parser's lines, in text

	// inPlace lets the fast parser read a file's text in place, its nodes'
	// values slices of the bytes given rather than of a copy: for a
	// loading worker, whose read buffer the next file overwrites, and
	// which keeps nothing of the tree (compact copies out all a briefing
	// keeps, and problems are formatted; TestParseKeepsNothingOfTheBuffer
	// checks it). This saves a copy of every frontmatter, 40% of what a
	// cold load allocates. The arena's own bytes are then reused from file
	// to file too.
	inPlace bool
	// cleaned says the text parsed went through cleanRaw (parseYAML's
	// always does).
	cleaned bool
	// ascii says the line the fast parser reads is printable ASCII
	// (asciiLine): it marks the values it reads there as plain, which
	// cleanText would keep as they are.
	ascii bool
	// asciiLines and allASCII say which lines are printable ASCII
	// (plainFrontmatter found them so): a bit for each of the first 64,
	// or all of them. They are kept apart from the lines, whose size is
	// better 16 bytes.
	asciiLines uint64
	allASCII   bool
	// hashFree says the text the lines are in holds no '#' (so no
	// comment), as plainFrontmatter found it.
	hashFree bool

	// What decoding gives compact, reused from file to file.
	dec decoding

	// What compact needs, kept across files.
	intern interner
	pack   packer

	// found is what plainFrontmatter found while a read was checked for
	// a closed frontmatter (see arena.closes), for parseData to take.
	found plainHead
	// closesFunc is arena.closes as a func value, made once rather than
	// for every file.
	closesFunc func([]byte) bool
}

// reset makes the arena ready for another file, keeping its memory. The
// values of an arena that does not read in place may be kept as they are
// (by LoadRegistry): its own bytes are then left to them, never reused.
func (a *arena) reset(offset int) {
	a.block, a.kids, a.stack, a.lines = a.block[:0], a.kids[:0], a.stack[:0], a.lines[:0]
	if a.inPlace {
		a.own = a.own[:0]
	} else {
		a.own = nil
	}
	a.text = ""
	a.offset = offset
	a.ascii, a.asciiLines, a.allASCII, a.hashFree = false, 0, false, false
}

// add appends a node of kind on line of the block, giving its index; off
// and n are its value's or its children's (see packedNode). It is small
// enough to be inlined (append's growth costs the inliner no call).
func (a *arena) add(kind nodeKind, line int, off, n int, flags nodeFlags) int32 {
	i := len(a.block)
	a.block = append(a.block, packedNode{})
	// Field by field: a node built aside and copied in would cost a
	// stall of the store buffer (a wide load of narrow stores).
	p := &a.block[i]
	p.off, p.n, p.line, p.kind, p.flags = uint32(off), uint32(n), int32(line+a.offset), kind, flags
	return int32(i)
}

// addOwned appends a scalar whose value is v, copied into the arena's
// own bytes.
func (a *arena) addOwned(v string, line int, flags nodeFlags) int32 {
	off := len(a.own)
	a.own = append(a.own, v...)
	return a.add(scalarNode, line, off, len(v), flags|ownedValue)
}

// scalarFlags gives the flags of a scalar the fast parser read, null or
// not.
func (a *arena) scalarFlags(null bool) nodeFlags {
	switch {
	case null:
		return nullNode
	case a.ascii:
		return plainNode
	}
	return 0
}

// plainFlags gives the flags of a plain scalar the fast parser read on
// line i: scalarFlags, without going through arena.ascii.
func (a *arena) plainFlags(value string, i int) nodeFlags {
	switch {
	case isNullWord(value):
		return nullNode
	case a.asciiLine(i):
		return plainNode
	}
	return 0
}

// endContainer gives the container at index c the children pushed on the
// stack from start: they move to their own stretch of kids.
func (a *arena) endContainer(c int32, start int) {
	from := len(a.kids)
	a.kids = append(a.kids, a.stack[start:]...)
	a.stack = a.stack[:start]
	a.block[c].off, a.block[c].n = uint32(from), uint32(len(a.kids)-from)
}

// value gives a scalar's text.
func (a *arena) value(p *packedNode) string {
	s := a.text
	if p.flags&ownedValue != 0 {
		s = unsafe.String(unsafe.SliceData(a.own), len(a.own))
	}
	return s[p.off : p.off+p.n]
}

// view gives the node at index i.
func (a *arena) view(i int32) node { return node{a, &a.block[i]} }

// maxExpanded caps the nodes a YAML document may expand to through
// aliases, so that an "alias bomb" is an error rather than a hang.
const maxExpanded = 10000

// fromYAML converts yaml.v3's tree, following aliases up to the cap,
// giving the index of its root in a.
func fromYAML(n *yaml.Node, a *arena, budget *int) (int32, error) {
	for depth := 0; n.Kind == yaml.AliasNode; depth++ {
		if n.Alias == nil || depth > 16 {
			return 0, fmt.Errorf("line %d: alias *%s leads nowhere", n.Line, n.Value)
		}
		n = n.Alias
	}
	if *budget--; *budget < 0 {
		return 0, fmt.Errorf("line %d: aliases expand to more than %d values", n.Line, maxExpanded)
	}
	var out int32
	switch n.Kind {
	case yaml.ScalarNode:
		var flags nodeFlags
		if n.Tag == "!!null" {
			flags = nullNode
		}
		return a.addOwned(n.Value, n.Line, flags), nil
	case yaml.SequenceNode:
		out = a.add(listNode, n.Line, 0, 0, 0)
	case yaml.MappingNode:
		out = a.add(mapNode, n.Line, 0, 0, 0)
	default:
		return 0, fmt.Errorf("line %d: unexpected YAML node", n.Line)
	}
	start := len(a.stack)
	for _, c := range n.Content {
		cn, err := fromYAML(c, a, budget)
		if err != nil {
			return 0, err
		}
		a.stack = append(a.stack, cn)
	}
	a.endContainer(out, start)
	return out, nil
}

// parseYAML parses one frontmatter block into its root node, a node that
// does not exist for an empty block; lines are numbered from offset+1.
// The fast parser answers for the plain YAML briefings are written in;
// yaml.v3 for everything else (its errors keep the block's own line
// numbers). data has been through cleanRaw. a, when not nil, is a
// worker's arena to reuse.
func parseYAML(data []byte, offset int, a *arena) (node, error) {
	if a == nil {
		a = &arena{}
	}
	a.reset(offset)
	a.cleaned = true
	text, lines, ok := simpleLines(data, a.lines[:0], a.inPlace, a.cleaned)
	a.text, a.lines = text, lines
	return parseLinesOrYAML(data, ok, a)
}

// parseLinesOrYAML is parseYAML once the fast parser's lines are in
// a.lines, of a.text (split says they could be split: else yaml.v3 reads
// data).
func parseLinesOrYAML(data []byte, split bool, a *arena) (node, error) {
	if split {
		if root, ok := parseSimpleLines(a); ok {
			return root, nil
		}
	}
	offset := a.offset
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return node{}, err
	}
	if len(doc.Content) == 0 {
		return node{}, nil
	}
	budget := maxExpanded
	a.reset(offset) // the fast parser may have left nodes
	root, err := fromYAML(doc.Content[0], a, &budget)
	if err != nil {
		return node{}, err
	}
	return a.view(root), nil
}
