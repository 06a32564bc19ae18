package cli

import (
	"encoding/json"
	"fmt"
	"github.com/brief-tools/brief/render/sanitize"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func TestShowFinds(t *testing.T) {
	tests := []struct {
		arg   string
		title string
	}{
		{idCall, "Tokayev and Mirziyoyev speak by phone on regional stability"},
		{"2025-07-24", "Tokayev and Mirziyoyev speak by phone on regional stability"},
		{"2025-07", "Tokayev and Mirziyoyev speak by phone on regional stability"},
		{"2024-02", "Nurtleu and Saidov hold talks in Astana"},
		{"2024-t", "Tokayev thanks Mirziyoyev by phone"},
		{"2021", "Mirziyoyev's state visit to Kazakhstan, December 2021"},
		{"2022-12-TOKAYEV", "Tokayev's state visit to Uzbekistan, December 2022"},
	}
	for _, tc := range tests {
		for _, cmd := range []string{"show", "card"} {
			r := run(t, piped, cmd, tc.arg)
			if r.code != 0 || r.stderr != "" {
				t.Errorf("%s %s: %v", cmd, tc.arg, r)
				continue
			}
			if first := lines(r.stdout)[0]; !strings.HasPrefix(first, tc.title) {
				t.Errorf("%s %s: first line %q, want the title %q", cmd, tc.arg, first, tc.title)
			}
		}
	}
}

func TestShowNotFound(t *testing.T) {
	tests := []struct {
		arg    string
		code   int
		want   []string
		reject []string
	}{
		{"2025-07-42", 1, []string{`no briefing has the id "2025-07-42"`, "did you mean", idCall}, nil},
		{"2024-tokayev-mirziyoyev-flood-solidarity-cal1", 1, []string{"did you mean " + idFlood}, nil},
		{"zzzzzzzzzzzzzzzzzzzz", 1, []string{`no briefing has the id "zzzzzzzzzzzzzzzzzzzz"`}, []string{"did you mean"}},
		{"2024", 1, []string{`"2024" is the start of several ids`, idTalks, idFlood}, []string{idCall}},
		{"2025", 1, []string{"start of several ids", idCall, idNorbaeva}, []string{idTalks}},
		{"\x1b[2J", 1, []string{`no briefing has the id "\x1b[2J"`}, nil},
	}
	for _, tc := range tests {
		for _, cmd := range []string{"show", "card"} {
			r := run(t, piped, cmd, tc.arg)
			if r.code != tc.code || r.stdout != "" {
				t.Errorf("%s %q: %v", cmd, tc.arg, r)
			}
			if !strings.HasPrefix(r.stderr, "brief: ") || len(lines(r.stderr)) != 1 {
				t.Errorf("%s %q: want one line 'brief: ...' on stderr: %q", cmd, tc.arg, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("%s %q: stderr lacks %q: %q", cmd, tc.arg, w, r.stderr)
				}
			}
			for _, w := range tc.reject {
				if strings.Contains(r.stderr, w) {
					t.Errorf("%s %q: stderr has %q: %q", cmd, tc.arg, w, r.stderr)
				}
			}
			if err := plainText(r.stderr); err != nil {
				t.Errorf("%s %q: %v", cmd, tc.arg, err)
			}
		}
	}
}

func TestShowUsage(t *testing.T) {
	tests := [][]string{
		{"show"},
		{"show", idCall, idFlood},
		{"show", idCall, "--format", "html"},
		{"show", idCall, "--nope"},
		{"card"},
		{"card", idCall, idFlood},
		{"card", idCall, "--format", "json"}, // card has no --format
	}
	for _, args := range tests {
		r := run(t, piped, args...)
		if r.code != 2 || r.stdout != "" || !strings.HasPrefix(r.stderr, "brief: ") || !strings.Contains(r.stderr, "--help") {
			t.Errorf("%q: want exit 2 and a usage message: %v", args, r)
		}
	}
}

func TestShowPiped(t *testing.T) {
	for _, id := range newestFirst {
		b, body := builtinBriefing(t, id)
		r := run(t, piped, "show", id)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("show %s: %v", id, r)
		}
		out := r.stdout
		if err := plainText(out); err != nil {
			t.Errorf("show %s: %v", id, err)
		}
		if strings.Contains(out, "\t") || strings.ContainsAny(out, "╭╮╰╯│") {
			t.Errorf("show %s: tabs or a frame in piped output", id)
		}
		want := []string{b.Title + "\n", b.When()}
		if b.Summary != "" {
			want = append(want, b.Summary)
		}
		for _, ref := range b.Officials {
			line := ref.Display()
			if role, ok := ref.Official.RoleOn(b.Date); ok {
				line += " — " + role.Title
			}
			want = append(want, line)
		}
		for _, f := range b.Figures() { // exactly as the frontmatter has them
			want = append(want, f.Value+"  "+f.Label)
			if f.Note != "" {
				want = append(want, f.Note)
			}
		}
		for _, s := range b.Sources() {
			want = append(want, s.Outlet)
		}
		for _, l := range lines(body) { // the body, unwrapped
			if strings.TrimSpace(l) != "" {
				want = append(want, l)
			}
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("show %s lacks %q", id, w)
			}
		}
		// Every source has a link (issue 13, item 6), numbered at the end;
		// the body has none.
		if strings.Contains(out, "Links:") || !strings.Contains(out, "Source links:\n") {
			t.Errorf("show %s: want the source links and no body links", id)
		}
		for i, s := range b.Sources() {
			if l := fmt.Sprintf("[%d] %s\n", i+1, s.URL); s.URL == "" || !strings.Contains(out, l) {
				t.Errorf("show %s lacks the source link %q", id, l)
			}
		}
	}
}

