package tui

import (
	"container/list"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/aymanbagabas/go-osc52/v2"
	"github.com/brief-tools/brief/render/page"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// readingWidth caps how wide a briefing is laid out, for readable lines; a
// wider terminal centres it.
const readingWidth = 100

// renderKey names one rendering of a briefing: at a width, centred on a
// screen, in a theme and a colour profile.
type renderKey struct {
	corpus  *store.Corpus
	id      string
	width   int
	screen  int
	dark    bool
	profile int
}

// rendered is a briefing laid out, or why it could not be.
type rendered struct {
	page     page.Page
	lines    []string // page.Text split, centred
	problems []store.Problem
	err      error
}

// renderedMsg brings a rendering made in the background.
type renderedMsg struct {
	key    renderKey
	result rendered
}

// RenderCache keeps briefings' renderings per width, theme and colour
// profile, so that going back and forth never renders twice. One cache may
// serve many readers at once (an SSH server's sessions): renderings hold no
// state of the reader's. It holds at most a given number of bytes,
// dropping the renderings used least recently first.
type RenderCache struct {
	mu       sync.Mutex
	m        map[renderKey]*list.Element // of *cached
	order    *list.List                  // most recently used first
	bytes    int64
	maxBytes int64
}

type cached struct {
	key   renderKey
	r     rendered
	bytes int64
}

// NewRenderCache makes a cache that holds at most maxBytes of renderings.
func NewRenderCache(maxBytes int64) *RenderCache {
	return &RenderCache{m: map[renderKey]*list.Element{}, order: list.New(), maxBytes: maxBytes}
}

func (c *RenderCache) get(k renderKey) (rendered, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok {
		return rendered{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cached).r, true
}

func (c *RenderCache) put(k renderKey, r rendered) {
	size := r.size()
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[k]; ok {
		c.bytes -= e.Value.(*cached).bytes
		c.order.Remove(e)
		delete(c.m, k)
	}
	if size > c.maxBytes {
		return // larger than the whole cache: not kept
	}
	for c.bytes+size > c.maxBytes {
		last := c.order.Back()
		old := last.Value.(*cached)
		c.order.Remove(last)
		delete(c.m, old.key)
		c.bytes -= old.bytes
	}
	c.m[k] = c.order.PushFront(&cached{key: k, r: r, bytes: size})
	c.bytes += size
}

// Bytes gives how much the cache holds, in bytes.
func (c *RenderCache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

func (c *RenderCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// size estimates the memory a rendering holds.
func (r rendered) size() int64 {
	n := int64(len(r.page.Text)) + 256
	for _, l := range r.lines {
		n += int64(len(l)) + 16
	}
	return n
}

// reader is the full-briefing view: the page in a viewport, and a search.
type reader struct {
	b        *store.Briefing
	width    int
	dark     bool
	result   rendered
	ready    bool
	viewport viewport.Model // keeps the scroll position
	lines    []string       // what the viewport holds, matches highlighted

	query   string  // the search, folded to lower case
	matches []match // where it occurs
	current int     // the match last jumped to
}

// match is one occurrence of the search: a line and its columns.
type match struct{ line, start, end int }

func (r *reader) key(m *Model) renderKey {
	return renderKey{m.corpus, r.b.ID, r.width, m.width, r.dark, int(m.th.Renderer.ColorProfile())}
}

func (r *reader) searching() bool { return r.query != "" }

// show puts a rendering in the viewport.
func (r *reader) show(result rendered, th *theme.Theme) {
	r.result, r.ready = result, true
	r.findMatches()
	r.refresh(th)
}

// refresh fills the viewport with the page, matches highlighted.
func (r *reader) refresh(th *theme.Theme) {
	if !r.ready {
		r.setLines([]string{"", th.Muted.Render("  Rendering…")})
		return
	}
	if r.result.err != nil {
		r.setLines([]string{"", th.Error.Render("  Cannot show this briefing: ") + th.Text.Render(sanitize.Line(r.result.err.Error()))})
		return
	}
	lines := r.result.lines
	if len(r.matches) > 0 {
		lines = slices.Clone(lines)
		for i, mt := range r.matches {
			style := th.Match
			if i == r.current {
				style = th.Current
			}
			lines[mt.line] = highlight(lines[mt.line], mt.start, mt.end, style.Render)
		}
	}
	r.setLines(lines)
}

// setLines puts lines in the viewport, keeping the scroll position.
func (r *reader) setLines(lines []string) {
	offset := r.viewport.YOffset
	r.lines = lines
	r.viewport.SetContent(strings.Join(lines, "\n"))
	r.viewport.SetYOffset(offset)
}

// visible gives the lines in view, exactly height of them: the page is
// laid out for the screen's width already, so only the rows are cut.
func (r *reader) visible(height int) string {
	from := min(max(r.viewport.YOffset, 0), len(r.lines))
	shown := r.lines[from:min(from+height, len(r.lines))]
	var b strings.Builder
	for i := range height {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(shown) {
			b.WriteString(shown[i])
		}
	}
	return b.String()
}

// highlight restyles the cells start..end of a styled line.
func highlight(line string, start, end int, style func(...string) string) string {
	return ansi.Cut(line, 0, start) + style(ansi.Strip(ansi.Cut(line, start, end))) + ansi.Cut(line, end, ansi.StringWidth(line))
}

// findMatches finds the search in every line, ignoring case.
func (r *reader) findMatches() {
	r.matches = r.matches[:0]
	if r.query == "" || !r.ready {
		return
	}
	for i, line := range r.result.lines {
		plain := strings.ToLower(ansi.Strip(line))
		for from := 0; ; {
			j := strings.Index(plain[from:], r.query)
			if j < 0 {
				break
			}
			at := from + j
			start := ansi.StringWidth(plain[:at])
			r.matches = append(r.matches, match{i, start, start + ansi.StringWidth(r.query)})
			from = at + len(r.query)
		}
	}
	r.current = min(r.current, max(len(r.matches)-1, 0))
}

// jump scrolls to the match at or after the top of the view (dir 0), or
// the next or previous match (dir ±1), wrapping around.
func (r *reader) jump(dir int) {
	if len(r.matches) == 0 {
		return
	}
	switch dir {
	case 0:
		r.current = 0
		for i, mt := range r.matches {
			if mt.line >= r.viewport.YOffset {
				r.current = i
				break
			}
		}
	default:
		r.current = (r.current + dir + len(r.matches)) % len(r.matches)
	}
	line := r.matches[r.current].line
	if line < r.viewport.YOffset || line >= r.viewport.YOffset+r.viewport.Height {
		r.viewport.SetYOffset(max(line-r.viewport.Height/3, 0))
	}
}

// openReader shows briefing b, rendering it in the background when no
// rendering at this width and theme is cached.
func (m *Model) openReader(b *store.Briefing) tea.Cmd {
	width := min(m.width, readingWidth)
	sameBriefing := m.view == readerView && m.reader.b == b
	if !sameBriefing {
		m.reader.query, m.reader.matches, m.reader.current = "", nil, 0
		m.reader.viewport.SetYOffset(0)
	}
	m.view = readerView
	m.reader.b, m.reader.width, m.reader.dark = b, width, m.th.Dark
	m.reader.viewport.Width, m.reader.viewport.Height = m.width, m.bodyHeight()
	title := tea.SetWindowTitle("brief: " + sanitize.Line(b.Title))
	if r, ok := m.cache.get(m.reader.key(m)); ok {
		m.reader.show(r, m.th)
		return title
	}
	body, problems, err := m.corpus.Body(b)
	if err == nil && len(body) > syncRenderBytes {
		// A long briefing renders off the event loop, so the reader can
		// keep moving meanwhile.
		m.reader.ready = false
		m.reader.refresh(m.th)
		return tea.Batch(title, renderInBackground(b, body, problems, m.th, width, m.width, m.reader.key(m)))
	}
	r := layOut(b, body, problems, err, m.th, width, m.width)
	m.cache.put(m.reader.key(m), r)
	m.reader.show(r, m.th)
	return title
}

// syncRenderBytes is the largest body rendered at once when opened (in a
// few milliseconds); longer ones render in the background.
const syncRenderBytes = 64 << 10

// renderInBackground lays out a long briefing off the event loop.
func renderInBackground(b *store.Briefing, body string, problems []store.Problem, th *theme.Theme, width, screen int, k renderKey) tea.Cmd {
	return func() tea.Msg {
		return renderedMsg{key: k, result: layOut(b, body, problems, nil, th, width, screen)}
	}
}

// layOut renders a briefing's page at width, centred on a screen that
// wide.
func layOut(b *store.Briefing, body string, problems []store.Problem, err error, th *theme.Theme, width, screen int) rendered {
	r := rendered{problems: problems, err: err}
	if err == nil {
		r.page, r.err = page.Render(b, body, th, page.Options{Width: width})
	}
	margin := strings.Repeat(" ", max((screen-width)/2, 0))
	for _, l := range strings.Split(strings.TrimRight(r.page.Text, "\n"), "\n") {
		r.lines = append(r.lines, margin+l)
	}
	return r
}

// readerKey handles a key in the full-briefing view.
func (m Model) readerKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k, vp := m.keys, &m.reader.viewport
	switch {
	case key.Matches(msg, k.Back):
		if m.reader.searching() {
			m.reader.query = ""
			m.reader.findMatches()
			m.reader.refresh(m.th)
			return m, nil
		}
		m.view = m.backView
		m.clampOffset()
		return m, tea.SetWindowTitle("brief")
	case key.Matches(msg, k.NextMatch) && m.reader.searching():
		m.reader.jump(1)
		m.reader.refresh(m.th)
	case key.Matches(msg, k.PrevMatch) && m.reader.searching():
		m.reader.jump(-1)
		m.reader.refresh(m.th)
	case key.Matches(msg, k.NextEvent):
		return m, m.stepEvent(1)
	case key.Matches(msg, k.PrevEvent):
		return m, m.stepEvent(-1)
	case key.Matches(msg, k.Search):
		return m, m.openInput(searchInput, m.reader.query, "text in this briefing")
	case key.Matches(msg, k.Copy):
		m.copySource()
	case key.Matches(msg, k.Problems):
		m.openProblems()
	default:
		scrollKey(vp, k, msg)
	}
	return m, nil
}

// scrollKey moves a viewport for a movement key; false for other keys.
func scrollKey(vp *viewport.Model, k keyMap, msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.HalfDown):
		vp.HalfPageDown()
	case key.Matches(msg, k.HalfUp):
		vp.HalfPageUp()
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	default:
		return false
	}
	return true
}

// openInput opens the bottom input for mode, holding value.
func (m *Model) openInput(mode inputMode, value, placeholder string) tea.Cmd {
	m.inputMode, m.inputWas = mode, value
	m.input.SetValue(value)
	m.input.CursorEnd()
	m.input.Placeholder = placeholder
	return m.input.Focus()
}

// stepEvent opens the next or previous event of the timeline.
func (m *Model) stepEvent(dir int) tea.Cmd {
	i := slices.Index(m.results, m.reader.b)
	if i < 0 || i+dir < 0 || i+dir >= len(m.results) {
		if dir > 0 {
			m.setStatus("This is the last event.")
		} else {
			m.setStatus("This is the first event.")
		}
		return nil
	}
	m.cursor = i + dir
	m.clampOffset()
	return m.openReader(m.results[m.cursor])
}

// copySource copies the briefing's first source link to the reader's
// clipboard with OSC 52, which works over SSH too.
func (m *Model) copySource() {
	var link string
	for _, s := range m.reader.b.Sources {
		if s.URL != "" {
			link = s.URL
			break
		}
	}
	switch {
	case link == "":
		m.setStatus("This briefing has no source link to copy.")
	case m.clipboard == nil:
		m.setStatus("Copying is not available here; the link is listed at the end.")
	default:
		if _, err := io.WriteString(m.clipboard, osc52.New(sanitize.Line(link)).String()); err != nil {
			m.setStatus("Could not copy: %v", err)
			return
		}
		m.setStatus("Copied %s", sanitize.Line(link))
	}
}

// inputKey handles a key while the bottom input is open.
func (m Model) inputKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.applyInput(m.inputWas)
		m.closeInput()
		return m, nil
	case key.Matches(msg, m.keys.Accept):
		m.applyInput(m.input.Value())
		if m.inputMode == searchInput {
			m.reader.jump(0)
			m.reader.refresh(m.th)
			if m.reader.searching() {
				m.setStatus("%d matches", len(m.reader.matches))
			}
		}
		m.closeInput()
		return m, nil
	}
	var cmd tea.Cmd
	before := m.input.Value()
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() != before {
		m.applyInput(m.input.Value())
		if m.inputMode == searchInput {
			m.reader.jump(0)
			m.reader.refresh(m.th)
		}
	}
	return m, cmd
}

