package draft

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/brief-tools/brief/store"
)

// Input is one saved article and what the curator says of it.
type Input struct {
	Name string // the file name, as evidence cites it ("-" for standard input)
	Data []byte
	// URL, Outlet and Lang override what the extractor finds; Published
	// is the publication date that "today" and dates without a year are
	// counted from.
	URL, Outlet, Lang string
	Published         store.Date
}

// IsHTML reports whether an input is a saved HTML page, by its name or,
// failing that, its first bytes.
func (in Input) IsHTML() bool {
	switch strings.ToLower(path.Ext(in.Name)) {
	case ".html", ".htm", ".xhtml":
		return true
	case ".txt", ".text", ".md":
		return false
	}
	head := bytes.ToLower(bytes.TrimSpace(in.Data[:min(len(in.Data), 512)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) || bytes.Contains(head, []byte("<head"))
}

// Article is what the pipeline made of one input.
type Article struct {
	Text          *Text
	Lang          string
	LangSure      bool
	Published     Published
	HavePublished bool
	Date          EventDate
	People        []Person
	Place         Place
	HavePlace     bool
	Kind          Kind
	HaveKind      bool
	Figures       []Figure
	Source        Source
}

// ExtractArticle runs every step over one article.
func ExtractArticle(in Input, m *Matcher) (*Article, error) {
	var t *Text
	if in.IsHTML() {
		var err error
		if t, err = HTML(in.Name, in.Data, in.URL); err != nil {
			return nil, err
		}
	} else {
		t = Plain(in.Name, in.Data)
	}
	a := &Article{Text: t}
	if in.Lang != "" {
		a.Lang, a.LangSure = in.Lang, true
	} else if t.Meta.Lang != "" {
		a.Lang, a.LangSure = t.Meta.Lang, true
	} else {
		a.Lang, a.LangSure = Language(t)
	}
	if in.URL != "" && t.URL == "" {
		t.URL = in.URL
	}
	a.Published, a.HavePublished = PublishedDate(t, in.Published)
	sents := t.Sentences()
	a.Date = ChooseEventDate(t, sents, a.Published, a.HavePublished)
	a.People = Officials(t, sents, m, a.Date.Announced)
	a.Kind, a.HaveKind = FindKind(t, sents, a.Date.Announced)
	a.Place, a.HavePlace = FindPlace(t, sents, a.Kind.Kind, a.Date.Announced)
	a.Figures = Figures(t, sents)
	a.Source = FindSource(t, in, a.Lang, a.Published, a.HavePublished)
	return a, nil
}

// Flag is one field a curator must verify, with what was found and why
// the extractor is unsure.
type Flag struct {
	Field string `json:"field"`
	Found string `json:"found"`
	Why   string `json:"why"`
}

// Draft is a briefing in the making: every field with its evidence, and
// the fields to verify.
type Draft struct {
	Articles  []*Article
	ID        string
	Title     string
	Summary   string
	Date      EventDate
	Kind      Kind
	HaveKind  bool
	Place     Place
	HavePlace bool
	Countries []string
	People    []Person
	Figures   []Figure
	Sources   []Source
	Verify    []Flag
}

// Extract drafts one briefing from articles about one event: each article
// becomes a source; dates, people, places and figures are merged, and
// what the articles disagree on is flagged.
func Extract(ins []Input, reg *store.Registry) (*Draft, error) {
	m := NewMatcher(reg)
	d := &Draft{}
	for _, in := range ins {
		a, err := ExtractArticle(in, m)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.Name, err)
		}
		d.Articles = append(d.Articles, a)
	}
	d.merge()
	d.compose()
	return d, nil
}

