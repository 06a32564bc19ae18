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

// TestKeyWordsAsBefore: simpleKey refuses a key as a null or boolean word
// exactly where its first letter's test did before keyWordStarts: over
// every word in every case, with every letter in place of its first.
func TestKeyWordsAsBefore(t *testing.T) {
	refusedBefore := func(key string) bool {
		c := key[0] | 0x20
		return len(key) <= 5 && (c == 'n' || c == 't' || c == 'f' || c == 'y' || c == 'o') && (isNullWord(key) || isBoolWord(key))
	}
	var keys []string
	for _, word := range []string{"y", "n", "no", "on", "yes", "off", "true", "null", "false", "nulls", "falsey", "x", "title", "note"} {
		for cases := range 1 << len(word) {
			b := []byte(word)
			for i := range b {
				if cases>>i&1 != 0 {
					b[i] &^= 0x20
				}
			}
			keys = append(keys, string(b))
			for c := range 256 {
				if keyByte[c] == keyStart {
					b[0] = byte(c)
					keys = append(keys, string(b))
				}
			}
		}
	}
	refused := 0
	for _, key := range keys {
		_, _, ok := simpleKey(key + ": v")
		if want := refusedBefore(key); !ok != want {
			t.Errorf("simpleKey(%q) refused = %v, want %v", key+": v", !ok, want)
		}
		if !ok {
			refused++
		}
	}
	if refused < 100 {
		t.Fatalf("only %d keys refused", refused)
	}
}
