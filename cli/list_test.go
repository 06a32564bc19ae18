package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestListFilters(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // ids, in order
	}{
		{"default: newest first", nil, newestFirst},
		{"ls is list", nil, newestFirst},
		{"reverse: oldest first", []string{"--reverse"}, []string{idAstana, idTashkent, idTalks, idFlood, idCall, idNorbaeva}},
		{"limit", []string{"--limit", "2"}, []string{idNorbaeva, idCall}},
		{"limit after reverse", []string{"-r", "-L", "2"}, []string{idAstana, idTashkent}},
		{"limit 0 is all", []string{"--limit", "0"}, newestFirst},
		{"limit above the count", []string{"--limit", "99"}, newestFirst},

		{"official by id", []string{"--official", "saidov"}, []string{idTalks}},
		{"official by surname", []string{"--official", "Norbaeva"}, []string{idNorbaeva}},
		{"official by full name", []string{"--official", "Shavkat Mirziyoyev"}, []string{idCall, idFlood, idTashkent, idAstana}},
		{"official by another spelling", []string{"--official", "Mirziyoev"}, []string{idCall, idFlood, idTashkent, idAstana}},
		{"official by the start of a word", []string{"--official", "nurt"}, []string{idTalks}},
		{"official, upper case", []string{"--official", "TOKAYEV"}, newestFirst},
		{"official, diacritics ignored", []string{"--official", "Nórbáeva"}, []string{idNorbaeva}},
		{"official in Cyrillic", []string{"-o", "Токаев"}, newestFirst},
		{"official in Kazakh Cyrillic", []string{"-o", "Тоқаев"}, newestFirst},
		{"official in Uzbek Cyrillic", []string{"-o", "Мирзиёев"}, []string{idCall, idFlood, idTashkent, idAstana}},
		{"official in Cyrillic, lower case", []string{"-o", "мирзиёев"}, []string{idCall, idFlood, idTashkent, idAstana}},
		{"official in Arabic, one spelling", []string{"-o", "سعيدوف"}, []string{idTalks}},
		{"official in Arabic, the other", []string{"-o", "سايدوف"}, []string{idTalks}},
		{"official in Arabic with short vowels", []string{"-o", "سَعِيدوف"}, []string{idTalks}},
		{"an official with no events", []string{"-o", "aksakalov"}, nil},

		{"topic", []string{"--topic", "flood-relief"}, []string{idFlood}},
		{"topic, any case", []string{"-t", "BORDER"}, []string{idTalks, idTashkent}},

		{"since a year", []string{"--since", "2025"}, []string{idNorbaeva, idCall}},
		{"until a year", []string{"--until", "2022"}, []string{idTashkent, idAstana}},
		{"a whole year", []string{"--since", "2024", "--until", "2024"}, []string{idFlood, idTalks}},
		{"a day", []string{"--since", "2025-07-24", "--until", "2025-07-24"}, []string{idCall}},
		{"the day after", []string{"--since", "2025-07-25", "--until", "2025-08-17"}, nil},
		{"since a day", []string{"--since", "2025-08-18"}, []string{idNorbaeva}},
		{"until a day", []string{"--until", "2024-02-19"}, []string{idTalks, idTashkent, idAstana}},
		{"until the day before", []string{"--until", "2024-02-18"}, []string{idTashkent, idAstana}},
		{"a month", []string{"--since", "2025-08", "--until", "2025-08"}, []string{idNorbaeva}},
		{"a month-only date within days", []string{"--since", "2022-12-15", "--until", "2022-12-31"}, []string{idTashkent}},
		{"a month-only date, the month before", []string{"--until", "2022-11"}, []string{idAstana}},
		{"spring holds April", []string{"--since", "2024-04", "--until", "2024-04"}, []string{idFlood}},
		{"spring holds March", []string{"--since", "2024-03-01", "--until", "2024-03-01"}, []string{idFlood}},
		{"spring holds 31 May", []string{"--since", "2024-05-31"}, []string{idNorbaeva, idCall, idFlood}},
		{"spring is over by June", []string{"--since", "2024-06"}, []string{idNorbaeva, idCall}},
		{"June to December 2024", []string{"--since", "2024-06", "--until", "2024-12"}, nil},
		{"spring has not started in February", []string{"--until", "2024-02"}, []string{idTalks, idTashkent, idAstana}},
		{"until a year ending after since", []string{"--since", "2024-05", "--until", "2024"}, []string{idFlood}},
		{"a timestamp keeps its calendar date", []string{"--since", "2025-07-24T23:30:00-05:00", "--until", "2025-07-24"}, []string{idCall}},

		{"query: a word", []string{"--query", "birthday"}, []string{idCall}},
		{"query: the start of a word", []string{"--query", "birth"}, []string{idCall}},
		{"query: not inside a word", []string{"--query", "irthday"}, nil},
		{"query: every word must match", []string{"-q", "birthday trade"}, []string{idCall}},
		{"query: every word, none has both", []string{"-q", "birthday senate"}, nil},
		{"query: case and diacritics", []string{"-q", "SÉNATE"}, []string{idNorbaeva}},
		{"query: a topic word above the text", []string{"-q", "wat"}, []string{idTalks, idFlood}},                                    // a topic of the talks; "water" in the flood call's text
		{"query: an official's other names", []string{"-q", "shavkat"}, []string{idCall, idFlood, idTashkent, idAstana, idNorbaeva}}, // officials first, then the text
		{"query: a word of the text", []string{"-q", "railway"}, []string{idTalks}},
		{"query: a word of the text, as typed", []string{"-q", "Kostan"}, []string{idNorbaeva}},
		{"query: a phrase", []string{"-q", `"Darbaza-Maktaaral railway"`}, []string{idTalks}},
		{"query: a phrase's words in another order", []string{"-q", `"railway Darbaza"`}, nil},
		{"query: a phrase ranked by where it is", []string{"-q", `"state visits"`}, []string{idTalks, idTashkent}}, // in the text, newest first
		{"query: a word left out", []string{"-q", "shavkat -tashkent"}, []string{idCall, idFlood, idNorbaeva}},
		{"query: reversed is oldest first", []string{"-q", "shavkat", "--reverse"}, []string{idAstana, idTashkent, idFlood, idCall, idNorbaeva}},
		{"query: a figure", []string{"-q", "turnover"}, []string{idCall}},

		{"filters combine", []string{"-o", "tokayev", "-t", "trade", "--since", "2025", "-q", "senate"}, []string{idNorbaeva}},
		{"filters combine, nothing left", []string{"-o", "saidov", "--since", "2025"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := "list"
			if strings.HasPrefix(tc.name, "ls ") {
				cmd = "ls"
			}
			r := run(t, piped, append([]string{cmd}, tc.args...)...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("list %s: %v", strings.Join(tc.args, " "), r)
			}
			if got := firstFields(t, r.stdout); !slices.Equal(got, tc.want) {
				t.Errorf("list %s\n got %v\nwant %v", strings.Join(tc.args, " "), got, tc.want)
			}
		})
	}
}

