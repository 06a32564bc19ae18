package tui

import (
	"io"

	"github.com/brief-tools/brief/render/dossier"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// view is one screen of the reader: the timeline, cards, a briefing, a
// picker, the problems, help. The root keeps views on a stack and gives
// the top one the keys; every view on the stack sees the messages that
// change what they show (a new corpus, a new size, a new theme). A view
// goes to another with shared.push and back with shared.pop, which the
// root carries out as soon as the view's update returns, before the next
// key: keys typed ahead reach the view they were typed for.
//
// A view holds ids and filter values, never pointers into a corpus, so
// that a new corpus can arrive at any time: on corpusMsg each view finds
// its briefings again by id.
type view interface {
	// update handles a message.
	update(msg tea.Msg) (view, tea.Cmd)
	// view draws the body: exactly the shared body width and height.
	// It computes nothing it has to remember.
	view() string
	// title names the view in the header ("" for none).
	title() string
	// position says where the reader is in the view ("3 of 12", "42%").
	position() string
	// shortHelp lists the view's most useful keys, most useful first.
	shortHelp() []key.Binding
	// fullHelp lists all of the view's keys, in groups.
	fullHelp() [][]key.Binding
	// typing reports whether keys go to a text input: then q, ?, T and !
	// are text, not commands.
	typing() bool
	// footer gives what replaces the help line (an open input), or "".
	footer() string
}

// shared is what every view shares: the terminal, its styles, the corpus
// shown, the screen's size. The root owns it and changes it between
// messages; views read it.
type shared struct {
	renderer *lipgloss.Renderer
	th       *theme.Theme
	corpus   *store.Corpus       // nil while loading
	source   *store.CorpusSource // what the corpus comes from, when followed
	label    string              // the corpus' name to show, when set

	oldestFirst bool // the timeline's first order
	hyperlinks  bool // links as OSC 8 hyperlinks

	width, height int // the whole screen

	renders     *RenderCache
	clipboard   io.Writer
	summaryOnly bool // problems as counts and ids only

	nav    []navigation // asked for by the view being updated
	status string       // a message the view being updated has to say

	// positions are where the reader left each briefing they read, as a
	// fraction of its text: reading again starts there (kept in state,
	// when there is one, across runs).
	positions map[string]float64

	state  *readingState                           // nil: no reading state here
	export func(d dossier.Dossier) (string, error) // nil: no export here
}

// say shows a one-line message in the footer until the next key, at once
// (a status from a command comes whenever the command ends).
func (c *shared) say(s string) tea.Cmd {
	c.status = s
	return nil
}

// navigation is a step on the view stack: a view to push, or a pop with
// a message for the view below (nil for none).
type navigation struct {
	push view
	then tea.Msg
}

// push asks for v on top of the stack.
func (c *shared) push(v view) tea.Cmd {
	c.nav = append(c.nav, navigation{push: v})
	return nil
}

// pop asks to leave the top view, giving then (if not nil) to the one
// below.
func (c *shared) pop(then tea.Msg) tea.Cmd {
	c.nav = append(c.nav, navigation{then: then})
	return nil
}

// name gives the corpus' name to show.
func (c *shared) name() string {
	if c.label != "" {
		return c.label
	}
	return c.corpus.Name
}

// Chrome: one line of header, one of footer.
const chromeLines = 2

// bodyWidth and bodyHeight give the space a view draws in.
func (c *shared) bodyWidth() int  { return max(c.width, 1) }
func (c *shared) bodyHeight() int { return max(c.height-chromeLines, 1) }

// compact reports whether the screen is too small for two columns or
// wide tables: narrow splits and phone SSH clients.
func (c *shared) compact() bool { return c.width < CompactWidth || c.height < CompactHeight }

// Messages between views and the root.
type (
	// corpusMsg brings a new corpus: every view finds its ids again.
	corpusMsg struct{}
	// resizeMsg says the screen's size changed.
	resizeMsg struct{}
	// themeMsg says the theme changed: renderings are redone.
	themeMsg struct{}
)
