package readstate

import (
	"strings"
	"testing"
	"time"
)

func TestRecordsRoundTrip(t *testing.T) {
	at := int64(1755684062123456) // 2025-08-20T10:01:02.123456Z
	tests := []struct {
		r    record
		line string
	}{
		{record{kind: kindRead, id: "2025-07-24", at: at, hash: "3f1c"}, "read 2025-07-24 2025-08-20T10:01:02.123456Z 3f1c"},
		{record{kind: kindUnread, id: "a.b_c-d", at: at}, "unread a.b_c-d 2025-08-20T10:01:02.123456Z"},
		{record{kind: kindMark, id: "x", at: at, hash: noHash}, "mark x 2025-08-20T10:01:02.123456Z -"},
		{record{kind: kindMark, id: "x", at: at, hash: "ab", note: "ask about the railway: Дарбаза"}, "mark x 2025-08-20T10:01:02.123456Z ab ask about the railway: Дарбаза"},
		{record{kind: kindUnmark, id: "x", at: at}, "unmark x 2025-08-20T10:01:02.123456Z"},
		{record{kind: kindPos, id: "x", at: at, hash: "ab", line: 42, frac: 0.381}, "pos x 2025-08-20T10:01:02.123456Z ab 42 0.3810"},
		{record{kind: kindSeen, id: "x", at: at, hash: "ab"}, "seen x 2025-08-20T10:01:02.123456Z ab"},
		{record{kind: kindVisit, at: at}, "visit 2025-08-20T10:01:02.123456Z"},
	}
	for _, tt := range tests {
		if got := tt.r.format(); got != tt.line {
			t.Errorf("format %+v:\n got %q\nwant %q", tt.r, got, tt.line)
		}
		back, known, err := parseRecord(tt.line)
		if err != nil || !known {
			t.Errorf("parse %q: known %v, %v", tt.line, known, err)
			continue
		}
		if back != tt.r {
			t.Errorf("parse %q:\n got %+v\nwant %+v", tt.line, back, tt.r)
		}
	}
}

func TestTimesRoundTrip(t *testing.T) {
	start := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{
		start, start.Add(time.Microsecond),
		time.Date(2000, 2, 29, 23, 59, 59, 999999000, time.UTC),
		time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC),
		time.Date(2100, 3, 1, 0, 0, 0, 1000, time.UTC),
		time.Date(2025, 12, 31, 23, 59, 59, 0, time.UTC),
	} {
		us := at.UnixMicro()
		back, err := parseTime(formatTime(us))
		if err != nil || back != us {
			t.Errorf("%s: back %d, %v; want %d", formatTime(us), back, err, us)
		}
	}
	for us := int64(0); us < 200*365*86400*1e6; us += 86400*1e6*37 + 3723000001 {
		if want := time.UnixMicro(us).UTC().Format(timeLayout); formatTime(us) != want {
			t.Fatalf("formatTime(%d) = %s, want %s", us, formatTime(us), want)
		}
		if back, err := parseTime(formatTime(us)); err != nil || back != us {
			t.Fatalf("%s: back %d, %v; want %d", formatTime(us), back, err, us)
		}
	}
}

func TestBadRecords(t *testing.T) {
	tests := []struct{ line, want string }{
		{"MARK x 2025-08-20T10:01:02.123456Z -", "not a record"},
		{"mark", "not a briefing id"},
		{"mark -x 2025-08-20T10:01:02.123456Z -", "not a briefing id"},
		{"mark x/../y 2025-08-20T10:01:02.123456Z -", "not a briefing id"},
		{"mark x 2025-08-20 -", "not a time"},
		{"mark x 2025-08-20T10:01:0", "not a time"},
		{"mark x 2025-02-30T10:01:02.123456Z -", "not a time"},
		{"mark x 2023-02-29T10:01:02.123456Z -", "not a time"},
		{"mark x 2025-08-20T25:01:02.123456Z -", "not a time"},
		{"mark x 2025-08-20T10:01:02.123456Z", "not a content hash"},
		{"mark x 2025-08-20T10:01:02.123456Z XYZ note", "not a content hash"},
		{"read x 2025-08-20T10:01:02.123456Z ab extra", "unexpected"},
		{"unmark x 2025-08-20T10:01:02.123456Z ab", "unexpected"},
		{"visit 2025-08-20T10:01:02.123456Z x", "unexpected"},
		{"pos x 2025-08-20T10:01:02.123456Z ab 42", "want a line and a fraction"},
		{"pos x 2025-08-20T10:01:02.123456Z ab 42 1.5", "want a line and a fraction"},
		{"pos x 2025-08-20T10:01:02.123456Z ab -1 0.5", "want a line and a fraction"},
		{"pos x 2025-08-20T10:01:02.123456Z ab 1 NaN", "want a line and a fraction"},
		{"\x00\x01garbage", "not a record"},
	}
	for _, tt := range tests {
		_, _, err := parseRecord(tt.line)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parse %q: got %v, want an error with %q", tt.line, err, tt.want)
		}
	}
}

func TestUnknownKindIsKept(t *testing.T) {
	_, known, err := parseRecord("tag x 2025-08-20T10:01:02.123456Z ab trade")
	if err != nil || known {
		t.Fatalf("a later version's record: known %v, err %v; want kept unknown", known, err)
	}
	st, problems := parse("f", "tag x 2025-08-20T10:01:02.123456Z ab trade\nread x 2025-08-20T10:01:02.123456Z ab\n")
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if out := string(st.format()); !strings.Contains(out, "\ntag x 2025-08-20T10:01:02.123456Z ab trade\n") {
		t.Errorf("the unknown record is not written back:\n%s", out)
	}
}

func TestNotesAreOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain note", "plain note"},
		{"  two\nlines\r\n and\ttabs ", "two lines and tabs"},
		{"esc \x1b[2J bell \x07 c1 \u009b end", "esc [2J bell c1 end"},
		{"bidi \u202eevil\u202c zero\u200bwidth", "bidi evil zero width"},
		{"bad \xff utf8", "bad \ufffd utf8"},
		{strings.Repeat("é", 400), strings.Repeat("é", 250)},
	}
	for _, tt := range tests {
		if got := cleanNote(tt.in); got != tt.want {
			t.Errorf("cleanNote(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := cleanNote(tt.want); got != tt.want {
			t.Errorf("cleanNote is not stable on %q: %q", tt.want, got)
		}
	}
}