// The word-prefix search on a folder whose titles name a railway.
func TestListQueryWordPrefix(t *testing.T) {
	dir := writeFolder(t, map[string]string{
		"rail.md":    briefing("Ministers open the Darbaza–Maktaaral railway", "2024-02-19", "saidov"),
		"trail.md":   briefing("A trail through the mountains", "2024-03", "saidov"),
		"gardens.md": briefing("Railroad gardens", "2024-04", "saidov", "summary: Nothing on trains."),
	})
	tests := []struct {
		query string
		want  []string
	}{
		{"rail", []string{"gardens", "rail"}},
		{"railway", []string{"rail"}},
		{"RAILWAY", []string{"rail"}},
		{"darbaza", []string{"rail"}},
		{"maktaaral", []string{"rail"}}, // after the en dash, a word of its own
		{"ail", nil},
		{"trail", []string{"trail"}},
		{"rail trains", nil}, // only the last word is a prefix
		{"railroad trains", []string{"gardens"}},
		{"trains rail", []string{"gardens"}},
	}
	for _, tc := range tests {
		r := run(t, piped, "--dir", dir, "list", "--query", tc.query)
		if r.code != 0 {
			t.Fatalf("--query %q: %v", tc.query, r)
		}
		if got := firstFields(t, r.stdout); !slices.Equal(got, tc.want) {
			t.Errorf("--query %q: got %v, want %v", tc.query, got, tc.want)
		}
	}
}

