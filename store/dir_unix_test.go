//go:build unix

package store

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

// readDirOnly is a Dir that lists folders the way any fs.FS does
// (fs.ReadDir), not as Dir.openDir does.
type readDirOnly struct{ d Dir }

func (r readDirOnly) Open(name string) (fs.File, error)          { return r.d.Open(name) }
func (r readDirOnly) ReadDir(name string) ([]fs.DirEntry, error) { return r.d.ReadDir(name) }
func (r readDirOnly) Stat(name string) (fs.FileInfo, error)      { return r.d.Stat(name) }
func (r readDirOnly) leavesRoot(name string) bool                { return r.d.leavesRoot(name) }

// TestWalkAsReadDir: walking a folder on disk finds what walking it
// through fs.ReadDir finds, in the same order, with the same warnings:
// names that sort by their bytes (case, punctuation, UTF-8 and names that
// are not), hidden entries, a named pipe and other files that are not
// briefings, symlinks to files, to folders, looping, leading out,
// broken, and folders of many entries with long names (more than one
// read of the folder, and more than its first buffer holds).
func TestWalkAsReadDir(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "corpus")
	files := []string{"a.md", "B.md", "Z.MD", "_x.md", "a-b.Md", "é.md", "e\xcc\x81.md", "caf\xe9.md", "notes.txt", ".hidden.md",
		".h/in.md", "sub/b.md", "sub/deeper/c.md", "sub/.e.md", "d\xff/x.md", "md", ".md", "x.mdx", "sub/deeper/more/d.md"}
	for i := range 300 {
		files = append(files, fmt.Sprintf("big/%s-%04d.md", strings.Repeat("n", 150), i))
	}
	for _, p := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("---\ntitle: T\n---\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "out.md"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"link.md": "a.md", "sub/up": "..", "self": ".", "more": ".h", "again": "sub",
		"gone.md": "no-such.md", "out.md": filepath.Join(root, "out.md"), "outdir": root,
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}

	w, err := findBriefings(Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	w.close()
	want, err := findBriefings(readDirOnly{Dir(dir)})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.files) < 300 || len(want.problems) < 5 {
		t.Fatalf("the folder gives %d files and %d problems, want over 300 and 5", len(want.files), len(want.problems))
	}
	for name, pair := range map[string][2]any{
		"files":    {w.files, want.files},
		"linked":   {w.linked, want.linked},
		"problems": {w.problems, want.problems},
		"dirs":     {w.dirs, want.dirs},
		"stamps":   {w.stamps, want.stamps},
		"refused":  {w.refused, want.refused},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s differ:\n got %q\nwant %q", name, pair[0], pair[1])
		}
	}
}
