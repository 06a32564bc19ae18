package sanitize

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

const (
	open8  = "\x1b]8;;"
	st     = "\x1b\\"
	close8 = "\x1b]8;;\x1b\\"
)

// link builds a hyperlink in the strict form, whatever its address.
func link(uri, text string) string { return open8 + uri + st + text + close8 }

func TestHyperlinkAllowed(t *testing.T) {
	tests := []struct {
		uri  string
		want bool
	}{
		{"https://example.org/a?b=c#d", true},
		{"http://example.org", true},
		{"HTTPS://EXAMPLE.ORG/X", true},
		{"mailto:press@example.org", true},
		{"https://example.org/a;b", true},
		{"https://example.org/%D0%BF%D1%83%D1%82%D1%8C", true},
		{"", false},
		{"javascript:alert(1)", false},
		{"JavaScript:alert(1)", false},
		{"file:///etc/passwd", false},
		{"data:text/html;base64,PHNjcmlwdD4=", false},
		{"vbscript:msgbox", false},
		{"ftp://example.org/", false},
		{"ssh://example.org/", false},
		{"//example.org/x", false},
		{"/relative/path", false},
		{"example.org", false},
		{"https:///no-host", false},
		{"https:example.org", false},
		{"mailto:", false},
		{"https://user:pass@example.org/", false},
		{"https://google.com@evil.example/", false},
		{"https://example.org/a b", false},
		{"https://example.org/\x1b[31m", false},
		{"https://example.org/\x07", false},
		{"https://example.org/\x7f", false},
		{"https://example.org/\u009c", false},
		{"https://example.org/\x9c", false},
		{"https://example.org/путь", false},
		{"https://exa\u202emple.org/", false},
		{"https://example.org/" + strings.Repeat("a", MaxHyperlinkURI), false},
		{"https://example.org/" + strings.Repeat("a", MaxHyperlinkURI-len("https://example.org/")), true},
	}
	for _, tc := range tests {
		if got := HyperlinkAllowed(tc.uri); got != tc.want {
			t.Errorf("HyperlinkAllowed(%q) = %v, want %v", tc.uri, got, tc.want)
		}
		h := Hyperlink(tc.uri, "text")
		if tc.want && h != link(tc.uri, "text") || !tc.want && h != "text" {
			t.Errorf("Hyperlink(%q) = %q", tc.uri, h)
		}
	}
}

