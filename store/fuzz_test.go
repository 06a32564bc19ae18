package store_test

import (
	"html"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/brief-tools/brief/store"
)

// qaFuzzSeeds are the edge cases real and hostile files bring.
var qaFuzzSeeds = []string{
	qaValid,
	"\xef\xbb\xbf" + qaValid,
	strings.ReplaceAll(qaValid, "\n", "\r\n"),
	"\xef\xbb\xbf" + strings.ReplaceAll(qaValid, "\n", "\r\n"),
	strings.ReplaceAll(qaValid, "\n", "\r"),
	"---\n" + qaFields + "...\nBody.\n",
	"---\n" + qaFields,
	"---",
	"+++\ntitle = \"T\"\ndate = 2024-01-02\n+++\n",
	"",
	"\xef\xbb\xbf",
	"\n\n",
	"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
	"---\ntitle: T\x00\n---\n",
	"---\n---\n",
	"---\n- a\n---\n",
	"---\ntitle: [T\ndate: 2024\nofficials: [tokayev]\n---\n",
	"---\ntitle: T\n  bad: indent\n---\n",
	"---\ntitle: T\ndate: 2025-02-30\nofficials: [tokayev]\n---\n",
	"---\ntitle: T\ndate: 2025-13\nofficials: [tokayev]\n---\n",
	"---\ntitle: T\ndate: July 2025\nofficials: [tokayev]\n---\n",
	"---\ntitle: T\ndate: 2025-07-24T23:30:00-05:00\nofficials: [tokayev]\n---\n",
	"---\ntitle: T\ndate: \"2025-07-24T01:00:00+09:00\"\nofficials: [tokayev]\n---\n",
	"---\ndate: 2024\nofficials: [tokayev]\n---\n",
	"---\ntitle: T\ndate: 2024\n---\n",
	"---\ntitle: T\nofficials: [tokayev]\n---\n",
	"---\nid: the-sibling\n" + qaFields + "---\n",
	"---\nid: \"bad id\\e\"\n" + qaFields + "---\n",
	"---\ntitle: \"\\e[2J\\x1b]52;c;aGk=\\x07\\u202e\\x9b\"\ndate: 2024\nofficials: [\"tok\\u202eayev\"]\n---\n",
	"---\n" + qaFields + "kind: \"\\e[2J\"\nlocation: \"\\u2066x\"\ncountries: [\"\\x9b\"]\ntopics: [\"\\a\"]\nsummary: \"\\u200d\\e\"\n" +
		"figures:\n  - label: \"\\e\"\n    value: \"\\x1b\"\n    note: \"\\u202e\"\n" +
		"sources:\n  - outlet: \"\\e\"\n    title: \"\\x9b\"\n    url: \"https://\\u0430korda.kz/\\e\"\n    lang: \"\\u202e\"\n    published: 2024\n" +
		"dating:\n  basis: inferred\n  season: spring\n  note: \"\\e\"\n\"\\e[2Joffcials\": \"\\e\"\n---\n",
	"---\ntitle: T\x1b[2J\ndate: 2024\nofficials: [tokayev\u202e]\n---\nBody \x1b]52;c;aGk=\x07 &#27;[2J &#x1b; &#X1B; &#0027; &#27 &#x9b; \u202e\n",
	"---\ntitle: Caf\xe9\ndate: 2024\nofficials: [tokayev]\n---\n\xff\xfe\n",
	"---\n" + qaFields + "---\n&#x0000000000000202e; &#00000000000008238; &#x110000; &#99999999999999999999; &&#27; &#\n",
	"---\n" + qaFields + "loop: &a [x, *a]\n---\n",
	"---\n" + qaFields + "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n",
	"---\n" + qaFields + "---\n" + strings.Repeat("> ", 100) + "deep\n" + strings.Repeat("| x ", 100) + "|\n" + strings.Repeat("a", 5000) + "\nZ" + strings.Repeat("\u0301", 20) + "\n",
	"---\n" + qaFields + "summary: |\n  block\n  scalar\n---\n",
	"---\n" + qaFields + "officials: [tokayev]\n---\n",
}

