package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap holds every key binding of the reader. Help is generated from
// these bindings, so what help shows is what the keys do.
type keyMap struct {
	Up, Down, PageUp, PageDown, HalfUp, HalfDown, Top, Bottom key.Binding
	Left, Right                                               key.Binding
	Open, Back, Quit, ForceQuit                               key.Binding
	Officials, Topics, Filter, Reverse, Cards, Problems       key.Binding
	Help, Theme                                               key.Binding
	NextEvent, PrevEvent                                      key.Binding
	Search, NextMatch, PrevMatch, Copy                        key.Binding
	Accept, Cancel, PickUp, PickDown                          key.Binding
}

func newKeyMap() keyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Up:        b("↑/k", "up", "up", "k"),
		Down:      b("↓/j", "down", "down", "j"),
		PageUp:    b("pgup/b", "page up", "pgup", "b"),
		PageDown:  b("pgdn/space", "page down", "pgdown", " ", "f"),
		HalfUp:    b("ctrl+u", "half page up", "ctrl+u"),
		HalfDown:  b("ctrl+d", "half page down", "ctrl+d"),
		Top:       b("g/home", "first", "g", "home"),
		Bottom:    b("G/end", "last", "G", "end"),
		Left:      b("←/h", "previous card", "left", "h"),
		Right:     b("→/l", "next card", "right", "l"),
		Open:      b("enter", "open", "enter"),
		Back:      b("esc", "back / drop last filter", "esc"),
		Quit:      b("q", "quit", "q"),
		ForceQuit: b("ctrl+c", "quit", "ctrl+c"),
		Officials: b("o", "official", "o"),
		Topics:    b("t", "topic", "t"),
		Filter:    b("/", "filter text", "/"),
		Reverse:   b("r", "flip order", "r"),
		Cards:     b("c", "cards / list", "c"),
		Problems:  b("!", "problems", "!"),
		Help:      b("?", "more keys", "?"),
		Theme:     b("T", "light/dark", "T"),
		NextEvent: b("n", "next event", "n"),
		PrevEvent: b("p", "previous event", "p"),
		Search:    b("/", "search", "/"),
		NextMatch: b("n", "next match", "n"),
		PrevMatch: b("N", "previous match", "N"),
		Copy:      b("y", "copy source link", "y"),
		Accept:    b("enter", "apply", "enter"),
		Cancel:    b("esc", "cancel", "esc"),
		PickUp:    b("↑/ctrl+p", "up", "up", "ctrl+p", "ctrl+k"),
		PickDown:  b("↓/ctrl+n", "down", "down", "ctrl+n", "ctrl+j"),
	}
}
