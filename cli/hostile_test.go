package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// hostileBriefing carries, in every field a command prints, what a
// terminal would act on: clearing the screen, writing the clipboard (OSC
// 52), setting the window title (OSC 0), a hyperlink (OSC 8), C1 controls
// as UTF-8, and a character reference to ESC in the body.
const hostileBriefing = "---\n" +
	"title: Hostile \x1b[2Jalpha \x1b]52;c;ZXZpbA==\x07bravo \x1b]0;evil title\x07charlie \u009b31mdelta\n" +
	"date: 2024-05-01\n" +
	"kind: call\x1b[5m\n" +
	"location: Tash\x1b[8mkent\n" +
	"officials: [saidov, \"Evil \x1b[31mName\"]\n" +
	"topics: [trade, \"energy\x1b[2J\"]\n" +
	"summary: Summary \x1b[31mecho\x1b[0m \u009b2Jfoxtrot \x1b]52;c;ZXZpbA==\x07golf \u0085\x07\x08\x7f\n" +
	"figures:\n" +
	"  - label: Hyper\x1b]8;;https://evil.example\x07link\x1b]8;;\x07\n" +
	"    value: \"$5bn\x1b[2J\"\n" +
	"sources:\n" +
	"  - outlet: Outlet\u009d0;evil\u009c name\n" +
	"    url: https://example.org/source\n" +
	"---\n\n" +
	"Body \x1b[2J hotel \x1b]52;c;ZXZpbA==\x07 india &#27;[31m juliet \u009d0;evil\x07 kilo \x1bPdcs\x1b\\ lima\n\n" +
	"A [link](https://example.org/page) and \x1b[1mmike\x1b[0m.\n"

// hostileWords are the visible words of hostileBriefing: they must survive
// wherever the field they are in is shown.
var hostileWords = map[string][]string{
	"title":   {"Hostile", "alpha", "bravo", "charlie", "delta"},
	"summary": {"Summary", "echo", "foxtrot", "golf"},
	"body":    {"Body", "hotel", "india", "[31m", "juliet", "kilo", "lima", "mike"},
	"names":   {"Evil", "Name", "Bakhtiyor Saidov"},
}

// hostileFiles are file names a terminal would act on, when the system
// allows them, each with a briefing that check warns about.
var hostileFiles = []string{
	"esc\x1b]0;name.md",         // an OSC left open
	"esc\x1b[31mred.md",         // colour
	"bell\x07\x1b]52;c;Zm9v.md", // a clipboard write
	"c1\u009b2Jname.md",         // C1 CSI as UTF-8
}

// hostileFolder makes a folder with hostileBriefing, files with hostile
// names, a rejected file with a hostile name, and an ordinary file after
// them all whose problems must still be reported.
func hostileFolder(t *testing.T) (dir string, names []string) {
	t.Helper()
	dir = writeFolder(t, map[string]string{
		"hostile.md": hostileBriefing,
		"zz-last.md": briefing("Last of all", "2020", "saidov", "offcials: typo"),
	})
	for _, name := range hostileFiles {
		err := os.WriteFile(filepath.Join(dir, name), []byte(briefing("Named "+strings.TrimSuffix(filepath.Base(name), ".md"), "2023", "saidov", "extra: kept")), 0o644)
		if err != nil {
			t.Logf("the system refuses the file name %q: %v", name, err)
			continue
		}
		names = append(names, name)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken\x1b]0;x.md"), []byte("---\ntitle: never closed\n"), 0o644); err == nil {
		names = append(names, "broken\x1b]0;x.md")
	}
	return dir, names
}

// hasWords fails for each word missing from the visible text of out.
func hasWords(t *testing.T, what, out string, words ...string) {
	t.Helper()
	visible := ansi.Strip(out)
	for _, w := range words {
		if !strings.Contains(visible, w) {
			t.Errorf("%s: the word %q did not survive:\n%s", what, w, visible)
		}
	}
}

