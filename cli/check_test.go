package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCheckBuiltin(t *testing.T) {
	for _, where := range []tty{piped, term80} {
		r := run(t, where, "check")
		if r.code != 0 || r.stdout != "" {
			t.Errorf("%s: the built-in corpus: %v", where, r)
		}
		if r.stderr != "built-in briefings: 6 files, 6 loaded, 0 rejected; 0 errors, 0 warnings\n" {
			t.Errorf("%s: summary %q", where, r.stderr)
		}
	}
}

// checkFolder has one file for each problem check reports.
var checkFolder = map[string]string{
	"good.md":          briefing("Good", "2024", "saidov"),
	"fine/deep.md":     briefing("Deep", "2023-05", "Саидов"),
	"noclose.md":       "---\ntitle: T\ndate: 2024\n",
	"toml.md":          "+++\ntitle = \"T\"\n+++\n",
	"empty.md":         "",
	"binary.md":        "\x00\x01\x02\x03",
	"nofrontmatter.md": "Just text.\n",
	"yaml.md":          "---\ntitle: [\n---\n",
	"baddate.md":       briefing("Bad date", "2025-02-30", "saidov"),
	"words.md":         briefing("Words for a date", "July 2025", "saidov"),
	"notitle.md":       "---\ndate: 2024\nofficials: [saidov]\n---\n",
	"nodate.md":        "---\ntitle: T\nofficials: [saidov]\n---\n",
	"noofficials.md":   "---\ntitle: T\ndate: 2024\n---\n",
	"twice.md":         "---\ntitle: T\ntitle: U\ndate: 2024\nofficials: [saidov]\n---\n",
	"dup.md":           briefing("Duplicate", "2024", "saidov", "id: good"),
	"unknown.md":       briefing("Unknown", "2024", "Someone Unknown", "officals: typo"),
	".hidden/x.md":     "not a briefing, never read",
	"notes.txt":        "not a briefing, never read",
}

func TestCheckFolder(t *testing.T) {
	dir := writeFolder(t, checkFolder)
	before := snapshot(t, dir)
	p := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		file, want string
	}{
		{"noclose.md", p("noclose.md") + ":1: the frontmatter opened on line 1 is never closed"},
		{"toml.md", p("toml.md") + ":1: TOML frontmatter (+++) is not supported"},
		{"empty.md", p("empty.md") + ": empty file"},
		{"binary.md", p("binary.md") + ": binary file"},
		{"nofrontmatter.md", p("nofrontmatter.md") + ":1: no frontmatter"},
		{"yaml.md", p("yaml.md") + ":3: YAML syntax error"},
		{"baddate.md", p("baddate.md") + `:3: date "2025-02-30": February 2025 has no day 30`},
		{"words.md", p("words.md") + `:3: date "July 2025" is not YYYY-MM-DD, YYYY-MM or YYYY`},
		{"notitle.md", p("notitle.md") + ":1: missing title"},
		{"nodate.md", p("nodate.md") + ":1: missing date"},
		{"noofficials.md", p("noofficials.md") + ":1: missing officials"},
		{"twice.md", p("twice.md") + `:3: key "title" is given twice (first on line 2)`},
		{"duplicate id", `duplicate id "good"`},
		{"unknown.md", p("unknown.md") + `:4: warning: official "Someone Unknown" is not in the registry`},
		{"unknown.md", p("unknown.md") + `:5: warning: unknown key "officals" is kept but not used; did you mean officials?`},
	}
	for _, where := range []tty{piped, term80} {
		r := run(t, where, "check", dir)
		if r.code != 1 {
			t.Errorf("%s: exit %d, want 1", where, r.code)
		}
		if err := safe(where, r.stdout); err != nil {
			t.Errorf("%s: %v", where, err)
		}
		for _, tc := range tests {
			if !strings.Contains(r.stdout, tc.want) {
				t.Errorf("%s: %s: check lacks %q", where, tc.file, tc.want)
			}
		}
		// One file:line: message per problem, each with the folder.
		format := regexp.MustCompile(`^` + regexp.QuoteMeta(dir) + `/[^:]+\.md(:[0-9]+)?: (warning: )?\S.*$`)
		out := lines(r.stdout)
		for _, l := range out {
			if !format.MatchString(l) {
				t.Errorf("%s: not file:line: message with the folder: %q", where, l)
			}
		}
		// good.md only for its id, which dup.md took first; the good
		// and the skipped files never.
		for _, l := range out {
			if strings.HasPrefix(l, p("good.md")) && !strings.HasPrefix(l, p("good.md")+`:1: duplicate id "good": dup.md already uses it`) ||
				strings.Contains(l, "deep.md") || strings.Contains(l, "hidden") || strings.Contains(l, "notes.txt") {
				t.Errorf("%s: check reports a file it should not: %q", where, l)
			}
		}
		// The summary, on stderr, counts what was printed.
		summary := fmt.Sprintf("%s: 16 files, 3 loaded, 13 rejected; 13 errors, 2 warnings\n", dir)
		if r.stderr != summary {
			t.Errorf("%s: summary %q, want %q", where, r.stderr, summary)
		}
		if len(out) != 15 {
			t.Errorf("%s: %d lines for 15 problems:\n%s", where, len(out), r.stdout)
		}
	}
	unchanged(t, dir, before)
}

