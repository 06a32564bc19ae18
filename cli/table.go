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
	return renderFixed(cols, fitWidths(cols, cells, width), cells, heading)
}

// renderFixed prints a header and rows in columns of the widths given,
// each cell cut to its column with "…".
func renderFixed(cols []column, widths []int, cells [][]string, heading lipgloss.Style) string {
	var b strings.Builder
	line := func(row []string, style func(i int) lipgloss.Style) {
		for len(row) > 1 && row[len(row)-1] == "" { // no trailing gap for an empty last cell
			row = row[:len(row)-1]
		}
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

// listRow is one briefing as list's table may show it: each column in
// its forms, from the fullest to the shortest.
type listRow struct {
	ids                   [3]string // whole; shortest unique start ending at a word; shortest unique start
	date, kind, title     string
	officials, oneOfficer string // every surname; the first and how many more ("Tokayev +1")
}

// The narrowest list's columns get before the title gives up room.
const (
	minKind      = 5  // "meet…"
	minOfficials = 10 // "Nurtleu +2"
	minTitle     = 20
)

// listLayout gives the widths of list's columns (ID, DATE, KIND, TITLE,
// OFFICIALS; 0 leaves a column out) and which form of the ids to show.
// The title is the column people scan, so it gets the room first: the
// ids are cut to their shortest unique start, the kinds and officials to
// a few letters, before the title is cut; what is left once every title
// is whole goes to the officials, then the kinds, then the ids.
func listLayout(rows []listRow, width int) (widths [5]int, idForm int) {
	widest := func(f func(r listRow) string, least int) int {
		w := least
		for _, r := range rows {
			w = max(w, ansi.StringWidth(f(r)))
		}
		return w
	}
	idW := [3]int{}
	for form := range idW {
		idW[form] = widest(func(r listRow) string { return r.ids[form] }, 2)
	}
	dateW := widest(func(r listRow) string { return r.date }, 4)
	kindW := widest(func(r listRow) string { return r.kind }, 4)
	titleW := widest(func(r listRow) string { return r.title }, 5)
	offW := widest(func(r listRow) string { return r.officials }, 9)
	offMin := min(offW, max(minOfficials, widest(func(r listRow) string { return r.oneOfficer }, 0)))

	idForm = 2
	widths = [5]int{idW[2], dateW, min(kindW, minKind), 0, offMin}
	room := func() int {
		used, n := 0, 0
		for i, w := range widths {
			if i != 3 && w > 0 {
				used += w
				n++
			}
		}
		return width - used - 2*n // every column but the title, and the gaps
	}
	// Too narrow for the title: the kind goes, then the officials shrink,
	// then they go.
	if room() < minTitle {
		widths[2] = 0
	}
	if room() < minTitle {
		widths[4] = max(minOfficials-2, widths[4]-(minTitle-room()))
	}
	if room() < minTitle {
		widths[4] = 0
	}
	widths[3] = max(1, min(titleW, room()))
	left := room() - widths[3]
	grow := func(col, to int) {
		if widths[col] > 0 && left > 0 && to > widths[col] {
			add := min(left, to-widths[col])
			widths[col] += add
			left -= add
		}
	}
	grow(4, offW)
	grow(2, kindW)
	for form := 1; form >= 0; form-- {
		if add := idW[form] - widths[0]; add <= left {
			widths[0], left, idForm = idW[form], left-add, form
		}
	}
	return widths, idForm
}

// printTable prints briefings as a table fitted to the terminal; notes,
// when given (list --marked), add a NOTE column of the reader's notes by
// id, which takes at most a quarter of the width.
func (a *app) printTable(c *store.Corpus, found []*store.Briefing, notes map[string]string) {
	th := a.styles()
	all := make([]string, len(c.Briefings()))
	for i, b := range c.Briefings() {
		all[i] = b.ID
	}
	slices.Sort(all)
	rows := make([]listRow, len(found))
	for i, b := range found {
		names := b.ShortNames()
		for j := range names {
			names[j] = sanitize.Line(names[j])
		}
		r := listRow{date: sanitize.Line(b.When()), kind: sanitize.Line(b.Kind), title: sanitize.Line(b.Title), officials: strings.Join(names, ", ")}
		r.ids[0] = b.ID
		r.ids[1] = uniquePrefix(b.ID, all, true)
		r.ids[2] = uniquePrefix(b.ID, all, false)
		r.oneOfficer = r.officials
		if len(names) > 1 {
			r.oneOfficer = fmt.Sprintf("%s +%d", names[0], len(names)-1)
		}
		rows[i] = r
	}
	noteW := 0
	for _, b := range found {
		noteW = max(noteW, ansi.StringWidth(sanitize.Line(notes[b.ID])))
	}
	if noteW > 0 {
		noteW = min(max(noteW, len("NOTE")), max(12, a.env.Width/4))
	}
	tableWidth := a.env.Width
	if noteW > 0 {
		tableWidth -= noteW + 2
	}
	widths, idForm := listLayout(rows, tableWidth)
	cols := []column{
		{title: "ID", style: th.Faint}, // never cut: what is shown works with 'brief show'
		{title: "DATE", style: th.Date},
		{title: "KIND", style: th.Kind},
		{title: "TITLE", style: th.Text},
		{title: "OFFICIALS", style: th.Official},
	}
	cells := make([][]string, len(rows))
	for i, r := range rows {
		off := r.officials
		if ansi.StringWidth(off) > widths[4] {
			off = r.oneOfficer // cut further if even that does not fit
		}
		cells[i] = []string{r.ids[idForm], r.date, r.kind, r.title, off}
	}
	if noteW > 0 {
		cols = append(cols, column{title: "NOTE", style: th.Muted})
		for i, b := range found {
			cells[i] = append(cells[i], sanitize.Line(notes[b.ID]))
		}
	}
	allWidths := append(widths[:], noteW)
	// Leave out the columns with no room.
	var keptCols []column
	var keptWidths []int
	for i, w := range allWidths[:len(cols)] {
		if w > 0 {
			keptCols, keptWidths = append(keptCols, cols[i]), append(keptWidths, w)
		}
	}
	for i, row := range cells {
		var kept []string
		for j, w := range allWidths[:len(row)] {
			if w > 0 {
				kept = append(kept, row[j])
			}
		}
		cells[i] = kept
	}
	fmt.Fprint(a.out, renderFixed(keptCols, keptWidths, cells, th.Heading))
}

// uniquePrefix gives the shortest start of id that no other id among the
// sorted ids starts with, at least 10 bytes (a date's length); atWord
// extends it to where a word of the id ends.
func uniquePrefix(id string, sorted []string, atWord bool) string {
	need := 0
	j, _ := slices.BinarySearch(sorted, id)
	for _, k := range []int{j - 1, j + 1} {
		if k >= 0 && k < len(sorted) && sorted[k] != id {
			need = max(need, commonPrefix(id, sorted[k])+1)
		}
	}
	n := min(max(need, 10), len(id))
	for atWord && n < len(id) && id[n] != '-' && id[n] != '_' && id[n] != '.' {
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
