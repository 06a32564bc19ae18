// Package card draws summary cards: a briefing's who, when, where, key
// figures, topics and sources, and an official's profile. Cards are built
// from a theme, so each terminal gets its own styles; with Plain they print
// as unframed text for pipes.
package card

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Options say how to draw a card.
type Options struct {
	// Width is the card's full width, frame included.
	Width int
	// Focused draws the frame in the accent colour.
	Focused bool
	// Plain draws no frame, for pipes and for cards inside another view;
	// with no Width it does not wrap either.
	Plain bool
	// Height, when above zero, cuts the card to that many lines.
	Height int
	// Fill pads a card shorter than Height to Height lines, so that cards
	// side by side line up.
	Fill bool
	// LinkNumber, when set, gives the number under which a page lists a
	// source's address (0: not listed): the card then shows "[n]" for it
	// instead of the address, which the page lists whole.
	LinkNumber func(url string) int
}

// Briefing draws the summary card of a briefing.
func Briefing(b *store.Briefing, th *theme.Theme, opts Options) string {
	w := innerWidth(opts)
	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }
	d := b.Details()

	if b.IsDraft() {
		// A draft is unchecked: say so first, where even a cut card shows it.
		badge := th.Warning.Bold(true).Reverse(true).Render("DRAFT")
		add(wrapStyled(badge+" "+th.Title.Render(clean(b.Title)), w)...)
	} else {
		add(wrap(th.Title, b.Title, w)...)
	}
	meta := []string{th.Date.Render(clean(b.When()))}
	if b.Kind != "" {
		meta = append(meta, th.Kind.Render(clean(b.Kind)))
	}
	if b.Location != "" {
		meta = append(meta, th.Text.Render(clean(b.Location)))
	}
	add(wrapStyled(strings.Join(meta, th.Faint.Render(" · ")), w)...)
	if basis := d.Dating.Basis; basis == store.BasisInferred || basis == store.BasisPublished || d.Dating.Note != "" {
		if basis == "" {
			basis = store.BasisStated
		}
		note := "Date " + string(basis) // a note on a stated date is shown too
		if d.Dating.Note != "" {
			note += ": " + d.Dating.Note
		}
		add(wrap(th.Muted.Italic(true), note, w)...)
	}
	if b.Summary != "" {
		add("")
		add(wrap(th.Text, b.Summary, w)...)
	}

	add("", th.Heading.Render("Officials"))
	for _, ref := range b.Officials {
		line := th.Official.Render(clean(ref.Display()))
		if ref.Official != nil {
			if role, ok := ref.Official.RoleOn(b.Date); ok {
				line += th.Muted.Render(" — " + clean(role.Title))
			}
		} else {
			line += th.Faint.Render(" (not in the registry)")
		}
		add(indent(wrapStyled(line, w-2), "  ")...)
	}

	if len(d.Figures) > 0 {
		add("", th.Heading.Render("Key figures"))
		for _, f := range d.Figures {
			add(indent(wrapStyled(th.Figure.Render(clean(f.Value))+th.Text.Render("  "+clean(f.Label)), w-2), "  ")...)
			if f.Note != "" {
				add(indent(wrap(th.Muted, f.Note, w-4), "    ")...)
			}
		}
	}

	if len(b.Topics) > 0 || len(b.Countries) > 0 {
		add("")
		if len(b.Countries) > 0 {
			add(wrapStyled(th.Heading.Render("Countries ")+th.Text.Render(clean(strings.Join(b.Countries, ", "))), w)...)
		}
		if len(b.Topics) > 0 {
			add(wrapStyled(th.Heading.Render("Topics ")+th.Accent.Render(clean(strings.Join(b.Topics, " · "))), w)...)
		}
	}

	if len(d.Sources) > 0 {
		add("", th.Heading.Render("Sources"))
		for _, s := range d.Sources {
			line := sourceLine(s, th)
			n := 0
			if s.URL != "" && opts.LinkNumber != nil {
				n = opts.LinkNumber(s.URL)
			}
			if n > 0 {
				line += " " + th.Accent.Render(fmt.Sprintf("[%d]", n))
			}
			add(indent(wrapStyled(line, w-2), "  ")...)
			if s.URL != "" {
				if n == 0 {
					add(indent(hardwrap(th.Accent, s.URL, w-4), "    ")...)
				}
				if isSiteOnly(s.URL) {
					add(indent(wrap(th.Muted, "the outlet's site: the article's own address is not recorded", w-4), "    ")...)
				}
			}
		}
	}
	return frame(lines, th, opts)
}

