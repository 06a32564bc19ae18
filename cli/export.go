package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/render/dossier"
	"github.com/brief-tools/brief/store"
	"github.com/spf13/cobra"
)

type exportOptions struct {
	listOptions
	title, output string
	force, notes  bool
}

// exportCommand writes a dossier of the briefings selected as list
// selects them.
func (a *app) exportCommand() *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the briefings selected as one dossier, in Markdown or HTML",
		Long: `Write the briefings that list's filters select as one dossier to take to a
meeting: a cover (what was selected, when, from which briefings), a timeline
table, then each briefing's card, its full text, its sources and its numbered
links, oldest first (--reverse: newest first).

--format md writes Markdown that reads well in brief, glow or any Markdown
viewer; --format html one self-contained page (no script, nothing fetched
from the network) that prints on A4 with each briefing on a new page. The
format defaults to the extension of -o, else md.

Your marks and private notes are left out unless --notes is given.

-o FILE writes the dossier to FILE, never into the briefing folder, and never
over an existing file unless --force is given.`,
		Example: `  brief export --official saidov -o saidov.html
  brief export --marked --notes --since 2024 -o meeting.md
  brief export --topic trade --format md | glow -`,
		Args: args(0, 0, "no arguments (the briefings come from the filters)"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runExport(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.official, "official", "", "only events with this official (id, name or any spelling; -o is the output file here)")
	f.StringVarP(&o.topic, "topic", "t", "", "only events with this topic")
	f.StringVar(&o.since, "since", "", "only events on or after this date (YYYY-MM-DD, YYYY-MM or YYYY)")
	f.StringVar(&o.until, "until", "", "only events on or before this date")
	f.StringVarP(&o.query, "query", "q", "", "only events with every word of this in their text")
	f.BoolVar(&o.drafts, "drafts", false, "only drafts not yet reviewed")
	a.stateFlags(f, &o.listOptions)
	f.BoolVarP(&o.reverse, "reverse", "r", false, "newest first")
	f.IntVarP(&o.limit, "limit", "L", 0, "at most this many, the newest (0: all)")
	f.StringVarP(&o.format, "format", "f", "", "md or html (default: from -o's extension, else md)")
	f.StringVar(&o.title, "title", "", "the dossier's title (default: from the filters)")
	f.BoolVar(&o.notes, "notes", false, "include your marks and private notes")
	f.StringVarP(&o.output, "output", "o", "", "write to this file instead of standard output (never into the briefing folder)")
	f.BoolVar(&o.force, "force", false, "replace the -o file if it exists")
	_ = cmd.MarkFlagFilename("output", "md", "html")
	_ = cmd.RegisterFlagCompletionFunc("official", a.completeOfficials)
	_ = cmd.RegisterFlagCompletionFunc("topic", a.completeTopics)
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"md", "html"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) runExport(cmd *cobra.Command, o exportOptions) error {
	format := o.format
	if format == "" {
		format = "md"
		switch strings.ToLower(filepath.Ext(o.output)) {
		case ".html", ".htm":
			format = "html"
		}
	}
	if format != "md" && format != "html" {
		return UsageError{fmt.Errorf("--format %q: use md or html", o.format)}
	}
	if o.limit < 0 {
		return UsageError{fmt.Errorf("--limit %d: must be 0 or more", o.limit)}
	}
	if o.output == "" && o.force {
		return UsageError{errors.New("--force replaces the -o file: give -o FILE")}
	}
	c, err := a.load(a.folder(), false)
	if err != nil {
		return err
	}
	a.warnRejected(c)
	defer a.finishState()
	// The newest first, as list selects them, then put in date order.
	sel := o.listOptions
	sel.reverse = false
	found, v, err := a.selectBriefings(c, sel)
	if err != nil {
		return err
	}
	slices.SortStableFunc(found, func(x, y *store.Briefing) int { return x.Date.Compare(y.Date) })
	if o.reverse {
		slices.Reverse(found)
	}
	if len(found) == 0 {
		return errors.New("no briefing matches: nothing to export")
	}
	if o.output != "" {
		if err := a.checkOutput(o.output, o.force); err != nil {
			return err
		}
	}
	var mark func(*store.Briefing) (bool, string)
	if o.notes {
		if v == nil {
			if v, err = a.view(c); err != nil {
				return err
			}
		}
		mark = func(b *store.Briefing) (bool, string) {
			st, _ := v.status(b, false)
			return st.Marked, st.Note
		}
	}
	entries, err := dossier.Collect(c, found, mark)
	if err != nil {
		return err
	}
	d := dossier.Dossier{
		Title:     o.title,
		Selection: a.describeSelection(c, o.listOptions),
		Corpus:    a.corpusCover(c),
		Made:      time.Now(),
		Entries:   entries,
	}
	if d.Title == "" {
		d.Title = a.dossierTitle(c, o.listOptions)
	}
	var buf bytes.Buffer
	if format == "html" {
		err = dossier.HTML(&buf, d)
	} else {
		err = dossier.Markdown(&buf, d)
	}
	if err != nil {
		return err
	}
	if o.output == "" {
		_, err := a.out.Write(buf.Bytes())
		return err
	}
	if err := writeOutput(o.output, buf.Bytes(), o.force); err != nil {
		return err
	}
	if a.env.Terminal {
		fmt.Fprintf(a.errOut, "Wrote %s: %s\n", o.output, plural(len(entries), "1 briefing", fmt.Sprintf("%d briefings", len(entries))))
	}
	return nil
}

