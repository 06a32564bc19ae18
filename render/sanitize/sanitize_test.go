package sanitize

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/styles"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// hostile inputs: each must be rejected by Check, and the words around the
// attack must survive Terminal, Plain and Line.
var hostile = []struct {
	name   string
	in     string
	want   string   // exact Terminal output, if not empty
	keep   []string // must be in the output
	gone   []string // must not be in the output
	noLine bool     // Line output differs in layout (do not check keep there)
}{
	{name: "CSI clear screen", in: "before\x1b[2Jafter", want: "beforeafter"},
	{name: "CSI clear scrollback", in: "before\x1b[3J\x1b[Hafter", want: "beforeafter"},
	{name: "cursor position", in: "before\x1b[10;20Hafter", want: "beforeafter"},
	{name: "cursor up", in: "before\x1b[Aafter\x1b[5Bx", want: "beforeafterx"},
	{name: "cursor forward/back", in: "before\x1b[5C\x1b[99Dafter", want: "beforeafter"},
	{name: "erase line", in: "before\x1b[2K\x1b[1Kafter", want: "beforeafter"},
	{name: "save restore cursor CSI", in: "before\x1b[s\x1b[uafter", want: "beforeafter"},
	{name: "hide cursor private mode", in: "before\x1b[?25lafter", want: "beforeafter"},
	{name: "alt screen", in: "before\x1b[?1049hafter", want: "beforeafter"},
	{name: "mouse tracking", in: "before\x1b[?1000;1006hafter", want: "beforeafter"},
	{name: "scroll region", in: "before\x1b[1;5rafter", want: "beforeafter"},
	{name: "modifyOtherKeys looks like SGR", in: "before\x1b[>4;2mafter", want: "beforeafter"},
	{name: "OSC 52 BEL", in: "before\x1b]52;c;cm0gLXJmIH4=\aafter", want: "beforeafter", gone: []string{"cm0gLXJmIH4"}},
	{name: "OSC 52 ST", in: "before\x1b]52;c;cm0gLXJmIH4=\x1b\\after", want: "beforeafter", gone: []string{"cm0gLXJmIH4"}},
	{name: "OSC 52 C1 ST", in: "before\x1b]52;c;cm0gLXJmIH4=\u009cafter", want: "beforeafter", gone: []string{"cm0gLXJmIH4"}},
	{name: "OSC 52 raw C1 ST", in: "before\x1b]52;c;cm0gLXJmIH4=\x9cafter", want: "beforeafter", gone: []string{"cm0gLXJmIH4"}},
	{name: "OSC 52 query", in: "before\x1b]52;c;?\aafter", want: "beforeafter"},
	{name: "OSC 0 title", in: "before\x1b]0;pwned title\aafter", want: "beforeafter", gone: []string{"pwned"}},
	{name: "OSC 2 title ST", in: "before\x1b]2;pwned title\x1b\\after", want: "beforeafter", gone: []string{"pwned"}},
	{name: "OSC 1 icon", in: "before\x1b]1;pwned\aafter", want: "beforeafter", gone: []string{"pwned"}},
	{
		name: "OSC 8 hyperlink ST",
		in:   "see \x1b]8;;https://evil.example/x\x1b\\the link\x1b]8;;\x1b\\ here",
		want: "see the link here", gone: []string{"evil", "https"},
	},
	{
		name: "OSC 8 hyperlink BEL with id",
		in:   "see \x1b]8;id=1;https://evil.example/x\athe link\x1b]8;;\a here",
		want: "see the link here", gone: []string{"evil"},
	},
	{name: "OSC 10 fg query", in: "before\x1b]10;?\aafter", want: "beforeafter"},
	{name: "OSC 11 bg query", in: "before\x1b]11;?\x1b\\after", want: "beforeafter"},
	{name: "OSC 4 palette set", in: "before\x1b]4;1;rgb:ff/00/00\aafter", want: "beforeafter", gone: []string{"rgb"}},
	{name: "OSC 50 font query", in: "before\x1b]50;?\aafter", want: "beforeafter"},
	{name: "OSC 50 font set", in: "before\x1b]50;#+1\x1b\\after", want: "beforeafter"},
	{name: "OSC 7 cwd", in: "before\x1b]7;file://host/etc\aafter", want: "beforeafter", gone: []string{"file:"}},
	{name: "OSC unterminated eats to end", in: "before\x1b]0;pwned", want: "before", gone: []string{"pwned"}},
	{name: "DCS DECRQSS", in: "before\x1bP$qm\x1b\\after", want: "beforeafter"},
	{name: "DCS DECRQSS quoted", in: "before\x1bP$q\"p\x1b\\after", want: "beforeafter"},
	{name: "DCS XTGETTCAP", in: "before\x1bP+q544e\x1b\\after", want: "beforeafter", gone: []string{"544e"}},
	{name: "DCS BEL is payload", in: "before\x1bPpayload\apayload2\x1b\\after", want: "beforeafter", gone: []string{"payload"}},
	{name: "APC", in: "before\x1b_Gf=100;AAAA\x1b\\after", want: "beforeafter", gone: []string{"AAAA"}},
	{name: "PM", in: "before\x1b^secret\x1b\\after", want: "beforeafter", gone: []string{"secret"}},
	{name: "SOS", in: "before\x1bXsecret\x1b\\after", want: "beforeafter", gone: []string{"secret"}},
	{name: "ENQ answerback", in: "before\x05after", want: "beforeafter"},
	{name: "DA primary", in: "before\x1b[cafter", want: "beforeafter"},
	{name: "DA primary 0", in: "before\x1b[0cafter", want: "beforeafter"},
	{name: "DA secondary", in: "before\x1b[>cafter", want: "beforeafter"},
	{name: "DSR cursor position", in: "before\x1b[6nafter", want: "beforeafter"},
	{name: "DSR status", in: "before\x1b[5nafter", want: "beforeafter"},
	{name: "DECRQM", in: "before\x1b[?2026$pafter", want: "beforeafter"},
	{name: "window ops", in: "before\x1b[21tafter\x1b[8;1;1t", want: "beforeafter"},
	{name: "ESC 7 and ESC 8", in: "before\x1b7\x1b8after", want: "beforeafter"},
	{name: "ESC c reset", in: "before\x1bcafter", want: "beforeafter"},
	{name: "ESC D and ESC M", in: "before\x1bD\x1bMafter", want: "beforeafter"},
	{name: "ESC E NEL", in: "before\x1bEafter", want: "beforeafter"},
	{name: "ESC charset", in: "before\x1b(0after\x1b(B", want: "beforeafter"},
	{name: "ESC # 8 DECALN", in: "before\x1b#8after", want: "beforeafter"},
	{name: "ESC keypad", in: "before\x1b=\x1b>after", want: "beforeafter"},
	{name: "stray ESC at end", in: "before\x1b", want: "before"},
	{name: "ESC ESC", in: "before\x1b\x1b[2Jafter", want: "beforeafter"},
	{name: "CAN aborts", in: "before\x1b[2\x18after", want: "beforeafter"},
	{name: "SUB aborts OSC", in: "before\x1b]0;t\x1aafter", want: "beforeafter"},
	{name: "C1 CSI as UTF-8", in: "before\u009b2Jafter", want: "beforeafter"},
	{name: "C1 CSI SGR as UTF-8 dropped", in: "before\u009b31mafter", want: "beforeafter"},
	{name: "C1 OSC as UTF-8", in: "before\u009d0;pwned\aafter", want: "beforeafter", gone: []string{"pwned"}},
	{name: "C1 OSC as UTF-8 with C1 ST", in: "before\u009d52;c;QUJD\u009cafter", want: "beforeafter", gone: []string{"QUJD"}},
	{name: "C1 DCS as UTF-8", in: "before\u0090$qm\u009cafter", want: "beforeafter"},
	{name: "C1 APC as UTF-8", in: "before\u009fpayload\u009cafter", want: "beforeafter", gone: []string{"payload"}},
	{name: "C1 NEL as UTF-8", in: "before\u0085after", want: "beforeafter"},
	{name: "C1 IND RI HTS as UTF-8", in: "before\u0084\u008d\u0088after", want: "beforeafter"},
	{name: "C1 SS2 SS3 as UTF-8", in: "before\u008e\u008fafter", want: "beforeafter"},
	{name: "raw C1 CSI", in: "before\x9b2Jafter", want: "beforeafter"},
	{name: "raw C1 OSC", in: "before\x9d0;pwned\aafter", want: "beforeafter", gone: []string{"pwned"}},
	{name: "raw C1 DCS", in: "before\x90$qm\x9cafter", want: "beforeafter"},
	{name: "raw C1 NEL", in: "before\x85after", want: "beforeafter"},
	{name: "raw C1 all", in: "before\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x91\x92\x93\x94\x95\x96\x97\x99\x9a\x9cafter", want: "beforeafter"},
	{name: "C1 aborts CSI", in: "before\x1b[2\u0085after", want: "beforeafter"},
	{name: "raw 8-bit Latin-1", in: "caf\xe9 ok", want: "caf\ufffd ok", keep: []string{"caf", " ok"}},
	{name: "invalid UTF-8 bytes", in: "a\xff\xfeb", want: "a\ufffd\ufffdb"},
	{name: "overlong slash", in: "a\xc0\xafb", want: "a\ufffd\ufffdb"},
	{name: "UTF-16 surrogate", in: "a\xed\xa0\x80b", want: "a\ufffd\ufffdb"}, // 0x80 is a raw C1
	{name: "truncated UTF-8 at end", in: "end\xe2\x82", want: "end\ufffd"},
	{name: "CR overwrite", in: "safe\rEVIL", want: "safeEVIL"},
	{name: "CRLF", in: "line1\r\nline2", want: "line1\nline2", noLine: true},
	{name: "BS overwrite", in: "public\b\b\b\b\b\bsecret", want: "publicsecret"},
	{name: "SO SI charset", in: "before\x0eqqq\x0fafter", want: "beforeqqqafter"},
	{name: "BEL", in: "before\aafter", want: "beforeafter"},
	{name: "DEL", in: "before\x7fafter", want: "beforeafter"},
	{name: "VT FF NUL", in: "before\v\f\x00after", want: "beforeafter"},
	{name: "all C0", in: "before\x01\x02\x03\x04\x06\x10\x11\x12\x13\x14\x15\x16\x17\x19\x1c\x1d\x1e\x1fafter", want: "beforeafter"},
	{name: "SGR conceal", in: "before\x1b[8mhidden\x1b[28mafter", want: "beforehiddenafter"},
	{name: "SGR bold conceal", in: "before\x1b[1;8mhidden\x1b[0mafter", want: "before\x1b[1mhidden\x1b[0mafter"},
	{name: "SGR blink", in: "before\x1b[5;31mx\x1b[6mafter\x1b[25m", want: "before\x1b[31mxafter"},
	{name: "SGR font", in: "before\x1b[11mafter\x1b[10m", want: "beforeafter"},
	{name: "SGR C0 inside", in: "before\x1b[1\r;4mafter", want: "before\x1b[1;4mafter"},
	{name: "U+2028", in: "before\u2028after\u2029x", want: "before\nafter\nx", noLine: true},
	{name: "tab", in: "before\tafter", want: "before  after"},
	{name: "entity-decoded attack", in: "~~\x1b[31mX~~ \x1b]52;c;ZWNobyBoaQ==\a", want: "~~\x1b[31mX~~ "},
}

