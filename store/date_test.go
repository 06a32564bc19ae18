package store_test

import (
	"testing"
	"time"

	"github.com/brief-tools/brief/store"
)

// TestParseDate checks the date forms the format allows and refuses.
func TestParseDate(t *testing.T) {
	valid := []struct {
		in         string
		year       int
		month      time.Month
		day        int
		precision  store.Precision
		str, short string
		long       string
	}{
		{"2025-07-24", 2025, time.July, 24, store.PrecisionDay, "2025-07-24", "24 Jul 2025", "24 July 2025"},
		{"2024-04", 2024, time.April, 0, store.PrecisionMonth, "2024-04", "Apr 2024", "April 2024"},
		{"2024", 2024, 0, 0, store.PrecisionYear, "2024", "2024", "2024"},
		{" 2024-02-29 ", 2024, time.February, 29, store.PrecisionDay, "2024-02-29", "29 Feb 2024", "29 February 2024"},
		{"2000-02-29", 2000, time.February, 29, store.PrecisionDay, "2000-02-29", "29 Feb 2000", "29 February 2000"},
		{"0001-01-01", 1, time.January, 1, store.PrecisionDay, "0001-01-01", "1 Jan 1", "1 January 1"},
		{"2025-07-24T23:30:00-05:00", 2025, time.July, 24, store.PrecisionDay, "2025-07-24", "24 Jul 2025", "24 July 2025"},
		{"2025-07-24T01:00:00+09:00", 2025, time.July, 24, store.PrecisionDay, "2025-07-24", "24 Jul 2025", "24 July 2025"},
		{"2025-07-24T05:06:55+05:00", 2025, time.July, 24, store.PrecisionDay, "2025-07-24", "24 Jul 2025", "24 July 2025"},
		{"2025-07-24T00:00:00Z", 2025, time.July, 24, store.PrecisionDay, "2025-07-24", "24 Jul 2025", "24 July 2025"},
		{"2025-07-24T12:00:00.123456789-12:00", 2025, time.July, 24, store.PrecisionDay, "2025-07-24", "24 Jul 2025", "24 July 2025"},
		{"2025-07-24T05:06", 2025, time.July, 24, store.PrecisionDay, "2025-07-24", "24 Jul 2025", "24 July 2025"},
		{"2025-07-24 05:06:55", 2025, time.July, 24, store.PrecisionDay, "2025-07-24", "24 Jul 2025", "24 July 2025"},
		{"2025-07-24 23:30:00 -05:00", 2025, time.July, 24, store.PrecisionDay, "2025-07-24", "24 Jul 2025", "24 July 2025"},
	}
	for _, tc := range valid {
		t.Run(tc.in, func(t *testing.T) {
			d, err := store.ParseDate(tc.in)
			if err != nil {
				t.Fatalf("ParseDate: %v", err)
			}
			if d.Year != tc.year || d.Month != tc.month || d.Day != tc.day || d.Precision != tc.precision {
				t.Errorf("got %+v", d)
			}
			if d.String() != tc.str || d.Short() != tc.short || d.Long() != tc.long {
				t.Errorf("String %q Short %q Long %q; want %q %q %q", d.String(), d.Short(), d.Long(), tc.str, tc.short, tc.long)
			}
			if d.IsZero() {
				t.Error("IsZero")
			}
		})
	}
	invalid := []string{
		"", " ", "July 2025", "24 July 2025", "2025-02-30", "2023-02-29", "1900-02-29", "2025-13", "2025-00",
		"2025-07-00", "2025-07-32", "2025-04-31", "0000", "0000-01-01", "25", "20245", "2025-7", "2025-07-4",
		"2025/07/24", "24.07.2025", "2025-07-24-01", "+2025", "-2025", "+202", "2024-+1", "2024-1 ", "2024-01-+1",
		"2024- 1", "２０２４", "2025-07-24T25:00:00Z", "2025-07-24T12:00:00+25:00", "2025-02-30T00:00:00Z",
		"2025-07-24Tnoon", "2025-07-24x", "0x7e9", "1e3", "2024.5", "2024-04-", "-04-01",
	}
	for _, in := range invalid {
		t.Run("invalid "+in, func(t *testing.T) {
			d, err := store.ParseDate(in)
			if err == nil {
				t.Errorf("ParseDate(%q) = %+v, want an error", in, d)
			}
			if !d.IsZero() {
				t.Errorf("ParseDate(%q) returned a date with its error", in)
			}
		})
	}
}

