package cli

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// jsonPerson is what scripts read of an official in JSON.
type jsonPerson struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Country string `json:"country"`
	Role    string `json:"role"`
	Roles   []struct {
		Title, From, To, Note string
	} `json:"roles"`
	Aliases    []string `json:"aliases"`
	Events     *int     `json:"events"`
	First      string   `json:"first"`
	Last       string   `json:"last"`
	InRegistry bool     `json:"in_registry"`
}

func TestOfficialsJSON(t *testing.T) {
	r := run(t, piped, "officials", "--format", "json")
	if r.code != 0 || r.stderr != "" {
		t.Fatal(r)
	}
	var people []jsonPerson
	if err := json.Unmarshal([]byte(r.stdout), &people); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, r.stdout)
	}
	byID := map[string]jsonPerson{}
	for _, p := range people {
		byID[p.ID] = p
	}
	tests := []struct {
		id          string
		events      int
		first, last string
		role        string
	}{
		{"tokayev", 6, "2021-12", "2025-08-18", "President of Kazakhstan"},
		{"mirziyoyev", 4, "2021-12", "2025-07-24", "President of Uzbekistan"},
		{"nurtleu", 1, "2024-02-19", "2024-02-19", "Assistant to the President of Kazakhstan for international investment and trade cooperation"},
		{"nazarbayev", 0, "", "", "President of Kazakhstan"},
		{"sadyr-japarov", 0, "", "", "President of Kyrgyzstan"},
		{"saidov", 1, "2024-02-19", "2024-02-19", "Minister of Foreign Affairs of Uzbekistan"},
		{"norbaeva", 1, "2025-08-18", "2025-08-18", "Chairwoman of the Senate of the Oliy Majlis of Uzbekistan"},
		{"aksakalov", 0, "", "", "Akim (governor) of Kostanay region"},
	}
	if reg := builtin(t).Registry().Officials(); len(people) != len(reg) || len(people) < 60 {
		t.Errorf("%d officials, want the registry's %d", len(people), len(reg))
	}
	for _, tc := range tests {
		p, ok := byID[tc.id]
		switch {
		case !ok:
			t.Errorf("%s is missing", tc.id)
		case p.Events == nil || *p.Events != tc.events:
			t.Errorf("%s: events %v, want %d", tc.id, p.Events, tc.events)
		case p.First != tc.first || p.Last != tc.last:
			t.Errorf("%s: first %q last %q, want %q %q", tc.id, p.First, p.Last, tc.first, tc.last)
		case p.Role != tc.role || !p.InRegistry || p.Name == "" || p.Country == "" || len(p.Aliases) == 0 || len(p.Roles) == 0:
			t.Errorf("%s: %+v", tc.id, p)
		}
	}
	if m := byID["mirziyoyev"]; len(m.Roles) != 3 || m.Roles[1].From != "2016-09-08" || m.Roles[1].To != "2016-12-14" || !slices.Contains(m.Aliases, "Мирзиёев") {
		t.Errorf("mirziyoyev: roles %+v aliases %v", m.Roles, m.Aliases)
	}
}

func TestOfficialsPiped(t *testing.T) {
	r := run(t, piped, "officials")
	if r.code != 0 || r.stderr != "" {
		t.Fatal(r)
	}
	if err := plainText(r.stdout); err != nil {
		t.Error(err)
	}
	rows := tsv(t, r.stdout, 5)
	want := [][]string{
		{"tokayev", "Kassym-Jomart Tokayev", "President of Kazakhstan", "Kazakhstan", "6"},
		{"mirziyoyev", "Shavkat Mirziyoyev", "President of Uzbekistan", "Uzbekistan", "4"},
		{"nurtleu", "Murat Nurtleu", "Assistant to the President of Kazakhstan for international investment and trade cooperation", "Kazakhstan", "1"},
		{"saidov", "Bakhtiyor Saidov", "Minister of Foreign Affairs of Uzbekistan", "Uzbekistan", "1"},
		{"norbaeva", "Tanzila Norbaeva", "Chairwoman of the Senate of the Oliy Majlis of Uzbekistan", "Uzbekistan", "1"},
		{"aksakalov", "Kumar Aksakalov", "Akim (governor) of Kostanay region", "Kazakhstan", "0"},
	}
	if len(rows) < len(want) || !slices.EqualFunc(rows[:len(want)], want, slices.Equal[[]string]) {
		t.Errorf("piped officials\n got %q\nwant %q first", rows, want)
	}
	// The registry's other officials follow; an ended role reads as such.
	byID := map[string][]string{}
	for _, row := range rows {
		byID[row[0]] = row
	}
	if got := byID["nazarbayev"]; got == nil || got[2] != "former President of Kazakhstan (24 Apr 1990 – 20 Mar 2019)" || got[4] != "0" {
		t.Errorf("nazarbayev: %q", got)
	}
	// Every id printed works with list --official (over the loaded corpus,
	// as the SSH server runs it, to spare a reload per official).
	c := builtin(t)
	for _, row := range rows {
		n, err := strconv.Atoi(row[4])
		if l := lookup(t, c, piped, "list", "--official", row[0]); err != nil || l.code != 0 || len(lines(l.stdout)) != n {
			t.Errorf("list --official %s: %d events, want %s: %v", row[0], len(lines(l.stdout)), row[4], l)
		}
	}
}

