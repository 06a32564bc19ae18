package readstate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// kind is what a record says.
type kind uint8

// The kinds of record, in the order of their names (as the file sorts).
const (
	kindMark   kind = iota + 1 // mark ID TIME HASH [NOTE]
	kindPos                    // pos ID TIME HASH LINE FRACTION
	kindRead                   // read ID TIME HASH
	kindSeen                   // seen ID TIME HASH
	kindUnmark                 // unmark ID TIME
	kindUnread                 // unread ID TIME
	kindVisit                  // visit TIME
)

var kindNames = [...]string{kindMark: "mark", kindPos: "pos", kindRead: "read", kindSeen: "seen", kindUnmark: "unmark", kindUnread: "unread", kindVisit: "visit"}

// record is one line of a state file.
type record struct {
	kind kind
	id   string
	at   int64  // microseconds since 1970, UTC
	hash string // content hash, noHash when not known
	note string // mark
	line int    // pos
	frac float64
}

// noHash stands for a content hash that was not known.
const noHash = "-"

// Limits on what a record holds.
const (
	maxIDLen   = 200
	maxNoteLen = 500 // bytes; a note is one line
	maxLine    = 1 << 20
)

// timeLayout is a record's time: fixed width, so that lines of one
// briefing and kind sort by time.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// format writes the record as its line, without the newline.
func (r record) format() string {
	var b strings.Builder
	b.Grow(len(r.id) + len(r.hash) + len(r.note) + 48)
	b.WriteString(kindNames[r.kind])
	if r.kind != kindVisit {
		b.WriteByte(' ')
		b.WriteString(r.id)
	}
	b.WriteByte(' ')
	b.WriteString(formatTime(r.at))
	switch r.kind {
	case kindRead, kindSeen, kindMark, kindPos:
		b.WriteByte(' ')
		b.WriteString(r.hash)
	}
	switch r.kind {
	case kindMark:
		if r.note != "" {
			b.WriteByte(' ')
			b.WriteString(r.note)
		}
	case kindPos:
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(r.line))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatFloat(r.frac, 'f', 4, 64))
	}
	return b.String()
}

// formatTime writes a record's time in timeLayout (by hand: a state
// of 20,000 records is written whole, and time.Format was a third of it).
func formatTime(us int64) string {
	if us < 0 {
		return time.UnixMicro(us).UTC().Format(timeLayout)
	}
	secs, micro := us/1e6, us%1e6
	days, rem := secs/86400, secs%86400
	y, m, d := civilFromDays(days)
	var b [len(timeLayout)]byte
	put := func(at, width int, n int) {
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + n%10)
			n /= 10
		}
	}
	put(0, 4, y)
	b[4] = '-'
	put(5, 2, m)
	b[7] = '-'
	put(8, 2, d)
	b[10] = 'T'
	put(11, 2, int(rem/3600))
	b[13] = ':'
	put(14, 2, int(rem/60%60))
	b[16] = ':'
	put(17, 2, int(rem%60))
	b[19] = '.'
	put(20, 6, int(micro))
	b[26] = 'Z'
	return string(b[:])
}

// civilFromDays gives the date of a day counted from 1970-01-01 (Howard
// Hinnant's civil_from_days), the inverse of daysSinceEpoch.
func civilFromDays(z int64) (year, month, day int) {
	z += 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), int(m), int(d)
}

