package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/brief-tools/brief/readstate"
	"github.com/charmbracelet/x/ansi"
)

// The SSH lookups answer like the local commands, from their one corpus.
func TestLookupCommands(t *testing.T) {
	c := builtin(t)
	tests := []struct {
		args []string
	}{
		{[]string{"list"}},
		{[]string{"ls", "-r", "-L", "2"}},
		{[]string{"list", "--official", "saidov"}},
		{[]string{"list", "-o", "Мирзиёев", "--since", "2025"}},
		{[]string{"list", "-o", "سايدوف"}},
		{[]string{"list", "--topic", "trade", "--until", "2024-12"}},
		{[]string{"list", "--since", "2024-04", "--until", "2024-04"}},
		{[]string{"list", "--query", "birth", "--format", "json"}},
		{[]string{"list", "--format", "jsonl", "--limit", "3"}},
		{[]string{"show", "2025-07"}},
		{[]string{"show", "2024-02", "--format", "json"}},
		{[]string{"card", "2025-08"}},
		{[]string{"officials"}},
		{[]string{"officials", "--format", "json"}},
		{[]string{"--theme", "light", "card", "2021"}},
		{[]string{"--version"}},
		// The same mistakes, the same answers.
		{[]string{"list", "-o", "k"}},
		{[]string{"list", "--since", "nope"}},
		{[]string{"list", "--format", "xml"}},
		{[]string{"show", "2024"}},
		{[]string{"show", "2025-07-42"}},
		{[]string{"card"}},
		{[]string{"--theme", "purple", "list"}},
		{[]string{"list", "--nope"}},
	}
	for _, where := range []tty{piped, term80} {
		for _, tc := range tests {
			local := run(t, where, tc.args...)
			// A key's session, with an empty state as the local one is.
			st, err := readstate.Open(t.TempDir(), "SHA256:key", readstate.CorpusKey(""), readstate.Options{})
			if err != nil {
				t.Fatal(err)
			}
			where := where
			where.state = st
			remote := lookup(t, c, where, tc.args...)
			// Only the hints differ: over SSH they name the bare command
			// (the server did not say how it is reached).
			local.stderr = strings.ReplaceAll(local.stderr, "Run 'brief ", "Run '")
			if remote.code != local.code || remote.stdout != local.stdout || remote.stderr != local.stderr {
				t.Errorf("%s, %q: the lookup differs from the local command\nlookup: %v\nlocal: %v", where, tc.args, remote, local)
			}
			if remote.stdout == "" && remote.stderr == "" {
				t.Errorf("%s, %q: no answer", where, tc.args)
			}
			if err := safe(where, remote.stdout); err != nil {
				t.Errorf("%s, %q: %v", where, tc.args, err)
			}
		}
	}
}

// The lookups read only the corpus they are given.
func TestLookupFixedCorpus(t *testing.T) {
	c := builtin(t)
	dir := writeFolder(t, map[string]string{"secret.md": briefing("Secret", "2024", "saidov")})
	where := piped.with(map[string]string{"BRIEF_DIR": dir})
	r := lookup(t, c, where, "list")
	if r.code != 0 || !slices.Equal(firstFields(t, r.stdout), newestFirst) {
		t.Errorf("the lookups read BRIEF_DIR: %v", r)
	}
	if r := lookup(t, c, where, "__complete", "show", ""); strings.Contains(r.stdout, "secret") || !strings.Contains(r.stdout, idCall+"\t") {
		t.Errorf("completion reads BRIEF_DIR: %v", r)
	}
	// The folder is not named in what rejected files are reported as.
	broken := writeFolder(t, map[string]string{"a.md": briefing("A", "2024", "saidov"), "b.md": "---\n"})
	bc, err := Load(broken, false)
	if err != nil {
		t.Fatal(err)
	}
	r = lookup(t, bc, piped, "list")
	if r.code != 0 || r.stderr != "brief: 1 briefing in this server's briefings could not be loaded and is left out\n" {
		t.Errorf("rejected files over SSH: %v", r)
	}
}

// TestLookupHints: over SSH, hints never name a command the server refuses
// (check) nor the server's folder, and say what to run as the server says
// it is reached.
func TestLookupHints(t *testing.T) {
	broken := writeFolder(t, map[string]string{"a.md": briefing("A", "2024", "saidov"), "b.md": "---\n"})
	bc, err := Load(broken, false)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		invocation, label string
		args              []string
		want              string // stderr
	}{
		{"", "", []string{"list"}, "brief: 1 briefing in this server's briefings could not be loaded and is left out\n"},
		{"", "the office's briefings", []string{"list"}, "brief: 1 briefing in the office's briefings could not be loaded and is left out\n"},
		{"", "", []string{"list", "-o", "nobody"}, "brief: 1 briefing in this server's briefings could not be loaded and is left out\n" +
			"brief: no official or name matches \"nobody\"; 'officials' lists them\n"},
		{"ssh -p 23234 host", "", []string{"list", "-o", "nobody"}, "brief: 1 briefing in this server's briefings could not be loaded and is left out\n" +
			"brief: no official or name matches \"nobody\"; 'ssh -p 23234 host officials' lists them\n"},
		{"ssh -p 23234 host", "", []string{"list", "--since", "x"}, "brief: 1 briefing in this server's briefings could not be loaded and is left out\n" +
			"brief: --since: date \"x\" is not YYYY-MM-DD, YYYY-MM or YYYY\nRun 'ssh -p 23234 host list --help' for usage\n"},
		{"ssh -p 23234 host", "", []string{"list", "--nope"}, "brief: unknown flag: --nope\nRun 'ssh -p 23234 host list --help' for usage\n"},
		{"", "", []string{"list", "--nope"}, "brief: unknown flag: --nope\nRun 'list --help' for usage\n"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		env := piped.build(&out, &errOut)
		env.Invocation, env.CorpusLabel = tt.invocation, tt.label
		Execute(NewLookup(env, bc), tt.args)
		if !strings.HasPrefix(errOut.String(), tt.want) {
			t.Errorf("%q, %q, %q: stderr %q, want %q", tt.invocation, tt.label, tt.args, errOut.String(), tt.want)
		}
		if strings.Contains(errOut.String(), "check") || strings.Contains(errOut.String(), broken) {
			t.Errorf("%q: a refused command or the server's folder in %q", tt.args, errOut.String())
		}
	}
}

