package draft

// Report is the draft as --format json prints it: each extracted field
// with where it was found (file and line) and whether the extractor is
// sure of it, the lines set aside as site chrome, and the fields to
// verify.
type Report struct {
	ID        string         `json:"id"`
	Status    string         `json:"status"`
	Title     string         `json:"title"`
	Summary   string         `json:"summary"`
	Date      DateReport     `json:"date"`
	Kind      FieldReport    `json:"kind"`
	Location  FieldReport    `json:"location"`
	Countries []string       `json:"countries"`
	Officials []PersonReport `json:"officials"`
	Figures   []FigureReport `json:"figures"`
	Sources   []SourceReport `json:"sources"`
	Verify    []Flag         `json:"verify"`
	SetAside  []LineReport   `json:"set_aside"`
}

// FieldReport is one extracted value and its evidence.
type FieldReport struct {
	Value    string     `json:"value"`
	Sure     bool       `json:"sure"`
	Why      string     `json:"why,omitempty"`
	Evidence []Evidence `json:"evidence"`
}

// DateReport is the event's date, how it was worked out, and every date
// the articles name with the role the extractor gave it.
type DateReport struct {
	Value      string      `json:"value"`
	Basis      string      `json:"basis,omitempty"`
	Note       string      `json:"note,omitempty"`
	Partial    string      `json:"partial,omitempty"`
	Sure       bool        `json:"sure"`
	Evidence   []Evidence  `json:"evidence"`
	Candidates []Candidate `json:"candidates"`
}

// PersonReport is one participant.
type PersonReport struct {
	ID       string     `json:"id,omitempty"`
	Name     string     `json:"name"`
	Written  string     `json:"as_written"`
	Sure     bool       `json:"sure"`
	Why      string     `json:"why,omitempty"`
	Evidence []Evidence `json:"evidence"`
}

// FigureReport is one figure as written, with its sentence.
type FigureReport struct {
	Label    string   `json:"label"`
	Value    string   `json:"value"`
	Period   string   `json:"period,omitempty"`
	Evidence Evidence `json:"evidence"`
}

// SourceReport is one article as a source, with where each field came
// from.
type SourceReport struct {
	File      string              `json:"file"`
	Outlet    string              `json:"outlet,omitempty"`
	Title     string              `json:"title,omitempty"`
	URL       string              `json:"url,omitempty"`
	Lang      string              `json:"lang,omitempty"`
	LangSure  bool                `json:"lang_sure"`
	Published string              `json:"published,omitempty"`
	Evidence  map[string]Evidence `json:"evidence"`
}

// LineReport is a line the text step set aside, and why.
type LineReport struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Kind string `json:"kind"`
	Text string `json:"text"`
	Why  string `json:"why"`
}

// Report gives the draft's fields with their evidence.
func (d *Draft) Report() Report {
	r := Report{ID: d.ID, Status: "draft", Title: d.Title, Summary: d.Summary, Countries: nonNil(d.Countries),
		Officials: []PersonReport{}, Figures: []FigureReport{}, Sources: []SourceReport{}, Verify: d.Verify, SetAside: []LineReport{}}
	r.Date = DateReport{Basis: string(d.Date.Basis), Note: d.Date.Note, Partial: d.Date.Partial, Sure: d.Date.Sure,
		Evidence: nonNilEv(d.Date.Evidence), Candidates: []Candidate{}}
	if !d.Date.Date.IsZero() {
		r.Date.Value = d.Date.Date.String()
	}
	for _, a := range d.Articles {
		r.Date.Candidates = append(r.Date.Candidates, a.Date.Candidates...)
	}
	r.Kind = FieldReport{Value: d.Kind.Kind, Sure: d.Kind.Sure, Evidence: []Evidence{}}
	if d.HaveKind {
		r.Kind.Evidence = []Evidence{d.Kind.Evidence}
	}
	r.Location = FieldReport{Evidence: []Evidence{}}
	if d.HavePlace {
		r.Location = FieldReport{Value: d.Place.Name, Sure: d.Place.Sure, Why: d.Place.Why, Evidence: []Evidence{d.Place.Evidence}}
	}
	for _, p := range d.People {
		pr := PersonReport{Name: p.Written, Written: p.Written, Sure: p.Sure, Why: p.Why, Evidence: p.Evidence}
		if p.Official != nil {
			pr.ID, pr.Name = p.Official.ID, p.Official.Name
		}
		r.Officials = append(r.Officials, pr)
	}
	for _, f := range d.Figures {
		r.Figures = append(r.Figures, FigureReport(f))
	}
	for i, s := range d.Sources {
		sr := SourceReport{File: d.Articles[i].Text.File, Outlet: s.Outlet, Title: s.Title, URL: s.URL, Lang: s.Lang,
			LangSure: d.Articles[i].LangSure, Evidence: s.Evidence}
		if !s.Published.IsZero() {
			sr.Published = s.Published.String()
		}
		r.Sources = append(r.Sources, sr)
	}
	for _, a := range d.Articles {
		for _, l := range a.Text.Lines {
			if l.Kind == Chrome || l.Kind == Stamp || l.Kind == Caption || l.Kind == Address {
				r.SetAside = append(r.SetAside, LineReport{File: a.Text.File, Line: l.N, Kind: l.Kind.String(), Text: l.Text, Why: l.Why})
			}
		}
	}
	if r.Verify == nil {
		r.Verify = []Flag{}
	}
	return r
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilEv(e []Evidence) []Evidence {
	if e == nil {
		return []Evidence{}
	}
	return e
}
