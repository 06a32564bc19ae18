package store_test

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
)

// plainMutations are what a mutation puts into a frontmatter: every byte
// and line the one-pass reading of plain files treats apart.
var plainMutations = []string{
	"\t", "\r", "\r\n", "\x00", "\x01", "\x1b", "\x7f", "\x80", "\xc2\x85", "\xc2\xa0", "\xff", "\xe2\x80",
	"é", "Ж", "😀", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\ufffd", "\u202e", "\u200b",
	"\n", "\n\n", " ", "  ", "#", " #", ":", ": ", "-", "- ", "'", "''", "\"", "\\", "[", "]", ",", "{", "&a", "*a", "|", ">", "~",
	"\n---\n", "\n...\n", "\n--- \n", "\n---\t\n", "\n---\r\n", "\n---x\n", "\n....\n", "\n  ---\n", "---", "...",
	"\ntitle: again\n", "\n  - x\n", "\nfoo: bar\n", "\n   indented: x\n",
}

// TestParseDataAsBefore holds parseData, which reads plain files in one
// pass, to the stages it replaced, on generated briefings in several
// languages and on each of them mutated: every field, detail and
// problem the same.
func TestParseDataAsBefore(t *testing.T) {
	var files [][]byte
	for _, realistic := range []bool{false, true} {
		gen := storetest.Files(storetest.Options{Briefings: 60, Seed: 7, Realistic: realistic, Unregistered: 1})
		names := make([]string, 0, len(gen))
		for name := range gen {
			if strings.HasSuffix(name, ".md") {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		for _, name := range names {
			files = append(files, gen[name])
		}
	}
	if len(files) < 100 {
		t.Fatalf("generated %d files", len(files))
	}
	inputs := slices.Clone(files)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, f := range files {
		end := bytes.Index(f[4:], []byte("\n---\n")) + 4 + 5 // the closing line, and its LF
		if end < 9 {
			t.Fatalf("generated file without a closing line: %q", f[:min(len(f), 200)])
		}
		for range 40 {
			at := rng.IntN(end + 8)
			m := plainMutations[rng.IntN(len(plainMutations))]
			mutated := slices.Concat(f[:at], []byte(m), f[at:])
			if rng.IntN(3) == 0 { // or in place of what was there
				mutated = slices.Concat(f[:at], []byte(m), f[min(len(f), at+rng.IntN(6)):])
			}
			inputs = append(inputs, mutated)
		}
		// Two at once: one may stop the one-pass reading on a line, and
		// the other be on a line after it, which the slower reading
		// then reads.
		for range 20 {
			at, at2 := rng.IntN(end+8), rng.IntN(end+8)
			if at > at2 {
				at, at2 = at2, at
			}
			m, m2 := plainMutations[rng.IntN(len(plainMutations))], plainMutations[rng.IntN(len(plainMutations))]
			inputs = append(inputs, slices.Concat(f[:at], []byte(m), f[at:at2], []byte(m2), f[at2:]))
		}
		inputs = append(inputs, f[:end], f[:end-1], f[:end-2], append([]byte("\xef\xbb\xbf"), f...))
	}
	for _, s := range []string{"", "---", "---\n", "---\n---", "---\n...", "---\n--- \t\r", "---\n---\r\r\n", "---\n---\r \n", "---\r\n---\r\n", "\xef\xbb\xbf---\n---\n", "---\n\n\n---\n"} {
		inputs = append(inputs, []byte(s))
	}
	same := store.NewParsesAsBefore()
	for i, in := range inputs {
		for _, full := range []bool{false, true} {
			if d := same(in, full); d != "" {
				t.Fatalf("input %d (full %v) %q:\n%s", i, full, in[:min(len(in), 600)], d)
			}
		}
	}
}

// TestSlowReadingAfterPlainStops: a file the one-pass reading gives up
// on part way (a CR, a tab, a control character on some line) is read
// the slower way, and nothing the one-pass reading noted of its lines
// before it stopped (which are printable ASCII) may count then: a value
// on a later line that needs cleaning is cleaned, with its warning, as
// before.
func TestSlowReadingAfterPlainStops(t *testing.T) {
	const rest = "date: 2024-05-01\nofficials: [saidov]\n"
	same := store.NewParsesAsBefore()
	for _, tc := range []struct{ name, in string }{
		{"CRLF from the start, an override in the title", "---\r\nid: a\r\ntitle: x\u202ey\r\n" + strings.ReplaceAll(rest, "\n", "\r\n") + "---\r\nbody\r\n"},
		{"CRLF on the second line only", "---\nid: a\r\ntitle: x\u202ey\n" + rest + "---\nbody\n"},
		{"a zero-width space after a CRLF", "---\nkind: call\r\nlocation: As\u200btana\n" + rest + "title: T\n---\n"},
		{"a control character, then an override", "---\nid: a\x01b\ntitle: x\u202ey\n" + rest + "---\n"},
		{"a tab, then an override", "---\nid: a\ntitle:\tT\nsummary: x\u202ey\n" + rest + "---\n"},
		{"a DEL, then an override", "---\nid: a\x7f\ntitle: x\u202ey\n" + rest + "---\n"},
	} {
		for _, full := range []bool{false, true} {
			if d := same([]byte(tc.in), full); d != "" {
				t.Errorf("%s (full %v):\n%s", tc.name, full, d)
			}
		}
	}
}

// FuzzParseDataAsBefore is TestParseDataAsBefore on any bytes.
func FuzzParseDataAsBefore(f *testing.F) {
	gen := storetest.Files(storetest.Options{Briefings: 4, Seed: 9, Realistic: true})
	for name, data := range gen {
		if strings.HasSuffix(name, ".md") {
			f.Add(data)
		}
	}
	for _, s := range []string{"---\ntitle: T\ndate: 2024\nofficials: [a]\n---\n", "---\ntitle: T\n--- \t\r\n", "\xef\xbb\xbf---\na: b\n...\n"} {
		f.Add([]byte(s))
	}
	same := store.NewParsesAsBefore()
	f.Fuzz(func(t *testing.T, data []byte) {
		if d := same(data, true); d != "" {
			t.Fatalf("%q:\n%s", data, d)
		}
	})
}

// TestComplexKeysParseAsBefore: YAML lets a key be a list or a mapping
// ("? [a]"), which brief reads as a key with no text: as before, in the
// briefing and in each of its nested mappings (a container's value was
// once read as its text, past the end of the text parsed).
func TestComplexKeysParseAsBefore(t *testing.T) {
	same := store.NewParsesAsBefore()
	for _, tc := range []struct{ name, yaml string }{
		{"list key", "? [a, b]\n: c\n"},
		{"mapping key", "? {a: b}\n: c\n"},
		{"block mapping key", "?   published: 2021-07-03\n"},
		{"twice", "? [a]\n: b\n? [a]\n: c\n"},
		{"in dating", "dating:\n  ? [basis]\n  : stated\n"},
		{"in a figure", "figures:\n  - ? [label]\n    : x\n    value: y\n"},
		{"in a source", "sources:\n  - outlet: O\n    ? {url: u}\n    : v\n"},
		{"in a draft entry", "status: draft\ndraft:\n  - field: date\n    ? [found]\n    : x\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := "---\ntitle: T\ndate: 2024\nofficials: [a]\n" + tc.yaml + "---\nBody.\n"
			if d := same([]byte(in), true); d != "" {
				t.Errorf("%q:\n%s", in, d)
			}
		})
	}
}

// TestRegistryLoadsAsBefore holds LoadRegistry to the code of before the
// node tree held no pointers, on the built-in registry and on it mutated
// with every byte and line the fast parser treats apart.
func TestRegistryLoadsAsBefore(t *testing.T) {
	builtIn, err := fs.ReadFile(briefs.FS(), store.RegistryFile)
	if err != nil {
		t.Fatal(err)
	}
	inputs := [][]byte{builtIn, nil, []byte("[]"), []byte("- a\n- [b]\n"), []byte("a: b\n"), []byte("- id: a\n  name: [A\n")}
	// Each way an official can be written wrong, in the fast parser's
	// YAML and in yaml.v3's.
	for _, s := range []string{
		"- id: a\n  name: A A\n  country: X\n  aliases: [B, 'C''s', \"D\"]\n",
		"- id: a\n  name: ~\n  country: null\n  aliases: [~, '', x]\n",
		"- id: ~\n  name: A\n",
		"- id: a\n  name: [A]\n  country: {x: y}\n  aliases: {b: c}\n  roles: T\n",
		"- id: a\n  name: A\n  roles:\n    - T\n    - title: [T]\n      from: [2020]\n      note: {n: o}\n    - title: ~\n      to: 2019-13\n      x: y\n",
		"- id: a\n  name: A\n  country: X\n- id: a\n  name: B\n- id: A B\n  name: C\n- 5\n- [x]\n",
		"- id: a\n  name: A\n  aliases: [Same]\n- id: b\n  name: B\n  aliases: [same, ''  ]\n",
		"- id: a\n  name: |\n    A\n  country: >\n    X\n  aliases: &x [B]\n- id: b\n  name: B\n  aliases: *x\n",
		"- id: a\n  name: \"A\\e[2J\\u202eB\"\n  country: X\n  aliases: [\"C\\x9bD\"]\n",
		"- {id: a, name: A, country: X}\n- id: b\n  name: Ж\n  country: Қазақстан\n",
		"- ? [id]\n  : x\n  id: y\n  name: Y\n",
	} {
		inputs = append(inputs, []byte(s))
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 150 {
		at := rng.IntN(len(builtIn) + 1)
		m := plainMutations[rng.IntN(len(plainMutations))]
		mutated := slices.Concat(builtIn[:at], []byte(m), builtIn[at:])
		if rng.IntN(3) == 0 {
			mutated = slices.Concat(builtIn[:at], []byte(m), builtIn[min(len(builtIn), at+rng.IntN(6)):])
		}
		inputs = append(inputs, mutated)
	}
	same := store.NewRegistryLoadsAsBefore()
	for i, in := range inputs {
		if d := same(in); d != "" {
			t.Fatalf("input %d %q:\n%s", i, in[:min(len(in), 600)], d)
		}
	}
}

// FuzzRegistryLoadsAsBefore is TestRegistryLoadsAsBefore on any bytes.
func FuzzRegistryLoadsAsBefore(f *testing.F) {
	builtIn, err := fs.ReadFile(briefs.FS(), store.RegistryFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(builtIn)
	f.Add([]byte("- id: a\n  name: A\n  roles:\n    - title: T\n      from: 2020\n  aliases: ['A''s', b]\n"))
	same := store.NewRegistryLoadsAsBefore()
	f.Fuzz(func(t *testing.T, data []byte) {
		if d := same(data); d != "" {
			t.Fatalf("%q:\n%s", data, d)
		}
	})
}
