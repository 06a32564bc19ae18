package store_test

// Shared fixtures and checks for the store tests. Every helper is named
// with a "qa" prefix so that it cannot clash with other test files of
// package store_test (benchmarks, generators).

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/store"
)

// qaFields is the frontmatter of a valid briefing, without delimiters.
const qaFields = "title: Valid briefing\ndate: 2024-01-02\nofficials: [tokayev]\n"

// qaValid is a whole valid briefing file.
const qaValid = "---\n" + qaFields + "---\n\nBody text.\n"

// qaDoc wraps frontmatter fields between '---' lines and adds a body.
func qaDoc(fields string) string {
	return "---\n" + fields + "---\n\nBody.\n"
}

// qaFS builds a MapFS from file contents.
func qaFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
	}
	return m
}

var (
	qaRegistryOnce sync.Once
	qaRegistryVal  *store.Registry
	qaRegistryErr  []store.Problem
)

// qaRegistry gives the built-in officials registry.
func qaRegistry(t testing.TB) *store.Registry {
	t.Helper()
	qaRegistryOnce.Do(func() {
		qaRegistryVal, qaRegistryErr = store.LoadRegistry(briefs.FS(), store.RegistryFile)
	})
	for _, p := range qaRegistryErr {
		if p.Severity == store.Error {
			t.Fatalf("built-in registry: %v", p)
		}
	}
	return qaRegistryVal
}

// qaLoad loads fsys with the built-in registry and checks the invariants
// that hold for every load.
func qaLoad(t testing.TB, fsys fs.FS, opts store.Options) *store.Corpus {
	t.Helper()
	if opts.Registry == nil {
		opts.Registry = qaRegistry(t)
	}
	c, err := store.Load(fsys, opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	qaCheckCounts(t, c)
	return c
}

// qaLoadFiles loads a MapFS of the given files.
func qaLoadFiles(t testing.TB, files map[string]string, opts store.Options) *store.Corpus {
	t.Helper()
	return qaLoad(t, qaFS(files), opts)
}

// qaCheckCounts checks that nothing was dropped silently: every file seen
// was loaded or rejected, and every rejected file has an error.
func qaCheckCounts(t testing.TB, c *store.Corpus) {
	t.Helper()
	if got := len(c.Briefings()) + c.Rejected(); got != c.Seen() {
		t.Errorf("loaded %d + rejected %d = %d, want Seen() = %d", len(c.Briefings()), c.Rejected(), got, c.Seen())
	}
	loaded := map[string]bool{}
	for _, b := range c.Briefings() {
		loaded[b.Path] = true
	}
	errored := map[string]bool{}
	for _, p := range c.Problems() {
		if p.Path == "" {
			t.Errorf("problem without a path: %v", p)
		}
		if strings.TrimSpace(p.Message) == "" {
			t.Errorf("problem without a message: %#v", p)
		}
		if p.Severity == store.Error && p.Path != store.RegistryFile {
			errored[p.Path] = true
		}
	}
	// Every file with an error was rejected (a loaded file has no error),
	// and there are at least as many such files as rejections.
	for p := range errored {
		if loaded[p] {
			t.Errorf("%s loaded but has an error", p)
		}
	}
	if len(errored) != c.Rejected() {
		t.Errorf("%d files have errors, but Rejected() = %d:\n%s", len(errored), c.Rejected(), qaProblemList(c.Problems()))
	}
}

// qaProblemList formats problems one a line, for failure messages.
func qaProblemList(ps []store.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "\t%v\n", p)
	}
	return b.String()
}

// qaFind gives the problems for path with the given severity.
func qaFind(ps []store.Problem, path string, sev store.Severity) []store.Problem {
	var out []store.Problem
	for _, p := range ps {
		if p.Path == path && p.Severity == sev {
			out = append(out, p)
		}
	}
	return out
}

// qaHas reports whether a problem for path at line (any line when line is
// negative) with severity sev has a message containing every one of subs.
func qaHas(ps []store.Problem, path string, line int, sev store.Severity, subs ...string) bool {
	for _, p := range qaFind(ps, path, sev) {
		if line >= 0 && p.Line != line {
			continue
		}
		ok := true
		for _, s := range subs {
			if !strings.Contains(p.Message, s) {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// qaBriefing gives the loaded briefing at path, or nil.
func qaBriefing(c *store.Corpus, path string) *store.Briefing {
	for _, b := range c.Briefings() {
		if b.Path == path {
			return b
		}
	}
	return nil
}

// qaIDs lists the ids of briefings in order.
func qaIDs(bs []*store.Briefing) []string {
	ids := make([]string, len(bs))
	for i, b := range bs {
		ids[i] = b.ID
	}
	return ids
}

// qaDate parses a date or fails.
func qaDate(t testing.TB, s string) store.Date {
	t.Helper()
	if s == "" {
		return store.Date{}
	}
	d, err := store.ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

// qaStrings gives every string a loaded briefing carries, named by field.
func qaStrings(b *store.Briefing) map[string][]string {
	m := map[string][]string{
		"id":          {b.ID},
		"title":       {b.Title},
		"kind":        {b.Kind},
		"location":    {b.Location},
		"countries":   b.Countries,
		"topics":      b.Topics,
		"summary":     {b.Summary},
		"dating.note": {b.Dating().Note},
		"basis":       {string(b.Dating().Basis)},
		"season":      {b.Date.Season},
		"path":        {b.Path},
		"when":        {b.When(), b.Date.String(), b.Date.Long()},
	}
	for _, o := range b.Officials {
		m["officials"] = append(m["officials"], o.Name, o.Display())
	}
	for _, f := range b.Figures() {
		m["figure label"] = append(m["figure label"], f.Label)
		m["figure value"] = append(m["figure value"], f.Value)
		m["figure note"] = append(m["figure note"], f.Note)
	}
	for _, s := range b.Sources() {
		m["source outlet"] = append(m["source outlet"], s.Outlet)
		m["source title"] = append(m["source title"], s.Title)
		m["source url"] = append(m["source url"], s.URL)
		m["source lang"] = append(m["source lang"], s.Lang)
		m["source season"] = append(m["source season"], s.Published.Season)
	}
	for _, x := range b.Extra() {
		m["extra key"] = append(m["extra key"], x.Key)
		m["extra value"] = append(m["extra value"], x.Value)
	}
	return m
}

// qaUnsafe names the first character of s that must never reach a
// terminal from a loaded field: a C0 or C1 control (tab included: fields
// are single lines), DEL, a BiDi embedding, override or isolate, a line or
// paragraph separator, or invalid UTF-8. It gives "" when s is safe.
func qaUnsafe(s string) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return fmt.Sprintf("invalid UTF-8 at byte %d", i)
		case r < 0x20, r >= 0x7f && r <= 0x9f:
			return fmt.Sprintf("control U+%04X at byte %d", r, i)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return fmt.Sprintf("BiDi control U+%04X at byte %d", r, i)
		case r == 0x2028 || r == 0x2029:
			return fmt.Sprintf("line separator U+%04X at byte %d", r, i)
		}
	}
	return ""
}

// qaHiddenStrict names the first invisible format character that a strict
// field (title, name, place, label, URL) must not carry, or "".
func qaHiddenStrict(s string) string {
	if u := qaUnsafe(s); u != "" {
		return u
	}
	for i, r := range s {
		switch r {
		case 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x061c, 0x2060, 0xfeff:
			return fmt.Sprintf("invisible U+%04X at byte %d", r, i)
		}
	}
	return ""
}

// qaSortedKeys gives a map's keys in order.
func qaSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
