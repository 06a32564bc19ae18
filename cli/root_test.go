package cli

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/brief-tools/brief/render/theme"
	"github.com/charmbracelet/x/ansi"
)

func TestFolderChoice(t *testing.T) {
	one := writeFolder(t, map[string]string{"in-one.md": briefing("In one", "2024", "Saidov")})
	two := writeFolder(t, map[string]string{"in-two.md": briefing("In two", "2025", "Нуртлеу")})
	missing := filepath.Join(one, "missing")
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want []string // ids listed
		err  string   // in stderr
	}{
		{"built-in by default", nil, nil, 0, newestFirst, ""},
		{"BRIEF_DIR", map[string]string{"BRIEF_DIR": one}, nil, 0, []string{"in-one"}, ""},
		{"--dir", nil, []string{"--dir", two}, 0, []string{"in-two"}, ""},
		{"-d", nil, []string{"-d", two}, 0, []string{"in-two"}, ""},
		{"--dir after the command", nil, []string{"list", "--dir", two}, 0, []string{"in-two"}, ""},
		{"--dir=", nil, []string{"--dir=" + two}, 0, []string{"in-two"}, ""},
		{"--dir wins over BRIEF_DIR", map[string]string{"BRIEF_DIR": one}, []string{"--dir", two}, 0, []string{"in-two"}, ""},
		{"an empty BRIEF_DIR is the built-in corpus", map[string]string{"BRIEF_DIR": ""}, nil, 0, newestFirst, ""},
		{"a relative folder", nil, []string{"--dir", "../briefs"}, 0, newestFirst, ""},
		{"a folder without .md files", nil, []string{"--dir", "."}, 1, nil, "brief: --dir . holds no briefings: no .md file in it or its subfolders\n"},
		{"BRIEF_DIR missing", map[string]string{"BRIEF_DIR": missing}, nil, 2, nil, "brief: BRIEF_DIR=" + missing + ": no such folder\n"},
		{"--dir missing", map[string]string{"BRIEF_DIR": one}, []string{"--dir", missing}, 2, nil, "brief: --dir " + missing + ": no such folder\n"},
		{"--dir a file", nil, []string{"--dir", filepath.Join(one, "in-one.md")}, 2, nil, "brief: --dir " + filepath.Join(one, "in-one.md") + ": not a folder but a file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if !slices.Contains(args, "list") {
				args = append(slices.Clone(args), "list")
			}
			r := run(t, piped.with(tc.env), args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %v", r.code, tc.code, r)
			}
			if tc.err != "" {
				if !strings.HasPrefix(r.stderr, tc.err) || r.stdout != "" {
					t.Errorf("want %q on stderr: %v", tc.err, r)
				}
				return
			}
			if got := firstFields(t, r.stdout); !slices.Equal(got, tc.want) {
				t.Errorf("listed %v, want %v", got, tc.want)
			}
		})
	}
}

// A folder without officials.yaml uses the built-in registry; one with its
// own uses that instead.
func TestFolderRegistry(t *testing.T) {
	without := writeFolder(t, map[string]string{
		"a.md": briefing("Saidov in Astana", "2024-02", "Saidov, Мирзиёев"),
	})
	r := run(t, piped, "--dir", without, "list", "--format", "json")
	var list []jsonBriefing
	if err := unmarshal(r.stdout, &list); err != nil || len(list) != 1 {
		t.Fatalf("%v: %v", err, r)
	}
	got := list[0].Officials
	if len(got) != 2 || got[0].ID != "saidov" || got[0].Name != "Bakhtiyor Saidov" || got[0].Written != "Saidov" ||
		got[1].ID != "mirziyoyev" || got[1].Written != "Мирзиёев" {
		t.Errorf("officials %+v, want saidov and mirziyoyev from the built-in registry", got)
	}
	if r := run(t, piped, "--dir", without, "list", "-o", "سعيدوف"); !slices.Equal(firstFields(t, r.stdout), []string{"a"}) {
		t.Errorf("the built-in registry's spellings do not find the briefing: %v", r)
	}
	if r := run(t, piped, "check", without); r.code != 0 || r.stdout != "" {
		t.Errorf("check with the built-in registry: %v", r)
	}

	own := writeFolder(t, map[string]string{
		"officials.yaml": "- id: ivanov\n  name: Ivan Ivanov\n  country: Kazakhstan\n  roles:\n    - title: Ambassador\n      from: 2020\n  aliases: [Иванов]\n",
		"a.md":           briefing("Ivanov and Saidov", "2024-02", "Иванов, Saidov"),
	})
	r = run(t, piped, "--dir", own, "list", "--format", "json")
	list = nil
	if err := unmarshal(r.stdout, &list); err != nil || len(list) != 1 {
		t.Fatalf("%v: %v", err, r)
	}
	got = list[0].Officials
	if len(got) != 2 || got[0].ID != "ivanov" || got[0].Role != "Ambassador" || got[1].ID != "" || got[1].Name != "Saidov" {
		t.Errorf("officials %+v, want ivanov from the folder's registry and Saidov unknown to it", got)
	}
	if r := run(t, piped, "--dir", own, "officials"); !strings.HasPrefix(r.stdout, "ivanov\tIvan Ivanov\tAmbassador\tKazakhstan\t1\n") || strings.Contains(r.stdout, "tokayev") {
		t.Errorf("officials from the folder's registry: %v", r)
	}
	if r := run(t, piped, "check", own); r.code != 0 || !strings.Contains(r.stdout, `official "Saidov" is not in the registry`) {
		t.Errorf("check with the folder's registry: %v", r)
	}
}

