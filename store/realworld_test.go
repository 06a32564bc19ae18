package store_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/brief-tools/brief/store"
)

// TestLoadRealWorldFiles checks the forms real files take: BOM, CRLF,
// "..." as closer, quoted and unquoted dates, timestamps with offsets.
func TestLoadRealWorldFiles(t *testing.T) {
	const fields = "title: Tokayev and Mirziyoyev speak\ndate: %s\nofficials: [tokayev, mirziyoyev]\nsummary: A call.\n"
	date := func(d string) string { return strings.Replace(fields, "%s", d, 1) }
	tests := []struct {
		name    string
		content string
		date    string // the loaded date, as String() gives it
		body    string // the start of the cleaned body
	}{
		{"plain", "---\n" + date("2025-07-24") + "---\nBody.\n", "2025-07-24", "Body."},
		{"UTF-8 BOM", "\xef\xbb\xbf---\n" + date("2025-07-24") + "---\nBody.\n", "2025-07-24", "Body."},
		{"CRLF", strings.ReplaceAll("---\n"+date("2025-07-24")+"---\nBody.\nMore.\n", "\n", "\r\n"), "2025-07-24", "Body.\nMore.\n"},
		{"BOM and CRLF", "\xef\xbb\xbf" + strings.ReplaceAll("---\n"+date("2025-07-24")+"---\nBody.\n", "\n", "\r\n"), "2025-07-24", "Body."},
		{"... as closer", "---\n" + date("2025-07-24") + "...\nBody.\n", "2025-07-24", "Body."},
		{"... as closer with CRLF", strings.ReplaceAll("---\n"+date("2025-07-24")+"...\nBody.\n", "\n", "\r\n"), "2025-07-24", "Body."},
		{"trailing spaces on delimiters", "--- \n" + date("2025-07-24") + "---\t\nBody.\n", "2025-07-24", "Body."},
		{"no body", "---\n" + date("2025-07-24") + "---", "2025-07-24", ""},
		{"no body, final newline", "---\n" + date("2025-07-24") + "---\n", "2025-07-24", ""},
		{"a '---' in the body is text", "---\n" + date("2025-07-24") + "---\nBody.\n\n---\n\nMore.\n", "2025-07-24", "Body.\n\n---\n\nMore."},
		{"unquoted day", "---\n" + date("2024-02-19") + "---\n", "2024-02-19", ""},
		{"double-quoted day", "---\n" + date(`"2024-02-19"`) + "---\n", "2024-02-19", ""},
		{"single-quoted day", "---\n" + date(`'2024-02-19'`) + "---\n", "2024-02-19", ""},
		{"unquoted month", "---\n" + date("2024-04") + "---\n", "2024-04", ""},
		{"quoted month", "---\n" + date(`"2024-04"`) + "---\n", "2024-04", ""},
		{"unquoted year", "---\n" + date("2024") + "---\n", "2024", ""},
		{"quoted year", "---\n" + date(`"2024"`) + "---\n", "2024", ""},
		{"date with a comment", "---\n" + date("2024-04 # the sources give no day") + "---\n", "2024-04", ""},
		{"timestamp, negative offset late in the day", "---\n" + date("2025-07-24T23:30:00-05:00") + "---\n", "2025-07-24", ""},
		{"timestamp, positive offset early in the day", "---\n" + date("2025-07-24T01:00:00+09:00") + "---\n", "2025-07-24", ""},
		{"quoted timestamp, negative offset", "---\n" + date(`"2025-07-24T23:30:00-05:00"`) + "---\n", "2025-07-24", ""},
		{"quoted timestamp, positive offset", "---\n" + date(`"2025-07-24T01:00:00+09:00"`) + "---\n", "2025-07-24", ""},
		{"timestamp, seed article form", "---\n" + date("2025-07-24T05:06:55+05:00") + "---\n", "2025-07-24", ""},
		{"timestamp, UTC", "---\n" + date("2025-07-24T23:59:59Z") + "---\n", "2025-07-24", ""},
		{"timestamp, fractional seconds", "---\n" + date("2025-07-24T00:00:00.5+14:00") + "---\n", "2025-07-24", ""},
		{"timestamp with a space", "---\n" + date("2025-07-24 05:06:55") + "---\n", "2025-07-24", ""},
		{"timestamp with a space and offset", "---\n" + date("2025-07-24 23:30:00 -05:00") + "---\n", "2025-07-24", ""},
		{"31 December late, west of UTC", "---\n" + date("2024-12-31T23:00:00-11:00") + "---\n", "2024-12-31", ""},
		{"1 January early, east of UTC", "---\n" + date("2025-01-01T00:30:00+14:00") + "---\n", "2025-01-01", ""},
		{"29 February of a leap year", "---\n" + date("2024-02-29") + "---\n", "2024-02-29", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, full := range []bool{false, true} {
				c := qaLoadFiles(t, map[string]string{"a.md": tc.content}, store.Options{Full: full})
				b := qaBriefing(c, "a.md")
				if b == nil {
					t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
				}
				if c.Errors() != 0 || len(c.Problems()) != 0 {
					t.Errorf("unexpected problems:\n%s", qaProblemList(c.Problems()))
				}
				if got := b.Date.String(); got != tc.date {
					t.Errorf("date %s, want %s", got, tc.date)
				}
				if b.Title != "Tokayev and Mirziyoyev speak" || b.Summary != "A call." {
					t.Errorf("title %q, summary %q", b.Title, b.Summary)
				}
				if got := b.OfficialNames(); !reflect.DeepEqual(got, []string{"Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"}) {
					t.Errorf("officials %q", got)
				}
				body, ps, err := c.Body(b)
				if err != nil {
					t.Fatalf("Body: %v", err)
				}
				if len(ps) != 0 {
					t.Errorf("body problems:\n%s", qaProblemList(ps))
				}
				if strings.ContainsAny(body, "\r\ufeff") {
					t.Errorf("body keeps a CR or BOM: %q", body)
				}
				if !strings.HasPrefix(strings.TrimLeft(body, "\n"), tc.body) {
					t.Errorf("body %q, want it to start with %q", body, tc.body)
				}
			}
		})
	}
}

