package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a Date the sources give.
type Precision uint8

// The precisions a Date can have, from least to most precise.
const (
	PrecisionNone Precision = iota // the zero Date: no date at all
	PrecisionYear
	PrecisionMonth
	PrecisionDay
)

// Date is a calendar date that may be known only to the month or the year.
// It is never converted through a time zone: 2025-07-24 is 24 July wherever
// the reader is.
type Date struct {
	Year      int
	Month     time.Month // zero when Precision < PrecisionMonth
	Day       int        // zero when Precision < PrecisionDay
	Precision Precision
	// Season narrows a year-only date to spring, summer or autumn (March to
	// May, June to August, September to November) or winter, when the
	// sources give only the season.
	Season string
}

// IsZero reports whether d holds no date.
func (d Date) IsZero() bool { return d.Precision == PrecisionNone }

// ParseDate reads a date in one of the forms the briefing format allows:
// YYYY-MM-DD, YYYY-MM, YYYY, or a full timestamp (RFC 3339, or with a space
// instead of the T), whose calendar date is kept as written whatever its
// offset.
func ParseDate(s string) (Date, error) {
	if d, ok := parseDay(s); ok {
		return d, nil
	}
	return parseDate(s)
}

// parseDay reads the common forms, a valid YYYY-MM-DD, YYYY-MM or YYYY
// and nothing else, without the general path's cutting and trimming; ok
// is false for anything else (an invalid day too), which parseDate then
// reads.
func parseDay(s string) (d Date, ok bool) {
	if len(s) < 4 {
		return Date{}, false
	}
	year, bad := digits4(s)
	switch {
	case bad || year < 1:
		return Date{}, false
	case len(s) == 4:
		return Date{Year: year, Precision: PrecisionYear}, true
	case len(s) != 7 && len(s) != 10 || s[4] != '-':
		return Date{}, false
	}
	m0, m1 := s[5]-'0', s[6]-'0' // a byte below '0' wraps around
	month := int(m0)*10 + int(m1)
	if m0 > 9 || m1 > 9 || month < 1 || month > 12 {
		return Date{}, false
	}
	if len(s) == 7 {
		return Date{Year: year, Month: time.Month(month), Precision: PrecisionMonth}, true
	}
	d0, d1 := s[8]-'0', s[9]-'0'
	day := int(d0)*10 + int(d1)
	if s[7] != '-' || d0 > 9 || d1 > 9 || day < 1 || day > daysInMonth(year, month) {
		return Date{}, false
	}
	return Date{Year: year, Month: time.Month(month), Day: day, Precision: PrecisionDay}, true
}

// digits4 reads the four digits s starts with as a number; bad says one
// is not a digit.
func digits4(s string) (n int, bad bool) {
	y0, y1, y2, y3 := s[0]-'0', s[1]-'0', s[2]-'0', s[3]-'0' // a byte below '0' wraps around
	return int(y0)*1000 + int(y1)*100 + int(y2)*10 + int(y3), y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9
}

// daysInMonth is daysIn for a month from 1 to 12, without time.Date.
func daysInMonth(year, month int) int {
	if month == 2 {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 30 + (month+month/8)%2 // 31 for January, March, May, July, August, October, December
}

// parseDate is ParseDate for any input: every form, and the errors.
func parseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, fmt.Errorf("empty date")
	}
	if len(s) > 10 && (s[10] == 'T' || s[10] == 't' || s[10] == ' ') {
		if _, err := parseTimestamp(s); err != nil {
			return Date{}, err
		}
		s = s[:10] // the calendar date as written, never shifted through UTC
	}
	var nums [3]int
	parts := 0
	for rest := s; ; parts++ {
		p, after, more := strings.Cut(rest, "-")
		if parts == 3 {
			return Date{}, badDate(s)
		}
		want := 2
		if parts == 0 {
			want = 4
		}
		if len(p) != want {
			return Date{}, badDate(s)
		}
		n := 0
		for i := range len(p) { // digits only: Atoi alone takes "+1"
			if p[i] < '0' || p[i] > '9' {
				return Date{}, badDate(s)
			}
			n = n*10 + int(p[i]-'0')
		}
		nums[parts] = n
		if !more {
			parts++
			break
		}
		rest = after
	}
	d := Date{Year: nums[0], Precision: Precision(parts)}
	if d.Year < 1 {
		return Date{}, fmt.Errorf("date %q: year 0000 does not exist", s)
	}
	if d.Precision >= PrecisionMonth {
		if nums[1] < 1 || nums[1] > 12 {
			return Date{}, fmt.Errorf("date %q: month %d is not between 01 and 12", s, nums[1])
		}
		d.Month = time.Month(nums[1])
	}
	if d.Precision == PrecisionDay {
		last := daysIn(d.Year, d.Month)
		if nums[2] < 1 || nums[2] > last {
			return Date{}, fmt.Errorf("date %q: %s %d has no day %d", s, d.Month, d.Year, nums[2])
		}
		d.Day = nums[2]
	}
	return d, nil
}

