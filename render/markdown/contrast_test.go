package markdown

import (
	"fmt"
	"strings"
	"testing"

	"github.com/brief-tools/brief/render/theme"
	gansi "github.com/charmbracelet/glamour/ansi"
	"github.com/charmbracelet/lipgloss"
)

// TestStyleContrast measures the colours of the glamour styles a body is
// drawn with, against the backgrounds each is for (as the theme package
// measures its own): text 4.5:1 (a code block's text too: it is drawn
// in the code block's colour, unhighlighted), secondary text (image
// captions) 3:1, text on its own background 4.5:1. Body text and rules set
// no colour or are decoration. -v prints the table.
func TestStyleContrast(t *testing.T) {
	backgrounds := map[bool][]string{true: {"#000000", "#1c1c1c"}, false: {"#ffffff", "#f5f5f5"}}
	for _, dark := range []bool{true, false} {
		cfg := style(dark)
		prims := []struct {
			name string
			p    gansi.StylePrimitive
			min  float64
		}{
			{"Document", cfg.Document.StylePrimitive, 4.5},
			{"Paragraph", cfg.Paragraph.StylePrimitive, 4.5},
			{"Heading", cfg.Heading.StylePrimitive, 4.5},
			{"H1", cfg.H1.StylePrimitive, 4.5},
			{"H2", cfg.H2.StylePrimitive, 4.5},
			{"H3", cfg.H3.StylePrimitive, 4.5},
			{"H4", cfg.H4.StylePrimitive, 4.5},
			{"H5", cfg.H5.StylePrimitive, 4.5},
			{"H6", cfg.H6.StylePrimitive, 4.5},
			{"Text", cfg.Text, 4.5},
			{"Emph", cfg.Emph, 4.5},
			{"Strong", cfg.Strong, 4.5},
			{"Strikethrough", cfg.Strikethrough, 4.5},
			{"BlockQuote", cfg.BlockQuote.StylePrimitive, 4.5},
			{"List", cfg.List.StylePrimitive, 4.5},
			{"Item", cfg.Item, 4.5},
			{"Enumeration", cfg.Enumeration, 4.5},
			{"Link", cfg.Link, 4.5},
			{"LinkText", cfg.LinkText, 4.5},
			{"Image", cfg.Image, 4.5},
			{"ImageText", cfg.ImageText, 3},
			{"Code", cfg.Code.StylePrimitive, 4.5},
			{"CodeBlock", cfg.CodeBlock.StylePrimitive, 4.5},
			{"Table", cfg.Table.StylePrimitive, 4.5},
			{"DefinitionTerm", cfg.DefinitionTerm, 4.5},
			{"DefinitionDescription", cfg.DefinitionDescription, 4.5},
			{"HorizontalRule", cfg.HorizontalRule, 0},
		}
		var table strings.Builder
		fmt.Fprintf(&table, "dark=%v\n", dark)
		for _, pr := range prims {
			if pr.p.Color == nil {
				if pr.p.BackgroundColor != nil {
					t.Errorf("dark=%v: %s paints background %s under the terminal's own text colour", dark, pr.name, *pr.p.BackgroundColor)
				}
				continue
			}
			fg := lipgloss.Color(*pr.p.Color)
			for _, page := range backgrounds[dark] {
				var bg lipgloss.TerminalColor = lipgloss.Color(page)
				where := page
				if pr.p.BackgroundColor != nil {
					bg, where = lipgloss.Color(*pr.p.BackgroundColor), *pr.p.BackgroundColor
				}
				got, ok := theme.Contrast(fg, bg)
				if !ok {
					t.Errorf("dark=%v: %s: %s on %s cannot be measured", dark, pr.name, fg, where)
					continue
				}
				fmt.Fprintf(&table, "  %-14s %-5s on %-8s %6.2f:1 (min %.1f)\n", pr.name, fg, where, got, pr.min)
				if got < pr.min {
					t.Errorf("dark=%v: %s: %s on %s is %.2f:1, want %.1f:1", dark, pr.name, fg, where, got, pr.min)
				}
			}
		}
		t.Log("\n" + table.String())
	}
}
