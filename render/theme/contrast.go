package theme

import (
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Contrast gives the WCAG 2 contrast ratio of two colours, from 1 (none)
// to 21 (black on white), as the xterm 256-colour palette draws them; ok
// is false for a colour that cannot be measured: none set (the terminal's
// own), or one of the first 16 palette entries, which each terminal
// chooses for itself. A colour is a lipgloss.Color: a palette index or
// "#rrggbb".
func Contrast(a, b lipgloss.TerminalColor) (ratio float64, ok bool) {
	la, okA := luminance(a)
	lb, okB := luminance(b)
	if !okA || !okB {
		return 0, false
	}
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05), true
}

// luminance gives WCAG 2's relative luminance of a colour.
func luminance(c lipgloss.TerminalColor) (float64, bool) {
	r, g, b, ok := colourRGB(c)
	if !ok {
		return 0, false
	}
	lin := func(c uint8) float64 {
		v := float64(c) / 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b), true
}

// colourRGB gives the sRGB value of a palette index (16 to 255) or of
// #rrggbb.
func colourRGB(c lipgloss.TerminalColor) (r, g, b uint8, ok bool) {
	s, isColour := c.(lipgloss.Color)
	if !isColour {
		return 0, 0, 0, false
	}
	if h, found := strings.CutPrefix(string(s), "#"); found {
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil || len(h) != 6 {
			return 0, 0, 0, false
		}
		return uint8(v >> 16), uint8(v >> 8), uint8(v), true
	}
	i, err := strconv.Atoi(string(s))
	if err != nil {
		return 0, 0, 0, false
	}
	return xterm256(i)
}

// xterm256 gives the sRGB value of a colour of the xterm 256-colour
// palette from 16 on: the 6×6×6 cube and the grey ramp.
func xterm256(i int) (r, g, b uint8, ok bool) {
	switch {
	case i < 16 || i > 255:
		return 0, 0, 0, false
	case i >= 232:
		v := uint8(8 + 10*(i-232))
		return v, v, v, true
	}
	levels := [6]uint8{0, 95, 135, 175, 215, 255}
	i -= 16
	return levels[i/36], levels[i/6%6], levels[i%6], true
}
