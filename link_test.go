package main

import (
	"os/exec"
	"strings"
	"testing"
)

// linked is one package linked into brief.
type linked struct {
	pkg    string
	module string // the module's path, with " => " and its replacement if replaced
}

// linkedPackages lists the packages linked into brief.
func linkedPackages(t *testing.T) []linked {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f",
		`{{.ImportPath}} {{with .Module}}{{.Path}}{{with .Replace}} => {{.Path}}{{end}}{{end}}`, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var pkgs []linked
	for line := range strings.Lines(string(out)) {
		pkg, module, _ := strings.Cut(strings.TrimSpace(line), " ")
		pkgs = append(pkgs, linked{pkg, module})
	}
	return pkgs
}

// checkStandIn fails the test when a package of module is linked from
// anywhere but its stand-in, or when one of the packages its stand-in
// keeps out (those under each of banned) is linked, and when no package
// of module is linked at all (the stand-in is then no longer needed).
func checkStandIn(t *testing.T, module, standIn string, banned map[string]string) {
	t.Helper()
	uses := 0
	for _, l := range linkedPackages(t) {
		for prefix, why := range banned {
			if l.pkg == prefix || strings.HasPrefix(l.pkg, prefix+"/") {
				t.Errorf("%s is linked (%s)", l.pkg, why)
			}
		}
		if l.module == module || strings.HasPrefix(l.module, module+" ") {
			uses++
			if want := module + " => " + standIn; l.module != want {
				t.Errorf("%s is linked from %s, not from the stand-in %s", l.pkg, l.module, standIn)
			}
		}
	}
	if uses == 0 {
		t.Errorf("glamour no longer needs %s: drop %s and its replace in go.mod", module, standIn)
	}
}

// TestChromaIsNotLinked: brief is built with third_party/chroma-unlinked
// in place of chroma (see go.mod), so none of chroma's lexers, styles or
// formatters, nor the regular expression engine they run on, is linked
// into brief, and their package initialisation does not run at start-up.
func TestChromaIsNotLinked(t *testing.T) {
	checkStandIn(t, "github.com/alecthomas/chroma/v2", "./third_party/chroma-unlinked", map[string]string{
		"github.com/dlclark/regexp2": "chroma's regular expressions",
	})
}

// TestBluemondayIsNotLinked: brief is built with
// third_party/bluemonday-unlinked in place of bluemonday (see go.mod), so
// neither bluemonday's sanitizer nor the CSS parsers it imports are linked
// into brief, and their package initialisation does not run at start-up.
func TestBluemondayIsNotLinked(t *testing.T) {
	checkStandIn(t, "github.com/microcosm-cc/bluemonday", "./third_party/bluemonday-unlinked", map[string]string{
		"github.com/gorilla/css":      "bluemonday's CSS scanner",
		"github.com/aymerick/douceur": "bluemonday's CSS parser",
	})
}
