package draft

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/brief-tools/brief/store"
)

// Evidence says where a field was found: the file, its line (0 when the
// value came from a flag or the page's address) and the words as written.
type Evidence struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Text string `json:"text"`
}

func (e Evidence) String() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Text)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Text)
}

// Published is when an article was published, and how that is known.
type Published struct {
	Date     store.Date
	Evidence Evidence
	How      string // "the --published flag", "a publication stamp", "the page's address", ...
}

// PublishedDate works out when the article was published: the date given
// (from --published), the page's own metadata, a clipping stamp, a
// publication stamp near the headline, or the date in the page's address.
// A page clock above the headline that is older than a year the article
// itself names is not the publication date.
func PublishedDate(t *Text, given store.Date) (Published, bool) {
	if !given.IsZero() {
		return Published{Date: given, Evidence: Evidence{File: t.File, Text: given.String()}, How: "the --published flag"}, true
	}
	if t.Meta.Published != "" {
		if d, err := store.ParseDate(t.Meta.Published); err == nil {
			return Published{Date: d, Evidence: Evidence{File: t.File, Text: t.Meta.Published}, How: "the page's metadata"}, true
		}
	}
	if t.clip != "" {
		if d, err := store.ParseDate(t.clip); err == nil {
			return Published{Date: d, Evidence: Evidence{File: t.File, Line: t.clipLine, Text: "date " + t.clip}, How: "the clipping's date stamp"}, true
		}
	}
	_, titleLine := t.Title()
	latestYear := latestYearNamed(t)
	var header *Published
	for _, l := range t.Lines {
		if l.Kind != Stamp {
			continue
		}
		for _, m := range Dates(l.Text) {
			if m.Year == 0 || m.Day == 0 {
				continue
			}
			p := Published{Date: dayDate(m.Year, m.Month, m.Day), Evidence: Evidence{File: t.File, Line: l.N, Text: l.Text}, How: "a publication stamp"}
			if titleLine > 0 && l.N < titleLine {
				// Above the headline: a page clock, unless nothing better comes.
				if header == nil && m.Year >= latestYear {
					p.How = "a date stamp above the headline"
					header = &p
				}
				continue
			}
			return p, true
		}
	}
	if header != nil {
		return *header, true
	}
	if d, text, ok := urlDate(t.URL); ok {
		return Published{Date: d, Evidence: Evidence{File: t.File, Text: text}, How: "the page's address"}, true
	}
	return Published{}, false
}

// latestYearNamed gives the latest year the article's prose names as a
// year ("in 2025", "As of 2025", "2025-yil"), or 0.
func latestYearNamed(t *Text) int {
	latest := 0
	for _, p := range t.Paragraphs() {
		for _, l := range p.Lines {
			for _, m := range yearPattern().FindAllString(l.Text, -1) {
				if y := atoi(m); validYear(y) && y > latest {
					latest = y
				}
			}
		}
	}
	return latest
}

var yearPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b(19|20)\d\d\b`) })

// urlDates() are the dates pages carry in their addresses.
var urlDates = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		regexp.MustCompile(`/((?:19|20)\d\d)/(\d\d)/(\d\d)(?:/|$)`),
		regexp.MustCompile(`[/_-]((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[/_-]|$)`),
		regexp.MustCompile(`/((?:19|20)\d\d)(\d\d)(\d\d)/`),
		regexp.MustCompile(`/((?:19|20)\d\d)/(\d\d)/()`),
	}
})

// urlDate finds the date in a page's address: /2024/08/08/, /2025-11-15/,
// /20231028/, or /2024/08/ (month only).
func urlDate(u string) (store.Date, string, bool) {
	if u == "" {
		return store.Date{}, "", false
	}
	for _, re := range urlDates() {
		m := re.FindStringSubmatch(u)
		if m == nil {
			continue
		}
		y, mo := atoi(m[1]), atoi(m[2])
		if !validYear(y) || !validMonth(mo) {
			continue
		}
		if m[3] == "" {
			return store.Date{Year: y, Month: time.Month(mo), Precision: store.PrecisionMonth}, m[0], true
		}
		if d := atoi(m[3]); validDay(d) {
			return dayDate(y, mo, d), m[0], true
		}
	}
	return store.Date{}, "", false
}

func dayDate(y, m, d int) store.Date {
	return store.Date{Year: y, Month: time.Month(m), Day: d, Precision: store.PrecisionDay}
}

// EventDate is the date chosen for the event, with how it was worked out.
type EventDate struct {
	Date     store.Date
	Basis    store.Basis
	Note     string // how the date was worked out, for dating.note
	Evidence []Evidence
	Sure     bool // stated in full for the event in the article's opening
	// Announced is set when the date is of an event the article announces
	// ahead of it: its sentences about the future are then about the event.
	Announced bool
	// Partial is what the text says when no date could be made of it
	// ("19 February", no year): for the curator.
	Partial string
	// Candidates lists every date the article names, with what the
	// extractor made of each, for --format json.
	Candidates []Candidate
}

// Candidate is one date the article names and the role the extractor
// gave it.
type Candidate struct {
	Mention  Mention  `json:"-"`
	Text     string   `json:"text"`
	Role     string   `json:"role"` // event, dateline, past, future, relative, stamp
	Evidence Evidence `json:"evidence"`
}

// futureMarkers() mark sentences about what is still to come, folded.
var futureMarkers = sync.OnceValue(func() []string {
	return foldAll([]string{
		"will", "upcoming", "to be held", "scheduled", "next",
		"предстоящ", "состоится", "пройдет", "пройдёт", "планируется", "будет", "следующ",
		"алдағы", "өтетін", "өтеді", "келеді", "барады",
		"otkaziladi", "kutilmoqda", "утказилади", "кутилмокда",
		"المقبل", "المقبله", "المقرر", "المرتقب", "المرتقبه",
	})
})

// hasMarker reports whether a folded, padded sentence holds one of the
// folded markers; markers of six letters or more may take an ending.
func hasMarker(padded string, markers []string) bool {
	for _, m := range markers {
		if hasPhrase(padded, m, len([]rune(m)) >= 6) {
			return true
		}
	}
	return false
}

// ChooseEventDate picks the event's date from the article's sentences: the
// first date the prose gives for the event (a dateline's included), else a
// relative day ("today", "on Monday") counted from the publication date,
// else the publication date itself. A date without a year takes the
// publication's year; without a publication date it stays partial.
func ChooseEventDate(t *Text, sents []Sentence, pub Published, havePub bool) EventDate {
	var ed EventDate
	type pick struct {
		m    Mention
		s    Sentence
		role string
	}
	var event, future, relative []pick
	for _, s := range sents {
		for _, m := range Dates(s.Text) {
			ev := Evidence{File: t.File, Line: s.Line, Text: m.Text}
			role := "event"
			switch {
			case m.Season != "":
				role = "season"
			case m.IsRelative || (m.HasWeekday && !m.IsDate()):
				role = "relative"
			case !m.IsDate():
				continue
			case m.Day == 0 && m.Year == 0:
				role = "month without a year"
			case m.Day == 0 && m.Month == 0:
				role = "year"
			case s.Past:
				role = "past"
			case havePub && m.Year > 0 && monthsBetween(m, pub.Date) > 1:
				role = "other event"
			case s.Future:
				role = "future"
			case s.Dateline > 0 && m.Start < s.Dateline:
				role = "dateline"
			}
			ed.Candidates = append(ed.Candidates, Candidate{Mention: m, Text: m.Text, Role: role, Evidence: ev})
			switch role {
			case "event", "dateline":
				event = append(event, pick{m, s, role})
			case "future":
				future = append(future, pick{m, s, role})
			case "relative", "season":
				relative = append(relative, pick{m, s, role})
			}
		}
	}
	// A relative day before the first explicit date wins ("Today ..." in
	// the opening, the arrival "yesterday, 26 January" later).
	var first *pick
	if len(event) > 0 {
		first = &event[0]
	}
	for i := range relative {
		r := relative[i]
		if r.m.Season != "" || !havePub {
			continue
		}
		if first == nil || r.s.Line < first.s.Line || (r.s.Line == first.s.Line && r.s.Start < first.s.Start) {
			first = &relative[i]
		}
		break
	}
	if first == nil && len(future) > 0 {
		first = &future[0]
	}
	if first != nil {
		if ok := resolve(&ed, t, *first, pub, havePub); ok {
			return ed
		}
	}
	// "The floods this spring": the season, in the publication's year.
	for _, r := range relative {
		if r.m.Season != "" && havePub && !r.s.Past {
			ed.Date = store.Date{Year: pub.Date.Year, Precision: store.PrecisionYear, Season: r.m.Season}
			ed.Basis = store.BasisInferred
			ed.Note = fmt.Sprintf("The text says only %q; the year is the publication's, from %s.", r.m.Text, pub.How)
			ed.Evidence = append(ed.Evidence, Evidence{File: t.File, Line: r.s.Line, Text: r.m.Text}, pub.Evidence)
			return ed
		}
	}
	if havePub {
		ed.Date, ed.Basis = pub.Date, store.BasisPublished
		ed.Note = fmt.Sprintf("The text gives no date for the event; this is the publication date, from %s.", pub.How)
		ed.Evidence = append(ed.Evidence, pub.Evidence)
		return ed
	}
	for _, r := range relative {
		if r.m.Season != "" {
			ed.Partial = r.m.Text
			ed.Evidence = append(ed.Evidence, Evidence{File: t.File, Line: r.s.Line, Text: r.m.Text})
			return ed
		}
	}
	return ed
}

// resolve turns the chosen mention into a date, borrowing the year (and
// for relative days, the day) from the publication date where the text
// does not give it.
func resolve(ed *EventDate, t *Text, p struct {
	m    Mention
	s    Sentence
	role string
}, pub Published, havePub bool) bool {
	m := p.m
	ev := Evidence{File: t.File, Line: p.s.Line, Text: m.Text}
	switch {
	case m.IsRelative || (m.HasWeekday && !m.IsDate()):
		if !havePub || pub.Date.Precision != store.PrecisionDay {
			ed.Partial = m.Text
			ed.Evidence = append(ed.Evidence, ev)
			return false
		}
		day := time.Date(pub.Date.Year, pub.Date.Month, pub.Date.Day, 12, 0, 0, 0, time.UTC)
		if m.IsRelative {
			day = day.AddDate(0, 0, m.Relative)
		} else {
			for day.Weekday() != m.Weekday {
				day = day.AddDate(0, 0, -1)
			}
		}
		ed.Date = dayDate(day.Year(), int(day.Month()), day.Day())
		ed.Basis = store.BasisInferred
		ed.Note = fmt.Sprintf("The text says %q; counted from the publication date %s (%s).", m.Text, pub.Date, pub.How)
		ed.Evidence = append(ed.Evidence, ev, pub.Evidence)
		return true
	case m.Year > 0 && m.Day > 0:
		ed.Date, ed.Basis = dayDate(m.Year, m.Month, m.Day), store.BasisStated
		ed.Sure = p.s.Para <= 1 && p.role == "event"
	case m.Year > 0:
		ed.Date = store.Date{Year: m.Year, Month: time.Month(m.Month), Precision: store.PrecisionMonth}
		ed.Basis = store.BasisStated
	default:
		if !havePub {
			ed.Partial = m.Text
			ed.Evidence = append(ed.Evidence, ev)
			return false
		}
		y := pub.Date.Year
		// An event reported after New Year: "29 December" in a January page.
		if pub.Date.Precision >= store.PrecisionMonth && m.Month > int(pub.Date.Month)+2 {
			y--
		}
		ed.Date = dayDate(y, m.Month, m.Day)
		ed.Basis = store.BasisInferred
		ed.Note = fmt.Sprintf("The text says %q with no year; the year is the publication's, from %s.", m.Text, pub.How)
		ed.Evidence = append(ed.Evidence, pub.Evidence)
	}
	if m.EndDay > 0 {
		ed.Note = strings.TrimSpace(ed.Note + fmt.Sprintf(" The text gives a range, %q; the date is its first day.", m.Text))
		ed.Sure = false
	}
	if p.role == "dateline" {
		ed.Note = strings.TrimSpace(ed.Note + " The date is the report's dateline.")
		ed.Sure = false
	}
	if p.role == "future" {
		ed.Note = strings.TrimSpace(ed.Note + " The text announces the event ahead of it.")
		ed.Sure, ed.Announced = false, true
	}
	ed.Evidence = append([]Evidence{ev}, ed.Evidence...)
	return true
}

// monthsBetween counts whole months from a mention with a year to a date.
func monthsBetween(m Mention, d store.Date) int {
	mo := m.Month
	if mo == 0 {
		mo = 12
	}
	n := (d.Year-m.Year)*12 + int(d.Month) - mo
	if n < 0 {
		return 0
	}
	return n
}