func TestListErrors(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr []string // each must be in stderr
	}{
		{"ambiguous official", []string{"-o", "k"}, 1, []string{`--official "k" could mean`, "(tokayev)", "(aksakalov)", "give one of their ids"}},
		{"unknown official", []string{"-o", "Nobody Atall"}, 1, []string{`no official or name matches "Nobody Atall"`, "brief officials"}},
		{"unknown topic", []string{"--topic", "fishing"}, 1, []string{`no briefing has the topic "fishing"`, "topics: agriculture, border, culture, energy, flood-relief"}},
		{"since not a date", []string{"--since", "nope"}, 2, []string{"--since", `"nope"`, "YYYY-MM-DD"}},
		{"since with words", []string{"--since", "July 2025"}, 2, []string{"--since", "July 2025"}},
		{"since a month 13", []string{"--since", "2025-13"}, 2, []string{"--since", "month 13"}},
		{"since 30 February", []string{"--since", "2025-02-30"}, 2, []string{"--since", "no day 30"}},
		{"until not a date", []string{"--until", "2025/07"}, 2, []string{"--until", "2025/07"}},
		{"until a short year", []string{"--until", "25"}, 2, []string{"--until"}},
		{"until before since", []string{"--since", "2025", "--until", "2024"}, 2, []string{"--until 2024 is before --since 2025"}},
		{"until a day before since", []string{"--since", "2025-07-24", "--until", "2025-07-23"}, 2, []string{"before --since"}},
		{"until a month before since", []string{"--since", "2024-02-20", "--until", "2024-01"}, 2, []string{"before --since"}},
		{"bad format", []string{"--format", "xml"}, 2, []string{`--format "xml"`, "table, json or jsonl"}},
		{"negative limit", []string{"--limit", "-1"}, 2, []string{"--limit -1"}},
		{"limit not a number", []string{"--limit", "many"}, 2, []string{"--limit"}},
		{"unknown flag", []string{"--nope"}, 2, []string{"unknown flag: --nope"}},
		{"missing flag value", []string{"--since"}, 2, []string{"--since"}},
		{"an argument", []string{"extra"}, 2, []string{"no arguments"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, piped, append([]string{"list"}, tc.args...)...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d: %v", r.code, tc.code, r)
			}
			if !strings.HasPrefix(r.stderr, "brief: ") {
				t.Errorf("stderr does not start with 'brief: ': %q", r.stderr)
			}
			for _, want := range tc.stderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q: %q", want, r.stderr)
				}
			}
			if r.stdout != "" {
				t.Errorf("output on an error: %q", r.stdout)
			}
			if tc.code == 2 && !strings.Contains(r.stderr, "Run 'brief list --help' for usage") {
				t.Errorf("a usage error without the hint: %q", r.stderr)
			}
			if err := plainText(r.stderr); err != nil {
				t.Error(err)
			}
		})
	}
}

// jsonBriefing is what scripts read of a briefing in JSON.
type jsonBriefing struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	Date          string `json:"date"`
	DatePrecision string `json:"date_precision"`
	DateShown     string `json:"date_shown"`
	Dating        *struct {
		Basis, Season, Note string
	} `json:"dating"`
	Kind      string   `json:"kind"`
	Location  string   `json:"location"`
	Countries []string `json:"countries"`
	Topics    []string `json:"topics"`
	Officials []struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Written string `json:"as_written"`
		Role    string `json:"role"`
		Country string `json:"country"`
	} `json:"officials"`
	Summary string `json:"summary"`
	Figures []struct {
		Label, Value, Note string
	} `json:"figures"`
	Sources []map[string]string `json:"sources"`
	Path    string              `json:"path"`
	Body    *string             `json:"body"`
}

