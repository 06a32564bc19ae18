// Package tui is brief's reader: a Bubble Tea program in views (the
// timeline, cards, a briefing, pickers, the problems, help) under a small
// root that routes messages, keeps the views on a stack (esc goes back one
// step) and draws the chrome: a header, a footer with the keys.
//
// Every style comes from the lipgloss renderer in Config, so that each
// terminal (each SSH session) gets its own, and every frame passes the
// sanitizer before it reaches the terminal. Views hold ids and filter
// values, never pointers into a corpus: a new corpus (CorpusMsg) can
// arrive at any time, and each view finds its briefings again.
package tui

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/brief-tools/brief/readstate"
	"github.com/brief-tools/brief/render/dossier"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Screen sizes: below CompactWidth×CompactHeight the reader lays itself
// out in one column; below MinWidth×MinHeight it only says it needs more
// room.
const (
	MinWidth      = 40
	MinHeight     = 12
	CompactWidth  = 60
	CompactHeight = 20
)

// Config is what the reader needs from outside.
type Config struct {
	// Corpus is what the reader shows.
	Corpus *store.Corpus
	// Load, when Corpus is nil, loads the corpus while the reader already
	// shows its first frame.
	Load func() (*store.Corpus, error)
	// Source, when set (in place of Corpus and Load), opens the source of
	// the corpus while the reader shows its first frame, and the reader
	// follows it: each new snapshot replaces the corpus shown, the views
	// keeping their selections, filters and places; R reloads at once.
	// Done, when it closes (the SSH session ended), stops the following.
	Source func() (*store.CorpusSource, error)
	Done   <-chan struct{}
	// Label names the corpus in the header, in place of its Name (an SSH
	// server's label, never its folder).
	Label string
	// OldestFirst starts the timeline oldest first (the configuration's
	// order).
	OldestFirst bool
	// Hyperlinks makes a briefing's numbered links and listed addresses
	// OSC 8 hyperlinks, for a terminal known to support them (strict
	// http, https and mailto links only; nothing else passes).
	Hyperlinks bool
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
	// CanSuspend lets ctrl+z suspend the reader (a local terminal's, never
	// a server's).
	CanSuspend bool
	// SaveTheme, when set, remembers the theme the reader chose with T
	// and says where.
	SaveTheme func(dark bool) (where string, err error)
	// State, when set, opens the reader's own state for this corpus (what
	// they read, where they stopped, what they marked), in the background,
	// once; the caller closes what it opened. Hashes gives the content
	// hashes of a corpus snapshot, which the state needs (cached where it
	// can be).
	State  func() (*readstate.Store, error)
	Hashes func(*store.Corpus) *readstate.Hashes
	// Export, when set, writes a dossier (e in the timeline) and says
	// where.
	Export func(d dossier.Dossier) (where string, err error)
}

// StatusMsg is a one-line message for the reader, shown in the footer
// until the next key.
type StatusMsg string

// CorpusMsg brings a new corpus to show in place of the current one (the
// folder changed): the views keep their selections and filters.
type CorpusMsg struct{ Corpus *store.Corpus }

// loadedMsg brings the corpus loaded in the background, and its source
// when it has one.
type loadedMsg struct {
	corpus *store.Corpus
	source *store.CorpusSource
	err    error
}

// Model is the reader: the root of its views.
type Model struct {
	ctx       *shared
	keys      globalKeys
	stack     []view
	load      func() (*store.Corpus, error)
	open      func() (*store.CorpusSource, error)
	done      <-chan struct{}
	loadErr   error
	ready     bool // the first window size has arrived
	status    string
	suspend   bool
	saveTheme func(dark bool) (string, error)
}

// New builds the reader. It draws nothing until it knows the window size.
func New(cfg Config) Model {
	ctx := &shared{
		renderer:    cfg.Renderer,
		th:          theme.New(cfg.Renderer, cfg.Dark),
		renders:     cfg.Renders,
		clipboard:   cfg.Clipboard,
		summaryOnly: cfg.ProblemsSummaryOnly,
		export:      cfg.Export,
	}
	if cfg.State != nil {
		hashes := cfg.Hashes
		if hashes == nil {
			hashes = readstate.NewHashes
		}
		ctx.state = &readingState{open: cfg.State, hashes: hashes}
	}
	if ctx.renders == nil {
		ctx.renders = NewRenderCache(32 << 20)
	}
	ctx.label, ctx.oldestFirst, ctx.hyperlinks = cfg.Label, cfg.OldestFirst, cfg.Hyperlinks
	m := Model{ctx: ctx, keys: newGlobalKeys(), load: cfg.Load, open: cfg.Source, done: cfg.Done, suspend: cfg.CanSuspend, saveTheme: cfg.SaveTheme}
	if m.open == nil {
		m.keys.Reload.SetEnabled(false)
	}
	if !m.suspend {
		m.keys.Suspend.SetEnabled(false)
	}
	if cfg.Corpus != nil {
		m.setCorpus(cfg.Corpus)
	}
	return m
}

