//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package termbg

import (
	"errors"
	"io"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// LateAnswers is how long after the question a late answer is still taken
// out of the reader's input (see Terminal.Input).
const LateAnswers = 10 * time.Second

// drainWait is how long Close waits for a late answer already on its way:
// short, since a terminal that answers nothing would make every command
// pay it.
const drainWait = 10 * time.Millisecond

// File is a terminal's input as Bubble Tea and its cancelable reader take
// it: readable, with a descriptor (for its mode) and a name.
type File interface {
	Read(p []byte) (int, error)
	Write(p []byte) (int, error)
	Close() error
	Fd() uintptr
	Name() string
}

// Terminal is the local terminal that a program's output goes to. It is
// asked at most once, and only when Background is called: a program that
// prints no colour never calls it, and the terminal is left alone.
type Terminal struct {
	in, out *os.File
	asked   bool
	r       *pollReader   // the terminal's input, while the question is open
	saved   *unix.Termios // its mode before the question, while changed
	s       *Scanner
	at      time.Time // when the question was asked
}

// NewTerminal gives the terminal that in and out are: the question is
// asked only when both are the same terminal (the answer comes on in).
// Nothing is written or read until Background.
func NewTerminal(in, out *os.File) *Terminal { return &Terminal{in: in, out: out} }

// Background asks the terminal for its background colour, waiting at most
// timeout for the answer; ok is false when it did not say (no terminal,
// another terminal than out's, a background job, no answer in time). It
// asks once: later calls give the first answer.
//
// While it waits, the terminal neither echoes nor waits for a line, so the
// answer never shows. When no answer came in time, the terminal stays so
// until Close, which takes out an answer that came meanwhile, and the
// reader's input is filtered (Input): a late answer reaches neither the
// screen, nor the reader, nor the shell.
func (t *Terminal) Background(timeout time.Duration) (c Color, ok bool) {
	if t.asked {
		if t.s == nil {
			return Color{}, false
		}
		return t.s.Background()
	}
	t.asked = true
	if t.in == nil || t.out == nil || !term.IsTerminal(int(t.out.Fd())) || !term.IsTerminal(int(t.in.Fd())) || !sameDevice(t.in, t.out) {
		return Color{}, false
	}
	r := &pollReader{fd: int(t.in.Fd())}
	if t.prepare(r.fd) != nil {
		return Color{}, false
	}
	t.r, t.at = r, time.Now()
	s, _, err := Ask(t.out, r, timeout) // keys typed meanwhile are lost, as with any such question
	t.s = s
	if err != nil || s.Done() {
		t.restore()
	}
	return s.Background()
}

// prepare checks that the program is in the terminal's foreground (a
// background job reading it would be stopped) and turns off echo and line
// editing, saving the mode for restore.
func (t *Terminal) prepare(fd int) error {
	pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	if err != nil {
		return err
	}
	if pgrp != unix.Getpgrp() {
		return errors.New("not the terminal's foreground job")
	}
	saved, err := unix.IoctlGetTermios(fd, getTermios)
	if err != nil {
		return err
	}
	quiet := *saved
	quiet.Lflag &^= unix.ECHO | unix.ICANON
	quiet.Cc[unix.VMIN], quiet.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, setTermios, &quiet); err != nil {
		return err
	}
	t.saved = saved
	return nil
}

// restore gives the terminal back its mode.
func (t *Terminal) restore() {
	if t.saved == nil {
		return
	}
	_ = unix.IoctlSetTermios(t.r.fd, setTermios, t.saved)
	t.saved = nil
}

// Input gives in (the terminal's input, for the reader) with a late answer
// taken out: in itself when no answer is due.
func (t *Terminal) Input(in *os.File) File {
	if t.s == nil || t.s.Done() {
		return in
	}
	return &filteredFile{File: in, f: NewFilter(in, t.s, t.at.Add(LateAnswers))}
}

// Close takes out an answer that came late and gives the terminal back
// its mode.
func (t *Terminal) Close() error {
	if t.r == nil {
		return nil
	}
	if t.saved != nil && !t.s.Done() {
		t.r.deadline = time.Now().Add(drainWait)
		buf := make([]byte, 256)
		for !t.s.Done() {
			n, err := t.r.Read(buf)
			t.s.Feed(buf[:n])
			if err != nil {
				break
			}
		}
	}
	t.restore()
	t.r = nil
	return nil
}

// filteredFile is a terminal's input whose reads go through a Filter.
type filteredFile struct {
	*os.File
	f *Filter
}

func (f *filteredFile) Read(p []byte) (int, error) { return f.f.Read(p) }

// sameDevice reports whether a and b are the same terminal.
func sameDevice(a, b *os.File) bool {
	ia, err1 := a.Stat()
	ib, err2 := b.Stat()
	if err1 != nil || err2 != nil {
		return false
	}
	sa, ok1 := ia.Sys().(*syscall.Stat_t)
	sb, ok2 := ib.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && sa.Rdev == sb.Rdev
}

// pollReader reads a terminal's descriptor with poll(2), so that reads
// take a deadline whatever mode the descriptor is in.
type pollReader struct {
	fd       int
	deadline time.Time
}

func (r *pollReader) SetReadDeadline(t time.Time) error {
	r.deadline = t
	return nil
}

func (r *pollReader) Read(p []byte) (int, error) {
	for {
		wait := -1
		if !r.deadline.IsZero() {
			left := time.Until(r.deadline)
			if left <= 0 {
				return 0, os.ErrDeadlineExceeded
			}
			wait = int((left + time.Millisecond - 1) / time.Millisecond)
		}
		fds := []unix.PollFd{{Fd: int32(r.fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, wait)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, err
		}
		if n == 0 {
			continue // the deadline is checked above
		}
		m, err := unix.Read(r.fd, p)
		switch {
		case err == unix.EINTR || err == unix.EAGAIN:
			continue
		case err != nil:
			return 0, err
		case m == 0:
			return 0, io.EOF
		}
		return m, nil
	}
}
