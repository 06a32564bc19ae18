package cli

import (
	"errors"
	"fmt"
	"github.com/brief-tools/brief/config"
	"github.com/brief-tools/brief/readstate"
	"strconv"
	"strings"

	"github.com/brief-tools/brief/render/theme"
	"github.com/brief-tools/brief/store"
	"github.com/spf13/cobra"
)

// NewRoot builds the whole local command tree: the reader, the lookups and
// check. Further commands (serve) are added by main.
func NewRoot(env Env, more ...func(open OpenFunc) *cobra.Command) *cobra.Command {
	a := newApp(env)
	root := &cobra.Command{
		Use:   "brief",
		Short: "Read curated diplomatic briefings in the terminal",
		Long: `brief reads curated briefings on diplomatic events (calls, meetings,
visits) kept as Markdown files with YAML frontmatter. With no command it opens
the reader on a terminal, or lists the briefings when piped.

Briefings come from the built-in corpus, or from the folder given by --dir,
the BRIEF_DIR environment variable, or dir: in ~/.config/brief/config.yaml.`,
		Example: `  brief                                   # open the reader
  brief list --official saidov            # every event with Bakhtiyor Saidov
  brief list --since 2025 --format json   # this year's events, for scripts
  brief show 2025-07-24                   # read a briefing (a unique id prefix is enough)
  brief check ~/briefings                 # report every problem in a folder`,
		Version:       env.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(cmd, args[0], "")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !a.env.Terminal || a.env.Reader == nil {
				return a.runList(cmd, listOptions{format: "table"})
			}
			// Say what is wrong with the folder here, not in the reader.
			dir := a.folder()
			if dir != "" {
				if err := a.checkFolder(dir); err != nil {
					return err
				}
				if hasMD, _ := scanFolder(dir); !hasMD {
					return a.noBriefings(dir)
				}
			}
			return a.env.Reader(cmd.Context(), ReaderSetup{
				Load:        func() (*store.Corpus, error) { return a.load(dir, false) },
				Open:        func() (*store.CorpusSource, error) { return OpenReaderSource(dir) },
				Theme:       a.readerTheme(),
				OldestFirst: a.config().Order == config.OrderOldest,
				State:       func() (*readstate.Store, error) { return LocalState(a.env.Getenv, dir) },
				Hashes:      func(c *store.Corpus) *readstate.Hashes { return LocalHashes(c, dir) },
				Export:      a.exportNew,
			})
		},
	}
	root.PersistentFlags().StringVarP(&a.dir, "dir", "d", "", "read briefings from this folder instead of the built-in ones (or set BRIEF_DIR, or dir: in the configuration)")
	root.PersistentFlags().StringVar(&a.theme, "theme", "", "colour theme: dark, light, or auto to ask the terminal (default: BRIEF_THEME, else the config file's, else auto)")
	_ = root.RegisterFlagCompletionFunc("theme", cobra.FixedCompletions([]string{"auto", "dark", "light"}, cobra.ShellCompDirectiveNoFileComp))
	_ = root.MarkPersistentFlagDirname("dir")
	root.SetVersionTemplate("brief {{.Version}}\n")
	root.AddCommand(a.lookupCommands()...)
	root.AddCommand(a.checkCommand())
	root.AddCommand(a.draftCommand())
	root.AddCommand(a.markCommand(), a.unmarkCommand(), a.stateCommand(), a.exportCommand())
	for _, command := range more {
		root.AddCommand(command(a.openSource))
	}
	a.finish(root)
	return root
}

// finish routes the tree's output through the sanitizer and makes flag
// mistakes, --theme's included, usage errors.
func (a *app) finish(root *cobra.Command) {
	root.SuggestionsMinimumDistance = 2 // "lst", "shw": did you mean list, show?
	root.SetIn(a.env.Stdin)
	root.SetOut(a.out)
	root.SetErr(a.errOut)
	if root.Annotations == nil {
		root.Annotations = map[string]string{}
	}
	root.Annotations[invocationAnnotation] = a.invocation()
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return UsageError{fmt.Errorf("%w\n%s", err, usageHint(cmd))}
	})
	// Completions are "value\tdescription" lines that the shell scripts
	// split at the tab, which the stream sanitizer would expand to spaces:
	// they are cleaned field by field instead.
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if cmd.Name() == cobra.ShellCompRequestCmd || cmd.Name() == cobra.ShellCompNoDescRequestCmd {
			root.SetOut(&tsvWriter{w: a.env.Stdout})
		}
		a.themeSet = cmd.Flags().Changed("theme")
		if _, ok := theme.Parse(a.theme); !ok && a.themeSet {
			return UsageError{fmt.Errorf("--theme %q: use auto, dark or light", a.theme)}
		}
		return nil
	}
}