func TestListJSON(t *testing.T) {
	r := run(t, piped, "list", "--format", "json")
	if r.code != 0 || r.stderr != "" {
		t.Fatal(r)
	}
	// Every key scripts rely on is there, even when empty.
	var raw []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, r.stdout)
	}
	if len(raw) != 6 {
		t.Fatalf("%d briefings, want 6", len(raw))
	}
	for _, obj := range raw {
		for _, key := range []string{"id", "title", "date", "kind", "location", "officials", "summary", "topics", "figures", "sources"} {
			if _, ok := obj[key]; !ok {
				t.Errorf("%v lacks %q", obj["id"], key)
			}
		}
		if _, ok := obj["body"]; ok {
			t.Errorf("list gives the body of %v", obj["id"])
		}
		for _, o := range obj["officials"].([]any) {
			off, ok := o.(map[string]any)
			if !ok {
				t.Fatalf("an official is not an object: %v", o)
			}
			for _, key := range []string{"id", "name", "as_written", "role"} {
				if s, _ := off[key].(string); s == "" {
					t.Errorf("%v: official %v lacks %q", obj["id"], off, key)
				}
			}
		}
	}

	var list []jsonBriefing
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, b := range list {
		ids = append(ids, b.ID)
	}
	if !slices.Equal(ids, newestFirst) {
		t.Errorf("order %v, want %v", ids, newestFirst)
	}
	byID := map[string]jsonBriefing{}
	for _, b := range list {
		byID[b.ID] = b
	}
	tests := []struct {
		id, field, got, want string
	}{
		{idCall, "title", byID[idCall].Title, "Tokayev and Mirziyoyev speak by phone on regional stability"},
		{idCall, "date", byID[idCall].Date, "2025-07-24"},
		{idCall, "date_precision", byID[idCall].DatePrecision, "day"},
		{idCall, "kind", byID[idCall].Kind, "call"},
		{idCall, "location", byID[idCall].Location, ""},
		{idCall, "officials[0].id", byID[idCall].Officials[0].ID, "tokayev"},
		{idCall, "officials[0].name", byID[idCall].Officials[0].Name, "Kassym-Jomart Tokayev"},
		{idCall, "officials[0].role", byID[idCall].Officials[0].Role, "President of Kazakhstan"},
		{idCall, "figures[0].value", byID[idCall].Figures[0].Value, "almost $1.4 billion"},
		{idTalks, "officials[0].role", byID[idTalks].Officials[0].Role, "Deputy Prime Minister and Minister of Foreign Affairs of Kazakhstan"},
		{idTalks, "location", byID[idTalks].Location, "Astana"},
		{idTalks, "date_shown", byID[idTalks].DateShown, "~19 Feb 2024"},
		{idFlood, "date", byID[idFlood].Date, "2024"},
		{idFlood, "date_precision", byID[idFlood].DatePrecision, "year"},
		{idTashkent, "date_precision", byID[idTashkent].DatePrecision, "month"},
		{idTashkent, "path", byID[idTashkent].Path, idTashkent + ".md"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: %s is %q, want %q", tc.id, tc.field, tc.got, tc.want)
		}
	}
	if d := byID[idFlood].Dating; d == nil || d.Basis != "inferred" || d.Season != "spring" {
		t.Errorf("%s: dating %+v, want inferred in spring", idFlood, d)
	}
	if d := byID[idCall].Dating; d == nil || d.Basis != "stated" || d.Note == "" {
		t.Errorf("%s: dating %+v, want stated with a note", idCall, d)
	}
}

func TestListJSONLines(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{nil, newestFirst},
		{[]string{"--reverse", "--limit", "3"}, []string{idAstana, idTashkent, idTalks}},
		{[]string{"--official", "Мирзиёев", "--since", "2025"}, []string{idCall}},
		{[]string{"--official", "aksakalov"}, nil},
	}
	for _, tc := range tests {
		args := append([]string{"list", "--format", "jsonl"}, tc.args...)
		r := run(t, piped, args...)
		if r.code != 0 {
			t.Fatalf("%v: %v", args, r)
		}
		var ids []string
		for i, l := range lines(r.stdout) {
			var b jsonBriefing
			if err := json.Unmarshal([]byte(l), &b); err != nil {
				t.Fatalf("%v: line %d is not one JSON object: %v\n%q", args, i+1, err, l)
			}
			ids = append(ids, b.ID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%v: ids %v, want %v", args, ids, tc.want)
		}
	}
}

func TestListJSONNothingFound(t *testing.T) {
	r := run(t, piped, "list", "--official", "aksakalov", "--format", "json")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("want an empty array: %v", r)
	}
	// Nothing found in a table is said on a terminal, and is silence in a
	// pipe.
	if r := run(t, piped, "list", "--official", "aksakalov"); r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Errorf("piped: %v", r)
	}
	if r := run(t, term80, "list", "--official", "aksakalov"); r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "No briefings match.") {
		t.Errorf("terminal: %v", r)
	}
}

