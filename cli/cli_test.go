package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/config"
	"github.com/brief-tools/brief/readstate"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// The built-in briefings, newest first.
const (
	idNorbaeva = "2025-08-18-tokayev-norbaeva-meeting"
	idCall     = "2025-07-24-tokayev-mirziyoyev-call"
	idFlood    = "2024-tokayev-mirziyoyev-flood-solidarity-call"
	idTalks    = "2024-02-19-nurtleu-saidov-astana-talks"
	idTashkent = "2022-12-tokayev-state-visit-tashkent"
	idAstana   = "2021-12-mirziyoyev-state-visit-astana"
)

// newestFirst is the built-in corpus as list prints it by default.
var newestFirst = []string{idNorbaeva, idCall, idFlood, idTalks, idTashkent, idAstana}

// cacheHome is where the commands keep their index caches during the tests,
// never the user's own cache folder.
var cacheHome string

// stateHomes holds a fresh reading-state folder for each command run
// (XDG_STATE_HOME, unless a test sets it), never the user's own.
var stateHomes string

// userCacheHome is XDG_CACHE_HOME as the tests found it: go build needs
// it to find its own cache.
var (
	userCacheHome string
	hadCacheHome  bool
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "brief-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cacheHome = filepath.Join(dir, "cache")
	stateHomes = filepath.Join(dir, "state")
	userCacheHome, hadCacheHome = os.LookupEnv("XDG_CACHE_HOME")
	os.Setenv("XDG_CACHE_HOME", cacheHome)
	code := m.Run()
	os.RemoveAll(dir) // the binary built by binary_test.go lives here too
	os.Exit(code)
}

// tty describes where a command's output goes.
type tty struct {
	terminal bool
	width    int
	height   int               // 0: unknown (never pages)
	colour   bool              // ANSI256 instead of ASCII (no colour)
	env      map[string]string // what Getenv sees
	reader   func(ctx context.Context, r ReaderSetup) error
	// background answers for the terminal (nil: it says dark).
	background func() (dark, ok bool)
	// config is the configuration file (nil: none).
	config func() config.Config
	// stdin is what the command reads (nil: nothing).
	stdin io.Reader
	// state is the reading state an SSH server passes (nil: none).
	state *readstate.Store
}

var (
	piped  = tty{width: 80}
	term80 = tty{terminal: true, width: 80}
)

func (t tty) with(env map[string]string) tty { t.env = env; return t }

func (t tty) String() string {
	if !t.terminal {
		return "piped"
	}
	return fmt.Sprintf("terminal %d wide", t.width)
}

// result is what one run of a command printed, and its exit code.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s\n--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// env builds the Env a test runs a command tree in, writing to out and
// errOut.
func (t tty) build(out, errOut *bytes.Buffer) Env {
	background := t.background
	if background == nil {
		background = func() (bool, bool) { return true, true }
	}
	r := lipgloss.NewRenderer(out)
	r.SetColorProfile(termenv.Ascii)
	if t.colour {
		r.SetColorProfile(termenv.ANSI256)
	}
	stdin := t.stdin
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	stateHome := ""
	if _, set := t.env["XDG_STATE_HOME"]; !set {
		if err := os.MkdirAll(stateHomes, 0o700); err == nil {
			stateHome, _ = os.MkdirTemp(stateHomes, "run-")
		}
	}
	return Env{
		Stdin:  stdin,
		Stdout: out,
		Stderr: errOut,
		Getenv: func(k string) string {
			if v, ok := t.env[k]; ok || k != "XDG_STATE_HOME" {
				return v
			}
			return stateHome
		},
		LookupEnv:  func(k string) (string, bool) { v, ok := t.env[k]; return v, ok },
		Height:     t.height,
		Terminal:   t.terminal,
		Width:      t.width,
		Renderer:   r,
		Background: background,
		Config:     t.config,
		Version:    "1.2.3",
		Reader:     t.reader,
		State:      t.state,
	}
}

// run runs the local command tree (cli.NewRoot) with args.
func run(t *testing.T, where tty, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Execute(NewRoot(where.build(&out, &errOut)), args)
	return result{out.String(), errOut.String(), code}
}

