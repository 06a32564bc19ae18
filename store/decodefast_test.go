package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The decoding fast paths (a plain YYYY-MM-DD date, an ASCII http link)
// read the common shape of a value without the general path; these tests
// hold them to it: a fast path either gives what the general path gives,
// or declines, and the general path then reads the value as before.

func TestParseDayAgreesWithParseDate(t *testing.T) {
	inputs := []string{
		"2025-07-24", "2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "2100-02-29", "2024-02-30",
		"2024-13-01", "2024-00-10", "2024-01-00", "2024-01-31", "2024-04-31", "2024-04-30", "2024-12-31",
		"2024-12-32", "0000-01-01", "0001-01-01", "9999-12-31", "2025-7-24", "2025-07-4", "2025/07/24",
		" 2025-07-24", "2025-07-24 ", "2025-07-2x", "x025-07-24", "2025-07-24T00:00:00Z", "2025-07-24 05:06",
		"2025-07", "2025", "", "+025-07-24", "-025-07-24", "2025-+7-24", "2025-07-+4", "2025--7-24",
		"２０２５-07-24", "2025-07-24\n", "2025-07\x0024",
		"0000", "0000-01", "0001", "2025-1", "2025-00", "2025-13", "2025-12", "2025 ", " 2025", "2025-7x", "20x5", "2025-07-",
		"2025-07-1", "2025-07-1x", "2025_07", "2025-07x24", "2025x07-24", "2025-07 ", "202", "20255", "2025-", "+025", "-025",
		"2025-0/", "2025-/1", "2025-:1", "2025-1:", "/025", ":025", "2025T", "2025-07T",
	}
	for y := 0; y <= 10000; y += 37 {
		inputs = append(inputs, fmt.Sprintf("%04d", y))
		for m := 0; m <= 13; m++ {
			inputs = append(inputs, fmt.Sprintf("%04d-%02d", y, m))
		}
	}
	for y := 1; y <= 2401; y += 100 {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				inputs = append(inputs, fmt.Sprintf("%04d-%02d-%02d", y, m, d), fmt.Sprintf("%04d-%02d-%02d", y+3, m, d))
			}
		}
	}
	for _, in := range inputs {
		want, wantErr := parseDate(in)
		got, err := ParseDate(in)
		if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Errorf("ParseDate(%q) = %+v, %v; the general path gives %+v, %v", in, got, err, want, wantErr)
		}
		if fast, ok := parseDay(in); ok && (wantErr != nil || fast != want) {
			t.Errorf("parseDay(%q) = %+v; the general path gives %+v, %v", in, fast, want, wantErr)
		}
	}
	// The fast path must take the common form, or it gains nothing.
	for _, in := range []string{"2025-07-24", "2024-02-29", "0001-01-01", "9999-12-31", "2025-07", "0001-01", "9999-12", "2025", "0001", "9999"} {
		if _, ok := parseDay(in); !ok {
			t.Errorf("parseDay(%q) declined", in)
		}
	}
}

func TestDaysInMonthAgreesWithTime(t *testing.T) {
	for year := 1; year <= 9999; year++ {
		for month := 1; month <= 12; month++ {
			if got, want := daysInMonth(year, month), daysIn(year, time.Month(month)); got != want {
				t.Fatalf("daysInMonth(%d, %d) = %d, want %d", year, month, got, want)
			}
		}
	}
}

func FuzzParseDayAgreesWithParseDate(f *testing.F) {
	for _, s := range []string{"2025-07-24", "2024-02-30", "2024-13-01", "0000-01-01", "2025-07-24T00:00:00Z", "2025-07", "2025", "0000", "2025-13"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		want, wantErr := parseDate(in)
		got, err := ParseDate(in)
		if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Errorf("ParseDate(%q) = %+v, %v; the general path gives %+v, %v", in, got, err, want, wantErr)
		}
	})
}

