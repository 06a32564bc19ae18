package cli

import (
	"fmt"

	"github.com/brief-tools/brief/config"
	"github.com/brief-tools/brief/render/theme"
	"github.com/muesli/termenv"
)

// colour reports whether output gets colour: it goes to a terminal and
// the colour profile (NO_COLOR, TERM) allows it.
func (a *app) colour() bool {
	return a.env.Terminal && a.env.Renderer.ColorProfile() != termenv.Ascii
}

// chosenTheme gives the theme the user chose: --theme, else BRIEF_THEME,
// else the configuration file's theme (the first one set wins, "auto"
// included); Auto when none is.
func (a *app) chosenTheme() theme.Name {
	if a.themeSet {
		name, _ := theme.Parse(a.theme) // checked before the command ran
		return name
	}
	if v := a.env.Getenv("BRIEF_THEME"); v != "" {
		name, ok := theme.Parse(v)
		if ok {
			return name
		}
		fmt.Fprintf(a.errOut, "brief: BRIEF_THEME=%q is not auto, dark or light; ignored\n", v)
	}
	if c := a.config(); c.Theme != "" {
		return c.Theme
	}
	return theme.Auto
}

// darkBackground says whether to style for a dark background: as the
// user chose, else as the terminal answers, else dark. The terminal is
// asked only when colour goes to it.
func (a *app) darkBackground() bool {
	if !a.env.Terminal {
		return true // plain text for a pipe: no theme
	}
	switch a.chosenTheme() {
	case theme.Dark:
		return true
	case theme.Light:
		return false
	}
	if a.colour() && a.env.Background != nil {
		if dark, ok := a.env.Background(); ok {
			return dark
		}
	}
	return true
}

// readerTheme gives the reader's theme, dark or light, decided as for
// any output.
func (a *app) readerTheme() theme.Name {
	if a.darkBackground() {
		return theme.Dark
	}
	return theme.Light
}

// config reads the configuration file once, printing its warnings.
func (a *app) config() config.Config {
	if a.cfg == nil {
		a.cfg = &config.Config{}
		if a.env.Config != nil {
			*a.cfg = a.env.Config()
		}
		for _, w := range a.cfg.Warnings {
			fmt.Fprintf(a.errOut, "brief: %s\n", w)
		}
	}
	return *a.cfg
}
