package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/brief-tools/brief/store"
)

// qaHostile are values that try to reach the terminal, written as YAML
// double-quoted scalars (escapes decoded by the YAML parser).
var qaHostile = []struct{ name, yaml, visible string }{
	{"clear screen", `"A\e[2JB"`, "A[2JB"},
	{"OSC 52 clipboard write", `"A\x1b]52;c;ZWNobyBoaQ==\x07B"`, "A]52;c;ZWNobyBoaQ==B"},
	{"right-to-left override", `"A\u202eB"`, "AB"},
	{"C1 CSI", `"A\x9b31mB"`, "A31mB"},
	{"C1 CSI as \\u", `"A\u009b2JB"`, "A2JB"},
	{"bell, backspace, DEL", `"A\a\b\x7fB"`, "AB"},
	{"left-to-right embedding and pop", `"A\u202aB\u202c"`, "AB"},
	{"isolates", `"A\u2066B\u2067C\u2068D\u2069"`, "ABCD"},
	{"NEL", `"A\NB"`, "AB"},
	{"line separator", `"A\LB"`, "AB"},
	{"NUL escape", `"A\0B"`, "AB"},
	{"vertical tab and form feed", `"A\v\fB"`, "AB"},
}

// qaFieldCases place a hostile value in each frontmatter field and read
// it back from the loaded briefing.
var qaFieldCases = []struct {
	field string
	fm    func(v string) string // the frontmatter holding v
	line  int                   // the file line of v
	get   func(*store.Briefing) string
	// strict fields lose every invisible character; the others keep what
	// scripts need.
	strict bool
}{
	{"title", func(v string) string { return "title: " + v + "\ndate: 2024\nofficials: [tokayev]\n" }, 2,
		func(b *store.Briefing) string { return b.Title }, true},
	{"kind", func(v string) string { return qaFields + "kind: " + v + "\n" }, 5,
		func(b *store.Briefing) string { return b.Kind }, true},
	{"location", func(v string) string { return qaFields + "location: " + v + "\n" }, 5,
		func(b *store.Briefing) string { return b.Location }, true},
	{"countries", func(v string) string { return qaFields + "countries: [Kazakhstan, " + v + "]\n" }, 5,
		func(b *store.Briefing) string { return b.Countries[1] }, true},
	{"topics", func(v string) string { return qaFields + "topics:\n  - trade\n  - " + v + "\n" }, 7,
		func(b *store.Briefing) string { return b.Topics[1] }, true},
	{"officials", func(v string) string { return "title: T\ndate: 2024\nofficials: [tokayev, " + v + "]\n" }, 4,
		func(b *store.Briefing) string { return b.Officials[1].Name }, true},
	{"summary", func(v string) string { return qaFields + "summary: " + v + "\n" }, 5,
		func(b *store.Briefing) string { return b.Summary }, false},
	{"figure label", func(v string) string { return qaFields + "figures:\n  - label: " + v + "\n    value: V\n" }, 6,
		func(b *store.Briefing) string { return b.Figures()[0].Label }, true},
	{"figure value", func(v string) string { return qaFields + "figures:\n  - label: L\n    value: " + v + "\n" }, 7,
		func(b *store.Briefing) string { return b.Figures()[0].Value }, false},
	{"figure note", func(v string) string { return qaFields + "figures:\n  - label: L\n    value: V\n    note: " + v + "\n" }, 8,
		func(b *store.Briefing) string { return b.Figures()[0].Note }, false},
	{"source outlet", func(v string) string { return qaFields + "sources:\n  - outlet: " + v + "\n" }, 6,
		func(b *store.Briefing) string { return b.Sources()[0].Outlet }, true},
	{"source title", func(v string) string { return qaFields + "sources:\n  - outlet: O\n    title: " + v + "\n" }, 7,
		func(b *store.Briefing) string { return b.Sources()[0].Title }, true},
	{"source url", func(v string) string {
		return qaFields + "sources:\n  - outlet: O\n    url: " + strings.Replace(v, `"A`, `"https://example.com/A`, 1) + "\n"
	}, 7, func(b *store.Briefing) string { return strings.TrimPrefix(b.Sources()[0].URL, "https://example.com/") }, true},
	{"source lang", func(v string) string { return qaFields + "sources:\n  - outlet: O\n    lang: " + v + "\n" }, 7,
		func(b *store.Briefing) string { return b.Sources()[0].Lang }, true},
	{"dating note", func(v string) string { return qaFields + "dating:\n  basis: inferred\n  note: " + v + "\n" }, 7,
		func(b *store.Briefing) string { return b.Dating().Note }, false},
	{"unknown key's value", func(v string) string { return qaFields + "extra: " + v + "\n" }, 5,
		func(b *store.Briefing) string { return b.Extra()[0].Value }, false},
	{"unknown key's name", func(v string) string { return qaFields + v + ": x\n" }, 5,
		func(b *store.Briefing) string { return b.Extra()[0].Key }, true},
}