// setCorpus shows the first corpus: the timeline at the bottom of the
// stack.
func (m *Model) setCorpus(c *store.Corpus) {
	m.ctx.corpus = c
	m.stack = []view{newTimelineView(m.ctx)}
}

func (m Model) top() view { return m.stack[len(m.stack)-1] }

// Init starts loading the corpus when it was not given; the first frame
// waits only for the window size.
func (m Model) Init() tea.Cmd {
	if m.ctx.corpus != nil {
		return m.prepareState()
	}
	if open := m.open; open != nil {
		return func() tea.Msg {
			src, err := open()
			if err != nil {
				return loadedMsg{err: err}
			}
			return loadedMsg{corpus: src.Current(), source: src}
		}
	}
	if m.load == nil {
		return nil
	}
	load := m.load
	return func() tea.Msg {
		c, err := load()
		return loadedMsg{corpus: c, err: err}
	}
}

// follow waits for the next snapshot of the source, until done closes.
func follow(updates <-chan *store.Corpus, stop func(), done <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case c, ok := <-updates:
			if !ok {
				return nil
			}
			return snapshotMsg{c, updates, stop}
		case <-done:
			stop()
			return nil
		}
	}
}

// snapshotMsg brings a new snapshot of the source followed.
type snapshotMsg struct {
	corpus  *store.Corpus
	updates <-chan *store.Corpus
	stop    func()
}

// reload asks the source to look at the folder now.
func reload(src *store.CorpusSource) tea.Cmd {
	return func() tea.Msg {
		c, err := src.Reload()
		if err != nil {
			return StatusMsg("Could not reload: " + sanitize.Line(err.Error()))
		}
		return CorpusMsg{c}
	}
}

// prepareState works out the reader's state for the corpus shown, in the
// background: for a complete snapshot only (the state takes over marks
// from briefings that are gone, which a partial one cannot tell from
// briefings not loaded yet). Until then the rows show no marks.
func (m Model) prepareState() tea.Cmd {
	if m.ctx.state == nil || m.ctx.corpus == nil || m.ctx.corpus.Partial() {
		return nil
	}
	return m.ctx.state.prepare(m.ctx.corpus)
}

// prepareSearch builds the corpus' free-text index after the first frame
// (once per corpus, even when many readers share it); not for a partial
// snapshot, which is soon replaced (a text query on one builds its own).
func prepareSearch(c *store.Corpus) tea.Cmd {
	if c.Partial() {
		return nil
	}
	return func() tea.Msg {
		c.PrepareSearch()
		return nil
	}
}

// Update routes a message: the top view gets keys and mouse; every view
// on the stack hears of a new corpus, size or theme.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.err != nil {
			m.loadErr = msg.err
			return m, nil
		}
		c := msg.corpus
		var following tea.Cmd
		if msg.source != nil {
			m.ctx.source = msg.source
			updates, stop := msg.source.Subscribe()
			following = follow(updates, stop, m.done)
			// Subscribed, then the latest: no snapshot is missed (a
			// source still loading publishes them quickly).
			if latest := msg.source.Current(); latest.Generation() > c.Generation() {
				c = latest
			}
		}
		m.setCorpus(c)
		if m.ready {
			return m, tea.Batch(prepareSearch(c), m.prepareState(), following)
		}
		return m, tea.Batch(m.prepareState(), following)
	case snapshotMsg:
		next := follow(msg.updates, msg.stop, m.done)
		if m.ctx.corpus != nil && msg.corpus.Generation() <= m.ctx.corpus.Generation() {
			return m, next // one already shown (a reload publishes its own too)
		}
		model, cmd := m.Update(CorpusMsg{msg.corpus})
		return model, tea.Batch(cmd, next)
	case CorpusMsg:
		if msg.Corpus == nil || m.ctx.corpus == nil {
			if msg.Corpus != nil {
				m.setCorpus(msg.Corpus)
			}
			return m, nil
		}
		if g := msg.Corpus.Generation(); g > 0 && g < m.ctx.corpus.Generation() {
			return m, nil // older than the one shown
		}
		m.ctx.corpus = msg.Corpus
		return m, tea.Batch(m.broadcast(corpusMsg{}), prepareSearch(msg.Corpus), m.prepareState())
	case stateReadyMsg:
		if msg.err != nil {
			m.status = "Your reading state is not available: " + sanitize.Line(msg.err.Error())
			return m, nil
		}
		if m.ctx.state != nil && m.ctx.state.take(msg, m.ctx.corpus) {
			return m, m.broadcast(stateMsg{})
		}
		return m, nil
	case stateMsg:
		return m, m.broadcast(msg)
	case tea.WindowSizeMsg:
		first := !m.ready
		m.ctx.width, m.ctx.height, m.ready = msg.Width, msg.Height, true
		if m.ctx.corpus == nil {
			return m, nil
		}
		cmd := m.broadcast(resizeMsg{})
		if first {
			cmd = tea.Batch(cmd, prepareSearch(m.ctx.corpus))
		}
		return m, cmd
	case StatusMsg:
		m.status = string(msg)
		return m, nil
	case renderedMsg:
		return m, m.broadcast(msg)
	case tea.MouseMsg:
		if m.ctx.corpus == nil || !m.fits() {
			return m, nil
		}
		return m.toTop(msg)
	case tea.KeyMsg:
		return m.key(msg)
	}
	if m.ctx.corpus == nil {
		return m, nil
	}
	return m.toTop(msg)
}

