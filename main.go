// Command brief is a terminal reader for curated diplomatic briefings.
//
// main only wires the command line together: the commands live in cli, the
// reader in tui, the SSH server in server.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/brief-tools/brief/cli"
	"github.com/brief-tools/brief/config"
	"github.com/brief-tools/brief/readstate"
	"github.com/brief-tools/brief/render/page"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/server"
	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/termbg"
	_ "github.com/brief-tools/brief/termbg/quiet" // before Bubble Tea's own initialization: see its doc
	"github.com/brief-tools/brief/tui"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// backgroundTimeout bounds the wait for the terminal's background colour.
// A terminal answers within a round trip; only one that answers nothing
// (a script, an Emacs shell) waits this long, once, and then gets the
// dark theme, BRIEF_THEME or the configuration file's theme.
const backgroundTimeout = 150 * time.Millisecond

func main() { os.Exit(run()) }

// run runs brief and gives its exit code, with the terminal as it found
// it.
func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	tty := termbg.NewTerminal(os.Stdin, os.Stdout)
	defer tty.Close()
	env := localEnv(tty)
	root := cli.NewRoot(env, func(open cli.OpenFunc) *cobra.Command { return server.Command(open, env.Version) })
	root.SetContext(ctx)
	return cli.Execute(root, os.Args[1:])
}

// localEnv describes the terminal brief runs in. The terminal is asked
// nothing here: only a command that prints colour asks, once.
func localEnv(tty *termbg.Terminal) cli.Env {
	renderer := lipgloss.NewRenderer(os.Stdout)
	if os.Getenv("NO_COLOR") != "" {
		renderer.SetColorProfile(termenv.Ascii)
	}
	isTerminal := term.IsTerminal(int(os.Stdout.Fd()))
	width, height := 80, 0
	if isTerminal {
		if w, h, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
			width, height = w, h
		}
	}
	env := cli.Env{
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		Getenv:    os.Getenv,
		LookupEnv: os.LookupEnv,
		Terminal:  isTerminal,
		Width:     width,
		Height:    height,
		Renderer:  renderer,
		Background: func() (dark, ok bool) {
			c, ok := tty.Background(backgroundTimeout)
			return c.Dark(), ok
		},
		Config:  func() config.Config { return config.Load(config.Path(os.Getenv)) },
		Version: version(),
	}
	env.Reader = func(ctx context.Context, r cli.ReaderSetup) error {
		dark := r.Theme != theme.Light
		renderer.SetHasDarkBackground(dark)
		// The keys come through a filter while a late answer may still come;
		// otherwise Bubble Tea reads stdin its own way (the terminal when
		// stdin is a pipe).
		var in io.Reader
		if f := tty.Input(os.Stdin); f != termbg.File(os.Stdin) {
			in = f
		}
		save := func(dark bool) (string, error) {
			name := theme.Light
			if dark {
				name = theme.Dark
			}
			path := config.Path(os.Getenv)
			return path, config.Set(path, "theme", string(name))
		}
		// The state is opened in the background, once; it is closed here,
		// which writes what the reader changed.
		var opened *readstate.Store
		var once sync.Once
		openState := func() (*readstate.Store, error) {
			var err error
			once.Do(func() { opened, err = r.State() })
			return opened, err
		}
		defer func() {
			once.Do(func() {}) // no opening after this
			if opened != nil {
				_ = opened.Close()
			}
		}()
		// The reader opens the source; its index cache, when one is due, is
		// written here before brief exits, so that a reader who quits at
		// once still starts from the cache next time.
		var source atomic.Pointer[store.CorpusSource]
		open := func() (*store.CorpusSource, error) {
			s, err := r.Open()
			if s != nil {
				source.Store(s)
			}
			return s, err
		}
		defer func() {
			if s := source.Load(); s != nil {
				s.SaveCache()
			}
		}()
		return tui.RunWithInput(ctx, tui.Config{
			Source: open, Renderer: renderer, OldestFirst: r.OldestFirst,
			Hyperlinks: page.HyperlinksSupported(os.Getenv), Dark: dark, CanSuspend: true, SaveTheme: save,
			State: openState, Hashes: r.Hashes, Export: r.Export,
		}, in)
	}
	return env
}

// version gives the module version brief was built as, or "dev".
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
