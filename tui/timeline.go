package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/brief-tools/brief/render/card"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Layout of the timeline.
const (
	// previewWidth is the narrowest screen that may show the selected
	// briefing's card beside the list, and previewMin the narrowest card.
	previewWidth = 110
	previewMin   = 44
	// readableTitle is the title width the list keeps before a preview
	// may take room from it.
	readableTitle = 50
	// dateWidth fits the longest date a row shows ("~Spring 2024").
	dateWidth = 13
	// twoLineTitle is the narrowest title column; below it, each event
	// takes two lines: its title whole on the first, the rest under it.
	twoLineTitle = 24
	// titleMin is the title width kept before the officials get room,
	// and namesMin the room they then get ("Tokayev +2").
	titleMin, namesMin = 40, 14
	// doubleClick is how soon a second click opens what the first chose.
	doubleClick = 400 * time.Millisecond
)

type timelineKeys struct {
	Open, Officials, Topics, Filter, Reverse, Cards, DropFilter key.Binding
	New, Marked, Mark, Export                                   key.Binding
}

func newTimelineKeys() timelineKeys {
	return timelineKeys{
		Open:       bind("enter", "read", "enter"),
		Officials:  bind("o", "official", "o"),
		Topics:     bind("t", "topic", "t"),
		Filter:     bind("/", "find text", "/"),
		Reverse:    bind("r", "order: newest, oldest, best match", "r"),
		Cards:      bind("c", "cards", "c"),
		DropFilter: bind("esc", "drop last filter", "esc"),
		New:        bind("N", "only new since last visit", "N"),
		Marked:     bind("M", "only marked", "M"),
		Mark:       bind("m", "mark / unmark", "m"),
		Export:     bind("e", "export as a dossier", "e"),
	}
}

// timelineView lists the events, newest first, narrowed by filters: the
// reader's home, at the bottom of the stack.
type timelineView struct {
	ctx  *shared
	keys timelineKeys
	move moveKeys
	in   inputKeys

	filters  filters
	order    order
	selected string // the selected briefing's id

	// Derived from the filters and the corpus, again on every change.
	results  *store.Results // in display order; nil for none
	searcher *store.Searcher
	cursor   int
	offset   int
	snippet  store.Snippet // why the selected briefing matched the text
	longest  int           // the widest title, and the widest kind, among
	kindW    int           // the first results (see measure)
	seq      int           // the last query asked for
	// pending is set while the last query runs in the background: the
	// results shown are an earlier query's, and drawn as such.
	pending bool
	// offLoop is the cost (see store.Searcher.Cost) above which a text
	// query runs in the background, so that no keystroke holds the
	// screen longer than a frame.
	offLoop int

	input     textinput.Model
	inputOpen bool
	inputWas  filters // the filters before the input opened, for esc
	marker    marker

	lastClick    time.Time
	lastClickRow int

	// pinned is set once the reader has chosen the selection (moved it,
	// opened, marked or carded an event): from then on it stays on its
	// briefing, on its line of the screen, whatever arrives. Until then,
	// while the folder is still loading, the selection is the top of the
	// list as it fills.
	pinned bool
	// followTop is set while a text query is typed and the reader has not
	// moved since the last key: its results come best first, and the
	// selection goes to the best, wherever the one before stood.
	followTop bool
	// loading says the corpus last shown was a partial snapshot.
	loading bool
	// keepLine makes the next show keep the selected row on its line of
	// the screen (a new corpus came; the filters did not change).
	keepLine bool
	// behind says a text query on a partial snapshot is still running
	// while newer snapshots came: its answer is shown, then the query
	// runs again on the newest. (Each partial snapshot indexes its own
	// words: one at a time, never one for each snapshot.)
	behind bool
}