// TestCleanFrontmatterEscapes checks that YAML escapes decoding to control
// characters and BiDi overrides never reach a loaded field, in every
// field, and that each removal is a warning on the value's line.
func TestCleanFrontmatterEscapes(t *testing.T) {
	for _, f := range qaFieldCases {
		for _, h := range qaHostile {
			t.Run(f.field+"/"+h.name, func(t *testing.T) {
				c := qaLoadFiles(t, map[string]string{"a.md": qaDoc(f.fm(h.yaml))}, store.Options{})
				b := qaBriefing(c, "a.md")
				if b == nil {
					t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
				}
				got := f.get(b)
				if u := qaUnsafe(got); u != "" {
					t.Errorf("%s = %q keeps %s", f.field, got, u)
				}
				for name, values := range qaStrings(b) {
					for _, v := range values {
						if u := qaUnsafe(v); u != "" {
							t.Errorf("%s = %q keeps %s", name, v, u)
						}
					}
				}
				if got != h.visible {
					t.Errorf("%s = %q, want %q", f.field, got, h.visible)
				}
				if !qaHas(c.Problems(), "a.md", f.line, store.Warning, "removed") {
					t.Errorf("no warning at line %d:\n%s", f.line, qaProblemList(c.Problems()))
				}
			})
		}
	}
}

// TestCleanFrontmatterRawBytes checks control bytes written into the file
// itself (not as escapes): they are removed before parsing, with a warning
// naming the line.
func TestCleanFrontmatterRawBytes(t *testing.T) {
	tests := []struct {
		name, fm string
		line     int
		get      func(*store.Briefing) string
		want     string
	}{
		{"ESC in a plain title", "title: A\x1b[2JB\ndate: 2024\nofficials: [tokayev]\n", 2,
			func(b *store.Briefing) string { return b.Title }, "A[2JB"},
		{"C1 CSI in a summary", qaFields + "summary: A\u009b31mB\n", 5,
			func(b *store.Briefing) string { return b.Summary }, "A31mB"},
		{"BEL in a quoted location", qaFields + "location: \"A\aB\"\n", 5,
			func(b *store.Briefing) string { return b.Location }, "AB"},
		{"DEL in a list", qaFields + "topics: [a\x7fb]\n", 5,
			func(b *store.Briefing) string { return b.Topics[0] }, "ab"},
		{"raw RLO in a title", "title: A\u202eB\ndate: 2024\nofficials: [tokayev]\n", 2,
			func(b *store.Briefing) string { return b.Title }, "AB"},
		{"raw isolate in an official", "title: T\ndate: 2024\nofficials: [\u2067tokayev\u2069]\n", 4,
			func(b *store.Briefing) string { return b.Officials[0].Display() }, "Kassym-Jomart Tokayev"},
		{"lone CR inside a quoted title", "title: \"A\rB\"\ndate: 2024\nofficials: [tokayev]\n", -1,
			func(b *store.Briefing) string { return b.Title }, "A B"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := qaLoadFiles(t, map[string]string{"a.md": qaDoc(tc.fm)}, store.Options{})
			b := qaBriefing(c, "a.md")
			if b == nil {
				t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
			}
			if got := tc.get(b); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if tc.line >= 0 && !qaHas(c.Problems(), "a.md", tc.line, store.Warning, "removed") {
				t.Errorf("no warning at line %d:\n%s", tc.line, qaProblemList(c.Problems()))
			}
		})
	}
}

