package store_test

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/brief-tools/brief/store"
)

// utf16File encodes s as UTF-16, with or without a byte order mark.
func utf16File(s string, bigEndian, bom bool) string {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	var b strings.Builder
	for _, u := range units {
		hi, lo := byte(u>>8), byte(u)
		if bigEndian {
			b.WriteByte(hi)
			b.WriteByte(lo)
		} else {
			b.WriteByte(lo)
			b.WriteByte(hi)
		}
	}
	return b.String()
}

// TestMessagesSayWhatToDo: errors for mistakes people make name the cause
// in their terms and the fix, at the right line.
func TestMessagesSayWhatToDo(t *testing.T) {
	tests := []struct {
		name    string
		content string
		line    int
		want    []string
		not     []string
	}{
		{"a colon in an unquoted title", "---\ndate: 2024\nofficials: [tokayev]\ntitle: Talks: a summary: more\n---\n", 4,
			[]string{`the value of title holds ": "`, `quotes`, `title: "Talks: a summary: more"`}, []string{"mapping values"}},
		{"a colon in the first field", "---\ntitle: Astana talks: day one\ndate: 2024\nofficials: [tokayev]\n---\n", 2,
			[]string{`the value of title holds ": "`, `title: "Astana talks: day one"`}, nil},
		{"a colon in a list item's field", "---\n" + qaFields + "sources:\n  - outlet: Kazinform\n    title: Saidov: talks went well\n---\n", 7,
			[]string{`the value of title holds ": "`, `title: "Saidov: talks went well"`}, nil},
		{"a colon and quotes inside", "---\n" + qaFields + "summary: He said \"yes\": twice\n---\n", 5,
			[]string{`summary: 'He said "yes": twice'`}, nil},
		{"a colon and both quotes inside", "---\n" + qaFields + "summary: It's \"done\": twice\n---\n", 5,
			[]string{`summary: "It's \"done\": twice"`}, nil},
		{"a colon before a comment", "---\n" + qaFields + "summary: Done: twice # checked\n---\n", 5,
			[]string{`summary: "Done: twice"`}, nil},
		{"a colon-space in an indented line is another mistake", "---\ntitle: T\n  bad: indent\ndate: 2024\n---\n", 3,
			[]string{"YAML syntax error: mapping values"}, []string{"quotes"}},
		{"a colon and an invisible character", "---\n" + qaFields + "summary: Done: \u202etwice\u200b\n---\n", 5,
			[]string{`summary: "Done: \u202Etwice\u200B"`}, nil},
		{"a colon in a value that starts with a quote", "---\n" + qaFields + "summary: \"Yes\" he said: twice\n---\n", 5,
			[]string{`summary: '"Yes" he said: twice'`}, nil},
		{"a question mark in a list item", "---\n" + qaFields + "topics: [trade, why?]\n---\n", 5,
			[]string{`an item of topics holds a '?'`, `quotes`, `topics: [trade, "why?"]`}, []string{"did not find expected"}},
		{"a question mark in a list item's middle", "---\n" + qaFields + "countries: [Kazakhstan?, Uzbekistan]\n---\n", 5,
			[]string{`countries: ["Kazakhstan?", Uzbekistan]`}, nil},
		{"a question mark in a list item with a comment", "---\n" + qaFields + "topics: [a?b, 'c?'] # check\n---\n", 5,
			[]string{`topics: ["a?b", 'c?']`}, nil},
		{"a brace in a list item", "---\n" + qaFields + "topics: [trade, a{b}]\n---\n", 5,
			[]string{`an item of topics holds a brace`, `topics: [trade, "a{b}"]`}, []string{"did not find expected"}},
		{"a comment sign in a list item", "---\n" + qaFields + "topics: [trade, C #2]\n---\n", 5,
			[]string{`an item of topics holds " #"`, `topics: [trade, "C #2"]`}, []string{"did not find expected"}},
		{"an unclosed list is another mistake", "---\n" + qaFields + "topics: [trade, water\n---\n", 5,
			[]string{"YAML syntax error"}, []string{"holds a '?'"}},
		{"UTF-16, little-endian, with a BOM", utf16File("---\n"+qaFields+"---\n", false, true), 0,
			[]string{"UTF-16", "save it as UTF-8"}, []string{"binary"}},
		{"UTF-16, big-endian, with a BOM", utf16File("---\n"+qaFields+"---\n", true, true), 0,
			[]string{"UTF-16", "save it as UTF-8"}, []string{"binary"}},
		{"UTF-16, little-endian, no BOM", utf16File("---\n"+qaFields+"---\n", false, false), 0,
			[]string{"UTF-16", "save it as UTF-8"}, []string{"binary"}},
		{"a lone CR keeps later lines", "---\ntitle: T\rstill the title\ndate: 2024\nofficials: [tokayev]\nsumary: x\ndate2: [\n---\n", 7,
			[]string{"YAML"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := qaLoadFiles(t, map[string]string{"bad.md": tc.content}, store.Options{})
			if !qaHas(c.Problems(), "bad.md", tc.line, store.Error, tc.want...) {
				t.Errorf("no error at line %d with %q:\n%s", tc.line, tc.want, qaProblemList(c.Problems()))
			}
			for _, p := range c.Problems() {
				for _, n := range tc.not {
					if strings.Contains(p.Message, n) {
						t.Errorf("%q still says %q", p, n)
					}
				}
			}
		})
	}
}

