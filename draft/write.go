package draft

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/brief-tools/brief/store"
)

// Write prints the draft as a briefing in the format of docs/format.md,
// marked status: draft, with a draft block that lists every field to
// verify. A field the extractor could not find is left out, never filled
// with a guess: a draft without a date does not load until the curator
// writes one, and 'brief check' says so.
func Write(w io.Writer, d *Draft) error {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("---")
	line("id: %s", d.ID)
	line("status: %s", store.StatusDraft)
	line("title: %s", yamlText(d.Title))
	if d.Date.Date.IsZero() {
		line("# date: not found; see the draft block below, then write it here")
	} else {
		line("date: %s", d.Date.Date)
		if d.Date.Basis != store.BasisStated || d.Date.Note != "" || d.Date.Date.Season != "" {
			line("dating:")
			line("  basis: %s", d.Date.Basis)
			if d.Date.Date.Season != "" {
				line("  season: %s", d.Date.Date.Season)
			}
			if d.Date.Note != "" {
				line("  note: %s", yamlText(d.Date.Note))
			}
		}
	}
	if d.HaveKind {
		line("kind: %s", d.Kind.Kind)
	}
	if d.HavePlace {
		line("location: %s", yamlText(d.Place.Name))
	}
	if len(d.Countries) > 0 {
		line("countries: %s", yamlList(d.Countries))
	}
	var names []string
	for _, p := range d.People {
		names = append(names, p.Name())
	}
	if len(names) > 0 {
		line("officials: %s", yamlList(names))
	} else {
		line("# officials: nobody found; name at least one")
	}
	line("summary: %s", yamlText(d.Summary))
	if len(d.Figures) > 0 {
		line("figures:")
		for _, f := range d.Figures {
			line("  - label: %s", yamlText(f.Label))
			line("    value: %s", yamlText(f.Value))
		}
	}
	if len(d.Sources) > 0 {
		line("sources:")
		for _, s := range d.Sources {
			first := "  - "
			item := func(k, v string) {
				if v == "" {
					return
				}
				line("%s%s: %s", first, k, yamlText(v))
				first = "    "
			}
			item("outlet", s.Outlet)
			item("title", s.Title)
			item("url", s.URL)
			item("lang", s.Lang)
			if !s.Published.IsZero() {
				item("published", s.Published.String())
			}
			if first == "  - " {
				line("  - outlet: %s", yamlText("unknown"))
			}
		}
	}
	if len(d.Verify) > 0 {
		line("draft:")
		for _, f := range d.Verify {
			line("  - field: %s", f.Field)
			line("    found: %s", yamlText(f.Found))
			line("    why: %s", yamlText(f.Why))
		}
	}
	line("---")
	line("")
	for _, p := range d.points() {
		line("- %s", p)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// points gives the body: the facts as short lines in our own words.
func (d *Draft) points() []string {
	var out []string
	kind := strings.ReplaceAll(d.Kind.Kind, "-", " ")
	if kind == "" {
		kind = "event (kind to be established)"
	}
	when := "date to be established"
	if !d.Date.Date.IsZero() {
		when = d.Date.Date.Short()
		switch d.Date.Basis {
		case store.BasisInferred:
			when += " (worked out, see dating)"
		case store.BasisPublished:
			when += " (the publication date)"
		}
	}
	out = append(out, "What: "+kind+", "+when+".")
	var who []string
	for _, p := range d.People {
		who = append(who, personLine(p, d.Date.Date))
	}
	if len(who) > 0 {
		out = append(out, "Who: "+joinNames(who)+".")
	}
	switch {
	case d.HavePlace:
		out = append(out, "Where: "+d.Place.Name+".")
	case d.Kind.Kind == "call":
		out = append(out, "Where: a phone call, no place.")
	default:
		out = append(out, "Where: not stated.")
	}
	for _, f := range d.Figures {
		out = append(out, f.Label+": "+f.Value+".")
	}
	for _, s := range d.Sources {
		desc := s.Outlet
		if desc == "" {
			desc = "An unnamed outlet"
		}
		var meta []string
		if s.Lang != "" {
			meta = append(meta, s.Lang)
		}
		if !s.Published.IsZero() {
			meta = append(meta, s.Published.Short())
		}
		if len(meta) > 0 {
			desc += " (" + strings.Join(meta, ", ") + ")"
		}
		out = append(out, "Source: "+desc+".")
	}
	return out
}

// yamlText writes a single-line text value: plain where YAML reads it
// back unchanged, else double-quoted with escapes.
func yamlText(s string) string {
	if plainSafe(s) {
		return s
	}
	return quoteYAML(s)
}

// quoteYAML writes s as a double-quoted YAML scalar.
func quoteYAML(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// plainSafe reports whether s can stand as a plain YAML scalar.
func plainSafe(s string) bool {
	if s == "" || strings.TrimSpace(s) != s || !utf8.ValidString(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if strings.ContainsRune("-?:,[]{}#&*!|>'\"%@`", r) || unicode.IsDigit(r) {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\ufeff' {
			return false
		}
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n":
		return false
	}
	return true
}

// yamlList writes a flow list: [a, b].
func yamlList(items []string) string {
	out := make([]string, len(items))
	for i, it := range items {
		if plainSafe(it) && !strings.ContainsAny(it, ",[]{}") {
			out[i] = it
		} else {
			out[i] = quoteYAML(it)
		}
	}
	return "[" + strings.Join(out, ", ") + "]"
}
