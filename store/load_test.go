package store_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/brief-tools/brief/store"
)

// TestLoadMapFSWalk checks which files of an fs.FS are read as briefings.
func TestLoadMapFSWalk(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // loaded paths, sorted
	}{
		{
			name:  "top-level file",
			files: map[string]string{"a.md": qaValid},
			want:  []string{"a.md"},
		},
		{
			name:  "subfolders are read",
			files: map[string]string{"a.md": qaValid, "2024/b.md": qaValid, "2024/02/c.md": qaValid, "x/y/z/w/d.md": qaValid},
			want:  []string{"2024/02/c.md", "2024/b.md", "a.md", "x/y/z/w/d.md"},
		},
		{
			name:  "hidden files are skipped",
			files: map[string]string{"a.md": qaValid, ".draft.md": qaValid, "sub/.b.md": qaValid},
			want:  []string{"a.md"},
		},
		{
			name:  "hidden folders are skipped",
			files: map[string]string{"a.md": qaValid, ".git/x.md": qaValid, ".obsidian/y.md": qaValid, "sub/.trash/z.md": qaValid},
			want:  []string{"a.md"},
		},
		{
			name: "non-Markdown files are skipped",
			files: map[string]string{
				"a.md": qaValid, "notes.txt": qaValid, "README": qaValid, "b.md.bak": qaValid,
				"c.markdown": qaValid, "img.png": "\x89PNG\r\n\x1a\n\x00", "officials.yaml": "[]\n", "md": qaValid,
			},
			want: []string{"a.md"},
		},
		{
			name:  "a folder named like a briefing is walked, not read",
			files: map[string]string{"folder.md/inner.md": qaValid},
			want:  []string{"folder.md/inner.md"},
		},
		{
			name:  "empty folder",
			files: map[string]string{},
			want:  nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Give each file its own id, so that none is a duplicate.
			files := map[string]string{}
			for name, data := range tc.files {
				if data == qaValid {
					data = qaDoc("id: " + strings.NewReplacer("/", "_", ".", "_").Replace(name) + "\n" + qaFields)
				}
				files[name] = data
			}
			c := qaLoadFiles(t, files, store.Options{})
			var got []string
			for _, b := range c.Briefings() {
				got = append(got, b.Path)
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("loaded %q, want %q\n%s", got, tc.want, qaProblemList(c.Problems()))
			}
			if c.Seen() != len(tc.want) {
				t.Errorf("Seen() = %d, want %d", c.Seen(), len(tc.want))
			}
			if c.Errors() != 0 {
				t.Errorf("unexpected errors:\n%s", qaProblemList(c.Problems()))
			}
		})
	}
}

// TestLoadUnreadableRoot checks that Load returns an error only when the
// folder itself cannot be read.
func TestLoadUnreadableRoot(t *testing.T) {
	if _, err := store.Load(os.DirFS(filepath.Join(t.TempDir(), "missing")), store.Options{}); err == nil {
		t.Error("Load of a missing folder: got no error")
	}
	c, err := store.Load(qaFS(map[string]string{"a.md": ""}), store.Options{})
	if err != nil || c == nil {
		t.Fatalf("Load with a bad file returned error %v; want the corpus and a Problem", err)
	}
}

// qaWrite writes files under dir, creating folders.
func qaWrite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// qaSymlink makes a symlink or skips the test where the OS cannot.
func qaSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make symlinks here: %v", err)
	}
}

// qaLoadDirWithin loads a real folder, failing if it takes longer than a
// generous limit (a symlink loop would hang).
func qaLoadDirWithin(t *testing.T, dir string, opts store.Options) *store.Corpus {
	t.Helper()
	type result struct {
		c   *store.Corpus
		err error
	}
	done := make(chan result, 1)
	if opts.Registry == nil {
		opts.Registry = qaRegistry(t)
	}
	go func() {
		c, err := store.Load(store.Dir(dir), opts)
		done <- result{c, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("Load(%s): %v", dir, r.err)
		}
		qaCheckCounts(t, r.c)
		return r.c
	case <-time.After(30 * time.Second):
		t.Fatalf("Load(%s) did not finish in 30s: a symlink loop?", dir)
	}
	return nil
}

