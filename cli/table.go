package cli

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// column is one column of a table fitted to the terminal.
type column struct {
	title string
	min   int // the narrowest it may shrink to
	flex  int // its weight when shrinking (0: never shrinks); heavier keeps more
	drop  int // when even the narrowest row does not fit, columns go in this order (0: never)
	style lipgloss.Style
}

// fitWidths gives each column a width so that the row fits in width,
// shrinking the flexible columns first, never below their minimum.
func fitWidths(cols []column, cells [][]string, width int) []int {
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = ansi.StringWidth(c.title)
		for _, row := range cells {
			widths[i] = max(widths[i], ansi.StringWidth(row[i]))
		}
	}
	avail := width - 2*(len(cols)-1)
	for total(widths) > avail {
		// shrink the column with most room above its minimum for its
		// weight: a heavier column keeps more of its width
		best, room := -1, 0.0
		for i, c := range cols {
			if r := float64(widths[i]-c.min) / float64(c.flex); c.flex > 0 && r > room {
				best, room = i, r
			}
		}
		if best < 0 {
			break
		}
		widths[best]--
	}
	return widths
}

// dropColumns leaves out droppable columns, in their order, until the
// narrowest layout of the rest fits width.
func dropColumns(cols []column, cells [][]string, width int) ([]column, [][]string) {
	for {
		narrowest := 2 * (len(cols) - 1)
		for i, c := range cols {
			w := ansi.StringWidth(c.title)
			for _, row := range cells {
				w = max(w, ansi.StringWidth(row[i]))
			}
			if c.flex > 0 {
				w = min(w, max(c.min, 1))
			}
			narrowest += w
		}
		next := -1
		for i, c := range cols {
			if c.drop > 0 && (next < 0 || c.drop < cols[next].drop) {
				next = i
			}
		}
		if narrowest <= width || next < 0 {
			return cols, cells
		}
		cols = append(cols[:next:next], cols[next+1:]...)
		kept := make([][]string, len(cells))
		for r, row := range cells {
			kept[r] = append(row[:next:next], row[next+1:]...)
		}
		cells = kept
	}
}

func total(ws []int) int {
	n := 0
	for _, w := range ws {
		n += w
	}
	return n
}

// renderTable prints a header and rows, each cell cut to its column with
// "…". Columns that cannot fit even at their narrowest are left out.
func renderTable(cols []column, cells [][]string, width int, heading lipgloss.Style) string {
	cols, cells = dropColumns(cols, cells, width)
	widths := fitWidths(cols, cells, width)
	var b strings.Builder
	line := func(row []string, style func(i int) lipgloss.Style) {
		for i, cell := range row {
			cell = ansi.Truncate(cell, widths[i], "…")
			pad := widths[i] - ansi.StringWidth(cell)
			if i == len(row)-1 {
				pad = 0
			}
			b.WriteString(style(i).Render(cell))
			b.WriteString(strings.Repeat(" ", pad))
			if i < len(row)-1 {
				b.WriteString("  ")
			}
		}
		b.WriteByte('\n')
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	line(titles, func(int) lipgloss.Style { return heading })
	for _, row := range cells {
		line(row, func(i int) lipgloss.Style { return cols[i].style })
	}
	return b.String()
}

// printTable prints briefings as a table fitted to the terminal.
func (a *app) printTable(c *store.Corpus, found []*store.Briefing) {
	th := a.styles()
	cols := []column{
		{title: "ID", style: th.Faint}, // never cut: what is shown works with 'brief show'
		{title: "DATE", style: th.Date},
		{title: "KIND", min: 4, flex: 1, drop: 1, style: th.Kind},
		{title: "TITLE", min: 16, flex: 4, style: th.Text},
		{title: "OFFICIALS", min: 10, flex: 2, drop: 2, style: th.Official},
	}
	all := make([]string, len(c.Briefings()))
	for i, b := range c.Briefings() {
		all[i] = b.ID
	}
	ids := shortIDs(all, found, a.env.Width)
	cells := make([][]string, len(found))
	for i, b := range found {
		cells[i] = []string{ids[i], b.When(), b.Kind, b.Title, strings.Join(b.ShortNames(), ", ")}
		for j := range cells[i] {
			cells[i][j] = sanitize.Line(cells[i][j])
		}
	}
	fmt.Fprint(a.out, renderTable(cols, cells, a.env.Width, th.Heading))
}

// shortIDs gives the ids to show for found: whole when a third of the
// width holds them, else each cut to the shortest start that no other id
// in the corpus shares (at least one date's length, ending at a word), so
// that whatever is shown works with 'brief show'.
func shortIDs(all []string, found []*store.Briefing, width int) []string {
	longest := 0
	for _, b := range found {
		longest = max(longest, len(b.ID))
	}
	out := make([]string, len(found))
	for i, b := range found {
		out[i] = b.ID
	}
	if longest <= width/3 {
		return out
	}
	sorted := slices.Clone(all)
	slices.Sort(sorted)
	for i, b := range found {
		out[i] = uniquePrefix(b.ID, sorted)
	}
	return out
}

// uniquePrefix gives the shortest start of id that only id has among the
// sorted ids, at least 10 bytes and ending where a word of the id ends.
func uniquePrefix(id string, sorted []string) string {
	need := 0
	j, _ := slices.BinarySearch(sorted, id)
	for _, k := range []int{j - 1, j + 1} {
		if k >= 0 && k < len(sorted) && sorted[k] != id {
			need = max(need, commonPrefix(id, sorted[k])+1)
		}
	}
	n := min(max(need, 10), len(id))
	for n < len(id) && id[n] != '-' && id[n] != '_' && id[n] != '.' {
		n++
	}
	return id[:n]
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// writeTSV writes one row of tab-separated fields for scripts: each field
// passes the sanitizer as a single line (so it holds no tab or newline of
// its own), and the tabs between them are brief's.
func writeTSV(w io.Writer, fields ...string) {
	for i, f := range fields {
		fields[i] = sanitize.Line(f)
	}
	fmt.Fprintln(w, strings.Join(fields, "\t"))
}

// tsvWriter writes lines of tab-separated fields with writeTSV, each field
// cleaned as a single line and the tabs kept. Flush writes an unfinished
// last line.
type tsvWriter struct {
	w       io.Writer
	pending []byte
}

func (t *tsvWriter) Write(p []byte) (int, error) {
	t.pending = append(t.pending, p...)
	for {
		i := bytes.IndexByte(t.pending, '\n')
		if i < 0 {
			return len(p), nil
		}
		writeTSV(t.w, strings.Split(string(t.pending[:i]), "\t")...)
		t.pending = t.pending[i+1:]
	}
}

// Flush writes what is left of the last line.
func (t *tsvWriter) Flush() error {
	if len(t.pending) > 0 {
		writeTSV(t.w, strings.Split(string(t.pending), "\t")...)
		t.pending = nil
	}
	return nil
}