func newTimelineView(ctx *shared) *timelineView {
	t := &timelineView{ctx: ctx, keys: newTimelineKeys(), move: newMoveKeys(), in: newInputKeys(),
		searcher: store.NewSearcher(), offLoop: searchOffLoop}
	t.in.Accept.SetHelp("enter", "read the selected event")
	t.in.Keep.SetHelp("tab", "keep the filter, stop typing")
	t.in.Cancel.SetHelp("esc", "put back the filter before")
	t.in.Up.SetHelp("↑/ctrl+p", "up")
	t.in.Down.SetHelp("↓/ctrl+n", "down")
	if ctx.oldestFirst {
		t.order = oldestFirst
	}
	t.input = newInput(ctx)
	t.marker = newMarker(ctx)
	t.loading = ctx.corpus != nil && ctx.corpus.Partial()
	if ctx.state == nil {
		for _, k := range []*key.Binding{&t.keys.New, &t.keys.Marked, &t.keys.Mark} {
			k.SetEnabled(false)
		}
	}
	if ctx.export == nil {
		t.keys.Export.SetEnabled(false)
	}
	t.refresh()
	return t
}

// pickedMsg brings a filter chosen in a picker.
type pickedMsg struct{ f filter }

// selectMsg asks the timeline to select a briefing (the one last read).
type selectMsg struct{ id string }

// order is how the timeline sorts: by date, or with a text filter, by how
// well each briefing matches it.
type order int

const (
	newestFirst order = iota
	oldestFirst
	bestFirst
)

func (o order) String() string {
	return [...]string{"Newest first", "Oldest first", "Best match first"}[o]
}

// resultsMsg brings what a query run in the background found.
type resultsMsg struct {
	seq    int
	corpus *store.Corpus
	found  *store.Results
}

// searchOffLoop is the cost of a text query (the bytes of the index it
// reads) above which it runs in the background: a megabyte takes a few
// milliseconds to read, well within a frame.
const searchOffLoop = 1 << 20

// refresh applies the filters to the corpus, keeping the selection on the
// same briefing when it is still there, else near where it was. A text
// query that would hold the screen longer than a frame (the word index is
// still being built, or the query reads much of it) runs in the
// background: meanwhile the list shows what it showed, dimmed, and a
// newer query makes it stop.
func (t *timelineView) refresh() tea.Cmd {
	t.keepLine, t.behind = false, false
	return t.apply()
}

// newCorpus shows a new snapshot: the selection stays on its briefing and
// on its line of the screen, rows arriving above it or below; a selection
// the reader has not chosen stays at the top while the folder loads.
func (t *timelineView) newCorpus() tea.Cmd {
	partial := t.ctx.corpus.Partial()
	if !t.pinned && (t.loading || partial) {
		t.selected, t.cursor, t.offset = "", 0, 0
	}
	t.loading = partial
	t.keepLine = true
	if partial && t.pending && hasText(t.filters.text()) {
		t.behind = true // the query running answers first
		return nil
	}
	t.behind = false
	return t.apply()
}

// apply is refresh, keeping keepLine and behind for show and take.
func (t *timelineView) apply() tea.Cmd {
	c := t.ctx.corpus
	if c == nil {
		return nil
	}
	if t.order == bestFirst && !hasText(t.filters.text()) {
		t.order = newestFirst
	}
	t.seq++
	seq, s := t.seq, t.searcher
	q, keep, ok := t.filters.request(c, t.ctx.state.statusOf(c))
	order := store.Order(0)
	switch t.order {
	case newestFirst:
		order = store.NewestFirst
	case oldestFirst:
		order = store.OldestFirst
	case bestFirst:
		order = store.BestFirst
	}
	prepared := s.Prepare(c, q, order, keep)
	search := func() tea.Msg {
		if !ok {
			return resultsMsg{seq: seq, corpus: c}
		}
		r, current := prepared()
		if !current {
			return nil // a newer query was asked for: it brings its results
		}
		return resultsMsg{seq: seq, corpus: c, found: r}
	}
	if ok && hasText(q.Text) {
		if cost := s.Cost(c, q); cost < 0 || cost > t.offLoop {
			t.pending = true
			return search
		}
	}
	if msg, ok := search().(resultsMsg); ok { // nothing asks for a query meanwhile
		t.show(msg.found)
	}
	return nil
}

