package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/brief-tools/brief/readstate"
	"github.com/brief-tools/brief/store"
	"github.com/spf13/cobra"
)

// LocalState opens the local reader's state for the briefing folder
// (folder "" for the built-in briefings), under $XDG_STATE_HOME/brief
// (else ~/.local/state/brief) as getenv says. The caller closes it.
func LocalState(getenv func(string) string, folder string) (*readstate.Store, error) {
	return readstate.OpenLocal(getenv, readstate.CorpusKey(folder), readstate.Options{})
}

// noStateHere is the error for a reading-state command where there is
// none: an SSH session the server keeps no state for.
var noStateHere = errors.New("this server keeps no reading state for this session (it keeps one per key, for readers who log in with a public key)")

// readingState gives the reader's state for the corpus the commands work
// on: the server's for an SSH session (Env.State; none for an anonymous
// one), else the local reader's, opened once. Its problems (bad lines)
// are printed once.
func (a *app) readingState() (*readstate.Store, error) {
	if a.st != nil || a.stErr != nil {
		return a.st, a.stErr
	}
	switch {
	case a.env.State != nil:
		a.st = a.env.State
	case a.fixed != nil:
		a.stErr = noStateHere
	default:
		st, err := LocalState(a.env.Getenv, a.folder())
		if err != nil {
			a.stErr = err
			return nil, err
		}
		a.st, a.ownState = st, true
	}
	if a.st != nil {
		for _, p := range a.st.Problems() {
			fmt.Fprintf(a.errOut, "brief: %s\n", p)
		}
	}
	return a.st, a.stErr
}

// closeState writes what the commands changed in the local state and
// reports a failure to; a server's state is the server's to close.
func (a *app) closeState() error {
	if a.st == nil || !a.ownState {
		if a.st != nil {
			return a.st.Flush()
		}
		return nil
	}
	err := a.st.Close()
	a.st, a.ownState = nil, false
	return err
}

// stateView is the reader's state seen from one corpus: statuses, with
// content hashes computed only when asked for.
type stateView struct {
	st     *readstate.Store
	hashes *readstate.Hashes
	// Adoption is what adopting renamed briefings' state found.
	adoption readstate.Adoption
}

// view resolves the reading state against c: state under ids that are no
// longer in c moves to briefings with the same content (see
// readstate.Adopt), and marks attached to nothing are told of on stderr.
func (a *app) view(c *store.Corpus) (*stateView, error) {
	st, err := a.readingState()
	if err != nil {
		return nil, err
	}
	v := &stateView{st: st, hashes: a.hashes(c)}
	v.adoption, err = st.Adopt(c, v.hashes.Of)
	if err != nil {
		fmt.Fprintf(a.errOut, "brief: %v\n", err)
	}
	if n := len(v.adoption.Orphans); n > 0 {
		ids := make([]string, 0, n)
		for _, m := range v.adoption.Orphans {
			ids = append(ids, m.ID)
		}
		fmt.Fprintf(a.errOut, "brief: %d %s for briefings no longer in %s (their id and content changed): %s; %s removes one\n",
			n, plural(n, "mark is", "marks are"), a.corpusName(c), strings.Join(ids, ", "), a.command("unmark ID"))
	}
	return v, nil
}

// hashes gives content hashes for c: the server's shared ones when it
// passes them for this corpus, else computed as needed, and for a folder
// kept between runs in the user's cache folder beside the index.
func (a *app) hashes(c *store.Corpus) *readstate.Hashes {
	if a.env.Hashes != nil && a.fixed == c {
		return a.env.Hashes
	}
	if a.hs == nil || a.hsCorpus != c {
		folder := a.folder()
		if a.fixed != nil {
			folder = ""
		}
		a.hs, a.hsCorpus = LocalHashes(c, folder), c
	}
	return a.hs
}

// LocalHashes gives the content hashes of corpus c, read from folder ("":
// the built-in briefings), kept between runs in the user's cache folder
// beside the folder's index (Hashes.Save writes them).
func LocalHashes(c *store.Corpus, folder string) *readstate.Hashes {
	if folder == "" {
		return readstate.NewHashes(c)
	}
	abs, err := filepath.Abs(folder)
	if err != nil {
		return readstate.NewHashes(c)
	}
	cache := indexCachePath(abs)
	if cache == "" {
		return readstate.NewHashes(c)
	}
	return readstate.NewCachedHashes(c, abs, cache+".hashes")
}

// corpusName names the corpus in messages.
func (a *app) corpusName(c *store.Corpus) string {
	if a.fixed != nil {
		return a.corpusLabel()
	}
	return c.Name
}

// status gives b's state. withHash computes its content hash (a read of
// its body) to tell New and Changed; without it they are left false.
func (v *stateView) status(b *store.Briefing, withHash bool) (readstate.Status, error) {
	if !withHash {
		st := v.st.Status(b.ID, "", time.Time{})
		st.New, st.Changed = false, false
		return st, nil
	}
	h, err := v.hashes.Of(b)
	if err != nil {
		return readstate.Status{}, err
	}
	return v.st.Status(b.ID, h, time.Time{}), nil
}

