package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

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

	indented []byte // an element indented, kept for the next
}

// add writes one element.
func (a *jsonArray) add(v any) error {
	if a.enc == nil {
		a.enc = json.NewEncoder(&a.buf)
		a.enc.SetEscapeHTML(false)
	}
	a.buf.Reset()
	if err := a.enc.Encode(v); err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	out := a.buf.Bytes()
	if !a.lines {
		a.indented = append(a.indented[:0], ",\n  "...)
		if a.n == 0 {
			a.indented[0] = '['
		}
		a.indented = indentJSON(a.indented, out[:len(out)-1], "  ", "  ") // without Encode's newline
		out = a.indented
	}
	a.n++
	_, err := a.w.Write(escapeControls(out))
	return err
}

// indentJSON appends src, compact JSON as encoding/json writes it,
// indented as json.Indent would indent it (a newline, the prefix and an
// indent for each level before each element and before the end of a
// non-empty array or object; a space after each colon), in one pass
// rather than json.Indent's scanner, which took half of a listing's time.
func indentJSON(dst, src []byte, prefix, indent string) []byte {
	depth, opened := 0, false // opened: an array or object began, and may be empty
	newline := func(depth int) {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, indent...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if opened && c != ']' && c != '}' {
			opened = false
			depth++
			newline(depth)
		}
		switch c {
		case '"':
			end := stringEnd(src, i)
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			opened = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline(depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if opened {
				opened = false // empty: [] or {}
			} else {
				depth--
				newline(depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// stringEnd gives the index just past the JSON string that starts at
// src[i] (a quote): past the first quote after it that no backslash
// escapes.
func stringEnd(src []byte, i int) int {
	for j := i + 1; ; {
		k := bytes.IndexByte(src[j:], '"')
		if k < 0 {
			return len(src)
		}
		j += k
		backslashes := 0
		for m := j - 1; m > i && src[m] == '\\'; m-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return j + 1
		}
		j++
	}
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
// (they can only occur inside strings). In UTF-8, DEL is the byte 0x7f
// and a C1 control the byte 0xc2 then one of 0x80 to 0x9f (0xc2 is never
// inside another character): both bytes are looked for with a vector
// search, as most text has neither.
func escapeControls(b []byte) []byte {
	var out []byte
	last := 0
	del, c2 := bytes.IndexByte(b, 0x7f), bytes.IndexByte(b, 0xc2)
	for del >= 0 || c2 >= 0 {
		i, size := del, 1
		if del < 0 || (c2 >= 0 && c2 < del) {
			i = c2
			if i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f {
				size = 2
			} else {
				size = 0 // another character of the Latin-1 block
			}
		}
		if size > 0 {
			r := rune(0x7f)
			if size == 2 {
				r = rune(b[i+1])
			}
			if out == nil {
				out = make([]byte, 0, len(b)+16)
			}
			out = append(out, b[last:i]...)
			out = fmt.Appendf(out, `\u%04x`, r)
			last = i + size
		}
		if i == del {
			del = nextByte(b, i+1, 0x7f)
		} else {
			c2 = nextByte(b, i+1, 0xc2)
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// nextByte gives the index of the next c in b from from on, or -1.
func nextByte(b []byte, from int, c byte) int {
	if i := bytes.IndexByte(b[from:], c); i >= 0 {
		return from + i
	}
	return -1
}
