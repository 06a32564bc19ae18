package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/tui/sanitize"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// run runs the local command tree with args and gives what it printed and
// its exit code.
func run(t *testing.T, terminal bool, width int, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	r := lipgloss.NewRenderer(&out)
	r.SetColorProfile(termenv.ANSI256)
	e := Env{
		Stdout: &out, Stderr: &errOut, Terminal: terminal, Width: width, Renderer: r, Version: "1.2.3",
		Getenv: func(k string) string { return env[k] },
	}
	code = Execute(NewRoot(e), args)
	return out.String(), errOut.String(), code
}

func ids(t *testing.T, tsv string) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(tsv), "\n") {
		if line == "" {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 5 {
			t.Fatalf("piped list line has %d fields, want 5: %q", len(fields), line)
		}
		out = append(out, fields[0])
	}
	return out
}

func TestListFilters(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // ids, in order
	}{
		{"newest first", nil, []string{"2025-08-18-tokayev-norbaeva-meeting", "2025-07-24-tokayev-mirziyoyev-call", "2024-tokayev-mirziyoyev-flood-solidarity-call", "2024-02-19-nurtleu-saidov-astana-talks", "2022-12-tokayev-state-visit-tashkent", "2021-12-mirziyoyev-state-visit-astana"}},
		{"reverse", []string{"--reverse", "--limit", "2"}, []string{"2021-12-mirziyoyev-state-visit-astana", "2022-12-tokayev-state-visit-tashkent"}},
		{"official by id", []string{"--official", "saidov"}, []string{"2024-02-19-nurtleu-saidov-astana-talks"}},
		{"official in Cyrillic", []string{"-o", "Мирзиёев", "--since", "2025"}, []string{"2025-07-24-tokayev-mirziyoyev-call"}},
		{"official in Arabic, one spelling", []string{"-o", "سعيدوف"}, []string{"2024-02-19-nurtleu-saidov-astana-talks"}},
		{"official in Arabic, the other", []string{"-o", "سايدوف"}, []string{"2024-02-19-nurtleu-saidov-astana-talks"}},
		{"official, case and diacritics", []string{"-o", "NÓRBAEVA"}, []string{"2025-08-18-tokayev-norbaeva-meeting"}},
		{"topic", []string{"--topic", "flood-relief"}, []string{"2024-tokayev-mirziyoyev-flood-solidarity-call"}},
		{"a month holds the season", []string{"--since", "2024-04", "--until", "2024-04"}, []string{"2024-tokayev-mirziyoyev-flood-solidarity-call"}},
		{"after the season", []string{"--since", "2024-06", "--until", "2024-12"}, nil},
		{"a day", []string{"--since", "2025-07-24", "--until", "2025-07-24"}, []string{"2025-07-24-tokayev-mirziyoyev-call"}},
		{"approximate month", []string{"--since", "2022-12-15", "--until", "2022-12-31"}, []string{"2022-12-tokayev-state-visit-tashkent"}},
		{"word prefix", []string{"--query", "wat"}, []string{"2024-02-19-nurtleu-saidov-astana-talks"}},
		{"every word", []string{"-q", "birthday trade"}, []string{"2025-07-24-tokayev-mirziyoyev-call"}},
		{"all together", []string{"-o", "tokayev", "-t", "trade", "--since", "2025", "-q", "senate"}, []string{"2025-08-18-tokayev-norbaeva-meeting"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, false, 80, nil, append([]string{"list"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if got := ids(t, out); strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestErrorsAndExitCodes(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"list", "-o", "k"}, 1, "could mean"},
		{[]string{"list", "-o", "nobody-at-all"}, 1, "no official or name matches"},
		{[]string{"list", "--topic", "fishing"}, 1, "topics: "},
		{[]string{"list", "--since", "2025-13"}, 2, "--since"},
		{[]string{"list", "--since", "July 2025"}, 2, "--since"},
		{[]string{"list", "--since", "2025", "--until", "2024"}, 2, "before --since"},
		{[]string{"list", "--format", "xml"}, 2, "--format"},
		{[]string{"list", "--nope"}, 2, "unknown flag"},
		{[]string{"list", "extra"}, 2, "no arguments"},
		{[]string{"show"}, 2, "one briefing id"},
		{[]string{"show", "nope"}, 1, "no briefing has the id"},
		{[]string{"show", "2025-07-42"}, 1, "did you mean 2025-07-24-tokayev-mirziyoyev-call"},
		{[]string{"show", "2024"}, 1, "start of several ids"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"--dir", "/nonexistent/folder", "list"}, 1, "/nonexistent/folder"},
		{[]string{"--theme", "purple", "list"}, 2, "--theme"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errOut, code := run(t, false, 80, nil, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, errOut)
			}
			if !strings.Contains(errOut, tc.stderr) || !strings.HasPrefix(errOut, "brief: ") {
				t.Errorf("stderr %q, want %q after 'brief: '", errOut, tc.stderr)
			}
			if tc.code != 0 && out != "" {
				t.Errorf("stdout on an error: %q", out)
			}
		})
	}
}

