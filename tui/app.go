// Package tui is brief's reader: a Bubble Tea program with a timeline of
// events, an official and topic picker, summary cards, the full briefing
// with search inside it, and the list of files that failed to load.
//
// Every style comes from the lipgloss renderer in Config, so that each
// terminal (each SSH session) gets its own, and every frame passes the
// sanitizer before it reaches the terminal.
package tui

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Minimum terminal size the reader lays itself out for.
const (
	MinWidth  = 60
	MinHeight = 20
)

// Config is what the reader needs from outside.
type Config struct {
	// Corpus is what the reader shows.
	Corpus *store.Corpus
	// Load, when Corpus is nil, loads the corpus while the reader already
	// shows its first frame.
	Load func() (*store.Corpus, error)
	// Renderer styles everything for the reader's terminal.
	Renderer *lipgloss.Renderer
	// Dark says the terminal's background is dark.
	Dark bool
	// Renders, when set, is a cache of renderings shared with other
	// readers of the same corpus; by default each reader has its own.
	Renders *RenderCache
	// ProblemsSummaryOnly keeps file names and their contents out of the
	// problems view: it shows counts and briefing ids (a server's readers
	// need not see its folder).
	ProblemsSummaryOnly bool
	// Clipboard, when set, receives the OSC 52 sequence that copies a link
	// to the reader's clipboard: the terminal's own output. Writes to it
	// must not interleave with the program's (see LockedWriter).
	Clipboard io.Writer
}

// view is what fills the screen below the header.
type view int

const (
	timelineView view = iota
	cardsView
	readerView
	problemsView
)

// inputMode says what the one-line input at the bottom is for.
type inputMode int

const (
	noInput inputMode = iota
	filterInput
	searchInput
)

// Model is the reader.
type Model struct {
	corpus    *store.Corpus // nil while loading
	load      func() (*store.Corpus, error)
	loadErr   error
	renderer  *lipgloss.Renderer
	th        *theme.Theme
	keys      keyMap
	help      help.Model
	clipboard io.Writer

	width, height int
	ready         bool // the first window size has arrived

	view     view
	backView view // where esc goes from the reader

	filters     filters
	results     []*store.Briefing // what the timeline shows, in display order
	cursor      int               // the selected result
	offset      int               // the first row shown
	newestFirst bool
	kindWidth   int

	input     textinput.Model
	inputMode inputMode
	inputWas  string // the text before the input opened, for cancel

	picker *picker

	reader   reader
	problems viewport.Model
	cache    *RenderCache

	summaryOnly bool // see Config.ProblemsSummaryOnly

	status   string
	showHelp bool
	frame    *frameCache
}

// New builds the reader. It renders nothing until it knows the window size.
func New(cfg Config) Model {
	m := Model{
		load:        cfg.Load,
		renderer:    cfg.Renderer,
		keys:        newKeyMap(),
		clipboard:   cfg.Clipboard,
		newestFirst: true,
		cache:       cfg.Renders,
		frame:       &frameCache{},
		summaryOnly: cfg.ProblemsSummaryOnly,
	}
	if m.cache == nil {
		m.cache = NewRenderCache(32 << 20)
	}
	m.setTheme(theme.New(cfg.Renderer, cfg.Dark))
	if cfg.Corpus != nil {
		m.setCorpus(cfg.Corpus)
	}
	return m
}

// setCorpus shows a loaded corpus.
func (m *Model) setCorpus(c *store.Corpus) {
	m.corpus = c
	for _, b := range c.Briefings() {
		m.kindWidth = max(m.kindWidth, ansi.StringWidth(b.Kind))
	}
	m.kindWidth = min(max(m.kindWidth, 4), 12)
	m.refilter()
}

// StatusMsg is a one-line message for the reader from outside (the SSH
// server's, say), shown in the footer until the next key.
type StatusMsg string

// loadedMsg brings the corpus loaded in the background.
type loadedMsg struct {
	corpus *store.Corpus
	err    error
}

// setTheme builds every style-dependent part from th.
func (m *Model) setTheme(th *theme.Theme) {
	m.th = th
	m.help = help.New()
	m.help.Styles = help.Styles{
		Ellipsis:       th.Faint,
		ShortKey:       th.Key,
		ShortDesc:      th.KeyDesc,
		ShortSeparator: th.Faint,
		FullKey:        th.Key,
		FullDesc:       th.KeyDesc,
		FullSeparator:  th.Faint,
	}
	m.input = newInput(th)
	m.problems = newViewport(th)
	m.reader.viewport = newViewport(th)
}