// merge combines the articles' findings.
func (d *Draft) merge() {
	// The date: a stated date beats a worked-out one; the first article
	// otherwise. Disagreement is flagged.
	for i, a := range d.Articles {
		if i == 0 || (a.Date.Basis == store.BasisStated && d.Date.Basis != store.BasisStated && !a.Date.Date.IsZero()) || (d.Date.Date.IsZero() && !a.Date.Date.IsZero()) {
			d.Date = a.Date
		}
	}
	for _, a := range d.Articles {
		if !a.Date.Date.IsZero() && !d.Date.Date.IsZero() && a.Date.Date.String() != d.Date.Date.String() {
			d.Verify = append(d.Verify, Flag{Field: "date", Found: fmt.Sprintf("%s in %s", a.Date.Date, a.Text.File),
				Why: fmt.Sprintf("the sources disagree: %s gives %s", a.Text.File, a.Date.Date)})
			d.Date.Sure = false
		}
	}
	// Kind: the most common; ties to the first.
	count := map[string]int{}
	for _, a := range d.Articles {
		if a.HaveKind {
			count[a.Kind.Kind]++
			if !d.HaveKind || count[a.Kind.Kind] > count[d.Kind.Kind] {
				d.Kind, d.HaveKind = a.Kind, true
			}
		}
	}
	for _, a := range d.Articles {
		if !a.HavePlace {
			continue
		}
		if !d.HavePlace || (a.Place.Sure && !d.Place.Sure) {
			d.Place, d.HavePlace = a.Place, true
		}
	}
	for _, a := range d.Articles {
		if a.HavePlace && d.HavePlace && a.Place.Name != d.Place.Name {
			d.Verify = append(d.Verify, Flag{Field: "location", Found: fmt.Sprintf("%s in %s", a.Place.Name, a.Text.File), Why: "the sources name different places"})
			d.Place.Sure = false
		}
	}
	// People: one entry per registry official or written name.
	index := map[string]int{}
	for _, a := range d.Articles {
		for _, p := range a.People {
			key := "name:" + foldWordsOf(p.Written)
			if p.Official != nil {
				key = "id:" + p.Official.ID
			}
			if i, ok := index[key]; ok {
				d.People[i].Evidence = append(d.People[i].Evidence, p.Evidence...)
				d.People[i].Sure = d.People[i].Sure || p.Sure
				continue
			}
			index[key] = len(d.People)
			d.People = append(d.People, p)
		}
	}
	seen := map[string]bool{}
	for _, a := range d.Articles {
		for _, f := range a.Figures {
			if k := foldWordsOf(f.Value); !seen[k] {
				seen[k] = true
				d.Figures = append(d.Figures, f)
			}
		}
		d.Sources = append(d.Sources, a.Source)
	}
	countries := map[string]bool{}
	for _, p := range d.People {
		if p.Official != nil && p.Official.Country != "" {
			countries[p.Official.Country] = true
		}
	}
	if d.HavePlace {
		c := d.Place.Country
		if c == "" {
			c = d.Place.Name
		}
		countries[c] = true
	}
	for c := range countries {
		d.Countries = append(d.Countries, c)
	}
	sort.Strings(d.Countries)
}

// compose writes the title, summary and id from the merged facts, and
// lists what to verify.
func (d *Draft) compose() {
	names := d.shortNames()
	who := joinNames(names)
	where := ""
	if d.HavePlace {
		where = " in " + d.Place.Name
	}
	switch d.Kind.Kind {
	case "call":
		d.Title = who + " speak by phone"
		if len(names) == 1 {
			d.Title = who + " holds a phone call"
		}
	case "talks":
		d.Title = who + " hold talks" + where
	case "meeting":
		d.Title = who + " meet" + where
		if len(names) == 1 {
			d.Title = who + " holds a meeting" + where
		}
	case "state-visit":
		d.Title = who + ": state visit" + where
	case "visit":
		d.Title = who + ": visit" + where
	case "summit":
		d.Title = "Summit" + where + " with " + who
	case "agreement":
		d.Title = who + " sign an agreement" + where
	case "statement":
		d.Title = who + " makes a statement"
	default:
		d.Title = who + where
	}
	if len(names) == 0 {
		d.Title = strings.TrimPrefix(strings.TrimPrefix(d.Title, ": "), " ")
		if d.Title == "" {
			d.Title = "Untitled event"
		}
	}
	d.Title = strings.ToUpper(d.Title[:1]) + d.Title[1:]

	kind := d.Kind.Kind
	if kind == "" {
		kind = "event"
	}
	var full []string
	for _, p := range d.People {
		full = append(full, personLine(p, d.Date.Date))
	}
	when := "date to be established"
	if !d.Date.Date.IsZero() {
		when = d.Date.Date.Short()
	}
	d.Summary = fmt.Sprintf("Draft from %d %s: %s", len(d.Sources), plural(len(d.Sources), "source", "sources"), strings.ReplaceAll(kind, "-", " "))
	if len(full) > 0 {
		d.Summary += " with " + joinNames(full)
	}
	d.Summary += where + ", " + when
	if n := len(d.Figures); n > 0 {
		d.Summary += fmt.Sprintf("; %d key %s", n, plural(n, "figure", "figures"))
	}
	d.Summary += "."

	d.ID = d.makeID()
	d.flag()
}

