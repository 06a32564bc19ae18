package readstate

import (
	"fmt"
	"slices"
	"strings"
)

// header is the first line of every file written; comment lines are
// ignored when reading.
const header = "# brief reading state: one record a line; merge two copies with sort -u"

// Bounds on what a state keeps of its history.
const (
	maxVisits       = 16 // visit records kept, the latest
	maxSeenPerBrief = 3  // contents remembered per briefing, the latest seen
)

// state is what a file says once every record has been weighed: for each
// briefing the winning record of each kind. The maps hold small values
// (a state of 10,000 briefings is read at every start).
type state struct {
	read   map[string]readEntry // read or unread
	mark   map[string]markEntry // mark or unmark
	pos    map[string]posEntry
	seen   map[string]seenEntry // one per content hash, earliest sight
	visits []int64              // sorted, the latest maxVisits
	other  map[string]bool      // records of a kind this version does not know, verbatim
}

type readEntry struct {
	at     int64
	hash   string
	unread bool
}

type markEntry struct {
	at         int64
	hash, note string
	unmark     bool
}

type posEntry struct {
	at   int64
	hash string
	line int32
	frac float32
}

// seenEntry is the sights of a briefing: one content inline, more when
// it changed.
type seenEntry struct {
	sight
	more []sight
}

type sight struct {
	at   int64
	hash string
}

func (e readEntry) record(id string) record {
	if e.unread {
		return record{kind: kindUnread, id: id, at: e.at}
	}
	return record{kind: kindRead, id: id, at: e.at, hash: e.hash}
}

func (e markEntry) record(id string) record {
	if e.unmark {
		return record{kind: kindUnmark, id: id, at: e.at}
	}
	return record{kind: kindMark, id: id, at: e.at, hash: e.hash, note: e.note}
}

func (e posEntry) record(id string) record {
	return record{kind: kindPos, id: id, at: e.at, hash: e.hash, line: int(e.line), frac: float64(e.frac)}
}

// sights lists a briefing's sights.
func (e seenEntry) sights() []sight {
	if e.hash == "" {
		return nil
	}
	return append([]sight{e.sight}, e.more...)
}

// counts are how many records of each kind a file holds, to size maps.
type counts struct{ read, mark, pos, seen int }

func newState(n counts) *state {
	return &state{
		read: make(map[string]readEntry, n.read),
		mark: make(map[string]markEntry, n.mark),
		pos:  make(map[string]posEntry, n.pos),
		seen: make(map[string]seenEntry, n.seen),
	}
}

// clone copies the state; entries are values, and the slices of seen
// entries are never changed in place.
func (s *state) clone() *state {
	c := &state{
		read:   make(map[string]readEntry, len(s.read)),
		mark:   make(map[string]markEntry, len(s.mark)),
		pos:    make(map[string]posEntry, len(s.pos)),
		seen:   make(map[string]seenEntry, len(s.seen)),
		visits: slices.Clone(s.visits),
	}
	for k, v := range s.read {
		c.read[k] = v
	}
	for k, v := range s.mark {
		c.mark[k] = v
	}
	for k, v := range s.pos {
		c.pos[k] = v
	}
	for k, v := range s.seen {
		c.seen[k] = v
	}
	if s.other != nil {
		c.other = make(map[string]bool, len(s.other))
		for k := range s.other {
			c.other[k] = true
		}
	}
	return c
}

// later reports whether a wins over b: made later, or at the same time
// and its line sorts after b's (so that every copy decides alike).
func later(a, b record) bool {
	if a.at != b.at {
		return a.at > b.at
	}
	return a.format() > b.format()
}

// apply weighs one record against what the state holds; it reports
// whether the state changed.
func (s *state) apply(r record) bool {
	switch r.kind {
	case kindRead, kindUnread:
		if cur, ok := s.read[r.id]; ok && (r.at < cur.at || r.at == cur.at && !later(r, cur.record(r.id))) {
			return false
		}
		s.read[r.id] = readEntry{at: r.at, hash: r.hash, unread: r.kind == kindUnread}
	case kindMark, kindUnmark:
		if cur, ok := s.mark[r.id]; ok && (r.at < cur.at || r.at == cur.at && !later(r, cur.record(r.id))) {
			return false
		}
		s.mark[r.id] = markEntry{at: r.at, hash: r.hash, note: r.note, unmark: r.kind == kindUnmark}
	case kindPos:
		if cur, ok := s.pos[r.id]; ok && (r.at < cur.at || r.at == cur.at && !later(r, cur.record(r.id))) {
			return false
		}
		s.pos[r.id] = posEntry{at: r.at, hash: r.hash, line: int32(r.line), frac: float32(r.frac)}
	case kindSeen:
		return s.applySeen(r)
	case kindVisit:
		i, found := slices.BinarySearch(s.visits, r.at)
		if found {
			return false
		}
		s.visits = slices.Insert(s.visits, i, r.at)
		if len(s.visits) > maxVisits {
			s.visits = s.visits[len(s.visits)-maxVisits:]
		}
	default:
		return false
	}
	return true
}