func TestListFormats(t *testing.T) {
	out, _, code := run(t, false, 80, nil, "list", "--format", "json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 {
		t.Fatalf("json: %v, exit %d\n%s", err, code, out)
	}
	if len(list) != 6 {
		t.Fatalf("%d briefings, want 6", len(list))
	}
	for _, key := range []string{"id", "title", "date", "kind", "location", "officials", "summary"} {
		if _, ok := list[0][key]; !ok {
			t.Errorf("JSON objects lack %q", key)
		}
	}
	officials := list[0]["officials"].([]any)
	first := officials[0].(map[string]any)
	if first["id"] != "tokayev" || first["role"] != "President of Kazakhstan" {
		t.Errorf("official %v", first)
	}

	out, _, _ = run(t, false, 80, nil, "list", "--format", "jsonl")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 {
		t.Fatalf("jsonl: %d lines", len(lines))
	}
	for _, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Errorf("jsonl line %q: %v", l, err)
		}
	}
}

func TestTableFitsTheTerminal(t *testing.T) {
	for _, width := range []int{60, 80, 120, 200} {
		out, _, code := run(t, true, width, nil, "list")
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
		if err := sanitize.Check(out); err != nil {
			t.Errorf("unsafe table: %v", err)
		}
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		header := ansi.Strip(lines[0])
		if !strings.HasPrefix(header, "ID") || !strings.Contains(header, "TITLE") || (width >= 80) != strings.Contains(header, "OFFICIALS") {
			t.Errorf("width %d: header %q (officials are left out only when they cannot fit)", width, header)
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("width %d: line is %d wide: %q", width, w, ansi.Strip(l))
			}
		}
		if !strings.Contains(out, "\x1b[") {
			t.Errorf("no colour on a terminal")
		}
		// What the ID column shows works with show.
		for _, l := range lines[1:] {
			id := strings.Fields(ansi.Strip(l))[0]
			if _, _, code := run(t, false, 80, nil, "show", id); code != 0 {
				t.Errorf("width %d: the id shown, %q, does not work with show", width, id)
			}
		}
	}
	out, _, _ := run(t, false, 80, nil, "list")
	if strings.Contains(out, "\x1b") || strings.Contains(out, "ID\t") {
		t.Errorf("piped output has colour or a header:\n%q", out)
	}
}

func TestShow(t *testing.T) {
	out, _, code := run(t, false, 80, nil, "show", "2024-02")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"Nurtleu and Saidov hold talks in Astana", "~19 Feb 2024", "Date inferred",
		"Murat Nurtleu — Deputy Prime Minister and Minister of Foreign Affairs of Kazakhstan",
		"$156mn", "approximately $1bn", "Darbaza", "## The ministers' talks",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("piped show lacks %q", want)
		}
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("piped show has escape sequences")
	}
	out, _, _ = run(t, true, 80, nil, "show", "2025-07-24")
	if err := sanitize.Check(out); err != nil {
		t.Errorf("terminal show: %v", err)
	}
	for i, l := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("terminal show line %d is %d wide", i, w)
		}
	}
	if !strings.Contains(ansi.Strip(out), "almost $1.4 billion") {
		t.Errorf("rendered show lacks a figure")
	}
	out, _, _ = run(t, false, 80, nil, "show", "2025-07-24", "--format", "json")
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil || !strings.Contains(v["body"].(string), "telephone") {
		t.Errorf("show json: %v %v", err, v["body"])
	}
}

