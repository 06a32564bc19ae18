package store

import "testing"

// TestPlainValueWithoutHashes: told its text holds no '#', plainValue
// answers as plainScalar does.
func TestPlainValueWithoutHashes(t *testing.T) {
	for _, text := range []string{
		"plain", "a b c", "https://example.org/x", "a: b", "a:", "a:b", "x  ", "$8.9 billion",
		"-x", ":x", "a :b:", "long value with words and a final colon:",
	} {
		wantV, wantOK := plainScalar(text)
		if gotV, gotOK := plainValue(text, false); gotV != wantV || gotOK != wantOK {
			t.Errorf("plainValue(%q, false) = %q %v, want %q %v", text, gotV, gotOK, wantV, wantOK)
		}
	}
}

// TestHashFreeBlocks: plainFrontmatter says a block is free of '#' only
// when it is, wherever a '#' stands.
func TestHashFreeBlocks(t *testing.T) {
	for _, tc := range []struct {
		block string
		free  bool
	}{
		{"a: b\nc: d\n", true},
		{"a: b # c\n", false},
		{"a: b#c\n", false},
		{"# comment\na: b\n", false},
		{"a: [x, y]\nb: 'q'\n", true},
		{"a: b\n  # indented comment\n", false},
	} {
		a := &arena{inPlace: true}
		a.reset(1)
		data := []byte("---\n" + tc.block + "---\nBody # not the block.\n")
		if _, ok := plainFrontmatter(data, a); !ok {
			t.Fatalf("%q: not split", tc.block)
		}
		if a.hashFree != tc.free {
			t.Errorf("%q: hashFree %v, want %v", tc.block, a.hashFree, tc.free)
		}
	}
}

// TestSimpleKeySplits: simpleKey splits "key: rest", refusing the keys
// YAML reads as null or a boolean (of at most five letters, in any case)
// and keeping longer keys that start like them.
func TestSimpleKeySplits(t *testing.T) {
	for _, tc := range []struct {
		text, key, rest string
		ok              bool
	}{
		{"title: T", "title", "T", true},
		{"title:    T  x", "title", "T  x", true},
		{"title:", "title", "", true},
		{"title:x", "", "", false},
		{"true: x", "", "", false},
		{"FALSE: x", "", "", false},
		{"Off: x", "", "", false},
		{"y: x", "", "", false},
		{"n:", "", "", false},
		{"null: x", "", "", false},
		{"Yes: x", "", "", false},
		{"nulls: x", "nulls", "x", true},
		{"offset: 3", "offset", "3", true},
		{"topics: [a]", "topics", "[a]", true},
		{"falsey: x", "falsey", "x", true},
		{"officials:", "officials", "", true},
		{"1a: b", "", "", false},
		{"a b: c", "", "", false},
	} {
		key, rest, ok := simpleKey(tc.text)
		if key != tc.key || rest != tc.rest || ok != tc.ok {
			t.Errorf("simpleKey(%q) = %q %q %v, want %q %q %v", tc.text, key, rest, ok, tc.key, tc.rest, tc.ok)
		}
	}
}