func TestVersion(t *testing.T) {
	for _, where := range []tty{piped, term80} {
		if r := run(t, where, "--version"); r.code != 0 || r.stdout != "brief 1.2.3\n" || r.stderr != "" {
			t.Errorf("%s: --version: %v", where, r)
		}
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"Usage:", "Examples:", "brief list --official saidov", "--dir", "BRIEF_DIR", "Available Commands:", "check", "officials"}},
		{[]string{"help"}, []string{"Examples:", "brief show 2025-07-24"}},
		{[]string{"list", "--help"}, []string{"Examples:", "brief list --official Токаев --topic trade", "--since", "--until", "--query", "--format", "--limit", "--reverse", "--official", "--topic", "Aliases:"}},
		{[]string{"help", "list"}, []string{"Examples:", "brief list --since 2025-01 --until 2025-06"}},
		{[]string{"show", "--help"}, []string{"Examples:", "brief show 2025-07-24", "--format"}},
		{[]string{"card", "-h"}, []string{"Examples:", "brief card 2025-07-24"}},
		{[]string{"officials", "--help"}, []string{"Examples:", "brief officials --format json"}},
		{[]string{"check", "--help"}, []string{"Examples:", "brief check ~/briefings", "exits 1"}},
	}
	for _, tc := range tests {
		r := run(t, piped, tc.args...)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("%v: %v", tc.args, r)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%v lacks %q:\n%s", tc.args, w, r.stdout)
			}
		}
		if err := plainText(r.stdout); err != nil {
			t.Errorf("%v: %v", tc.args, err)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, "brief: unknown command \"frobnicate\"\n"},
		{[]string{"frobnicate", "--dir", "x"}, `unknown command "frobnicate"`},
		{[]string{"lsit"}, `unknown command "lsit"; did you mean list?`},
		{[]string{"shwo", "x"}, `unknown command "shwo"; did you mean show?`},
		{[]string{"chek"}, `unknown command "chek"; did you mean check?`},
		{[]string{"list", "x"}, `brief list takes no arguments (got "x")`},
		{[]string{"show", "a", "b"}, `brief show takes one briefing id (got 2: "a", "b")`},
		{[]string{"--nope"}, "unknown flag: --nope"},
		{[]string{"--theme", "purple", "list"}, `--theme "purple": use auto, dark or light`},
		{[]string{"--dir"}, "flag needs an argument"},
	}
	for _, tc := range tests {
		r := run(t, piped, tc.args...)
		if r.code != 2 || r.stdout != "" {
			t.Errorf("%q: want exit 2 and no output: %v", tc.args, r)
		}
		if !strings.HasPrefix(r.stderr, "brief: ") || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "--help' for usage") {
			t.Errorf("%q: stderr %q, want %q and a hint", tc.args, r.stderr, tc.want)
		}
		if n := strings.Count(r.stderr, "--help' for usage"); n != 1 {
			t.Errorf("%q: the hint %d times: %q", tc.args, n, r.stderr)
		}
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		err  error
		code int
	}{
		{nil, 0},
		{errors.New("boom"), 1},
		{UsageError{errors.New("bad flag")}, 2},
		{ExitError{Code: 1}, 1},
		{ExitError{Code: 3}, 3},
		{errors.New(`unknown command "x" for "brief"`), 2},
		{errors.Join(errors.New("context"), UsageError{errors.New("bad")}), 2},
	}
	for _, tc := range tests {
		if got := Code(tc.err); got != tc.code {
			t.Errorf("Code(%v) = %d, want %d", tc.err, got, tc.code)
		}
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		r := run(t, piped, "completion", shell)
		if r.code != 0 || !strings.Contains(r.stdout, shell+" completion") || !strings.Contains(r.stdout, "__complete") {
			t.Errorf("completion %s: %.300s", shell, r)
		}
	}
	tests := []struct {
		args []string
		want []string
		not  []string
	}{
		// value<TAB>description: the shells split completions at the tab.
		{[]string{"show", "2025-0"}, []string{idCall + "\tTokayev and Mirziyoyev speak by phone on regional stability\n", idNorbaeva + "\t"}, []string{idFlood, "  "}},
		{[]string{"list", "--official", "mi"}, []string{"mirziyoyev\tShavkat Mirziyoyev\n"}, []string{"tokayev"}},
		{[]string{"card", ""}, newestFirst, nil},
		{[]string{"show", idCall, ""}, nil, []string{idCall}}, // one id only
		{[]string{"list", "--topic", ""}, []string{"flood-relief", "water-energy", "interparliamentary"}, nil},
		{[]string{"list", "--format", ""}, []string{"table", "json", "jsonl"}, nil},
		{[]string{"--theme", ""}, []string{"auto", "dark", "light"}, nil},
	}
	for _, tc := range tests {
		r := run(t, piped, append([]string{"__complete"}, tc.args...)...)
		if r.code != 0 {
			t.Errorf("complete %q: %v", tc.args, r)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("complete %q lacks %q:\n%s", tc.args, w, r.stdout)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(r.stdout, w) {
				t.Errorf("complete %q offers %q:\n%s", tc.args, w, r.stdout)
			}
		}
	}
	if r := run(t, piped, "__completeNoDesc", "show", "2025-0"); r.stdout != idCall+"\n"+idNorbaeva+"\n:4\n" {
		t.Errorf("completions without descriptions: %q", r.stdout)
	}
	// Ids complete from the folder chosen.
	dir := writeFolder(t, map[string]string{"mine.md": briefing("Mine", "2024", "saidov")})
	if r := run(t, piped.with(map[string]string{"BRIEF_DIR": dir}), "__complete", "show", ""); !strings.Contains(r.stdout, "mine\tMine") || strings.Contains(r.stdout, idCall) {
		t.Errorf("completion ignores BRIEF_DIR: %v", r)
	}
}

