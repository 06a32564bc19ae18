package page

import (
	"strconv"
	"strings"
)

// HyperlinksSupported guesses from a terminal's environment (getenv reads
// it: os.Getenv locally, the session's environment over SSH) whether it
// shows OSC 8 hyperlinks, for Options.Hyperlinks. No terminal can be asked,
// so it goes by what terminals announce of themselves, and says no when in
// doubt: a terminal that does not know OSC 8 should ignore it, but some
// print it.
//
// FORCE_HYPERLINK decides when set (0 for no, anything else for yes), as
// other command-line tools read it. Otherwise yes for iTerm2 3.1 and
// later, WezTerm, VS Code 1.72 and later, Ghostty, Windows Terminal, VTE
// 0.50.1 and later (GNOME Terminal and others), Konsole, DomTerm, kitty,
// foot and Alacritty; no for anything else, including tmux (which passes
// hyperlinks on only from 3.4 and when configured to), GNU screen and the
// Linux console.
func HyperlinksSupported(getenv func(string) string) bool {
	if v := strings.TrimSpace(getenv("FORCE_HYPERLINK")); v != "" {
		return v != "0"
	}
	term := getenv("TERM")
	if term == "dumb" || term == "linux" || strings.HasPrefix(term, "screen") || getenv("TMUX") != "" || getenv("STY") != "" {
		return false
	}
	switch getenv("TERM_PROGRAM") {
	case "iTerm.app":
		return atLeast(getenv("TERM_PROGRAM_VERSION"), 3, 1)
	case "WezTerm", "ghostty":
		return true
	case "vscode":
		return atLeast(getenv("TERM_PROGRAM_VERSION"), 1, 72)
	case "tmux", "Apple_Terminal":
		return false
	}
	if getenv("WT_SESSION") != "" || getenv("KONSOLE_VERSION") != "" || getenv("DOMTERM") != "" || getenv("KITTY_WINDOW_ID") != "" {
		return true
	}
	// VTE 0.50.0 crashed on some hyperlinks; 0.50.1 is 5001.
	if v, err := strconv.Atoi(getenv("VTE_VERSION")); err == nil && v >= 5001 {
		return true
	}
	switch {
	case term == "xterm-kitty", term == "alacritty", term == "xterm-ghostty", term == "wezterm",
		term == "foot", strings.HasPrefix(term, "foot-"):
		return true
	}
	return false
}

// atLeast reports whether version ("3.4.19", "1.85.2") is at least
// major.minor.
func atLeast(version string, major, minor int) bool {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return ma > major || ma == major && mi >= minor
}
