package server

import (
	"bytes"
	"io"
	"sync/atomic"
	"time"

	"github.com/brief-tools/brief/termbg"
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
	// Until stripUntil, the terminal's answers to the background query
	// are taken out of the input by scan (read by Read only, after the
	// query is done).
	scan       *termbg.Scanner
	stripUntil time.Time
}

// newSessionInput reads r until it fails or done is closed; ended is
// called when the client's input ends (the reader cannot type any more).
func newSessionInput(r io.Reader, done <-chan struct{}, ended func()) *sessionInput {
	in := &sessionInput{chunks: make(chan []byte, 16), done: done}
	in.last.Store(time.Now().UnixNano())
	go func() {
		defer close(in.chunks)
		var bound inputBound
		for {
			buf := make([]byte, 1024)
			n, err := r.Read(buf)
			if n > 0 {
				c := bound.pastes(buf[:n])
				if !bound.wait(len(c), done) {
					return
				}
				select {
				case in.chunks <- c:
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
				if h := in.withoutAnswers(nil, true); len(h) > 0 {
					in.pending = h
					continue
				}
				return 0, io.EOF
			}
			c = in.withoutAnswers(c, !ok)
			if len(c) > 0 {
				in.last.Store(time.Now().UnixNano())
			}
			in.pending = c
		case <-in.done:
			return 0, io.EOF
		}
	}
	// Short reads: Bubble Tea keeps what ends a full buffer of 256 bytes
	// for the next read and parses it again, which is quadratic in a long
	// run of letters; a read shorter than its buffer is parsed at once.
	n := copy(p[:min(len(p), maxRead)], in.pending)
	in.pending = in.pending[n:]
	return n, nil
}

// maxRead is the most one Read gives Bubble Tea: less than its buffer.
const maxRead = 255

// idle gives how long since the reader last typed.
func (in *sessionInput) idle() time.Duration {
	return time.Since(time.Unix(0, in.last.Load()))
}

// withoutAnswers takes the terminal's late answers to the background
// query out of c while they may still come; last says no more input will.
func (in *sessionInput) withoutAnswers(c []byte, last bool) []byte {
	if in.scan == nil {
		return c
	}
	if last || in.scan.Done() || !time.Now().Before(in.stripUntil) {
		c = append(in.scan.Feed(c), in.scan.Flush()...)
		in.scan = nil
		return c
	}
	c = in.scan.Feed(c)
	switch h := in.scan.Flush(); {
	case string(h) == "\x1b":
		// A lone escape is far likelier the esc key than an answer cut
		// after its first byte: the reader gets it now.
		c = append(c, h...)
	case len(h) > 0:
		in.scan.Feed(h) // the start of an answer: held again
	}
	return c
}

// queryBackground asks the terminal for its background colour (OSC 11),
// followed by a request every terminal answers (primary device
// attributes), and reads the answers for at most timeout. Anything else
// read meanwhile (a key pressed early) is kept for the reader; answers that
// come later are taken out of the input. ok is false when the terminal did
// not say.
func queryBackground(in *sessionInput, out io.Writer, timeout time.Duration) (dark, ok bool) {
	if _, err := io.WriteString(out, termbg.Query); err != nil {
		return false, false
	}
	scan := &termbg.Scanner{}
	var typed []byte
	defer func() {
		in.pending = append(typed, in.pending...)
		if !scan.Done() { // answers may still come: take them out later
			in.scan, in.stripUntil = scan, time.Now().Add(lateReplies)
		}
	}()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for !scan.Done() {
		select {
		case c, open := <-in.chunks:
			if !open {
				return false, false
			}
			typed = append(typed, scan.Feed(c)...)
		case <-deadline.C:
			return false, false
		case <-in.done:
			return false, false
		}
	}
	bg, ok := scan.Background()
	if !ok {
		return false, false
	}
	return bg.Dark(), true
}

// Input bounds: what a reader types or pastes is bounded before Bubble Tea
// parses it, whose cost grows with the square of an unfinished paste and
// with the number of keys.
const (
	// inputBurst and inputRate bound how fast a session's input is read:
	// a burst of this many bytes, then inputRate bytes a second. Beyond
	// it, input waits (the client's SSH window fills and it stops
	// sending): nothing typed is lost, and no flood costs more.
	inputBurst = 64 << 10
	inputRate  = 16 << 10
	// maxPaste bounds one bracketed paste: after this many bytes the paste
	// is closed, as if the terminal had closed it, and the rest of it is
	// dropped until its end (or maxDropped bytes, for a paste never closed).
	maxPaste   = 16 << 10
	maxDropped = 4 << 20
)

var (
	pasteStart = []byte("\x1b[200~")
	pasteEnd   = []byte("\x1b[201~")
)

// inputBound applies the input bounds to a stream of chunks.
type inputBound struct {
	tokens float64
	filled time.Time

	state pasteState
	n     int    // bytes pasted, or dropped, so far
	carry []byte // the start of a paste marker cut at the end of a chunk
}

// pasteState says where a stream is in a bracketed paste.
type pasteState uint8

const (
	typing   pasteState = iota
	pasting             // inside a paste, under maxPaste
	dropping            // inside a paste that grew too long: dropped to its end
)

// wait takes n bytes from the budget, waiting for it to refill if need be;
// false when done closed meanwhile.
func (ib *inputBound) wait(n int, done <-chan struct{}) bool {
	now := time.Now()
	if ib.filled.IsZero() {
		ib.tokens, ib.filled = inputBurst, now
	}
	ib.tokens = min(inputBurst, ib.tokens+now.Sub(ib.filled).Seconds()*inputRate)
	ib.filled = now
	ib.tokens -= float64(n)
	if ib.tokens >= 0 {
		return true
	}
	t := time.NewTimer(time.Duration(-ib.tokens / inputRate * float64(time.Second)))
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}

// pastes bounds the bracketed pastes in chunk b.
func (ib *inputBound) pastes(b []byte) []byte {
	data := append(ib.carry, b...)
	ib.carry = nil
	if k := markerPrefixAtEnd(data); k > 0 {
		ib.carry = append([]byte(nil), data[len(data)-k:]...)
		data = data[:len(data)-k]
	}
	out := make([]byte, 0, len(data)+len(pasteEnd))
	for len(data) > 0 {
		if ib.state == typing {
			i := bytes.Index(data, pasteStart)
			if i < 0 {
				return append(out, data...)
			}
			out = append(out, data[:i+len(pasteStart)]...)
			data = data[i+len(pasteStart):]
			ib.state, ib.n = pasting, 0
			continue
		}
		end := bytes.Index(data, pasteEnd)
		seg := data
		if end >= 0 {
			seg = data[:end]
		}
		if ib.state == pasting {
			take := min(len(seg), maxPaste-ib.n)
			out = append(out, seg[:take]...)
			ib.n += take
			if take < len(seg) || (end < 0 && ib.n == maxPaste) {
				// Too long: closed here for the terminal, the rest dropped.
				out = append(out, pasteEnd...)
				ib.state, ib.n = dropping, 0
				seg = seg[take:]
			} else {
				seg = nil
			}
		}
		if ib.state == dropping {
			ib.n += len(seg)
			if end < 0 && ib.n > maxDropped { // a paste never closed
				ib.state = typing
			}
		}
		if end < 0 {
			return out
		}
		if ib.state == pasting {
			out = append(out, pasteEnd...)
		}
		ib.state = typing
		data = data[end+len(pasteEnd):]
	}
	return out
}

// markerPrefixAtEnd gives the length of the start of a paste marker that
// ends b (at least two bytes, so that a lone escape key is never held back).
func markerPrefixAtEnd(b []byte) int {
	for k := min(len(pasteStart)-1, len(b)); k >= 2; k-- {
		tail := b[len(b)-k:]
		if bytes.HasPrefix(pasteStart, tail) || bytes.HasPrefix(pasteEnd, tail) {
			return k
		}
	}
	return 0
}