func TestHostileContent(t *testing.T) {
	dir, _ := hostileFolder(t)
	tests := []struct {
		args  []string
		words []string
	}{
		{[]string{"list"}, hostileWords["title"]},
		{[]string{"list", "--reverse", "--limit", "100"}, hostileWords["title"]},
		{[]string{"list", "--query", "bravo"}, hostileWords["title"]},
		{[]string{"list", "--official", "evil"}, hostileWords["title"]},
		{[]string{"list", "--format", "json"}, append(hostileWords["title"], hostileWords["summary"]...)},
		{[]string{"list", "--format", "jsonl"}, hostileWords["title"]},
		{[]string{"show", "hostile"}, append(append(append(hostileWords["title"], hostileWords["summary"]...), hostileWords["body"]...), hostileWords["names"]...)},
		{[]string{"show", "hostile", "--format", "json"}, append(hostileWords["body"], hostileWords["title"]...)},
		{[]string{"card", "hostile"}, append(append(hostileWords["title"], hostileWords["summary"]...), hostileWords["names"]...)},
		{[]string{"officials"}, []string{"Evil", "Name"}},
		{[]string{"officials", "--format", "json"}, []string{"Evil", "Name"}},
		{[]string{"check"}, []string{"zz-last.md:5: warning: unknown key", "hostile.md"}},
		{[]string{"show", "esc"}, nil},
		{[]string{"show", "\x1b]0;evil\x07"}, nil},
	}
	for _, where := range []tty{piped, term80, {terminal: true, width: 160, colour: true}, {terminal: false, width: 80, colour: true}} {
		for _, tc := range tests {
			args := append([]string{"--dir", dir}, tc.args...)
			r := run(t, where, args...)
			if r.code > 1 {
				t.Errorf("%s, %q: %v", where, tc.args, r)
			}
			what := where.String() + ", " + strings.Join(tc.args, " ")
			if err := safe(where, r.stdout); err != nil {
				t.Errorf("%s: stdout: %v", what, err)
			}
			if err := plainText(r.stderr); err != nil {
				t.Errorf("%s: stderr: %v", what, err)
			}
			if where.terminal && tc.args[0] != "check" && !strings.Contains(tc.args[len(tc.args)-1], "json") {
				if err := fits(r.stdout, where.width); err != nil {
					t.Errorf("%s: %v", what, err)
				}
			}
			words := tc.words
			if where.terminal && tc.args[0] == "list" && !strings.Contains(tc.args[len(tc.args)-1], "json") {
				words = words[:2] // the rest of the title is cut to fit
			}
			hasWords(t, what, r.stdout, words...)
		}
	}
}

// check names every problem, hostile file names included, each on its own
// line, so that one name cannot hide the lines after it.
func TestHostileFileNames(t *testing.T) {
	dir, names := hostileFolder(t)
	if len(names) == 0 {
		t.Skip("the system allows no control characters in file names")
	}
	for _, where := range []tty{piped, term80} {
		r := run(t, where, "check", dir)
		if r.code != 1 {
			t.Errorf("%s: exit %d, want 1 for the broken file", where, r.code)
		}
		if err := safe(where, r.stdout); err != nil {
			t.Errorf("%s: %v", where, err)
		}
		if err := plainText(r.stderr); err != nil {
			t.Errorf("%s: %v", where, err)
		}
		out := lines(r.stdout)
		for _, name := range names {
			// Quoted with Go escapes, so that it can be found.
			quoted := strconv.Quote(filepath.Join(dir, name)) + ":"
			if !slices.ContainsFunc(out, func(l string) bool { return strings.HasPrefix(l, quoted) }) {
				t.Errorf("%s: no line starts with %s:\n%s", where, quoted, r.stdout)
			}
		}
		if !strings.Contains(r.stdout, "\n"+filepath.Join(dir, "zz-last.md")+`:5: warning: unknown key "offcials"`) {
			t.Errorf("%s: the last file's warning is lost:\n%s", where, r.stdout)
		}
		// One line per problem.
		m := regexp.MustCompile(`; (\d+) errors?, (\d+) warnings?\n$`).FindStringSubmatch(r.stderr)
		if m == nil {
			t.Fatalf("%s: summary %q", where, r.stderr)
		}
		errs, _ := strconv.Atoi(m[1])
		warnings, _ := strconv.Atoi(m[2])
		if len(out) != errs+warnings || len(out) < len(names)+2 {
			t.Errorf("%s: %d lines for %d problems:\n%s", where, len(out), errs+warnings, r.stdout)
		}
	}
	// show reports the body's problems the same way, on stderr.
	if slices.Contains(names, hostileFiles[0]) {
		r := run(t, piped, "--dir", dir, "show", "esc-0-name")
		want := strconv.Quote(hostileFiles[0]) + ":8: warning: removed 1 invisible or control character (U+001B)\n"
		if r.code != 0 || !strings.HasSuffix(r.stderr, "\n"+want) || !strings.HasPrefix(r.stdout, "Named esc]0;name\n") {
			t.Errorf("show esc-0-name: want %q on stderr: %v", want, r)
		}
	}
	// The briefings whose names were cleaned still load and show.
	r := run(t, piped, "--dir", dir, "list")
	if err := plainText(r.stdout + r.stderr); err != nil {
		t.Error(err)
	}
	for _, row := range tsv(t, r.stdout, 5) {
		if s := run(t, piped, "--dir", dir, "show", row[0]); s.code != 0 {
			t.Errorf("show %q: %v", row[0], s)
		}
	}
}