// applyInput applies what the input holds, as it is typed.
func (m *Model) applyInput(text string) {
	switch m.inputMode {
	case filterInput:
		was := m.filters.text
		m.filters.text = strings.TrimSpace(text)
		if m.filters.text == "" {
			m.filters.clear(textFilter)
		} else {
			m.filters.set(textFilter)
		}
		grew := was != "" && strings.HasPrefix(store.Fold(m.filters.text), store.Fold(was)) && !strings.HasSuffix(text, " ")
		if grew && !m.corpus.SearchReady() {
			m.narrow()
		} else {
			m.refilter()
		}
	case searchInput:
		m.reader.query = strings.ToLower(strings.TrimSpace(text))
		m.reader.findMatches()
		m.reader.refresh(m.th)
	}
}

func (m *Model) closeInput() {
	m.inputMode = noInput
	m.input.Blur()
	m.input.SetValue("")
}

// openProblems shows the files that failed to load and the warnings.
func (m *Model) openProblems() {
	if m.view != problemsView {
		m.backView = m.view
	}
	m.view = problemsView
	m.problems.Width, m.problems.Height = m.width, m.bodyHeight()
	m.problems.SetContent(m.problemsText())
	m.problems.GotoTop()
}

// problemsText lists every problem met while loading, errors first.
func (m Model) problemsText() string {
	th := m.th
	ps := m.corpus.Problems()
	if len(ps) == 0 {
		return th.Muted.Render("\n  Every briefing loaded without a problem.")
	}
	if m.summaryOnly {
		return m.problemsSummary()
	}
	var errs, warns []string
	for _, p := range ps {
		line := "  " + th.Faint.Render(sanitize.Line(fmt.Sprintf("%s:%d", p.Path, p.Line))) + " " + th.Text.Render(sanitize.Line(p.Message))
		if p.Line == 0 {
			line = "  " + th.Faint.Render(sanitize.Line(p.Path)) + " " + th.Text.Render(sanitize.Line(p.Message))
		}
		if p.Severity == store.Error {
			errs = append(errs, line)
		} else {
			warns = append(warns, line)
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s\n", th.Error.Render("  "+count(m.corpus.Rejected(), "file", "files")+" could not be loaded"))
	for _, l := range errs {
		sb.WriteString(ansi.Truncate(l, m.width, "…") + "\n")
	}
	if len(warns) > 0 {
		fmt.Fprintf(&sb, "\n%s\n", th.Warning.Render("  "+count(len(warns), "warning", "warnings")))
		for _, l := range warns {
			sb.WriteString(ansi.Truncate(l, m.width, "…") + "\n")
		}
	}
	return sb.String()
}

// problemsSummary tells how many files failed and which briefings have
// warnings, naming no file and quoting nothing from one: what a remote
// reader may see of a server's folder.
func (m Model) problemsSummary() string {
	th := m.th
	ids := map[string]string{}
	for _, b := range m.corpus.Briefings() {
		ids[b.Path] = b.ID
	}
	warned := map[string]int{}
	var order []string
	for _, p := range m.corpus.Problems() {
		id, ok := ids[p.Path]
		if !ok || p.Severity == store.Error {
			continue
		}
		if warned[id] == 0 {
			order = append(order, id)
		}
		warned[id]++
	}
	var sb strings.Builder
	if n := m.corpus.Rejected(); n > 0 {
		fmt.Fprintf(&sb, "%s\n", th.Error.Render("  "+count(n, "file", "files")+" could not be loaded"))
		sb.WriteString(th.Muted.Render("  The server's curators can see which and why with brief check.") + "\n")
	}
	if len(order) > 0 {
		fmt.Fprintf(&sb, "\n%s\n", th.Warning.Render("  Briefings loaded with warnings"))
		for _, id := range order {
			sb.WriteString(ansi.Truncate("  "+th.Text.Render(sanitize.Line(id))+" "+th.Muted.Render(count(warned[id], "warning", "warnings")), m.width, "…") + "\n")
		}
	}
	return sb.String()
}

// problemsKey handles a key in the problems view.
func (m Model) problemsKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k, vp := m.keys, &m.problems
	switch {
	case key.Matches(msg, k.Back), key.Matches(msg, k.Problems):
		m.view = m.backView
		m.clampOffset()
	default:
		scrollKey(vp, k, msg)
	}
	return m, nil
}

// count gives "1 file" or "3 files".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
