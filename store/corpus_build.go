package store

import (
	"fmt"
	"io/fs"
)

// corpusBuilder makes a Corpus of a folder's files, given one by one in
// walk order (so that of two files with the same id, the first found is
// kept): a load that reads files while it walks (walkAndParse) adds them
// as each run of files is parsed, leaving little to do once the last is.
type corpusBuilder struct {
	c     *Corpus
	byID  idIndex // in walk order, to find an id used twice
	known map[string]*Official
	files int // the files added
}

// newCorpusBuilder starts a corpus; files is how many files are expected
// (a hint).
func newCorpusBuilder(name string, fsys fs.FS, registry *Registry, files int) *corpusBuilder {
	return &corpusBuilder{
		c:     &Corpus{Name: name, fsys: fsys, registry: registry, briefings: make([]*Briefing, 0, files)},
		byID:  newIDIndex(files),
		known: map[string]*Official{},
	}
}

// add adds the next file in walk order.
func (cb *corpusBuilder) add(f *fileState) {
	c := cb.c
	cb.files++
	c.problems = append(c.problems, f.problems...)
	b := f.briefing
	if b == nil && f.kept != nil {
		b = f.kept
		if c.kept == nil {
			c.kept = map[*Briefing]bool{}
		}
		c.kept[b] = true
		c.problems = append(c.problems, keptWarning(f.path))
	}
	if b == nil {
		c.rejected++
		return
	}
	c.briefings = append(c.briefings, b)
	if n := len(c.briefings); n+n/2 > len(cb.byID.slots) {
		cb.grow()
	}
	if first := cb.byID.add(c.briefings, len(c.briefings)-1); first != nil {
		c.briefings = c.briefings[:len(c.briefings)-1]
		c.problems = append(c.problems, Problem{Path: b.Path, Line: int(b.idLine), Severity: Error,
			Message: fmt.Sprintf("duplicate id %q: %s already uses it; give one of them another id", b.ID, first.Path)})
		c.rejected++
		return
	}
	c.resolveOfficials(b, cb.known)
}

// grow makes the id index the size newIDIndex gives for the briefings
// added so far, the last included: in the end, the size it would have had
// for their number known beforehand.
func (cb *corpusBuilder) grow() {
	bs := cb.c.briefings
	cb.byID = newIDIndex(len(bs))
	for i := range len(bs) - 1 { // the last is yet to be added
		cb.byID.add(bs, i)
	}
}

// finish makes the corpus of the files added and what else sc found
// (the walk's problems, the registry's).
func (cb *corpusBuilder) finish(sc *scanned) *Corpus {
	c := cb.c
	files := c.problems
	c.problems = make([]Problem, 0, len(sc.walkProblems)+len(sc.regProblems)+1+len(files))
	c.problems = append(c.problems, sc.walkProblems...)
	c.problems = append(c.problems, sc.regProblems...)
	if sc.failure != nil {
		c.problems = append(c.problems, *sc.failure)
	}
	c.problems = append(c.problems, files...)
	c.seen, c.rejected = cb.files+sc.refused, c.rejected+sc.refused
	c.byID = cb.byID
	sortProblems(c.problems)
	c.index()
	return c
}
