package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/brief-tools/brief/render/dossier/dossiertest"
)

// sections gives the titles of a Markdown dossier's briefings, in order.
func sections(md string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^## \d+\. (.*)$`).FindAllStringSubmatch(md, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestExport(t *testing.T) {
	env, _ := stateEnv(t, nil)
	where := piped.with(env)
	run(t, where, "mark", idCall, "--note", "ask about the railway")
	tests := []struct {
		name   string
		args   []string
		titles int
		first  string // the first section's title starts so
		has    []string
		hasNot []string
	}{
		{"everything, oldest first", []string{"export"}, 6, "Mirziyoyev", []string{"# Briefing dossier\n", "- **Selected:** every briefing\n", "- **From:** the built-in briefings\n", "## Timeline"}, []string{"ask about the railway"}},
		{"newest first", []string{"export", "-r"}, 6, "Tokayev receives", nil, nil},
		{"one official", []string{"export", "--official", "saidov"}, 1, "Nurtleu", []string{"# Briefings with Bakhtiyor Saidov\n", "official: Bakhtiyor Saidov"}, nil},
		{"marked, with notes", []string{"export", "--marked", "--notes"}, 1, "Tokayev and Mirziyoyev", []string{"# Marked briefings", "- **Selected:** marked\n", "> ★ **Your note:** ask about the railway"}, nil},
		{"marked, without notes", []string{"export", "--marked"}, 1, "Tokayev and Mirziyoyev", nil, []string{"ask about the railway", "★"}},
		{"a title", []string{"export", "--since", "2025", "--title", "For Tuesday"}, 2, "Tokayev and Mirziyoyev", []string{"# For Tuesday\n", "dates: from 2025"}, nil},
		{"text", []string{"export", "-q", "railway", "-L", "1"}, 1, "", []string{`text: "railway"`, "the newest 1"}, nil},
	}
	for _, tt := range tests {
		r := run(t, where, tt.args...)
		if r.code != 0 {
			t.Errorf("%s: %v", tt.name, r)
			continue
		}
		got := sections(r.stdout)
		if len(got) != tt.titles || (tt.first != "" && !strings.HasPrefix(got[0], tt.first)) {
			t.Errorf("%s: sections %q", tt.name, got)
		}
		for _, w := range tt.has {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%s: lacks %q", tt.name, w)
			}
		}
		for _, w := range tt.hasNot {
			if strings.Contains(r.stdout, w) {
				t.Errorf("%s: holds %q", tt.name, w)
			}
		}
	}
	// Mistakes.
	mistakes := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"export", "--format", "pdf"}, 2, `--format "pdf": use md or html`},
		{[]string{"export", "--force"}, 2, "--force replaces the -o file: give -o FILE"},
		{[]string{"export", "--official", "nobody"}, 1, "no official or name matches"},
		{[]string{"export", "--since", "2030"}, 1, "no briefing matches: nothing to export"},
		{[]string{"export", "extra"}, 2, "takes no arguments"},
	}
	for _, m := range mistakes {
		if r := run(t, where, m.args...); r.code != m.code || !strings.Contains(r.stderr, m.stderr) {
			t.Errorf("%q: %v; want exit %d with %q", m.args, r, m.code, m.stderr)
		}
	}
}