// BenchmarkParseDay parses a plain date through ParseDate and through
// the general path it had before the fast one.
//
//	go test ./store -run '^$' -bench ParseDay -count 5
func BenchmarkParseDay(b *testing.B) {
	for _, bc := range []struct {
		name  string
		parse func(string) (Date, error)
	}{{"fast", ParseDate}, {"general", parseDate}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := bc.parse("2025-07-24"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// plainLinkBefore is the test cleanURL made before isPlainLink.
func plainLinkBefore(raw string) bool {
	return isPlainASCII(raw) && (strings.HasPrefix(raw, "https://") || strings.HasPrefix(raw, "http://")) &&
		!strings.ContainsAny(raw, " \"<>\\^`{|}%")
}

func TestPlainLinkAgreesWithCheckURL(t *testing.T) {
	inputs := []string{
		"https://example.org/news/2015/965197", "http://example.org", "https://", "http://", "https:/x", "ftp://example.org",
		"HTTPS://example.org", "https://example.org/a b", "https://example.org/a%20b", "https://example.org/%zz",
		"https://example.org/?q=1&r=2#frag", "https://user:pw@example.org:8080/p", "https://exa mple.org",
		"https://аkorda.kz/ru", "https://akorda.kz/ru", "https://пример.рф/", "https://xn--80ak6aa92e.com/",
		"https://例え.jp/", "https://mixedаscript.com/", "https://example.org/\x7f", "https://example.org/\x00",
		"https://example.org/é", "https://example.org/\t", "https://[::1]:80/", "https://[::1/", "https://example.org:port/",
		"https://example.org/\"", "https://example.org/<a>", "https://example.org/^", "https://example.org/`",
		"https://example.org/{x}", "https://example.org/|", "https://example.org/\\", "  https://example.org", "", "example.org",
		"https://example.org/~user/_-.!$&'()*+,;=:@[]",
	}
	for c := 0; c < 256; c++ {
		inputs = append(inputs, "https://example.org/"+string(rune(c)), "http://ex"+string([]byte{byte(c)})+"ample.org/")
		// The byte at each place of a link read eight bytes at a time,
		// the last few one by one.
		for at := range 21 {
			rest := []byte("example.org/news/2015")
			rest[at] = byte(c)
			inputs = append(inputs, "https://"+string(rest), "http://"+string(rest[:at+1]))
		}
	}
	for _, in := range inputs {
		fast, before := isPlainLink(in), plainLinkBefore(in)
		if fast != before {
			t.Errorf("isPlainLink(%q) = %v, the test before gave %v", in, fast, before)
		}
		// cleanURL as it was: the test before, else checkURL.
		var ps, psBefore problems
		got, want := cleanURL(in, 3, &ps), in
		if !before {
			want = checkURL(in, 3, &psBefore)
		}
		if got != want || !reflect.DeepEqual(ps.list, psBefore.list) {
			t.Errorf("cleanURL(%q) = %q, %v; before, %q, %v", in, got, ps.list, want, psBefore.list)
		}
	}
	if !isPlainLink("https://example.org/news/2015/965197") {
		t.Error("isPlainLink declines a plain link")
	}
}

// BenchmarkPlainLink tests a plain link as cleanURL does, and as it did
// before isPlainLink.
//
//	go test ./store -run '^$' -bench PlainLink -count 5
func BenchmarkPlainLink(b *testing.B) {
	for _, bc := range []struct {
		name string
		test func(string) bool
	}{{"fast", isPlainLink}, {"before", plainLinkBefore}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if !bc.test("https://example.org/news/2015/965197") {
					b.Fatal("declined")
				}
			}
		})
	}
}

// TestBriefingsShareBlocks: the briefings a worker keeps come out of
// blocks of up to briefingSlab, each its own; one it does not keep
// leaves nothing of its file behind in the block, and a worker that
// reads one file allocates room for one.
func TestBriefingsShareBlocks(t *testing.T) {
	good := func(i int) []byte {
		return fmt.Appendf(nil, "---\nid: b-%d\ntitle: Talks %d\ndate: 2024-03-0%d\nofficials: [A B]\n---\nBody.\n", i, i, i%9+1)
	}
	bad := []byte("---\nid: bad\ntitle: Broken\ndate: 2024-02-30\nofficials: [Someone Else]\n---\n")
	a := &arena{inPlace: true}
	var kept []*Briefing
	files := 2*briefingSlab + 8 // enough for the blocks to reach their largest, whatever a Briefing's size
	for i := range files {
		if b := parseData(good(i), &problems{path: "x.md"}, a, false).briefing; b != nil {
			kept = append(kept, b)
		} else {
			t.Fatalf("briefing %d not kept", i)
		}
		if i == 0 && a.dec.slab != 1 {
			t.Errorf("after one file, room for %d briefings, want 1", a.dec.slab)
		}
		if i%7 == 3 {
			if b := parseData(bad, &problems{path: "bad.md"}, a, false).briefing; b != nil {
				t.Fatal("a briefing with 30 February was kept")
			}
			if len(a.dec.briefings) > 0 && !reflect.DeepEqual(a.dec.briefings[0], Briefing{}) {
				t.Errorf("a briefing not kept left %+v in the block", a.dec.briefings[0])
			}
		}
	}
	for i, b := range kept {
		if want := fmt.Sprint("b-", i); b.ID != want || b.Title != fmt.Sprint("Talks ", i) || b.Date.Day != i%9+1 {
			t.Errorf("briefing %d holds %q, %q, %v", i, b.ID, b.Title, b.Date)
		}
	}
	if a.dec.slab != briefingSlab {
		t.Errorf("after %d files, blocks of %d briefings, want %d", files, a.dec.slab, briefingSlab)
	}
}

