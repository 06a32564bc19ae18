package tui

import "github.com/charmbracelet/bubbles/key"

// Key bindings. Each view lists the bindings it acts on, and help is drawn
// from those lists, so what help shows is what the keys do there.

func bind(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// globalKeys work in every view, unless it is taking text.
type globalKeys struct {
	Quit, ForceQuit, Help, Theme, Problems, Suspend, Back, Reload key.Binding
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		Quit:      bind("q", "quit", "q"),
		ForceQuit: bind("ctrl+c", "quit", "ctrl+c"),
		Help:      bind("?", "help", "?"),
		Theme:     bind("T", "light/dark", "T"),
		Problems:  bind("!", "load problems", "!"),
		Suspend:   bind("ctrl+z", "suspend", "ctrl+z"),
		Back:      bind("esc", "back", "esc"),
		Reload:    bind("R", "reload the folder now", "R"),
	}
}

// moveKeys move a selection or scroll a page.
type moveKeys struct {
	Up, Down, PageUp, PageDown, HalfUp, HalfDown, Top, Bottom key.Binding
}

func newMoveKeys() moveKeys {
	return moveKeys{
		Up:       bind("↑/k", "up", "up", "k"),
		Down:     bind("↓/j", "down", "down", "j"),
		PageUp:   bind("pgup/b", "page up", "pgup", "b"),
		PageDown: bind("pgdn/space/f", "page down", "pgdown", " ", "f"),
		HalfUp:   bind("ctrl+u", "half page up", "ctrl+u"),
		HalfDown: bind("ctrl+d", "half page down", "ctrl+d"),
		Top:      bind("g/home", "first", "g", "home"),
		Bottom:   bind("G/end", "last", "G", "end"),
	}
}

func (k moveKeys) all() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom}
}

// inputKeys act while a one-line input takes text.
type inputKeys struct {
	Accept, Keep, Cancel, Up, Down key.Binding
}

func newInputKeys() inputKeys {
	return inputKeys{
		Accept: bind("enter", "done", "enter"),
		Keep:   bind("tab", "keep, leave input", "tab"),
		Cancel: bind("esc", "cancel", "esc"),
		Up:     bind("↑", "up", "up", "ctrl+p", "ctrl+k"),
		Down:   bind("↓", "down", "down", "ctrl+n", "ctrl+j"),
	}
}