// TestLoneCR: a carriage return that ends no line is not a line end for
// brief either (as for editors that count lines by LF): the lines after
// it keep their numbers.
func TestLoneCR(t *testing.T) {
	content := "---\n" + // 1
		"title: T\rwith a stray CR\n" + // 2
		"date: 2024\n" + // 3
		"officials: [tokayev]\n" + // 4
		"sumary: typo\n" + // 5
		"---\n" + // 6
		"Body.\n" // 7
	c := qaLoadFiles(t, map[string]string{"a.md": content}, store.Options{})
	b := qaBriefing(c, "a.md")
	if b == nil {
		t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
	}
	if !qaHas(c.Problems(), "a.md", 5, store.Warning, "sumary") {
		t.Errorf("the warning for sumary is not on line 5:\n%s", qaProblemList(c.Problems()))
	}
	if !qaHas(c.Problems(), "a.md", 2, store.Warning, "carriage return") {
		t.Errorf("the stray CR is not reported on line 2:\n%s", qaProblemList(c.Problems()))
	}
	if b.Title != "T with a stray CR" {
		t.Errorf("title %q, want the CR read as a space", b.Title)
	}
}

// TestSuggestKey: "did you mean" only for names close to a known key.
func TestSuggestKey(t *testing.T) {
	tests := []struct {
		key, want string // want "" for no suggestion
	}{
		{"sumary", "summary"},
		{"offcials", "officials"},
		{"titel", "title"},
		{"Title", "title"},
		{"data", "date"},
		{"sorces", "sources"},
		{"country", "countries"},
		{"topic", "topics"},
		{"kinds", "kind"},
		{"locaton", "location"},
		{"tags", ""},
		{"to", ""},
		{"by", ""},
		{"xy", ""},
		{"url", ""},
		{"lang", ""},
		{"author", ""},
		{"drafts", "draft"},
		{"statu", "status"},
		{"uuid", ""},
	}
	for _, tt := range tests {
		c := qaLoadFiles(t, map[string]string{"a.md": "---\n" + qaFields + tt.key + ": x\n---\n"}, store.Options{})
		ps := qaFind(c.Problems(), "a.md", store.Warning)
		if len(ps) != 1 {
			t.Fatalf("%s: want one warning:\n%s", tt.key, qaProblemList(c.Problems()))
		}
		msg := ps[0].Message
		switch {
		case tt.want == "" && strings.Contains(msg, "did you mean"):
			t.Errorf("%s: %q suggests a key that is not close", tt.key, msg)
		case tt.want != "" && !strings.Contains(msg, "did you mean "+tt.want+"?"):
			t.Errorf("%s: %q does not suggest %s", tt.key, msg, tt.want)
		}
	}
}

// TestListItemHintLoads: the line the hint for an item of a list in brackets
// that holds a '?', a brace or " #" suggests is one YAML reads, with the
// items as they were meant.
func TestListItemHintLoads(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"topics: [trade, why?]", []string{"trade", "why?"}},
		{"topics: [Kazakhstan?, 'it''s', \"a \\\"b\\\"\", c d?e ] # note", []string{"Kazakhstan?", "it's", `a "b"`, "c d?e"}},
		{"topics: [a{b}, C #2, x]", []string{"a{b}", "C #2", "x"}},
	} {
		bad := qaLoadFiles(t, map[string]string{"a.md": "---\n" + qaFields + tc.line + "\n---\n"}, store.Options{})
		ps := bad.Problems()
		if len(ps) != 1 || !strings.Contains(ps[0].Message, "put it in quotes: ") {
			t.Fatalf("%s: %s", tc.line, qaProblemList(ps))
		}
		fixed := ps[0].Message[strings.Index(ps[0].Message, "put it in quotes: ")+len("put it in quotes: "):]
		c := qaLoadFiles(t, map[string]string{"a.md": "---\n" + qaFields + fixed + "\n---\n"}, store.Options{})
		if len(c.Problems()) != 0 || len(c.Briefings()) != 1 {
			t.Fatalf("%s: the suggested %s gives:\n%s", tc.line, fixed, qaProblemList(c.Problems()))
		}
		if got := c.Briefings()[0].Topics; strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: the suggested %s gives topics %q, want %q", tc.line, fixed, got, tc.want)
		}
	}
}
