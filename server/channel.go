package server

import (
	"encoding/binary"
	"sync"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// A session channel's requests pass through a filter before the SSH
// library's session sees them, so that nothing a client sends can cost the
// server more than a bounded amount or block the connection:
//
//   - window-change requests are answered at once and only the latest
//     size is kept (the library hands each one over through a channel of
//     one place, so a flood blocked the connection's whole request loop
//     while the reader was busy writing);
//   - window sizes, in pty-req too, are clamped to MaxWidth×MaxHeight;
//   - env requests are limited in number and size;
//   - a command longer than maxCommandBytes is never split (splitting is
//     quadratic in its length): the session is told it is too long;
//   - a key with no-pty (or restrict) gets no terminal;
//   - agent and X11 forwarding, signals and breaks are refused.

// channelState is what the filter learns about one session channel, for
// its handler.
type channelState struct {
	windows *windowSlot

	mu             sync.Mutex
	commandTooLong int // the length of a command refused as too long
	ptyRefused     bool
}

func (st *channelState) tooLong() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.commandTooLong
}

func (st *channelState) terminalRefused() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.ptyRefused
}

// windowSlot holds the latest window size of a session; changed has a
// value whenever a size came that the reader has not taken yet.
type windowSlot struct {
	changed chan struct{}

	mu        sync.Mutex
	size      ssh.Window // clamped
	requested ssh.Window // as the client asked
}

func newWindowSlot() *windowSlot { return &windowSlot{changed: make(chan struct{}, 1)} }

// set keeps win as the latest size, clamped.
func (w *windowSlot) set(win ssh.Window) {
	w.mu.Lock()
	w.requested = win
	w.size = clampWindow(win)
	w.mu.Unlock()
	select {
	case w.changed <- struct{}{}:
	default: // the reader has yet to take the previous one: it will take this
	}
}

// latest gives the latest size and whether it was clamped.
func (w *windowSlot) latest() (win ssh.Window, clamped bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.size, w.size.Width != w.requested.Width || w.size.Height != w.requested.Height
}

// clampWindow bounds a window to what the server draws for, and to at
// least one cell.
func clampWindow(win ssh.Window) ssh.Window {
	win.Width = min(max(win.Width, 1), MaxWidth)
	win.Height = min(max(win.Height, 1), MaxHeight)
	return win
}

// channelContext is a connection's context as one session channel sees
// it: the same, plus the channel's own state.
type channelContext struct {
	ssh.Context
	state *channelState
}

type channelStateKey struct{}

func (c *channelContext) Value(key any) any {
	if key == (channelStateKey{}) {
		return c.state
	}
	return c.Context.Value(key)
}

// stateOf gives a session's channel state (nil for a session that did not
// come through the filter).
func stateOf(ss ssh.Session) *channelState {
	st, _ := ss.Context().Value(channelStateKey{}).(*channelState)
	return st
}

// sessionChannel handles a new session channel: the SSH library's own
// session, behind the request filter.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	st := &channelState{windows: newWindowSlot()}
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{NewChannel: nc, s: s, st: st, ctx: ctx}, &channelContext{Context: ctx, state: st})
}

// filteredChannel accepts a channel with its requests filtered.
type filteredChannel struct {
	gossh.NewChannel
	s   *Server
	st  *channelState
	ctx ssh.Context
}

func (f filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go f.s.filterRequests(f.ctx, f.st, reqs, out)
	return ch, out, nil
}

// Request payload bounds: a pty-req holds a terminal name and modes.
const maxPtyRequestBytes = 8 << 10

// filterRequests passes a session channel's requests on to the library,
// answering itself those that must not reach it. It ends when the
// channel's requests do.
func (s *Server) filterRequests(ctx ssh.Context, st *channelState, in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	defer s.recoverGoroutine("session requests")
	envs, pty := 0, false
	for req := range in {
		switch req.Type {
		case "window-change":
			win, ok := parseWindow(req.Payload)
			if ok && pty {
				st.windows.set(win)
			}
			_ = req.Reply(ok && pty, nil)
			continue
		case "pty-req":
			if len(req.Payload) > maxPtyRequestBytes || !s.terminalAllowed(ctx) {
				st.mu.Lock()
				st.ptyRefused = true
				st.mu.Unlock()
				_ = req.Reply(false, nil)
				continue
			}
			payload, win, ok := clampPtyRequest(req.Payload)
			if !ok {
				_ = req.Reply(false, nil)
				continue
			}
			req.Payload, pty = payload, true
			st.windows.set(win)
		case "env":
			if envs >= maxEnv || len(req.Payload) > maxEnvBytes+8 {
				_ = req.Reply(false, nil)
				continue
			}
			envs++
		case "exec":
			if n := len(req.Payload) - 4; n > maxCommandBytes {
				st.mu.Lock()
				st.commandTooLong = n
				st.mu.Unlock()
				req.Payload = gossh.Marshal(struct{ Value string }{""})
			}
		case "shell":
		default:
			// Agent and X11 forwarding, signals, breaks, subsystems:
			// nothing brief offers.
			_ = req.Reply(false, nil)
			continue
		}
		out <- req
	}
}

// parseWindow reads a window-change request: columns and rows, then
// pixels.
func parseWindow(p []byte) (ssh.Window, bool) {
	if len(p) < 16 {
		return ssh.Window{}, false
	}
	return ssh.Window{
		Width:  int(binary.BigEndian.Uint32(p[0:])),
		Height: int(binary.BigEndian.Uint32(p[4:])),
	}, true
}

// clampPtyRequest gives a pty-req's payload with its window clamped, and
// the window as asked for.
func clampPtyRequest(p []byte) (payload []byte, win ssh.Window, ok bool) {
	if len(p) < 4 {
		return nil, win, false
	}
	n := int(binary.BigEndian.Uint32(p))
	if n > len(p)-4-16 {
		return nil, win, false
	}
	dims := p[4+n:]
	win, ok = parseWindow(dims)
	if !ok {
		return nil, win, false
	}
	c := clampWindow(win)
	payload = append([]byte(nil), p...)
	binary.BigEndian.PutUint32(payload[4+n:], uint32(c.Width))
	binary.BigEndian.PutUint32(payload[4+n+4:], uint32(c.Height))
	return payload, win, true
}