func TestExportToAFile(t *testing.T) {
	out := t.TempDir()
	folder := writeFolder(t, map[string]string{"a.md": briefing("Alpha", "2024-01-01", "saidov")})
	link := filepath.Join(out, "link")
	if err := os.Symlink(folder, link); err != nil {
		t.Fatal(err)
	}
	where := piped
	file := filepath.Join(out, "dossier.html")
	if r := run(t, where, "export", "-o", file); r.code != 0 || r.stdout != "" {
		t.Fatalf("export -o: %v", r)
	}
	data, err := os.ReadFile(file)
	if err != nil || !strings.HasPrefix(string(data), "<!DOCTYPE html>") {
		t.Fatalf("the .html file is not HTML: %v %.40q", err, data)
	}
	if err := dossiertest.CheckHTML(string(data)); err != nil {
		t.Error(err)
	}
	// Never over an existing file, unless --force.
	if r := run(t, where, "export", "-o", file, "--format", "md"); r.code != 1 || !strings.Contains(r.stderr, "the file exists; --force replaces it") {
		t.Errorf("over an existing file: %v", r)
	}
	if after, _ := os.ReadFile(file); string(after) != string(data) {
		t.Errorf("the existing file was changed")
	}
	if r := run(t, where, "export", "-o", file, "--format", "md", "--force"); r.code != 0 {
		t.Errorf("--force: %v", r)
	}
	if after, _ := os.ReadFile(file); !strings.HasPrefix(string(after), "# Briefing dossier") {
		t.Errorf("--force did not replace the file: %.40q", after)
	}
	// Never into the briefing folder, even through a link.
	for _, target := range []string{filepath.Join(folder, "d.md"), filepath.Join(folder, "sub", "..", "d.md"), filepath.Join(link, "d.md")} {
		r := run(t, where, "--dir", folder, "export", "-o", target)
		if r.code != 1 || !strings.Contains(r.stderr, "inside the briefing folder") {
			t.Errorf("-o %s: %v", target, r)
		}
	}
	entries, _ := os.ReadDir(folder)
	if len(entries) != 1 {
		t.Errorf("the briefing folder holds %d files", len(entries))
	}
	if r := run(t, where, "export", "-o", out); r.code != 1 || !strings.Contains(r.stderr, "is a folder") {
		t.Errorf("-o a folder: %v", r)
	}
}

// The hostile briefings of hostile_test.go, and one aimed at HTML: in the
// HTML dossier no element or attribute comes from a briefing, and every
// word shows; the Markdown carries no control character.
func TestHostileExport(t *testing.T) {
	dir, _ := hostileFolder(t)
	htmlAttack := briefing(`<script>alert(1)</script> HTMLtitle`, "2024-06-01", `saidov, "<img src=x onerror=alert(1)>"`,
		`summary: "\"><svg onload=alert(1)> summary"`,
		"sources:\n  - outlet: \"<a href=javascript:alert(1)>outlet</a>\"\n    url: \"javascript:alert(1)\"") +
		"\n<iframe src=\"https://evil.example/\"></iframe>\n\n[x](javascript:alert(1)) ![t](https://evil.example/p.png)\n\n```\"><script>\ncode\n```\n"
	if err := os.WriteFile(filepath.Join(dir, "html-attack.md"), []byte(htmlAttack), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, where := range []tty{piped, term80} {
		r := run(t, where, "--dir", dir, "export", "--format", "html")
		if r.code != 0 {
			t.Fatalf("%s: %v", where, r)
		}
		if err := dossiertest.CheckHTML(r.stdout); err != nil {
			t.Errorf("%s: %v", where, err)
		}
		if err := plainText(r.stdout); err != nil {
			t.Errorf("%s: %v", where, err)
		}
		text := dossiertest.VisibleText(r.stdout)
		words := append(append(append(slices.Clone(hostileWords["title"]), hostileWords["summary"]...), hostileWords["body"]...), hostileWords["names"]...)
		words = append(words, "<script>alert(1)</script> HTMLtitle", "<img src=x onerror=alert(1)>", `"><svg onload=alert(1)> summary`, "<a href=javascript:alert(1)>outlet</a>")
		for _, w := range words {
			if !strings.Contains(text, w) {
				t.Errorf("%s: %q is not shown as text", where, w)
			}
		}
		md := run(t, where, "--dir", dir, "export", "--format", "md")
		if md.code != 0 {
			t.Fatalf("%s: %v", where, md)
		}
		if err := plainText(md.stdout); err != nil {
			t.Errorf("%s: markdown: %v", where, err)
		}
		hasWords(t, where.String()+", export md", md.stdout, "Hostile", "alpha", "hotel", "lima")
	}
}
