package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/draft"
	"github.com/brief-tools/brief/store"
	"github.com/spf13/cobra"
)

// maxArticle bounds one saved article: a saved page with its scripts and
// styles rarely passes a few megabytes.
const maxArticle = 16 << 20

type draftOptions struct {
	url, published, outlet, lang, out, format string
}

func (a *app) draftCommand() *cobra.Command {
	var o draftOptions
	cmd := &cobra.Command{
		Use:   "draft [flags] FILE...",
		Short: "Draft a briefing from saved news articles, for a curator to check",
		Long: `Draft a briefing from one or more saved articles about one event: text
clipped from a browser (.txt), saved pages (.html, .htm), or - for standard
input. Each file becomes one source; their facts are merged into one draft.

The draft is marked status: draft and lists in a draft block every field to
verify, with where it was found. Nothing is invented: the event's date is
never a page clock or a publication stamp unless the text gives no other
(and then it says so), figures are copied as written, and a field that was
not found is left out. A line 1 that is only a URL is the source's address.

The draft goes to standard output, or with --out to a new file in DIR named
from its id; an existing file is never overwritten, and nothing else is ever
written. Officials are matched through the registry: the --dir folder's
officials.yaml, or the built-in one.`,
		Example: `  brief draft article.txt
  brief draft --published 2025-11-15 --url https://example.com/a tashkent.txt
  brief draft report-en.txt report-ar.html --out ~/briefings
  pbpaste | brief draft --lang ru -
  brief draft --format json article.txt | jq .date`,
		Args: args(1, 64, "one or more saved articles (- for standard input)"),
		RunE: func(cmd *cobra.Command, files []string) error {
			return a.runDraft(files, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.url, "url", "", "the article's address (one file only)")
	f.StringVar(&o.published, "published", "", "the publication date, YYYY-MM-DD: dates without a year and \"today\" count from it")
	f.StringVar(&o.outlet, "outlet", "", "the outlet that published the articles")
	f.StringVar(&o.lang, "lang", "", "the articles' language code (en, ru, kk, ky, uz, ar, ...)")
	f.StringVar(&o.out, "out", "", "write the draft as a new file in this folder instead of printing it")
	f.StringVarP(&o.format, "format", "f", "markdown", "output: markdown (the briefing) or json (each field with where it was found)")
	_ = cmd.MarkFlagDirname("out")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"markdown", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("lang", cobra.FixedCompletions([]string{"en", "ru", "kk", "ky", "uz", "tg", "tk", "ar"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) runDraft(files []string, o draftOptions) error {
	switch o.format {
	case "markdown", "md", "json":
	default:
		return UsageError{fmt.Errorf("--format %q: use markdown or json", o.format)}
	}
	if o.out != "" && o.format == "json" {
		return UsageError{errors.New("--out writes the briefing itself; it does not take --format json")}
	}
	if o.url != "" && len(files) > 1 {
		return UsageError{errors.New("--url names one article's address; with several files, put each address on its file's line 1")}
	}
	var published store.Date
	if o.published != "" {
		d, err := store.ParseDate(o.published)
		if err != nil {
			return UsageError{fmt.Errorf("--published: %w", err)}
		}
		published = d
	}
	stdinUsed := false
	var ins []draft.Input
	for _, name := range files {
		data, err := a.readArticle(name, &stdinUsed)
		if err != nil {
			return err
		}
		shown := name
		if name == "-" {
			shown = "stdin"
		}
		ins = append(ins, draft.Input{Name: shown, Data: data, URL: o.url, Outlet: o.outlet, Lang: o.lang, Published: published})
	}
	reg, err := a.draftRegistry()
	if err != nil {
		return err
	}
	d, err := draft.Extract(ins, reg)
	if err != nil {
		return err
	}
	if o.format == "json" {
		return writeJSON(a.env.Stdout, d.Report(), true)
	}
	var buf bytes.Buffer
	if err := draft.Write(&buf, d); err != nil {
		return err
	}
	if o.out == "" {
		_, err := a.out.Write(buf.Bytes())
		return err
	}
	path, err := writeNew(o.out, d.ID, buf.Bytes())
	if err != nil {
		return err
	}
	fmt.Fprintln(a.out, path)
	fmt.Fprintf(a.errOut, "brief: wrote a draft with %d %s to verify; 'brief check %s' lists them\n",
		len(d.Verify), plural(len(d.Verify), "field", "fields"), o.out)
	return nil
}

// readArticle reads one input file, or standard input for "-" (once).
func (a *app) readArticle(name string, stdinUsed *bool) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		if *stdinUsed {
			return nil, UsageError{errors.New("standard input (-) can be read only once")}
		}
		*stdinUsed = true
		r = a.env.Stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", quotePath(name), unwrapPath(err))
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil && info.IsDir() {
			return nil, fmt.Errorf("%s: is a folder, not a saved article", quotePath(name))
		}
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxArticle+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", quotePath(name), err)
	}
	switch {
	case len(data) > maxArticle:
		return nil, fmt.Errorf("%s: larger than %d MiB; save the article's text only", quotePath(name), maxArticle>>20)
	case len(bytes.TrimSpace(data)) == 0:
		return nil, fmt.Errorf("%s: empty", quotePath(name))
	case bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0:
		return nil, fmt.Errorf("%s: a binary file (UTF-16 or not text); save the article as UTF-8 text or HTML", quotePath(name))
	}
	return data, nil
}

// quotePath shows a file name safely: Go-quoted when it holds anything a
// terminal could act on.
func quotePath(p string) string {
	if strings.IndexFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) }) >= 0 {
		return fmt.Sprintf("%q", p)
	}
	return p
}

// draftRegistry gives the registry drafts match officials against: the
// briefing folder's own officials.yaml when it has one, else the built-in.
func (a *app) draftRegistry() (*store.Registry, error) {
	if a.fixed != nil {
		return a.fixed.Registry(), nil
	}
	if dir := a.folder(); dir != "" {
		p := filepath.Join(dir, store.RegistryFile)
		if _, err := os.Stat(p); err == nil {
			reg, problems := store.LoadRegistry(os.DirFS(dir), store.RegistryFile)
			for _, pr := range problems {
				if pr.Severity == store.Error {
					pr.Path = p
					return nil, fmt.Errorf("officials registry: %s", problemLine(pr))
				}
			}
			return reg, nil
		}
	}
	reg, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	return reg, nil
}

// writeNew writes data as DIR/ID.md, never replacing a file.
func writeNew(dir, id string, data []byte) (string, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return "", fmt.Errorf("--out %s: %w", quotePath(dir), unwrapPath(err))
	}
	if !info.IsDir() {
		return "", fmt.Errorf("--out %s: not a folder", quotePath(dir))
	}
	path := filepath.Join(dir, id+".md")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s already exists; not overwritten (rename or remove it, or draft into another folder)", quotePath(path))
	}
	if err != nil {
		return "", fmt.Errorf("--out: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return "", fmt.Errorf("writing %s: %w", quotePath(path), err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("writing %s: %w", quotePath(path), err)
	}
	return path, nil
}
