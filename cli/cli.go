// Package cli is brief's command line: the lookups (list, show, card,
// officials), check, and the root command that opens the reader. The same
// lookups serve SSH sessions without a terminal, so they write only to the
// streams they are given and read only the corpus they are given.
package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/config"
	"github.com/brief-tools/brief/readstate"
	"github.com/brief-tools/brief/render/dossier"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/lipgloss"
)

// Env is where a command runs: its streams and what is known of the
// terminal behind them.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment (BRIEF_DIR, BRIEF_THEME, PAGER, LESS).
	Getenv func(string) string
	// Terminal says stdout is a terminal: colour, tables fitted to Width,
	// rendered briefings. Otherwise output is plain text for pipes.
	Terminal bool
	// LookupEnv tells a variable set to "" from one unset (PAGER=""
	// turns the pager off); nil takes every empty variable for unset.
	LookupEnv func(string) (string, bool)
	// Width is the terminal's width in columns.
	Width int
	// Height is the terminal's height in lines (0: unknown), to decide
	// whether show's output needs the pager.
	Height int
	// Renderer styles output for stdout's terminal.
	Renderer *lipgloss.Renderer
	// Background asks the terminal whether its background is dark; ok is
	// false when it did not say. It is called at most once, and only when
	// colour goes to a terminal and no theme was chosen (--theme,
	// BRIEF_THEME, the configuration file); nil never asks.
	Background func() (dark, ok bool)
	// Config reads the user's configuration file, when a setting is
	// needed; nil reads none (an SSH session must not read the server's).
	Config func() config.Config
	// Version is brief's version.
	Version string
	// Invocation is how a user runs these commands, for hints that say
	// what to run: "brief" locally (the default); over SSH, what reaches
	// the server, such as "ssh -p 23234 briefs.example.org". Over SSH
	// without it, hints name the bare command ('officials').
	Invocation string
	// CorpusLabel names the corpus in the SSH lookups' messages, in place
	// of its Name (the server's folder, which is not the reader's
	// business); "" says "this server's briefings".
	CorpusLabel string
	// Reader opens the full-screen reader, which loads the corpus with
	// load while showing its first frame, in the theme decided (dark or
	// light, never auto); nil where there is no reader (the command then
	// lists).
	Reader func(ctx context.Context, r ReaderSetup) error
	// State is the reading state of the reader these commands answer for
	// (an SSH server passes the connecting key's, for its corpus); nil
	// locally, where the local reader's is opened when needed (see
	// LocalState). Over SSH, mark and unmark exist only when it is set.
	State *readstate.Store
	// Hashes are the content hashes of the server's corpus, shared between
	// sessions; nil computes them per command, as needed.
	Hashes *readstate.Hashes
}

// ExitError carries a command's exit code; its message has been printed.
type ExitError struct{ Code int }

func (e ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// UsageError marks a mistake in the command line (exit code 2).
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Code gives the exit code for an error a command returned: 0 for none,
// 2 for a usage mistake, the carried code for an ExitError, else 1.
func Code(err error) int {
	var exit ExitError
	var usage UsageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.Code
	case errors.As(err, &usage), strings.HasPrefix(err.Error(), "unknown command"):
		return 2
	}
	return 1
}

// app is what the commands share.
type app struct {
	env    Env
	out    io.Writer // stdout through the sanitizer
	errOut io.Writer // stderr through the sanitizer
	dir    string    // --dir
	theme  string    // --theme
	// themeSet says --theme was given (auto included).
	themeSet bool
	// fixed, when set, is the only corpus the commands may read (an SSH
	// server's): --dir and BRIEF_DIR are not offered.
	fixed *store.Corpus
	th    *theme.Theme
	// cfg is the configuration file, read once when first needed.
	cfg *config.Config
	// st is the reading state, opened once when first needed (stErr when
	// it could not be); ownState says the commands opened it and close it.
	st       *readstate.Store
	stErr    error
	ownState bool
	// hs are the content hashes of hsCorpus.
	hs       *readstate.Hashes
	hsCorpus *store.Corpus
}

func newApp(env Env) *app {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Width <= 0 {
		env.Width = 80
	}
	if env.Renderer == nil {
		env.Renderer = lipgloss.NewRenderer(env.Stdout)
	}
	return &app{
		env:    env,
		out:    sanitize.NewWriter(env.Stdout, env.Terminal),
		errOut: sanitize.NewWriter(env.Stderr, false),
	}
}

// styles gives the theme for stdout, built once.
func (a *app) styles() *theme.Theme {
	if a.th == nil {
		dark := a.darkBackground()
		// Said explicitly, so that the renderer never asks the terminal
		// itself (termenv would wait seconds for a silent one).
		a.env.Renderer.SetHasDarkBackground(dark)
		a.th = theme.New(a.env.Renderer, dark)
	}
	return a.th
}

// folder gives the briefing folder asked for: --dir, else BRIEF_DIR, else
// the configuration file's dir, else "" for the built-in corpus.
func (a *app) folder() string {
	if a.dir != "" {
		return a.dir
	}
	if dir := a.env.Getenv("BRIEF_DIR"); dir != "" {
		return dir
	}
	if a.fixed != nil {
		return ""
	}
	return a.config().Dir
}

// load reads the corpus the command works on. full also checks every body.
// A folder that is not there, a file, or a folder without a single .md
// file is an error here, with what to do about it.
func (a *app) load(dir string, full bool) (*store.Corpus, error) {
	if a.fixed != nil {
		return a.fixed, nil
	}
	if dir != "" {
		if err := a.checkFolder(dir); err != nil {
			return nil, err
		}
	}
	c, err := Load(dir, full)
	if err != nil {
		return nil, err
	}
	if dir != "" && c.Seen() == 0 {
		return nil, a.noBriefings(dir)
	}
	return c, nil
}

