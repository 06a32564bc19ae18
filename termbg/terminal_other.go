//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package termbg

import (
	"os"
	"time"
)

// LateAnswers is how long after the question a late answer is still taken
// out of the reader's input.
const LateAnswers = 10 * time.Second

// File is a terminal's input as Bubble Tea takes it.
type File interface {
	Read(p []byte) (int, error)
	Write(p []byte) (int, error)
	Close() error
	Fd() uintptr
	Name() string
}

// Terminal is the local terminal. On this system it is never asked.
type Terminal struct{}

// NewTerminal gives the terminal behind in and out.
func NewTerminal(in, out *os.File) *Terminal { return &Terminal{} }

// Background never asks here: ok is always false.
func (t *Terminal) Background(timeout time.Duration) (Color, bool) { return Color{}, false }

// Input gives in unchanged.
func (t *Terminal) Input(in *os.File) File { return in }

// Close does nothing.
func (t *Terminal) Close() error { return nil }