func TestHostile(t *testing.T) {
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			if err := Check(tc.in); err == nil {
				t.Errorf("Check(%q) = nil, want an error", tc.in)
			} else if Check(err.Error()) != nil {
				t.Errorf("Check's error message is not safe: %q", err.Error())
			}
			outs := map[string]string{
				"Terminal": Terminal(tc.in),
				"Plain":    Plain(tc.in),
				"Line":     Line(tc.in),
			}
			if tc.want != "" && outs["Terminal"] != tc.want {
				t.Errorf("Terminal(%q) = %q, want %q", tc.in, outs["Terminal"], tc.want)
			}
			keep := tc.keep
			if len(keep) == 0 {
				keep = []string{"before", "after"}
				if !strings.Contains(tc.in, "before") {
					keep = nil
				}
				if strings.Contains(tc.in, "before") && !strings.Contains(tc.in, "after") {
					keep = []string{"before"}
				}
			}
			for name, out := range outs {
				if err := Check(out); err != nil {
					t.Errorf("Check(%s(%q)) = %v", name, tc.in, err)
				}
				for _, w := range keep {
					if name == "Line" && tc.noLine {
						continue
					}
					if !strings.Contains(out, w) {
						t.Errorf("%s(%q) = %q lost %q", name, tc.in, out, w)
					}
				}
				for _, w := range tc.gone {
					if strings.Contains(out, w) {
						t.Errorf("%s(%q) = %q kept %q", name, tc.in, out, w)
					}
				}
				if name != "Terminal" && strings.Contains(out, "\x1b") {
					t.Errorf("%s(%q) = %q has ESC", name, tc.in, out)
				}
				if name == "Line" && strings.ContainsAny(out, "\n\t") {
					t.Errorf("Line(%q) = %q has a newline or tab", tc.in, out)
				}
				if !utf8.ValidString(out) {
					t.Errorf("%s(%q) = %q is not valid UTF-8", name, tc.in, out)
				}
			}
		})
	}
}