// brief alone opens the reader on a terminal, and lists when piped.
func TestRootCommand(t *testing.T) {
	r := run(t, piped, "")
	if r.code != 2 {
		// An empty argument is not a command.
		t.Errorf("brief '': %v", r)
	}
	r = run(t, piped)
	if r.code != 0 || !slices.Equal(firstFields(t, r.stdout), newestFirst) {
		t.Errorf("piped brief does not list: %v", r)
	}
	r = run(t, term80) // a terminal, but no reader
	if r.code != 0 || !strings.HasPrefix(ansi.Strip(r.stdout), "ID ") || len(lines(r.stdout)) != 7 {
		t.Errorf("brief on a terminal without a reader does not show the table: %v", r)
	}
	if r := run(t, piped, "extra"); r.code != 2 {
		t.Errorf("brief extra: %v", r)
	}

	dir := writeFolder(t, map[string]string{"mine.md": briefing("Mine", "2024", "saidov")})
	type call struct {
		theme theme.Name
		ids   []string
		err   error
	}
	var calls []call
	where := term80
	where.reader = func(ctx context.Context, r ReaderSetup) error {
		th := r.Theme
		c, err := r.Load()
		var ids []string
		if c != nil {
			for _, b := range c.Briefings() {
				ids = append(ids, b.ID)
			}
		}
		calls = append(calls, call{th, ids, err})
		if th == theme.Light {
			return errors.New("the reader failed")
		}
		return nil
	}
	tests := []struct {
		env   map[string]string
		args  []string
		code  int
		calls []call
		err   string
	}{
		{nil, nil, 0, []call{{theme.Dark, []string{idAstana, idTashkent, idTalks, idFlood, idCall, idNorbaeva}, nil}}, ""},
		{nil, []string{"--theme", "dark", "--dir", dir}, 0, []call{{theme.Dark, []string{"mine"}, nil}}, ""},
		{map[string]string{"BRIEF_DIR": dir}, nil, 0, []call{{theme.Dark, []string{"mine"}, nil}}, ""},
		{nil, []string{"--theme", "light"}, 1, []call{{theme: theme.Light}}, "brief: the reader failed"},
		{nil, []string{"--dir", filepath.Join(dir, "nope")}, 2, nil, "brief: --dir " + filepath.Join(dir, "nope") + ": no such folder"},
		{nil, []string{"--dir", filepath.Join(dir, "mine.md")}, 2, nil, "brief: --dir " + filepath.Join(dir, "mine.md") + ": not a folder but a file"},
		{nil, []string{"--dir", t.TempDir()}, 1, nil, "brief: --dir "},
		{nil, []string{"--theme", "blue"}, 2, nil, `brief: --theme "blue"`},
	}
	for _, tc := range tests {
		calls = nil
		r := run(t, where.with(tc.env), tc.args...)
		if r.code != tc.code || !strings.HasPrefix(r.stderr, tc.err) || (tc.err == "") != (r.stderr == "") {
			t.Errorf("brief %q: want exit %d and %q: %v", tc.args, tc.code, tc.err, r)
		}
		if len(calls) != len(tc.calls) {
			t.Errorf("brief %q: the reader opened %d times, want %d", tc.args, len(calls), len(tc.calls))
			continue
		}
		for i, c := range calls {
			want := tc.calls[i]
			if c.theme != want.theme || c.err != nil || (want.theme != theme.Light && !slices.Equal(c.ids, want.ids)) {
				t.Errorf("brief %q: the reader got %+v, want %+v", tc.args, c, want)
			}
		}
	}
}