func TestShowFiguresVerbatim(t *testing.T) {
	r := run(t, piped, "show", idTalks)
	for _, fig := range []string{
		"$156mn  Joint industrial projects already implemented",
		"21 new joint projects  New joint projects in the pipeline",
		"approximately $1bn  Value of the 21 new joint projects",
		"$10bn  Mutual trade target",
		"consistently exceeded $4 billion  Bilateral trade in recent years",
		"Murat Nurtleu — Deputy Prime Minister and Minister of Foreign Affairs of Kazakhstan",
		"Bakhtiyor Saidov — Minister of Foreign Affairs of Uzbekistan",
		"Kassym-Jomart Tokayev — President of Kazakhstan",
		"Date inferred: Both sources give 19 February but no year.",
		"EU Reporter, “تلتزم كازاخستان وأوزبكستان بتعزيز العلاقات وزيادة حجم التجارة” (ar)",
		"Tokayev singled out transit and transport, citing the Darbaza–Maktaaral railway being built towards the Uzbek border",
		"## Meeting with Tokayev",
	} {
		if !strings.Contains(r.stdout, fig) {
			t.Errorf("show %s lacks %q", idTalks, fig)
		}
	}
}

// linked is a folder with one briefing that has links in its body and in
// its sources.
func linked(t *testing.T) string {
	return writeFolder(t, map[string]string{
		"linked.md": `---
title: Ministers sign a railway protocol
date: 2025-03-10
kind: agreement
location: Tashkent
officials: [saidov, nurtleu]
figures:
  - label: Freight target
    value: "up to 15 million tonnes a year"
sources:
  - outlet: Example News
    title: Protocol signed
    url: https://news.example.org/protocol-signed
    published: 2025-03-10
---

The ministers signed a protocol, as the [foreign ministry](https://mfa.example.uz/en/press/123) reported.
A second report is [here](https://kazinform.example.kz/news/456).
`,
	})
}

func TestShowLinks(t *testing.T) {
	dir := linked(t)
	r := run(t, piped, "--dir", dir, "show", "linked")
	if r.code != 0 || r.stderr != "" {
		t.Fatal(r)
	}
	if err := plainText(r.stdout); err != nil {
		t.Error(err)
	}
	want := "Links:\n[1] https://mfa.example.uz/en/press/123\n[2] https://kazinform.example.kz/news/456\nSource links:\n[3] https://news.example.org/protocol-signed\n"
	if !strings.HasSuffix(r.stdout, want) {
		t.Errorf("piped show does not end with the numbered links\n%s\nwant the end\n%s", r.stdout, want)
	}
	for _, w := range []string{"up to 15 million tonnes a year  Freight target", "Bakhtiyor Saidov — Minister of Foreign Affairs of Uzbekistan", "The ministers signed a protocol"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("piped show lacks %q", w)
		}
	}

	r = run(t, term80, "--dir", dir, "show", "linked")
	if r.code != 0 {
		t.Fatal(r)
	}
	if err := terminalSafe(r.stdout); err != nil {
		t.Error(err)
	}
	if err := fits(r.stdout, 80); err != nil {
		t.Error(err)
	}
	plain := ansi.Strip(r.stdout)
	for _, w := range []string{"[1] https://mfa.example.uz/en/press/123", "[2] https://kazinform.example.kz/news/456", "[3] https://news.example.org/protocol-signed"} {
		if !strings.Contains(plain, w) {
			t.Errorf("terminal show lacks %q:\n%s", w, plain)
		}
	}
}