func TestSGR(t *testing.T) {
	ones := strings.TrimSuffix(strings.Repeat("1;", 32), ";")
	tests := []struct{ in, want string }{
		{"\x1b[m", "\x1b[m"},
		{"\x1b[0m", "\x1b[0m"},
		{"\x1b[;1m", "\x1b[;1m"},
		{"\x1b[01;031m", "\x1b[01;031m"},
		{"\x1b[1;2;3;4;7;9m", "\x1b[1;2;3;4;7;9m"},
		{"\x1b[21;22;23;24;27;29m", "\x1b[21;22;23;24;27;29m"},
		{"\x1b[30;37;39;40;47;49;90;97;100;107m", "\x1b[30;37;39;40;47;49;90;97;100;107m"},
		{"\x1b[53;55m", "\x1b[53;55m"},
		{"\x1b[38;5;196;48;5;0m", "\x1b[38;5;196;48;5;0m"},
		{"\x1b[38;2;255;0;128;48;2;0;0;0m", "\x1b[38;2;255;0;128;48;2;0;0;0m"},
		{"\x1b[1;8m", "\x1b[1m"},
		{"\x1b[5m", ""},
		{"\x1b[6m", ""},
		{"\x1b[8m", ""},
		{"\x1b[28m", ""},
		{"\x1b[10m\x1b[20m", ""},
		{"\x1b[0;5m", "\x1b[0m"},
		{"\x1b[01;05;031m", "\x1b[1;31m"},
		{"\x1b[;5m", "\x1b[0m"},
		{"\x1b[4:3m", ""},
		{"\x1b[1;4:3m", "\x1b[1m"},
		{"\x1b[38:2::255:0:0m", ""},
		{"\x1b[1;38:5:196;3m", "\x1b[1;3m"},
		{"\x1b[58;5;1;1m", "\x1b[1m"},
		{"\x1b[58;2;1;2;3;4m", "\x1b[4m"},
		{"\x1b[38;5;256m", ""},
		{"\x1b[1;38;5;300m", ""},
		{"\x1b[38;2;1;2;256m", ""},
		{"\x1b[38;2;1;2m", ""},
		{"\x1b[38;5m", ""},
		{"\x1b[38m", ""},
		{"\x1b[38;3;1;2;3m", ""},
		{"\x1b[48;1m", ""},
		{"\x1b[" + ones + "m", "\x1b[" + ones + "m"},
		{"\x1b[" + ones + ";1m", ""},
		{"\x1b[123456m", ""},
		{"\x1b[00001m", "\x1b[00001m"},
		{"\x1b[99999999999999999999m", ""},
		{"\x1b[" + strings.Repeat("1", 10000) + "m", ""},
		{"\x1b[?1m", ""},
		{"\x1b[1 m", ""},
		{"\x1b[1\x07m", "\x1b[1m"},
		{"\x1b[1\x7fm", "\x1b[1m"},
		{"\u009b1m", ""},
		{"\x9b1m", ""},
		{"\x1b[1", ""},
	}
	for _, tc := range tests {
		got := Terminal(tc.in)
		if got != tc.want {
			t.Errorf("Terminal(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if (Check(tc.in) == nil) != (tc.in == tc.want) {
			t.Errorf("Check(%q) = %v, but Terminal gives %q", tc.in, Check(tc.in), got)
		}
		if p := Plain(tc.in); p != "" {
			t.Errorf("Plain(%q) = %q, want \"\"", tc.in, p)
		}
	}
}

func TestText(t *testing.T) {
	keep := []struct{ name, in string }{
		{"ascii", "Hello, world! ~`{}|"},
		{"Arabic", "بيان وزارة الخارجية بشأن المفاوضات"},
		{"Arabic harakat", "السَّلَامُ عَلَيْكُمْ"},
		{"Persian ZWNJ", "می\u200cخواهم نامه\u200cها را بخوانم"},
		{"Cyrillic", "Министерство иностранных дел Российской Федерации"},
		{"Greek", "Υπουργείο Εξωτερικών"},
		{"Chinese", "外交部发言人"},
		{"emoji", "🇺🇳 👩‍💼 ❤️"},
		{"combining", "e\u0301 a\u0308 n\u0303"},
		{"bidi controls kept", "\u202eabc\u202c \u2067x\u2069 \u200e\u200f"},
		{"zero width kept", "a\u200bb\u200dc\ufeffd"},
		{"private use", "\ue000\ue001"},
		{"NBSP and soft hyphen", "a\u00a0b\u00adc"},
		{"newlines", "a\n\nb\n"},
		{"replacement char", "\ufffd"},
		{"empty", ""},
	}
	for _, tc := range keep {
		t.Run(tc.name, func(t *testing.T) {
			for name, fn := range map[string]func(string) string{"Terminal": Terminal, "Plain": Plain} {
				if got := fn(tc.in); got != tc.in {
					t.Errorf("%s(%q) = %q, want it unchanged", name, tc.in, got)
				}
			}
			if err := Check(tc.in); err != nil {
				t.Errorf("Check(%q) = %v", tc.in, err)
			}
			if want := strings.ReplaceAll(tc.in, "\n", " "); Line(tc.in) != want {
				t.Errorf("Line(%q) = %q, want %q", tc.in, Line(tc.in), want)
			}
		})
	}
}

func TestCombiningMarks(t *testing.T) {
	s := "before a" + strings.Repeat("\u0301", 500) + " after"
	if got := Terminal(s); got != s {
		t.Errorf("Terminal changed 500 combining marks")
	}
	// and linear: a megabyte of marks on one letter, with tabs after it
	big := "a" + strings.Repeat("\u0301", 1<<19) + "\tx\t"
	start := time.Now()
	out := Terminal(big)
	if d := time.Since(start); d > slow*time.Second {
		t.Errorf("Terminal on 1 MB of combining marks took %v", d)
	}
	if want := "a" + strings.Repeat("\u0301", 1<<19) + "       x       "; out != want {
		t.Errorf("tab after combining marks: got a tail of %q", out[len(out)-20:])
	}
	start = time.Now()
	var buf bytes.Buffer
	w := NewWriter(&buf, true)
	for i := 0; i < len(big); i += 7 {
		_, _ = w.Write([]byte(big[i:min(i+7, len(big))]))
	}
	_ = w.Flush()
	if d := time.Since(start); d > slow*2*time.Second {
		t.Errorf("Writer on 1 MB of combining marks in 7-byte writes took %v", d)
	}
	if buf.String() != out {
		t.Errorf("Writer and Terminal differ on 1 MB of combining marks")
	}
}

func TestTabs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\tx", "        x"},
		{"a\tb", "a       b"},
		{"abcdefg\th", "abcdefg h"},
		{"abcdefgh\ti", "abcdefgh        i"},
		{"a\t\tb", "a               b"},
		{"abc\n\tx", "abc\n        x"},
		{"\x1b[1mab\x1b[m\tc", "\x1b[1mab\x1b[m      c"},
		{"\x1b]0;title\aab\tc", "ab      c"},
		{"日本\tx", "日本    x"},
		{"e\u0301\tx", "e\u0301       x"},
		{"Мир\tx", "Мир     x"},
		{"سلام\tx", "سلام    x"},
		{"👩‍💼\tx", "👩‍💼      x"},
		{"ab\rc\td", "abc     d"},
		{"a\u2028\tb", "a\n        b"},
	}
	for _, tc := range tests {
		if got := Terminal(tc.in); got != tc.want {
			t.Errorf("Terminal(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got, want := Plain(tc.in), ansi.Strip(tc.want); got != want {
			t.Errorf("Plain(%q) = %q, want %q", tc.in, got, want)
		}
		// the expanded tab reaches a multiple of 8 columns
		for _, line := range strings.Split(Terminal(tc.in), "\n") {
			if i := strings.LastIndex(line, "  "); i >= 0 && strings.ContainsRune(tc.in, '\t') {
				if w := ansi.StringWidth(line[:i+2]); w%8 != 0 {
					t.Errorf("Terminal(%q): tab ends at column %d", tc.in, w)
				}
			}
		}
	}
	if got := Line("a\tb\nc\u2029d"); got != "a b c d" {
		t.Errorf("Line = %q", got)
	}
}

