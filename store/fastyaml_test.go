package store

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// sameTree reports how two node trees differ, or "".
func sameTree(a, b *node, path string) string {
	if (a == nil) != (b == nil) {
		return fmt.Sprintf("%s: one is nil", path)
	}
	if a == nil {
		return ""
	}
	switch {
	case a.kind != b.kind:
		return fmt.Sprintf("%s: kind %v vs %v", path, a.kind, b.kind)
	case a.value != b.value:
		return fmt.Sprintf("%s: value %q vs %q", path, a.value, b.value)
	case a.null != b.null:
		return fmt.Sprintf("%s: null %v vs %v", path, a.null, b.null)
	case a.line != b.line:
		return fmt.Sprintf("%s: line %d vs %d", path, a.line, b.line)
	case len(a.content) != len(b.content):
		return fmt.Sprintf("%s: %d children vs %d", path, len(a.content), len(b.content))
	}
	for i := range a.content {
		if d := sameTree(a.content[i], b.content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkAgainstYAMLv3 fails when the fast parser answers differently from
// yaml.v3 for input, and reports whether it answered.
func checkAgainstYAMLv3(t *testing.T, input string) (fast bool) {
	t.Helper()
	got, ok := parseSimpleYAML([]byte(input), &arena{})
	if !ok {
		return false
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(input), &doc); err != nil {
		t.Fatalf("fast parser accepted what yaml.v3 rejects (%v):\n%s", err, input)
	}
	var want *node
	if len(doc.Content) > 0 {
		budget := maxExpanded
		var err error
		if want, err = fromYAML(doc.Content[0], &arena{}, &budget); err != nil {
			t.Fatalf("converting yaml.v3's tree: %v", err)
		}
	}
	if d := sameTree(got, want, ""); d != "" {
		t.Fatalf("fast parser differs from yaml.v3 at %s:\n%s", d, input)
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
	{"url", "url: https://example.com/a?b=c#frag\n", true},
	{"extra dash spaces", "figures:\n  -   label: a\n      value: b\n", true},
	{"empty value", "title:\ndate: 2024\n", false},
	{"block scalar", "summary: |\n  text\n", false},
	{"folded continuation", "summary: one\n  two\n", false},
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
	{"bool key", "yes: 1\n", false},
	{"line separator", "a: b\u2028c\n", false},
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
