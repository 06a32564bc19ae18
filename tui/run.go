package tui

import (
	"context"
	"io"
	"os"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
)

// LockedWriter serializes writes to a terminal, so that a clipboard write
// (OSC 52) never lands in the middle of a frame the program is writing.
type LockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// NewLockedWriter wraps w.
func NewLockedWriter(w io.Writer) *LockedWriter { return &LockedWriter{w: w} }

func (l *LockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// lockedFile is a LockedWriter over a terminal file, still usable as one
// (Bubble Tea reads the window size from its descriptor).
type lockedFile struct {
	*os.File
	lw *LockedWriter
}

func (f lockedFile) Write(p []byte) (int, error) { return f.lw.Write(p) }

// Run runs the reader on the local terminal until the reader quits or ctx
// ends.
func Run(ctx context.Context, cfg Config) error { return RunWithInput(ctx, cfg, nil) }

// RunWithInput is Run reading the keys from in instead of stdin (nil):
// the terminal's input with the answers to brief's own questions taken
// out (termbg.Terminal.Input). in must be the terminal (a file with a
// descriptor) for the reader to set its mode.
func RunWithInput(ctx context.Context, cfg Config, in io.Reader) error {
	lw := NewLockedWriter(os.Stdout)
	cfg.Clipboard = lw
	opts := []tea.ProgramOption{
		tea.WithContext(ctx),
		tea.WithAltScreen(),
		tea.WithMouseCellMotion(),
		tea.WithOutput(lockedFile{File: os.Stdout, lw: lw}),
	}
	if in != nil {
		opts = append(opts, tea.WithInput(in))
	}
	_, err := tea.NewProgram(New(cfg), opts...).Run()
	if err == tea.ErrProgramKilled && ctx.Err() != nil {
		return nil // interrupted from outside: not a failure
	}
	return err
}
