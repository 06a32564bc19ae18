package store_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/brief-tools/brief/store"
)

// TestLoadRejects checks every kind of file brief refuses: each is an
// error naming the file, the line and the reason, and a valid sibling
// still loads.
func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name    string
		content string
		line    int      // the file line the error names (0: the whole file)
		want    []string // the error message contains each
	}{
		// Delimiters.
		{"no closing delimiter", "---\ntitle: T\ndate: 2024\nofficials: [tokayev]\n\nBody.\n", 1, []string{"never closed"}},
		{"no closing delimiter, no final newline", "---\ntitle: T", 1, []string{"never closed"}},
		{"opening line only", "---", 1, []string{"never closed"}},
		{"closer indented is not a closer", "---\ntitle: T\n ---\n", 1, []string{"never closed"}},
		{"TOML frontmatter", "+++\ntitle = \"T\"\ndate = 2024-01-02\n+++\n\nBody.\n", 1, []string{"TOML", "not supported"}},
		{"TOML frontmatter after BOM", "\xef\xbb\xbf+++\ntitle = \"T\"\n+++\n", 1, []string{"TOML", "not supported"}},
		{"no frontmatter", "# A heading\n\nJust Markdown.\n", 1, []string{"no frontmatter"}},
		{"frontmatter not on the first line", "\n---\n" + qaFields + "---\n", 1, []string{"no frontmatter"}},
		{"empty frontmatter", "---\n---\nBody.\n", 1, []string{"empty"}},
		{"frontmatter of comments only", "---\n# nothing\n---\n", 1, []string{"empty"}},
		{"frontmatter is a list", "---\n- title: T\n---\n", 2, []string{"mapping"}},
		{"frontmatter is a scalar", "---\njust text\n---\n", 2, []string{"mapping"}},
		{"a key given twice", "---\ntitle: T\ndate: 2024\nofficials: [tokayev]\ntitle: U\n---\n", 5, []string{`"title"`, "twice", "line 2"}},

		// Whole-file problems.
		{"empty file", "", 0, []string{"empty file"}},
		{"blank file", "\n \r\n\t\n", 0, []string{"empty file"}},
		{"BOM only", "\xef\xbb\xbf", 0, []string{"empty file"}},
		{"binary file", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", 0, []string{"binary"}},
		{"NUL in frontmatter", "---\ntitle: T\x00\ndate: 2024\nofficials: [tokayev]\n---\n", 0, []string{"binary", "NUL"}},

		// YAML syntax: the line is the file's (frontmatter line + 1).
		{"YAML: unclosed flow list", "---\ntitle: T\ndate: 2024\nofficials: [tokayev\n---\n", 4, []string{"YAML"}},
		{"YAML: unclosed flow mapping", "---\ntitle: T\ndate: 2024\nofficials: {a: b\n---\n", 4, []string{"YAML"}},
		{"YAML: stray list item in a mapping", "---\ntitle: T\ndate: 2024\n- tokayev\n---\n", 4, []string{"YAML"}},
		{"YAML: bad indentation in a list", "---\ntitle: T\ndate: 2024\nofficials:\n  - tokayev\n - saidov\n---\n", 6, []string{"YAML"}},
		{"YAML: mapping value in a plain scalar", "---\ntitle: T\n  bad: indent\ndate: 2024\n---\n", 3, []string{"YAML", "mapping values"}},
		{"YAML: colon in an unquoted title", "---\ndate: 2024\nofficials: [tokayev]\ntitle: Talks: a summary: more\n---\n", 4, []string{"YAML"}},
		{"YAML: unknown escape", "---\ndate: 2024\ntitle: \"a\\qb\"\nofficials: [tokayev]\n---\n", 3, []string{"YAML", "escape"}},
		{"YAML: tab indentation", "---\ntitle: T\ndate: 2024\nofficials:\n\t- tokayev\n---\n", 5, []string{"YAML"}},
		{"YAML: error on the first field", "---\n: T\ndate: 2024\n---\n", 2, []string{"YAML"}},
		{"YAML: error after a BOM and CRLF", "\xef\xbb\xbf---\r\ntitle: T\r\ndate: 2024\r\nofficials: [tokayev\r\n---\r\n", 4, []string{"YAML"}},
		{"YAML: alias that expands forever", "---\ntitle: T\ndate: 2024\nofficials: [tokayev]\nloop: &a [x, *a]\n---\n", 5, nil},

		// Dates.
		{"bad date: no 30 February", "---\ntitle: T\ndate: 2025-02-30\nofficials: [tokayev]\n---\n", 3, []string{"2025-02-30"}},
		{"bad date: 29 February of a common year", "---\ntitle: T\ndate: 2023-02-29\nofficials: [tokayev]\n---\n", 3, []string{"2023-02-29"}},
		{"bad date: month 13", "---\ntitle: T\ndate: 2025-13\nofficials: [tokayev]\n---\n", 3, []string{"2025-13", "month"}},
		{"bad date: month 00", "---\ntitle: T\ndate: 2025-00\nofficials: [tokayev]\n---\n", 3, []string{"2025-00"}},
		{"bad date: words", "---\ntitle: T\ndate: July 2025\nofficials: [tokayev]\n---\n", 3, []string{"July 2025"}},
		{"bad date: quoted words", "---\ntitle: T\ndate: \"July 2025\"\nofficials: [tokayev]\n---\n", 3, []string{"July 2025"}},
		{"bad date: day first", "---\ntitle: T\ndate: 24.07.2025\nofficials: [tokayev]\n---\n", 3, []string{"24.07.2025"}},
		{"bad date: short year", "---\ntitle: T\ndate: 25-07-24\nofficials: [tokayev]\n---\n", 3, []string{"25-07-24"}},
		{"bad date: unpadded month", "---\ntitle: T\ndate: 2025-7-24\nofficials: [tokayev]\n---\n", 3, []string{"2025-7-24"}},
		{"bad date: sign in the year", "---\ntitle: T\ndate: \"+202\"\nofficials: [tokayev]\n---\n", 3, []string{"+202"}},
		{"bad date: sign in the month", "---\ntitle: T\ndate: \"2024-+1\"\nofficials: [tokayev]\n---\n", 3, []string{"2024-+1"}},
		{"bad date: year zero", "---\ntitle: T\ndate: 0000-01-01\nofficials: [tokayev]\n---\n", 3, []string{"0000"}},
		{"bad date: hour 25", "---\ntitle: T\ndate: 2025-07-24T25:00:00Z\nofficials: [tokayev]\n---\n", 3, []string{"2025-07-24T25:00:00Z"}},
		{"bad date: empty", "---\ntitle: T\ndate:\nofficials: [tokayev]\n---\n", 3, []string{"date"}},
		{"bad date: a list", "---\ntitle: T\ndate: [2024]\nofficials: [tokayev]\n---\n", 3, []string{"date"}},
		{"bad source date", "---\n" + qaFields + "sources:\n  - outlet: X\n    published: 2024-02-30\n---\n", 7, []string{"published"}},
		{"bad dating basis", "---\n" + qaFields + "dating:\n  basis: guessed\n---\n", 6, []string{"basis"}},
		{"bad dating season", "---\n" + qaFields + "dating:\n  season: monsoon\n---\n", 6, []string{"season"}},

		// Required fields.
		{"missing title", "---\ndate: 2024\nofficials: [tokayev]\n---\n", 1, []string{"missing title"}},
		{"empty title", "---\ntitle: \"\"\ndate: 2024\nofficials: [tokayev]\n---\n", 2, []string{"title"}},
		{"blank title", "---\ntitle: \"   \"\ndate: 2024\nofficials: [tokayev]\n---\n", -1, []string{"title"}},
		{"title of control characters only", "---\ntitle: \"\\e\\a\"\ndate: 2024\nofficials: [tokayev]\n---\n", 2, []string{"title"}},
		{"title is a list", "---\ntitle: [a, b]\ndate: 2024\nofficials: [tokayev]\n---\n", 2, []string{"title"}},
		{"missing officials", "---\ntitle: T\ndate: 2024\n---\n", 1, []string{"missing officials"}},
		{"empty officials", "---\ntitle: T\ndate: 2024\nofficials: []\n---\n", 4, []string{"officials"}},
		{"null officials", "---\ntitle: T\ndate: 2024\nofficials:\n---\n", 4, []string{"officials"}},
		{"officials of a mapping", "---\ntitle: T\ndate: 2024\nofficials: {a: b}\n---\n", 4, []string{"officials"}},
		{"missing date", "---\ntitle: T\nofficials: [tokayev]\n---\n", 1, []string{"missing date"}},
		{"bad id", "---\nid: has spaces\n" + qaFields + "---\n", 2, []string{"id"}},
		{"id with a slash", "---\nid: a/b\n" + qaFields + "---\n", 2, []string{"id"}},
		{"id with an escape", "---\nid: \"a\\eb\"\n" + qaFields + "---\n", 2, []string{"id"}},
		{"figure without a value", "---\n" + qaFields + "figures:\n  - label: Trade\n---\n", 6, []string{"figure"}},
		{"figures not a list", "---\n" + qaFields + "figures: many\n---\n", 5, []string{"figures"}},
		{"source with nothing", "---\n" + qaFields + "sources:\n  - lang: en\n---\n", 6, []string{"source"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := qaLoadFiles(t, map[string]string{"bad.md": tc.content, "good.md": qaValid}, store.Options{Full: true})
			if qaBriefing(c, "good.md") == nil {
				t.Errorf("the valid sibling did not load:\n%s", qaProblemList(c.Problems()))
			}
			if qaBriefing(c, "bad.md") != nil {
				t.Fatalf("bad.md loaded; want it rejected\n%s", qaProblemList(c.Problems()))
			}
			if c.Seen() != 2 || c.Rejected() != 1 || len(c.Briefings()) != 1 {
				t.Errorf("Seen %d, Rejected %d, loaded %d; want 2, 1, 1", c.Seen(), c.Rejected(), len(c.Briefings()))
			}
			if !qaHas(c.Problems(), "bad.md", tc.line, store.Error, tc.want...) {
				t.Errorf("no error for bad.md at line %d containing %q; got:\n%s", tc.line, tc.want, qaProblemList(c.Problems()))
			}
			for _, p := range qaFind(c.Problems(), "bad.md", store.Error) {
				if s := p.String(); !strings.HasPrefix(s, "bad.md") {
					t.Errorf("problem %q does not start with the file name", s)
				}
			}
		})
	}
}

