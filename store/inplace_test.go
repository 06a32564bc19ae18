package store

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// TestParseKeepsNothingOfTheBuffer: a loading worker reads each file's
// frontmatter in place, in a buffer the next file overwrites, and keeps
// the values its parser builds (a single-quoted value with a doubled
// quote inside, every value yaml.v3 reads) in bytes of its arena the next
// file overwrites too. A briefing, its details and its problems must hold
// nothing of either: each comes out of the worker the same as out of a
// parse of its own.
func TestParseKeepsNothingOfTheBuffer(t *testing.T) {
	// Every key, and warnings (an unknown key, a draft, an unregistered
	// alias is not checked here).
	every := strings.Replace(everyKey, "mystery: kept", "mystery: kept\nsumary: typo", 1)
	for _, tc := range []struct{ name, first string }{
		{"plain", every},
		{"doubled quotes", strings.NewReplacer(
			"title: Every key", "title: 'Every ''key'''",
			"[trade, water]", "['trade''s', water]",
			"location: Astana", "location: 'Astana''s'",
			"note: worked out", "note: 'worked ''out'''",
			"label: Trade", "label: 'Trade''s'",
			"mystery: kept", "mystery: 'kept ''it'''",
		).Replace(every)},
		{"read by yaml.v3", strings.Replace(every, "other: kept too", "other: |\n  kept too", 1)},
		{"not ASCII", strings.NewReplacer("Every key", "Every kéy", "Astana", "Astanà", "worked out", "wörked out").Replace(every)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.first == every && tc.name != "plain" {
				t.Fatal("the variant changes nothing")
			}
			checkKeepsNothing(t, tc.first)
		})
	}
}

// checkKeepsNothing parses first in a worker's arena, then another file
// over it, and fails when its briefing or problems changed.
func checkKeepsNothing(t *testing.T, first string) {
	t.Helper()
	// The same length, every letter another, so that any byte the first
	// briefing still reads in the buffer shows (the keys change too: it
	// does not load, but it is read over the first).
	second := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r < 'z':
			return r + 1
		case r >= 'A' && r < 'Z':
			return r + 1
		}
		return r
	}, first)
	fsys := fstest.MapFS{"a.md": {Data: []byte(first)}, "b.md": {Data: []byte(second)}}

	alone, _ := parseFile(fsys, nil, "a.md", make([]byte, 16<<10), &arena{}, false)
	if alone.briefing == nil {
		t.Fatalf("a.md does not load: %v", alone.problems)
	}
	buf, a := make([]byte, 16<<10), &arena{inPlace: true}
	var got parsed
	got, buf = parseFile(fsys, nil, "a.md", buf, a, false)
	parseFile(fsys, nil, "b.md", buf, a, false) // over a.md's bytes (it need not load)
	if got.briefing == nil {
		t.Fatal("a.md does not load in the worker")
	}
	want, have := briefingLeaves(alone.briefing, nil), briefingLeaves(got.briefing, nil)
	checkLeaves(t, want, have, nil, "after the next file, the briefing read in place changed:")
	if !reflect.DeepEqual(got.problems, alone.problems) || len(got.problems) == 0 {
		t.Errorf("problems %v, want %v", got.problems, alone.problems)
	}
}

// TestReadCheckFindsForThatFileOnly: a worker's reads stop when the bytes
// read hold a closed frontmatter, and what that check found is kept for
// the parse of the same bytes. The next file read into the same buffer,
// of the same length, must be parsed for itself, whichever way it is
// read: checked as it is read, or read whole without the check (full).
func TestReadCheckFindsForThatFileOnly(t *testing.T) {
	// The same length, with lines that end elsewhere.
	first := "---\nid: first\ntitle: First of all\ndate: 2024-05-01\nofficials: [a]\n---\nbody\n"
	second := "---\nid: other-one\ntitle: Other\ndate: 2024-05-01\nofficials: [b, c]\n---\nbody\n"
	if len(first) != len(second) {
		t.Fatal("the two files must have the same length")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.md": first, "b.md": second})
	for _, full := range []bool{false, true} {
		buf, a := make([]byte, 16<<10), &arena{inPlace: true}
		got, buf := parseFile(Dir(dir), nil, "a.md", buf, a, false)
		if got.briefing == nil || got.briefing.ID != "first" {
			t.Fatalf("a.md gives %+v", got)
		}
		if a.found.data != nil {
			t.Error("what the read check found is kept after the parse")
		}
		a.found = plainHead{data: &buf[0], n: len(first), fm: frontmatter{yaml: []byte("id: stale\n"), firstLine: 2}}
		got, _ = parseFile(Dir(dir), nil, "b.md", buf, a, full)
		if got.briefing == nil || got.briefing.ID != "other-one" {
			t.Errorf("full %v: b.md, read over a.md, gives %+v", full, got.briefing)
		}
	}
}

// TestPlainValuesByLine: a value the fast parser reads from a line of
// printable ASCII is plain (cleanText would keep it as it is), even when
// another line of the block is not ASCII, as in a third of briefings,
// which name an official in Cyrillic. A value on a line that is not
// ASCII is not plain.
func TestPlainValuesByLine(t *testing.T) {
	data := []byte("---\ntitle: Talks\nofficials:\n  - Токаев\n  - saidov\ntopics: [water, 'трансграничные']\nnote: 'a ''b'''\n---\nbody\n")
	a := &arena{inPlace: true}
	a.reset(1)
	fm, ok := plainFrontmatter(data, a)
	if !ok {
		t.Fatal("not read as a plain file")
	}
	root, err := parseLinesOrYAML(fm.yaml, true, a)
	if err != nil || root.kind() != mapNode {
		t.Fatalf("parse: %v", err)
	}
	got := map[string]bool{}
	var walk func(n node)
	walk = func(n node) {
		if n.kind() == scalarNode {
			got[n.value()] = n.plain()
			return
		}
		for i := range n.len() {
			walk(n.child(i))
		}
	}
	walk(root)
	want := map[string]bool{"title": false, "Talks": true, "officials": false, "Токаев": false, "saidov": true,
		"topics": false, "water": false, "трансграничные": false, "note": false, "a 'b'": true}
	for v, plain := range want {
		if p, found := got[v]; !found || p != plain {
			t.Errorf("%q: plain %v (found %v), want %v", v, p, found, plain)
		}
	}
}
