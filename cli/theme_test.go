package cli

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/brief-tools/brief/config"
	"github.com/brief-tools/brief/render/theme"
)

// The muted text colour of each theme's palette, as a 256-colour SGR:
// what tells the themes apart, body text being the terminal's own.
const (
	darkText  = "38;5;246" // muted text: body text takes the terminal's own colour
	lightText = "38;5;241"
)

// TestThemeChoice: the theme comes from --theme, then BRIEF_THEME, then the
// configuration file; only then is the terminal asked, once, and only when
// colour goes to it; no answer means dark. The configuration file is read
// at most once, and only by a command that needs a setting (the folder,
// when neither --dir nor BRIEF_DIR gives one, or the theme).
func TestThemeChoice(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		colour bool
		answer string // what the terminal says: "dark", "light" or "" (nothing)
		cfg    *config.Config
		want   string // darkText, lightText, or "" for plain output
		asks   int
		reads  int // times the configuration file is read
		stderr string
	}{
		{"the terminal says light", []string{"list"}, nil, true, "light", nil, lightText, 1, 1, ""},
		{"the terminal says dark", []string{"list"}, nil, true, "dark", nil, darkText, 1, 1, ""},
		{"the terminal says nothing", []string{"list"}, nil, true, "", nil, darkText, 1, 1, ""},
		{"show asks once", []string{"show", idTalks}, nil, true, "light", nil, lightText, 1, 1, ""},
		{"card", []string{"card", idTalks}, nil, true, "light", nil, lightText, 1, 1, ""},
		{"officials", []string{"officials"}, nil, true, "light", nil, lightText, 1, 1, ""},
		{"--theme", []string{"list", "--theme", "light"}, nil, true, "dark", nil, lightText, 0, 1, ""},
		{"BRIEF_THEME", []string{"list"}, map[string]string{"BRIEF_THEME": "light"}, true, "dark", nil, lightText, 0, 1, ""},
		{"--theme over BRIEF_THEME", []string{"list", "--theme", "dark"}, map[string]string{"BRIEF_THEME": "light"}, true, "light", nil, darkText, 0, 1, ""},
		{"BRIEF_THEME=auto asks", []string{"list"}, map[string]string{"BRIEF_THEME": "auto"}, true, "light", &config.Config{Theme: theme.Dark}, lightText, 1, 1, ""},
		{"--theme auto asks", []string{"list", "--theme", "auto"}, map[string]string{"BRIEF_THEME": "dark"}, true, "light", nil, lightText, 1, 1, ""},
		{"a wrong BRIEF_THEME", []string{"list"}, map[string]string{"BRIEF_THEME": "blue"}, true, "light", nil, lightText, 1, 1,
			`brief: BRIEF_THEME="blue" is not auto, dark or light; ignored`},
		{"the configuration file", []string{"list"}, nil, true, "dark", &config.Config{Theme: theme.Light}, lightText, 0, 1, ""},
		{"BRIEF_THEME over the configuration file", []string{"list"}, map[string]string{"BRIEF_THEME": "dark"}, true, "light",
			&config.Config{Theme: theme.Light}, darkText, 0, 1, ""},
		{"the configuration file's warnings", []string{"list"}, nil, true, "light",
			&config.Config{Warnings: []config.Warning{{Path: "/c/config.yaml", Line: 3, Message: `unknown setting "them"`}}}, lightText, 1, 1,
			`brief: /c/config.yaml:3: unknown setting "them"`},
		{"no colour: nothing asked", []string{"list"}, nil, false, "light", nil, "", 0, 1, ""},
		{"json", []string{"list", "--format", "json"}, nil, true, "light", nil, "", 0, 1, ""},
		{"jsonl", []string{"list", "--format", "jsonl"}, nil, true, "light", nil, "", 0, 1, ""},
		{"show as json", []string{"show", idTalks, "--format", "json"}, nil, true, "light", nil, "", 0, 1, ""},
		{"help", []string{"--help"}, nil, true, "light", nil, "", 0, 0, ""},
		{"help of a command", []string{"list", "--help"}, nil, true, "light", nil, "", 0, 0, ""},
		{"version", []string{"--version"}, nil, true, "light", nil, "", 0, 0, ""},
		{"check", []string{"check"}, nil, true, "light", nil, "", 0, 1, ""},
		{"completion", []string{"completion", "bash"}, nil, true, "light", nil, "", 0, 0, ""},
		{"a completion request", []string{"__complete", "show", ""}, nil, true, "light", nil, "", 0, 1, ""},
		{"a usage mistake", []string{"list", "--since", "x"}, nil, true, "light", nil, "", 0, 1, ""},
		{"an unknown id", []string{"show", "nope"}, nil, true, "light", nil, "", 0, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asks, reads := 0, 0
			where := tty{terminal: true, width: 100, colour: tt.colour, env: tt.env}
			where.background = func() (bool, bool) {
				asks++
				return tt.answer != "light", tt.answer != ""
			}
			where.config = func() config.Config {
				reads++
				if tt.cfg == nil {
					return config.Config{}
				}
				return *tt.cfg
			}
			r := run(t, where, tt.args...)
			if asks != tt.asks || reads != tt.reads {
				t.Errorf("the terminal was asked %d times and the configuration read %d times; want %d and %d", asks, reads, tt.asks, tt.reads)
			}
			switch tt.want {
			case "":
				// No colour; bold (which is not colour) may stay.
				if plain := strings.NewReplacer("\x1b[1m", "", "\x1b[0m", "").Replace(r.stdout); strings.Contains(plain, "\x1b[") {
					t.Errorf("coloured output: %q", r.stdout)
				}
			default:
				other := map[string]string{darkText: lightText, lightText: darkText}[tt.want]
				if !strings.Contains(r.stdout, tt.want) || strings.Contains(r.stdout, other) {
					t.Errorf("want the %s theme's text colour, got:\n%q", map[string]string{darkText: "dark", lightText: "light"}[tt.want], r.stdout)
				}
			}
			if tt.stderr != "" && !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr lacks %q: %v", tt.stderr, r)
			}
		})
	}
}

