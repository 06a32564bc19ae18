package cli

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/spf13/cobra"
)

func (a *app) checkCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "check [DIR]",
		Short: "Check a folder of briefings and report every problem as file:line: message",
		Long: `Check every briefing in a folder (or the --dir folder, BRIEF_DIR, or the
built-in corpus) and print each error and warning as file:line: message.
It exits 1 when any briefing has an error, 0 otherwise. It never writes to
the folder.`,
		Example: "  brief check ~/briefings\n  brief check && echo all good",
		Args:    args(0, 1, "at most one folder"),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := a.folder()
			if len(args) == 1 {
				dir = args[0]
			}
			c, err := a.load(dir, true)
			if err != nil {
				return err
			}
			warnings := 0
			for _, p := range c.Problems() {
				if p.Severity == store.Warning {
					warnings++
				}
				if dir != "" {
					p.Path = filepath.Join(dir, p.Path)
				}
				fmt.Fprintln(a.out, problemLine(p))
			}
			errs := c.Errors()
			fmt.Fprintf(a.errOut, "%s: %d %s, %d loaded, %d rejected; %d %s, %d %s\n",
				c.Name, c.Seen(), plural(c.Seen(), "file", "files"), len(c.Briefings()), c.Rejected(),
				errs, plural(errs, "error", "errors"), warnings, plural(warnings, "warning", "warnings"))
			if errs > 0 {
				return ExitError{Code: 1}
			}
			return nil
		},
	}
}

// problemLine gives a problem as one line that is safe to print: a path
// holding control characters (a file name may hold any byte but '/') is
// quoted with Go escapes, so that it can still be found and cannot start an
// escape sequence that would hide the lines after it.
func problemLine(p store.Problem) string {
	if sanitize.Line(p.Path) != p.Path {
		p.Path = strconv.Quote(p.Path)
	}
	return sanitize.Line(p.String())
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