func TestOfficialsTable(t *testing.T) {
	for _, width := range []int{50, 80, 160} {
		where := tty{terminal: true, width: width}
		r := run(t, where, "officials")
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%s: %v", where, r)
		}
		if err := terminalSafe(r.stdout); err != nil {
			t.Errorf("%s: %v", where, err)
		}
		if err := fits(r.stdout, width); err != nil {
			t.Errorf("%s: %v", where, err)
		}
		ls := lines(ansi.Strip(r.stdout))
		if n := len(builtin(t).People()); len(ls) != n+1 {
			t.Fatalf("%s: %d lines, want a header and %d officials", where, len(ls), n)
		}
		header := strings.Fields(ls[0])
		if width >= 80 && !slices.Equal(header, []string{"ID", "NAME", "ROLE", "COUNTRY", "EVENTS"}) {
			t.Errorf("%s: header %q", where, ls[0])
		}
		if header[0] != "ID" || header[len(header)-1] != "EVENTS" {
			t.Errorf("%s: header %q keeps neither the id nor the count", where, ls[0])
		}
		if f := strings.Fields(ls[1]); f[0] != "tokayev" || f[len(f)-1] != "6" {
			t.Errorf("%s: first row %q", where, ls[1])
		}
		if f := strings.Fields(ls[6]); f[0] != "aksakalov" || f[len(f)-1] != "0" {
			t.Errorf("%s: last row %q", where, ls[6])
		}
	}
}

func TestOfficialsUsage(t *testing.T) {
	for _, args := range [][]string{{"officials", "--format", "jsonl"}, {"officials", "tokayev"}} {
		if r := run(t, piped, args...); r.code != 2 || r.stdout != "" || !strings.HasPrefix(r.stderr, "brief: ") {
			t.Errorf("%q: %v", args, r)
		}
	}
}

// Names the registry does not know are listed too, marked as such.
func TestOfficialsUnregistered(t *testing.T) {
	dir := writeFolder(t, map[string]string{
		"a.md": briefing("First", "2024-01", "saidov, Ghost Writer"),
		"b.md": briefing("Second", "2024-02", "Ghost Writer"),
	})
	r := run(t, piped, "--dir", dir, "officials", "--format", "json")
	var people []jsonPerson
	if err := json.Unmarshal([]byte(r.stdout), &people); err != nil {
		t.Fatal(err, r)
	}
	i := slices.IndexFunc(people, func(p jsonPerson) bool { return p.Name == "Ghost Writer" })
	if i < 0 || people[i].InRegistry || people[i].ID != "" || *people[i].Events != 2 || people[i].First != "2024-01" {
		t.Errorf("unregistered name: %+v", people)
	}
	r = run(t, term80, "--dir", dir, "officials")
	if !slices.ContainsFunc(lines(ansi.Strip(r.stdout)), func(l string) bool {
		f := strings.Fields(l)
		return f[0] == "-" && strings.Contains(l, "Ghost Writer") && f[len(f)-1] == "2"
	}) {
		t.Errorf("terminal table lacks the unregistered name:\n%s", r.stdout)
	}
	// It works as a filter for itself.
	if l := run(t, piped, "--dir", dir, "list", "--official", "ghost"); !slices.Equal(firstFields(t, l.stdout), []string{"b", "a"}) {
		t.Errorf("list --official ghost: %v", l)
	}
}