// checkOutput refuses an output file that exists (unless force) or that
// would land in the briefing folder.
func (a *app) checkOutput(path string, force bool) error {
	info, err := os.Lstat(path)
	switch {
	case err == nil && info.IsDir():
		return fmt.Errorf("-o %s: is a folder; give a file name", path)
	case err == nil && !force:
		return fmt.Errorf("-o %s: the file exists; --force replaces it", path)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("-o %s: %w", path, unwrapPath(err))
	}
	folder := a.folder()
	if folder == "" {
		return nil
	}
	inside, err := within(filepath.Dir(path), folder)
	if err != nil {
		return fmt.Errorf("-o %s: %w", path, err)
	}
	if inside {
		return fmt.Errorf("-o %s: that is inside the briefing folder %s, which brief never writes to; write the dossier elsewhere", path, folder)
	}
	return nil
}

// within reports whether dir is folder or inside it, symbolic links
// followed.
func within(dir, folder string) (bool, error) {
	real := func(p string) (string, error) {
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			return r, nil
		}
		return abs, nil
	}
	d, err := real(dir)
	if err != nil {
		return false, err
	}
	f, err := real(folder)
	if err != nil {
		return false, err
	}
	rel, err := filepath.Rel(f, d)
	if err != nil {
		return false, nil
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))), nil
}

// writeOutput writes data to path: a new file, never over one that
// appeared meanwhile; with force, beside it and renamed over it.
func writeOutput(path string, data []byte, force bool) error {
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("-o %s: the file exists; --force replaces it", path)
			}
			return fmt.Errorf("-o %s: %w", path, unwrapPath(err))
		}
		_, werr := f.Write(data)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(path)
			return fmt.Errorf("-o %s: %w", path, unwrapPath(werr))
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("-o %s: %w", path, unwrapPath(err))
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("-o %s: %w", path, unwrapPath(err))
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("-o %s: %w", path, unwrapPath(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("-o %s: %w", path, unwrapPath(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("-o %s: %w", path, unwrapPath(err))
	}
	return nil
}

// describeSelection says what the filters select, one criterion a line.
func (a *app) describeSelection(c *store.Corpus, o listOptions) []string {
	var out []string
	if o.official != "" {
		if people := c.FindPeople(o.official); len(people) == 1 {
			out = append(out, "official: "+people[0].Name)
		} else {
			out = append(out, "official: "+o.official)
		}
	}
	if o.topic != "" {
		out = append(out, "topic: "+o.topic)
	}
	switch {
	case o.since != "" && o.until != "":
		out = append(out, fmt.Sprintf("dates: %s to %s", o.since, o.until))
	case o.since != "":
		out = append(out, "dates: from "+o.since)
	case o.until != "":
		out = append(out, "dates: until "+o.until)
	}
	if strings.TrimSpace(o.query) != "" {
		out = append(out, fmt.Sprintf("text: %q", o.query))
	}
	if o.drafts {
		out = append(out, "drafts only")
	}
	if o.unread {
		out = append(out, "unread")
	}
	if o.new {
		out = append(out, "new or changed since the last visit")
	}
	if o.marked {
		out = append(out, "marked")
	}
	if o.limit > 0 {
		out = append(out, fmt.Sprintf("the newest %d", o.limit))
	}
	return out
}

// dossierTitle gives a title from the filters.
func (a *app) dossierTitle(c *store.Corpus, o listOptions) string {
	if o.official != "" {
		if people := c.FindPeople(o.official); len(people) == 1 {
			return "Briefings with " + people[0].Name
		}
	}
	if o.topic != "" {
		return "Briefings on " + o.topic
	}
	if o.marked {
		return "Marked briefings"
	}
	return "Briefing dossier"
}

// corpusCover names the corpus on the cover: the built-in briefings, the
// folder's absolute path, or over SSH the server's label.
func (a *app) corpusCover(c *store.Corpus) string {
	if a.fixed != nil {
		return a.corpusLabel()
	}
	folder := a.folder()
	if folder == "" {
		return "the " + briefs.Name
	}
	if abs, err := filepath.Abs(folder); err == nil {
		return abs
	}
	return folder
}

// exportNew writes a dossier as HTML to a new file in the working folder
// (in the home folder when the working folder is the briefing folder,
// which brief never writes to), and gives its path.
func (a *app) exportNew(d dossier.Dossier) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("dossier: %w", err)
	}
	if folder := a.folder(); folder != "" {
		if inside, _ := within(dir, folder); inside {
			if dir, err = os.UserHomeDir(); err != nil {
				return "", fmt.Errorf("dossier: %w", err)
			}
		}
	}
	base := "brief-dossier-" + d.Made.Format("2006-01-02")
	for n := 1; n < 1000; n++ {
		name := base + ".html"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.html", base, n)
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("dossier: %w", unwrapPath(err))
		}
		if err := dossier.HTML(f, d); err != nil {
			f.Close()
			os.Remove(path)
			return "", fmt.Errorf("dossier: %w", err)
		}
		if err := f.Close(); err != nil {
			return "", fmt.Errorf("dossier: %w", err)
		}
		return path, nil
	}
	return "", fmt.Errorf("dossier: %s has a thousand dossiers of today already", dir)
}
