package server

import (
	"reflect"
	"runtime/debug"

	tea "github.com/charmbracelet/bubbletea"
)

// guard keeps one session's reader from acting on the server process: a
// panic in the model or in one of its commands ends only that session, and
// messages that would act on the whole process (suspend, exec) never reach
// Bubble Tea.
//
// Bubble Tea v1 recovers panics itself, but prints them to the server's own
// stdout, unsanitized; and tea.Suspend sends SIGTSTP to the server's whole
// process group. The reader has no suspend binding; the guard makes sure
// nothing else can send one either.
type guard struct {
	// panicked is told about a recovered panic: where, what and the stack.
	panicked func(where string, r any, stack []byte)
}

// protect runs f, recovering a panic; it reports whether f completed.
func (g *guard) protect(where string, f func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			g.panicked(where, r, debug.Stack())
			ok = false
		}
	}()
	f()
	return true
}

// cmd wraps a command so that a panic in it is recovered and what it
// returns is filtered.
func (g *guard) cmd(c tea.Cmd) tea.Cmd {
	if c == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		if !g.protect("command", func() { msg = c() }) {
			return nil
		}
		return g.filter(nil, msg)
	}
}

var (
	cmdType        = reflect.TypeOf(tea.Cmd(nil))
	batchType      = reflect.TypeOf(tea.BatchMsg(nil))
	sequenceType   = reflect.TypeOf(tea.Sequence(nothing, nothing)()) // one alone is not wrapped
	suspendMsgType = reflect.TypeOf(tea.SuspendMsg{})
	execMsgType    = reflect.TypeOf(tea.Exec(nil, nil)())
)

func nothing() tea.Msg { return nil }

// filter is the program's message filter (tea.WithFilter), and filters
// what guarded commands return: suspend and exec are dropped, and the
// commands inside a batch or a sequence are guarded in turn.
func (g *guard) filter(_ tea.Model, msg tea.Msg) tea.Msg {
	if msg == nil {
		return nil
	}
	switch t := reflect.TypeOf(msg); t {
	case suspendMsgType, execMsgType:
		return nil
	case batchType, sequenceType:
		v := reflect.ValueOf(msg)
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			c, _ := v.Index(i).Interface().(tea.Cmd)
			out.Index(i).Set(reflect.ValueOf(g.cmd(c)).Convert(cmdType))
		}
		return out.Interface()
	}
	return msg
}

// guardedModel is a reader under a guard.
type guardedModel struct {
	inner tea.Model
	g     *guard
}

func (m guardedModel) Init() tea.Cmd {
	var c tea.Cmd
	m.g.protect("init", func() { c = m.inner.Init() })
	return m.g.cmd(c)
}

// Update passes msg to the reader; after a panic the reader stays as it
// was before the message.
func (m guardedModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, c := m.inner, tea.Cmd(nil)
	if m.g.protect("update", func() { next, c = m.inner.Update(msg) }) {
		m.inner = next
	}
	return m, m.g.cmd(c)
}

func (m guardedModel) View() (v string) {
	if !m.g.protect("view", func() { v = m.inner.View() }) {
		return ""
	}
	return v
}