// applySeen keeps the earliest sight of each content of a briefing, and
// the latest maxSeenPerBrief contents.
func (s *state) applySeen(r record) bool {
	cur, ok := s.seen[r.id]
	if !ok {
		s.seen[r.id] = seenEntry{sight: sight{at: r.at, hash: r.hash}}
		return true
	}
	list := cur.sights()
	for i, old := range list {
		if old.hash == r.hash {
			if r.at >= old.at {
				return false
			}
			list[i].at = r.at
			s.seen[r.id] = seenEntry{sight: list[0], more: list[1:]}
			return true
		}
	}
	list = append(list, sight{at: r.at, hash: r.hash})
	if len(list) > maxSeenPerBrief { // forget the content seen longest ago
		oldest := 0
		for i, x := range list {
			if x.at < list[oldest].at || x.at == list[oldest].at && x.hash < list[oldest].hash {
				oldest = i
			}
		}
		if oldest == len(list)-1 {
			return false // the new one is that one
		}
		list = slices.Delete(list, oldest, oldest+1)
	}
	s.seen[r.id] = seenEntry{sight: list[0], more: list[1:]}
	return true
}

// firstSeen gives when the content hash of briefing id was first seen.
func (s *state) firstSeen(id, hash string) (int64, bool) {
	e, ok := s.seen[id]
	if !ok {
		return 0, false
	}
	if e.hash == hash {
		return e.at, true
	}
	for _, x := range e.more {
		if x.hash == hash {
			return x.at, true
		}
	}
	return 0, false
}

// each calls f with every record the state holds, but the visits and the
// records of unknown kinds.
func (s *state) each(f func(record)) {
	for id, e := range s.read {
		f(e.record(id))
	}
	for id, e := range s.mark {
		f(e.record(id))
	}
	for id, e := range s.pos {
		f(e.record(id))
	}
	for id, e := range s.seen {
		for _, x := range e.sights() {
			f(record{kind: kindSeen, id: id, at: x.at, hash: x.hash})
		}
	}
}

// Problem is a line of a state file that could not be used.
type Problem struct {
	Path    string
	Line    int
	Message string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: %s", p.Path, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Message)
}

// parse reads a state file's content. Bad lines are reported and left
// out; everything else counts.
func parse(path, data string) (*state, []Problem) {
	s := newState(countKinds(data))
	var problems []Problem
	n := 0
	for len(data) > 0 {
		n++
		line, found := data, false
		if i := strings.IndexByte(data, '\n'); i >= 0 {
			line, data, found = data[:i], data[i+1:], true
		} else {
			data = ""
		}
		line = strings.TrimSuffix(line, "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		r, known, err := parseRecord(line)
		if err == nil && !found {
			// Every writer ends its lines: one that stops short was cut.
			msg := "the last line has no end: the file was cut short"
			if known {
				msg += "; the record is kept, but it may have lost its end"
			} else {
				msg += "; the line is left out"
			}
			problems = append(problems, Problem{Path: path, Line: n, Message: msg})
			if !known {
				continue
			}
		}
		switch {
		case err != nil:
			problems = append(problems, Problem{Path: path, Line: n, Message: err.Error() + "; the line is left out"})
		case !known:
			if s.other == nil {
				s.other = map[string]bool{}
			}
			s.other[line] = true
		default:
			s.apply(r)
		}
	}
	return s, problems
}

// format writes the state as a file: the header, then one line per
// winning record, sorted bytewise.
func (s *state) format() []byte {
	lines := make([]string, 0, len(s.read)+len(s.mark)+len(s.pos)+len(s.seen)+len(s.visits)+len(s.other))
	s.each(func(r record) { lines = append(lines, r.format()) })
	for _, at := range s.visits {
		lines = append(lines, record{kind: kindVisit, at: at}.format())
	}
	for l := range s.other {
		lines = append(lines, l)
	}
	slices.Sort(lines)
	size := len(header) + 1
	for _, l := range lines {
		size += len(l) + 1
	}
	out := make([]byte, 0, size)
	out = append(out, header...)
	out = append(out, '\n')
	for _, l := range lines {
		out = append(out, l...)
		out = append(out, '\n')
	}
	return out
}

// countKinds counts the lines of each kind, by their first letters.
func countKinds(data string) counts {
	var n counts
	for len(data) > 1 {
		switch data[0] {
		case 'r', 'u':
			n.read++
		case 'm':
			n.mark++
		case 'p':
			n.pos++
		case 's':
			n.seen++
		}
		i := strings.IndexByte(data, '\n')
		if i < 0 {
			break
		}
		data = data[i+1:]
	}
	return n
}