// newInput makes a text input styled by the theme, with a cursor that does
// not blink (a blinking cursor redraws twice a second, which a reader on a
// slow link pays for).
func newInput(th *theme.Theme) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.PromptStyle = th.Accent
	in.TextStyle = th.Text
	in.PlaceholderStyle = th.Faint
	in.CompletionStyle = th.Faint
	in.Cursor.Style = th.Renderer.NewStyle().Reverse(true)
	in.Cursor.TextStyle = th.Text
	in.Cursor.SetMode(cursor.CursorStatic)
	in.CharLimit = 200
	return in
}

func newViewport(th *theme.Theme) viewport.Model {
	vp := viewport.New(0, 0)
	vp.Style = th.Renderer.NewStyle()
	vp.MouseWheelEnabled = true
	return vp
}

// Init starts loading the corpus when it was not given; the first frame
// waits only for the window size.
func (m Model) Init() tea.Cmd {
	if m.corpus != nil || m.load == nil {
		return nil
	}
	load := m.load
	return func() tea.Msg {
		c, err := load()
		return loadedMsg{c, err}
	}
}

// bodyHeight is the number of lines between the header and the footer.
func (m Model) bodyHeight() int {
	return max(m.height-m.headerHeight()-m.footerHeight(), 1)
}

// headerHeight is 2 when the active filters need a line of their own.
func (m Model) headerHeight() int {
	if len(m.filters.order) == 0 || m.picker != nil || (m.view != timelineView && m.view != cardsView) {
		return 1 // no filter chips: no need to draw the header to know
	}
	return lipgloss.Height(m.header())
}

func (m Model) footerHeight() int {
	if m.showHelp && m.inputMode == noInput && m.picker == nil {
		return lipgloss.Height(m.fullHelp())
	}
	return 1
}

// Update handles a message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.err != nil {
			m.loadErr = msg.err
			return m, nil
		}
		m.setCorpus(msg.corpus)
		cmd := m.layout()
		if m.ready {
			cmd = tea.Batch(cmd, m.prepareSearch)
		}
		return m, cmd
	case tea.WindowSizeMsg:
		first := !m.ready
		m.width, m.height, m.ready = msg.Width, msg.Height, true
		if m.corpus == nil {
			return m, nil
		}
		cmd := m.layout()
		if first {
			// After the first frame, build the free-text index so that
			// typing a filter stays fast on a large corpus.
			cmd = tea.Batch(cmd, m.prepareSearch)
		}
		return m, cmd
	case StatusMsg:
		m.status = string(msg)
		return m, nil
	case renderedMsg:
		m.cache.put(msg.key, msg.result)
		if m.view == readerView && m.reader.key(&m) == msg.key {
			m.reader.show(msg.result, m.th)
		}
		return m, nil
	case tea.MouseMsg:
		return m.mouse(msg)
	case tea.KeyMsg:
		if key.Matches(msg, m.keys.ForceQuit) {
			return m, tea.Quit
		}
		m.status = ""
		if m.corpus == nil { // still loading, or loading failed
			if key.Matches(msg, m.keys.Quit) {
				return m, tea.Quit
			}
			return m, nil
		}
		if m.picker != nil {
			return m.pickerKey(msg)
		}
		if m.inputMode != noInput {
			return m.inputKey(msg)
		}
		if !m.fits() {
			if key.Matches(msg, m.keys.Quit) {
				return m, tea.Quit
			}
			return m, nil
		}
		switch {
		case key.Matches(msg, m.keys.Quit):
			return m, tea.Quit
		case key.Matches(msg, m.keys.Help):
			m.showHelp = !m.showHelp
			return m, m.layout()
		case key.Matches(msg, m.keys.Theme):
			m.setTheme(theme.New(m.renderer, !m.th.Dark))
			return m, m.layout()
		}
		switch m.view {
		case timelineView, cardsView:
			return m.listKey(msg)
		case readerView:
			return m.readerKey(msg)
		case problemsView:
			return m.problemsKey(msg)
		}
	}
	return m, nil
}

// prepareSearch builds the corpus' free-text index (once per corpus, even
// when many readers share it).
func (m Model) prepareSearch() tea.Msg {
	m.corpus.PrepareSearch()
	return nil
}