// TestCleanInvisibles checks which invisible characters each kind of field
// keeps: titles, names, places, labels and URLs keep none; prose keeps the
// joiners and marks scripts need.
func TestCleanInvisibles(t *testing.T) {
	const keep, drop, either = "keep", "drop", "either"
	invisibles := []struct {
		name  string
		yaml  string // escape
		prose string // what prose fields do with it
	}{
		{"zero width space", `\u200b`, either},
		{"ZWNJ", `\u200c`, keep},
		{"ZWJ", `\u200d`, keep},
		{"LRM", `\u200e`, keep},
		{"RLM", `\u200f`, keep},
		{"ALM", `\u061c`, keep},
		{"word joiner", `\u2060`, either},
		{"BOM as ZWNBSP", `\ufeff`, either},
		{"LRE", `\u202a`, drop},
		{"RLE", `\u202b`, drop},
		{"PDF", `\u202c`, drop},
		{"LRO", `\u202d`, drop},
		{"RLO", `\u202e`, drop},
		{"LRI", `\u2066`, drop},
		{"RLI", `\u2067`, drop},
		{"FSI", `\u2068`, drop},
		{"PDI", `\u2069`, drop},
		{"tag character", `\U000E0041`, drop},
		{"paragraph separator", `\P`, drop},
	}
	for _, f := range qaFieldCases {
		if f.field == "unknown key's name" {
			continue
		}
		for _, inv := range invisibles {
			t.Run(f.field+"/"+inv.name, func(t *testing.T) {
				c := qaLoadFiles(t, map[string]string{"a.md": qaDoc(f.fm(`"A` + inv.yaml + `B"`))}, store.Options{})
				b := qaBriefing(c, "a.md")
				if b == nil {
					t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
				}
				got := f.get(b)
				kept := got != "AB"
				switch {
				case f.strict && kept:
					t.Errorf("%s = %+q keeps the %s", f.field, got, inv.name)
				case !f.strict && inv.prose == keep && !kept:
					t.Errorf("%s = %+q lost the %s, which prose needs", f.field, got, inv.name)
				case !f.strict && inv.prose == drop && kept:
					t.Errorf("%s = %+q keeps the %s", f.field, got, inv.name)
				}
				if f.strict {
					if h := qaHiddenStrict(got); h != "" {
						t.Errorf("%s = %+q keeps %s", f.field, got, h)
					}
				}
				if !kept && !qaHas(c.Problems(), "a.md", f.line, store.Warning, "removed") {
					t.Errorf("no warning at line %d:\n%s", f.line, qaProblemList(c.Problems()))
				}
			})
		}
	}
}

// TestCleanScriptsKept checks that real text in every script, with its
// marks, passes cleaning unchanged and without warnings.
func TestCleanScriptsKept(t *testing.T) {
	values := []string{
		"Касым-Жомарт Токаев",
		"Қасым-Жомарт Тоқаев",
		"قاسم جومارت توكاييف",
		"تُوكَايِيف",
		"می\u200cخواهم", // Persian with a ZWNJ
		"Mirziyóyev — “quoted” ‘text’ …",
		"中文 and 日本語",
		"नमस्ते",
		"\U0001F469\u200d\U0001F467 family", // an emoji joined with a ZWJ
		"e\u0301\u0302",
	}
	for _, v := range values {
		t.Run(v, func(t *testing.T) {
			// Strict fields drop the joiners; prose keeps them.
			strict := strings.NewReplacer("\u200c", "", "\u200d", "").Replace(v)
			fm := fmt.Sprintf("title: %q\ndate: 2024\nofficials: [tokayev]\nlocation: %q\nsummary: %q\n", strict, strict, v)
			c := qaLoadFiles(t, map[string]string{"a.md": qaDoc(fm) + v + "\n"}, store.Options{Full: true})
			b := qaBriefing(c, "a.md")
			if b == nil {
				t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
			}
			if b.Title != strict || b.Location != strict {
				t.Errorf("title = %+q, location = %+q, want %+q", b.Title, b.Location, strict)
			}
			if b.Summary != v {
				t.Errorf("summary = %+q, want %+q", b.Summary, v)
			}
			body, _, err := c.Body(b)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(body, v+"\n") {
				t.Errorf("body = %+q, want it to keep %+q", body, v)
			}
			if len(c.Problems()) != 0 {
				t.Errorf("unexpected problems:\n%s", qaProblemList(c.Problems()))
			}
		})
	}
}