// TestLoadLineNumbers checks that warnings name the file's own lines
// whatever the line ends and BOM, and that BodyLine is right.
func TestLoadLineNumbers(t *testing.T) {
	const content = "---\n" + // 1
		"title: T\n" + // 2
		"date: 2024\n" + // 3
		"officials: [tokayev, Nobody Known]\n" + // 4
		"\n" + // 5
		"# a comment\n" + // 6
		"sumary: typo\n" + // 7
		"---\n" + // 8
		"Body \x1b[31m\n" + // 9
		"line two &#27;\n" // 10
	for _, variant := range []struct{ name, prefix, eol string }{
		{"LF", "", "\n"}, {"CRLF", "", "\r\n"}, {"BOM", "\xef\xbb\xbf", "\n"}, {"BOM CRLF", "\xef\xbb\xbf", "\r\n"},
	} {
		t.Run(variant.name, func(t *testing.T) {
			data := variant.prefix + strings.ReplaceAll(content, "\n", variant.eol)
			c := qaLoadFiles(t, map[string]string{"a.md": data}, store.Options{Full: true})
			b := qaBriefing(c, "a.md")
			if b == nil {
				t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
			}
			if b.BodyLine != 9 {
				t.Errorf("BodyLine = %d, want 9", b.BodyLine)
			}
			for _, want := range []struct {
				line int
				subs []string
			}{
				{4, []string{"Nobody Known", "not in the registry"}},
				{7, []string{"sumary", "did you mean summary"}},
				{9, []string{"U+001B"}},
				{10, []string{"character reference"}},
			} {
				if !qaHas(c.Problems(), "a.md", want.line, store.Warning, want.subs...) {
					t.Errorf("no warning at line %d with %q:\n%s", want.line, want.subs, qaProblemList(c.Problems()))
				}
			}
			if len(b.Extra()) != 1 || b.Extra()[0].Line != 7 {
				t.Errorf("Extra = %+v, want sumary at line 7", b.Extra())
			}
		})
	}
}