// TestReaderTheme: the reader gets the theme decided the same way, as dark
// or light, never auto.
func TestReaderTheme(t *testing.T) {
	tests := []struct {
		args   []string
		env    map[string]string
		answer string
		want   theme.Name
		asks   int
	}{
		{nil, nil, "light", theme.Light, 1},
		{nil, nil, "dark", theme.Dark, 1},
		{nil, nil, "", theme.Dark, 1},
		{[]string{"--theme", "light"}, nil, "dark", theme.Light, 0},
		{nil, map[string]string{"BRIEF_THEME": "light"}, "dark", theme.Light, 0},
	}
	for _, tt := range tests {
		var got []theme.Name
		asks := 0
		where := tty{terminal: true, width: 100, colour: true, env: tt.env}
		where.background = func() (bool, bool) { asks++; return tt.answer != "light", tt.answer != "" }
		where.reader = func(_ context.Context, r ReaderSetup) error {
			got = append(got, r.Theme)
			return nil
		}
		r := run(t, where, tt.args...)
		if r.code != 0 || !slices.Equal(got, []theme.Name{tt.want}) || asks != tt.asks {
			t.Errorf("brief %q (%v, terminal says %q): the reader got %v after %d questions; want %s after %d\n%v", tt.args, tt.env, tt.answer, got, asks, tt.want, tt.asks, r)
		}
	}
}

// TestLookupNeverAsks: the SSH lookups never ask the server's terminal nor
// read the server user's configuration, whatever the Env says.
func TestLookupNeverAsks(t *testing.T) {
	c := builtin(t)
	asks, reads := 0, 0
	where := tty{terminal: true, width: 100, colour: true}
	where.background = func() (bool, bool) { asks++; return false, true }
	where.config = func() config.Config { reads++; return config.Config{Theme: theme.Light} }
	for _, args := range [][]string{{"list"}, {"show", idTalks}, {"card", idTalks}, {"officials"}} {
		if r := lookup(t, c, where, args...); r.code != 0 {
			t.Errorf("%q: %v", args, r)
		}
	}
	if asks != 0 || reads != 0 {
		t.Errorf("the lookups asked the terminal %d times and read the configuration %d times", asks, reads)
	}
}
