package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/brief-tools/brief/render/page"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// readingWidth caps how wide a briefing is laid out, for readable lines; a
// wider terminal centres it.
const readingWidth = 100

// syncRenderBytes is the longest body laid out at once when opened (in a
// few milliseconds); longer ones are laid out in the background.
const syncRenderBytes = 64 << 10

type briefingKeys struct {
	Search, NextMatch, PrevMatch, NextEvent, PrevEvent, Links, Back, Mark key.Binding
}

func newBriefingKeys() briefingKeys {
	return briefingKeys{
		Search:    bind("/", "search", "/"),
		NextMatch: bind("n", "next match", "n"),
		PrevMatch: bind("N", "previous match", "N"),
		NextEvent: bind("]", "next event", "]"),
		PrevEvent: bind("[", "previous event", "["),
		Links:     bind("y", "copy a link", "y"),
		Back:      bind("esc", "back", "esc"),
		Mark:      bind("m", "mark / unmark", "m"),
	}
}

// briefingView reads one briefing in full: its card, its text and its
// numbered links, with search inside it.
type briefingView struct {
	ctx  *shared
	keys briefingKeys
	move moveKeys
	in   inputKeys

	id  string   // the briefing read
	ids []string // the list it was opened from, for ] and [

	// The rendering shown, and what it was made for.
	rkey     renderKey
	result   rendered
	ready    bool
	gone     bool // the briefing is no longer in the corpus
	changing bool // its file changed on disk: waiting for the new snapshot
	text     *pageText
	anchor   float64 // where the reader was, kept across layouts
	anchored bool
	vp       viewport.Model

	query   string
	matches []match
	current int

	input     textinput.Model
	inputOpen bool
	inputWas  string
	marker    marker
	counted   string // the id last recorded as read
}

func newBriefingView(ctx *shared, id string, ids []string) *briefingView {
	v := &briefingView{ctx: ctx, keys: newBriefingKeys(), move: newMoveKeys(), in: newInputKeys(), id: id, ids: ids}
	v.in.Accept = bind("enter", "search", "enter")
	v.input = newInput(ctx)
	v.marker = newMarker(ctx)
	if ctx.state == nil {
		v.keys.Mark.SetEnabled(false)
	}
	v.vp = viewport.New(ctx.bodyWidth(), ctx.bodyHeight())
	v.resume()
	return v
}

// resume starts the briefing where the reader left it, if they did: in
// this session, or as their state remembers.
func (v *briefingView) resume() {
	if at, ok := v.ctx.positions[v.id]; ok {
		v.anchor, v.anchored = at, true
		return
	}
	if st := v.ctx.state; st.ready(v.ctx.corpus) {
		if p, ok := st.store.PositionOf(v.id); ok {
			v.anchor, v.anchored = p.Fraction, true
		}
	}
}

// leave remembers where the reader is in the briefing.
func (v *briefingView) leave() {
	if !v.ready || v.text == nil || v.gone {
		return
	}
	if v.ctx.positions == nil {
		v.ctx.positions = map[string]float64{}
	}
	at := v.text.offsetOf(v.vp.YOffset)
	v.ctx.positions[v.id] = at
	if st := v.ctx.state; st.ready(v.ctx.corpus) {
		_ = st.store.SetPosition(v.id, st.hash[v.id], v.vp.YOffset, at)
	}
}

// count records, once per briefing opened, that the reader read it.
func (v *briefingView) count() {
	if v.counted == v.id {
		return
	}
	if b := v.briefing(); b != nil && v.ctx.state.ready(v.ctx.corpus) {
		v.ctx.state.read(v.ctx.corpus, b)
		v.counted = v.id
	}
}

// init lays the briefing out as it is opened.
func (v *briefingView) init() tea.Cmd { return v.layout() }

func (v *briefingView) briefing() *store.Briefing { return briefingByID(v.ctx.corpus, v.id) }