// TestLoadRealFolder checks walking a real folder, where the OS supplies
// symlinks, loops and hidden entries.
func TestLoadRealFolder(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		links map[string]string // link path -> target (relative to the link's folder, or absolute with {out})
		want  []string          // loaded paths, sorted
		warn  []string          // paths that must have a warning
		fails []string          // paths that must be rejected with an error
	}{
		{
			name:  "subfolders, hidden and non-Markdown entries",
			files: map[string]string{"a.md": "a", "sub/b.md": "b", "sub/deeper/c.md": "c", ".hidden/d.md": "d", "sub/.e.md": "e", "notes.txt": "f", "sub/g.yaml": "g"},
			want:  []string{"a.md", "sub/b.md", "sub/deeper/c.md"},
		},
		{
			name:  "a folder symlink pointing to its parent does not loop",
			files: map[string]string{"a.md": "a", "sub/b.md": "b"},
			links: map[string]string{"sub/up": ".."},
			want:  []string{"a.md", "sub/b.md"},
			warn:  []string{"sub/up"},
		},
		{
			name:  "a folder symlink pointing to itself does not loop",
			files: map[string]string{"a.md": "a"},
			links: map[string]string{"self": "."},
			want:  []string{"a.md"},
			warn:  []string{"self"},
		},
		{
			name:  "a symlink to a .md file in the folder is followed",
			files: map[string]string{"a.md": "a", ".shared/b.md": "b"},
			links: map[string]string{"linked.md": ".shared/b.md"},
			want:  []string{"a.md", "linked.md"},
		},
		{
			name:  "a symlink to a folder in the folder is walked",
			files: map[string]string{"a.md": "a", ".x/inner.md": "inner"},
			links: map[string]string{"sub/more": "../.x"},
			want:  []string{"a.md", "sub/more/inner.md"},
		},
		{
			name:  "a symlink to a .md file outside the folder is refused",
			files: map[string]string{"a.md": "a"},
			links: map[string]string{"linked.md": "{out}/real.md", "passwd.md": "/etc/passwd"},
			want:  []string{"a.md"},
			fails: []string{"linked.md", "passwd.md"},
		},
		{
			name:  "a symlink to a folder outside the folder is not walked",
			files: map[string]string{"a.md": "a"},
			links: map[string]string{"more": "{out}/folder", "up": "../outside"},
			want:  []string{"a.md"},
			warn:  []string{"more", "up"},
		},
		{
			name:  "a dangling symlink named .md is reported, not dropped",
			files: map[string]string{"a.md": "a"},
			links: map[string]string{"gone.md": "{out}/no-such-file.md"},
			want:  []string{"a.md"},
			fails: []string{"gone.md"},
		},
		{
			name:  "a symlink into a hidden folder is skipped when hidden itself",
			files: map[string]string{"a.md": "a", ".private/p.md": "p"},
			links: map[string]string{".link.md": ".private/p.md"},
			want:  []string{"a.md"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "corpus")
			out := filepath.Join(root, "outside")
			files := map[string]string{}
			for name, id := range tc.files {
				files[name] = qaDoc("id: " + id + "\n" + qaFields)
			}
			qaWrite(t, dir, files)
			qaWrite(t, out, map[string]string{
				"real.md":         qaDoc("id: linked\n" + qaFields),
				"folder/inner.md": qaDoc("id: inner\n" + qaFields),
			})
			for link, target := range tc.links {
				target = strings.ReplaceAll(target, "{out}", out)
				qaSymlink(t, filepath.FromSlash(target), filepath.Join(dir, filepath.FromSlash(link)))
			}
			c := qaLoadDirWithin(t, dir, store.Options{})
			var got []string
			for _, b := range c.Briefings() {
				got = append(got, b.Path)
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("loaded %q, want %q\n%s", got, tc.want, qaProblemList(c.Problems()))
			}
			for _, p := range tc.warn {
				if len(qaFind(c.Problems(), p, store.Warning)) == 0 {
					t.Errorf("no warning for %s\n%s", p, qaProblemList(c.Problems()))
				}
			}
			for _, p := range tc.fails {
				if len(qaFind(c.Problems(), p, store.Error)) == 0 {
					t.Errorf("no error for %s\n%s", p, qaProblemList(c.Problems()))
				}
			}
			if want := len(tc.want) + len(tc.fails); c.Seen() != want {
				t.Errorf("Seen() = %d, want %d", c.Seen(), want)
			}
			if len(tc.fails) == 0 && c.Errors() != 0 {
				t.Errorf("unexpected errors:\n%s", qaProblemList(c.Problems()))
			}
		})
	}
}

// TestLoadFolderRegistry checks that a folder's own officials.yaml is used
// in place of the one given in Options.
func TestLoadFolderRegistry(t *testing.T) {
	reg := "- id: someone\n  name: Some One\n  country: Nowhere\n  aliases: [S. One]\n"
	files := map[string]string{
		store.RegistryFile: reg,
		"a.md":             qaDoc("title: T\ndate: 2024\nofficials: [S. One, tokayev]\n"),
	}
	c := qaLoadFiles(t, files, store.Options{})
	b := qaBriefing(c, "a.md")
	if b == nil {
		t.Fatalf("a.md not loaded:\n%s", qaProblemList(c.Problems()))
	}
	if o := b.Officials[0].Official; o == nil || o.ID != "someone" {
		t.Errorf("S. One resolved to %v, want the folder registry's someone", o)
	}
	if o := b.Officials[1].Official; o != nil {
		t.Errorf("tokayev resolved to %v through the folder registry, which does not list him", o.ID)
	}
	if !qaHas(c.Problems(), "a.md", 4, store.Warning, "tokayev", "not in the registry") {
		t.Errorf("no warning for the unknown official:\n%s", qaProblemList(c.Problems()))
	}
	if got := c.Registry().Officials(); len(got) != 1 || got[0].ID != "someone" {
		t.Errorf("Registry() = %v, want the folder's", got)
	}
}

