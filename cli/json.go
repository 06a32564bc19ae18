package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/brief-tools/brief/store"
)

// briefingOut is a briefing as JSON.
type briefingOut struct {
	ID            string        `json:"id"`
	Title         string        `json:"title"`
	Date          string        `json:"date"`
	DatePrecision string        `json:"date_precision"`
	DateShown     string        `json:"date_shown"`
	Dating        *datingOut    `json:"dating,omitempty"`
	Kind          string        `json:"kind"`
	Location      string        `json:"location"`
	Countries     []string      `json:"countries"`
	Topics        []string      `json:"topics"`
	Officials     []officialOut `json:"officials"`
	Summary       string        `json:"summary"`
	Figures       []figureOut   `json:"figures"`
	Sources       []sourceOut   `json:"sources"`
	Status        string        `json:"status,omitempty"`
	// Extra holds the frontmatter keys the format does not define, as
	// text: a script may use keys of its own.
	Extra map[string]string `json:"extra,omitempty"`
	Path  string            `json:"path"`
	Body  string            `json:"body,omitempty"`
	// The reader's state, when there is one: read, marked and note always;
	// new and changed when they were worked out (list --new).
	Read    *bool   `json:"read,omitempty"`
	New     *bool   `json:"new,omitempty"`
	Changed *bool   `json:"changed,omitempty"`
	Marked  *bool   `json:"marked,omitempty"`
	Note    *string `json:"note,omitempty"`

	// fillJSON's memory, kept from briefing to briefing.
	details store.Details
	extra   map[string]string
	dating  datingOut
}

// hitOut is a briefing a text query found, with the passage that matched.
type hitOut struct {
	briefingOut
	Snippet      string   `json:"snippet"`
	SnippetField string   `json:"snippet_field"`
	Matches      [][2]int `json:"matches"` // byte ranges in snippet
}

// fillHit makes out the hit of b (as JSON) with its passage s, reusing
// out's list of matches.
func fillHit(out *hitOut, b *briefingOut, s store.Snippet) {
	matches := out.Matches[:0]
	if matches == nil {
		matches = [][2]int{}
	}
	*out = hitOut{briefingOut: *b, Snippet: s.Text, SnippetField: s.Field, Matches: matches}
	for _, m := range s.Matches {
		out.Matches = append(out.Matches, [2]int{m.Start, m.End})
	}
}

type datingOut struct {
	Basis  string `json:"basis"`
	Season string `json:"season,omitempty"`
	Note   string `json:"note,omitempty"`
}

type officialOut struct {
	ID      string `json:"id,omitempty"`
	Name    string `json:"name"`
	Written string `json:"as_written"`
	Role    string `json:"role,omitempty"`
	Country string `json:"country,omitempty"`
}

type figureOut struct {
	Label string `json:"label"`
	Value string `json:"value"`
	Note  string `json:"note,omitempty"`
}

type sourceOut struct {
	Outlet    string `json:"outlet,omitempty"`
	Title     string `json:"title,omitempty"`
	URL       string `json:"url,omitempty"`
	Lang      string `json:"lang,omitempty"`
	Published string `json:"published,omitempty"`
}

func precisionName(p store.Precision) string {
	switch p {
	case store.PrecisionDay:
		return "day"
	case store.PrecisionMonth:
		return "month"
	case store.PrecisionYear:
		return "year"
	}
	return ""
}

func briefingJSON(b *store.Briefing, body string) briefingOut {
	var out briefingOut
	fillJSON(&out, b, body)
	return out
}