func badDate(s string) error {
	return fmt.Errorf("date %q is not YYYY-MM-DD, YYYY-MM or YYYY", s)
}

// parseTimestamp accepts the timestamp forms YAML writers produce.
func parseTimestamp(s string) (time.Time, error) {
	layouts := []string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05",
		"2006-01-02T15:04",
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05 -07:00",
		"2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05",
		"2006-01-02 15:04",
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp %q is not RFC 3339 (2025-07-24T05:06:55+05:00)", s)
}

func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String gives the date in the form it was written: 2025-07-24, 2025-07 or
// 2025.
func (d Date) String() string {
	switch d.Precision {
	case PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
	case PrecisionYear:
		return fmt.Sprintf("%04d", d.Year)
	}
	return ""
}

// Short gives the date for lists: "24 Jul 2025", "Jul 2025" or "2025".
func (d Date) Short() string {
	switch d.Precision {
	case PrecisionDay:
		return fmt.Sprintf("%d %s %d", d.Day, d.Month.String()[:3], d.Year)
	case PrecisionMonth:
		return fmt.Sprintf("%s %d", d.Month.String()[:3], d.Year)
	case PrecisionYear:
		return d.seasonPrefix() + strconv.Itoa(d.Year)
	}
	return ""
}

func (d Date) seasonPrefix() string {
	if d.Season == "" {
		return ""
	}
	return strings.ToUpper(d.Season[:1]) + d.Season[1:] + " "
}

// Long gives the date for cards: "24 July 2025", "July 2025" or "2025".
func (d Date) Long() string {
	switch d.Precision {
	case PrecisionDay:
		return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
	case PrecisionMonth:
		return fmt.Sprintf("%s %d", d.Month, d.Year)
	case PrecisionYear:
		return d.seasonPrefix() + strconv.Itoa(d.Year)
	}
	return ""
}

// seasonMonths gives the first and last month of a season; winter, which
// straddles two years, stands for the whole year.
func seasonMonths(season string) (first, last int) {
	switch season {
	case "spring":
		return 3, 5
	case "summer":
		return 6, 8
	case "autumn":
		return 9, 11
	}
	return 1, 12
}

// first and last give the first and last day the date may stand for, as
// comparable integers (YYYYMMDD).
func (d Date) first() int {
	switch d.Precision {
	case PrecisionDay:
		return d.Year*10000 + int(d.Month)*100 + d.Day
	case PrecisionMonth:
		return d.Year*10000 + int(d.Month)*100 + 1
	case PrecisionYear:
		m, _ := seasonMonths(d.Season)
		return d.Year*10000 + m*100 + 1
	}
	return 0
}

func (d Date) last() int {
	switch d.Precision {
	case PrecisionDay:
		return d.first()
	case PrecisionMonth:
		return d.Year*10000 + int(d.Month)*100 + daysIn(d.Year, d.Month)
	case PrecisionYear:
		_, m := seasonMonths(d.Season)
		return d.Year*10000 + m*100 + daysIn(d.Year, time.Month(m))
	}
	return 99991231
}

// Compare orders dates on the timeline: by the first day they may stand for,
// and a less precise date before a more precise one that starts the same day,
// so "Apr 2024" comes after every day of March and before 1 Apr 2024. It
// returns -1, 0 or +1.
func (d Date) Compare(o Date) int {
	switch a, b := d.first(), o.first(); {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	switch {
	case d.Precision < o.Precision:
		return -1
	case d.Precision > o.Precision:
		return 1
	}
	return 0
}

// Overlaps reports whether the date may fall within [since, until]; a zero
// bound is open.
func (d Date) Overlaps(since, until Date) bool {
	if !since.IsZero() && d.last() < since.first() {
		return false
	}
	if !until.IsZero() && d.first() > until.last() {
		return false
	}
	return true
}
