// Package dossier writes a selection of briefings as one document to take
// to a meeting: a cover (what was selected, when, from which corpus), a
// timeline table, then each briefing's card, its full text, its sources
// and its numbered links. Markdown renders in brief itself and in common
// viewers; HTML is one self-contained file (inline CSS, no script, no
// remote resource) that prints on A4 with each briefing on a new page.
//
// Briefing text is untrusted: in HTML every string from a briefing is
// escaped (html/template for the frame; the body's Markdown is rendered
// with raw HTML left out, links and images reduced to their text and a
// number), so that no element or attribute comes from a briefing; in
// Markdown the fields are escaped so that they read as text. Neither
// format carries a control character.
package dossier

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
)

// Dossier is what to write.
type Dossier struct {
	// Title heads the cover ("Briefing dossier" when empty).
	Title string
	// Selection says what was selected, one criterion a line ("official:
	// Bakhtiyor Saidov"); empty for every briefing.
	Selection []string
	// Corpus names where the briefings come from ("the built-in
	// briefings", a folder).
	Corpus string
	// Made is when the dossier was made.
	Made time.Time
	// Entries are the briefings, in the order to present them.
	Entries []Entry
}

// Entry is one briefing of a dossier.
type Entry struct {
	Briefing *store.Briefing
	// Body is its Markdown body, as Corpus.Body gives it.
	Body string
	// Marked and Note are the reader's mark and private note.
	Marked bool
	Note   string
}

// Collect reads the bodies of the briefings bs of corpus c into entries;
// mark, when not nil, gives the reader's mark and note of each. A body
// that cannot be read fails the whole: a dossier missing a text would
// mislead.
func Collect(c *store.Corpus, bs []*store.Briefing, mark func(*store.Briefing) (marked bool, note string)) ([]Entry, error) {
	entries := make([]Entry, 0, len(bs))
	for _, b := range bs {
		body, _, err := c.Body(b)
		if err != nil {
			return nil, fmt.Errorf("dossier: %w", err)
		}
		e := Entry{Briefing: b, Body: body}
		if mark != nil {
			e.Marked, e.Note = mark(b)
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// title gives the dossier's title.
func (d Dossier) title() string {
	if t := line(d.Title); t != "" {
		return t
	}
	return "Briefing dossier"
}

// madeText gives when the dossier was made, as a reader says it.
func (d Dossier) madeText() string {
	if d.Made.IsZero() {
		return ""
	}
	return d.Made.Format("2 January 2006, 15:04 MST")
}

// selectionText gives what was selected, in one line.
func (d Dossier) selectionText() string {
	if len(d.Selection) == 0 {
		return "every briefing"
	}
	parts := make([]string, len(d.Selection))
	for i, s := range d.Selection {
		parts[i] = line(s)
	}
	return strings.Join(parts, "; ")
}

// count says how many briefings: "1 briefing", "12 briefings".
func count(n int) string {
	if n == 1 {
		return "1 briefing"
	}
	return fmt.Sprintf("%d briefings", n)
}

// line makes a field one line of printable text.
func line(s string) string { return strings.TrimSpace(sanitize.Line(s)) }

// officialLine gives "Name — role" for an official of b.
func officialLine(b *store.Briefing, ref store.OfficialRef) (name, role string) {
	name = line(ref.Display())
	if ref.Official != nil {
		if r, ok := ref.Official.RoleOn(b.Date); ok {
			role = line(r.Title)
		}
	}
	return name, role
}

// datingNote gives the note on how the date was worked out, "" when the
// sources state it plainly.
func datingNote(b *store.Briefing) string {
	d := b.Dating()
	basis := d.Basis
	if basis != store.BasisInferred && basis != store.BasisPublished && d.Note == "" {
		return ""
	}
	if basis == "" {
		basis = store.BasisStated
	}
	note := "Date " + string(basis)
	if d.Note != "" {
		note += ": " + d.Note
	}
	return line(note)
}

// sourceParts gives a source's outlet, title, date and language, as text.
func sourceParts(s store.Source) (outlet, title, published, lang string) {
	outlet, title, lang = line(s.Outlet), line(s.Title), line(s.Lang)
	if !s.Published.IsZero() {
		published = s.Published.Long()
	}
	return
}

// isWebLink reports whether u is an address a dossier may link to:
// http, https or mailto, and nothing that could run.
func isWebLink(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return p.Host != ""
	case "mailto":
		return p.Opaque != ""
	}
	return false
}

// shortNames gives the officials briefly, for the timeline.
func shortNames(b *store.Briefing) string {
	names := b.ShortNames()
	for i := range names {
		names[i] = line(names[i])
	}
	return strings.Join(names, ", ")
}

// siteOnlyNote says, for a source address that is only an outlet's home
// page (which the format uses when the article's own address is not
// known), that it is not the article.
func siteOnlyNote(link string) string {
	u, err := url.Parse(link)
	if err == nil && u.Host != "" && (u.Path == "" || u.Path == "/") && u.RawQuery == "" && u.Fragment == "" {
		return "the outlet's site: the article's own address is not recorded"
	}
	return ""
}
