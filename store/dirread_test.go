package store_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brief-tools/brief/store"
)

// TestDirReadsTheStartOfFiles loads, from a folder on disk, files that
// try the reading of a file's start: a briefing read whole in one go, a
// frontmatter longer than the first read, a closing line with trailing
// spaces, a file over the size limit whose frontmatter is short, and files
// that cannot load. Reading only their frontmatter or all of them, the
// outcome is the same.
func TestDirReadsTheStartOfFiles(t *testing.T) {
	valid := qaDoc(qaFields)
	tests := []struct {
		name, content string
		loads         bool
		want          []string // in the error when it does not load
	}{
		{"small.md", valid, true, nil},
		{"long-summary.md", qaDoc(qaFields + "summary: " + strings.Repeat("word ", 8000) + "\n"), true, nil},
		{"spaces.md", "---\n" + qaFields + "---  \nBody.\n", true, nil},
		{"dots.md", "---\n" + qaFields + "...\nBody.\n", true, nil},
		{"crlf.md", strings.ReplaceAll(valid, "\n", "\r\n"), true, nil},
		{"no-newline.md", "---\n" + qaFields + "---", true, nil},
		{"over.md", valid + strings.Repeat("x", store.MaxFileSize), false, []string{"4 MiB"}},
		{"empty.md", "", false, []string{"empty file"}},
		{"unclosed.md", "---\n" + qaFields, false, []string{"never closed"}},
		{"unclosed-long.md", "---\n" + qaFields + "summary: " + strings.Repeat("word ", 8000) + "\n", false, []string{"never closed"}},
	}
	dir := t.TempDir()
	for i, tc := range tests {
		content := strings.Replace(tc.content, "title:", "id: f"+string(rune('a'+i))+"\ntitle:", 1)
		if err := os.WriteFile(filepath.Join(dir, tc.name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, full := range []bool{false, true} {
		c, err := store.Load(store.Dir(dir), store.Options{Full: full})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tests {
			if got := qaBriefing(c, tc.name) != nil; got != tc.loads {
				t.Errorf("full=%v: %s loads = %v, want %v:\n%s", full, tc.name, got, tc.loads, qaProblemList(c.Problems()))
			}
			if !tc.loads && !qaHas(c.Problems(), tc.name, -1, store.Error, tc.want...) {
				t.Errorf("full=%v: %s: no error with %q:\n%s", full, tc.name, tc.want, qaProblemList(c.Problems()))
			}
		}
	}
}