// shortNames gives each person briefly: the registry's surname, or the
// name as written.
func (d *Draft) shortNames() []string {
	var out []string
	for _, p := range d.People {
		if p.Official != nil {
			out = append(out, p.Official.Surname())
		} else {
			out = append(out, p.Written)
		}
	}
	return out
}

// personLine gives "Shavkat Mirziyoyev (President of Uzbekistan)".
func personLine(p Person, on store.Date) string {
	if p.Official == nil {
		return p.Written
	}
	if role, ok := p.Official.RoleOn(on); ok && !on.IsZero() {
		return p.Official.Name + " (" + role.Title + ")"
	}
	return p.Official.Name
}

func joinNames(ns []string) string {
	switch len(ns) {
	case 0:
		return ""
	case 1:
		return ns[0]
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// makeID names the draft: its date, the registry ids of its officials and
// its kind, in ASCII ("2025-11-15-mirziyoyev-tokayev-talks").
func (d *Draft) makeID() string {
	parts := []string{"undated"}
	if !d.Date.Date.IsZero() {
		parts[0] = d.Date.Date.String()
	}
	n := 0
	for _, p := range d.People {
		if p.Official != nil && n < 3 {
			parts = append(parts, p.Official.ID)
			n++
		}
	}
	if d.Kind.Kind != "" {
		parts = append(parts, d.Kind.Kind)
	}
	if len(parts) == 1 {
		parts = append(parts, "draft")
	}
	return strings.Join(parts, "-")
}

// flag lists every field the extractor is unsure of.
func (d *Draft) flag() {
	var flags []Flag
	add := func(field, found, why string) { flags = append(flags, Flag{Field: field, Found: found, Why: why}) }
	switch {
	case d.Date.Date.IsZero() && d.Date.Partial != "":
		add("date", cite(d.Date.Evidence), "the text says "+quote(d.Date.Partial)+" but gives no year or publication date; pass --published or write the date")
	case d.Date.Date.IsZero():
		add("date", "nothing", "no date for the event and no publication date; pass --published or write the date")
	case !d.Date.Sure:
		why := d.Date.Note
		if why == "" {
			why = "stated after the article's opening"
		}
		add("date", cite(d.Date.Evidence), why)
	}
	switch {
	case !d.HaveKind:
		add("kind", "nothing", "no word for the kind of event; write call, meeting, talks, visit, state-visit, summit, statement or agreement")
	case !d.Kind.Sure:
		add("kind", cite([]Evidence{d.Kind.Evidence}), "the article's words point to several kinds of event")
	}
	switch {
	case d.HavePlace && (!d.Place.Sure || d.Place.Why != ""):
		why := d.Place.Why
		if why == "" {
			why = "check it is where the event happened"
		}
		add("location", cite([]Evidence{d.Place.Evidence}), why)
	case !d.HavePlace && d.Kind.Kind != "call" && d.Kind.Kind != "statement":
		add("location", "nothing", "the text names no place for the event; leave it out or write it")
	}
	if len(d.People) == 0 {
		add("officials", "nobody", "no participant found; name at least one")
	}
	for _, p := range d.People {
		if !p.Sure {
			add("officials", cite(p.Evidence[:1]), p.Why)
		}
	}
	for _, f := range d.Figures {
		add("figures", quote(f.Value)+" ("+cite([]Evidence{{File: f.Evidence.File, Line: f.Evidence.Line}})+")", "the label and period are worked out from the sentence; check them")
	}
	for _, s := range d.Sources {
		if s.Outlet == "" {
			add("sources", "no outlet", "the outlet was not found; pass --outlet")
		}
		if s.Published.IsZero() {
			add("sources", "no publication date", "pass --published")
		}
	}
	for _, a := range d.Articles {
		if !a.LangSure {
			add("sources", "lang "+quote(a.Lang)+" for "+a.Text.File, "the language is a guess; pass --lang")
		}
	}
	add("title", quote(d.Title), "written from a template; say what happened in a few words")
	add("summary", "a template", "written from the fields above; say why the event matters")
	d.Verify = append(d.Verify, flags...)
}

// cite gives evidence as "file:line: text", the first of several.
func cite(evs []Evidence) string {
	if len(evs) == 0 {
		return "nothing"
	}
	e := evs[0]
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Text != "" {
		s += ": " + clip(e.Text, 80)
	}
	return s
}

func quote(s string) string { return "“" + s + "”" }

// clip shortens text for a flag, on a rune boundary.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