// Execute runs a command tree with args and prints any error on stderr as
// "brief: message". It returns the exit code.
func Execute(root *cobra.Command, args []string) int {
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err != nil {
		if _, silent := err.(ExitError); !silent {
			fmt.Fprintf(root.ErrOrStderr(), "brief: %s\n", strings.TrimSpace(err.Error()))
			if isUsage(err) && cmd != nil && !strings.Contains(err.Error(), "--help") {
				fmt.Fprintln(root.ErrOrStderr(), usageHint(cmd))
			}
		}
	}
	if w, ok := root.ErrOrStderr().(interface{ Flush() error }); ok {
		_ = w.Flush()
	}
	if w, ok := root.OutOrStdout().(interface{ Flush() error }); ok {
		_ = w.Flush()
	}
	return Code(err)
}

// invocationAnnotation, on a tree's root, holds how a user runs its
// commands (see Env.Invocation): "" names the bare command.
const invocationAnnotation = "brief-invocation"

// usageHint says how to get cmd's usage where its tree runs: "Run 'brief
// list --help' for usage" locally.
func usageHint(cmd *cobra.Command) string {
	words := strings.TrimSpace(strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()) + " --help")
	if inv, ok := cmd.Root().Annotations[invocationAnnotation]; !ok {
		words = "brief " + words
	} else if inv != "" {
		words = inv + " " + words
	}
	return "Run '" + words + "' for usage"
}

func isUsage(err error) bool {
	_, ok := err.(UsageError)
	return ok || strings.HasPrefix(err.Error(), "unknown command")
}

// args checks the number of arguments, as a usage error.
func args(lo, hi int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < lo:
			return UsageError{fmt.Errorf("%s needs %s", cmd.CommandPath(), what)}
		case len(args) > hi:
			return UsageError{fmt.Errorf("%s takes %s (got %s)", cmd.CommandPath(), what, quoteArgs(args))}
		}
		return nil
	}
}

// quoteArgs shows arguments in a message: "x", or 2: "x", "y".
func quoteArgs(args []string) string {
	quoted := make([]string, len(args))
	for i, arg := range args {
		quoted[i] = strconv.Quote(arg)
	}
	if len(args) == 1 {
		return quoted[0]
	}
	return fmt.Sprintf("%d: %s", len(args), strings.Join(quoted, ", "))
}

// unknownCommand is the error for a word that names no command, with the
// commands it is close to.
func unknownCommand(cmd *cobra.Command, word, answers string) error {
	msg := fmt.Sprintf("unknown command %q", word)
	if answers != "" {
		msg += ": " + answers
	}
	if near := cmd.SuggestionsFor(word); len(near) > 0 {
		msg += "; did you mean " + joinOr(near) + "?"
	}
	return UsageError{errors.New(msg)}
}

// joinOr joins "a", "b" and "c" as "a, b or c".
func joinOr(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// OpenFunc opens the source of the corpus the command line names (--dir,
// else BRIEF_DIR, else the configuration's dir, else the built-in
// briefings), the folder checked as every command checks it: one place
// for every command, brief serve included. name gives what to call the
// corpus from its folder ("" for the built-in one); folder is "" for the
// built-in corpus.
type OpenFunc func(name func(folder string) string) (src *store.CorpusSource, folder string, err error)

func (a *app) openSource(name func(folder string) string) (*store.CorpusSource, string, error) {
	dir := a.folder()
	if dir != "" {
		if err := a.checkFolder(dir); err != nil {
			return nil, "", err
		}
		if hasMD, _ := scanFolder(dir); !hasMD {
			return nil, "", a.noBriefings(dir)
		}
	}
	src, err := OpenSource(dir, name(dir))
	return src, dir, err
}