// isSiteOnly reports whether a source link is only an outlet's home page
// ("https://daryo.uz/"), which the format uses when the article's own
// address is not known: a reader must not take it for the article.
func isSiteOnly(link string) bool {
	u, err := url.Parse(link)
	return err == nil && u.Host != "" && (u.Path == "" || u.Path == "/") && u.RawQuery == "" && u.Fragment == ""
}

// sourceLine gives "Outlet, "Title", 24 Jul 2025 (en)".
func sourceLine(s store.Source, th *theme.Theme) string {
	var parts []string
	if s.Outlet != "" {
		parts = append(parts, th.Text.Render(clean(s.Outlet)))
	}
	if s.Title != "" {
		parts = append(parts, th.Muted.Render("“"+clean(s.Title)+"”"))
	}
	if !s.Published.IsZero() {
		parts = append(parts, th.Date.Render(s.Published.Short()))
	}
	line := strings.Join(parts, th.Faint.Render(", "))
	if s.Lang != "" {
		line += th.Faint.Render(" (" + clean(s.Lang) + ")")
	}
	return line
}

// Person draws an official's profile card: role, country, and their first
// and last appearance in the corpus.
func Person(p store.Person, th *theme.Theme, opts Options) string {
	w := innerWidth(opts)
	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }
	add(wrap(th.Title, p.Name, w)...)
	if o := p.Official; o != nil {
		var meta []string
		if role, ok := o.CurrentRole(); ok {
			r := role.Title
			if period := role.Period(); period != "" {
				r += " (" + period + ")"
			}
			meta = append(meta, r)
		}
		if o.Country != "" {
			meta = append(meta, o.Country)
		}
		if len(meta) > 0 {
			add(wrap(th.Muted, strings.Join(meta, " · "), w)...)
		}
	} else {
		add(th.Faint.Render("Not in the officials registry"))
	}
	events := fmt.Sprintf("%d event", p.Events)
	if p.Events != 1 {
		events += "s"
	}
	line := th.Accent.Render(events)
	if p.First != nil {
		line += th.Muted.Render(" · first " + p.First.When())
		if p.Last != p.First {
			line += th.Muted.Render(" · last " + p.Last.When())
		}
	}
	add(wrapStyled(line, w)...)
	if o := p.Official; o != nil && len(o.Aliases) > 0 {
		add(th.Faint.Render(ansi.Truncate(clean("Also written: "+strings.Join(o.Aliases, ", ")), w, "…")))
	}
	return frame(lines, th, opts)
}

func innerWidth(opts Options) int {
	if opts.Plain && opts.Width <= 0 {
		return 1 << 20 // no wrapping: one line per item, for pipes
	}
	if opts.Plain {
		return max(opts.Width, 10)
	}
	return max(opts.Width-4, 10) // frame and padding
}

// frame cuts the lines to the height asked for and draws the frame.
func frame(lines []string, th *theme.Theme, opts Options) string {
	if opts.Height > 0 {
		inner := opts.Height
		if !opts.Plain {
			inner -= 2
		}
		if inner < 1 {
			inner = 1
		}
		if len(lines) > inner {
			lines = append(lines[:inner-1], th.Faint.Render("…"))
		}
		for opts.Fill && len(lines) < inner {
			lines = append(lines, "")
		}
	}
	body := strings.Join(lines, "\n")
	if opts.Plain {
		return body
	}
	st := th.Card
	if opts.Focused {
		st = th.CardFocus
	}
	return st.Width(opts.Width - 2).Render(body)
}

// clean makes a field one safe line.
func clean(s string) string { return sanitize.Line(s) }

// wrap styles text and wraps it at word boundaries to width.
func wrap(st lipgloss.Style, text string, width int) []string {
	lines := strings.Split(ansi.Wrap(clean(text), width, ""), "\n")
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	return lines
}

// wrapStyled wraps text that is already styled, each line closing its
// styles and reopening them on the next, so that no style bleeds into a
// frame.
func wrapStyled(styled string, width int) []string {
	return strings.Split(sanitize.Compact(ansi.Wrap(styled, width, "")), "\n")
}

// hardwrap breaks text that has no spaces to break at, such as a link.
func hardwrap(st lipgloss.Style, text string, width int) []string {
	lines := strings.Split(ansi.Hardwrap(clean(text), width, false), "\n")
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	return lines
}

func indent(lines []string, prefix string) []string {
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return lines
}