// fillJSON makes out b as JSON, reusing out's lists and mapping: a
// listing of 100,000 briefings then leaves little garbage behind each
// (garbage that once raised its peak memory by half).
func fillJSON(out *briefingOut, b *store.Briefing, body string) {
	officials, figures, sources := out.Officials[:0], out.Figures[:0], out.Sources[:0]
	d, extra := out.details, out.extra
	b.DetailsInto(&d)
	*out = briefingOut{
		ID: b.ID, Title: b.Title, Date: b.Date.String(), DatePrecision: precisionName(b.Date.Precision),
		DateShown: b.When(), Kind: b.Kind, Location: b.Location,
		Countries: nonNil(b.Countries), Topics: nonNil(b.Topics), Summary: b.Summary,
		Officials: officials, Figures: figures, Sources: sources,
		Status: b.Status, Path: b.Path, Body: body,
		details: d, extra: extra,
	}
	if out.Officials == nil {
		out.Officials, out.Figures, out.Sources = []officialOut{}, []figureOut{}, []sourceOut{}
	}
	if d.Dating.Basis != store.BasisStated || b.Date.Season != "" || d.Dating.Note != "" {
		out.dating = datingOut{Basis: string(d.Dating.Basis), Season: b.Date.Season, Note: d.Dating.Note}
		out.Dating = &out.dating
	}
	for _, ref := range b.Officials {
		o := officialOut{Name: ref.Display(), Written: ref.Name}
		if ref.Official != nil {
			o.ID, o.Country = ref.Official.ID, ref.Official.Country
			if role, ok := ref.Official.RoleOn(b.Date); ok {
				o.Role = role.Title
			}
		}
		out.Officials = append(out.Officials, o)
	}
	if len(d.Extra) > 0 {
		if out.extra == nil {
			out.extra = map[string]string{}
		}
		clear(out.extra)
		for _, x := range d.Extra {
			out.extra[x.Key] = x.Value
		}
		out.Extra = out.extra
	}
	for _, f := range d.Figures {
		out.Figures = append(out.Figures, figureOut(f))
	}
	for _, s := range d.Sources {
		out.Sources = append(out.Sources, sourceOut{Outlet: s.Outlet, Title: s.Title, URL: s.URL, Lang: s.Lang, Published: s.Published.String()})
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeJSON writes v as JSON (indented, or one line), escaping every
// character a terminal could act on: encoding/json escapes C0 controls and
// U+2028/U+2029; this also escapes DEL and the C1 controls, so JSON output
// is safe to print.
func writeJSON(w io.Writer, v any, indent bool) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	_, err := w.Write(escapeControls(buf.Bytes()))
	return err
}

// jsonArray writes a JSON array one element at a time, as writeJSON
// writes the whole array indented: the same bytes, without holding them.
// With lines, it writes JSON Lines instead (writeJSON unindented, for each
// element).
type jsonArray struct {
	w     io.Writer
	lines bool
	n     int
	buf   bytes.Buffer
	enc   *json.Encoder // into buf; kept, with its scratch space, for every element
}

// add writes one element.
func (a *jsonArray) add(v any) error {
	if a.enc == nil {
		a.enc = json.NewEncoder(&a.buf)
		a.enc.SetEscapeHTML(false)
		if !a.lines {
			a.enc.SetIndent("  ", "  ")
		}
	}
	a.buf.Reset()
	switch {
	case a.lines:
	case a.n == 0:
		a.buf.WriteString("[\n  ")
	default:
		a.buf.WriteString(",\n  ")
	}
	if err := a.enc.Encode(v); err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	if !a.lines {
		a.buf.Truncate(a.buf.Len() - 1) // Encode's newline
	}
	a.n++
	_, err := a.w.Write(escapeControls(a.buf.Bytes()))
	return err
}

// close ends the array.
func (a *jsonArray) close() error {
	if a.lines {
		return nil
	}
	end := "\n]\n"
	if a.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(a.w, end)
	return err
}

// escapeControls rewrites DEL and C1 controls in JSON text as \u escapes
// (they can only occur inside strings).
func escapeControls(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			if out == nil {
				out = make([]byte, 0, len(b)+16)
			}
			out = append(out, b[last:i]...)
			out = fmt.Appendf(out, `\u%04x`, r)
			last = i + size
		}
		i += size
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
