package store

import (
	"strings"
	"testing"
)

// TestMappingSplitsKeysAsSimpleKey: mapping, which splits its lines' keys
// with a copy of simpleKey written out, accepts a key line exactly where
// simpleKey does, with the same key and value. Each candidate line is
// parsed as a document of its own (followed by a nested mapping where it
// has no value), its value a plain word or nothing.
func TestMappingSplitsKeysAsSimpleKey(t *testing.T) {
	var lines []string
	keys := []string{
		"title", "t", "id", "_x", "a.b-c_d9", "ABCdefGH", "abcdefghijklmnopq", "1a", "-a", ".a", "a b", "a/b",
		"true", "TRUE", "False", "yes", "Yes", "no", "NO", "on", "Off", "y", "N", "null", "Null", "NULL", "nUll", "~",
		"nulls", "yesno", "offset", "truth", "o", "f", "Ташкент", "aТ", "a#b", "a'b", "a\"b", "[a]",
		strings.Repeat("k", 128), strings.Repeat("k", 129),
	}
	for c := 0x20; c < 0x7f; c++ {
		keys = append(keys, "ke"+string(rune(c))+"y", string(rune(c))+"key")
	}
	for _, key := range keys {
		for _, sep := range []string{": ", ":   ", ":", ":v", " : ", "::", ": :"} {
			lines = append(lines, key+sep+"v", key+sep)
		}
	}
	for _, line := range lines {
		wantKey, wantRest, wantOK := simpleKey(line)
		doc := line + "\n"
		if wantOK && wantRest == "" {
			doc += "  nested: n\n"
		}
		root, ok := parseSimpleYAML([]byte(doc), &arena{})
		if wantOK && wantRest != "" && wantRest != "v" {
			continue // a value the fast parser may refuse on its own
		}
		if ok != wantOK {
			t.Errorf("%q: fast parser ok = %v, simpleKey ok = %v", doc, ok, wantOK)
			continue
		}
		if !ok {
			continue
		}
		if got := root.child(0).value(); got != wantKey {
			t.Errorf("%q: key %q, simpleKey's %q", doc, got, wantKey)
		}
		if wantRest != "" {
			if got := root.child(1).value(); got != wantRest {
				t.Errorf("%q: value %q, simpleKey's rest %q", doc, got, wantRest)
			}
		}
	}
}
