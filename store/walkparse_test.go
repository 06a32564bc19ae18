package store

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
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
