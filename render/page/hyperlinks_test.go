package page

import "testing"

func TestHyperlinksSupported(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{"TERM": "xterm-256color"}, false},
		{map[string]string{"TERM": "xterm-256color", "FORCE_HYPERLINK": "1"}, true},
		{map[string]string{"TERM_PROGRAM": "iTerm.app", "TERM_PROGRAM_VERSION": "3.4.19", "FORCE_HYPERLINK": "0"}, false},
		{map[string]string{"TERM_PROGRAM": "iTerm.app", "TERM_PROGRAM_VERSION": "3.4.19"}, true},
		{map[string]string{"TERM_PROGRAM": "iTerm.app", "TERM_PROGRAM_VERSION": "3.0.15"}, false},
		{map[string]string{"TERM_PROGRAM": "iTerm.app"}, false},
		{map[string]string{"TERM_PROGRAM": "vscode", "TERM_PROGRAM_VERSION": "1.85.2"}, true},
		{map[string]string{"TERM_PROGRAM": "vscode", "TERM_PROGRAM_VERSION": "1.71.0"}, false},
		{map[string]string{"TERM_PROGRAM": "WezTerm"}, true},
		{map[string]string{"TERM_PROGRAM": "Apple_Terminal"}, false},
		{map[string]string{"VTE_VERSION": "7200", "TERM": "xterm-256color"}, true},
		{map[string]string{"VTE_VERSION": "5000"}, false},
		{map[string]string{"VTE_VERSION": "7200", "TMUX": "/tmp/tmux-0/default,1,0", "TERM": "tmux-256color"}, false},
		{map[string]string{"TERM_PROGRAM": "tmux", "TERM_PROGRAM_VERSION": "3.4"}, false},
		{map[string]string{"TERM": "screen-256color", "KONSOLE_VERSION": "230804"}, false},
		{map[string]string{"KONSOLE_VERSION": "230804"}, true},
		{map[string]string{"WT_SESSION": "b2a7"}, true},
		{map[string]string{"TERM": "xterm-kitty"}, true},
		{map[string]string{"TERM": "foot-extra"}, true},
		{map[string]string{"TERM": "alacritty"}, true},
		{map[string]string{"TERM": "linux"}, false},
		{map[string]string{"TERM": "dumb", "VTE_VERSION": "7200"}, false},
	}
	for _, tc := range tests {
		if got := HyperlinksSupported(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("HyperlinksSupported(%v) = %v, want %v", tc.env, got, tc.want)
		}
	}
}
