package store_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/brief-tools/brief/store"
)

// qaBody loads one briefing whose body is body (its first line is file
// line 6) and returns the cleaned body and its warnings.
func qaBody(t testing.TB, body string) (string, []store.Problem) {
	t.Helper()
	content := "---\n" + qaFields + "---\n" + body
	c := qaLoadFiles(t, map[string]string{"a.md": content}, store.Options{Full: true})
	b := qaBriefing(c, "a.md")
	if b == nil {
		t.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
	}
	out, ps, err := c.Body(b)
	if err != nil {
		t.Fatalf("Body: %v", err)
	}
	// Full loading reports what Body reports.
	for _, p := range ps {
		if !qaHas(c.Problems(), p.Path, p.Line, p.Severity, p.Message) {
			t.Errorf("Body reports %v, which Load with Full does not", p)
		}
	}
	return out, ps
}

const qaBodyLine = 6 // the file line of the first body line in qaBody

// TestBodyCharacters checks which characters the body keeps.
func TestBodyCharacters(t *testing.T) {
	tests := []struct {
		name, in, want string
		warn           bool
	}{
		{"plain text", "Hello, world.\n", "Hello, world.\n", false},
		{"tabs kept", "a\tb\n", "a\tb\n", false},
		{"ESC removed", "a\x1b[2Jb\n", "a[2Jb\n", true},
		{"OSC 52 removed", "a\x1b]52;c;ZWNobw==\x07b\n", "a]52;c;ZWNobw==b\n", true},
		{"C1 CSI removed", "a\u009b31mb\n", "a31mb\n", true},
		{"DEL and BEL removed", "a\x7f\x07b\n", "ab\n", true},
		{"CR in the middle of a line", "a\rb\n", "a\nb\n", false},
		{"CRLF", "a\r\nb\r\n", "a\nb\n", false},
		{"ZWJ kept", "\U0001F469\u200d\U0001F467\n", "\U0001F469\u200d\U0001F467\n", false},
		{"ZWNJ kept", "می\u200cخواهم\n", "می\u200cخواهم\n", false},
		{"LRM kept", "a\u200eb\n", "a\u200eb\n", false},
		{"RLM kept", "a\u200fb\n", "a\u200fb\n", false},
		{"ALM kept", "a\u061cb\n", "a\u061cb\n", false},
		{"RLO removed", "a\u202eb\n", "ab\n", true},
		{"LRO removed", "a\u202db\n", "ab\n", true},
		{"embeddings removed", "a\u202a\u202bb\u202c\n", "ab\n", true},
		{"isolates removed", "a\u2066\u2067\u2068b\u2069\n", "ab\n", true},
		{"line separator removed", "a\u2028b\n", "ab\n", true},
		{"tag characters removed", "a\U000E0041b\n", "ab\n", true},
		{"Arabic and Cyrillic kept", "قاسم جومارت توكاييف — Касым-Жомарт Токаев\n", "قاسم جومارت توكاييف — Касым-Жомарт Токаев\n", false},
		{"Markdown kept", "# Head\n\n> quote\n\n- item\n\n| a | b |\n|---|---|\n", "# Head\n\n> quote\n\n- item\n\n| a | b |\n|---|---|\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ps := qaBody(t, tc.in)
			if got != tc.want {
				t.Errorf("body = %+q, want %+q", got, tc.want)
			}
			if warned := qaHas(ps, "a.md", qaBodyLine, store.Warning); warned != tc.warn {
				t.Errorf("warning on line %d = %v, want %v:\n%s", qaBodyLine, warned, tc.warn, qaProblemList(ps))
			}
		})
	}
}

// TestBodyCharacterReferences checks that numeric references decoding to
// control characters are shown as text.
func TestBodyCharacterReferences(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"&#27;[2J", "&amp;#27;[2J"},
		{"&#x1b;[2J", "&amp;#x1b;[2J"},
		{"&#X1B;[2J", "&amp;#X1B;[2J"},
		{"&#0027;[2J", "&amp;#0027;[2J"},
		{"&#27[2J", "&amp;#27[2J"},
		{"&#x9b;31m", "&amp;#x9b;31m"},
		{"&#155;31m", "&amp;#155;31m"},
		{"&#7;", "&amp;#7;"},
		{"&#0;", "&amp;#0;"},
		{"&#127;", "&amp;#127;"},
		{"&#x202e;", "&amp;#x202e;"},
		{"&#8238;", "&amp;#8238;"},
		{"&#x2066;", "&amp;#x2066;"},
		{"&#xd800;", "&amp;#xd800;"},
		{"&#x110000;", "&amp;#x110000;"},
		{"&#99999999999999999999;", "&amp;#99999999999999999999;"},
		{"&#x0000000000000001b;", "&amp;#x0000000000000001b;"},
		{"&#x0000000000000202e;", "&amp;#x0000000000000202e;"}, // leading zeros hide an RLO
		{"&#00000000000008238;", "&amp;#00000000000008238;"},
		{"&#x00000000000000000000000000000000001b;", "&amp;#x00000000000000000000000000000000001b;"},
		{"&#x1b;]52;c;ZWNobw==&#7;", "&amp;#x1b;]52;c;ZWNobw==&amp;#7;"},
		{"&&#27;", "&&amp;#27;"},
		{"`&#27;` in code", "`&amp;#27;` in code"},
		// Harmless references stay as written.
		{"&#233;t&#xE9;", "&#233;t&#xE9;"},
		{"&#x200d; &#8205;", "&#x200d; &#8205;"},
		{"&amp; &lt; &#38;", "&amp; &lt; &#38;"},
		{"AT&T & #27", "AT&T & #27"},
		{"&#;", "&#;"},
		{"&#x;", "&#x;"},
		{"ends with &#", "ends with &#"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ps := qaBody(t, tc.in+"\n")
			if got != tc.want+"\n" {
				t.Errorf("body = %q, want %q", got, tc.want+"\n")
			}
			warned := qaHas(ps, "a.md", qaBodyLine, store.Warning, "character reference")
			if want := tc.in != tc.want; warned != want {
				t.Errorf("warning = %v, want %v:\n%s", warned, want, qaProblemList(ps))
			}
		})
	}
}

