package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Set writes "key: value" into the configuration file at path: the key's
// line is replaced if it has one, every other line is kept as it is, and
// the file and its folder are made when missing. The file is written
// beside itself and renamed over, so that it is never seen half written.
func Set(path, key, value string) error {
	if path == "" {
		return errors.New("no configuration folder (set HOME or XDG_CONFIG_HOME)")
	}
	if _, ok := settings[key]; !ok {
		return fmt.Errorf("%s is not a setting", key)
	}
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("configuration: %w", unwrap(err))
	}
	line := []byte(key + ": " + value)
	lines := bytes.Split(data, []byte("\n"))
	found := false
	for i, l := range lines {
		name, _, ok := bytes.Cut(l, []byte(":"))
		if ok && string(bytes.TrimRight(name, " \t")) == key { // a top-level key: no indentation
			lines[i], found = line, true
		}
	}
	out := bytes.Join(lines, []byte("\n"))
	if !found {
		if len(out) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
			out = append(out, '\n')
		}
		out = append(out, line...)
		out = append(out, '\n')
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("configuration folder: %w", unwrap(err))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.yaml")
	if err != nil {
		return fmt.Errorf("configuration: %w", unwrap(err))
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return fmt.Errorf("configuration: %w", unwrap(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("configuration: %w", unwrap(err))
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("configuration: %w", unwrap(err))
	}
	return os.Rename(tmp.Name(), path)
}