// builtinTitles are the titles of the built-in briefings.
var builtinTitles = []string{
	"Tokayev receives Uzbek Senate Chairwoman Tanzila Norbaeva in Astana",
	"Tokayev and Mirziyoyev speak by phone on regional stability",
	"Tokayev thanks Mirziyoyev by phone for Uzbek support after Kazakhstan's spring floods",
	"Nurtleu and Saidov hold talks in Astana; Tokayev receives the Uzbek foreign minister",
	"Tokayev's state visit to Uzbekistan, December 2022",
	"Mirziyoyev's state visit to Kazakhstan, December 2021",
}

// TestListLayout: the title gets the room first; the other columns give
// theirs up before it does, and get what is left once titles are whole.
func TestListLayout(t *testing.T) {
	row := listRow{
		ids:        [3]string{"2025-07-24-tokayev-mirziyoyev-call", "2025-07-24", "2025-07-24"},
		date:       "24 Jul 2025",
		kind:       "state-visit",
		title:      strings.Repeat("t", 60),
		officials:  "Tokayev, Mirziyoyev, Saidov",
		oneOfficer: "Tokayev +2",
	}
	tests := []struct {
		width  int
		want   [5]int // ID, DATE, KIND, TITLE, OFFICIALS; 0: left out
		idForm int
	}{
		{40, [5]int{10, 11, 0, 15, 0}, 1},    // only id, date and title
		{50, [5]int{10, 11, 0, 25, 0}, 1},    // the kind and the officials go
		{56, [5]int{10, 11, 0, 20, 9}, 1},    // the kind goes, the officials shrink
		{60, [5]int{10, 11, 0, 23, 10}, 1},   // the kind goes
		{80, [5]int{10, 11, 5, 36, 10}, 1},   // every column at its narrowest; the title has the rest
		{108, [5]int{10, 11, 5, 60, 14}, 1},  // the title is whole; the officials grow
		{140, [5]int{10, 11, 11, 60, 27}, 1}, // then the kind
		{170, [5]int{34, 11, 11, 60, 27}, 0}, // then the ids
		{200, [5]int{34, 11, 11, 60, 27}, 0},
	}
	for _, tt := range tests {
		got, form := listLayout([]listRow{row}, tt.width)
		if got != tt.want || form != tt.idForm {
			t.Errorf("at %d columns: widths %v, id form %d; want %v, %d", tt.width, got, form, tt.want, tt.idForm)
		}
		n, total := 0, 0
		for _, w := range got {
			if w > 0 {
				n++
				total += w
			}
		}
		if total+2*(n-1) > tt.width {
			t.Errorf("at %d columns: %v is %d wide", tt.width, got, total+2*(n-1))
		}
	}
}

func TestListTable(t *testing.T) {
	for _, width := range []int{60, 80, 100, 160, 250} {
		where := tty{terminal: true, width: width}
		t.Run(where.String(), func(t *testing.T) {
			r := run(t, where, "list")
			if r.code != 0 || r.stderr != "" {
				t.Fatal(r)
			}
			if err := terminalSafe(r.stdout); err != nil {
				t.Error(err)
			}
			if err := fits(r.stdout, width); err != nil {
				t.Error(err)
			}
			ls := lines(ansi.Strip(r.stdout))
			if len(ls) != 7 {
				t.Fatalf("%d lines, want a header and 6 rows:\n%s", len(ls), r.stdout)
			}
			header := strings.Fields(ls[0])
			want := []string{"ID", "DATE", "KIND", "TITLE", "OFFICIALS"}
			if width < 80 {
				// Only the droppable columns may go, and only when
				// narrow.
				want = slices.DeleteFunc(want, func(c string) bool {
					return (c == "KIND" || c == "OFFICIALS") && !slices.Contains(header, c)
				})
			}
			if !slices.Equal(header, want) {
				t.Errorf("header %q, want %v", ls[0], want)
			}
			if strings.Contains(r.stdout, "\t") {
				t.Error("tabs in a terminal table")
			}
			// Every id shown works with show, and names its own row.
			for i, l := range ls[1:] {
				shown := strings.Fields(l)[0]
				if !strings.HasPrefix(newestFirst[i], shown) {
					t.Errorf("row %d shows id %q, want a start of %s", i+1, shown, newestFirst[i])
				}
				s := run(t, piped, "show", shown)
				if s.code != 0 || !strings.Contains(s.stdout, "\n") {
					t.Errorf("the id shown, %q, does not work with show: %v", shown, s)
				}
			}
			if width >= 250 {
				for i, l := range ls[1:] {
					if got := strings.Fields(l)[0]; got != newestFirst[i] {
						t.Errorf("row %d: id %q cut on a very wide terminal", i+1, got)
					}
				}
			}
			// The title is what people scan: it gets the room first.
			titleAt := strings.Index(ls[0], "TITLE")
			titleEnd := strings.Index(ls[0], "OFFICIALS")
			switch {
			case width >= 160:
				for _, title := range builtinTitles {
					if !strings.Contains(r.stdout, title) {
						t.Errorf("the title %q is cut at %d columns:\n%s", title, width, r.stdout)
					}
				}
			case width >= 80:
				if got := titleEnd - titleAt - 2; got < 32 {
					t.Errorf("titles get %d columns at %d, want at least 32:\n%s", got, width, ansi.Strip(r.stdout))
				}
			}
			for _, date := range []string{"18 Aug 2025", "~Spring 2024", "~19 Feb 2024", "Dec 2021"} {
				if !strings.Contains(r.stdout, date) {
					t.Errorf("the table lacks the date %q", date)
				}
			}
		})
	}
}