// fits reports whether the terminal is large enough to lay out.
func (m Model) fits() bool { return m.width >= MinWidth && m.height >= MinHeight }

// layout sizes everything for the window, and renders the open briefing
// again if its width changed.
func (m *Model) layout() tea.Cmd {
	m.help.Width = m.width
	m.problems.Width, m.problems.Height = m.width, m.bodyHeight()
	m.problems.SetContent(m.problemsText())
	m.clampOffset()
	if m.view == readerView {
		return m.openReader(m.reader.b)
	}
	return nil
}

// View draws the screen; every frame passes the sanitizer.
func (m Model) View() string {
	if !m.ready {
		return "" // never draw at a guessed size
	}
	if m.corpus == nil {
		msg := m.th.Muted.Render("Loading briefings…")
		if m.loadErr != nil {
			msg = m.th.Error.Render("brief could not load the briefings:") + "\n" + m.th.Text.Render(sanitize.Line(m.loadErr.Error())) + "\n\n" + m.th.Muted.Render("Press q to quit.")
		}
		return sanitize.Terminal(lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, msg, lipgloss.WithWhitespaceChars(" ")))
	}
	if !m.fits() {
		msg := fmt.Sprintf("brief needs a terminal of at least %d×%d;\nthis one is %d×%d.\n\nMake it larger, or press q to quit.", MinWidth, MinHeight, m.width, m.height)
		return sanitize.Terminal(lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, m.th.Warning.Render(msg), lipgloss.WithWhitespaceChars(" ")))
	}
	head := m.header()
	height := max(m.height-lipgloss.Height(head)-m.footerHeight(), 1)
	var body string
	switch {
	case m.picker != nil:
		body = fitBlock(m.picker.view(m.th, m.width, height), m.width, height)
	case m.view == timelineView:
		body = fitBlock(m.timelineView(), m.width, height)
	case m.view == cardsView:
		body = fitBlock(m.cardsView(), m.width, height)
	case m.view == readerView:
		body = m.reader.visible(height) // laid out for this width already
	case m.view == problemsView:
		body = fitBlock(m.problems.View(), m.width, height)
	}
	return sanitize.Terminal(head + "\n" + body + "\n" + m.footer())
}

