package store

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// age sets the time of every file and folder under dir to the same time long ago, as
// a folder not touched for a while is (what was just written is racy,
// and the id index never trusts it).
func age(t *testing.T, dir string) {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		paths = append(paths, p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	then := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) // the same each time
	for _, p := range slices.Backward(paths) {          // folders after what they hold
		if err := os.Chtimes(p, then, then); err != nil {
			t.Fatal(err)
		}
	}
}

func withBody(id string) string { return cacheBriefingWith(id) + "The body of " + id + ".\n" }

func idsFolder(t *testing.T) (dir string, opts Options) {
	t.Helper()
	dir = t.TempDir()
	writeFiles(t, dir, map[string]string{
		"2024/talks.md":      withBody("2024-02-19-talks"),
		"2024/visit.md":      withBody("2024-03-01-visit"),
		"2025/forum.md":      withBody("2025-05-05-forum"),
		"2025/broken.md":     "---\ntitle: [unclosed\n---\n",
		"2025/deep/later.md": withBody("2025-06-01-later"),
	})
	age(t, dir)
	return dir, Options{Name: "test", CachePath: filepath.Join(t.TempDir(), "index")}
}

func TestFindCachedGivesWhatLoadGives(t *testing.T) {
	dir, opts := idsFolder(t)
	full, err := Load(Dir(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range full.Briefings() {
		c, b, ok := FindCached(Dir(dir), want.ID, opts)
		if !ok {
			t.Fatalf("FindCached(%q): not found through the id index", want.ID)
		}
		got, wantPlain := *b, *want
		got.Officials, wantPlain.Officials = nil, nil
		if !reflect.DeepEqual(got, wantPlain) {
			t.Errorf("FindCached(%q) = %+v\nLoad gives %+v", want.ID, got, wantPlain)
		}
		if len(b.Officials) != len(want.Officials) {
			t.Fatalf("%s: %d officials, Load has %d", b.ID, len(b.Officials), len(want.Officials))
		}
		for i := range b.Officials {
			if b.Officials[i].Display() != want.Officials[i].Display() {
				t.Errorf("%s: official %d is %q, Load resolves %q", b.ID, i, b.Officials[i].Display(), want.Officials[i].Display())
			}
		}
		if c.Seen() != full.Seen() || c.Rejected() != full.Rejected() {
			t.Errorf("%s: seen %d rejected %d, Load counts %d and %d", b.ID, c.Seen(), c.Rejected(), full.Seen(), full.Rejected())
		}
		body, _, err := c.Body(b)
		wantBody, _, _ := full.Body(want)
		if err != nil || body != wantBody {
			t.Errorf("%s: body %q (%v), Load's %q", b.ID, body, err, wantBody)
		}
	}
}

// TestFindCachedFallsBack: whenever the index cannot answer for certain,
// FindCached says so and the caller loads the folder.
func TestFindCachedFallsBack(t *testing.T) {
	tests := []struct {
		name   string
		id     string
		change func(t *testing.T, dir string, opts Options)
	}{
		{name: "a prefix", id: "2024-02"},
		{name: "an unknown id", id: "2023-01-01-none"},
		{name: "no id", id: ""},
		{name: "no index", id: "2024-02-19-talks", change: func(t *testing.T, dir string, opts Options) {
			os.Remove(opts.CachePath + idsSuffix)
		}},
		{name: "a damaged index", id: "2024-02-19-talks", change: func(t *testing.T, dir string, opts Options) {
			data, _ := os.ReadFile(opts.CachePath + idsSuffix)
			os.WriteFile(opts.CachePath+idsSuffix, data[:len(data)/2], 0o600)
		}},
		{name: "another build's index", id: "2024-02-19-talks", change: func(t *testing.T, dir string, opts Options) {
			data, _ := os.ReadFile(opts.CachePath + idsSuffix)
			stamp := BuildStamp()
			os.WriteFile(opts.CachePath+idsSuffix, []byte(strings.Replace(string(data), stamp, strings.Repeat("x", len(stamp)), 1)), 0o600)
		}},
		{name: "the file edited", id: "2024-02-19-talks", change: func(t *testing.T, dir string, opts Options) {
			writeFiles(t, dir, map[string]string{"2024/talks.md": "---\nid: 2024-02-19-talks\ntitle: Talks again\ndate: 2024\n---\n"})
			age(t, dir)
		}},
		{name: "the file edited, same size and time", id: "2024-02-19-talks", change: func(t *testing.T, dir string, opts Options) {
			info, _ := os.Stat(filepath.Join(dir, "2024/talks.md"))
			writeFiles(t, dir, map[string]string{"2024/talks.md": strings.Replace(withBody("2024-02-19-talks"), "title: T", "title: U", 1)})
			os.Chtimes(filepath.Join(dir, "2024/talks.md"), info.ModTime(), info.ModTime())
		}},
		{name: "the id moved to another file", id: "2024-02-19-talks", change: func(t *testing.T, dir string, opts Options) {
			os.Rename(filepath.Join(dir, "2024/talks.md"), filepath.Join(dir, "2024/renamed.md"))
			age(t, dir)
		}},
		{name: "a file added beside it", id: "2024-02-19-talks", change: func(t *testing.T, dir string, opts Options) {
			writeFiles(t, dir, map[string]string{"2024/again.md": withBody("2024-02-19-talks")})
			age(t, filepath.Join(dir, "2024/again.md")) // its folder's time is now
		}},
		{name: "a file added in a subfolder", id: "2024-02-19-talks", change: func(t *testing.T, dir string, opts Options) {
			writeFiles(t, dir, map[string]string{"2025/deep/again.md": withBody("2024-02-19-talks")})
			age(t, filepath.Join(dir, "2025/deep/again.md")) // its folder's time is now
		}},
		{name: "a folder just changed", id: "2024-02-19-talks", change: func(t *testing.T, dir string, opts Options) {
			writeFiles(t, dir, map[string]string{"2025/new.md": cacheBriefingWith("2025-09-09-new")})
			if _, err := Load(Dir(dir), opts); err != nil { // written again while 2025 is racy
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, opts := idsFolder(t)
			if _, err := Load(Dir(dir), opts); err != nil {
				t.Fatal(err)
			}
			if _, _, ok := FindCached(Dir(dir), "2024-02-19-talks", opts); !ok {
				t.Fatal("FindCached does not find the id before the change")
			}
			if tt.change != nil {
				tt.change(t, dir, opts)
			}
			if c, b, ok := FindCached(Dir(dir), tt.id, opts); ok {
				t.Errorf("FindCached(%q) answers %s (%d seen) instead of falling back", tt.id, b.Path, c.Seen())
			}
		})
	}
}

// TestFindCachedAfterDuplicates: an id two files give is left to Load.
func TestFindCachedAfterDuplicates(t *testing.T) {
	dir, opts := idsFolder(t)
	writeFiles(t, dir, map[string]string{"2025/copy.md": cacheBriefingWith("2025-05-05-forum")})
	age(t, dir)
	full, err := Load(Dir(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := FindCached(Dir(dir), "2025-05-05-forum", opts); ok {
		t.Error("FindCached answers for an id two files give")
	}
	c, _, ok := FindCached(Dir(dir), "2024-03-01-visit", opts)
	if !ok {
		t.Fatal("FindCached does not find another id")
	}
	if c.Rejected() != full.Rejected() || c.Seen() != full.Seen() {
		t.Errorf("counts %d seen, %d rejected; Load's %d and %d", c.Seen(), c.Rejected(), full.Seen(), full.Rejected())
	}
}

// TestLoadWritesTheIDIndexOnceTrusted: a load that found a folder too
// recent to trust writes the id index again once it can be.
func TestLoadWritesTheIDIndexOnceTrusted(t *testing.T) {
	dir, opts := idsFolder(t)
	writeFiles(t, dir, map[string]string{"2025/new.md": cacheBriefingWith("2025-09-09-new")})
	if _, err := Load(Dir(dir), opts); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := FindCached(Dir(dir), "2024-02-19-talks", opts); ok {
		t.Fatal("a folder changed just now is trusted")
	}
	age(t, dir)
	if _, err := Load(Dir(dir), opts); err != nil { // the cache is as it was; the id index is not
		t.Fatal(err)
	}
	if _, _, ok := FindCached(Dir(dir), "2025-09-09-new", opts); !ok {
		t.Error("the id index was not written again once the folder could be trusted")
	}
}
