package store

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// nodeKind says what a frontmatter node holds.
type nodeKind uint8

const (
	scalarNode nodeKind = iota + 1
	listNode
	mapNode
)

// node is a parsed YAML value: the little of yaml.Node that brief reads,
// small enough to build ten thousand times over in a few milliseconds.
type node struct {
	kind    nodeKind
	null    bool // a scalar that is YAML null (~, null, or nothing)
	plain   bool // a scalar, not null, of printable ASCII (see arena.ascii)
	unique  bool // a mapping whose keys are known to differ (the fast parser's)
	line    int
	value   string  // a scalar's text
	content []*node // a list's items; a mapping's keys and values, alternating
}

// arena hands out nodes from shared blocks, so a frontmatter block costs a
// few allocations rather than one per node.
// Nodes get file line numbers: the block's line plus offset.
//
// A loading worker keeps one arena and resets it for each file, so that
// parsing a file allocates almost nothing but the file's own text: the
// node trees of earlier files are garbage by then (decoding copies out
// what it keeps, which is strings of the file's text, never nodes).
type arena struct {
	block  []node
	offset int

	lines []simpleLine // the fast parser's lines
	ptrs  []*node      // every container's children, end to end
	stack []*node      // children of containers still being parsed

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

// reset makes the arena ready for another file, keeping its memory. The
// nodes of the last file are left as they are (each new node is written
// whole): they hold that file's text until the next one overwrites them,
// which costs less than clearing them.
func (a *arena) reset(offset int) {
	a.block, a.ptrs, a.stack, a.lines = a.block[:0], a.ptrs[:0], a.stack[:0], a.lines[:0]
	a.offset = offset
	a.ascii = false
}

func (a *arena) node(kind nodeKind, line int) *node {
	if len(a.block) == cap(a.block) {
		// Nodes handed out stay where they are; new ones go to a larger
		// block, which the next reset keeps.
		a.block = make([]node, 0, max(64, 2*cap(a.block)))
	}
	a.block = append(a.block, node{kind: kind, line: line + a.offset})
	return &a.block[len(a.block)-1]
}

// children ends a container whose children were pushed on the stack from
// start: they move to their own stretch of ptrs.
func (a *arena) children(start int) []*node {
	from := len(a.ptrs)
	a.ptrs = append(a.ptrs, a.stack[start:]...)
	a.stack = a.stack[:start]
	return a.ptrs[from:len(a.ptrs):len(a.ptrs)]
}

// maxExpanded caps the nodes a YAML document may expand to through
// aliases, so that an "alias bomb" is an error rather than a hang.
const maxExpanded = 10000

// fromYAML converts yaml.v3's tree, following aliases up to the cap.
func fromYAML(n *yaml.Node, a *arena, budget *int) (*node, error) {
	for depth := 0; n.Kind == yaml.AliasNode; depth++ {
		if n.Alias == nil || depth > 16 {
			return nil, fmt.Errorf("line %d: alias *%s leads nowhere", n.Line, n.Value)
		}
		n = n.Alias
	}
	if *budget--; *budget < 0 {
		return nil, fmt.Errorf("line %d: aliases expand to more than %d values", n.Line, maxExpanded)
	}
	var out *node
	switch n.Kind {
	case yaml.ScalarNode:
		out = a.node(scalarNode, n.Line)
		out.value, out.null = n.Value, n.Tag == "!!null"
		return out, nil
	case yaml.SequenceNode:
		out = a.node(listNode, n.Line)
	case yaml.MappingNode:
		out = a.node(mapNode, n.Line)
	default:
		return nil, fmt.Errorf("line %d: unexpected YAML node", n.Line)
	}
	out.content = make([]*node, 0, len(n.Content))
	for _, c := range n.Content {
		cn, err := fromYAML(c, a, budget)
		if err != nil {
			return nil, err
		}
		out.content = append(out.content, cn)
	}
	return out, nil
}

// parseYAML parses one frontmatter block into its root node, nil for an
// empty block; lines are numbered from offset+1. The fast parser answers for
// the plain YAML briefings are written in; yaml.v3 for everything else (its
// errors keep the block's own line numbers). data has been through
// cleanRaw. a, when not nil, is a worker's arena to reuse.
func parseYAML(data []byte, offset int, a *arena) (*node, error) {
	if a == nil {
		a = &arena{}
	}
	a.reset(offset)
	a.cleaned = true
	lines, ok := simpleLines(data, a.lines[:0], a.inPlace, a.cleaned)
	a.lines = lines
	return parseLinesOrYAML(data, ok, a)
}

// parseLinesOrYAML is parseYAML once the fast parser's lines are in
// a.lines (split says they could be split: else yaml.v3 reads data).
func parseLinesOrYAML(data []byte, split bool, a *arena) (*node, error) {
	if split {
		if root, ok := parseSimpleLines(a); ok {
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
	a.reset(offset) // the fast parser may have left nodes
	return fromYAML(doc.Content[0], a, &budget)
}