// take shows what a query found if it is the last one asked for, of the
// corpus shown; it drops it otherwise.
func (t *timelineView) take(msg resultsMsg) tea.Cmd {
	if msg.seq != t.seq {
		msg.found.Release()
		return nil
	}
	if msg.corpus != t.ctx.corpus {
		if !t.behind {
			msg.found.Release()
			return nil
		}
		// Found in an earlier snapshot of the same load, whose briefings
		// the newer one holds: shown while the query runs again on the
		// newer one.
		t.keepLine = true
		t.show(msg.found)
		t.behind, t.keepLine = false, true
		return t.apply()
	}
	t.show(msg.found)
	return nil
}

// show puts found in the list, the selection kept on its briefing (and,
// with keepLine, on its line of the screen).
func (t *timelineView) show(found *store.Results) {
	t.results.Release()
	t.results = found
	t.pending = false
	keep, line := t.keepLine, t.cursor-t.offset
	t.keepLine = false
	if t.followTop {
		t.selected, t.cursor, t.offset, keep = "", 0, 0, false
		t.followTop = t.inputOpen
	}
	t.measure()
	if i := t.results.Index(t.selected); i >= 0 {
		t.cursor = i
		if keep {
			t.offset = i - line
		}
	}
	t.setCursor(t.cursor)
}

// measured is how many results measure looks at: enough to size the
// columns, few enough to stay cheap with any number of results.
const measured = 2000

// Widths the columns never exceed.
const titleMax, kindMax = 80, 12

// measure finds the widest title and kind the columns must fit. A text
// that cannot be wider than the widest so far is not measured.
func (t *timelineView) measure() {
	t.longest, t.kindW = 10, 4
	for i := range min(t.results.Len(), measured) {
		b := t.results.At(i)
		// A text is never wider than its bytes: most are skipped at once.
		if len(b.Title) > t.longest && widthBound(b.Title) > t.longest {
			t.longest = max(t.longest, ansi.StringWidth(b.Title))
		}
		if len(b.Kind) > t.kindW && widthBound(b.Kind) > t.kindW {
			t.kindW = max(t.kindW, ansi.StringWidth(b.Kind))
		}
		if t.longest >= titleMax && t.kindW >= kindMax {
			break
		}
	}
	t.longest, t.kindW = min(t.longest, titleMax), min(t.kindW, kindMax)
}

// widthBound gives a bound on the cells s takes, quickly: one per rune
// when no rune may be wide (none from U+1000 on, where East Asian wide
// characters and emoji start), else one per byte (a rune of three or
// four bytes takes at most two cells).
func widthBound(s string) int {
	runes := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0xe1 {
			return len(s)
		}
		if c&0xc0 != 0x80 { // not a continuation byte: a rune starts
			runes++
		}
	}
	return runes
}

// setCursor selects row i (kept within the results) and scrolls to it.
func (t *timelineView) setCursor(i int) {
	t.cursor = min(max(i, 0), max(t.results.Len()-1, 0))
	t.selected = ""
	t.snippet = store.Snippet{}
	if b := t.current(); b != nil {
		t.selected = b.ID
		if text := t.filters.text(); hasText(text) && !t.pending {
			t.snippet, _ = t.ctx.corpus.Snippet(b, text)
		}
	}
	rows := t.visibleEvents()
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+rows {
		t.offset = t.cursor - rows + 1
	}
	t.offset = min(max(t.offset, 0), max(t.results.Len()-rows, 0))
}

// current gives the selected briefing, or nil when nothing matches.
func (t *timelineView) current() *store.Briefing {
	if t.cursor < 0 || t.cursor >= t.results.Len() {
		return nil
	}
	return t.results.At(t.cursor)
}

func (t *timelineView) ids() []string {
	ids := make([]string, t.results.Len())
	for i := range ids {
		ids[i] = t.results.At(i).ID
	}
	return ids
}