// layout renders the briefing for the screen as it is now, unless the
// rendering shown is already for it; the reading position is kept.
func (v *briefingView) layout() tea.Cmd {
	ctx := v.ctx
	v.vp.Width, v.vp.Height = ctx.bodyWidth(), ctx.bodyHeight()
	b := v.briefing()
	v.gone = b == nil
	if v.gone {
		v.show()
		return nil
	}
	width := min(ctx.bodyWidth(), readingWidth)
	k := renderKey{b, b.ID, width, ctx.bodyWidth(), ctx.th.Dark, int(ctx.th.Renderer.ColorProfile()), ctx.hyperlinks}
	if v.ready && k == v.rkey {
		v.show()
		return nil
	}
	if v.ready && v.text != nil {
		v.anchor, v.anchored = v.textAt(v.vp.YOffset), true
	}
	v.rkey = k
	if r, ok := ctx.renders.get(k); ok {
		v.take(r)
		return nil
	}
	body, problems, err := ctx.corpus.Body(b)
	if errors.Is(err, store.ErrChanged) {
		// The file changed since this snapshot: the next one, with the
		// new version whole, follows within a second. Never a mix.
		v.ready, v.changing = false, true
		v.show()
		return nil
	}
	v.changing = false
	if err == nil && len(body) > syncRenderBytes {
		// A long briefing is laid out off the event loop, so the reader
		// can keep moving meanwhile.
		v.ready = false
		v.show()
		th := ctx.th
		return func() tea.Msg {
			return renderedMsg{key: k, result: layOut(b, body, problems, nil, th, width, k.screen, k.links)}
		}
	}
	r := layOut(b, body, problems, err, ctx.th, width, k.screen, k.links)
	ctx.renders.put(k, r)
	v.take(r)
	return nil
}

// textAt gives where line sits in the text, as a fraction of it.
func (v *briefingView) textAt(line int) float64 { return v.text.offsetOf(line) }

// take shows a finished rendering, at the place the reader was.
func (v *briefingView) take(r rendered) {
	v.result, v.ready = r, true
	v.count()
	v.text = newPageText(r.lines)
	v.matches = v.text.find(v.query)
	v.current = min(v.current, max(len(v.matches)-1, 0))
	v.show()
	if v.anchored {
		v.vp.SetYOffset(v.text.lineAt(v.anchor))
		v.anchored = false
	}
}

// show fills the viewport with the page, the matches highlighted.
func (v *briefingView) show() {
	th := v.ctx.th
	offset := v.vp.YOffset
	switch {
	case v.gone:
		v.vp.SetContent("\n  " + th.Warning.Render("This briefing is no longer in the folder (deleted, or its id changed).") + "\n  " + th.Muted.Render("esc goes back."))
		return
	case !v.ready && v.changing:
		v.vp.SetContent("\n  " + th.Muted.Render("This briefing changed on disk; showing the new version…"))
		return
	case !v.ready:
		v.vp.SetContent("\n  " + th.Muted.Render("Laying out…"))
		return
	case v.result.err != nil:
		v.vp.SetContent("\n  " + th.Error.Render("Cannot show this briefing: ") + th.Text.Render(sanitize.Line(v.result.err.Error())))
		return
	}
	lines := v.result.lines
	if len(v.matches) > 0 {
		lines = slices.Clone(lines)
		for i, m := range v.matches {
			style := th.Match
			if i == v.current {
				style = th.Current
			}
			for _, s := range m {
				lines[s.line] = highlight(lines[s.line], s.start, s.end, style.Render)
			}
		}
	}
	v.vp.SetContent(strings.Join(lines, "\n"))
	v.vp.SetYOffset(offset)
}

// highlight restyles the cells start..end of a styled line.
func highlight(line string, start, end int, style func(...string) string) string {
	return ansi.Cut(line, 0, start) + style(ansi.Strip(ansi.Cut(line, start, end))) + ansi.Cut(line, end, ansi.StringWidth(line))
}

// layOut renders a briefing's page at width, centred on a screen that
// wide.
func layOut(b *store.Briefing, body string, problems []store.Problem, err error, th *theme.Theme, width, screen int, links bool) rendered {
	r := rendered{problems: problems, err: err}
	if err == nil {
		r.page, r.err = page.Render(b, body, th, page.Options{Width: width, Hyperlinks: links})
	}
	margin := strings.Repeat(" ", max((screen-width)/2, 0))
	for _, l := range strings.Split(strings.TrimRight(r.page.Text, "\n"), "\n") {
		r.lines = append(r.lines, margin+l)
	}
	return r
}