// TestDateCompare checks the timeline order of dates of every precision.
func TestDateCompare(t *testing.T) {
	spring := func(s string) store.Date { d := qaDate(t, s); d.Season = "spring"; return d }
	season := func(s, name string) store.Date { d := qaDate(t, s); d.Season = name; return d }
	// Each date sorts strictly before the next.
	order := []store.Date{
		qaDate(t, "2023"),
		qaDate(t, "2023-12"),
		qaDate(t, "2023-12-31"),
		qaDate(t, "2024"),
		qaDate(t, "2024-01"),
		qaDate(t, "2024-01-01"),
		qaDate(t, "2024-02-29"),
		spring("2024"),
		qaDate(t, "2024-03"),
		qaDate(t, "2024-03-01"),
		qaDate(t, "2024-03-31"),
		qaDate(t, "2024-04"),
		qaDate(t, "2024-04-01"),
		qaDate(t, "2024-05-31"),
		season("2024", "summer"),
		qaDate(t, "2024-06-01"),
		season("2024", "autumn"),
		qaDate(t, "2024-12-31"),
		qaDate(t, "2025"),
	}
	for i := range order {
		for j := range order {
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			if got := order[i].Compare(order[j]); got != want {
				t.Errorf("%s %s .Compare(%s %s) = %d, want %d", order[i].Season, order[i], order[j].Season, order[j], got, want)
			}
		}
	}
}

// TestDateOverlaps checks the overlap semantics of approximate dates
// against a range.
func TestDateOverlaps(t *testing.T) {
	spring := qaDate(t, "2024")
	spring.Season = "spring"
	winter := qaDate(t, "2024")
	winter.Season = "winter"
	tests := []struct {
		date         store.Date
		since, until string
		want         bool
	}{
		{qaDate(t, "2024-04"), "2024-04-10", "", true},
		{qaDate(t, "2024-04"), "", "2024-04-10", true},
		{qaDate(t, "2024-04"), "2024-04-10", "2024-04-10", true},
		{qaDate(t, "2024-04"), "2024-05-01", "", false},
		{qaDate(t, "2024-04"), "", "2024-03-31", false},
		{qaDate(t, "2024-04"), "2024-04-30", "", true},
		{qaDate(t, "2024-04"), "", "2024-04-01", true},
		{qaDate(t, "2024-04"), "2024-04", "2024-04", true},
		{qaDate(t, "2024-04"), "2024", "2024", true},
		{qaDate(t, "2024-04"), "2025", "", false},
		{qaDate(t, "2024"), "2024-12-31", "", true},
		{qaDate(t, "2024"), "", "2024-01-01", true},
		{qaDate(t, "2024"), "2025-01-01", "", false},
		{qaDate(t, "2024"), "", "2023-12-31", false},
		{spring, "2024-03-01", "2024-03-01", true},
		{spring, "2024-05-31", "", true},
		{spring, "2024-06-01", "", false},
		{spring, "", "2024-02-29", false},
		{spring, "2024-02", "2024-02", false},
		{spring, "2024-04", "2024-04", true},
		{winter, "2024-12", "", true},
		{winter, "", "2024-01", true},
		{qaDate(t, "2024-04-10"), "2024-04-10", "2024-04-10", true},
		{qaDate(t, "2024-04-10"), "2024-04-11", "", false},
		{qaDate(t, "2024-04-10"), "", "2024-04-09", false},
		{qaDate(t, "2024-04-10"), "2024-04", "", true},
		{qaDate(t, "2024-04-10"), "", "2024-04", true},
		{qaDate(t, "2024-04-10"), "", "", true},
	}
	for _, tc := range tests {
		if got := tc.date.Overlaps(qaDate(t, tc.since), qaDate(t, tc.until)); got != tc.want {
			t.Errorf("%s %s overlaps [%s, %s] = %v, want %v", tc.date.Season, tc.date, tc.since, tc.until, got, tc.want)
		}
	}
}
