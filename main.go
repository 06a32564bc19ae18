// Command brief is a terminal reader for curated diplomatic briefings.
//
// main only wires the command line together: the commands live in cli, the
// reader in tui, the SSH server in server.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/brief-tools/brief/cli"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/server"
	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/tui"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := localEnv()
	root := cli.NewRoot(env)
	root.AddCommand(server.Command(func(cmd *cobra.Command) (*store.Corpus, error) {
		dir, _ := cmd.Flags().GetString("dir")
		if dir == "" {
			dir = os.Getenv("BRIEF_DIR")
		}
		return cli.Load(dir, false)
	}, env.Version))
	root.SetContext(ctx)
	code := cli.Execute(root, os.Args[1:])
	stop()
	os.Exit(code)
}

// localEnv describes the terminal brief runs in.
func localEnv() cli.Env {
	renderer := lipgloss.NewRenderer(os.Stdout)
	if os.Getenv("NO_COLOR") != "" {
		renderer.SetColorProfile(termenv.Ascii)
	}
	isTerminal := term.IsTerminal(int(os.Stdout.Fd()))
	width := 80
	if isTerminal {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
			width = w
		}
	}
	env := cli.Env{
		Stdin:          os.Stdin,
		Stdout:         os.Stdout,
		Stderr:         os.Stderr,
		Getenv:         os.Getenv,
		Terminal:       isTerminal,
		Width:          width,
		Renderer:       renderer,
		DarkBackground: renderer.HasDarkBackground,
		Version:        version(),
	}
	env.Reader = func(ctx context.Context, load func() (*store.Corpus, error), name theme.Name) error {
		dark := true
		switch name {
		case theme.Light:
			dark = false
		case theme.Auto:
			dark = renderer.HasDarkBackground()
		}
		return tui.Run(ctx, tui.Config{Load: load, Renderer: renderer, Dark: dark})
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