func (t *timelineView) update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case corpusMsg:
		return t, t.newCorpus()
	case resizeMsg:
		t.setCursor(t.cursor)
	case themeMsg:
		t.input = restyle(t.input, t.ctx)
		t.marker.input = restyle(t.marker.input, t.ctx)
	case stateMsg:
		if t.filters.has(newFilter) || t.filters.has(markedFilter) {
			return t, t.refresh()
		}
	case resultsMsg:
		return t, t.take(msg)
	case pickedMsg:
		t.filters = t.filters.with(msg.f)
		return t, t.refresh()
	case selectMsg:
		t.selected = msg.id
		t.choose()
		if i := t.results.Index(msg.id); i >= 0 {
			t.setCursor(i)
		}
	case tea.MouseMsg:
		return t, t.mouse(msg)
	case tea.KeyMsg:
		switch {
		case t.marker.open:
			return t, t.marker.key(msg)
		case t.inputOpen:
			return t, t.inputKey(msg)
		}
		return t, t.key(msg)
	}
	return t, nil
}

func (t *timelineView) key(msg tea.KeyMsg) tea.Cmd {
	k, page := t.keys, t.visibleEvents()
	mv := t.move
	if key.Matches(msg, mv.Down, mv.Up, mv.PageDown, mv.PageUp, mv.HalfDown, mv.HalfUp, mv.Top, mv.Bottom, k.Open, k.Cards, k.Mark) {
		t.choose()
	}
	switch {
	case key.Matches(msg, t.move.Down):
		t.setCursor(t.cursor + 1)
	case key.Matches(msg, t.move.Up):
		t.setCursor(t.cursor - 1)
	case key.Matches(msg, t.move.PageDown):
		t.setCursor(t.cursor + page)
	case key.Matches(msg, t.move.PageUp):
		t.setCursor(t.cursor - page)
	case key.Matches(msg, t.move.HalfDown):
		t.setCursor(t.cursor + max(page/2, 1))
	case key.Matches(msg, t.move.HalfUp):
		t.setCursor(t.cursor - max(page/2, 1))
	case key.Matches(msg, t.move.Top):
		t.setCursor(0)
	case key.Matches(msg, t.move.Bottom):
		t.setCursor(t.results.Len() - 1)
	case key.Matches(msg, k.Open):
		return t.open()
	case key.Matches(msg, k.Officials):
		return t.ctx.push(newOfficialPicker(t.ctx))
	case key.Matches(msg, k.Topics):
		return t.ctx.push(newTopicPicker(t.ctx))
	case key.Matches(msg, k.Filter):
		t.inputOpen, t.inputWas = true, t.filters
		t.input.SetValue(t.filters.text())
		t.input.CursorEnd()
		t.input.Placeholder = "words anywhere in a briefing"
		return t.input.Focus()
	case key.Matches(msg, k.Reverse):
		t.order = (t.order + 1) % 3
		if t.order == bestFirst && !hasText(t.filters.text()) {
			t.order = newestFirst
		}
		return tea.Batch(t.refresh(), t.ctx.say(t.order.String()))
	case key.Matches(msg, k.Cards):
		if t.results.Len() > 0 {
			return t.ctx.push(newCardsView(t.ctx, t.ids(), t.cursor, t.filters))
		}
	case key.Matches(msg, k.DropFilter):
		if len(t.filters) > 0 {
			t.filters = t.filters.dropLast()
			return t.refresh()
		}
	case key.Matches(msg, k.New):
		return t.toggle(filter{kind: newFilter, label: "new since last visit"})
	case key.Matches(msg, k.Marked):
		return t.toggle(filter{kind: markedFilter, label: "marked"})
	case key.Matches(msg, k.Mark):
		if b := t.current(); b != nil {
			return t.marker.start(b.ID)
		}
	case key.Matches(msg, k.Export):
		return exportCmd(t.ctx, t.results.Briefings(), t.filters)
	}
	return nil
}

// toggle turns a filter with no value on or off.
func (t *timelineView) toggle(f filter) tea.Cmd {
	if t.filters.has(f.kind) {
		t.filters = t.filters.without(f.kind)
	} else {
		t.filters = t.filters.with(f)
	}
	return t.refresh()
}

// open reads the selected briefing; ] and [ there step through this list.
func (t *timelineView) open() tea.Cmd {
	b := t.current()
	if b == nil {
		return nil
	}
	return t.ctx.push(newBriefingView(t.ctx, b.ID, t.ids()))
}