// TestLoadTooLarge checks the 4 MiB limit, in both loading modes, with a
// file whose frontmatter is valid (so only its size can reject it).
func TestLoadTooLarge(t *testing.T) {
	valid := qaDoc("id: big\n" + qaFields)
	atLimit := valid + strings.Repeat("x", store.MaxFileSize-len(valid))
	overLimit := atLimit + "x"
	for _, full := range []bool{false, true} {
		c := qaLoad(t, fstest.MapFS{
			"at.md":   {Data: []byte(atLimit)},
			"over.md": {Data: []byte(strings.Replace(overLimit, "id: big", "id: bigger", 1))},
		}, store.Options{Full: full})
		if qaBriefing(c, "at.md") == nil {
			t.Errorf("full=%v: a file of exactly %d bytes was rejected:\n%s", full, store.MaxFileSize, qaProblemList(c.Problems()))
		}
		if qaBriefing(c, "over.md") != nil {
			t.Errorf("full=%v: a file of %d bytes loaded", full, store.MaxFileSize+1)
		}
		if !qaHas(c.Problems(), "over.md", 0, store.Error, "4 MiB") {
			t.Errorf("full=%v: no error naming the 4 MiB limit:\n%s", full, qaProblemList(c.Problems()))
		}
	}
}

// TestLoadDuplicateID checks that an id used twice keeps one briefing and
// names both files in the error.
func TestLoadDuplicateID(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		dup   string // the rejected file
		other string // the file that keeps the id
	}{
		{
			name:  "explicit ids",
			files: map[string]string{"a.md": qaDoc("id: same\n" + qaFields), "b.md": qaDoc("title: B\nid: same\ndate: 2024\nofficials: [saidov]\n")},
			dup:   "b.md", other: "a.md",
		},
		{
			name:  "an explicit id equal to another file's name",
			files: map[string]string{"same.md": qaValid, "z/other.md": qaDoc("id: same\n" + qaFields)},
			dup:   "z/other.md", other: "same.md",
		},
		{
			name:  "same file name in two folders",
			files: map[string]string{"2024/talks.md": qaValid, "2025/talks.md": qaValid},
			dup:   "2025/talks.md", other: "2024/talks.md",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := qaLoadFiles(t, tc.files, store.Options{})
			if len(c.Briefings()) != 1 || c.Rejected() != 1 {
				t.Fatalf("loaded %d, rejected %d; want 1 and 1\n%s", len(c.Briefings()), c.Rejected(), qaProblemList(c.Problems()))
			}
			if qaBriefing(c, tc.other) == nil {
				t.Errorf("%s should keep the id", tc.other)
			}
			errs := qaFind(c.Problems(), tc.dup, store.Error)
			if len(errs) != 1 {
				t.Fatalf("want one error for %s:\n%s", tc.dup, qaProblemList(c.Problems()))
			}
			if s := errs[0].String(); !strings.Contains(s, tc.dup) || !strings.Contains(s, tc.other) || !strings.Contains(s, "duplicate") {
				t.Errorf("error %q should name both %s and %s", s, tc.dup, tc.other)
			}
		})
	}
}