// TestBodyLongLines checks that lines over MaxLineBytes are broken without
// losing text, and never inside a UTF-8 sequence.
func TestBodyLongLines(t *testing.T) {
	tests := []struct {
		name string
		line string
	}{
		{"at the limit", strings.Repeat("a", store.MaxLineBytes)},
		{"one over", strings.Repeat("a", store.MaxLineBytes+1)},
		{"ASCII, several times the limit", strings.Repeat("word ", 3*store.MaxLineBytes)},
		{"two-byte letters", strings.Repeat("ж", store.MaxLineBytes)},
		{"three-byte letters, off by one", "a" + strings.Repeat("中", store.MaxLineBytes)},
		{"four-byte letters, off by two", "ab" + strings.Repeat("\U0001F600", store.MaxLineBytes/2)},
		{"Arabic with harakat", strings.Repeat("تُوكَايِيف ", store.MaxLineBytes/4)},
		{"one megabyte", strings.Repeat("0123456789abcdef", 1<<16)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := "first\n" + tc.line + "\nlast\n"
			got, ps := qaBody(t, in)
			lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			for i, l := range lines {
				if len(l) > store.MaxLineBytes {
					t.Errorf("line %d is %d bytes, over %d", i, len(l), store.MaxLineBytes)
				}
				if !utf8.ValidString(l) {
					t.Errorf("line %d is broken inside a character", i)
				}
			}
			if joined := strings.ReplaceAll(got, "\n", ""); joined != strings.ReplaceAll(in, "\n", "") {
				t.Errorf("text lost or changed in breaking (%d bytes in, %d out)", len(in), len(joined))
			}
			long := len(tc.line) > store.MaxLineBytes
			if want := 3; !long && len(lines) != want {
				t.Errorf("a line within the limit was broken: %d lines", len(lines))
			}
			if warned := qaHas(ps, "a.md", qaBodyLine+1, store.Warning, "broken"); warned != long {
				t.Errorf("warning = %v, want %v:\n%s", warned, long, qaProblemList(ps))
			}
			// The lines after a broken one keep their numbers in warnings.
			if !strings.HasSuffix(got, "\nlast\n") {
				t.Errorf("the last line was changed: %q", got[max(0, len(got)-20):])
			}
		})
	}
}

// TestBodyNesting checks that quote and list nesting deeper than
// MaxNesting is flattened, keeping the text.
func TestBodyNesting(t *testing.T) {
	tests := []struct {
		name   string
		prefix func(n int) string
		marker string
	}{
		{"quotes with spaces", func(n int) string { return strings.Repeat("> ", n) }, ">"},
		{"quotes without spaces", func(n int) string { return strings.Repeat(">", n) + " " }, ">"},
		{"list items", func(n int) string { return strings.Repeat("- ", n) }, "-"},
		{"mixed", func(n int) string { return strings.Repeat("> - ", n/2) + strings.Repeat("> ", n%2) }, ""},
	}
	for _, tc := range tests {
		for _, n := range []int{1, store.MaxNesting, store.MaxNesting + 1, 100, 5000} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, n), func(t *testing.T) {
				got, ps := qaBody(t, tc.prefix(n)+"deep text\n")
				line := strings.TrimSuffix(got, "\n")
				if !strings.HasSuffix(line, "deep text") {
					t.Fatalf("text lost: %q", line[max(0, len(line)-40):])
				}
				markers := strings.Count(strings.TrimSuffix(line, "deep text"), ">") + strings.Count(strings.TrimSuffix(line, "deep text"), "-")
				if want := min(n, store.MaxNesting); markers != want {
					t.Errorf("%d levels kept, want %d", markers, want)
				}
				if warned := qaHas(ps, "a.md", qaBodyLine, store.Warning, "nested"); warned != (n > store.MaxNesting) {
					t.Errorf("warning = %v, want %v:\n%s", warned, n > store.MaxNesting, qaProblemList(ps))
				}
			})
		}
	}
}