// renderedMsg brings a rendering made in the background.
type renderedMsg struct {
	key    renderKey
	result rendered
}

func (v *briefingView) update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case corpusMsg, resizeMsg:
		return v, v.layout()
	case themeMsg:
		v.input = restyle(v.input, v.ctx)
		v.marker.input = restyle(v.marker.input, v.ctx)
		return v, v.layout()
	case stateMsg:
		if v.ready {
			v.count() // the state may have come after the page
		}
	case quitMsg:
		v.leave()
	case renderedMsg:
		v.ctx.renders.put(msg.key, msg.result)
		if msg.key == v.rkey {
			v.take(msg.result)
		}
	case tea.MouseMsg:
		wheel(&v.vp, msg)
	case tea.KeyMsg:
		switch {
		case v.marker.open:
			return v, v.marker.key(msg)
		case v.inputOpen:
			return v, v.inputKey(msg)
		}
		return v, v.key(msg)
	}
	return v, nil
}

func (v *briefingView) key(msg tea.KeyMsg) tea.Cmd {
	k := v.keys
	switch {
	case key.Matches(msg, k.Back):
		if v.query != "" {
			v.setQuery("")
			return nil
		}
		v.leave()
		return v.ctx.pop(selectMsg{v.id})
	case key.Matches(msg, k.Search):
		v.inputOpen, v.inputWas = true, v.query
		v.input.SetValue(v.query)
		v.input.CursorEnd()
		v.input.Placeholder = "words in this briefing"
		return v.input.Focus()
	case key.Matches(msg, k.NextMatch) && v.query != "":
		return v.jump(1)
	case key.Matches(msg, k.PrevMatch) && v.query != "":
		return v.jump(-1)
	case key.Matches(msg, k.NextEvent):
		return v.step(1)
	case key.Matches(msg, k.PrevEvent):
		return v.step(-1)
	case key.Matches(msg, k.Links):
		return v.links()
	case key.Matches(msg, k.Mark):
		return v.marker.start(v.id)
	default:
		scrollKey(&v.vp, v.move, msg)
	}
	return nil
}

// inputKey handles a key while the search is typed: the matches show as
// it is typed; enter keeps it, esc puts back the search before.
func (v *briefingView) inputKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, v.in.Cancel):
		v.inputOpen = false
		v.input.Blur()
		v.setQuery(v.inputWas)
		return nil
	case key.Matches(msg, v.in.Accept), key.Matches(msg, v.in.Keep):
		v.inputOpen = false
		v.input.Blur()
		if v.query != "" {
			return v.jump(0)
		}
		return nil
	}
	before := v.input.Value()
	var cmd tea.Cmd
	v.input, cmd = v.input.Update(msg)
	if after := v.input.Value(); after != before {
		v.setQuery(after)
		v.scrollToCurrent()
	}
	return cmd
}

// setQuery searches for q (folded as the store folds; "" ends the search).
func (v *briefingView) setQuery(q string) {
	v.query = strings.TrimSpace(q)
	v.matches, v.current = nil, 0
	if v.text != nil && v.query != "" {
		v.matches = v.text.find(v.query)
		// Start from the first match at or below the top of the view.
		for i, m := range v.matches {
			if len(m) > 0 && m[0].line >= v.vp.YOffset {
				v.current = i
				break
			}
		}
	}
	v.show()
}

// jump moves to the next or previous match (dir ±1), wrapping, or to the
// current one (0), and says which it is.
func (v *briefingView) jump(dir int) tea.Cmd {
	if len(v.matches) == 0 {
		return v.ctx.say(fmt.Sprintf("No match for “%s”", sanitize.Line(v.query)))
	}
	v.current = (v.current + dir + len(v.matches)) % len(v.matches)
	v.show()
	v.scrollToCurrent()
	return v.ctx.say(fmt.Sprintf("Match %d/%d", v.current+1, len(v.matches)))
}