// TestLoadManyBadFiles loads every rejected fixture at once, beside valid
// briefings: each bad file has its error and the valid ones all load.
func TestLoadManyBadFiles(t *testing.T) {
	files := map[string]string{
		"empty.md":    "",
		"toml.md":     "+++\ntitle = 'x'\n+++\n",
		"open.md":     "---\ntitle: x\n",
		"yaml.md":     "---\ntitle: [x\n---\n",
		"date.md":     "---\ntitle: T\ndate: 2025-02-30\nofficials: [x]\n---\n",
		"binary.md":   "\x00\x01\x02",
		"notitle.md":  "---\ndate: 2024\nofficials: [x]\n---\n",
		"noone.md":    "---\ntitle: T\ndate: 2024\n---\n",
		"nodate.md":   "---\ntitle: T\nofficials: [x]\n---\n",
		"ok1.md":      qaValid,
		"sub/ok2.md":  qaDoc("title: Two\ndate: 2023\nofficials: [saidov]\n"),
		"sub/ok3.md":  "\xef\xbb\xbf" + strings.ReplaceAll(qaDoc("title: Three\ndate: 2022-05\nofficials: [nurtleu]\n"), "\n", "\r\n"),
		"sub/dup.md":  qaDoc("id: ok1\n" + qaFields),
		"sub/utf8.md": qaDoc("title: \"caf\xe9\"\ndate: 2021\nofficials: [x]\n"),
	}
	for _, full := range []bool{false, true} {
		c := qaLoadFiles(t, files, store.Options{Full: full})
		if len(c.Briefings()) != 4 || c.Rejected() != 10 || c.Seen() != 14 {
			t.Errorf("full=%v: loaded %d, rejected %d, seen %d; want 4, 10, 14\n%s", full, len(c.Briefings()), c.Rejected(), c.Seen(), qaProblemList(c.Problems()))
		}
		if c.Errors() < 10 {
			t.Errorf("full=%v: %d errors, want at least 10", full, c.Errors())
		}
	}
}