// parseRecord reads one line (without its newline). known is false, with
// no error, for a well-formed record of a kind this version does not know.
func parseRecord(line string) (r record, known bool, err error) {
	name, rest, _ := cutSpace(line)
	k := kindOf(name)
	if k == 0 {
		if !isWord(name) || rest == "" {
			return r, false, errors.New("not a record: a record starts with its kind (mark, unmark, read, unread, pos, seen, visit)")
		}
		return r, false, nil // a later version's record: kept as it is
	}
	r.kind = k
	if k != kindVisit {
		r.id, rest, _ = cutSpace(rest)
		if !IsID(r.id) {
			return r, true, fmt.Errorf("%s: %q is not a briefing id", name, clip(r.id))
		}
	}
	var stamp string
	stamp, rest, _ = cutSpace(rest)
	if r.at, err = parseTime(stamp); err != nil {
		return r, true, fmt.Errorf("%s: %w", name, err)
	}
	switch k {
	case kindVisit, kindUnmark, kindUnread:
		if rest != "" {
			return r, true, fmt.Errorf("%s: unexpected %q after the time", name, clip(rest))
		}
		return r, true, nil
	}
	r.hash, rest, _ = cutSpace(rest)
	if !isHash(r.hash) {
		return r, true, fmt.Errorf("%s: %q is not a content hash", name, clip(r.hash))
	}
	switch k {
	case kindMark:
		r.note = cleanNote(rest)
	case kindPos:
		lineText, fracText, ok := cutSpace(rest)
		n, err1 := strconv.Atoi(lineText)
		f, err2 := strconv.ParseFloat(fracText, 64)
		if !ok || err1 != nil || err2 != nil || n < 0 || n > maxLine || !(f >= 0 && f <= 1) {
			return r, true, fmt.Errorf("pos: want a line and a fraction from 0 to 1 after the hash, not %q", clip(rest))
		}
		r.line, r.frac = n, f
	default:
		if rest != "" {
			return r, true, fmt.Errorf("%s: unexpected %q after the hash", name, clip(rest))
		}
	}
	return r, true, nil
}

// cutSpace cuts s at its first space.
func cutSpace(s string) (before, after string, found bool) {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

func kindOf(name string) kind {
	for k, n := range kindNames {
		if n != "" && n == name {
			return kind(k)
		}
	}
	return 0
}

// isWord reports whether s could name a kind of record: lowercase ASCII.
func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != "" && len(s) <= 16
}

// parseTime reads a record's time, in timeLayout exactly.
func parseTime(s string) (int64, error) {
	if len(s) != len(timeLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[26] != 'Z' {
		return 0, fmt.Errorf("%q is not a time (want %s)", clip(s), timeLayout)
	}
	num := func(from, to int) int {
		n := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, sec, micro := num(11, 13), num(14, 16), num(17, 19), num(20, 26)
	if year < 1970 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 || micro < 0 {
		return 0, fmt.Errorf("%q is not a time (want %s)", clip(s), timeLayout)
	}
	secs := daysSinceEpoch(year, month, day)*86400 + int64(hour*3600+minute*60+sec)
	return secs*1e6 + int64(micro), nil
}

// daysIn gives the number of days in a month.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysSinceEpoch counts the days from 1970-01-01 to a date of the
// proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
func daysSinceEpoch(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era*146097 + doe - 719468)
}

// IsID reports whether s can be a briefing id: letters, digits, '-', '_'
// and '.', starting with a letter or digit (as the briefing format says).
func IsID(s string) bool {
	if s == "" || len(s) > maxIDLen {
		return false
	}
	if idChars[s[0]] != 2 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if idChars[s[i]] == 0 {
			return false
		}
	}
	return true
}

// idChars says which bytes an id may hold: 2 anywhere, 1 but not first.
var idChars = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			t[c] = 2
		case c == '.' || c == '_' || c == '-':
			t[c] = 1
		}
	}
	return t
}()

// isHash reports whether s is a content hash as records carry it:
// lowercase hex, or noHash.
func isHash(s string) bool {
	if s == noHash {
		return true
	}
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// cleanNote makes a note one line of text: controls and line or paragraph
// separators become spaces, invalid UTF-8 becomes U+FFFD, runs of spaces
// one, and it is cut to maxNoteLen bytes on a character boundary.
func cleanNote(s string) string {
	if isCleanNote(s) {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if b.Len()+utf8.RuneLen(r) > maxNoteLen {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isCleanNote reports whether s needs no cleaning (the common case,
// checked without allocating).
func isCleanNote(s string) bool {
	if len(s) > maxNoteLen || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") || strings.Contains(s, "  ") {
		return false
	}
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 || r == 0x7f || (r >= 0x80 && (unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r))) {
			return false
		}
	}
	return true
}

// clip shortens text quoted in a message.
func clip(s string) string {
	if len(s) > 40 {
		for i := 37; i > 0; i-- {
			if utf8.RuneStart(s[i]) {
				return s[:i] + "..."
			}
		}
	}
	return s
}