// TestBodyTables checks that table rows wider than MaxTableColumns are cut
// to that width, with every cell's text kept.
func TestBodyTables(t *testing.T) {
	row := func(n int) string {
		cells := make([]string, n)
		for i := range cells {
			cells[i] = fmt.Sprintf("c%d", i)
		}
		return "| " + strings.Join(cells, " | ") + " |"
	}
	for _, n := range []int{2, store.MaxTableColumns, store.MaxTableColumns + 1, 100, 2000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			in := row(n)
			got, ps := qaBody(t, in+"\n")
			// A row over MaxLineBytes is also broken; look at it whole.
			line := strings.ReplaceAll(strings.TrimSuffix(got, "\n"), "\n", "")
			// Cells are separated by unescaped pipes; n columns have n+1.
			if cols := strings.Count(line, "|") - 1; cols > store.MaxTableColumns {
				t.Errorf("%d columns kept, want at most %d", cols, store.MaxTableColumns)
			}
			for i := range n {
				if !strings.Contains(line, fmt.Sprintf("c%d ", i)) {
					t.Errorf("cell c%d lost", i)
					break
				}
			}
			if n <= store.MaxTableColumns && line != in {
				t.Errorf("a row within the limit changed: %q", line)
			}
			if warned := qaHas(ps, "a.md", qaBodyLine, store.Warning, "columns"); warned != (n > store.MaxTableColumns) {
				t.Errorf("warning = %v, want %v:\n%s", warned, n > store.MaxTableColumns, qaProblemList(ps))
			}
		})
	}
}

// TestBodyWarningsOnlyWhenFull checks that a lazy load reads no body:
// body warnings come with Full, or from Body.
func TestBodyWarningsOnlyWhenFull(t *testing.T) {
	files := map[string]string{"a.md": qaValid + "\x1b[31m red &#27;\n"}
	lazy := qaLoadFiles(t, files, store.Options{})
	if len(lazy.Problems()) != 0 {
		t.Errorf("a lazy load reported body problems:\n%s", qaProblemList(lazy.Problems()))
	}
	full := qaLoadFiles(t, files, store.Options{Full: true})
	if !qaHas(full.Problems(), "a.md", 8, store.Warning, "U+001B") || !qaHas(full.Problems(), "a.md", 8, store.Warning, "character reference") {
		t.Errorf("a full load did not report the body:\n%s", qaProblemList(full.Problems()))
	}
	body, ps, err := lazy.Body(lazy.Briefings()[0])
	if err != nil || len(ps) != 2 || strings.ContainsRune(body, 0x1b) {
		t.Errorf("Body = %q, %v, %v", body, ps, err)
	}
}

// TestBodyChangedOnDisk checks that Body reports a file that changed into
// something unreadable after loading, rather than showing it.
func TestBodyChangedOnDisk(t *testing.T) {
	fsys := qaFS(map[string]string{"a.md": qaValid})
	c := qaLoad(t, fsys, store.Options{})
	b := c.Briefings()[0]
	fsys["a.md"].Data = []byte("no frontmatter now\n")
	if _, _, err := c.Body(b); err == nil || !strings.Contains(err.Error(), "a.md") {
		t.Errorf("Body of a broken file: err = %v, want one naming a.md", err)
	}
	delete(fsys, "a.md")
	if _, _, err := c.Body(b); err == nil || !strings.Contains(err.Error(), "a.md") {
		t.Errorf("Body of a removed file: err = %v, want one naming a.md", err)
	}
}

// qaBenchBody loads a briefing with the given body once and measures Body.
func qaBenchBody(b *testing.B, body string) {
	content := "---\n" + qaFields + "---\n" + body
	c := qaLoadFiles(b, map[string]string{"a.md": content}, store.Options{})
	if len(c.Briefings()) != 1 {
		b.Fatalf("not loaded:\n%s", qaProblemList(c.Problems()))
	}
	br := c.Briefings()[0]
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := c.Body(br); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBodyOneMegabyteLine cleans a body of one 1 MB line (with
// references and controls sprinkled in). It should take milliseconds.
func BenchmarkBodyOneMegabyteLine(b *testing.B) {
	qaBenchBody(b, strings.Repeat("text &#27; \x1b[2J ж ", 1<<20/20)+"\n")
}

// BenchmarkBodyNestedQuotes cleans 5,000 nested quotes on one line, and
// 2,000 lines each nested one deeper.
func BenchmarkBodyNestedQuotes(b *testing.B) {
	b.Run("one line", func(b *testing.B) {
		qaBenchBody(b, strings.Repeat("> ", 5000)+"deep\n")
	})
	b.Run("growing lines", func(b *testing.B) {
		var sb strings.Builder
		for i := range 2000 {
			sb.WriteString(strings.Repeat(">", i))
			sb.WriteString(" text\n")
		}
		qaBenchBody(b, sb.String())
	})
}

// BenchmarkBodyWideTable cleans a table of 200 rows of 1,000 columns.
func BenchmarkBodyWideTable(b *testing.B) {
	row := strings.Repeat("| x ", 1000) + "|\n"
	qaBenchBody(b, strings.Repeat(row, 200))
}