// qaSnapshot records every entry under dir: content and modification time
// of files, targets of symlinks.
type qaEntry struct {
	mode    fs.FileMode
	data    []byte
	modTime time.Time
}

func qaSnapshot(t *testing.T, dir string) map[string]qaEntry {
	t.Helper()
	snap := map[string]qaEntry{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		e := qaEntry{mode: info.Mode(), modTime: info.ModTime()}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			e.data = []byte(target)
		case info.Mode().IsRegular():
			if e.data, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		snap[p] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// TestLoadNeverWrites checks that loading, checking and reading bodies
// leave the folder exactly as it was.
func TestLoadNeverWrites(t *testing.T) {
	for _, full := range []bool{false, true} {
		name := "lazy"
		if full {
			name = "full"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			qaWrite(t, dir, map[string]string{
				"a.md":                  qaDoc("id: a\n" + qaFields),
				"crlf.md":               strings.ReplaceAll(qaDoc("id: crlf\n"+qaFields), "\n", "\r\n"),
				"bom.md":                "\xef\xbb\xbf" + qaDoc("id: bom\n"+qaFields),
				"sub/dirty.md":          qaDoc("id: dirty\ntitle: \"T\\e[2J\"\ndate: 2024\nofficials: [tokayev]\n") + "\x1b[31m &#27; \u202e" + strings.Repeat("x", 5000) + "\n",
				"sub/bad.md":            "---\ntitle: never closed\n",
				"empty.md":              "",
				".hidden/h.md":          qaValid,
				"notes.txt":             "text",
				store.RegistryFile:      "- id: tokayev\n  name: Kassym-Jomart Tokayev\n  country: Kazakhstan\n",
				"sub/deeper/invalid.md": qaDoc("id: inv\ntitle: \"caf\xe9\"\ndate: 2024\nofficials: [x]\n"),
			})
			// Old modification times: a write would show as a change.
			old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
			_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil {
					_ = os.Chtimes(p, old, old)
				}
				return nil
			})
			before := qaSnapshot(t, dir)
			c := qaLoadDirWithin(t, dir, store.Options{Full: full})
			for _, b := range c.Briefings() {
				if _, _, err := c.Body(b); err != nil {
					t.Errorf("Body(%s): %v", b.Path, err)
				}
			}
			after := qaSnapshot(t, dir)
			for p, e := range before {
				a, ok := after[p]
				switch {
				case !ok:
					t.Errorf("%s was removed", p)
				case a.mode != e.mode:
					t.Errorf("%s: mode changed from %v to %v", p, e.mode, a.mode)
				case !bytes.Equal(a.data, e.data):
					t.Errorf("%s: content changed", p)
				case !a.modTime.Equal(e.modTime):
					t.Errorf("%s: mtime changed from %v to %v", p, e.modTime, a.modTime)
				}
			}
			for p := range after {
				if _, ok := before[p]; !ok {
					t.Errorf("%s was created", p)
				}
			}
		})
	}
}

// TestLoadSymlinkFanOut checks that symlinks leading to the same folders
// again and again (a chain of folders each linking twice to the next) are
// read once, not once per path: 2^30 paths would never finish.
func TestLoadSymlinkFanOut(t *testing.T) {
	root := t.TempDir()
	const levels = 30
	// The chain is inside the folder (symlinks out of it are refused), in
	// a hidden folder that is read only through the links.
	dir := func(i int) string { return filepath.Join(root, ".chain", "d"+strings.Repeat("x", i)) }
	for i := 0; i <= levels; i++ {
		if err := os.MkdirAll(dir(i), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < levels; i++ {
		qaSymlink(t, dir(i+1), filepath.Join(dir(i), "left"))
		qaSymlink(t, dir(i+1), filepath.Join(dir(i), "right"))
	}
	qaWrite(t, dir(levels), map[string]string{"deep.md": qaValid})
	qaWrite(t, root, map[string]string{"top.md": qaValid})
	qaSymlink(t, dir(0), filepath.Join(root, "start"))
	c := qaLoadDirWithin(t, root, store.Options{})
	if c.Seen() != 2 || len(c.Briefings()) != 2 || c.Errors() != 0 {
		t.Errorf("seen %d, loaded %d; want the two files once each\n%s", c.Seen(), len(c.Briefings()), qaProblemList(c.Problems()))
	}
	if !qaHas(c.Problems(), "start/right", -1, store.Warning, "already read") {
		t.Errorf("no warning for the second link:\n%s", qaProblemList(c.Problems()))
	}
}
