package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/brief-tools/brief/render/theme"
)

func TestParse(t *testing.T) {
	const path = "/home/u/.config/brief/config.yaml"
	tests := []struct {
		name     string
		data     string
		theme    theme.Name
		warnings []string
	}{
		{"empty", "", "", nil},
		{"only comments", "# nothing yet\n", "", nil},
		{"dark", "theme: dark\n", theme.Dark, nil},
		{"light, with a comment", "# mine\ntheme: light   # a light terminal\n", theme.Light, nil},
		{"auto", "theme: auto\n", theme.Auto, nil},
		{"quoted", "theme: \"light\"\n", theme.Light, nil},
		{"a wrong value", "theme: blue\n", "", []string{path + `:1: theme "blue" is not auto, dark or light; ignored`}},
		{"an empty value", "theme:\n", "", []string{path + `:1: theme is empty: write auto, dark or light; ignored`}},
		{"a list", "theme: [dark]\n", "", []string{path + `:1: theme must be auto, dark or light, not a list; ignored`}},
		{"an unknown key, the rest still counts", "colour: red\ntheme: light\n", theme.Light,
			[]string{path + `:1: unknown setting "colour" (known: dir, order, theme); ignored`}},
		{"twice", "theme: dark\ntheme: light\n", theme.Light,
			[]string{path + `:2: theme is set twice (first on line 1); the last one counts`}},
		{"not a mapping", "- theme\n", "", []string{path + `:1: the file must be a mapping of settings (key: value), not a list; ignored`}},
		{"a scalar", "dark\n", "", []string{path + `:1: the file must be a mapping of settings (key: value), not "dark"; ignored`}},
		{"a syntax error, scanner", "theme: dark\n  bad: x\n", "", []string{path + `:2: YAML syntax error: mapping values are not allowed in this context; the file is ignored`}},
		{"a syntax error, parser", "x:\n  - a\n - b\n", "", []string{path + `:3: YAML syntax error: did not find expected key; the file is ignored`}},
		{"a tab", "\ttheme: dark\n", "", []string{path + `: YAML syntax error: found character that cannot start any token; the file is ignored`}},
	}
	for _, tt := range tests {
		c := Parse(path, []byte(tt.data))
		var got []string
		for _, w := range c.Warnings {
			got = append(got, w.String())
		}
		if c.Theme != tt.theme || !slices.Equal(got, tt.warnings) {
			t.Errorf("%s: theme %q, warnings %q; want %q, %q", tt.name, c.Theme, got, tt.theme, tt.warnings)
		}
	}
}

func TestDirAndOrder(t *testing.T) {
	const path = "/home/u/.config/brief/config.yaml"
	t.Setenv("HOME", "/home/u")
	tests := []struct {
		name       string
		data       string
		dir, order string
		warnings   []string
	}{
		{"absolute", "dir: /srv/briefings\n", "/srv/briefings", "", nil},
		{"home", "dir: ~/briefings\n", "/home/u/briefings", "", nil},
		{"relative to the file", "dir: notes\n", "/home/u/.config/brief/notes", "", nil},
		{"someone else's home", "dir: ~bob/x\n", "", "", []string{path + `:1: dir "~bob/x": only ~/ (your own home folder) is understood; ignored`}},
		{"empty", "dir:\n", "", "", []string{path + `:1: dir is empty: write the folder of your briefings, such as ~/briefings; ignored`}},
		{"a list", "dir: [a, b]\n", "", "", []string{path + `:1: dir must be a folder, not a list; ignored`}},
		{"oldest", "order: oldest\n", "", "oldest", nil},
		{"Newest", "order: Newest\n", "", "newest", nil},
		{"a wrong order", "order: random\n", "", "", []string{path + `:1: order "random" is not newest or oldest; ignored`}},
		{"all three", "theme: dark\ndir: /b\norder: oldest\n", "/b", "oldest", nil},
	}
	for _, tt := range tests {
		c := Parse(path, []byte(tt.data))
		var got []string
		for _, w := range c.Warnings {
			got = append(got, w.String())
		}
		if c.Dir != tt.dir || c.Order != tt.order || !slices.Equal(got, tt.warnings) {
			t.Errorf("%s: dir %q, order %q, warnings %q; want %q, %q, %q", tt.name, c.Dir, c.Order, got, tt.dir, tt.order, tt.warnings)
		}
	}
}

func TestPath(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, "/x/brief/config.yaml"},
		{map[string]string{"HOME": "/h"}, "/h/.config/brief/config.yaml"},
		{map[string]string{"XDG_CONFIG_HOME": "relative", "HOME": "/h"}, "/h/.config/brief/config.yaml"},
		{map[string]string{}, ""},
	}
	for _, tt := range tests {
		if got := Path(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("Path(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if c := Load(filepath.Join(dir, "missing.yaml")); c.Theme != "" || len(c.Warnings) != 0 || c.Path != "" {
		t.Errorf("a missing file: %+v, want nothing", c)
	}
	if c := Load(""); c.Theme != "" || len(c.Warnings) != 0 {
		t.Errorf("no path: %+v, want nothing", c)
	}
	if c := Load(write("good.yaml", "theme: light\n")); c.Theme != theme.Light || len(c.Warnings) != 0 {
		t.Errorf("a good file: %+v", c)
	}
	big := write("big.yaml", "theme: light\n"+strings.Repeat("# padding\n", maxSize/10+1))
	if c := Load(big); c.Theme != "" || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0].String(), "larger than 64 KiB") {
		t.Errorf("a file too large: %+v", c)
	}
	if c := Load(dir); c.Theme != "" || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0].String(), "cannot read") {
		t.Errorf("a folder: %+v", c)
	}
}