func TestCardAndOfficials(t *testing.T) {
	out, _, code := run(t, true, 70, nil, "card", "2025-08")
	if code != 0 || !strings.Contains(out, "╭") {
		t.Fatalf("terminal card: exit %d\n%s", code, out)
	}
	for _, l := range strings.Split(out, "\n") {
		if ansi.StringWidth(l) > 70 {
			t.Errorf("card line over 70: %q", ansi.Strip(l))
		}
	}
	out, _, _ = run(t, false, 80, nil, "card", "2025-08")
	if strings.Contains(out, "╭") || strings.Contains(out, "\x1b") || !strings.Contains(out, "Tanzila Norbaeva — Chairwoman") {
		t.Errorf("piped card:\n%s", out)
	}

	out, _, _ = run(t, false, 80, nil, "officials", "--format", "json")
	var people []map[string]any
	if err := json.Unmarshal([]byte(out), &people); err != nil {
		t.Fatal(err)
	}
	events := map[string]float64{}
	for _, p := range people {
		events[p["id"].(string)] = p["events"].(float64)
	}
	if events["tokayev"] != 6 || events["aksakalov"] != 0 || events["saidov"] != 1 {
		t.Errorf("events %v", events)
	}
	out, _, _ = run(t, false, 80, nil, "officials")
	if !strings.Contains(out, "tokayev\tKassym-Jomart Tokayev\tPresident of Kazakhstan\tKazakhstan\t6") {
		t.Errorf("piped officials:\n%s", out)
	}
}

// snapshot records every file of a folder, to check nothing was written.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			info, _ := d.Info()
			files[p] = string(data) + info.ModTime().String()
		}
		return nil
	})
	return files
}

func TestCheck(t *testing.T) {
	if out, errOut, code := run(t, false, 80, nil, "check"); code != 0 || out != "" {
		t.Errorf("the built-in corpus: exit %d\n%s%s", code, out, errOut)
	}
	dir := t.TempDir()
	files := map[string]string{
		"good.md":      "---\ntitle: Good\ndate: 2024\nofficials: [saidov]\n---\nBody.\n",
		"noclose.md":   "---\ntitle: T\n",
		"toml.md":      "+++\ntitle = \"T\"\n+++\n",
		"empty.md":     "",
		"binary.md":    "\x00\x01\x02",
		"yaml.md":      "---\ntitle: [\n---\n",
		"date.md":      "---\ntitle: T\ndate: 2025-02-30\nofficials: [x]\n---\n",
		"notitle.md":   "---\ndate: 2024\nofficials: [x]\n---\n",
		"dup.md":       "---\nid: good\ntitle: T\ndate: 2024\nofficials: [x]\n---\n",
		"unknown.md":   "---\ntitle: T\ndate: 2024\nofficials: [Someone Unknown]\nofficals: typo\n---\n",
		"sub/deep.md":  "---\ntitle: Deep\ndate: 2023-05\nofficials: [Саидов]\n---\n",
		".hidden/x.md": "not read",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o644)
	}
	before := snapshot(t, dir)
	out, errOut, code := run(t, false, 80, nil, "check", dir)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		filepath.Join(dir, "noclose.md") + ":1: the frontmatter opened on line 1 is never closed",
		filepath.Join(dir, "toml.md") + ":1: TOML frontmatter (+++) is not supported",
		filepath.Join(dir, "empty.md") + ": empty file",
		filepath.Join(dir, "binary.md") + ": binary file",
		filepath.Join(dir, "yaml.md") + ":3: YAML syntax error", // where yaml.v3 notices the open [
		filepath.Join(dir, "date.md") + ":3: date \"2025-02-30\"",
		filepath.Join(dir, "notitle.md") + ":1: missing title",
		filepath.Join(dir, "good.md"),
		"duplicate id \"good\"",
		filepath.Join(dir, "unknown.md") + ":4: warning: official \"Someone Unknown\" is not in the registry",
		filepath.Join(dir, "unknown.md") + ":5: warning: unknown key \"officals\"",
		"did you mean officials?",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hidden") || strings.Contains(out, "deep.md") {
		t.Errorf("check reports a hidden or a good file:\n%s", out)
	}
	if !strings.Contains(errOut, "11 files, 3 loaded, 8 rejected") {
		t.Errorf("summary %q", errOut)
	}
	if after := snapshot(t, dir); len(after) != len(before) {
		t.Errorf("check added files: %d before, %d after", len(before), len(after))
	} else {
		for p, v := range before {
			if after[p] != v {
				t.Errorf("check changed %s", p)
			}
		}
	}
}