// inputKey handles a key while the text filter is being typed: the list
// narrows as it is typed, the arrows still move, enter reads the selected
// event, tab keeps the filter and leaves the input, esc puts back what was
// there before.
func (t *timelineView) inputKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, t.in.Cancel):
		t.filters = t.inputWas
		t.closeInput()
		return t.refresh()
	case key.Matches(msg, t.in.Keep):
		t.closeInput()
		return nil
	case key.Matches(msg, t.in.Accept):
		t.closeInput()
		t.choose()
		return t.open()
	case key.Matches(msg, t.in.Down):
		t.setCursor(t.cursor + 1)
		t.choose()
		return nil
	case key.Matches(msg, t.in.Up):
		t.setCursor(t.cursor - 1)
		t.choose()
		return nil
	}
	before := t.input.Value()
	var cmd tea.Cmd
	t.input, cmd = t.input.Update(msg)
	if v := t.input.Value(); v != before {
		had := hasText(t.filters.text())
		t.followTop = hasText(v)
		if hasText(v) {
			t.filters = t.filters.with(filter{kind: textFilter, value: strings.TrimSpace(v), label: strings.TrimSpace(v)})
			if !had {
				t.order = bestFirst // words to find: the best match first
			}
		} else {
			t.filters = t.filters.without(textFilter)
		}
		cmd = tea.Batch(cmd, t.refresh())
	}
	return cmd
}

// choose notes that the reader chose the selection: see pinned and
// followTop.
func (t *timelineView) choose() { t.pinned, t.followTop = true, false }

func (t *timelineView) closeInput() {
	t.inputOpen = false
	if !t.pending {
		t.followTop = false // else once the last query's results show
	}
	t.input.Blur()
	t.searcher.Forget() // what it kept for the next keystroke
}

// mouse: the wheel moves the selection, a click selects, a second click
// on the same event opens it.
func (t *timelineView) mouse(msg tea.MouseMsg) tea.Cmd {
	if d := wheelDelta(msg); d != 0 {
		t.setCursor(t.cursor + d)
		t.choose()
		return nil
	}
	if msg.Action != tea.MouseActionPress || msg.Button != tea.MouseButtonLeft {
		return nil
	}
	// The body starts under the header; rows start under the chips.
	y := msg.Y - 1 - len(t.chips())
	if y < 0 || msg.X >= t.listWidth() {
		return nil
	}
	row := t.offset + y/t.linesPerEvent()
	if row >= t.results.Len() {
		return nil
	}
	now := time.Now()
	double := row == t.lastClickRow && now.Sub(t.lastClick) < doubleClick
	t.lastClick, t.lastClickRow = now, row
	t.setCursor(row)
	t.choose()
	if double {
		return t.open()
	}
	return nil
}

func (t *timelineView) chips() []string {
	return t.filters.chipLines(t.ctx.th, t.ctx.bodyWidth())
}

// visibleEvents is how many events fit under the chips.
func (t *timelineView) visibleEvents() int {
	return max((t.ctx.bodyHeight()-len(t.chips()))/t.linesPerEvent(), 1)
}

// columns are the widths of a row's cells; title 0 with twoLines.
type columns struct {
	list, date, kind, title, names int
	twoLines                       bool
}

// layout gives the widths: the title first, since it is what people scan;
// then the officials, then the kind.
func (t *timelineView) layout(width int) columns {
	c := columns{list: width, date: dateWidth}
	avail := width - t.markerWidth() - c.date - 1
	longest := t.longest
	if avail < twoLineTitle || t.ctx.compact() {
		c.twoLines = true
		return c
	}
	c.title = min(longest, avail)
	rest := avail - c.title - 1
	if rest < namesMin && avail-namesMin-1 >= titleMin {
		// Room for who took part, as long as titles keep titleMin.
		c.title = avail - namesMin - 1
		rest = namesMin
	}
	kindW := t.kindW
	switch {
	case rest >= kindW+1+12:
		c.kind, c.names = kindW, rest-kindW-1
	case rest >= 8:
		c.names = rest
	}
	return c
}

// markerWidth is the cells before each event: the selection bar, the
// reading state's mark when there is a state, a space.
func (t *timelineView) markerWidth() int {
	if t.ctx.state != nil {
		return 3
	}
	return 2
}