// hyperlinks: each input, what TerminalWithLinks makes of it.
var hyperlinks = []struct {
	name, in, want string
}{
	{"https", "a " + link("https://example.org/x", "[1]") + " b", "a " + link("https://example.org/x", "[1]") + " b"},
	{"mailto", link("mailto:a@example.org", "mail"), link("mailto:a@example.org", "mail")},
	{"with an id", "\x1b]8;id=src-1;https://example.org/\x1b\\x" + close8, "\x1b]8;id=src-1;https://example.org/\x1b\\x" + close8},
	{"styled text inside", link("https://example.org/", "\x1b[1mbold\x1b[m"), link("https://example.org/", "\x1b[1mbold\x1b[m")},
	{"two links on a line", link("https://a.example/", "a") + " " + link("https://b.example/", "b"), link("https://a.example/", "a") + " " + link("https://b.example/", "b")},
	{"a second open switches the link", open8 + "https://a.example/" + st + "a" + open8 + "https://b.example/" + st + "b" + close8, open8 + "https://a.example/" + st + "a" + open8 + "https://b.example/" + st + "b" + close8},

	{"javascript", "a " + link("javascript:alert(1)", "x") + " b", "a x b"},
	{"file", link("file:///etc/passwd", "x"), "x"},
	{"data", link("data:text/html,<script>", "x"), "x"},
	{"user and password", link("https://google.com@evil.example/", "x"), "x"},
	{"space in the address", link("https://example.org/a b", "x"), "x"},
	{"outside ASCII", link("https://example.org/ü", "x"), "x"},
	{"too long", link("https://example.org/"+strings.Repeat("a", MaxHyperlinkURI), "x"), "x"},
	{"BEL inside the address", open8 + "https://example.org/\x07evil" + st + "x" + close8, "evilx"},
	{"DEL inside the address", open8 + "https://example.org/\x7f" + st + "x" + close8, "x"},
	{"C0 inside the address", open8 + "https://example.org/\x01" + st + "x" + close8, "x"},
	{"UTF-8 C1 inside the address", open8 + "https://example.org/\u0085x" + st + "y" + close8, "xy"},
	{"raw C1 ST inside the address", open8 + "https://example.org/\x9cx" + st + "y" + close8, "xy"},
	{"ESC [ inside the address", open8 + "https://example.org/\x1b[31mred" + st + "x" + close8, "\x1b[31mredx"},
	{"ESC ] inside the address", open8 + "https://a.example/\x1b]8;;https://b.example/" + st + "x" + close8, link("https://b.example/", "x")},
	{"ended by BEL", "\x1b]8;;https://example.org/\x07x\x1b]8;;\x07", "x"},
	{"ended by C1 ST", "\x1b]8;;https://example.org/\u009cx", "x"},
	{"ended by raw C1 ST", "\x1b]8;;https://example.org/\x9cx", "x"},
	{"C1 OSC introducer", "\u009d8;;https://example.org/\x1b\\x", "x"},
	{"raw C1 OSC introducer", "\x9d8;;https://example.org/\x1b\\x", "x"},
	{"unterminated at the end", "x" + open8 + "https://example.org/", "x"},
	{"never closed", open8 + "https://example.org/" + st + "x", open8 + "https://example.org/" + st + "x" + close8},
	{"open across a line", open8 + "https://example.org/" + st + "a\nb" + close8, open8 + "https://example.org/" + st + "a" + close8 + "\nb"},
	{"close with nothing open", "a" + close8 + "b", "ab"},
	{"close with an id", open8 + "https://example.org/" + st + "a\x1b]8;id=1;\x1b\\b", open8 + "https://example.org/" + st + "ab" + close8},
	{"other parameter", "\x1b]8;foo=bar;https://example.org/\x1b\\x", "x"},
	{"id with a colon", "\x1b]8;id=a:b;https://example.org/\x1b\\x", "x"},
	{"id too long", "\x1b]8;id=" + strings.Repeat("a", 65) + ";https://example.org/\x1b\\x", "x"},
	{"no address separator", "\x1b]8;https://example.org/\x1b\\x", "x"},
	{"OSC 80", "\x1b]80;;https://example.org/\x1b\\x", "x"},
	{"OSC 52 inside a link", link("https://example.org/", "a\x1b]52;c;ZXZpbA==\x07b"), link("https://example.org/", "ab")},
	{"OSC 52 ended by ST inside a link", link("https://example.org/", "a\x1b]52;c;ZXZpbA==\x1b\\b"), link("https://example.org/", "ab")},
	{"CSI inside a link", link("https://example.org/", "a\x1b[2Jb"), link("https://example.org/", "ab")},
	{"CAN inside", open8 + "https://example.org/\x18" + st + "x", "x"},
	{"ESC at the very end", open8 + "https://example.org/\x1b", ""},
}

func TestTerminalWithLinks(t *testing.T) {
	for _, tc := range hyperlinks {
		t.Run(tc.name, func(t *testing.T) {
			got := TerminalWithLinks(tc.in)
			if got != tc.want {
				t.Errorf("TerminalWithLinks(%q)\n = %q\nwant %q", tc.in, got, tc.want)
			}
			if (CheckWithLinks(tc.in) == nil) != (tc.in == got) {
				t.Errorf("CheckWithLinks(%q) = %v, output %q", tc.in, CheckWithLinks(tc.in), got)
			}
			checkLinks(t, tc.in, got)
			// without links, every OSC goes, as ever
			if strings.Contains(Terminal(tc.in), "\x1b]") || strings.Contains(Plain(tc.in), "\x1b") {
				t.Errorf("Terminal or Plain let an OSC through: %q", tc.in)
			}
			if Check(tc.in) == nil && strings.Contains(tc.in, "\x1b]") {
				t.Errorf("Check accepts %q", tc.in)
			}
		})
	}
}