func TestDirAndEnvironment(t *testing.T) {
	one, two := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(one, "a.md"), []byte("---\ntitle: In one\ndate: 2024\nofficials: [Saidov]\n---\n"), 0o644)
	os.WriteFile(filepath.Join(two, "b.md"), []byte("---\ntitle: In two\ndate: 2024\nofficials: [x]\n---\n"), 0o644)
	out, _, _ := run(t, false, 80, map[string]string{"BRIEF_DIR": one}, "list")
	if !strings.Contains(out, "In one") {
		t.Errorf("BRIEF_DIR not used: %q", out)
	}
	out, _, _ = run(t, false, 80, map[string]string{"BRIEF_DIR": one}, "--dir", two, "list")
	if !strings.Contains(out, "In two") || strings.Contains(out, "In one") {
		t.Errorf("--dir does not win over BRIEF_DIR: %q", out)
	}
	// No officials.yaml in the folder: the built-in registry resolves Saidov.
	out, _, _ = run(t, false, 80, nil, "--dir", one, "list", "--format", "json")
	if !strings.Contains(out, `"id": "saidov"`) {
		t.Errorf("built-in registry not used for a folder without one:\n%s", out)
	}
}

func TestVersionHelpCompletion(t *testing.T) {
	if out, _, code := run(t, false, 80, nil, "--version"); code != 0 || out != "brief 1.2.3\n" {
		t.Errorf("--version: %d %q", code, out)
	}
	for _, cmd := range []string{"list", "show", "card", "officials", "check"} {
		out, _, code := run(t, false, 80, nil, cmd, "--help")
		if code != 0 || !strings.Contains(out, "Examples:") {
			t.Errorf("%s --help: exit %d, no examples:\n%s", cmd, code, out)
		}
	}
	if out, _, code := run(t, false, 80, nil, "completion", "bash"); code != 0 || !strings.Contains(out, "bash completion") {
		t.Errorf("completion bash: exit %d", code)
	}
	out, _, _ := run(t, false, 80, nil, "__complete", "show", "2025-0")
	if !strings.Contains(out, "2025-07-24-tokayev-mirziyoyev-call") {
		t.Errorf("ids do not complete:\n%s", out)
	}
	out, _, _ = run(t, false, 80, nil, "__complete", "list", "--official", "mi")
	if !strings.Contains(out, "mirziyoyev") {
		t.Errorf("officials do not complete:\n%s", out)
	}
}

func TestLookupTree(t *testing.T) {
	reg, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	c, err := store.Load(briefs.FS(), store.Options{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		code := Execute(NewLookup(Env{Stdout: &out, Stderr: &errOut, Width: 80}, c), args)
		return out.String(), errOut.String(), code
	}
	if out, _, code := lookup("list", "--official", "saidov"); code != 0 || !strings.Contains(out, "2024-02-19") {
		t.Errorf("list: %d %q", code, out)
	}
	if _, _, code := lookup("show", "2025-07-24"); code != 0 {
		t.Errorf("show: %d", code)
	}
	if _, errOut, code := lookup("list", "--dir", "/etc"); code != 2 || !strings.Contains(errOut, "unknown flag: --dir") {
		t.Errorf("--dir accepted by the lookups: %d %q", code, errOut)
	}
	if _, _, code := lookup("check"); code == 0 {
		t.Errorf("check available in the lookups")
	}
}

func TestWriteJSONEscapesControls(t *testing.T) {
	var b bytes.Buffer
	if err := writeJSON(&b, map[string]string{"t": "a\x1b[2J\u009b\x7fb\u2028"}, false); err != nil {
		t.Fatal(err)
	}
	for _, r := range b.String() {
		if r < 0x20 && r != '\n' || r >= 0x7f && r <= 0x9f || r == 0x2028 {
			t.Fatalf("raw control U+%04X in %q", r, b.String())
		}
	}
	var v map[string]string
	if err := json.Unmarshal(b.Bytes(), &v); err != nil || v["t"] != "a\x1b[2J\u009b\x7fb\u2028" {
		t.Errorf("round trip: %v %q", err, v["t"])
	}
}