// key handles a key: the global ones first, unless the top view is
// taking text.
func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	if key.Matches(msg, k.ForceQuit) {
		return m, m.quit()
	}
	m.status = ""
	if m.ctx.corpus == nil || !m.fits() { // loading, failed, or too small
		if key.Matches(msg, k.Quit) {
			return m, tea.Quit
		}
		return m, nil
	}
	if m.top().typing() {
		return m.toTop(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m, m.quit()
	case key.Matches(msg, k.Suspend):
		return m, tea.Suspend
	case key.Matches(msg, k.Help):
		if _, open := m.top().(*helpView); open {
			m.ctx.pop(nil)
		} else {
			m.ctx.push(newHelpView(m.ctx, m.top(), m.globalHelp()))
		}
		return m, m.navigate()
	case key.Matches(msg, k.Problems):
		if _, open := m.top().(*problemsView); open {
			m.ctx.pop(nil)
		} else {
			m.ctx.push(newProblemsView(m.ctx))
		}
		return m, m.navigate()
	case key.Matches(msg, k.Theme):
		return m, m.switchTheme()
	case key.Matches(msg, k.Reload) && m.ctx.source != nil:
		m.status = "Reloading…"
		return m, reload(m.ctx.source)
	}
	return m.toTop(msg)
}

// quitMsg tells the views the reader is leaving: they keep what should
// last (where the reader was in a briefing).
type quitMsg struct{}

// quit ends the reader, once the views have kept what lasts.
func (m Model) quit() tea.Cmd {
	if m.ctx.corpus != nil && len(m.stack) > 0 {
		m.broadcast(quitMsg{})
	}
	return tea.Quit
}

// switchTheme flips between the light and the dark theme, says which, and
// remembers the choice where it can.
func (m *Model) switchTheme() tea.Cmd {
	dark := !m.ctx.th.Dark
	m.ctx.th = theme.New(m.ctx.renderer, dark)
	name := "Light"
	if dark {
		name = "Dark"
	}
	var say tea.Cmd
	m.status = name + " theme"
	if save := m.saveTheme; save != nil {
		say = func() tea.Msg {
			where, err := save(dark)
			if err != nil {
				return StatusMsg(name + " theme (not saved: " + sanitize.Line(err.Error()) + ")")
			}
			return StatusMsg(name + " theme, saved in " + sanitize.Line(where))
		}
	}
	return tea.Batch(m.broadcast(themeMsg{}), say)
}

// toTop gives a message to the top view.
func (m Model) toTop(msg tea.Msg) (tea.Model, tea.Cmd) {
	v, cmd := m.top().update(msg)
	m.stack[len(m.stack)-1] = v
	cmd = tea.Batch(cmd, m.navigate())
	if m.ctx.status != "" {
		m.status, m.ctx.status = m.ctx.status, ""
	}
	return m, cmd
}

// navigate carries out the steps on the stack the views asked for.
func (m *Model) navigate() tea.Cmd {
	var cmds []tea.Cmd
	for len(m.ctx.nav) > 0 {
		n := m.ctx.nav[0]
		m.ctx.nav = m.ctx.nav[1:]
		switch {
		case n.push != nil:
			m.stack = append(m.stack, n.push)
			if v, ok := n.push.(interface{ init() tea.Cmd }); ok {
				cmds = append(cmds, v.init())
			}
		default:
			if len(m.stack) > 1 {
				m.stack = m.stack[:len(m.stack)-1]
			}
			if n.then != nil {
				v, cmd := m.top().update(n.then)
				m.stack[len(m.stack)-1] = v
				cmds = append(cmds, cmd)
			}
		}
	}
	return tea.Batch(cmds...)
}

// broadcast gives a message to every view on the stack, bottom first.
func (m Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i, v := range m.stack {
		next, cmd := v.update(msg)
		m.stack[i] = next
		cmds = append(cmds, cmd)
	}
	m.ctx.nav = nil // only the top view goes anywhere
	return tea.Batch(cmds...)
}