// listWidth gives the list's width: all of it, unless a preview fits
// beside a list that keeps its titles readable.
func (t *timelineView) listWidth() int {
	width := t.ctx.bodyWidth()
	if width < previewWidth || t.ctx.compact() {
		return width
	}
	for lw := width * 11 / 20; lw <= width-previewMin-1; lw++ {
		c := t.layout(lw)
		if !c.twoLines && c.title >= min(readableTitle, t.longest) {
			return lw
		}
	}
	return width
}

func (t *timelineView) linesPerEvent() int {
	if t.layout(t.listWidth()).twoLines {
		return 2
	}
	return 1
}

func (t *timelineView) view() string {
	ctx := t.ctx
	width, height := ctx.bodyWidth(), ctx.bodyHeight()
	chips := t.chips()
	listH := max(height-len(chips), 1)
	if t.results.Len() == 0 {
		return fitBlock(strings.Join(append(chips, t.empty(width, listH)), "\n"), width, height)
	}
	lw := t.listWidth()
	cols := t.layout(lw)
	var rows []string
	for i := t.offset; i < t.results.Len() && len(rows) < listH; i++ {
		rows = append(rows, t.row(t.results.At(i), i == t.cursor, cols)...)
	}
	list := fitBlock(strings.Join(rows, "\n"), lw, listH)
	if lw < width {
		if b := t.current(); b != nil {
			pw := width - lw - 1
			found := t.found(pw)
			preview := card.Briefing(b, ctx.th, card.Options{Width: pw, Height: max(listH-lipgloss.Height(found), 3)})
			if found != "" {
				preview = found + "\n" + preview
			}
			list = lipgloss.JoinHorizontal(lipgloss.Top, list, " ", preview)
		}
	}
	return fitBlock(strings.Join(append(chips, list), "\n"), width, height)
}

// found draws where the selected briefing matched the text, the words
// highlighted, in at most three lines of width.
func (t *timelineView) found(width int) string {
	sn := t.snippet
	if sn.Text == "" {
		return ""
	}
	th := t.ctx.th
	var b strings.Builder
	at := 0
	for _, m := range sn.Matches {
		if m.Start < at || m.End > len(sn.Text) {
			continue
		}
		b.WriteString(th.Text.Render(sanitize.Line(sn.Text[at:m.Start])))
		b.WriteString(th.Match.Render(sanitize.Line(sn.Text[m.Start:m.End])))
		at = m.End
	}
	b.WriteString(th.Text.Render(sanitize.Line(sn.Text[at:])))
	lines := strings.Split(ansi.Wrap(th.Muted.Render("in "+sn.Field+": ")+b.String(), width, ""), "\n")
	if len(lines) > 3 {
		lines = append(lines[:2], ansi.Truncate(lines[2], width-1, "")+"…")
	}
	return strings.Join(lines, "\n")
}

// row draws one event: one line, or two for a narrow list.
func (t *timelineView) row(b *store.Briefing, selected bool, c columns) []string {
	th := t.ctx.th
	text, date, kind, official := th.Text, th.Date, th.Kind, th.Official
	if t.pending { // an earlier query's results: drawn as such
		text, date, kind, official = th.Muted, th.Muted, th.Muted, th.Muted
	}
	// The selection bar, then with a reading state, one cell for it: ★
	// marked, • not read (or changed since).
	marker := " "
	if selected {
		marker = th.Accent.Render("▌")
	}
	if t.ctx.state != nil {
		switch st := t.ctx.state.status(t.ctx.corpus, b); {
		case st.Marked:
			marker += th.Accent.Render("★")
		case t.ctx.state.ready(t.ctx.corpus) && (!st.Read || st.Changed):
			marker += th.Accent.Render("•")
		default:
			marker += " "
		}
	}
	marker += " "
	indent := strings.Repeat(" ", t.markerWidth())
	style := func(s lipgloss.Style) lipgloss.Style {
		if selected {
			return s.Inherit(th.Selected)
		}
		return s
	}
	cell := func(text string, width int, s lipgloss.Style) string {
		text = ansi.Truncate(sanitize.Line(text), width, "…")
		return style(s).Render(text + strings.Repeat(" ", max(width-ansi.StringWidth(text), 0)))
	}
	names := strings.Join(b.ShortNames(), ", ")
	if c.twoLines {
		w := max(c.list-t.markerWidth(), 1)
		meta := b.When()
		if b.Kind != "" {
			meta += " · " + b.Kind
		}
		if names != "" {
			meta += " · " + names
		}
		return []string{marker + cell(b.Title, w, text), indent + th.Muted.Render(ansi.Truncate(sanitize.Line(meta), w, "…"))}
	}
	sep := " "
	if selected {
		sep = th.Selected.Render(" ")
	}
	line := marker + cell(b.When(), c.date, date) + sep + cell(b.Title, c.title, text)
	if c.kind > 0 {
		line += sep + cell(b.Kind, c.kind, kind)
	}
	if c.names > 0 {
		line += sep + cell(fitNames(b.ShortNames(), c.names), c.names, official)
	}
	return []string{line}
}

