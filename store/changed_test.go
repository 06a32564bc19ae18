package store_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brief-tools/brief/store"
)

// TestBodyNeverMixesVersions: a body read after the file changed must not
// be shown under the frontmatter the corpus holds.
func TestBodyNeverMixesVersions(t *testing.T) {
	const original = "---\nid: a\ntitle: Old title\ndate: 2024-01-02\nofficials: [tokayev]\n---\n\nOld body.\n"
	tests := []struct {
		name     string
		change   func(t *testing.T, path string)
		wantErr  error
		alsoErr  error
		wantBody string
	}{
		{"untouched", func(*testing.T, string) {}, nil, nil, "Old body."},
		{"only the body changed", func(t *testing.T, p string) {
			write(t, p, strings.Replace(original, "Old body.", "New body.", 1))
		}, nil, nil, "New body."},
		{"the title changed", func(t *testing.T, p string) {
			write(t, p, strings.Replace(strings.Replace(original, "Old title", "New title", 1), "Old body.", "New body.", 1))
		}, store.ErrChanged, nil, ""},
		{"same size, one letter of the frontmatter", func(t *testing.T, p string) {
			write(t, p, strings.Replace(original, "Old title", "Odd title", 1))
		}, store.ErrChanged, nil, ""},
		{"a field added", func(t *testing.T, p string) {
			write(t, p, strings.Replace(original, "title:", "kind: talks\ntitle:", 1))
		}, store.ErrChanged, nil, ""},
		{"truncated while written", func(t *testing.T, p string) { write(t, p, "---\nid: a\n") }, store.ErrChanged, nil, ""},
		{"removed", func(t *testing.T, p string) {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		}, store.ErrChanged, fs.ErrNotExist, ""},
	}
	for _, cached := range []bool{false, true} {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				dir := t.TempDir()
				p := filepath.Join(dir, "a.md")
				write(t, p, original)
				opts := store.Options{Registry: qaRegistry(t)}
				if cached {
					opts.CachePath = filepath.Join(t.TempDir(), "index")
					if _, err := store.Load(store.Dir(dir), opts); err != nil { // writes the cache
						t.Fatal(err)
					}
				}
				c := qaLoad(t, store.Dir(dir), opts)
				b := c.ByID("a")
				if b == nil {
					t.Fatalf("not loaded: %v", c.Problems())
				}
				tc.change(t, p)
				body, _, err := c.Body(b)
				switch {
				case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
					t.Errorf("error %v, want %v", err, tc.wantErr)
				case tc.alsoErr != nil && !errors.Is(err, tc.alsoErr):
					t.Errorf("error %v, want it to be %v too", err, tc.alsoErr)
				case tc.wantErr == nil && err != nil:
					t.Errorf("error %v", err)
				case tc.wantErr == nil && strings.TrimSpace(body) != tc.wantBody:
					t.Errorf("body %q, want %q", body, tc.wantBody)
				case tc.wantErr != nil && body != "":
					t.Errorf("a body came with the error: %q", body)
				}
			})
		}
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
