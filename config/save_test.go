package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSet(t *testing.T) {
	for _, tc := range []struct {
		name, before, want string
	}{
		{"a new file", "", "theme: light\n"},
		{"the key replaced, the rest kept", "# mine\ntheme: dark\nother: 1\n", "# mine\ntheme: light\nother: 1\n"},
		{"the key added to a file without a final newline", "# mine", "# mine\ntheme: light\n"},
		{"an indented key is not the setting", "nested:\n  theme: dark\n", "nested:\n  theme: dark\ntheme: light\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "brief", "config.yaml")
			if tc.before != "" {
				_ = os.MkdirAll(filepath.Dir(path), 0o755)
				_ = os.WriteFile(path, []byte(tc.before), 0o644)
			}
			if err := Set(path, "theme", "light"); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if c := Load(path); c.Theme != "light" {
				t.Errorf("read back: %q", c.Theme)
			}
		})
	}
	if err := Set(filepath.Join(t.TempDir(), "c.yaml"), "colour", "x"); err == nil {
		t.Errorf("an unknown setting was written")
	}
}