// FuzzLoad loads any bytes as one briefing beside a valid one: Load never
// panics, the valid briefing always loads, nothing is dropped silently,
// every problem names its file and says something, and no loaded text
// carries a control character or a BiDi override.
func FuzzLoad(f *testing.F) {
	for _, s := range qaFuzzSeeds {
		f.Add([]byte(s))
	}
	reg := qaRegistry(f)
	sibling := qaDoc("id: the-sibling\n" + qaFields)
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"0-sibling.md": {Data: []byte(sibling)}, // walked first: it keeps its id
			"fuzz.md":      {Data: data},
		}
		var loaded [2]*store.Briefing
		for mode, full := range []bool{false, true} {
			c, err := store.Load(fsys, store.Options{Registry: reg, Full: full})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if c.Seen() != 2 || len(c.Briefings())+c.Rejected() != c.Seen() {
				t.Fatalf("full=%v: seen %d, loaded %d, rejected %d", full, c.Seen(), len(c.Briefings()), c.Rejected())
			}
			s := qaBriefing(c, "0-sibling.md")
			if s == nil || s.ID != "the-sibling" || s.Title != "Valid briefing" || s.Date.String() != "2024-01-02" {
				t.Fatalf("full=%v: the sibling did not load intact: %+v\n%s", full, s, qaProblemList(c.Problems()))
			}
			loaded[mode] = qaBriefing(c, "fuzz.md")
			rejected := loaded[mode] == nil
			if rejected != (c.Rejected() == 1) {
				t.Fatalf("full=%v: Rejected() = %d, but fuzz.md loaded = %v", full, c.Rejected(), !rejected)
			}
			hasError := false
			for _, p := range c.Problems() {
				if p.Path != "fuzz.md" {
					t.Errorf("problem for %q: %v", p.Path, p)
				}
				if strings.TrimSpace(p.Message) == "" {
					t.Errorf("problem without a message: %#v", p)
				}
				if u := qaUnsafe(p.Message); u != "" {
					t.Errorf("problem message %q keeps %s", p.Message, u)
				}
				if p.Severity == store.Error {
					hasError = true
				}
			}
			if hasError != rejected {
				t.Fatalf("full=%v: fuzz.md rejected = %v but has an error = %v\n%s", full, rejected, hasError, qaProblemList(c.Problems()))
			}
			for _, b := range c.Briefings() {
				for name, values := range qaStrings(b) {
					for _, v := range values {
						if u := qaUnsafe(v); u != "" {
							t.Errorf("%s %q keeps %s", name, v, u)
						}
					}
				}
				if b.ID == "" || b.Title == "" || b.Date.IsZero() || len(b.Officials) == 0 {
					t.Errorf("loaded without a required field: %+v", b)
				}
				for _, fig := range b.Figures() {
					if fig.Label == "" || fig.Value == "" {
						t.Errorf("figure without label or value: %+v", fig)
					}
				}
			}
			if b := qaBriefing(c, "fuzz.md"); b != nil && full {
				body, _, err := c.Body(b)
				if err != nil {
					t.Fatalf("Body: %v", err)
				}
				qaCheckSafeBody(t, body)
			}
		}
		// Reading the body never changes what the frontmatter gives.
		if lazy, full := loaded[0], loaded[1]; (lazy == nil) != (full == nil) {
			t.Fatalf("loaded lazily = %v, loaded in full = %v", lazy != nil, full != nil)
		} else if lazy != nil && !reflect.DeepEqual(qaStrings(lazy), qaStrings(full)) {
			t.Fatalf("lazy and full loads differ:\n%v\n%v", qaStrings(lazy), qaStrings(full))
		}
	})
}

// qaCheckSafeBody fails when a cleaned body holds what must not reach a
// terminal, as written or once character references are decoded.
func qaCheckSafeBody(t *testing.T, body string) {
	t.Helper()
	for _, form := range []struct{ name, text string }{{"body", body}, {"decoded body", html.UnescapeString(body)}} {
		for i, r := range form.text {
			switch {
			case r == '\t' || r == '\n':
			case r < 0x20, r >= 0x7f && r <= 0x9f:
				t.Fatalf("%s keeps control U+%04X at byte %d: %q", form.name, r, i, form.text[max(0, i-20):min(len(form.text), i+20)])
			case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
				t.Fatalf("%s keeps BiDi control U+%04X at byte %d: %q", form.name, r, i, form.text[max(0, i-20):min(len(form.text), i+20)])
			}
		}
	}
}