func TestListPiped(t *testing.T) {
	r := run(t, piped, "list")
	if r.code != 0 || r.stderr != "" {
		t.Fatal(r)
	}
	if err := plainText(r.stdout); err != nil {
		t.Error(err)
	}
	rows := tsv(t, r.stdout, 5)
	if len(rows) != 6 {
		t.Fatalf("%d rows, want 6 and no header", len(rows))
	}
	want := []string{idFlood, "~Spring 2024", "call", "Tokayev thanks Mirziyoyev by phone for Uzbek support after Kazakhstan's spring floods", "Kassym-Jomart Tokayev, Shavkat Mirziyoyev"}
	if !slices.Equal(rows[2], want) {
		t.Errorf("row 3\n got %q\nwant %q", rows[2], want)
	}
	// Piped output does not depend on the width.
	if wide := run(t, tty{width: 20}, "list"); wide.stdout != r.stdout {
		t.Errorf("piped output changes with the width:\n%s", wide.stdout)
	}
}

// Wide and combining characters, flags and Arabic are measured as a
// terminal shows them.
func TestListTableWideText(t *testing.T) {
	dir := writeFolder(t, map[string]string{
		"a.md": briefing("中华人民共和国外交部长会见哈萨克斯坦总统特使并举行会谈讨论合作", "2024-01-02", "Токаев, 王毅", "kind: 会谈"),
		"b.md": briefing(`"Emoji 🇰🇿🇺🇿 talks and e\u0301\u0301 marks, تلتزم كازاخستان وأوزبكستان بتعزيز العلاقات"`, "2024-01-03", "saidov"),
	})
	for _, width := range []int{60, 80, 100, 160} {
		where := tty{terminal: true, width: width}
		for _, cmd := range []string{"list", "officials"} {
			r := run(t, where, "--dir", dir, cmd)
			if r.code != 0 {
				t.Fatalf("%s: %s: %v", where, cmd, r)
			}
			if err := fits(r.stdout, width); err != nil {
				t.Errorf("%s: %s: %v", where, cmd, err)
			}
			if err := terminalSafe(r.stdout); err != nil {
				t.Errorf("%s: %s: %v", where, cmd, err)
			}
		}
		r := run(t, where, "--dir", dir, "list")
		if ls := lines(ansi.Strip(r.stdout)); len(ls) != 3 || !strings.HasPrefix(ls[1], "b ") || !strings.HasPrefix(ls[2], "a ") || !strings.Contains(ls[2], "中华人民") {
			t.Errorf("%s:\n%s", where, r.stdout)
		}
	}
}

// jsonHit is what scripts read of a briefing a text query found.
type jsonHit struct {
	ID           string   `json:"id"`
	Snippet      string   `json:"snippet"`
	SnippetField string   `json:"snippet_field"`
	Matches      [][2]int `json:"matches"`
}

