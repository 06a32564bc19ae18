package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Piped lists carry every date as the screen shows it: the "~" of an
// inferred date, a season, and no more precision than the sources give
// (issue 13, item 8).
func TestListPipedDatesAsShown(t *testing.T) {
	dir := writeFolder(t, map[string]string{
		"day.md":       briefing("Day", "2025-07-24", "saidov"),
		"inferred.md":  briefing("Inferred", "2024-02-19", "saidov", "dating:\n  basis: inferred\n  note: The year is worked out."),
		"season.md":    briefing("Season", "2024", "saidov", "dating:\n  basis: inferred\n  season: spring"),
		"month.md":     briefing("Month", "2022-12", "saidov"),
		"year.md":      briefing("Year", "2023", "saidov"),
		"published.md": briefing("Published", "2025-08-18", "saidov", "dating:\n  basis: published"),
	})
	want := map[string]string{
		"day":       "24 Jul 2025",
		"inferred":  "~19 Feb 2024",
		"season":    "~Spring 2024",
		"month":     "Dec 2022",
		"year":      "2023",
		"published": "18 Aug 2025",
	}
	piped := run(t, piped, "--dir", dir, "list")
	if piped.code != 0 || piped.stderr != "" {
		t.Fatal(piped)
	}
	screen := ansi.Strip(run(t, tty{terminal: true, width: 200}, "--dir", dir, "list").stdout)
	rows := tsv(t, piped.stdout, 5)
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%s", len(rows), len(want), piped.stdout)
	}
	for _, row := range rows {
		id, date := row[0], row[1]
		if date != want[id] {
			t.Errorf("%s: piped date %q, want %q as the screen shows it", id, date, want[id])
		}
		if !slices.ContainsFunc(lines(screen), func(l string) bool {
			return strings.HasPrefix(l, id+" ") && strings.Contains(l, "  "+date+"  ")
		}) {
			t.Errorf("%s: the screen does not show %q:\n%s", id, date, screen)
		}
	}
}

// The built-in corpus, piped, keeps the honesty of its inferred dates.
func TestListPipedBuiltinDates(t *testing.T) {
	r := run(t, piped, "list")
	got := map[string]string{}
	for _, row := range tsv(t, r.stdout, 5) {
		got[row[0]] = row[1]
	}
	for id, date := range map[string]string{
		idFlood:    "~Spring 2024",
		idTalks:    "~19 Feb 2024",
		idAstana:   "Dec 2021",
		idTashkent: "Dec 2022",
		idCall:     "24 Jul 2025",
	} {
		if got[id] != date {
			t.Errorf("%s: piped date %q, want %q", id, got[id], date)
		}
	}
}

// A role that has ended is listed as ended, with its dates, on the screen
// and in a pipe; a role still held is listed as it is (issue 13, item 9).
func TestOfficialsEndedRoles(t *testing.T) {
	dir := writeFolder(t, map[string]string{
		"officials.yaml": `- id: held
  name: Held Person
  country: Kazakhstan
  roles:
    - title: President of Kazakhstan
      from: 2019-03-20
- id: ended
  name: Ended Person
  country: Kazakhstan
  roles:
    - title: President of Kazakhstan
      from: 1990-04-24
      to: 2019-03-20
- id: moved
  name: Moved Person
  country: Kazakhstan
  roles:
    - title: Minister of Foreign Affairs
      from: 2023-04-03
      to: 2025-09-26
    - title: Assistant to the President
      from: 2025-09-26
- id: until
  name: Until Person
  country: Kazakhstan
  roles:
    - title: Akim
      to: 2016-06
`,
		"a.md": briefing("A", "2024", "held, ended"),
	})
	want := map[string]string{
		"held":  "President of Kazakhstan",
		"ended": "former President of Kazakhstan (24 Apr 1990 – 20 Mar 2019)",
		"moved": "Assistant to the President",
		"until": "former Akim (until Jun 2016)",
	}
	r := run(t, piped, "--dir", dir, "officials")
	if r.code != 0 || r.stderr != "" {
		t.Fatal(r)
	}
	for _, row := range tsv(t, r.stdout, 5) {
		if row[2] != want[row[0]] {
			t.Errorf("piped %s: role %q, want %q", row[0], row[2], want[row[0]])
		}
	}
	screen := ansi.Strip(run(t, tty{terminal: true, width: 200}, "--dir", dir, "officials").stdout)
	for id, role := range want {
		if !slices.ContainsFunc(lines(screen), func(l string) bool {
			return strings.HasPrefix(l, id+" ") && strings.Contains(l, "  "+role+"  ")
		}) {
			t.Errorf("the table lacks %s as %q:\n%s", id, role, screen)
		}
	}
}

// Every spelling of every official in the built-in registry works with
// "brief list --official": exit 0, no complaint, and the same briefings as
// the official's id (issue 13, item 7). The list command runs over the
// loaded corpus (as the SSH server runs it) so that the hundreds of
// spellings cost no reload; the issue's own spellings then run end to end.
func TestListOfficialEverySpelling(t *testing.T) {
	c := builtin(t)
	spellings := 0
	for _, o := range c.Registry().Officials() {
		want := lookup(t, c, piped, "list", "--official", o.ID)
		if want.code != 0 || want.stderr != "" {
			t.Fatalf("list --official %s: %v", o.ID, want)
		}
		for _, name := range append([]string{o.Name}, o.Aliases...) {
			spellings++
			got := lookup(t, c, piped, "list", "--official", name)
			if got.code != 0 || got.stderr != "" || got.stdout != want.stdout {
				t.Errorf("list --official %q (%s):\n%v\nwant the rows of %s:\n%s", name, o.ID, got, o.ID, want.stdout)
			}
		}
	}
	if spellings < 500 {
		t.Errorf("%d spellings checked, want the whole registry's", spellings)
	}
	// The spellings the issue names, with the briefings they must find.
	for _, tc := range []struct {
		spelling string
		ids      []string
	}{
		{"Norboyeva", []string{idNorbaeva}},
		{"Tanzila Norboyeva", []string{idNorbaeva}},
		{"Қосим-Жомарт Тўқаев", newestFirst},
		{"Kasym-Jomart Tokayev", newestFirst},
		{"Нуртлеу Мурат", []string{idTalks}},
		{"Саидов Бахтиёр", []string{idTalks}},
		{"Bakhtier Saidov", []string{idTalks}},
	} {
		r := run(t, piped, "list", "--official", tc.spelling)
		if got := firstFields(t, r.stdout); r.code != 0 || !slices.Equal(got, tc.ids) {
			t.Errorf("list --official %q = %q, want %q: %v", tc.spelling, got, tc.ids, r)
		}
	}
}
