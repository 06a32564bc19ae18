package sanitize

import (
	"io"
	"sync"
)

// Writer filters everything written to it with Terminal, or with Plain,
// and writes the result to the writer it wraps. Escape sequences and UTF-8
// characters may be split across Write calls: the Writer keeps their state,
// and holds back at most the 3 bytes of an incomplete UTF-8 character. Tab
// columns are counted across calls. Flush ends the input so far.
//
// A Writer is safe for concurrent use; each Write is filtered whole.
type Writer struct {
	mu   sync.Mutex
	w    io.Writer
	f    *filter
	tail []byte // an incomplete UTF-8 character
}

// NewWriter wraps w so everything written is filtered with Terminal (or Plain when allowSGR is false).
func NewWriter(w io.Writer, allowSGR bool) *Writer {
	m := modePlain
	if allowSGR {
		m = modeTerminal
	}
	wr := &Writer{w: w, f: new(filter)}
	wr.f.init(m, true)
	return wr
}

// NewLinkWriter wraps w so everything written is filtered with
// TerminalWithLinks: strict OSC 8 hyperlinks pass, a link open at the end
// of a line is closed there, and Flush closes one still open.
func NewLinkWriter(w io.Writer) *Writer {
	wr := NewWriter(w, true)
	wr.f.links = true
	return wr
}

// Write filters p and writes the result to the underlying writer. It
// returns len(p) on success, and 0 with the underlying writer's error.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var s string
	if len(w.tail) > 0 {
		s = string(w.tail) + string(p)
	} else {
		s = string(p)
	}
	n := w.f.feed(s, false)
	w.tail = append(w.tail[:0], s[n:]...)
	w.f.base += n
	if err := w.emit(); err != nil {
		return 0, err
	}
	return len(p), nil
}

// WriteString is Write for a string.
func (w *Writer) WriteString(s string) (int, error) {
	return w.Write([]byte(s))
}

// Flush ends the input written so far, as the end of a string ends it for
// Terminal: an incomplete UTF-8 character is written as U+FFFD and an
// escape sequence still open is dropped (its remainder, if written later,
// is taken as text). It then flushes the underlying writer if that has a
// Flush() error method.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.tail) > 0 {
		s := string(w.tail)
		w.tail = w.tail[:0]
		w.f.feed(s, true)
		w.f.base += len(s)
	}
	w.f.finish()
	if err := w.emit(); err != nil {
		return err
	}
	if fl, ok := w.w.(interface{ Flush() error }); ok {
		return fl.Flush()
	}
	return nil
}

// Close is Flush. It does not close the underlying writer.
func (w *Writer) Close() error { return w.Flush() }

func (w *Writer) emit() error {
	if len(w.f.out) == 0 {
		return nil
	}
	_, err := w.w.Write(w.f.out)
	if cap(w.f.out) > 1<<16 {
		w.f.out = nil // do not hold on to one large write's buffer
	} else {
		w.f.out = w.f.out[:0]
	}
	return err
}
