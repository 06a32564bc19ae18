package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPager: show pages a briefing longer than the screen through $PAGER
// (else less -R), as git does, and only then.
func TestPager(t *testing.T) {
	dir := writeFolder(t, map[string]string{
		"long.md": briefing("Long", "2024-05-01", "saidov") + strings.Repeat("A paragraph of the briefing.\n\n", 30) +
			"Hostile \x1b]0;title\x07 bytes \x1b[2J here.\n",
	})
	paged := filepath.Join(t.TempDir(), "paged")
	pager := "cat > " + paged
	tests := []struct {
		name   string
		where  tty
		args   []string
		paged  bool
		stderr string
	}{
		{"longer than the screen", tty{terminal: true, width: 80, height: 24, env: map[string]string{"PAGER": pager}}, nil, true, ""},
		{"--no-pager", tty{terminal: true, width: 80, height: 24, env: map[string]string{"PAGER": pager}}, []string{"--no-pager"}, false, ""},
		{"fits the screen", tty{terminal: true, width: 80, height: 500, env: map[string]string{"PAGER": pager}}, nil, false, ""},
		{"height unknown", tty{terminal: true, width: 80, env: map[string]string{"PAGER": pager}}, nil, false, ""},
		{"piped", tty{width: 80, height: 24, env: map[string]string{"PAGER": pager}}, nil, false, ""},
		{"PAGER empty", tty{terminal: true, width: 80, height: 24, env: map[string]string{"PAGER": ""}}, nil, false, ""},
		{"PAGER=cat", tty{terminal: true, width: 80, height: 24, env: map[string]string{"PAGER": "cat"}}, nil, false, ""},
		{"a pager that is not there", tty{terminal: true, width: 80, height: 24, env: map[string]string{"PAGER": "no-such-pager-here -x"}}, nil, false,
			`brief: the pager "no-such-pager-here -x" (PAGER) cannot be run: executable file not found in $PATH; printing instead`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(paged)
			r := run(t, tt.where, append([]string{"--dir", dir, "show", "long"}, tt.args...)...)
			if r.code != 0 {
				t.Fatal(r)
			}
			got, err := os.ReadFile(paged)
			if tt.paged != (err == nil) {
				t.Fatalf("paged %v, want %v: %v", err == nil, tt.paged, r)
			}
			text := r.stdout
			if tt.paged {
				text = string(got)
				if r.stdout != "" {
					t.Errorf("printed as well as paged: %q", r.stdout)
				}
			}
			if !strings.Contains(text, "A paragraph of the briefing.") || strings.Contains(text, "\x1b]") || strings.Contains(text, "\x1b[2J") {
				t.Errorf("the text shown is missing or unsafe: %q", text)
			}
			if tt.stderr != "" && !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr lacks %q: %v", tt.stderr, r)
			}
		})
	}
}

// TestPagerEnvironment: the pager gets LESS=FRX when LESS is unset, as
// git gives it, and the user's LESS otherwise.
func TestPagerEnvironment(t *testing.T) {
	dir := writeFolder(t, map[string]string{"long.md": briefing("Long", "2024", "saidov") + strings.Repeat("Text.\n\n", 40)})
	seen := filepath.Join(t.TempDir(), "less")
	pager := `printf '%s' "$LESS" > ` + seen + `; cat > /dev/null`
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"PAGER": pager}, "FRX"},
		{map[string]string{"PAGER": pager, "LESS": "-S"}, ""}, // the user's own: left alone (here, os.Environ's)
	} {
		r := run(t, tty{terminal: true, width: 80, height: 10, env: tt.env}, "--dir", dir, "show", "long")
		got, err := os.ReadFile(seen)
		if r.code != 0 || err != nil {
			t.Fatalf("%v: %v", err, r)
		}
		if tt.want != "" && string(got) != tt.want {
			t.Errorf("%v: the pager saw LESS=%q, want %q", tt.env, got, tt.want)
		}
		if tt.want == "" && string(got) == "FRX" {
			t.Errorf("%v: LESS was overridden", tt.env)
		}
	}
}

// TestLookupNeverPages: over SSH there is no pager.
func TestLookupNeverPages(t *testing.T) {
	paged := filepath.Join(t.TempDir(), "paged")
	r := lookup(t, builtin(t), tty{terminal: true, width: 80, height: 5, env: map[string]string{"PAGER": "cat > " + paged}}, "show", idTalks)
	if _, err := os.Stat(paged); err == nil || r.code != 0 || r.stdout == "" {
		t.Errorf("the lookup paged, or printed nothing: %v", r)
	}
}
