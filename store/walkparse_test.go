package store

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestWalkAndParseAsWalkThenParse: reading files while the walk finds
// them gives what walking first and reading after gives, in the same
// order: folders within folders, runs longer than walkRunSize, files
// between folders, a symlink, a hidden file, a file that does not load.
func TestWalkAndParseAsWalkThenParse(t *testing.T) {
	dir := t.TempDir()
	extra := map[string]string{
		"a-first.md":           everyKey,
		"y00/nested/deep.md":   "---\ntitle: Deep\ndate: 2024\nofficials: [x]\n---\n",
		"y00/zz-after.md":      "---\ntitle: After the folder\ndate: 2024\nofficials: [x]\n---\n",
		"y01/broken.md":        "no frontmatter\n",
		"y01/.hidden.md":       "---\ntitle: Hidden\n---\n",
		"y02/nested/more/m.md": "---\ntitle: M\ndate: 2024\nofficials: [x]\n---\n",
	}
	for i := range 300 {
		extra[fmt.Sprintf("y%02d/%03d.md", i%3, i)] = fmt.Sprintf("---\nid: b%d\ntitle: Briefing %d\ndate: 2024-01-%02d\nofficials: [x, y]\ntopics: [t%d]\n---\nBody.\n", i, i, 1+i%28, i%7)
	}
	for p, content := range extra {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("../a-first.md", filepath.Join(dir, "y01", "link.md")); err != nil {
		t.Fatal(err)
	}
	fsys := Dir(dir)

	w, err := findBriefings(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := parseAll(fsys, w, false, nil, false)
	w.close()
	ww, got, err := walkAndParse(fsys, false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ww.close()
	if len(got) != len(want) || len(want) < 300 {
		t.Fatalf("%d files, want %d (over 300)", len(got), len(want))
	}
	if !reflect.DeepEqual(ww.files, w.files) || !reflect.DeepEqual(ww.problems, w.problems) {
		t.Errorf("the walks differ:\n%q\n%q", ww.files, w.files)
	}
	for i := range want {
		g, wf := got[i], want[i]
		if g.path != wf.path || g.linked != wf.linked || !reflect.DeepEqual(g.problems, wf.problems) || (g.briefing == nil) != (wf.briefing == nil) {
			t.Fatalf("file %d: %s linked=%v %v %v, want %s linked=%v %v %v", i, g.path, g.linked, g.problems, g.briefing != nil, wf.path, wf.linked, wf.problems, wf.briefing != nil)
		}
		if wf.briefing != nil {
			checkLeaves(t, briefingLeaves(wf.briefing, nil), briefingLeaves(g.briefing, nil), nil, "walking and reading at once: "+g.path)
		}
	}
}

// TestWalkerEntries: the walker keeps each file's entry only once one is
// not nil (a walk of Dir on Linux keeps none), and gives every file's,
// nil or not, whatever the order they came in.
func TestWalkerEntries(t *testing.T) {
	e := fstest.MapFS{"a.md": {}, "b.md": {}}
	entries, err := fs.ReadDir(e, ".")
	if err != nil {
		t.Fatal(err)
	}
	a, b := entries[0], entries[1]
	for _, tc := range []struct {
		name string
		add  []fs.DirEntry
		kept int // entries the walker holds
	}{
		{"none", []fs.DirEntry{nil, nil, nil}, 0},
		{"all", []fs.DirEntry{a, b}, 2},
		{"late", []fs.DirEntry{nil, nil, a, nil}, 4},
		{"first", []fs.DirEntry{b, nil, nil}, 3},
		{"empty", nil, 0},
	} {
		w := &walker{}
		for i, e := range tc.add {
			w.add(fmt.Sprint(i), e, false)
		}
		if len(w.entries) != tc.kept {
			t.Errorf("%s: holds %d entries, want %d", tc.name, len(w.entries), tc.kept)
		}
		for i, want := range tc.add {
			if got := w.entry(i); got != want {
				t.Errorf("%s: entry(%d) = %v, want %v", tc.name, i, got, want)
			}
		}
		if got := w.entry(len(tc.add)); got != nil {
			t.Errorf("%s: entry past the end = %v", tc.name, got)
		}
	}
}

// TestWalkerJoinKeepsPathsInSmallBlocks: join gives path.Join of a
// folder and a name, short or longer than a block, and what it gave
// before stays as it was; short paths go into blocks the garbage
// collector marks in place (smallBlock, see pack).
func TestWalkerJoinKeepsPathsInSmallBlocks(t *testing.T) {
	tests := []struct{ dir, name, want string }{
		{".", "a.md", "a.md"},
		{"2024", "b.md", "2024/b.md"},
		{"2024/05", strings.Repeat("n", 40) + ".md", "2024/05/" + strings.Repeat("n", 40) + ".md"},
		{strings.Repeat("d", pathBlock), "c.md", strings.Repeat("d", pathBlock) + "/c.md"},
		{".", strings.Repeat("e", pathBlock+1), strings.Repeat("e", pathBlock+1)},
	}
	var w walker
	var got, want []string
	for range 30 { // enough to fill several blocks
		for _, tt := range tests {
			p := w.join(tt.dir, []byte(tt.name))
			if p != tt.want {
				t.Fatalf("join(%q, %q) = %q, want %q", tt.dir, tt.name, p, tt.want)
			}
			if fresh := w.paths.Len() == len(p); fresh && len(p) <= smallBlock && w.paths.Cap() > smallBlock {
				t.Fatalf("join(%q, %q) made a block of %d bytes", tt.dir, tt.name, w.paths.Cap())
			}
			got, want = append(got, p), append(want, tt.want)
		}
	}
	if !slices.Equal(got, want) {
		t.Error("a path join gave changed afterwards")
	}
}
