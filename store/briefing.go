package store

// Briefing is one curated event: the facts of its frontmatter, cleaned and
// validated. Its Markdown body is read only when asked for (Corpus.Body), so
// that a corpus of thousands loads fast and small; so are its details
// (Details: how its date was worked out, its figures, its sources, the keys
// the format does not define), which only its page, card and exports show:
// they are kept packed and unpacked on each call.
type Briefing struct {
	ID    string
	Title string
	Date  Date
	Kind  string
	// Location, Countries and Topics: the lists are shared between the
	// briefings that have the same; do not modify them.
	Location  string
	Countries []string
	Topics    []string
	// Officials lists the officials as the briefing names them, each resolved
	// against the registry where possible.
	Officials []OfficialRef
	Summary   string
	// Status is StatusDraft for a draft a curator still has to check, or
	// "" for a finished briefing.
	Status string

	// Path is the file's path inside the corpus' file system.
	Path string
	// BodyLine is the file's line number of the body's first line.
	BodyLine int

	// details holds the Details and the officials' lines, packed (see
	// details.go); basis is the Dating's basis, apart, for When.
	details       string
	basis         basisCode
	head          uint32 // headSum of the file up to the body, so that Body can tell it changed
	bodyOffset    int32  // byte offset of the body in the file (under MaxFileSize)
	idLine        int32  // line of the id key, or of the frontmatter's start
	size, modTime int64  // the file's, when loaded with an index cache (for the free-text index)
}

// Details are the parts of a briefing that lists, filters and queries do
// not read: a Briefing keeps them packed (Briefing.Details unpacks them;
// Briefing.SetDetails packs them).
type Details struct {
	Dating  Dating
	Figures []Figure
	Sources []Source
	// Extra keeps the keys the format does not define, in file order.
	Extra []Field
}

// Dating says how a briefing's date was worked out. (A season the sources
// give is part of the Date.)
type Dating struct {
	Basis Basis
	Note  string
}

// Basis says where a date comes from.
type Basis string

// The bases a date can have.
const (
	BasisStated    Basis = "stated"    // a source gives the date
	BasisPublished Basis = "published" // the date a source was published
	BasisInferred  Basis = "inferred"  // worked out from context
)

// StatusDraft marks a briefing written by 'brief draft' that a curator has
// not checked yet.
const StatusDraft = "draft"

// IsDraft reports whether the briefing is a draft still to be checked.
func (b *Briefing) IsDraft() bool { return b.Status == StatusDraft }

// OfficialRef is one name from a briefing's officials list.
type OfficialRef struct {
	Name     string    // as written in the briefing
	Official *Official // nil when the registry does not know the name
}

// Display gives the name a reader should see: the registry's full name when
// the official is known, else the name as written.
func (r OfficialRef) Display() string {
	if r.Official != nil {
		return r.Official.Name
	}
	return r.Name
}

// Figure is a key figure exactly as the sources state it.
type Figure struct {
	Label string
	Value string
	Note  string
}

// Source is where a briefing's facts come from.
type Source struct {
	Outlet    string
	Title     string
	URL       string
	Lang      string
	Published Date
}

// Field is a frontmatter key the format does not define, kept as text.
type Field struct {
	Key   string
	Value string
	Line  int
}

// When gives the date for lists, marked "~" when it was inferred:
// "24 Jul 2025", "~19 Feb 2024", "~Spring 2024".
func (b *Briefing) When() string {
	if b.basis == basisInferred {
		return "~" + b.Date.Short()
	}
	return b.Date.Short()
}

// OfficialNames gives the display names of the briefing's officials.
func (b *Briefing) OfficialNames() []string {
	names := make([]string, len(b.Officials))
	for i, o := range b.Officials {
		names[i] = o.Display()
	}
	return names
}

// ShortNames gives the officials briefly, for narrow columns: the
// registry's surname when the official is known, else the name as written.
func (b *Briefing) ShortNames() []string {
	names := make([]string, len(b.Officials))
	for i, ref := range b.Officials {
		names[i] = ref.Display()
		if ref.Official != nil {
			names[i] = ref.Official.Surname()
		}
	}
	return names
}

// Involves reports whether the official takes part in the briefing.
func (b *Briefing) Involves(o *Official) bool {
	for _, ref := range b.Officials {
		if ref.Official == o {
			return true
		}
	}
	return false
}