func TestShowTerminal(t *testing.T) {
	for _, width := range []int{40, 80, 160} {
		where := tty{terminal: true, width: width}
		for _, id := range newestFirst {
			b, _ := builtinBriefing(t, id)
			r := run(t, where, "show", id)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("%s, show %s: %v", where, id, r)
			}
			if err := terminalSafe(r.stdout); err != nil {
				t.Errorf("%s, show %s: %v", where, id, err)
			}
			// Within the terminal, and never wider than a readable line.
			if err := fits(r.stdout, min(width, 100)); err != nil {
				t.Errorf("%s, show %s: %v", where, id, err)
			}
			plain := words(r.stdout)
			for _, f := range b.Figures() {
				if !strings.Contains(plain, words(f.Value)) {
					t.Errorf("%s, show %s lacks the figure %q", where, id, f.Value)
				}
			}
			if !strings.Contains(plain, words(b.Title)) {
				t.Errorf("%s, show %s lacks the title", where, id)
			}
		}
	}
	// The rendered body, not its Markdown source.
	r := run(t, term80, "show", idCall)
	if strings.Contains(r.stdout, "**Birthday.**") || !strings.Contains(ansi.Strip(r.stdout), "Birthday.") {
		t.Errorf("the body is not rendered on a terminal:\n%s", r.stdout)
	}
}

func TestShowJSON(t *testing.T) {
	_, body := builtinBriefing(t, idCall)
	r := run(t, piped, "show", "2025-07-24", "--format", "json")
	if r.code != 0 || r.stderr != "" {
		t.Fatal(r)
	}
	var b jsonBriefing
	if err := json.Unmarshal([]byte(r.stdout), &b); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, r.stdout)
	}
	if b.ID != idCall || b.Body == nil || *b.Body != body {
		t.Errorf("show --format json: id %q, body %v; want the whole body", b.ID, b.Body)
	}
	if len(b.Figures) != 2 || b.Figures[1].Value != "nearly $4.3 billion" {
		t.Errorf("figures %+v", b.Figures)
	}
	if len(b.Officials) != 2 || b.Officials[1].ID != "mirziyoyev" || b.Officials[1].Role != "President of Uzbekistan" {
		t.Errorf("officials %+v", b.Officials)
	}
	// The same on a terminal: JSON is for scripts wherever it goes.
	if tr := run(t, term80, "show", "2025-07-24", "--format", "json"); tr.stdout != r.stdout {
		t.Errorf("JSON differs on a terminal:\n%s", tr.stdout)
	}
}

func TestCard(t *testing.T) {
	for _, width := range []int{40, 60, 80, 160} {
		where := tty{terminal: true, width: width}
		for _, id := range newestFirst {
			r := run(t, where, "card", id)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("%s, card %s: %v", where, id, r)
			}
			if err := terminalSafe(r.stdout); err != nil {
				t.Errorf("%s, card %s: %v", where, id, err)
			}
			if err := fits(r.stdout, min(width, 100)); err != nil {
				t.Errorf("%s, card %s: %v", where, id, err)
			}
			ls := lines(ansi.Strip(r.stdout))
			if !strings.HasPrefix(ls[0], "╭") || !strings.HasPrefix(ls[len(ls)-1], "╰") {
				t.Errorf("%s, card %s: not framed:\n%s", where, id, r.stdout)
			}
			for _, l := range ls[1 : len(ls)-1] {
				if !strings.HasPrefix(l, "│") || !strings.HasSuffix(l, "│") {
					t.Errorf("%s, card %s: a line outside the frame: %q", where, id, l)
				}
			}
		}
	}

	r := run(t, piped, "card", "2025-08")
	if r.code != 0 || r.stderr != "" {
		t.Fatal(r)
	}
	if err := plainText(r.stdout); err != nil {
		t.Error(err)
	}
	if strings.ContainsAny(r.stdout, "╭╮╰╯│") {
		t.Errorf("a frame in piped output:\n%s", r.stdout)
	}
	for _, w := range []string{
		"Tokayev receives Uzbek Senate Chairwoman Tanzila Norbaeva in Astana\n",
		"18 Aug 2025 · meeting · Astana",
		"Kassym-Jomart Tokayev — President of Kazakhstan",
		"Tanzila Norbaeva — Chairwoman of the Senate of the Oliy Majlis of Uzbekistan",
		"Kazinform News Agency (citing Akorda)",
	} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("piped card lacks %q:\n%s", w, r.stdout)
		}
	}
	// A card is a summary: none of the body.
	if strings.Contains(r.stdout, "parliamentary track") {
		t.Errorf("the card has the body")
	}
}

