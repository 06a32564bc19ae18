package cli

import (
	"bufio"
	"fmt"
	"slices"
	"strings"

	"github.com/brief-tools/brief/config"
	"github.com/brief-tools/brief/internal/parallel"
	"github.com/brief-tools/brief/store"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

type listOptions struct {
	official, topic, since, until, query string
	format                               string
	reverse, drafts                      bool
	limit                                int
	// What the reader's state says: never opened, new or changed since
	// the reader last showed them, marked.
	unread, new, marked bool
}

// usesState says the options filter on the reading state.
func (o listOptions) usesState() bool { return o.unread || o.new || o.marked }

func (a *app) listCommand() *cobra.Command {
	var o listOptions
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List briefings, newest first, filtered by official, topic, dates or text",
		Long: `List briefings, newest first. Filters combine: every one given must match.

--official takes a registry id, a name or any spelling of it, in any script
(saidov, Saidov, Саидов, سعيدوف), ignoring case and diacritics; the start of a
word is enough when only one official has it. --since and --until take
YYYY-MM-DD, YYYY-MM or YYYY; an approximate date matches when it may fall in
the range.

--query searches titles, officials (under any of their names), summaries,
figures, topics, places, sources and the briefings' text, ignoring case,
diacritics and the spellings of letters that vary between scripts (Тоқаев
finds Токаев). Every word must match; the last one also matches the start of
a word (rail finds railway); "quoted words" must follow each other; -word
leaves out what has the word. Results come best first: a word in the title
or the officials counts more than one in the summary, and that more than one
in the text; ties newest first. --reverse lists them oldest first instead.
--format json and jsonl add to each briefing the passage that matched
(snippet, snippet_field) and where the words are in it (matches: byte
ranges).

--unread, --new and --marked read your reading state (brief state path):
--unread lists what you never opened, --new what is new or changed since the
reader last showed it to you, --marked what you marked (brief mark), with your
note (a NOTE column; a sixth field when piped). --format json and jsonl carry
read, marked and note for every briefing; with --new, also new and changed
(read, but its content changed since).`,
		Example: `  brief list --official saidov
  brief list --official Токаев --topic trade
  brief list --since 2025-01 --until 2025-06
  brief list --query railway
  brief list --query 'Тоқаев "state visit"'
  brief list --query 'water -flood'
  brief list --query "railway" --format jsonl | jq -r .snippet
  brief list --new
  brief list --marked --official saidov`,
		Aliases: []string{"ls"},
		Args:    args(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runList(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.official, "official", "o", "", "only events with this official (id, name or any spelling)")
	f.StringVarP(&o.topic, "topic", "t", "", "only events with this topic")
	f.StringVar(&o.since, "since", "", "only events on or after this date (YYYY-MM-DD, YYYY-MM or YYYY)")
	f.StringVar(&o.until, "until", "", "only events on or before this date")
	f.StringVarP(&o.query, "query", "q", "", "only events with every word of this in their text, best first (see above)")
	f.StringVarP(&o.format, "format", "f", "table", "output format: table, json or jsonl")
	f.BoolVarP(&o.reverse, "reverse", "r", false, "oldest first")
	f.BoolVar(&o.drafts, "drafts", false, "only drafts written by brief draft and not yet reviewed (status: draft)")
	f.IntVarP(&o.limit, "limit", "L", 0, "show at most this many (0: all)")
	a.stateFlags(f, &o)
	_ = cmd.RegisterFlagCompletionFunc("official", a.completeOfficials)
	_ = cmd.RegisterFlagCompletionFunc("topic", a.completeTopics)
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"table", "json", "jsonl"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) runList(cmd *cobra.Command, o listOptions) error {
	switch o.format {
	case "table", "json", "jsonl":
	default:
		return UsageError{fmt.Errorf("--format %q: use table, json or jsonl", o.format)}
	}
	if o.limit < 0 {
		return UsageError{fmt.Errorf("--limit %d: must be 0 or more", o.limit)}
	}
	c, err := a.load(a.folder(), false)
	if err != nil {
		return err
	}
	a.warnRejected(c)
	defer a.finishState()
	found, v, err := a.selectBriefings(c, o)
	if err != nil {
		return err
	}
	if strings.TrimSpace(o.query) != "" {
		a.warnUnsearched(c)
	}
	switch o.format {
	case "json", "jsonl":
		if v == nil {
			v = a.optionalView(c)
		}
		return a.writeList(c, found, o, v)
	}
	if len(found) == 0 {
		if a.env.Terminal {
			fmt.Fprintln(a.errOut, "No briefings match.")
		}
		return nil
	}
	if !a.env.Terminal {
		// The date as the screen shows it ("~19 Feb 2024", "~Spring 2024"):
		// a pipe gets the same honesty; --format json has the ISO form.
		w := bufio.NewWriterSize(a.env.Stdout, 64<<10) // not a write per row
		for _, b := range found {
			fields := []string{b.ID, b.When(), b.Kind, b.Title, strings.Join(b.OfficialNames(), ", ")}
			if o.marked {
				st, _ := v.status(b, false)
				fields = append(fields, st.Note)
			}
			writeTSV(w, fields...)
		}
		return w.Flush()
	}
	var notes map[string]string
	if o.marked {
		notes = map[string]string{}
		for _, b := range found {
			st, _ := v.status(b, false)
			notes[b.ID] = st.Note
		}
	}
	a.printTable(c, found, notes)
	return nil
}

// selectBriefings gives the briefings the list options select, in the
// order asked for, and the reading state when a filter used it.
func (a *app) selectBriefings(c *store.Corpus, o listOptions) ([]*store.Briefing, *stateView, error) {
	q, err := a.buildQuery(c, o)
	if err != nil {
		return nil, nil, err
	}
	var found []*store.Briefing
	if a.oldestFirst(o) {
		found = c.Query(q)
	} else {
		for _, h := range c.Search(q) { // best first; newest first without text
			found = append(found, h.Briefing)
		}
	}
	if o.drafts {
		found = slices.DeleteFunc(found, func(b *store.Briefing) bool { return !b.IsDraft() })
	}
	var v *stateView
	if o.usesState() {
		if v, err = a.view(c); err != nil {
			return nil, nil, err
		}
		var failed error
		found = slices.DeleteFunc(found, func(b *store.Briefing) bool {
			st, err := v.status(b, o.new)
			if err != nil {
				if failed == nil {
					failed = err
				}
				return false // kept: whether it is new cannot be told
			}
			return o.unread && st.Read || o.new && !st.New || o.marked && !st.Marked
		})
		if failed != nil {
			fmt.Fprintf(a.errOut, "brief: %v\n", failed)
		}
	}
	if o.limit > 0 && len(found) > o.limit {
		found = found[:o.limit]
	}
	return found, v, nil
}

// oldestFirst says whether to list oldest first: --reverse, or the
// configuration's order: oldest without it. A text query ranks best first
// whatever the configuration says; --reverse lists it oldest first.
func (a *app) oldestFirst(o listOptions) bool {
	if strings.TrimSpace(o.query) != "" || a.fixed != nil {
		return o.reverse
	}
	return o.reverse != (a.config().Order == config.OrderOldest)
}

// stateFlags adds the reading-state filters to a command's flags.
func (a *app) stateFlags(f *pflag.FlagSet, o *listOptions) {
	f.BoolVar(&o.unread, "unread", false, "only briefings you never opened")
	f.BoolVar(&o.new, "new", false, "only briefings new or changed since the reader last showed them to you")
	f.BoolVar(&o.marked, "marked", false, "only briefings you marked (brief mark), with your notes")
}

// optionalView gives the reading state for JSON output, when there is
// one: an SSH session without a state gets none, silently; a local state
// that cannot be opened is a warning.
func (a *app) optionalView(c *store.Corpus) *stateView {
	if a.fixed != nil && a.env.State == nil {
		return nil
	}
	v, err := a.view(c)
	if err != nil {
		fmt.Fprintf(a.errOut, "brief: reading state: %v; read, marked and note are left out\n", err)
		return nil
	}
	return v
}

// finishState writes what a command changed in the reading state (state
// taken over by renamed briefings), telling of a failure on stderr, and
// keeps the content hashes computed for the next run.
func (a *app) finishState() {
	if err := a.closeState(); err != nil {
		fmt.Fprintf(a.errOut, "brief: %v\n", err)
	}
	if a.hs != nil {
		_ = a.hs.Save() // a cache not written only makes the next run slower
	}
}

// buildQuery turns the flags into a query, resolving the official.
func (a *app) buildQuery(c *store.Corpus, o listOptions) (store.Query, error) {
	q := store.Query{Topic: o.topic, Text: o.query}
	var err error
	if o.since != "" {
		if q.Since, err = store.ParseDate(o.since); err != nil {
			return q, UsageError{fmt.Errorf("--since: %w", err)}
		}
	}
	if o.until != "" {
		if q.Until, err = store.ParseDate(o.until); err != nil {
			return q, UsageError{fmt.Errorf("--until: %w", err)}
		}
	}
	// The range is empty only when --until ends before --since starts:
	// "--since 2024-05 --until 2024" is May to December 2024.
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.Overlaps(q.Since, store.Date{}) {
		return q, UsageError{fmt.Errorf("--until %s is before --since %s", q.Until, q.Since)}
	}
	if o.topic != "" && !slices.ContainsFunc(topicsOf(c), func(t string) bool { return store.Fold(t) == store.Fold(o.topic) }) {
		return q, fmt.Errorf("no briefing has the topic %q; topics: %s", o.topic, strings.Join(topicsOf(c), ", "))
	}
	if o.official != "" {
		people := c.FindPeople(o.official)
		switch len(people) {
		case 0:
			return q, fmt.Errorf("no official or name matches %q; %s lists them", o.official, a.command("officials"))
		case 1:
			q.Official, q.Name = people[0].Official, people[0].Name
		default:
			var names []string
			for _, p := range people {
				names = append(names, fmt.Sprintf("%s (%s)", p.Name, p.Key()))
			}
			return q, fmt.Errorf("--official %q could mean %s; give one of their ids", o.official, strings.Join(names, ", "))
		}
	}
	return q, nil
}

// writeList writes the briefings found as JSON or JSON lines; with a text
// query, each with the passage that matched. Passages are made a batch at
// a time on every core (each reads a body), and JSON lines are written as
// each batch is ready.
func (a *app) writeList(c *store.Corpus, found []*store.Briefing, o listOptions, v *stateView) error {
	withSnippet := strings.TrimSpace(o.query) != ""
	const batch = 256
	// Each briefing is written as it is made: the document is never held
	// whole (100,000 briefings made a 1.3 GiB one).
	w := bufio.NewWriterSize(a.env.Stdout, 64<<10)
	arr := &jsonArray{w: w, lines: o.format == "jsonl"}
	var out briefingOut // and hit: made anew for each briefing, in the same memory
	var hit hitOut
	for start := 0; start < len(found); start += batch {
		part := found[start:min(start+batch, len(found))]
		var snippets []store.Snippet
		var errs []error
		if withSnippet {
			snippets, errs = snippetsOf(c, part, o.query)
		}
		for i, b := range part {
			fillJSON(&out, b, "")
			if v != nil {
				if err := v.addJSON(&out, b, o.new); err != nil {
					fmt.Fprintf(a.errOut, "brief: %s: %v\n", b.ID, err)
				}
			}
			var item any = &out
			if withSnippet {
				if errs[i] != nil {
					fmt.Fprintf(a.errOut, "brief: %s: the snippet comes from its fields: %v\n", b.ID, errs[i])
				}
				fillHit(&hit, &out, snippets[i])
				item = &hit
			}
			if err := arr.add(item); err != nil {
				return err
			}
		}
	}
	if err := arr.close(); err != nil {
		return err
	}
	return w.Flush()
}

// snippetsOf gives the passage of each briefing that matched the query,
// on every core.
func snippetsOf(c *store.Corpus, bs []*store.Briefing, query string) ([]store.Snippet, []error) {
	snippets := make([]store.Snippet, len(bs))
	errs := make([]error, len(bs))
	parallel.Each(len(bs), 0, func(i int) { snippets[i], errs[i] = c.Snippet(bs[i], query) })
	return snippets, errs
}

// warnUnsearched tells, on stderr, of briefings whose text the search
// could not read.
func (a *app) warnUnsearched(c *store.Corpus) {
	ps := c.SearchProblems()
	if len(ps) == 0 {
		return
	}
	more := ""
	if len(ps) > 1 {
		more = fmt.Sprintf(" (and %d more)", len(ps)-1)
	}
	fmt.Fprintf(a.errOut, "brief: %s: %s%s\n", ps[0].Path, ps[0].Message, more)
}