// Load reads the briefings in dir, or the built-in corpus when dir is "".
// A folder without its own officials.yaml uses the built-in registry.
func Load(dir string, full bool) (*store.Corpus, error) {
	if dir == "" { // the built-in corpus carries its registry: store.Load reads it
		return store.Load(briefs.FS(), store.Options{Name: briefs.Name, Full: full})
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("briefing folder %s: %w", dir, unwrapPath(err))
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("briefing folder %s: not a folder", dir)
	}
	fsys, opts := folderOptions(dir)
	opts.Full = full
	return store.Load(fsys, opts)
}

// folderOptions gives the folder dir as a file system, and how to load
// it: a folder without its own officials.yaml uses the built-in registry.
func folderOptions(dir string) (store.Dir, store.Options) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	var builtin *store.Registry // only for a folder without a registry of its own
	if _, err := os.Stat(filepath.Join(abs, store.RegistryFile)); err != nil {
		builtin, _ = store.LoadRegistry(briefs.FS(), store.RegistryFile)
	}
	return store.Dir(abs), store.Options{Name: dir, Registry: builtin, CachePath: indexCachePath(abs)}
}

// OpenSource opens the source of the briefings in dir (the built-in ones
// when dir is ""), which follows the folder as it changes: for the reader
// and the server. name is what the corpus is called ("" for its folder as
// given). The folder's checks are Load's. It returns once the whole
// folder is loaded.
func OpenSource(dir, name string) (*store.CorpusSource, error) { return openSource(dir, name, 0) }

// readerFirstScreen is how many briefings the reader's first partial
// snapshot waits for when it cannot come from the first screen file: more
// than a terminal shows.
const readerFirstScreen = 200

// OpenReaderSource is OpenSource for the reader on a terminal: it returns
// as soon as a first screen of briefings can be shown, and the rest of the
// folder streams in (store.OpenOptions.FirstScreen).
func OpenReaderSource(dir string) (*store.CorpusSource, error) {
	return openSource(dir, "", readerFirstScreen)
}

func openSource(dir, name string, firstScreen int) (*store.CorpusSource, error) {
	if dir == "" {
		if name == "" {
			name = briefs.Name
		}
		return store.Open(briefs.FS(), store.OpenOptions{Options: store.Options{Name: name}})
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("briefing folder %s: %w", dir, unwrapPath(err))
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("briefing folder %s: not a folder", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	if name == "" {
		name = dir
	}
	// The built-in registry serves while the folder has none of its own
	// (one may appear or go while the source runs).
	builtin, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	return store.Open(store.Dir(abs), store.OpenOptions{Options: store.Options{Name: name, Registry: builtin, CachePath: indexCachePath(abs)}, FirstScreen: firstScreen})
}

// indexCachePath gives where the index cache of the folder at abs lives:
// in the user's cache folder, never in the briefing folder. "" when there
// is no cache folder (the cache is then not used).
func indexCachePath(abs string) string {
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(base, "brief", "index-"+hex.EncodeToString(sum[:8]))
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// warnRejected tells the reader, on stderr, that some briefings did not
// load: locally with the command that shows why; over SSH, where check is
// refused and the folder is the server's, with neither.
func (a *app) warnRejected(c *store.Corpus) {
	n := c.Rejected()
	if n == 0 {
		return
	}
	noun := plural(n, "briefing", "briefings")
	if a.fixed != nil {
		fmt.Fprintf(a.errOut, "brief: %d %s in %s could not be loaded and %s left out\n", n, noun, a.corpusLabel(), plural(n, "is", "are"))
		return
	}
	check := "check"
	if a.folder() != "" && a.dir != "" {
		check += " " + shellQuote(a.folder()) // BRIEF_DIR and the configuration reach check by themselves
	}
	fmt.Fprintf(a.errOut, "brief: %d %s in %s could not be loaded; run %s to see why\n", n, noun, c.Name, a.command(check))
}

// corpusLabel names the fixed corpus of the SSH lookups in messages.
func (a *app) corpusLabel() string {
	if a.env.CorpusLabel != "" {
		return a.env.CorpusLabel
	}
	return "this server's briefings"
}

// invocation is how a user runs these commands (Env.Invocation): "brief"
// locally by default; "" over SSH when the server did not say.
func (a *app) invocation() string {
	if a.env.Invocation == "" && a.fixed == nil {
		return "brief"
	}
	return a.env.Invocation
}

// command gives the command line that runs words where these commands
// run, quoted for a message: 'brief officials' locally, 'ssh host
// officials' over SSH when the server says how it is reached, else
// 'officials'.
func (a *app) command(words string) string {
	if inv := a.invocation(); inv != "" {
		words = inv + " " + words
	}
	return "'" + words + "'"
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%_+=:,./~-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ReaderSetup is what the full-screen reader gets from the command line:
// the corpus to load while it shows its first frame, its theme, and the
// reader's own state and dossier export for that corpus.
type ReaderSetup struct {
	Load func() (*store.Corpus, error)
	// Open opens the source of the corpus, which the reader follows as
	// the folder changes (in place of Load).
	Open  func() (*store.CorpusSource, error)
	Theme theme.Name
	// OldestFirst is the configuration's order for the timeline.
	OldestFirst bool
	// State opens the reader's state (nil where there is none); it is
	// called once, off the first frame. Close what it gave when the reader
	// ends.
	State func() (*readstate.Store, error)
	// Hashes gives the content hashes of a corpus snapshot, cached
	// between runs where the folder allows.
	Hashes func(*store.Corpus) *readstate.Hashes
	// Export writes a dossier as a new HTML file and gives its path.
	Export func(d dossier.Dossier) (string, error)
}