// TestCleanCombiningMarks checks that a letter keeps at most 8 combining
// marks, in fields and in the body.
func TestCleanCombiningMarks(t *testing.T) {
	for _, n := range []int{1, 8, 9, 50} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			zalgo := "Z" + strings.Repeat("\u0301", n) + "a" + strings.Repeat("\u0330", n)
			content := "---\ntitle: " + zalgo + "\ndate: 2024\nofficials: [tokayev]\nsummary: " + zalgo + "\n---\n" + zalgo + "\n"
			c := qaLoadFiles(t, map[string]string{"a.md": content}, store.Options{Full: true})
			b := qaBriefing(c, "a.md")
			if b == nil {
				t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
			}
			want := "Z" + strings.Repeat("\u0301", min(n, 8)) + "a" + strings.Repeat("\u0330", min(n, 8))
			body, _, err := c.Body(b)
			if err != nil {
				t.Fatal(err)
			}
			for name, got := range map[string]string{"title": b.Title, "summary": b.Summary, "body": strings.TrimSpace(body)} {
				if got != want {
					t.Errorf("%s keeps %d marks, want %d", name, len([]rune(got))-2, 2*min(n, 8))
				}
			}
			warned := qaHas(c.Problems(), "a.md", 2, store.Warning, "combining marks") &&
				qaHas(c.Problems(), "a.md", 5, store.Warning, "combining marks") &&
				qaHas(c.Problems(), "a.md", 7, store.Warning, "combining marks")
			if warned != (n > 8) {
				t.Errorf("warnings for title, summary and body = %v, want %v:\n%s", warned, n > 8, qaProblemList(c.Problems()))
			}
		})
	}
}

// TestCleanURLHosts checks that a host mixing scripts is shown in punycode
// with a warning, while a host in one script stays as written.
func TestCleanURLHosts(t *testing.T) {
	tests := []struct {
		url     string
		want    string // "" when the URL stays as written
		warning bool
	}{
		{"https://аkorda.kz/ru/news", "https://xn--korda-3ve.kz/ru/news", true}, // Cyrillic а
		{"https://www.аkorda.kz:8443/x?q=1#f", "https://www.xn--korda-3ve.kz:8443/x?q=1#f", true},
		{"https://gοv.uz/", "https://xn--gv-jbc.uz/", true},      // Greek ο
		{"https://аkоrda.kz", "https://xn--krda-43d9f.kz", true}, // two Cyrillic letters among Latin
		{"https://акорда.kz/", "", false},                        // all-Cyrillic label beside a Latin TLD
		{"https://президент.рф/", "", false},
		{"https://موقع.وزارة-الاتصالات.مصر/", "", false},
		{"https://akorda.kz/", "", false},
		{"https://menafn.com/1109841244", "", false},
		{"http://example.com/path?q=%D0%B0", "", false},
		{"https://xn--80ak6aa92e.com/", "", false}, // already punycode
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			fm := qaFields + "sources:\n  - outlet: O\n    url: " + tc.url + "\n"
			c := qaLoadFiles(t, map[string]string{"a.md": qaDoc(fm)}, store.Options{})
			b := qaBriefing(c, "a.md")
			if b == nil {
				t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
			}
			want := tc.want
			if want == "" {
				want = tc.url
			}
			if got := b.Sources()[0].URL; got != want {
				t.Errorf("URL = %q, want %q", got, want)
			}
			if got := qaHas(c.Problems(), "a.md", 7, store.Warning, "mixes scripts"); got != tc.warning {
				t.Errorf("mixed-script warning = %v, want %v:\n%s", got, tc.warning, qaProblemList(c.Problems()))
			}
		})
	}
}