// fitBlock cuts or pads text to exactly width×height cells, so that no
// line is left over from a previous frame.
func fitBlock(s string, width, height int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// header draws the top line: the corpus, the count, the filters, the
// problems.
func (m Model) header() string {
	th := m.th
	left := th.Title.Render("brief") + " " + th.Muted.Render(m.corpus.Name)
	var right string
	switch m.view {
	case readerView:
		pos := slices.Index(m.results, m.reader.b)
		left += th.Faint.Render(" › ") + th.Text.Render(m.reader.b.Title)
		if pos >= 0 {
			right = th.Muted.Render(fmt.Sprintf("%d/%d", pos+1, len(m.results)))
		}
	case problemsView:
		left += th.Faint.Render(" › ") + th.Warning.Render("problems")
	default:
		left += "  " + th.Accent.Render(fmt.Sprintf("%d", len(m.results))) + th.Muted.Render(fmt.Sprintf(" of %d", len(m.corpus.Briefings())))
	}
	if n := m.corpus.Rejected(); n > 0 && m.view != problemsView {
		right = th.Warning.Render(fmt.Sprintf("%d not loaded (!)", n)) + "  " + right
	}
	chips := ""
	if m.view == timelineView || m.view == cardsView {
		chips = m.filters.chips(th)
	}
	if chips == "" {
		return joinEnds(left, right, m.width)
	}
	// Active filters are always visible: beside the title when they fit,
	// else on a line of their own.
	if one := left + "  " + chips; ansi.StringWidth(one)+ansi.StringWidth(right)+1 <= m.width {
		return joinEnds(one, right, m.width)
	}
	return joinEnds(left, right, m.width) + "\n" + ansi.Truncate(th.Muted.Render("filters ")+chips, m.width, "…")
}

// joinEnds puts left and right on one line of width cells, cutting left
// when both do not fit.
func joinEnds(left, right string, width int) string {
	rw := ansi.StringWidth(right)
	if lw := ansi.StringWidth(left); lw+rw+1 > width {
		left = ansi.Truncate(left, max(width-rw-1, 0), "…")
	}
	gap := max(width-ansi.StringWidth(left)-rw, 0)
	return left + strings.Repeat(" ", gap) + right
}

// footer draws the bottom line: an input, a status message or help.
func (m Model) footer() string {
	switch {
	case m.picker != nil:
		return m.help.ShortHelpView([]key.Binding{m.keys.PickUp, m.keys.PickDown, m.keys.Accept, m.keys.Cancel})
	case m.inputMode == filterInput:
		return m.inputLine("/ ")
	case m.inputMode == searchInput:
		return m.inputLine("search: ")
	case m.status != "":
		return ansi.Truncate(m.th.Accent.Render(m.status), m.width, "…")
	case m.showHelp:
		return m.fullHelp()
	}
	return m.helpLine()
}

// helpLine gives the short help of the current view, drawn once per view
// and width: it is on every frame.
func (m Model) helpLine() string {
	key := fmt.Sprint(m.view, m.reader.searching(), m.width, m.th.Dark)
	if m.frame.helpKey != key {
		m.frame.helpKey, m.frame.help = key, m.help.ShortHelpView(m.shortHelp())
	}
	return m.frame.help
}

// frameCache keeps what a frame draws that seldom changes.
type frameCache struct {
	helpKey, help string
}

// inputLine draws the open input after its prompt, cut to the width.
func (m Model) inputLine(prompt string) string {
	in := m.input
	in.Width = max(m.width-ansi.StringWidth(prompt)-2, 1)
	return ansi.Truncate(m.th.Accent.Render(prompt)+in.View(), m.width, "")
}

// shortHelp gives the keys worth showing in the current view.
func (m Model) shortHelp() []key.Binding {
	k := m.keys
	switch m.view {
	case readerView:
		if m.reader.searching() {
			return []key.Binding{k.NextMatch, k.PrevMatch, k.Back, k.Search, k.Copy, k.Help, k.Quit}
		}
		return []key.Binding{k.Down, k.PageDown, k.NextEvent, k.PrevEvent, k.Search, k.Copy, k.Back, k.Help, k.Quit}
	case problemsView:
		return []key.Binding{k.Down, k.Up, k.Back, k.Quit}
	case cardsView:
		return []key.Binding{k.Right, k.Left, k.Open, k.Officials, k.Filter, k.Cards, k.Help, k.Quit}
	}
	return []key.Binding{k.Down, k.Up, k.Open, k.Officials, k.Filter, k.Cards, k.Help, k.Quit}
}

// fullHelp gives every key of the current view, in columns.
func (m Model) fullHelp() string {
	k := m.keys
	var groups [][]key.Binding
	switch m.view {
	case readerView:
		groups = [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom},
			{k.NextEvent, k.PrevEvent, k.Search, k.NextMatch, k.PrevMatch},
			{k.Copy, k.Back, k.Theme, k.Help, k.Quit},
		}
	case problemsView:
		groups = [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Back, k.Help, k.Quit}}
	default:
		nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
		if m.view == cardsView {
			nav = append(nav, k.Left, k.Right)
		}
		groups = [][]key.Binding{
			nav,
			{k.Open, k.Cards, k.Reverse, k.Problems, k.Theme, k.Quit},
			{k.Officials, k.Topics, k.Filter, k.Back, k.Help},
		}
	}
	return m.help.FullHelpView(groups)
}

// selected gives the selected briefing, or nil when nothing matches.
func (m Model) selected() *store.Briefing {
	if m.cursor < 0 || m.cursor >= len(m.results) {
		return nil
	}
	return m.results[m.cursor]
}

// setStatus shows a one-line message until the next key.
func (m *Model) setStatus(format string, args ...any) {
	m.status = fmt.Sprintf(format, args...)
}

// mouse scrolls with the wheel.
func (m Model) mouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if msg.Action != tea.MouseActionPress || m.corpus == nil {
		return m, nil
	}
	delta := 0
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		delta = -3
	case tea.MouseButtonWheelDown:
		delta = 3
	default:
		return m, nil
	}
	switch {
	case m.picker != nil:
		m.picker.move(delta)
	case m.view == readerView:
		scroll(&m.reader.viewport, delta)
	case m.view == problemsView:
		scroll(&m.problems, delta)
	default:
		m.moveCursor(delta)
	}
	return m, nil
}

// scroll moves a viewport by delta lines, up when negative.
func scroll(vp *viewport.Model, delta int) {
	if delta > 0 {
		vp.ScrollDown(delta)
	} else {
		vp.ScrollUp(-delta)
	}
}
