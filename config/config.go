// Package config reads brief's configuration file,
// $XDG_CONFIG_HOME/brief/config.yaml (by default ~/.config/brief/config.yaml).
//
// The file is optional and small: a YAML mapping of settings. Nothing in
// it can stop brief: a setting brief does not know, a value it cannot use
// or a file it cannot parse is a warning naming the file and line, and the
// rest of the file still counts. Each setting is declared once, in
// settings, with the function that reads it.
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/brief-tools/brief/render/theme"
	"gopkg.in/yaml.v3"
)

// maxSize bounds the file: a configuration file is a few lines.
const maxSize = 64 << 10

// Config is what the configuration file sets; the zero Config sets
// nothing.
type Config struct {
	// Theme is "auto", "dark" or "light", or "" when not set.
	Theme theme.Name
	// Dir is the briefing folder to read when neither --dir nor BRIEF_DIR
	// names one, or "" for the built-in briefings. A leading ~/ is the
	// home folder; a relative path is taken from the configuration
	// file's folder.
	Dir string
	// Order is the timeline's order, OrderNewest or OrderOldest, or ""
	// when not set (newest first).
	Order string
	// Path is the file that was read, "" when there was none.
	Path string
	// Warnings are what was wrong in the file and ignored.
	Warnings []Warning
}

// Warning is one thing in the file that brief ignored, and why.
type Warning struct {
	Path    string
	Line    int // 0 when it concerns the whole file
	Message string
}

func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.Path, w.Line, w.Message)
	}
	return fmt.Sprintf("%s: %s", w.Path, w.Message)
}

// The orders the timeline can have.
const (
	OrderNewest = "newest"
	OrderOldest = "oldest"
)

// setting reads one key's value into c, or says what is wrong with it.
type setting func(c *Config, value *yaml.Node) error

// settings are the keys the file may hold.
var settings = map[string]setting{
	"theme": func(c *Config, v *yaml.Node) error {
		name, ok := theme.Parse(v.Value)
		switch {
		case v.Kind != yaml.ScalarNode:
			return fmt.Errorf("theme must be auto, dark or light, not %s", describe(v))
		case v.Tag == "!!null":
			return errors.New("theme is empty: write auto, dark or light")
		case !ok:
			return fmt.Errorf("theme %s is not auto, dark or light", describe(v))
		}
		c.Theme = name
		return nil
	},
	"dir": func(c *Config, v *yaml.Node) error {
		switch {
		case v.Kind != yaml.ScalarNode:
			return fmt.Errorf("dir must be a folder, not %s", describe(v))
		case v.Tag == "!!null" || strings.TrimSpace(v.Value) == "":
			return errors.New("dir is empty: write the folder of your briefings, such as ~/briefings")
		}
		dir, err := expandDir(v.Value, c.Path)
		if err != nil {
			return err
		}
		c.Dir = dir
		return nil
	},
	"order": func(c *Config, v *yaml.Node) error {
		switch {
		case v.Kind != yaml.ScalarNode:
			return fmt.Errorf("order must be newest or oldest, not %s", describe(v))
		case v.Tag == "!!null":
			return errors.New("order is empty: write newest or oldest")
		}
		switch o := strings.ToLower(strings.TrimSpace(v.Value)); o {
		case OrderNewest, OrderOldest:
			c.Order = o
			return nil
		}
		return fmt.Errorf("order %s is not newest or oldest", describe(v))
	},
}

// expandDir makes the dir setting a path: ~/ is the home folder, and a
// relative path is taken from the folder of the file that says it.
func expandDir(dir, file string) (string, error) {
	dir = strings.TrimSpace(dir)
	switch {
	case dir == "~" || strings.HasPrefix(dir, "~/"):
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("dir %q: no home folder to start from (%v)", clip(dir), err)
		}
		return filepath.Join(home, dir[1:]), nil
	case strings.HasPrefix(dir, "~"):
		return "", fmt.Errorf("dir %q: only ~/ (your own home folder) is understood", clip(dir))
	case !filepath.IsAbs(dir) && file != "":
		return filepath.Join(filepath.Dir(file), dir), nil
	}
	return dir, nil
}

// Path gives where the configuration file is, from the environment read
// by getenv: $XDG_CONFIG_HOME/brief/config.yaml, else
// $HOME/.config/brief/config.yaml; "" when neither is set (a relative
// XDG_CONFIG_HOME is ignored, as the XDG specification says).
func Path(getenv func(string) string) string {
	if dir := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "brief", "config.yaml")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".config", "brief", "config.yaml")
	}
	return ""
}

// Load reads the configuration file at path. A missing file (or path "")
// sets nothing and is no warning.
func Load(path string) Config {
	if path == "" {
		return Config{}
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Config{}
	}
	c := Config{Path: path}
	if err != nil {
		return c.warn(0, "cannot read: %v; ignored", unwrap(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	switch {
	case err != nil:
		return c.warn(0, "cannot read: %v; ignored", unwrap(err))
	case len(data) > maxSize:
		return c.warn(0, "larger than %d KiB, which no configuration needs; ignored", maxSize>>10)
	}
	return Parse(path, data)
}

// Parse reads a configuration file's content; path names it in warnings.
func Parse(path string, data []byte) Config {
	c := Config{Path: path}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := errorLine(err)
		return c.warn(line, "YAML syntax error: %s; the file is ignored", msg)
	}
	if len(doc.Content) == 0 {
		return c // empty, or only comments
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return c.warn(root.Line, "the file must be a mapping of settings (key: value), not %s; ignored", describe(root))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		read, known := settings[k.Value]
		switch {
		case !known:
			c = c.warn(k.Line, "unknown setting %q (known: %s); ignored", clip(k.Value), strings.Join(names(), ", "))
			continue
		case seen[k.Value] > 0:
			c = c.warn(k.Line, "%s is set twice (first on line %d); the last one counts", k.Value, seen[k.Value])
		}
		seen[k.Value] = k.Line
		if err := read(&c, v); err != nil {
			c = c.warn(v.Line, "%v; ignored", err)
		}
	}
	return c
}

func (c Config) warn(line int, format string, args ...any) Config {
	c.Warnings = append(c.Warnings, Warning{Path: c.Path, Line: line, Message: fmt.Sprintf(format, args...)})
	return c
}

// names lists the known settings, sorted.
func names() []string {
	var out []string
	for k := range settings {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// describe names a value in a message.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "(empty)"
	}
	return fmt.Sprintf("%q", clip(n.Value))
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return s
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// errorLine pulls the line out of a yaml.v3 error ("yaml: line 3: ..."),
// 0 when it names none. yaml.v3 counts the lines of its parser's errors
// from 0 and those of its scanner's from 1.
func errorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n != 1 {
		return 0, msg
	}
	if i := strings.Index(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	if strings.HasPrefix(msg, "did not find expected") {
		line++
	}
	return line, msg
}