// words gives the text of rendered output as single-spaced words: no
// styles, no frame, no line breaks.
func words(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune("╭╮╰╯│─", r) {
			return ' '
		}
		return r
	}, ansi.Strip(s))
	return strings.Join(strings.Fields(s), " ")
}

// TestShowHyperlinks: on a terminal that shows them, numbers and listed
// links are OSC 8 hyperlinks, in the strict form only; never when piped,
// never where the terminal is not known to show them.
func TestShowHyperlinks(t *testing.T) {
	dir := linked(t)
	force := map[string]string{"FORCE_HYPERLINK": "1"}
	r := run(t, term80.with(force), "--dir", dir, "show", "linked")
	if r.code != 0 {
		t.Fatal(r)
	}
	if err := sanitize.CheckWithLinks(r.stdout); err != nil {
		t.Error(err)
	}
	for _, u := range []string{"https://mfa.example.uz/en/press/123", "https://news.example.org/protocol-signed"} {
		if !strings.Contains(r.stdout, "\x1b]8;;"+u+"\x1b\\") {
			t.Errorf("no hyperlink to %s:\n%q", u, r.stdout)
		}
	}
	for _, where := range []tty{piped.with(force), term80, term80.with(map[string]string{"FORCE_HYPERLINK": "0", "TERM_PROGRAM": "WezTerm"})} {
		r := run(t, where, "--dir", dir, "show", "linked")
		if strings.Contains(r.stdout, "\x1b]") {
			t.Errorf("%s: hyperlinks:\n%q", where, r.stdout)
		}
	}
}

// TestShowThroughTheIDIndex: once a folder has been loaded, show and card
// read the one file the index cache names, and say what a full load says:
// the same page, the same warning about briefings that do not load, and
// the same answers for a start of an id or an unknown one.
func TestShowThroughTheIDIndex(t *testing.T) {
	dir := writeFolder(t, map[string]string{
		"2024/talks.md":  briefing("Talks in Astana", "2024-02-19", "Nurtleu", "id: 2024-02-19-talks"),
		"2024/visit.md":  briefing("A visit", "2024-03-01", "Saidov", "id: 2024-03-01-visit", "topics: [trade]"),
		"2025/broken.md": "---\ntitle: [unclosed\n---\n",
	})
	then := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) // files just written are not trusted
	for _, p := range []string{"2024/talks.md", "2024/visit.md", "2025/broken.md", "2024", "2025", "."} {
		if err := os.Chtimes(filepath.Join(dir, p), then, then); err != nil {
			t.Fatal(err)
		}
	}
	tests := [][]string{
		{"show", "2024-02-19-talks"},
		{"card", "2024-03-01-visit"},
		{"show", "2024-03"},         // a start of an id
		{"show", "2024"},            // several
		{"card", "2024-02-19-talk"}, // a start that is also almost an id
		{"show", "2023-01-01-none"},
		{"show", "2024-02-19-talks", "--format", "json"},
	}
	first := make([]result, len(tests))
	for i, args := range tests { // the first run loads the folder and writes the index
		first[i] = run(t, piped, append(args, "--dir", dir)...)
	}
	for i, args := range tests {
		again := run(t, piped, append(args, "--dir", dir)...)
		if again != first[i] {
			t.Errorf("%v through the index:\n%v\nloading the folder:\n%v", args, again, first[i])
		}
	}
	if r := first[0]; r.code != 0 || !strings.Contains(r.stdout, "Talks in Astana") || !strings.Contains(r.stderr, "1 briefing in "+dir+" could not be loaded") {
		t.Errorf("show: %v", r)
	}
}
