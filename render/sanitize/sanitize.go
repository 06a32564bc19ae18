// Package sanitize is the one filter that every byte brief prints passes
// through. Briefing text is untrusted: it must never be able to control the
// reader's terminal.
//
// The filter is an allow-list. What may reach the terminal:
//
//   - printable text: every valid UTF-8 character that is not a control
//     character (Unicode category Cc), including format characters such as
//     ZWNJ and the BiDi controls, which Arabic and Persian text needs (the
//     loader decides which of those a briefing may carry);
//   - '\n';
//   - SGR sequences (ESC [ ... m) whose parameters are all in the allow-list
//     below, written with the 7-bit introducer ESC [.
//
// Everything else is dropped: every other CSI sequence; OSC, DCS, SOS, PM and
// APC strings together with their whole payload; two-byte and
// charset-designating ESC sequences; C0 controls other than '\n' (a tab is
// expanded to spaces, tab stops every 8 columns); DEL; and C1 controls in
// both forms, as raw bytes 0x80..0x9F and as the UTF-8 encoding of
// U+0080..U+009F. A C1 introducer (CSI, OSC, DCS, SOS, PM, APC, in either form)
// starts a sequence that is dropped whole, exactly like its ESC form; a
// C1-introduced SGR is dropped too. U+2028 and U+2029 become '\n'. Invalid
// UTF-8 bytes become U+FFFD, except raw bytes 0x80..0x9F, which are C1
// controls and are dropped.
//
// Sequences are parsed as a VT500-style terminal parses them: ESC, CAN, SUB
// and any C1 control abort a sequence in progress; OSC ends at BEL or ST
// (ESC \ or C1 ST); DCS, SOS, PM and APC end at ST only; C0 controls inside
// a sequence are dropped with it. A sequence cut short by a character
// outside ASCII is dropped and the character is kept as text. A sequence
// still open at the end of the input is dropped.
//
// Allowed SGR parameters: 0 and the empty parameter (reset), 1 bold, 2 faint,
// 3 italic, 4 underline, 7 reverse, 9 strike, 21 double underline (ECMA-48;
// reset by 24), 22 23 24 27 29 (resets), 30-37 39 40-47 49 90-97 100-107
// (colours), 38;5;n 48;5;n and 38;2;r;g;b 48;2;r;g;b with every component
// 0..255, 53 55 (overline). Other parameters are removed from the sequence
// and the rest kept (ESC[1;8m becomes ESC[1m); a sequence left with no
// parameter is dropped. In particular 5 and 6 (blink), 8 (conceal), 28
// (reveal: with conceal never let through it has nothing to undo), fonts
// 10-20, colon sub-parameter forms such as 4:3 or 38:2::r:g:b, 58
// (underline colour, removed with its colour arguments) and 59 are removed. A
// malformed SGR (more than 32 parameters, a parameter longer than 5 digits,
// an extended colour that is incomplete, of an unknown kind or out of range)
// is dropped whole. An SGR whose parameters are all allowed is passed
// through byte for byte; one that had to be changed is rewritten with its
// kept parameters in canonical decimal form, so Terminal is idempotent.
//
// One more thing may pass, and only through TerminalWithLinks and
// NewLinkWriter, which are for text whose links brief made itself: OSC 8
// hyperlinks in one strict form, to http, https or mailto addresses,
// each closed on the line that opened it (see TerminalWithLinks).
//
// Terminal, Plain and Line filter a string; NewWriter filters a stream the
// same way, across Write calls. Check is the matching predicate: it is nil
// exactly for strings Terminal leaves unchanged. Compact shrinks styled
// text (glamour pads every line with separately styled spaces) without
// changing how it looks.
//
// The filter assumes the reader's terminal decodes UTF-8, as every terminal
// brief supports does. It is a hand-written state machine: x/ansi's
// decoder takes the UTF-8 forms of C1 controls (U+009B, U+009D) for text,
// and ends a CSI at a line feed where terminals do not. It runs in linear
// time and never backtracks.
package sanitize

import (
	"fmt"
	"strings"
)

// Terminal returns s with everything removed except printable text, '\n', and SGR
// sequences (ESC [ ... m) whose parameters are all allowed. Tabs are expanded to spaces
// (tab stops every 8 columns, counting display width of the current line, ignoring escape sequences).
//
// When s is already safe, Terminal returns s itself without copying.
func Terminal(s string) string { return run(s, modeTerminal) }

// Plain is Terminal without any SGR: printable text and '\n' only (for piped output and logs).
func Plain(s string) string { return run(s, modePlain) }

// Line is Plain on one line: newlines and tabs become single spaces (for window titles, log fields, table cells, status lines).
// U+2028 and U+2029 become single spaces too.
func Line(s string) string { return run(s, modeLine) }

// TerminalWithLinks is Terminal that also lets OSC 8 hyperlinks through,
// in one strict form only: ESC ] 8 ; params ; URI ESC \, where params is
// empty or "id=" and up to 64 letters, digits, '.', '_' or '-', and URI is
// an address HyperlinkAllowed accepts (http, https or mailto, printable
// ASCII, at most MaxHyperlinkURI bytes); ESC ] 8 ; ; ESC \ closes a link.
// Every other OSC is dropped as Terminal drops it: one ended by BEL or by a
// C1 ST, introduced by a C1 OSC, with any other parameter, a control
// character or a byte outside ASCII in it, an address of another scheme,
// or a close with no link open. A link still open at the end of a line is
// closed there, and one still open at the end of s is closed at the end:
// every line of the output opens and closes its own links. Use it only on
// text whose links brief made itself (with Hyperlink), never on briefing
// text, which must not carry links of its own choosing.
func TerminalWithLinks(s string) string { return runLinks(s, true) }

// Check reports the first thing in s that Terminal would not let through, or nil. Tests across the project use it as the shared predicate safe(output).
//
// Check(s) is nil exactly when Terminal(s) == s. The error is an
// *UnsafeError; its message quotes the offending bytes with Go escapes, so it
// is itself safe to print.
func Check(s string) error { return check(s, false) }

// CheckWithLinks is Check for TerminalWithLinks: it is nil exactly when
// TerminalWithLinks(s) == s.
func CheckWithLinks(s string) error { return check(s, true) }

func check(s string, links bool) error {
	var f filter
	f.init(modeTerminal, false)
	f.links = links
	f.lazy, f.src, f.check = true, s, true
	f.feed(s, true)
	f.finish()
	if f.err == nil {
		return nil
	}
	e := f.err
	end := min(e.Offset+24, len(s))
	e.Text = s[e.Offset:end]
	return e
}

// UnsafeError describes the first thing Check found that Terminal would
// remove or change.
type UnsafeError struct {
	// Offset is the byte offset in the checked string where it starts.
	Offset int
	// Reason says what it is, such as "CSI sequence" or "C1 control".
	Reason string
	// Text is up to 24 bytes of the checked string from Offset.
	Text string
}

func (e *UnsafeError) Error() string {
	return fmt.Sprintf("sanitize: %s at byte %d: %q", e.Reason, e.Offset, e.Text)
}

func run(s string, m mode) string { return runMode(s, m, false) }

func runLinks(s string, links bool) string { return runMode(s, modeTerminal, links) }

func runMode(s string, m mode, links bool) string {
	tabs := strings.Count(s, "\t")
	var f filter
	f.init(m, m != modeLine && tabs > 0)
	f.links = links
	f.lazy, f.src = true, s
	if m != modeLine {
		f.extra = 7 * tabs // room for expanded tabs
	}
	f.feed(s, true)
	f.finish()
	if f.lazy {
		return s
	}
	return string(f.out)
}