func (v *briefingView) scrollToCurrent() {
	if v.current >= len(v.matches) || len(v.matches[v.current]) == 0 {
		return
	}
	line := v.matches[v.current][0].line
	if line < v.vp.YOffset || line >= v.vp.YOffset+v.vp.Height {
		v.vp.SetYOffset(max(line-v.vp.Height/3, 0))
	}
}

// step opens the next or previous event of the list it was opened from.
func (v *briefingView) step(dir int) tea.Cmd {
	i := slices.Index(v.ids, v.id)
	for j := i + dir; i >= 0 && j >= 0 && j < len(v.ids); j += dir {
		if briefingByID(v.ctx.corpus, v.ids[j]) == nil {
			continue // gone since the list was made
		}
		v.leave()
		v.id, v.ready, v.query, v.matches, v.current, v.anchored = v.ids[j], false, "", nil, 0, false
		v.vp.SetYOffset(0)
		v.resume()
		return v.layout()
	}
	if dir > 0 {
		return v.ctx.say("This is the last event.")
	}
	return v.ctx.say("This is the first event.")
}

// links copies the only link, or lets the reader choose one.
func (v *briefingView) links() tea.Cmd {
	if !v.ready || v.result.err != nil || len(v.result.page.Links) == 0 {
		return v.ctx.say("This briefing has no links.")
	}
	if len(v.result.page.Links) == 1 {
		return copyLink(v.ctx, v.result.page.Links[0])
	}
	return v.ctx.push(newLinksView(v.ctx, v.result.page.Links))
}

func (v *briefingView) view() string {
	body := v.vp.View()
	if b := v.briefing(); b != nil {
		// The reader's own mark and note, above the page.
		if st := v.ctx.state.status(v.ctx.corpus, b); st.Marked {
			th := v.ctx.th
			line := th.Accent.Render("★ marked")
			if st.Note != "" {
				line += th.Muted.Render(": ") + th.Text.Render(sanitize.Line(st.Note))
			}
			body = ansi.Truncate(line, v.ctx.bodyWidth(), "…") + "\n" + body
		}
	}
	return fitBlock(body, v.ctx.bodyWidth(), v.ctx.bodyHeight())
}

func (v *briefingView) title() string {
	b := v.briefing()
	if b == nil {
		return "gone"
	}
	if v.ctx.state.status(v.ctx.corpus, b).Marked {
		return "★ " + b.Title
	}
	return b.Title
}

func (v *briefingView) position() string {
	var parts []string
	if i := slices.Index(v.ids, v.id); i >= 0 && len(v.ids) > 1 {
		parts = append(parts, fmt.Sprintf("event %d of %d", i+1, len(v.ids)))
	}
	if v.ready && v.vp.TotalLineCount() > v.vp.Height {
		parts = append(parts, percent(v.vp))
	}
	if v.query != "" {
		parts = append(parts, fmt.Sprintf("match %d/%d", min(v.current+1, len(v.matches)), len(v.matches)))
	}
	return strings.Join(parts, " · ")
}

func (v *briefingView) shortHelp() []key.Binding {
	k := v.keys
	if v.query != "" {
		return []key.Binding{k.NextMatch, k.PrevMatch, k.Search, k.NextEvent, k.PrevEvent}
	}
	return []key.Binding{v.move.PageDown, k.Search, k.NextEvent, k.PrevEvent, k.Links}
}

func (v *briefingView) fullHelp() [][]key.Binding {
	k := v.keys
	return [][]key.Binding{
		v.move.all(),
		{k.NextEvent, k.PrevEvent, k.Links, k.Mark, k.Back},
		{k.Search, k.NextMatch, k.PrevMatch},
		{heading("While typing after /"), v.in.Accept, v.in.Cancel},
	}
}

func (v *briefingView) typing() bool { return v.inputOpen || v.marker.open }

func (v *briefingView) footer() string {
	if v.marker.open {
		return v.marker.footer()
	}
	if !v.inputOpen {
		return ""
	}
	hint := "enter done · esc cancel"
	if v.query != "" {
		hint = fmt.Sprintf("%d found · ", len(v.matches)) + hint
	}
	return inputLine(v.ctx, "search: ", v.input, hint)
}
