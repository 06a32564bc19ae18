package cli

import (
	"errors"
	"sort"
	"strings"

	"github.com/brief-tools/brief/store"
	"github.com/spf13/cobra"
)

// NewLookup builds the lookups (list, show, card, officials) over one
// fixed corpus, for SSH sessions without a terminal: the same flags as
// locally, but no --dir, no check, no reader. With a reading state
// (Env.State, the connecting key's) list's --unread, --new and --marked
// answer from it, and mark and unmark change it; without one they are
// refused.
func NewLookup(env Env, c *store.Corpus) *cobra.Command {
	// A session's terminal is asked by the server; the configuration file
	// is the server user's, not the reader's.
	env.Background, env.Config = nil, nil
	a := newApp(env)
	a.fixed = c
	answers := "this server answers list, show, card and officials"
	if env.State != nil {
		answers = "this server answers list, show, card, officials, mark and unmark"
	}
	root := &cobra.Command{
		Use:           "brief",
		Short:         "Look up curated diplomatic briefings",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       env.Version,
		Args:          cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return UsageError{errors.New("no command: " + answers)}
			}
			return unknownCommand(cmd, args[0], answers)
		},
	}
	root.PersistentFlags().StringVar(&a.theme, "theme", "auto", "colour theme: auto, dark or light")
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetVersionTemplate("brief {{.Version}}\n")
	root.AddCommand(a.lookupCommands()...)
	if env.State != nil {
		root.AddCommand(a.markCommand(), a.unmarkCommand())
	}
	a.finish(root)
	return root
}

// lookupCommands are the commands that only read.
func (a *app) lookupCommands() []*cobra.Command {
	return []*cobra.Command{a.listCommand(), a.showCommand(), a.cardCommand(), a.officialsCommand()}
}

// completeIDs offers briefing ids for completion.
func (a *app) completeIDs(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	c, err := a.load(a.folder(), false)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var ids []string
	for _, b := range c.Briefings() {
		if strings.HasPrefix(b.ID, prefix) {
			ids = append(ids, b.ID+"\t"+b.Title)
		}
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}

// completeOfficials offers registry ids for completion.
func (a *app) completeOfficials(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	c, err := a.load(a.folder(), false)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var out []string
	for _, p := range c.People() {
		if strings.HasPrefix(strings.ToLower(p.Key()), strings.ToLower(prefix)) {
			out = append(out, p.Key()+"\t"+p.Name)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeTopics offers the corpus' topics for completion.
func (a *app) completeTopics(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	c, err := a.load(a.folder(), false)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return topicsOf(c), cobra.ShellCompDirectiveNoFileComp
}

// topicsOf lists every topic in the corpus, sorted.
func topicsOf(c *store.Corpus) []string {
	seen := map[string]bool{}
	var topics []string
	for _, b := range c.Briefings() {
		for _, t := range b.Topics {
			if k := store.Fold(t); !seen[k] {
				seen[k] = true
				topics = append(topics, t)
			}
		}
	}
	sort.Strings(topics)
	return topics
}