// empty says why nothing is listed.
func (t *timelineView) empty(width, height int) string {
	c := t.ctx.corpus
	msg := "No briefings match these filters.\nesc removes the last filter."
	switch {
	case c.Partial() && len(c.Briefings()) == 0:
		msg = "Loading briefings…"
	case c.Partial():
		msg = "No briefings loaded so far match these filters; more are loading.\nesc removes the last filter."
	case len(c.Briefings()) == 0:
		msg = "There are no briefings in " + sanitize.Line(t.ctx.name()) + "."
		if n := c.Rejected(); n > 0 {
			msg += "\n" + count(n, "file", "files") + " could not be loaded: ! shows why."
		}
	}
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center,
		t.ctx.th.Muted.Render(ansi.Wordwrap(msg, min(width, 60), "")), lipgloss.WithWhitespaceChars(" "))
}

func (t *timelineView) title() string { return "" }

func (t *timelineView) position() string {
	if t.pending {
		return "searching…"
	}
	if t.results.Len() == 0 {
		return fmt.Sprintf("0 of %d", len(t.ctx.corpus.Briefings()))
	}
	s := fmt.Sprintf("%d of %d", t.cursor+1, t.results.Len())
	if n := len(t.ctx.corpus.Briefings()); n != t.results.Len() {
		s += fmt.Sprintf(" (%d in all)", n)
	}
	return s
}

func (t *timelineView) shortHelp() []key.Binding {
	if t.inputOpen {
		return nil
	}
	k := t.keys
	short := []key.Binding{k.Open, k.Officials, k.Filter, k.Cards}
	if len(t.filters) > 0 {
		short = append([]key.Binding{k.DropFilter}, short...)
	}
	return short
}

func (t *timelineView) fullHelp() [][]key.Binding {
	k := t.keys
	drop := k.DropFilter
	drop.SetEnabled(true)
	return [][]key.Binding{
		t.move.all(),
		{k.Open, k.Cards, k.Reverse, k.Mark, k.Export},
		{k.Officials, k.Topics, k.Filter, k.New, k.Marked, drop},
		{heading("While typing after /"), t.in.Accept, t.in.Keep, t.in.Cancel, t.in.Up, t.in.Down},
	}
}

func (t *timelineView) typing() bool { return t.inputOpen || t.marker.open }

func (t *timelineView) footer() string {
	if t.marker.open {
		return t.marker.footer()
	}
	if !t.inputOpen {
		return ""
	}
	return inputLine(t.ctx, "/ ", t.input, "enter read · tab keep · esc cancel")
}

// fitNames gives the names joined, or the first and how many more
// ("Tokayev +2") when they do not fit in width.
func fitNames(names []string, width int) string {
	all := strings.Join(names, ", ")
	if ansi.StringWidth(all) <= width || len(names) < 2 {
		return all
	}
	for n := len(names) - 1; n >= 1; n-- {
		s := strings.Join(names[:n], ", ") + fmt.Sprintf(" +%d", len(names)-n)
		if ansi.StringWidth(s) <= width {
			return s
		}
	}
	return names[0] + fmt.Sprintf(" +%d", len(names)-1)
}
