// Package quiet keeps Lip Gloss from asking the terminal anything on its
// own. Import it for its side effect, from package main only:
//
//	import _ "github.com/brief-tools/brief/termbg/quiet"
//
// Bubble Tea v1's package initialization asks Lip Gloss's default renderer
// whether the background is dark, and termenv answers by querying the
// terminal (OSC 11, then a cursor position report) and waiting up to 5 s
// for each: every command, --help included, stalled on a terminal that
// answers nothing. This package's initialization says "dark" to the
// default renderer first, so that nothing is asked. brief never styles
// with the default renderer (styles come from a renderer passed in, whose
// background brief sets itself after asking once, through termbg); only
// components left with their default styles would, and they get the dark
// ones.
//
// Why it runs first: Go initializes packages in the order of their import
// paths among those whose imports are initialized (the Go spec, since Go
// 1.21). This package imports only Lip Gloss, which Bubble Tea imports
// too, and "github.com/brief-tools/..." sorts before
// "github.com/charmbracelet/bubbletea". The end-to-end tests on a pty
// check that `brief --help` writes no query.
package quiet

import "github.com/charmbracelet/lipgloss"

func init() {
	lipgloss.DefaultRenderer().SetHasDarkBackground(true)
}