// lookup runs the SSH lookup tree (cli.NewLookup) over c with args.
func lookup(t *testing.T, c *store.Corpus, where tty, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Execute(NewLookup(where.build(&out, &errOut), c), args)
	return result{out.String(), errOut.String(), code}
}

// builtin loads the built-in corpus as the server does.
func builtin(t *testing.T) *store.Corpus {
	t.Helper()
	c, err := Load("", false)
	if err != nil {
		t.Fatal(err)
	}
	if c.Rejected() != 0 || len(c.Briefings()) != 6 {
		t.Fatalf("the built-in corpus: %d loaded, %d rejected", len(c.Briefings()), c.Rejected())
	}
	return c
}

// builtinBriefing gives one briefing of the built-in corpus and its body.
func builtinBriefing(t *testing.T, id string) (*store.Briefing, string) {
	t.Helper()
	reg, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	c, err := store.Load(briefs.FS(), store.Options{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	body, _, err := c.Body(b)
	if err != nil {
		t.Fatal(err)
	}
	return b, body
}

// writeFolder makes a briefing folder holding files (name: content); names
// may have subfolders.
func writeFolder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// briefing gives the text of a small valid briefing file.
func briefing(title, date, officials string, more ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\ndate: %s\nofficials: [%s]\n", title, date, officials)
	for _, m := range more {
		b.WriteString(m + "\n")
	}
	b.WriteString("---\n\nThe body of " + title + ".\n")
	return b.String()
}

// unmarshal decodes JSON output into v.
func unmarshal(out string, v any) error { return json.Unmarshal([]byte(out), v) }

// lines splits output into its lines, without the last newline.
func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// tsv splits piped output into rows of tab-separated fields, failing unless
// every row has n fields.
func tsv(t *testing.T, out string, n int) [][]string {
	t.Helper()
	var rows [][]string
	for _, l := range lines(out) {
		f := strings.Split(l, "\t")
		if len(f) != n {
			t.Fatalf("piped line has %d fields, want %d: %q", len(f), n, l)
		}
		rows = append(rows, f)
	}
	return rows
}

// firstFields gives the first field of each tab-separated row.
func firstFields(t *testing.T, out string) []string {
	t.Helper()
	var ids []string
	for _, row := range tsv(t, out, 5) {
		ids = append(ids, row[0])
	}
	return ids
}

// fits reports the first line of out wider than width columns.
func fits(out string, width int) error {
	for i, l := range lines(out) {
		if w := ansi.StringWidth(l); w > width {
			return fmt.Errorf("line %d is %d columns wide, more than %d: %q", i+1, w, width, ansi.Strip(l))
		}
	}
	return nil
}

// plainText is the strict check for output meant for pipes: printable text,
// newlines and tabs, and nothing a terminal could act on: no escape
// sequence, no C0 or C1 control, no DEL, valid UTF-8.
func plainText(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("invalid UTF-8 in %q", s)
	}
	for i, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
			return fmt.Errorf("control character U+%04X at byte %d: %q", r, i, s[max(0, i-20):min(len(s), i+20)])
		}
	}
	return nil
}

// terminalSafe is the shared predicate for terminal output: nothing but
// text, newlines and allowed SGR sequences (sanitize.Check), and no tab.
func terminalSafe(s string) error {
	if err := sanitize.Check(s); err != nil {
		return err
	}
	if i := strings.IndexByte(s, '\t'); i >= 0 {
		return fmt.Errorf("tab at byte %d", i)
	}
	return nil
}

// safe applies the check that fits where the output went.
func safe(where tty, s string) error {
	if where.terminal {
		return terminalSafe(s)
	}
	return plainText(s)
}

// snapshot records every file under dir with its content, mode and time.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		entry := fmt.Sprintf("%v %v", info.Mode(), info.ModTime().UnixNano())
		if !d.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			entry += " " + string(data)
		}
		files[p] = entry
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// unchanged fails when dir differs from its snapshot before.
func unchanged(t *testing.T, dir string, before map[string]string) {
	t.Helper()
	after := snapshot(t, dir)
	for p, v := range after {
		if old, ok := before[p]; !ok {
			t.Errorf("%s was added to the briefing folder", p)
		} else if old != v {
			t.Errorf("%s was changed", p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("%s was removed", p)
		}
	}
}
