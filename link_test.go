package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestChromaIsNotLinked: brief is built with third_party/chroma-unlinked
// in place of chroma (see go.mod), so none of chroma's lexers, styles or
// formatters, nor the regular expression engine they run on, is linked
// into brief, and their package initialisation does not run at start-up.
func TestChromaIsNotLinked(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f",
		`{{.ImportPath}} {{with .Module}}{{.Path}}{{with .Replace}} => {{.Path}}{{end}}{{end}}`, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	chroma := 0
	for line := range strings.Lines(string(out)) {
		pkg, module, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch {
		case strings.HasPrefix(pkg, "github.com/dlclark/regexp2"):
			t.Errorf("%s is linked (chroma's regular expressions)", pkg)
		case strings.HasPrefix(module, "github.com/alecthomas/chroma/"):
			chroma++
			if module != "github.com/alecthomas/chroma/v2 => ./third_party/chroma-unlinked" {
				t.Errorf("%s is linked from %s, not from the stand-in", pkg, module)
			}
		}
	}
	if chroma == 0 {
		t.Errorf("glamour no longer needs chroma: drop third_party/chroma-unlinked and its replace in go.mod")
	}
}