// TestLoadInvalidUTF8 checks that invalid UTF-8 loads as U+FFFD with a
// warning on its line.
func TestLoadInvalidUTF8(t *testing.T) {
	tests := []struct {
		name    string
		content string
		line    int
		check   func(*store.Briefing) string
		want    string
	}{
		{"in a plain title", "---\ntitle: Caf\xe9 talks\ndate: 2024\nofficials: [tokayev]\n---\n", 2,
			func(b *store.Briefing) string { return b.Title }, "Caf\uFFFD talks"},
		{"in a quoted summary", "---\ntitle: T\ndate: 2024\nofficials: [tokayev]\nsummary: \"half \xd0 a letter\"\n---\n", 5,
			func(b *store.Briefing) string { return b.Summary }, "half \uFFFD a letter"},
		{"in a list item", "---\ntitle: T\ndate: 2024\nofficials: [tokayev]\ntopics: [tr\xffade]\n---\n", 5,
			func(b *store.Briefing) string { return strings.Join(b.Topics, ",") }, "tr\uFFFDade"},
		{"a surrogate half", "---\ntitle: \"a\xed\xa0\x80b\"\ndate: 2024\nofficials: [tokayev]\n---\n", 2,
			func(b *store.Briefing) string { return strings.ReplaceAll(b.Title, "\uFFFD", "?") }, "a???b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := qaLoadFiles(t, map[string]string{"a.md": tc.content}, store.Options{})
			b := qaBriefing(c, "a.md")
			if b == nil {
				t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
			}
			if got := tc.check(b); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if !qaHas(c.Problems(), "a.md", tc.line, store.Warning, "UTF-8") {
				t.Errorf("no UTF-8 warning at line %d:\n%s", tc.line, qaProblemList(c.Problems()))
			}
		})
	}
	t.Run("in the body", func(t *testing.T) {
		c := qaLoadFiles(t, map[string]string{"a.md": qaValid + "bad \xc3\x28 byte\n"}, store.Options{Full: true})
		b := qaBriefing(c, "a.md")
		if b == nil {
			t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
		}
		body, ps, err := c.Body(b)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(body, "bad \uFFFD( byte") {
			t.Errorf("body %q lacks the replacement character", body)
		}
		if !qaHas(ps, "a.md", 8, store.Warning, "UTF-8") || !qaHas(c.Problems(), "a.md", 8, store.Warning, "UTF-8") {
			t.Errorf("no UTF-8 warning at line 8:\n%s", qaProblemList(ps))
		}
	})
}

// TestLoadUnknownKeys checks that keys the format does not define are kept
// in file order and reported, with a suggestion for typos.
func TestLoadUnknownKeys(t *testing.T) {
	t.Run("kept and reported", func(t *testing.T) {
		content := qaDoc(qaFields + "sumary: A typo\nauthor: Staff\nreviewed: [a, b]\nmeta: {x: 1}\n")
		c := qaLoadFiles(t, map[string]string{"a.md": content}, store.Options{})
		b := qaBriefing(c, "a.md")
		if b == nil {
			t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
		}
		want := []store.Field{
			{Key: "sumary", Value: "A typo", Line: 5},
			{Key: "author", Value: "Staff", Line: 6},
			{Key: "reviewed", Value: "[a, b]", Line: 7},
			{Key: "meta", Value: "{x: 1}", Line: 8},
		}
		if !reflect.DeepEqual(b.Extra(), want) {
			t.Errorf("Extra = %+v\nwant %+v", b.Extra(), want)
		}
		if b.Summary != "" {
			t.Errorf("the typo filled Summary: %q", b.Summary)
		}
		for _, w := range want {
			if !qaHas(c.Problems(), "a.md", w.Line, store.Warning, w.Key, "unknown key") {
				t.Errorf("no warning for %s:\n%s", w.Key, qaProblemList(c.Problems()))
			}
		}
		if !qaHas(c.Problems(), "a.md", 5, store.Warning, "did you mean summary") {
			t.Errorf("no suggestion for sumary:\n%s", qaProblemList(c.Problems()))
		}
		if qaHas(c.Problems(), "a.md", 6, store.Warning, "did you mean") {
			t.Errorf("a suggestion for author, which is no typo:\n%s", qaProblemList(c.Problems()))
		}
	})
	typos := []struct{ key, want string }{
		{"offcials", "officials"}, {"oficials", "officials"}, {"Officials", "officials"},
		{"titel", "title"}, {"dat", "date"}, {"topic", "topics"}, {"countris", "countries"},
		{"source", "sources"}, {"figure", "figures"}, {"locaton", "location"}, {"kinds", "kind"},
	}
	for _, tc := range typos {
		t.Run("typo "+tc.key, func(t *testing.T) {
			// The typo hides a required field for some keys: the warning
			// must be there whether the file loads or not.
			content := qaDoc("title: T\ndate: 2024\nofficials: [tokayev]\n" + tc.key + ": x\n")
			c := qaLoadFiles(t, map[string]string{"a.md": content}, store.Options{})
			if !qaHas(c.Problems(), "a.md", 5, store.Warning, tc.key, "did you mean "+tc.want) {
				t.Errorf("no suggestion of %s for %s:\n%s", tc.want, tc.key, qaProblemList(c.Problems()))
			}
		})
	}
	t.Run("offcials instead of officials", func(t *testing.T) {
		c := qaLoadFiles(t, map[string]string{"a.md": qaDoc("title: T\ndate: 2024\noffcials: [tokayev]\n"), "b.md": qaValid}, store.Options{})
		if qaBriefing(c, "a.md") != nil {
			t.Error("a.md loaded without officials")
		}
		if !qaHas(c.Problems(), "a.md", 4, store.Warning, "offcials", "did you mean officials") {
			t.Errorf("no suggestion:\n%s", qaProblemList(c.Problems()))
		}
		if !qaHas(c.Problems(), "a.md", -1, store.Error, "missing officials") {
			t.Errorf("no error for the missing officials:\n%s", qaProblemList(c.Problems()))
		}
	})
	t.Run("unknown keys in nested mappings", func(t *testing.T) {
		content := qaDoc(qaFields + "dating:\n  basis: stated\n  seasn: spring\nfigures:\n  - label: L\n    value: V\n    unit: bn\nsources:\n  - outlet: O\n    author: A\n")
		c := qaLoadFiles(t, map[string]string{"a.md": content}, store.Options{})
		if qaBriefing(c, "a.md") == nil {
			t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
		}
		for line, key := range map[int]string{7: "seasn", 11: "unit", 14: "author"} {
			if !qaHas(c.Problems(), "a.md", line, store.Warning, key) {
				t.Errorf("no warning for %s at line %d:\n%s", key, line, qaProblemList(c.Problems()))
			}
		}
	})
}