// TestLocalHints: locally, hints say what to run here, the folder quoted
// for the shell.
func TestLocalHints(t *testing.T) {
	broken := writeFolder(t, map[string]string{"my notes/a.md": briefing("A", "2024", "saidov"), "my notes/b.md": "---\n"})
	dir := filepath.Join(broken, "my notes")
	tests := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"--dir", dir, "list"}, "brief: 1 briefing in " + dir + " could not be loaded; run 'brief check '" + dir + "'' to see why\n"},
		{map[string]string{"BRIEF_DIR": dir}, []string{"list"}, "brief: 1 briefing in " + dir + " could not be loaded; run 'brief check' to see why\n"},
		{nil, []string{"list", "-o", "nobody"}, "brief: no official or name matches \"nobody\"; 'brief officials' lists them\n"},
		{nil, []string{"list", "--nope"}, "brief: unknown flag: --nope\nRun 'brief list --help' for usage\n"},
	}
	for _, tt := range tests {
		if r := run(t, piped.with(tt.env), tt.args...); r.stderr != tt.want {
			t.Errorf("%q: stderr %q, want %q", tt.args, r.stderr, tt.want)
		}
	}
}

func TestLookupRefuses(t *testing.T) {
	c := builtin(t)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--dir", "/etc", "list"}, 2, "unknown flag: --dir"},
		{[]string{"list", "--dir", "/etc"}, 2, "unknown flag: --dir"},
		{[]string{"list", "--dir=/etc"}, 2, "unknown flag: --dir"},
		{[]string{"-d", "/etc", "list"}, 2, "unknown shorthand flag: 'd'"},
		{[]string{"check"}, 2, `unknown command "check": this server answers list, show, card and officials`},
		{[]string{"check", "/etc"}, 2, `unknown command "check"`},
		{[]string{"lst"}, 2, `unknown command "lst": this server answers list, show, card and officials; did you mean list?`},
		{[]string{"serve"}, 2, `unknown command "serve"`},
		{[]string{"completion", "bash"}, 2, `unknown command "completion"`},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"\x1b]0;evil\x07"}, 2, `unknown command "\x1b]0;evil\a"`},
	}
	for _, tc := range tests {
		r := lookup(t, c, piped, tc.args...)
		if r.code != tc.code || r.stdout != "" {
			t.Errorf("%q: want exit %d and no output: %v", tc.args, tc.code, r)
		}
		ls := lines(r.stderr)
		if len(ls) == 0 || !strings.HasPrefix(ls[0], "brief: ") || !strings.Contains(ls[0], tc.want) {
			t.Errorf("%q: want one clear line with %q: %q", tc.args, tc.want, r.stderr)
		}
		if len(ls) > 2 || (len(ls) == 2 && !strings.HasPrefix(ls[1], "Run '")) {
			t.Errorf("%q: more than the error and a hint: %q", tc.args, r.stderr)
		}
		if err := plainText(r.stderr); err != nil {
			t.Errorf("%q: %v", tc.args, err)
		}
	}
	// Help offers the lookups only.
	r := lookup(t, c, piped, "--help")
	if r.code != 0 {
		t.Fatal(r)
	}
	for _, w := range []string{"list", "show", "card", "officials"} {
		if !strings.Contains(r.stdout, "  "+w+" ") {
			t.Errorf("help lacks %s:\n%s", w, r.stdout)
		}
	}
	for _, args := range [][]string{{"--help"}, {"list", "--help"}, {"help", "show"}} {
		r := lookup(t, c, piped, args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Usage:") {
			t.Errorf("%q: %v", args, r)
		}
		for _, w := range []string{"check", "completion", "--dir", "BRIEF_DIR", "serve"} {
			if strings.Contains(r.stdout, w) {
				t.Errorf("%q offers %s:\n%s", args, w, r.stdout)
			}
		}
	}
}

func TestLookupTerminal(t *testing.T) {
	c := builtin(t)
	r := lookup(t, c, tty{terminal: true, width: 100, colour: true}, "list")
	if r.code != 0 || !strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("no colour: %v", r)
	}
	if err := fits(r.stdout, 100); err != nil {
		t.Error(err)
	}
	if !strings.HasPrefix(ansi.Strip(r.stdout), "ID ") {
		t.Errorf("no table: %v", r)
	}
	var v []map[string]any
	r = lookup(t, c, piped, "officials", "--format", "json")
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || len(v) != len(c.People()) || len(v) < 60 {
		t.Errorf("officials json: %v: %v", err, r)
	}
}
