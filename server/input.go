package server

import (
	"io"
	"regexp"
	"strconv"
	"sync/atomic"
	"time"
)

// backgroundQueryTimeout bounds how long a new session waits for the
// terminal to say its background colour. A terminal answers within one
// round trip; a client that never answers (a script, an x/crypto test
// client) costs this much once, at the start, never MakeRenderer's 1 s.
const backgroundQueryTimeout = 300 * time.Millisecond

// lateReplies is how long after the query a late answer is still taken
// out of the input, so that it never reaches the reader as keystrokes.
const lateReplies = 10 * time.Second

// sessionInput passes a session's input to the reader through a pump
// goroutine, so that a read can stop when the session ends. It keeps the
// time of the reader's last keystroke (the idle timeout counts from it),
// and takes the terminal's answers to our queries out of the keystrokes.
type sessionInput struct {
	chunks  chan []byte
	done    <-chan struct{}
	pending []byte
	last    atomic.Int64 // Unix nanoseconds of the last keystroke
	strip   atomic.Int64 // until when (Unix nanoseconds) answers are taken out
}

// newSessionInput reads r until it fails or done is closed; ended is
// called when the client's input ends (the reader cannot type any more).
func newSessionInput(r io.Reader, done <-chan struct{}, ended func()) *sessionInput {
	in := &sessionInput{chunks: make(chan []byte, 16), done: done}
	in.last.Store(time.Now().UnixNano())
	go func() {
		defer close(in.chunks)
		for {
			buf := make([]byte, 1024)
			n, err := r.Read(buf)
			if n > 0 {
				select {
				case in.chunks <- buf[:n]:
				case <-done:
					return
				}
			}
			if err != nil {
				if ended != nil {
					ended()
				}
				return
			}
		}
	}()
	return in
}

// Read gives the reader's next input, or io.EOF once the session has
// ended.
func (in *sessionInput) Read(p []byte) (int, error) {
	for len(in.pending) == 0 {
		select {
		case c, ok := <-in.chunks:
			if !ok {
				return 0, io.EOF
			}
			if time.Now().UnixNano() < in.strip.Load() {
				c = stripReplies(c)
			}
			if len(c) > 0 {
				in.last.Store(time.Now().UnixNano())
			}
			in.pending = c
		case <-in.done:
			return 0, io.EOF
		}
	}
	n := copy(p, in.pending)
	in.pending = in.pending[n:]
	return n, nil
}

// idle gives how long since the reader last typed.
func (in *sessionInput) idle() time.Duration {
	return time.Since(time.Unix(0, in.last.Load()))
}

var (
	primaryAttributes = regexp.MustCompile(`\x1b\[\?[0-9;]*c`)
	backgroundColour  = regexp.MustCompile(`\x1b\]11;rgb:([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})(?:\x07|\x1b\\)`)
)

// stripReplies takes the terminal's answers to the background and device
// attribute queries out of input.
func stripReplies(b []byte) []byte {
	return primaryAttributes.ReplaceAll(backgroundColour.ReplaceAll(b, nil), nil)
}

// queryBackground asks the terminal for its background colour (OSC 11),
// followed by a request every terminal answers (primary device
// attributes), and reads the answers for at most timeout. Anything else
// read meanwhile (a key pressed early) is kept for the reader; answers that
// come later are taken out of the input. ok is false when the terminal did
// not say.
func queryBackground(in *sessionInput, out io.Writer, timeout time.Duration) (dark, ok bool) {
	if _, err := io.WriteString(out, "\x1b]11;?\x07\x1b[c"); err != nil {
		return false, false
	}
	in.strip.Store(time.Now().Add(lateReplies).UnixNano())
	var got []byte
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	defer func() { in.pending = append(stripReplies(got), in.pending...) }()
	for !primaryAttributes.Match(got) {
		select {
		case c, open := <-in.chunks:
			if !open {
				return false, false
			}
			got = append(got, c...)
		case <-deadline.C:
			return false, false
		case <-in.done:
			return false, false
		}
	}
	// Both answers are in: nothing more to take out of the input.
	in.strip.Store(0)
	m := backgroundColour.FindSubmatch(got)
	if m == nil {
		return false, false
	}
	return luminance(m[1:4]) < 0.5, true
}

// luminance gives the relative luminance (0 to 1) of an X11 rgb: colour's
// hex components.
func luminance(rgb [][]byte) float64 {
	var l float64
	for i, weight := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(string(rgb[i]), 16, 32)
		l += weight * float64(v) / float64(uint64(1)<<(4*len(rgb[i]))-1)
	}
	return l
}