// The files that still load are listed; the others are counted on stderr
// by every command.
func TestRejectedFilesAreReported(t *testing.T) {
	dir := writeFolder(t, checkFolder)
	r := run(t, piped, "--dir", dir, "list")
	if r.code != 0 {
		t.Fatal(r)
	}
	if got := firstFields(t, r.stdout); strings.Join(got, " ") != "unknown good deep" {
		t.Errorf("loaded %v", got)
	}
	want := fmt.Sprintf("brief: 13 briefings in %s could not be loaded; run 'brief check %s' to see why\n", dir, dir)
	if r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	for _, args := range [][]string{{"officials"}, {"show", "deep"}, {"card", "deep"}, {"list", "--format", "json"}} {
		r := run(t, piped, append([]string{"--dir", dir}, args...)...)
		if r.code != 0 || !strings.Contains(r.stderr, "13 briefings in "+dir+" could not be loaded") {
			t.Errorf("%v: %v", args, r)
		}
	}
}

func TestCheckWarningsOnly(t *testing.T) {
	dir := writeFolder(t, map[string]string{
		"a.md": briefing("A", "2024", "Someone Unknown"),
		"b.md": briefing("B", "2024", "saidov"),
	})
	r := run(t, piped, "check", dir)
	want := filepath.Join(dir, "a.md") + `:4: warning: official "Someone Unknown" is not in the registry`
	if r.code != 0 || !strings.HasPrefix(r.stdout, want) || len(lines(r.stdout)) != 1 {
		t.Errorf("warnings alone: want exit 0 and one line %q: %v", want, r)
	}
	if !strings.Contains(r.stderr, "2 files, 2 loaded, 0 rejected; 0 errors, 1 warning\n") {
		t.Errorf("summary %q", r.stderr)
	}
}

// check reads the bodies too, even after a list cached the folder.
func TestCheckBodies(t *testing.T) {
	dir := writeFolder(t, map[string]string{
		"a.md": briefing("A", "2024", "saidov") + "\nA line " + strings.Repeat("long ", 1000) + "\n",
	})
	for i := range 2 {
		if r := run(t, piped, "--dir", dir, "list"); r.code != 0 || r.stderr != "" {
			t.Fatalf("list: %v", r)
		}
		r := run(t, piped, "check", dir)
		if r.code != 0 || !strings.Contains(r.stdout, filepath.Join(dir, "a.md")+":9: warning: line is 5007 bytes long") {
			t.Errorf("run %d: check misses a body warning: %v", i+1, r)
		}
	}
}

func TestCheckFolderChoice(t *testing.T) {
	good := writeFolder(t, map[string]string{"a.md": briefing("A", "2024", "saidov")})
	bad := writeFolder(t, map[string]string{"b.md": "---\ntitle: B\n"})
	empty := writeFolder(t, map[string]string{"notes/a.markdown": briefing("A", "2024", "saidov")})
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string // in stderr
	}{
		{"argument", nil, []string{"check", bad}, 1, bad + ": 1 file, 0 loaded, 1 rejected"},
		{"--dir", nil, []string{"--dir", bad, "check"}, 1, bad + ": 1 file"},
		{"BRIEF_DIR", map[string]string{"BRIEF_DIR": bad}, []string{"check"}, 1, bad + ": 1 file"},
		{"--dir over BRIEF_DIR", map[string]string{"BRIEF_DIR": bad}, []string{"--dir", good, "check"}, 0, good + ": 1 file, 1 loaded"},
		{"the argument over --dir", nil, []string{"--dir", good, "check", bad}, 1, bad + ": 1 file"},
		{"the argument over BRIEF_DIR", map[string]string{"BRIEF_DIR": bad}, []string{"check", good}, 0, good + ": 1 file"},
		{"no such folder", nil, []string{"check", filepath.Join(good, "nope")}, 2, "brief: " + filepath.Join(good, "nope") + ": no such folder\n"},
		{"a file, not a folder", nil, []string{"check", filepath.Join(good, "a.md")}, 2, "brief: " + filepath.Join(good, "a.md") + ": not a folder but a file"},
		{"no .md file", nil, []string{"check", empty}, 1, "brief: " + empty + " holds no briefings: no .md file in it or its subfolders. It has 1 .markdown file, but brief reads only .md files"},
		{"two folders", nil, []string{"check", good, bad}, 2, "at most one folder"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, piped.with(tc.env), tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("want exit %d and %q: %v", tc.code, tc.want, r)
			}
			if tc.code == 1 && strings.HasPrefix(tc.want, "brief: ") && (r.stdout != "" || len(lines(r.stderr)) != 1) {
				t.Errorf("want one line on stderr and nothing else: %v", r)
			}
		})
	}
}

// No command writes to the briefing folder, whatever it finds there.
func TestNothingWritesToTheFolder(t *testing.T) {
	files := map[string]string{}
	for k, v := range checkFolder {
		files[k] = v
	}
	files["officials.yaml"] = "- id: saidov\n  name: Bakhtiyor Saidov\n  country: Uzbekistan\n  aliases: [Саидов]\n"
	dir := writeFolder(t, files)
	// Read-only, as a shared folder may be.
	if err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			return os.Chmod(p, 0o555)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
	})
	before := snapshot(t, dir)
	for _, args := range [][]string{
		{"list"}, {"list"}, {"list", "--query", "deep"}, {"list", "--format", "json"},
		{"show", "deep"}, {"card", "deep"}, {"officials"}, {"check"}, {"check", dir},
	} {
		for _, where := range []tty{piped, term80} {
			if r := run(t, where, append([]string{"--dir", dir}, args...)...); r.code > 1 {
				t.Errorf("%v: %v", args, r)
			}
		}
	}
	unchanged(t, dir, before)
	// The index cache went to the cache folder instead.
	if p := indexCachePath(dir); !strings.HasPrefix(p, filepath.Join(cacheHome, "brief")+string(filepath.Separator)) {
		t.Errorf("the index cache of %s is %s, not in %s", dir, p, cacheHome)
	} else if _, err := os.Stat(p); err != nil {
		t.Errorf("no index cache: %v", err)
	}
}
