package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// namedFolder says how the user named the folder dir, for messages:
// "--dir X", "BRIEF_DIR=X", "dir: X (in FILE)" or X itself (an argument).
func (a *app) namedFolder(dir string) string {
	switch {
	case a.dir != "" && dir == a.dir:
		return "--dir " + dir
	case a.dir == "" && dir == a.env.Getenv("BRIEF_DIR"):
		return "BRIEF_DIR=" + dir
	case a.dir == "" && a.env.Getenv("BRIEF_DIR") == "" && a.cfg != nil && dir == a.cfg.Dir:
		return fmt.Sprintf("dir: %s (in %s)", dir, a.cfg.Path)
	}
	return dir
}

// checkFolder checks the folder the user named before anything is read
// from it: one that is not there, or a file, is a mistake in the command
// line (exit 2).
func (a *app) checkFolder(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return UsageError{fmt.Errorf("%s: no such folder", a.namedFolder(dir))}
	case err != nil:
		return fmt.Errorf("%s: %w", a.namedFolder(dir), unwrapPath(err))
	case !info.IsDir():
		return UsageError{fmt.Errorf("%s: not a folder but a file; give the folder that holds the .md briefings", a.namedFolder(dir))}
	}
	return nil
}

// noBriefings is the error for a folder that holds no .md file at all: a
// mistyped folder, or briefings saved under another extension, which it
// names.
func (a *app) noBriefings(dir string) error {
	msg := fmt.Sprintf("%s holds no briefings: no .md file in it or its subfolders", a.namedFolder(dir))
	if _, others := scanFolder(dir); len(others) > 0 {
		exts := make([]string, 0, len(others))
		for ext := range others {
			exts = append(exts, ext)
		}
		slices.SortFunc(exts, func(x, y string) int { return others[y] - others[x] })
		var parts []string
		for _, ext := range exts {
			parts = append(parts, fmt.Sprintf("%d %s %s", others[ext], ext, plural(others[ext], "file", "files")))
		}
		msg += fmt.Sprintf(". It has %s, but brief reads only .md files: rename the briefings to .md", joinAnd(parts))
	}
	return errors.New(msg)
}

// otherExtensions are extensions of files that may be briefings saved
// under another name.
var otherExtensions = []string{".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdx", ".txt"}

// scanFolder looks for .md files under dir as Load walks it: hidden
// files and folders skipped, symlinked folders followed once. It stops at
// the first .md file; when there is none, others counts the files under
// an extension that briefings may have been saved with.
func scanFolder(dir string) (hasMD bool, others map[string]int) {
	others = map[string]int{}
	var seen []os.FileInfo
	var walk func(dir string, depth int) bool
	walk = func(dir string, depth int) bool {
		info, err := os.Stat(dir)
		if err != nil || depth > 64 || slices.ContainsFunc(seen, func(s os.FileInfo) bool { return os.SameFile(s, info) }) {
			return false
		}
		seen = append(seen, info)
		entries, err := os.ReadDir(dir)
		if err != nil {
			return false
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			p := filepath.Join(dir, name)
			isDir := e.IsDir()
			if e.Type()&fs.ModeSymlink != 0 {
				info, err := os.Stat(p)
				if err != nil {
					continue
				}
				isDir = info.IsDir()
			}
			ext := strings.ToLower(filepath.Ext(name))
			switch {
			case isDir:
				if walk(p, depth+1) {
					return true
				}
			case ext == ".md" && len(name) > 3:
				return true
			case slices.Contains(otherExtensions, ext):
				others[ext]++
			}
		}
		return false
	}
	return walk(dir, 0), others
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
