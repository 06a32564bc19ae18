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