func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Title\x1b]0;pwned\a", "Title"},
		{"two\nlines", "two lines"},
		{"a\r\nb", "a b"},
		{"tab\there", "tab here"},
		{"\x1b[1mbold\x1b[0m", "bold"},
		{"x\u0085y", "xy"},
		{"ok", "ok"},
	}
	for _, tc := range tests {
		if got := Line(tc.in); got != tc.want {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLongLine(t *testing.T) {
	const size = 1 << 20
	inputs := map[string]string{
		"text":              strings.Repeat("words and ", size/10),
		"Arabic":            strings.Repeat("سلام ", size/9),
		"styled":            strings.Repeat("\x1b[38;5;252mword\x1b[0m\x1b[38;5;252m \x1b[0m", size/40),
		"hostile CSI":       strings.Repeat("a\x1b[2J", size/5),
		"hostile SGR":       strings.Repeat("a\x1b[1;5;8m", size/10),
		"unterminated CSI":  "\x1b[" + strings.Repeat("1;", size/2),
		"unterminated OSC":  "\x1b]0;" + strings.Repeat("x", size),
		"tabs":              strings.Repeat("a\t", size/2),
		"controls":          strings.Repeat("\r\b\a", size/3),
		"invalid UTF-8":     strings.Repeat("\xff", size),
		"raw C1":            strings.Repeat("\x85", size),
		"ESC runs":          strings.Repeat("\x1b", size),
		"combining and tab": "a" + strings.Repeat("\u0301", size/2) + "\t",
	}
	for name, in := range inputs {
		for fname, fn := range map[string]func(string) string{"Terminal": Terminal, "Plain": Plain, "Line": Line, "Compact": Compact} {
			start := time.Now()
			out := fn(in)
			d := time.Since(start)
			// The figure in the brief is well under 100 ms; leave room for
			// -race and loaded machines, but catch anything quadratic.
			if d > slow*2*time.Second {
				t.Errorf("%s on 1 MB %s took %v", fname, name, d)
			}
			if testing.Verbose() && fname == "Terminal" {
				t.Logf("%s on 1 MB %s: %v", fname, name, d)
			}
			if err := Check(out); err != nil {
				t.Errorf("%s on %s: %v", fname, name, err)
			}
		}
	}
}

func TestCheck(t *testing.T) {
	ok := []string{"", "plain", "a\nb", "\x1b[1mbold\x1b[m", "\x1b[38;2;1;2;3mx", "عربى", "\x1b[m", "\x1b[;m"}
	for _, s := range ok {
		if err := Check(s); err != nil {
			t.Errorf("Check(%q) = %v", s, err)
		}
	}
	bad := []struct {
		in     string
		offset int
	}{
		{"ab\x1b[2J", 2},
		{"ab\tc", 2},
		{"ab\rc", 2},
		{"ab\x1b[1;8m", 2},
		{"ab\x1b", 2},
		{"ab\u009b", 2},
		{"ab\x9b", 2},
		{"ab\xff", 2},
		{"ab\u2028", 2},
		{"ab\x1b]0;x\a", 2},
		{"\x1b[1mab\x1b[5m", 6},
	}
	for _, tc := range bad {
		err := Check(tc.in)
		var ue *UnsafeError
		if !errors.As(err, &ue) {
			t.Errorf("Check(%q) = %v, want an *UnsafeError", tc.in, err)
			continue
		}
		if ue.Offset != tc.offset {
			t.Errorf("Check(%q) offset %d, want %d (%v)", tc.in, ue.Offset, tc.offset, err)
		}
		if Check(err.Error()) != nil {
			t.Errorf("Check(%q) error is not safe to print: %q", tc.in, err.Error())
		}
	}
	for _, tc := range hostile {
		if Check(tc.in) == nil {
			t.Errorf("Check accepts hostile %s", tc.name)
		}
		for _, out := range []string{Terminal(tc.in), Plain(tc.in), Line(tc.in), Compact(tc.in)} {
			if err := Check(out); err != nil {
				t.Errorf("Check rejects output for %s: %v", tc.name, err)
			}
		}
	}
}

// Terminal returns its input itself when nothing changes.
func TestNoCopy(t *testing.T) {
	s := strings.Repeat("clean \x1b[1mtext\x1b[m\n", 100)
	if n := testing.AllocsPerRun(10, func() { _ = Terminal(s) }); n != 0 {
		t.Errorf("Terminal on clean input allocates %v times", n)
	}
}

func writeChunks(t *testing.T, in string, allowSGR bool, size int) string {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, allowSGR)
	for i := 0; i < len(in); i += size {
		p := []byte(in[i:min(i+size, len(in))])
		n, err := w.Write(p)
		if err != nil || n != len(p) {
			t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(p))
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	return buf.String()
}

func TestWriter(t *testing.T) {
	inputs := []string{
		"plain text\n",
		"€ split: \xe2\x82\xac and 👩‍💼 and e\u0301\tx",
		"\x1b[38;5;252mstyled\x1b[0m \x1b[1;8mbold\x1b[m\ttab",
		strings.Repeat("a\tbc\tdef\t日\t\n", 10),
		"a" + strings.Repeat("\u0301", 5000) + "\tx",
	}
	for _, tc := range hostile {
		inputs = append(inputs, tc.in)
	}
	for _, in := range inputs {
		for _, sgr := range []bool{true, false} {
			want := Terminal(in)
			if !sgr {
				want = Plain(in)
			}
			for _, size := range []int{1, 2, 3, 5, 7, 4096} {
				if got := writeChunks(t, in, sgr, size); got != want {
					t.Errorf("Writer(sgr=%v) in %d-byte writes of %q = %q, want %q", sgr, size, in, got, want)
				}
			}
		}
	}

	// an incomplete tail is held back until Flush
	var buf bytes.Buffer
	w := NewWriter(&buf, true)
	_, _ = w.Write([]byte("ab\xe2\x82"))
	if buf.String() != "ab" {
		t.Errorf("before Flush: %q", buf.String())
	}
	_ = w.Flush()
	if buf.String() != "ab\ufffd" {
		t.Errorf("after Flush: %q", buf.String())
	}
	// Flush drops an open sequence; what follows is text
	buf.Reset()
	_, _ = w.Write([]byte("x\x1b]0;ti"))
	_ = w.Close()
	_, _ = w.Write([]byte("tle\ay"))
	_ = w.Flush()
	if buf.String() != "xtley" {
		t.Errorf("Flush in an OSC: %q", buf.String())
	}
	if Check(buf.String()) != nil {
		t.Errorf("unsafe after Flush: %q", buf.String())
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestWriterError(t *testing.T) {
	w := NewWriter(failWriter{}, false)
	if n, err := w.Write([]byte("x")); err == nil || n != 0 {
		t.Errorf("Write = %d, %v; want 0 and the error", n, err)
	}
	if n, err := w.Write([]byte("\x1b")); err != nil || n != 1 {
		t.Errorf("Write of nothing to pass = %d, %v", n, err)
	}
}

// ---- Compact ----

// cellStyle is a terminal cell's graphic rendition, for the grid model.
type cellStyle struct {
	fg, bg                                         string
	bold, faint, italic, reverse, strike, overline bool
	ul                                             int
}

type cell struct {
	text string
	st   cellStyle
}

// applyModel applies SGR parameters the way xterm and VTE do. It is written
// separately from the package's own model on purpose.
func applyModel(st cellStyle, params string) cellStyle {
	ps := strings.Split(params, ";")
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		if s == "" || err != nil {
			return 0
		}
		return n
	}
	for i := 0; i < len(ps); i++ {
		switch v := num(ps[i]); {
		case v == 0:
			st = cellStyle{}
		case v == 1:
			st.bold = true
		case v == 2:
			st.faint = true
		case v == 3:
			st.italic = true
		case v == 4:
			st.ul = 1
		case v == 21:
			st.ul = 2
		case v == 7:
			st.reverse = true
		case v == 9:
			st.strike = true
		case v == 22:
			st.bold, st.faint = false, false
		case v == 23:
			st.italic = false
		case v == 24:
			st.ul = 0
		case v == 27:
			st.reverse = false
		case v == 29:
			st.strike = false
		case v == 53:
			st.overline = true
		case v == 55:
			st.overline = false
		case v >= 30 && v <= 37, v >= 90 && v <= 97:
			st.fg = "c" + ps[i]
		case v == 39:
			st.fg = ""
		case v >= 40 && v <= 47, v >= 100 && v <= 107:
			st.bg = "c" + strconv.Itoa(v-10)
		case v == 49:
			st.bg = ""
		case v == 38 || v == 48:
			var c string
			if num(ps[i+1]) == 5 {
				c = "i" + strconv.Itoa(num(ps[i+2]))
				i += 2
			} else {
				c = fmt.Sprintf("rgb%d,%d,%d", num(ps[i+2]), num(ps[i+3]), num(ps[i+4]))
				i += 4
			}
			if v == 38 {
				st.fg = c
			} else {
				st.bg = c
			}
		}
	}
	return st
}

// attaches reports whether a terminal draws r in the cell before it.
func attaches(r rune) bool {
	return r >= 0x80 && (unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc, unicode.Cf) || unicode.Is(unicode.Variation_Selector, r))
}

// grid interprets text and SGR (Terminal output) into lines of cells, as a
// terminal would show them: a space that shows only its background keeps
// only that, and blank cells on the default background at the end of a
// line are left out.
func grid(s string) [][]cell {
	var lines [][]cell
	var line []cell
	var st cellStyle
	end := -1 // where the text of the last cell ends in s, if it is a slice of s
	for i := 0; i < len(s); {
		switch s[i] {
		case 0x1b:
			j := i + strings.IndexByte(s[i:], 'm')
			st = applyModel(st, s[i+2:j])
			i = j + 1
		case '\n':
			lines = append(lines, line)
			line = nil
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case !attaches(r) || len(line) == 0:
				if line == nil {
					line = make([]cell, 0, 16)
				}
				line = append(line, cell{s[i : i+n], st})
				end = i + n
			case end == i: // right after its base: extend the slice of s
				c := &line[len(line)-1]
				c.text = s[i-len(c.text) : i+n]
				end = i + n
			default:
				line[len(line)-1].text += s[i : i+n]
			}
			i += n
		}
	}
	lines = append(lines, line)
	for _, line := range lines {
		for i, c := range line {
			if c.text == " " && !c.st.reverse && c.st.ul == 0 && !c.st.strike && !c.st.overline {
				line[i].st = cellStyle{bg: c.st.bg}
			}
		}
	}
	for k, line := range lines {
		n := len(line)
		for n > 0 && line[n-1] == (cell{text: " "}) {
			n--
		}
		lines[k] = line[:n]
	}
	return lines
}

// sameGrid reports the first difference between the grids of a and b.
func sameGrid(a, b string) error {
	ga, gb := grid(a), grid(b)
	if len(ga) != len(gb) {
		return fmt.Errorf("%d lines, want %d", len(gb), len(ga))
	}
	for y := range ga {
		if len(ga[y]) != len(gb[y]) {
			return fmt.Errorf("line %d: %d cells, want %d", y, len(gb[y]), len(ga[y]))
		}
		for x := range ga[y] {
			if ga[y][x] != gb[y][x] {
				return fmt.Errorf("line %d cell %d: %+v, want %+v", y, x, gb[y][x], ga[y][x])
			}
		}
	}
	return nil
}

// checkCompact checks Compact on Terminal output x.
func checkCompact(t *testing.T, x string) string {
	t.Helper()
	c := Compact(x)
	if err := Check(c); err != nil {
		t.Fatalf("Compact(%q) = %q is not safe: %v", short(x), short(c), err)
	}
	if err := sameGrid(x, c); err != nil {
		t.Fatalf("Compact(%q) = %q renders differently: %v", short(x), short(c), err)
	}
	// every line stands alone: it starts and ends in the default style
	want := grid(c)
	for y, line := range strings.Split(c, "\n") {
		g := grid(line)
		if err := sameGridLines(want[y], g[0]); err != nil {
			t.Fatalf("Compact(%q) = %q: line %d depends on the one before: %v", short(x), short(c), y, err)
		}
		if endStyle(line) != (cellStyle{}) {
			t.Fatalf("Compact(%q) = %q: line %d does not end in the default style", short(x), short(c), y)
		}
	}
	return c
}

// endStyle gives the style in effect at the end of s.
func endStyle(s string) cellStyle {
	var st cellStyle
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return st
		}
		j := i + strings.IndexByte(s[i:], 'm')
		st = applyModel(st, s[i+2:j])
		s = s[j+1:]
	}
}