// TestLoadFields checks that every field of a full briefing is read.
func TestLoadFields(t *testing.T) {
	content := `---
id: 2024-spring-call
title: Tokayev thanks Mirziyoyev after the floods
date: 2024
dating:
  basis: inferred
  season: Spring
  note: The floods give the season.
kind: call
location: Astana
countries: [Kazakhstan, Uzbekistan]
topics:
  - flood-relief
  - regional-cooperation
officials: [Tokayev, "Мирзиёев"]
summary: A call of thanks.
figures:
  - label: Trade
    value: nearly $4.3 billion
    note: in 2024
sources:
  - outlet: The Gulf Observer
    title: Dialogue
    url: https://example.com/a?b=c
    lang: en
    published: 2024-05
---
Body.
`
	c := qaLoadFiles(t, map[string]string{"x/file-name.md": content}, store.Options{})
	b := qaBriefing(c, "x/file-name.md")
	if b == nil {
		t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
	}
	if len(c.Problems()) != 0 {
		t.Errorf("unexpected problems:\n%s", qaProblemList(c.Problems()))
	}
	checks := []struct{ name, got, want string }{
		{"id", b.ID, "2024-spring-call"},
		{"title", b.Title, "Tokayev thanks Mirziyoyev after the floods"},
		{"date", b.Date.String(), "2024"},
		{"season", b.Date.Season, "spring"},
		{"when", b.When(), "~Spring 2024"},
		{"long", b.Date.Long(), "Spring 2024"},
		{"basis", string(b.Dating().Basis), "inferred"},
		{"note", b.Dating().Note, "The floods give the season."},
		{"kind", b.Kind, "call"},
		{"location", b.Location, "Astana"},
		{"countries", strings.Join(b.Countries, "|"), "Kazakhstan|Uzbekistan"},
		{"topics", strings.Join(b.Topics, "|"), "flood-relief|regional-cooperation"},
		{"officials", strings.Join(b.OfficialNames(), "|"), "Kassym-Jomart Tokayev|Shavkat Mirziyoyev"},
		{"official names as written", b.Officials[0].Name + "|" + b.Officials[1].Name, "Tokayev|Мирзиёев"},
		{"summary", b.Summary, "A call of thanks."},
		{"figure", b.Figures()[0].Label + "|" + b.Figures()[0].Value + "|" + b.Figures()[0].Note, "Trade|nearly $4.3 billion|in 2024"},
		{"source", b.Sources()[0].Outlet + "|" + b.Sources()[0].Title + "|" + b.Sources()[0].URL + "|" + b.Sources()[0].Lang + "|" + b.Sources()[0].Published.String(), "The Gulf Observer|Dialogue|https://example.com/a?b=c|en|2024-05"},
		{"path", b.Path, "x/file-name.md"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %q, want %q", ch.name, ch.got, ch.want)
		}
	}
	if b.BodyLine != 28 {
		t.Errorf("BodyLine = %d, want 28", b.BodyLine)
	}

	// Defaults: the id from the file name, the basis stated.
	c = qaLoadFiles(t, map[string]string{"sub/My Talks (draft).md": qaValid}, store.Options{})
	if len(c.Briefings()) != 1 {
		t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
	}
	b = c.Briefings()[0]
	if b.ID != "My-Talks-draft" {
		t.Errorf("default id = %q, want My-Talks-draft", b.ID)
	}
	if b.Dating().Basis != store.BasisStated {
		t.Errorf("default basis = %q, want stated", b.Dating().Basis)
	}
	if b.When() != "2 Jan 2024" {
		t.Errorf("When() = %q, want 2 Jan 2024", b.When())
	}
}
