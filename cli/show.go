package cli

import (
	"errors"
	"fmt"

	"github.com/brief-tools/brief/render/card"
	"github.com/brief-tools/brief/render/page"
	"github.com/brief-tools/brief/store"
	"github.com/spf13/cobra"
)

// readingWidth caps how wide a briefing is rendered, for readable lines.
const readingWidth = 100

func (a *app) showCommand() *cobra.Command {
	var format string
	var noPager bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a briefing in full: its card, its text and its links",
		Long: `Show a briefing in full: its summary card, its text, and its links numbered
at the end. On a terminal the text is rendered, through the pager ($PAGER,
else less -R) when it is longer than the screen; piped, it is plain text.
A unique start of the id is enough.`,
		Example: `  brief show 2025-07-24
  brief show 2024-02-19 | less
  brief show 2025-08 --format json | jq .figures`,
		Args:              args(1, 1, "one briefing id"),
		ValidArgsFunction: a.completeIDs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "text", "json":
			default:
				return UsageError{fmt.Errorf("--format %q: use text or json", format)}
			}
			// JSON carries the reading state, which needs the whole
			// folder (marks follow renamed briefings): no shortcut.
			c, b, err := a.find(args[0], format == "text")
			if err != nil {
				return err
			}
			body, problems, err := c.Body(b)
			if err != nil {
				return err
			}
			for _, p := range problems {
				fmt.Fprintln(a.errOut, problemLine(p))
			}
			defer a.finishState()
			if format == "json" {
				out := briefingJSON(b, body)
				if v := a.optionalView(c); v != nil {
					if err := v.addJSON(&out, b, true); err != nil {
						fmt.Fprintf(a.errOut, "brief: %s: %v\n", b.ID, err)
					}
				}
				return writeJSON(a.env.Stdout, out, true)
			}
			if a.env.Terminal {
				a.markRead(c, b, body)
			}
			width := 0 // piped: no wrapping
			if a.env.Terminal {
				width = min(a.env.Width, readingWidth)
			}
			// Hyperlinks only on a terminal that shows them, and then
			// through the filter that lets exactly those through.
			hyper := a.env.Terminal && page.HyperlinksSupported(a.env.Getenv)
			pg, err := page.Render(b, body, a.styles(), page.Options{Width: width, Plain: !a.env.Terminal, Hyperlinks: hyper})
			if err != nil {
				return err
			}
			return a.printPaged(pg.Text, noPager, hyper)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	cmd.Flags().BoolVar(&noPager, "no-pager", false, "never page, even when the text is longer than the screen")
	return cmd
}

func (a *app) cardCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:               "card ID",
		Short:             "Show a briefing's summary card: who, when, where, key figures, sources",
		Example:           `  brief card 2025-07-24`,
		Args:              args(1, 1, "one briefing id"),
		ValidArgsFunction: a.completeIDs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, b, err := a.find(args[0], true)
			if err != nil {
				return err
			}
			width := 0 // piped: no wrapping
			if a.env.Terminal {
				width = min(a.env.Width, readingWidth)
			}
			fmt.Fprintln(a.out, card.Briefing(b, a.styles(), card.Options{Width: width, Plain: !a.env.Terminal}))
			return nil
		},
	}
	return cmd
}

// find loads the corpus and looks a briefing up by id or unique prefix.
// With quick, an id the index cache knows is read from its file alone
// (store.FindCached), and the corpus given holds that briefing only.
func (a *app) find(id string, quick bool) (*store.Corpus, *store.Briefing, error) {
	if dir := a.folder(); quick && a.fixed == nil && dir != "" && a.checkFolder(dir) == nil {
		fsys, opts := folderOptions(dir)
		if c, b, ok := store.FindCached(fsys, id, opts); ok {
			a.warnRejected(c)
			return c, b, nil
		}
	}
	c, err := a.load(a.folder(), false)
	if err != nil {
		return nil, nil, err
	}
	a.warnRejected(c)
	b, err := c.Lookup(id)
	var le *store.LookupError
	if errors.As(err, &le) {
		return nil, nil, err
	}
	return c, b, err
}