// short shortens s for a message.
func short(s string) string {
	if len(s) > 300 {
		return s[:150] + " ... " + s[len(s)-150:]
	}
	return s
}

func sameGridLines(a, b []cell) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d cells, want %d", len(b), len(a))
	}
	for x := range a {
		if a[x] != b[x] {
			return fmt.Errorf("cell %d: %+v, want %+v", x, b[x], a[x])
		}
	}
	return nil
}

func TestCompact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"trailing   \nspaces  ", "trailing\nspaces"},
		{"\x1b[31mred\x1b[0m\x1b[31m \x1b[0m\x1b[31mred\x1b[0m", "\x1b[31mred red\x1b[m"},
		{"\x1b[1m\x1b[1m\x1b[0m\x1b[0mx", "x"},
		{"\x1b[31ma\nb\x1b[m", "\x1b[31ma\x1b[m\n\x1b[31mb\x1b[m"},
		{"\x1b[44mblue bg  \x1b[m", "\x1b[44mblue bg  \x1b[m"},
		{"\x1b[4munder  \x1b[m  ", "\x1b[4munder  \x1b[m"},
		{"\x1b[7mrev \x1b[m", "\x1b[7mrev \x1b[m"},
		{"\x1b[1;31mab\x1b[0;1;32mcd\x1b[m", "\x1b[1;31mab\x1b[32mcd\x1b[m"},
		{"\x1b[1;3;4;31;44mx\x1b[0;32my", "\x1b[1;3;4;31;44mx\x1b[0;32my\x1b[m"},
		{"\x1b[38;5;252m  \x1b[0m\x1b[38;5;252mSome \x1b[0m\x1b[38;5;252;3mtext\x1b[0m\x1b[38;5;252m \x1b[0m", "  \x1b[38;5;252mSome \x1b[3mtext\x1b[m"},
		{"a \u0301b", "a \u0301b"},
		{"\x1b[31ma \x1b[32m\u0301", "\x1b[31ma \x1b[32m\u0301\x1b[m"},
		{"\x1b[31ma\x1b[m \x1b[31m\u0301", "\x1b[31ma\x1b[m \x1b[31m\u0301\x1b[m"},
		{"\x1b[31ma\x1b[m \x1b[31mb", "\x1b[31ma b\x1b[m"},
		{"x\x1b[2Jy\tz", "xy      z"},
	}
	for _, tc := range tests {
		got := checkCompact(t, Terminal(tc.in))
		if got != tc.want {
			t.Errorf("Compact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

const markdownDoc = "# Weekly briefing: Eastern Partnership\n\n" +
	"Prepared for the **Permanent Representative**. Distribution: *restricted*.\n\n" +
	"## Summary\n\n" +
	"The delegation met counterparts from the ministry on Tuesday. Talks covered " +
	"`visa facilitation`, energy transit and the [joint statement](https://example.org/statement). " +
	"Agreement on the text is ~~likely~~ expected by Friday.\n\n" +
	"- Visa facilitation: technical level agreed\n" +
	"- Energy transit: **open**, next round in Vienna\n" +
	"- Joint statement: draft 3 circulated\n\n" +
	"1. Confirm attendance\n2. Circulate the draft\n\n" +
	"> The minister stressed that \"nothing is agreed until everything is agreed\".\n\n" +
	"### Quotes in the original\n\n" +
	"Министр подчеркнул важность диалога. وأكد الوزير أهمية الحوار. وزیر بر اهمیت گفت\u200cوگو تأکید کرد.\n\n" +
	"| Item | Owner | Due |\n|------|-------|-----|\n| Draft | Legal | Fri |\n| Briefing | Desk | Mon |\n\n" +
	"```\nannex: figures withheld\n```\n\n" +
	"---\n\nEnd of briefing.\n"

func renderGlamour(t testing.TB, md string) string {
	t.Helper()
	// glamour's dark style, with code blocks unhighlighted as brief draws
	// them: chroma is not built into brief (see go.mod).
	dark := styles.DarkStyleConfig
	dark.CodeBlock.Chroma = nil
	r, err := glamour.NewTermRenderer(
		glamour.WithStyles(dark),
		glamour.WithWordWrap(60),
		glamour.WithColorProfile(termenv.TrueColor),
	)
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Render(md)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// plainSize is the size of the text alone, trailing spaces trimmed.
func plainSize(s string) int {
	lines := strings.Split(ansi.Strip(s), "\n")
	n := len(lines) - 1
	for _, l := range lines {
		n += len(strings.TrimRight(l, " "))
	}
	return n
}

func TestCompactGlamour(t *testing.T) {
	out := renderGlamour(t, markdownDoc)
	clean := Terminal(out)
	if err := Check(clean); err != nil {
		t.Fatal(err)
	}
	c := checkCompact(t, clean)
	text := plainSize(out)
	ratio := float64(len(c)) / float64(text)
	t.Logf("glamour render %d bytes, text %d bytes (%.1fx); Compact %d bytes: ratio %.2f",
		len(out), text, float64(len(out))/float64(text), len(c), ratio)
	if ratio > 2 {
		t.Errorf("Compact ratio %.2f, the project's goal is at most 2", ratio)
	}
	if Compact(c) != c {
		t.Errorf("Compact is not stable on its own output")
	}
	// the hostile corpus rendered through glamour stays safe
	var md strings.Builder
	for _, tc := range hostile {
		md.WriteString("Para " + tc.in + " end. `code " + tc.in + "`\n\n")
	}
	g := renderGlamour(t, md.String())
	checkCompact(t, Terminal(g))
}

// styled builds styled text from fuzz bytes.
func styled(b []byte) string {
	sgrs := []string{"\x1b[0m", "\x1b[m", "\x1b[1m", "\x1b[2m", "\x1b[22m", "\x1b[3m", "\x1b[23m",
		"\x1b[4m", "\x1b[21m", "\x1b[24m", "\x1b[7m", "\x1b[27m", "\x1b[9m", "\x1b[29m", "\x1b[53m",
		"\x1b[55m", "\x1b[31m", "\x1b[38;5;1m", "\x1b[38;2;1;2;3m", "\x1b[39m", "\x1b[41m",
		"\x1b[48;5;236m", "\x1b[49m", "\x1b[104m", "\x1b[1;31;44m", "\x1b[0;38;5;252m", "\x1b[;4m",
		"\x1b[5;7m", "\x1b[38;5;1;48;2;0;0;0m", "\x1b[97;100m"}
	texts := []string{" ", "  ", "   ", "a", "word", "é", "e\u0301", " \u0301", "\u0301", "日", "\n",
		"ب", "\u200c", "\u202e", "x\ty", "\ufe0f", "Я", "\u00a0"}
	var s strings.Builder
	for _, c := range b {
		if c&1 == 1 {
			s.WriteString(sgrs[int(c>>1)%len(sgrs)])
		} else {
			s.WriteString(texts[int(c>>1)%len(texts)])
		}
	}
	return s.String()
}

func FuzzTerminal(f *testing.F) {
	for _, tc := range hostile {
		f.Add(tc.in)
	}
	// a small render: large seeds make every mutation slow to run and to
	// minimize
	f.Add(renderGlamour(f, "# T\n\nSome *text* with **bold**, `code` and a [link](http://x.y).\n\n- item\n\n> quote\n"))
	f.Add("\x1b[1;31mred\x1b[0m  \n\x1b[44m \x1b[m\t\u0301")
	f.Add("a\xe2\x82\x1b[1m\xac")
	f.Fuzz(fuzzTerminal)
}

// fuzzTerminal checks the properties FuzzTerminal fuzzes.
func fuzzTerminal(t *testing.T, x string) {
	term := Terminal(x)
	if err := Check(term); err != nil {
		t.Fatalf("Check(Terminal(%q)) = %v (output %q)", x, err, term)
	}
	if again := Terminal(term); again != term {
		t.Fatalf("Terminal not idempotent on %q: %q then %q", x, term, again)
	}
	if (Check(x) == nil) != (term == x) {
		t.Fatalf("Check(%q) = %v but Terminal gives %q", x, Check(x), term)
	}
	if !utf8.ValidString(term) {
		t.Fatalf("Terminal(%q) = %q is not valid UTF-8", x, term)
	}
	plain := Plain(x)
	if err := Check(plain); err != nil || strings.Contains(plain, "\x1b") {
		t.Fatalf("Plain(%q) = %q: %v", x, plain, err)
	}
	if plain != ansi.Strip(term) {
		t.Fatalf("Plain(%q) = %q, Terminal without SGR is %q", x, plain, ansi.Strip(term))
	}
	line := Line(x)
	if err := Check(line); err != nil || strings.ContainsAny(line, "\x1b\n") {
		t.Fatalf("Line(%q) = %q: %v", x, line, err)
	}
	if size := len(x)%5 + 1; len(x) < 4096 {
		if got := writeChunks(t, x, true, size); got != term {
			t.Fatalf("Writer in %d-byte writes of %q = %q, want %q", size, x, got, term)
		}
		if got := writeChunks(t, x, false, size); got != plain {
			t.Fatalf("plain Writer in %d-byte writes of %q = %q, want %q", size, x, got, plain)
		}
	}
	checkCompact(t, term)
	checkCompact(t, Terminal(styled([]byte(x[:min(len(x), 512)]))))

}

func benchInput(b *testing.B) string {
	one := renderGlamour(b, markdownDoc)
	var s strings.Builder
	for s.Len() < 100<<10 {
		s.WriteString(one)
	}
	return s.String()
}

func BenchmarkTerminal(b *testing.B) {
	in := benchInput(b)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		_ = Terminal(in)
	}
}

func BenchmarkTerminalHostile(b *testing.B) {
	in := benchInput(b)
	in = strings.ReplaceAll(in, "\x1b[0m", "\x1b[0;5m\r")
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		_ = Terminal(in)
	}
}

func BenchmarkCompact(b *testing.B) {
	in := Terminal(benchInput(b))
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		_ = Compact(in)
	}
}

func BenchmarkWriter(b *testing.B) {
	in := []byte(benchInput(b))
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		w := NewWriter(io.Discard, true)
		for i := 0; i < len(in); i += 4096 {
			_, _ = w.Write(in[i:min(i+4096, len(in))])
		}
		_ = w.Flush()
	}
}

func BenchmarkTerminal1MBLine(b *testing.B) {
	in := strings.Repeat("words and \x1b[1mbold\x1b[m ", 1<<20/25)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		_ = Terminal(in)
	}
}