// markCommand marks a briefing, with an optional private note.
func (a *app) markCommand() *cobra.Command {
	var note string
	cmd := &cobra.Command{
		Use:   "mark ID",
		Short: "Mark a briefing, with an optional private note",
		Long: `Mark a briefing to find it again (list --marked, export --marked), with a
private one-line note. Marking a marked briefing again keeps its note, unless
--note gives a new one (--note "" removes it). A unique start of the id is
enough. Marks are kept in your reading state (brief state path), never in
the briefing folder.`,
		Example: `  brief mark 2025-07-24 --note "ask about the Darbaza–Maktaaral railway"
  brief list --marked`,
		Args:              args(1, 1, "one briefing id"),
		ValidArgsFunction: a.completeIDs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, b, err := a.find(args[0], false)
			if err != nil {
				return err
			}
			v, err := a.view(c)
			if err != nil {
				return err
			}
			h, err := v.hashes.Of(b)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("note") {
				if st := v.st.Status(b.ID, "", time.Time{}); st.Marked {
					note = st.Note
				}
			}
			if err := v.st.Mark(b.ID, h, note); err != nil {
				return err
			}
			if err := a.closeState(); err != nil {
				return err
			}
			if a.env.Terminal {
				fmt.Fprintf(a.errOut, "Marked %s\n", b.ID)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&note, "note", "n", "", "a private one-line note (at most 500 bytes)")
	return cmd
}

// unmarkCommand removes a mark, also one whose briefing is gone.
func (a *app) unmarkCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "unmark ID",
		Short: "Remove a briefing's mark and its note",
		Long: `Remove a briefing's mark and its note. A unique start of the id is enough;
the whole id also removes the mark of a briefing no longer in the corpus.`,
		Example:           `  brief unmark 2025-07-24`,
		Args:              args(1, 1, "one briefing id"),
		ValidArgsFunction: a.completeMarked,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.load(a.folder(), false)
			if err != nil {
				return err
			}
			st, err := a.readingState()
			if err != nil {
				return err
			}
			id := args[0]
			b, lookupErr := c.Lookup(id)
			switch {
			case lookupErr == nil:
				id = b.ID
			case !hasMark(st, id):
				return lookupErr
			}
			had, err := st.Unmark(id)
			if err != nil {
				return err
			}
			if err := a.closeState(); err != nil {
				return err
			}
			if !had {
				fmt.Fprintf(a.errOut, "brief: %s was not marked\n", id)
				return nil
			}
			if a.env.Terminal {
				fmt.Fprintf(a.errOut, "Unmarked %s\n", id)
			}
			return nil
		},
	}
}

func hasMark(st *readstate.Store, id string) bool {
	for _, m := range st.Marks() {
		if m.ID == id {
			return true
		}
	}
	return false
}

// completeMarked offers the marked ids for completion.
func (a *app) completeMarked(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	st, err := a.readingState()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	defer a.closeState()
	var ids []string
	for _, m := range st.Marks() {
		if strings.HasPrefix(m.ID, prefix) {
			ids = append(ids, m.ID+"\t"+m.Note)
		}
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}

// stateCommand is 'brief state': where the reading state lives.
func (a *app) stateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "state",
		Short: "Where your reading state (read, positions, marks and notes) is kept",
		Long: `brief keeps what you have read, where you stopped, and your marks and
notes, per briefing folder, in a plain text file under $XDG_STATE_HOME/brief
(else ~/.local/state/brief): one record a line, sorted, so that two machines'
files merge with 'sort -u' or git's union merge. It never writes to the
briefing folder.`,
		Args: args(0, 0, "a subcommand: path"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:     "path",
		Short:   "Print the file that keeps the reading state of the briefings in use",
		Example: "  brief state path\n  brief --dir ~/briefings state path\n  sort -u \"$(brief state path)\" other-machine.state",
		Args:    args(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := readstate.LocalDir(a.env.Getenv)
			if err != nil {
				return err
			}
			p, err := readstate.FilePath(dir, "", readstate.CorpusKey(a.folder()))
			if err != nil {
				return err
			}
			fmt.Fprintln(a.out, p)
			return nil
		},
	})
	return cmd
}

// addJSON adds the reader's state of b to its JSON; withHash adds new and
// changed too (a read of b's body).
func (v *stateView) addJSON(out *briefingOut, b *store.Briefing, withHash bool) error {
	st, err := v.status(b, withHash)
	if err != nil {
		st, _ = v.status(b, false)
		withHash = false
	}
	out.Read, out.Marked, out.Note = &st.Read, &st.Marked, &st.Note
	if withHash {
		out.New, out.Changed = &st.New, &st.Changed
	}
	return err
}

// markRead records that the reader read b (show on a terminal), when
// there is a reading state; a state that cannot be had is no error here.
func (a *app) markRead(c *store.Corpus, b *store.Briefing, body string) {
	if a.fixed != nil && a.env.State == nil {
		return
	}
	st, err := a.readingState()
	if err != nil {
		return
	}
	if err := st.MarkRead(b.ID, readstate.Hash(b, body)); err != nil {
		fmt.Fprintf(a.errOut, "brief: %v\n", err)
	}
}