// globalHelp lists the keys that work in every view.
func (m Model) globalHelp() []key.Binding {
	k := m.keys
	return []key.Binding{k.Help, k.Theme, k.Problems, k.Reload, k.Suspend, k.Quit, k.ForceQuit}
}

// fits reports whether the screen is large enough to use.
func (m Model) fits() bool { return m.ctx.width >= MinWidth && m.ctx.height >= MinHeight }

// View draws the screen; every frame passes the sanitizer.
func (m Model) View() string {
	ctx := m.ctx
	if !m.ready {
		return "" // never draw at a guessed size
	}
	if ctx.corpus == nil {
		msg := ctx.th.Muted.Render("Loading briefings…")
		if m.loadErr != nil {
			msg = ctx.th.Error.Render("brief could not load the briefings:") + "\n" + ctx.th.Text.Render(sanitize.Line(m.loadErr.Error())) + "\n\n" + ctx.th.Muted.Render("Press q to quit.")
		}
		return sanitize.Terminal(m.centred(msg))
	}
	if !m.fits() {
		msg := fmt.Sprintf("brief needs at least %d×%d; this is %d×%d. Make it larger, or press q to quit.", MinWidth, MinHeight, ctx.width, ctx.height)
		return sanitize.Terminal(m.centred(ctx.th.Warning.Render(msg)))
	}
	frame := m.header() + "\n" + m.top().view() + "\n" + m.footer()
	if ctx.hyperlinks {
		return sanitize.TerminalWithLinks(frame) // strict OSC 8 links, nothing else
	}
	return sanitize.Terminal(frame)
}

// centred places a message in the middle of the screen, wrapped to fit.
func (m Model) centred(msg string) string {
	w, h := max(m.ctx.width, 1), max(m.ctx.height, 1)
	wrapped := lipgloss.NewStyle().Width(min(w, 60)).Render(msg)
	return fitBlock(lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, wrapped, lipgloss.WithWhitespaceChars(" ")), w, h)
}

// header draws the top line: the corpus, where the reader is, and how
// many files did not load.
func (m Model) header() string {
	ctx := m.ctx
	th := ctx.th
	left := th.Title.Render("brief") + " " + th.Muted.Render(sanitize.Line(ctx.name()))
	if t := m.top().title(); t != "" {
		left += th.Faint.Render(" › ") + th.Text.Render(sanitize.Line(t))
	}
	var right []string
	if p := m.top().position(); p != "" {
		right = append(right, th.Muted.Render(p))
	}
	if st := ctx.state; st.ready(ctx.corpus) && st.unread > 0 {
		right = append(right, th.Accent.Render(fmt.Sprintf("%d unread", st.unread)))
	}
	if ctx.corpus.Partial() {
		// The folder is still being read: the list grows.
		p := ctx.corpus.Progress()
		right = append(right, th.Accent.Render(fmt.Sprintf("loading… %s of %s", grouped(p.Loaded), grouped(p.Expected))))
	} else if n := ctx.corpus.Rejected(); n > 0 {
		right = append(right, th.Warning.Render(fmt.Sprintf("%d not loaded (!)", n)))
	}
	return joinEnds(left, strings.Join(right, "  "), ctx.width)
}

// grouped writes n with its thousands grouped: 10,000.
func grouped(n int) string {
	if n < 0 {
		return "-" + grouped(-n)
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// joinEnds puts left and right on one line of width cells, cutting left
// when both do not fit.
func joinEnds(left, right string, width int) string {
	rw := ansi.StringWidth(right)
	if rw > width*2/3 {
		right = ansi.Truncate(right, width*2/3, "…")
		rw = ansi.StringWidth(right)
	}
	if lw := ansi.StringWidth(left); lw+rw+1 > width {
		left = ansi.Truncate(left, max(width-rw-1, 0), "…")
	}
	gap := max(width-ansi.StringWidth(left)-rw, 0)
	return left + strings.Repeat(" ", gap) + right
}

// footer draws the bottom line: a status message, an open input, or the
// keys, with help and quit (and back, where there is a way back) always
// among them.
func (m Model) footer() string {
	ctx := m.ctx
	top := m.top()
	switch {
	case m.status != "":
		return ansi.Truncate(ctx.th.Accent.Render(sanitize.Line(m.status)), ctx.width, "…")
	case top.footer() != "":
		return top.footer()
	}
	must := []key.Binding{m.keys.Help, m.keys.Quit}
	if len(m.stack) > 1 {
		must = append([]key.Binding{m.keys.Back}, must...)
	}
	if top.typing() {
		must = []key.Binding{m.keys.ForceQuit}
		if len(m.stack) > 1 {
			must = append([]key.Binding{m.keys.Back}, must...)
		}
	}
	return helpLine(ctx.th, top.shortHelp(), must, ctx.width)
}
