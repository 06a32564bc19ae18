package store

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// sameAsYAML reports how a node tree differs from yaml.v3's, or "": in
// every field brief reads (kind, value, null-ness, line, children).
// Aliases in yaml.v3's are followed.
func sameAsYAML(n node, y *yaml.Node, path string) string {
	for y != nil && y.Kind == yaml.AliasNode {
		y = y.Alias
	}
	if !n.exists() || y == nil {
		if n.exists() != (y != nil) {
			return fmt.Sprintf("%s: one is missing", path)
		}
		return ""
	}
	var kind nodeKind
	switch y.Kind {
	case yaml.ScalarNode:
		kind = scalarNode
	case yaml.SequenceNode:
		kind = listNode
	case yaml.MappingNode:
		kind = mapNode
	}
	switch {
	case n.kind() != kind:
		return fmt.Sprintf("%s: kind %v vs yaml.v3's %v", path, n.kind(), y.Kind)
	case kind != scalarNode && n.value() != "":
		return fmt.Sprintf("%s: a container with value %q", path, n.value())
	case kind == scalarNode && n.value() != y.Value:
		return fmt.Sprintf("%s: value %q vs %q", path, n.value(), y.Value)
	case kind == scalarNode && n.null() != (y.Tag == "!!null"):
		return fmt.Sprintf("%s: null %v vs tag %s", path, n.null(), y.Tag)
	case n.line() != y.Line:
		return fmt.Sprintf("%s: line %d vs %d", path, n.line(), y.Line)
	case n.len() != len(y.Content):
		return fmt.Sprintf("%s: %d children vs %d", path, n.len(), len(y.Content))
	}
	for i := range y.Content {
		if d := sameAsYAML(n.child(i), y.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkAgainstYAMLv3 fails when the fast parser answers differently from
// yaml.v3 for input, or fromYAML converts yaml.v3's tree into one that
// differs from it, and reports whether the fast parser answered.
func checkAgainstYAMLv3(t *testing.T, input string) (fast bool) {
	t.Helper()
	var doc yaml.Node
	yamlErr := yaml.Unmarshal([]byte(input), &doc)
	var want *yaml.Node
	if yamlErr == nil && len(doc.Content) > 0 {
		want = doc.Content[0]
		budget := maxExpanded
		a := &arena{}
		if root, err := fromYAML(want, a, &budget); err == nil {
			if d := sameAsYAML(a.view(root), want, ""); d != "" {
				t.Fatalf("fromYAML differs from yaml.v3 at %s:\n%s", d, input)
			}
		}
	}
	for _, inPlace := range []bool{false, true} {
		got, ok := parseSimpleYAML([]byte(input), &arena{inPlace: inPlace})
		if !ok {
			return false
		}
		if yamlErr != nil {
			t.Fatalf("fast parser accepted what yaml.v3 rejects (%v):\n%s", yamlErr, input)
		}
		if d := sameAsYAML(got, want, ""); d != "" {
			t.Fatalf("fast parser differs from yaml.v3 at %s:\n%s", d, input)
		}
	}
	return true
}

var simpleYAMLCases = []struct {
	name  string
	input string
	fast  bool // whether the fast parser should answer
}{
	{"scalars", "title: Talks in Astana\ndate: 2024-02-19\nkind: talks\n", true},
	{"quoted", "title: \"Quoted: with colon\"\nsummary: 'It''s fine'\n", true},
	{"flow list", "topics: [trade, 'water-energy', \"x, y\"]\nofficials: []\n", true},
	{"block list", "officials:\n  - tokayev\n  - mirziyoyev\n", true},
	{"compact list", "officials:\n- tokayev\n- saidov\ntitle: x\n", true},
	{"list of mappings", "figures:\n  - label: Trade\n    value: $4.3 billion\n    note: in 2024\n  - label: B\n    value: c\n", true},
	{"nested mapping", "dating:\n  basis: inferred\n  note: from context\ntitle: t\n", true},
	{"comments", "# lead\ntitle: x # trailing\n\n  # indented comment\ndate: 2024\n", true},
	{"null words", "a: ~\nb: null\nc: [~, Null]\n", true},
	{"unicode", "title: Токаев и توكاييف\n", true},
	{"hash in word", "title: C# and F#\n", true},
	{"comments in a list", "a:\n  - b # c\n  - d#e # f\n", true},
	{"url", "url: https://example.com/a?b=c#frag\n", true},
	{"extra dash spaces", "figures:\n  -   label: a\n      value: b\n", true},
	{"empty value", "title:\ndate: 2024\n", false},
	{"block scalar", "summary: |\n  text\n", false},
	{"folded continuation", "summary: one\n  two\n", false},
	{"folded continuation, last key", "a: b\nsummary: one\n  two\n", false},
	{"item continuation", "a:\n  - x\n    y\nb: c\n", false},
	{"item continuation, last", "a:\n  - x\n  - y\n    z\n", false},
	{"compact mapping continuation", "a:\n  - b: c\n      d\n", false},
	{"compact mapping, line between", "a:\n  - b: c\n   d\n", false},
	{"escape", "title: \"a\\tb\"\n", false},
	{"anchor", "a: &x 1\nb: *x\n", false},
	{"flow mapping", "a: {b: c}\n", false},
	{"tab", "a:\tb\n", false},
	{"duplicate key", "a: 1\na: 2\n", false},
	{"colon space", "title: a: b\n", false},
	{"tag", "a: !!str 5\n", false},
	{"indented root", "  a: b\n", false},
	{"top-level list", "- a\n- b\n", true},
	{"registry", "- id: x\n  name: X Y\n  roles:\n    - title: T\n      from: 2019-03\n  aliases: [A, Б, ج]\n\n- id: y\n  name: Z\n", true},
	{"trailing comma", "a: [b, c,]\n", false},
	{"flow items with spaces", "a: [b , c  ,d e   ]\nf: [ g ]\n", true},
	{"flow item refused", "a: [b, c#d]\n", false},
	{"question mark ends a flow item", "a: [0?]\n", false},
	{"question mark in a flow item", "a: [b?c, d]\nb: [e, f ?g]\n", false},
	{"question mark in a block value", "a: b?c\nd: [e]\n", true},
	{"bool key", "yes: 1\n", false},
	{"line separator", "a: b\u2028c\n", false},
	{"complex keys in yaml.v3", "? [a, b]\n: c\n? {d: e}\n: f\n", false},
	{"duplicate nested key", "a:\n  b: 1\n  c: 2\n  b: 3\nd: 4\n", false},
	{"keys alike", "ab: 1\nba: 2\naab: 3\nabb: 4\nno_: 5\nNO.x: 6\nonly: 7\nyes-no: 8\n", true},
	{"bool and null keys", "Null: 1\n", false},
	{"bool key, upper case", "OFF: 1\n", false},
	{"doubled quotes", "a: 'x''y'''\nb: ['''', 'a''b', c, '''q']\n'k''': v\n", false},
	{"doubled quotes, plain keys", "a: 'x''y'''\nb: ['''', 'a''b', c, '''q']\n", true},
	{"unclosed doubled quote", "a: 'x''\n", false},
	{"aliases in yaml.v3", "a: &x [1, {b: c}]\nd: *x\n", false},
}

func TestSimpleYAMLMatchesYAMLv3(t *testing.T) {
	for _, tc := range simpleYAMLCases {
		t.Run(tc.name, func(t *testing.T) {
			if fast := checkAgainstYAMLv3(t, tc.input); fast != tc.fast {
				t.Errorf("fast parser answered = %v, want %v for:\n%s", fast, tc.fast, tc.input)
			}
		})
	}
}

// FuzzSimpleYAML checks that whenever the fast parser answers, yaml.v3
// gives the same tree.
func FuzzSimpleYAML(f *testing.F) {
	for _, tc := range simpleYAMLCases {
		f.Add(tc.input)
	}
	f.Add(strings.Repeat("k: v\n", 3))
	f.Fuzz(func(t *testing.T, input string) {
		checkAgainstYAMLv3(t, input)
	})
}