func TestTrimSpaceAgreesWithStrings(t *testing.T) {
	inputs := []string{"", " ", "a", " a", "a ", "\ta\n", "\u00a0a", "a\u00a0", "\u0085", "\u3000x\u3000", "\x7fa\x7f", "!~", "a b", "\xff", "\x80", "é", "aé", "éa"}
	for c := range 256 {
		inputs = append(inputs, string([]byte{byte(c)}), "x"+string([]byte{byte(c)}), string([]byte{byte(c)})+"x")
	}
	for _, in := range inputs {
		if got, want := trimSpace(in), strings.TrimSpace(in); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPlainValueTextAgreesWithCleanScalar holds plainValueText, the test
// the decoding loops make before cleanScalarSlow, to what cleaning the
// value gives: whatever it takes, cleaned as a strict or a text field,
// is itself, with no problem raised. Each value is read as a mapping's
// value, a flow list's item and a block list's item.
func TestPlainValueTextAgreesWithCleanScalar(t *testing.T) {
	values := []string{
		"plain", "two words", "Tashkent", "$13.2 billion", "https://example.org/news/2022/776954", "a:b", "x#y",
		`"double quoted"`, `" spaced "`, `"tab\tinside"`, `"\u00e9"`, `"esc\x1b"`, `'single'`, `'it''s'`, `'ab''cd'`, `'a''b''c''d'`, `' '`, `''`, `""`,
		"~", "null", "Null", "", "é", "Искаков54", "a\u200bb", "a\u00a0", "\u00a0a", "trailing   ", "\ttab",
		"!tag value", "&anchor v", "a\x7fb", "~x", "x~", "{x}", "[x]", "a, b",
	}
	taken := 0
	for _, v := range values {
		for _, text := range []string{
			"k: " + v + "\n",
			"k: [" + v + ", z]\n",
			"k:\n  - " + v + "\n  - z\n",
		} {
			a, root, err := parsePlain(text)
			if err != nil || !root.exists() {
				continue // yaml.v3 refuses it: nothing for the decoding loops to read
			}
			for i := range a.block {
				n := a.view(int32(i))
				s, ok := plainValueText(n)
				if !ok {
					continue
				}
				taken++
				for _, kind := range []fieldKind{strictField, textField} {
					ps := &problems{}
					if want := cleanText(scalarText(n, ps, "f"), n.line(), "f", ps, kind); s != want || len(ps.list) > 0 {
						t.Errorf("in %q, plainValueText gives %q; cleaning (kind %d) gives %q, %v", text, s, kind, want, ps.list)
					}
					if got := cleanScalarSlow(n, &problems{}, "f", kind); got != s {
						t.Errorf("in %q, plainValueText gives %q; cleanScalarSlow gives %q", text, s, got)
					}
				}
			}
		}
	}
	// The test must take the common values, or it gains nothing.
	for _, text := range []string{"k: plain\n", "k: $13.2 billion\n", "k: [a, b]\n", "k:\n  - a\n", `k: "Of resources both"` + "\n"} {
		_, root, err := parsePlain(text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		v := root.child(1)
		if v.kind() == listNode {
			v = v.child(0)
		}
		if _, ok := plainValueText(v); !ok {
			t.Errorf("plainValueText declined the value of %q", text)
		}
	}
	if taken < 50 {
		t.Errorf("plainValueText took only %d values", taken)
	}
}

// parsePlain parses a frontmatter block as parseData does, through
// plainFrontmatter when it takes it (which marks the lines of printable
// ASCII), else through parseYAML.
func parsePlain(text string) (*arena, node, error) {
	a := &arena{inPlace: true}
	a.reset(1)
	if fm, ok := plainFrontmatter([]byte("---\n"+text+"---\n"), a); ok {
		root, err := parseLinesOrYAML(fm.yaml, true, a)
		return a, root, err
	}
	root, err := parseYAML([]byte(text), 1, a)
	return a, root, err
}

// appendDateBefore is appendDate as it was before its fast path: each
// number a uvarint of its own.
func appendDateBefore(buf []byte, d Date) []byte {
	if d == (Date{}) {
		return append(buf, 0)
	}
	buf = binary.AppendUvarint(buf, uint64(d.Precision)+1)
	buf = binary.AppendUvarint(buf, uint64(max(d.Year, 0)))
	buf = binary.AppendUvarint(buf, uint64(max(d.Month, 0)))
	buf = binary.AppendUvarint(buf, uint64(max(d.Day, 0)))
	return appendStr(buf, d.Season)
}

func TestAppendDateAsBefore(t *testing.T) {
	var dates []Date
	for _, y := range []int{-1, 0, 1, 127, 128, 129, 2025, 9999, 16383, 16384, 1 << 20} {
		for _, m := range []time.Month{-1, 0, 1, 7, 12, 13, 127, 128} {
			for _, d := range []int{-1, 0, 1, 24, 31, 127, 128} {
				for _, p := range []Precision{PrecisionNone, PrecisionYear, PrecisionMonth, PrecisionDay, 126, 127, 200, 255} {
					for _, season := range []string{"", "winter"} {
						dates = append(dates, Date{Year: y, Month: m, Day: d, Precision: p, Season: season})
					}
				}
			}
		}
	}
	dates = append(dates, Date{})
	for _, d := range dates {
		got, want := appendDate([]byte("x"), d), appendDateBefore([]byte("x"), d)
		if !bytes.Equal(got, want) {
			t.Errorf("appendDate(%+v) = %x, want %x", d, got, want)
		}
		if d.Year >= 0 && d.Month >= 0 && d.Day >= 0 {
			u := unpacker{s: string(got[1:])}
			if back := u.date(); back != d {
				t.Errorf("appendDate(%+v) unpacks as %+v", d, back)
			}
		}
	}
}

// isCleanTextBefore is isCleanText as it was before the classes of the
// characters of two bytes (charTables.twos).
func isCleanTextBefore(s string, kind fieldKind) bool {
	marks := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		i += size
		switch {
		case isControl(r), isHidden(r, kind):
			return false
		case isMark(r):
			if marks++; marks > maxMarks {
				return false
			}
		default:
			marks = 0
		}
	}
	return true
}

func TestIsCleanTextAsBefore(t *testing.T) {
	var inputs []string
	for r := rune(0); r < 0x900; r++ {
		inputs = append(inputs, string(r), "a"+string(r)+"b", "\u0416"+strings.Repeat(string(r), maxMarks)+"x", "\u0416"+strings.Repeat(string(r), maxMarks+1))
	}
	for _, bad := range []string{"\xc2", "\xc2\x41", "\xdf", "\xdf\xc0", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xd0", "a\xd0", "\xd0\xd0\x96"} {
		inputs = append(inputs, bad, "x"+bad+"y", bad+"\u0416", "\u0416"+bad, "\u0416\u0436"+bad+"\u0416")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	pieces := []string{"a", " ", "Ж", "ў", "\xd0", "\xdf", "\xc2", "\u2028", "\u2800", "\u2014", "\u0301", "\u0483", "\u0489", "\u00ad", "\u061c", "\u200d", "ع", "\u064b", "\u0670", "\u07fa", "\u07eb", "\xc2\x85", "\xff", "😀"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(14) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	taken := 0
	for _, in := range inputs {
		for _, kind := range []fieldKind{textField, strictField} {
			got, want := isCleanText(in, kind), isCleanTextBefore(in, kind)
			if got != want {
				t.Fatalf("isCleanText(%q, kind %d) = %v, before %v", in, kind, got, want)
			}
			if got {
				taken++
			}
		}
	}
	if taken < len(inputs)/4 {
		t.Errorf("only %d of %d taken as clean", taken, 2*len(inputs))
	}
}