// TestListQuerySnippets checks the passage JSON output gives with a text
// query, and only then.
func TestListQuerySnippets(t *testing.T) {
	tests := []struct {
		query   string
		id      string
		field   string
		matched []string
	}{
		{"railway", idTalks, "body", []string{"railway"}},
		{`"Darbaza-Maktaaral railway"`, idTalks, "body", []string{"Darbaza–Maktaaral railway"}},
		{"kostanay region", idNorbaeva, "body", []string{"Kostanay", "region", "regional"}}, // the last word as typed
		{"turnover", idCall, "body", []string{"turnover"}},                                  // also in a figure: the body wins ties
		{"mutual trade january", idCall, "body", []string{"Mutual", "trade", "January"}},    // the tightest passage
	}
	for _, tc := range tests {
		for _, format := range []string{"json", "jsonl"} {
			r := run(t, piped, "list", "--query", tc.query, "--format", format)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("%q %s: %v", tc.query, format, r)
			}
			var hits []jsonHit
			if format == "json" {
				if err := unmarshal(r.stdout, &hits); err != nil {
					t.Fatalf("%q: %v\n%s", tc.query, err, r.stdout)
				}
			} else {
				for _, l := range lines(r.stdout) {
					var h jsonHit
					if err := unmarshal(l, &h); err != nil {
						t.Fatalf("%q: %v\n%s", tc.query, err, l)
					}
					hits = append(hits, h)
				}
			}
			if len(hits) == 0 || hits[0].ID != tc.id {
				t.Fatalf("%q %s: %+v, want %s first", tc.query, format, hits, tc.id)
			}
			h := hits[0]
			var matched []string
			for _, m := range h.Matches {
				if m[0] < 0 || m[1] > len(h.Snippet) || m[0] >= m[1] {
					t.Fatalf("%q: match %v out of %q", tc.query, m, h.Snippet)
				}
				matched = append(matched, h.Snippet[m[0]:m[1]])
			}
			if h.SnippetField != tc.field || !slices.Equal(matched, tc.matched) {
				t.Errorf("%q %s: %s snippet %q matches %q, want %s and %q", tc.query, format, h.SnippetField, h.Snippet, matched, tc.field, tc.matched)
			}
			if err := plainText(h.Snippet); err != nil {
				t.Error(err)
			}
		}
	}
	// Without a query, no snippet keys.
	r := run(t, piped, "list", "--format", "jsonl", "--limit", "1")
	if strings.Contains(r.stdout, `"snippet`) || strings.Contains(r.stdout, `"matches"`) {
		t.Errorf("snippet without a query: %s", r.stdout)
	}
	// With a query that only leaves out, every briefing has the keys, empty.
	r = run(t, piped, "list", "--format", "json", "--query", "-railway")
	var raw []map[string]any
	if err := unmarshal(r.stdout, &raw); err != nil || len(raw) != 5 {
		t.Fatalf("-railway: %v %v", err, r)
	}
	for _, obj := range raw {
		if obj["snippet"] != "" || obj["matches"] == nil {
			t.Errorf("-railway: %v has snippet %q, matches %v", obj["id"], obj["snippet"], obj["matches"])
		}
	}
}

// TestListQueryTable checks that a text query keeps the table's columns.
func TestListQueryTable(t *testing.T) {
	r := run(t, piped, "list", "--query", "railway")
	if r.code != 0 || r.stderr != "" {
		t.Fatal(r)
	}
	rows := tsv(t, r.stdout, 5)
	if len(rows) != 1 || rows[0][0] != idTalks {
		t.Errorf("rows %q", rows)
	}
	r = run(t, term80, "list", "--query", "railway")
	if r.code != 0 || !strings.Contains(r.stdout, "ID") || !strings.Contains(r.stdout, "OFFICIALS") || !strings.Contains(r.stdout, "2024-02-19") {
		t.Errorf("table: %v", r)
	}
}

// TestReadmeQueryExample checks the README's example of a snippet.
func TestReadmeQueryExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const cmd = "$ brief list --query railway --format jsonl | jq -r .snippet\n"
	_, after, ok := strings.Cut(string(readme), cmd)
	if !ok {
		t.Fatalf("README lacks %q", cmd)
	}
	want, _, _ := strings.Cut(after, "\n")
	r := run(t, piped, "list", "--query", "railway", "--format", "jsonl")
	var h jsonHit
	if err := unmarshal(r.stdout, &h); err != nil {
		t.Fatalf("%v: %v", err, r)
	}
	if h.Snippet != want {
		t.Errorf("README says\n%s\nbrief says\n%s", want, h.Snippet)
	}
}