// Colour only on a terminal; nothing that styles text anywhere else.
func TestColour(t *testing.T) {
	dir := linked(t)
	commands := [][]string{
		{"list"}, {"show", idTalks}, {"card", idTalks}, {"officials"},
		{"--dir", dir, "show", "linked"}, {"--dir", dir, "list"},
	}
	for _, args := range commands {
		for _, width := range []int{80, 160} {
			on := tty{terminal: true, width: width, colour: true}
			r := run(t, on, args...)
			if r.code != 0 {
				t.Fatalf("%q: %v", args, r)
			}
			if !strings.Contains(r.stdout, "\x1b[") || !strings.Contains(r.stdout, "38;5;") {
				t.Errorf("%q on a 256-colour terminal has no colour:\n%s", args, r.stdout)
			}
			if err := terminalSafe(r.stdout); err != nil {
				t.Errorf("%q: %v", args, err)
			}
			if err := fits(r.stdout, width); err != nil {
				t.Errorf("%q: %v", args, err)
			}
			// Colour changes nothing else.
			ascii := run(t, tty{terminal: true, width: width}, args...)
			if ansi.Strip(r.stdout) != ansi.Strip(ascii.stdout) {
				t.Errorf("%q: the text differs with colour:\n%s\n---\n%s", args, ansi.Strip(r.stdout), ansi.Strip(ascii.stdout))
			}
			if strings.Contains(ascii.stdout, "38;5;") {
				t.Errorf("%q: colour with an ASCII profile", args)
			}
		}
	}
	off := tty{terminal: false, width: 80, colour: true}
	for _, args := range append(commands,
		[]string{"list", "--format", "json"}, []string{"show", idCall, "--format", "json"},
		[]string{"officials", "--format", "json"}, []string{"--help"}, []string{"check", dir},
		[]string{"show", "nope"}, []string{"list", "--since", "x"}, []string{"check", filepath.Join(dir, "x")},
	) {
		r := run(t, off, args...)
		if strings.Contains(r.stdout+r.stderr, "\x1b") {
			t.Errorf("%q writes escape sequences to a pipe:\n%q\n%q", args, r.stdout, r.stderr)
		}
		if err := plainText(r.stdout + r.stderr); err != nil {
			t.Errorf("%q: %v", args, err)
		}
	}
}
