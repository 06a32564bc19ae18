package tui

import (
	"fmt"
	"strings"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// problemsView lists what went wrong while loading: the files that could
// not be loaded and the warnings, each whole, wrapped to the screen. The
// page is built when the view opens, once per corpus and width for every
// reader, never on the way to any other screen.
type problemsView struct {
	ctx  *shared
	keys globalKeys
	move moveKeys
	vp   viewport.Model
}

func newProblemsView(ctx *shared) *problemsView {
	v := &problemsView{ctx: ctx, keys: newGlobalKeys(), move: newMoveKeys()}
	v.layout()
	return v
}

func (v *problemsView) layout() {
	ctx := v.ctx
	offset := v.vp.YOffset
	v.vp = viewport.New(ctx.bodyWidth(), ctx.bodyHeight())
	kind := "problems"
	if ctx.summaryOnly {
		kind = "problems-summary"
	}
	k := pageKey{ctx.corpus, kind, ctx.bodyWidth(), ctx.th.Dark, int(ctx.th.Renderer.ColorProfile())}
	v.vp.SetContent(ctx.renders.page(k, v.text))
	v.vp.SetYOffset(offset)
}

// text lists every problem, errors first; while the folder is still
// loading, those of the files loaded so far, and says so.
func (v *problemsView) text() string {
	ctx := v.ctx
	th := ctx.th
	ps := ctx.corpus.Problems()
	var loading string
	if ctx.corpus.Partial() {
		p := ctx.corpus.Progress()
		loading = "  " + th.Accent.Render(fmt.Sprintf("Still loading: %s of %s files so far; the list grows.", grouped(p.Loaded), grouped(p.Expected))) + "\n"
	}
	switch {
	case len(ps) == 0 && loading != "":
		return "\n" + loading + "  " + th.Muted.Render("No problem in the files loaded so far.")
	case len(ps) == 0:
		return "\n  " + th.Muted.Render("Every briefing loaded without a problem.")
	case ctx.summaryOnly:
		return loading + v.summary()
	}
	return loading + v.list(ps)
}

// list lists the problems ps, errors first.
func (v *problemsView) list(ps []store.Problem) string {
	ctx := v.ctx
	th := ctx.th
	width := ctx.bodyWidth()
	wrap := lipgloss.NewStyle().Width(max(width-6, 10))
	item := func(p store.Problem) string {
		where := p.Path
		if p.Line > 0 {
			where = fmt.Sprintf("%s:%d", p.Path, p.Line)
		}
		msg := wrap.Render(sanitize.Line(p.Message))
		return "  " + th.Faint.Render(sanitize.Line(where)) + "\n" + indentLines(th.Text.Render(msg), "      ")
	}
	var errs, warns []string
	for _, p := range ps {
		if p.Severity == store.Error {
			errs = append(errs, item(p))
		} else {
			warns = append(warns, item(p))
		}
	}
	var sb strings.Builder
	if n := ctx.corpus.Rejected(); n > 0 || len(errs) > 0 {
		sb.WriteString("  " + th.Error.Render(count(n, "file", "files")+" could not be loaded") + "\n")
		for _, e := range errs {
			sb.WriteString(e + "\n")
		}
	}
	if len(warns) > 0 {
		if sb.Len() > 0 {
			sb.WriteString("\n")
		}
		sb.WriteString("  " + th.Warning.Render(count(len(warns), "warning", "warnings")) + "\n")
		for _, w := range warns {
			sb.WriteString(w + "\n")
		}
	}
	return sb.String()
}

// summary tells how many files failed and which briefings have warnings,
// naming no file and quoting nothing from one: what a remote reader may
// see of a server's folder.
func (v *problemsView) summary() string {
	ctx := v.ctx
	th := ctx.th
	ids := map[string]string{}
	for _, b := range ctx.corpus.Briefings() {
		ids[b.Path] = b.ID
	}
	warned := map[string]int{}
	var order []string
	for _, p := range ctx.corpus.Problems() {
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
	if n := ctx.corpus.Rejected(); n > 0 {
		sb.WriteString("  " + th.Error.Render(count(n, "file", "files")+" could not be loaded") + "\n")
		sb.WriteString("  " + th.Muted.Render("The server's curators can see which and why with brief check.") + "\n")
	}
	if len(order) > 0 {
		sb.WriteString("\n  " + th.Warning.Render("Briefings loaded with warnings") + "\n")
		for _, id := range order {
			sb.WriteString("  " + th.Text.Render(sanitize.Line(id)) + " " + th.Muted.Render(count(warned[id], "warning", "warnings")) + "\n")
		}
	}
	return sb.String()
}

// indentLines puts prefix before every line of s.
func indentLines(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

func (v *problemsView) update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case corpusMsg, resizeMsg, themeMsg:
		v.layout()
	case tea.MouseMsg:
		wheel(&v.vp, msg)
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, v.keys.Back), key.Matches(msg, v.keys.Problems):
			return v, v.ctx.pop(nil)
		default:
			scrollKey(&v.vp, v.move, msg)
		}
	}
	return v, nil
}

func (v *problemsView) view() string {
	return fitBlock(v.vp.View(), v.ctx.bodyWidth(), v.ctx.bodyHeight())
}

func (v *problemsView) title() string { return "problems" }

func (v *problemsView) position() string {
	if v.vp.TotalLineCount() <= v.vp.Height {
		return ""
	}
	return percent(v.vp)
}

func (v *problemsView) shortHelp() []key.Binding {
	return []key.Binding{v.move.Down, v.move.PageDown}
}

func (v *problemsView) fullHelp() [][]key.Binding {
	b := v.keys.Problems
	b.SetHelp("!/esc", "back")
	return [][]key.Binding{v.move.all(), {b}}
}

func (v *problemsView) typing() bool   { return false }
func (v *problemsView) footer() string { return "" }