var (
	osc8Form = regexp.MustCompile(`^\x1b\]8;(id=[A-Za-z0-9._-]{1,64})?;((?i:https?|mailto):[!-~]*)?\x1b\\$`)
	anyOSC   = regexp.MustCompile(`\x1b\][^\x1b\x07]*(?:\x1b\\|\x07)?`)
)

// checkLinks checks the properties of out = TerminalWithLinks(in): safe by
// CheckWithLinks, idempotent, the same as Terminal once the links are
// taken out, every OSC an allowed hyperlink, every line opening and closing
// its own links, the same through a Writer in pieces.
func checkLinks(t *testing.T, in, out string) {
	t.Helper()
	if err := CheckWithLinks(out); err != nil {
		t.Fatalf("CheckWithLinks(TerminalWithLinks(%q)) = %v", in, err)
	}
	if again := TerminalWithLinks(out); again != out {
		t.Fatalf("not idempotent on %q: %q then %q", in, out, again)
	}
	if !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8 from %q: %q", in, out)
	}
	if bare := anyOSC.ReplaceAllString(out, ""); bare != Terminal(in) {
		t.Fatalf("%q without its links is %q, Terminal gives %q", in, bare, Terminal(in))
	}
	if ansi.Strip(out) != Plain(in) {
		t.Fatalf("%q: text %q differs from Plain %q", in, ansi.Strip(out), Plain(in))
	}
	for _, line := range strings.Split(out, "\n") {
		open := false
		for _, seq := range anyOSC.FindAllString(line, -1) {
			m := osc8Form.FindStringSubmatch(seq)
			if m == nil {
				t.Fatalf("%q: OSC %q is not a strict hyperlink", in, seq)
			}
			if m[2] != "" && !HyperlinkAllowed(m[2]) {
				t.Fatalf("%q: hyperlink to %q", in, m[2])
			}
			if m[2] == "" && (!open || m[1] != "") {
				t.Fatalf("%q: close %q with nothing open", in, seq)
			}
			open = m[2] != ""
		}
		if open {
			t.Fatalf("%q: line %q leaves a link open", in, line)
		}
	}
	if len(in) < 4096 {
		for _, size := range []int{1, 2, 3, 7, 4096} {
			var sb strings.Builder
			w := NewLinkWriter(&sb)
			for i := 0; i < len(in); i += size {
				if _, err := w.Write([]byte(in[i:min(i+size, len(in))])); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if sb.String() != out {
				t.Fatalf("link Writer in %d-byte writes of %q = %q, want %q", size, in, sb.String(), out)
			}
		}
	}
}

// Hostile inputs of every kind keep their Terminal behaviour under
// TerminalWithLinks, bar allowed links.
func TestTerminalWithLinksHostile(t *testing.T) {
	for _, tc := range hostile {
		out := TerminalWithLinks(tc.in)
		checkLinks(t, tc.in, out)
		if out != Terminal(tc.in) && !strings.Contains(tc.in, "\x1b]8;") {
			t.Errorf("%s: TerminalWithLinks %q, Terminal %q", tc.name, out, Terminal(tc.in))
		}
	}
}

func TestCheckWithLinksOffsets(t *testing.T) {
	tests := []struct {
		in     string
		offset int
	}{
		{"ab" + link("javascript:x", "y"), 2},
		{"ab" + close8, 2},
		{"ab" + open8 + "https://example.org/" + st + "x\ny", 30},
		{"ab" + open8 + "https://example.org/" + st + "x", 30},
		{"ab\x1b]8;;https://example.org/\x07", 2},
	}
	for _, tc := range tests {
		err := CheckWithLinks(tc.in)
		ue, ok := err.(*UnsafeError)
		if !ok || ue.Offset != tc.offset {
			t.Errorf("CheckWithLinks(%q) = %v, want offset %d", tc.in, err, tc.offset)
		}
	}
}

func FuzzTerminalWithLinks(f *testing.F) {
	for _, tc := range hyperlinks {
		f.Add(tc.in)
	}
	for _, tc := range hostile {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, x string) {
		checkLinks(t, x, TerminalWithLinks(x))
	})
}
