package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// search holds the free-text index, built once on demand.
type search struct {
	once       sync.Once
	index      atomic.Pointer[textIndex]
	flushBytes int // for tests: see flushLimit
	// shared is the CorpusSource's, for its snapshots: a new snapshot's index
	// starts from the last one built.
	shared *sharedIndex
}

// sharedIndex links the free-text indexes of a CorpusSource's snapshots: each
// is built from the last one built (its segments are shared, not copied),
// indexing only the files that changed, one at a time.
type sharedIndex struct {
	mu         sync.Mutex // one index built at a time
	latest     *textIndex
	generation uint64 // of the snapshot latest was built for
	// wanted is set once an index was asked for: the CorpusSource then builds
	// each new snapshot's in the background.
	wanted atomic.Bool
}

// textIndex is the corpus' free-text index: segments whose live documents
// cover every briefing once.
type textIndex struct {
	segments []*segment
	n        int       // briefings
	unread   []Problem // bodies that could not be read: indexed without them
	// problems says what went wrong with the saved index, if anything:
	// search still works, from memory or from a new index.
	problems []Problem
	// readErr is the first error reading the saved index during a query
	// (those answers missed the segment).
	readOnce sync.Once
	readErr  atomic.Pointer[error]
}

// size gives the bytes the index holds.
func (ix *textIndex) size() int {
	n := 0
	for _, s := range ix.segments {
		n += s.size()
	}
	return n
}

// PrepareSearch makes the free-text index ready: it reads it from the
// index cache, indexes the bodies of the briefings the cache does not
// know (all of them the first time), and saves what changed. It runs
// once per corpus; a text query made before it has run waits for it. The
// reader calls it in the background after its first frame. It is safe to
// call from several goroutines.
func (c *Corpus) PrepareSearch() { c.textIndex() }

// SearchReady reports whether the free-text index is ready, so that a
// text query will not wait.
func (c *Corpus) SearchReady() bool { return c.search.index.Load() != nil }

// SearchProblems lists the briefings whose body could not be read for the
// free-text index (they are found by their other fields only), and what
// kept the index from being saved or read, if anything. It waits for the
// index.
func (c *Corpus) SearchProblems() []Problem {
	ix := c.textIndex()
	ps := append(append([]Problem(nil), ix.unread...), ix.problems...)
	if err := ix.readErr.Load(); err != nil {
		ps = append(ps, Problem{Path: c.textCachePath, Severity: Warning, Message: fmt.Sprintf("the saved search index could not be read: %v; some results may be missing", *err)})
	}
	return ps
}

// readFailed records, once, that reading the saved index failed during a
// query.
func (ix *textIndex) readFailed(err error) {
	ix.readOnce.Do(func() { ix.readErr.Store(&err) })
}

// problem records a problem with the saved index.
func (ix *textIndex) problem(path string, err error) {
	ix.problems = append(ix.problems, Problem{Path: path, Severity: Warning, Message: fmt.Sprintf("the saved search index: %v", err)})
}

func (c *Corpus) textIndex() *textIndex {
	c.search.once.Do(func() { c.search.index.Store(c.openTextIndex()) })
	return c.search.index.Load()
}

// openTextIndex reads the index from the cache, brings it up to date and
// saves it again when it changed.
func (c *Corpus) openTextIndex() *textIndex {
	ix := &textIndex{n: len(c.briefings)}
	var saved []*segment
	if sh := c.search.shared; sh != nil {
		sh.wanted.Store(true)
		sh.mu.Lock()
		defer sh.mu.Unlock()
		if sh.latest != nil {
			for _, s := range sh.latest.segments {
				saved = append(saved, s.borrow())
			}
		}
		defer func() {
			if c.generation > sh.generation {
				sh.latest, sh.generation = ix, c.generation
			}
		}()
	}
	if saved == nil && c.textCachePath != "" {
		saved = readTextCache(c.textCachePath, c.stamp)
	}
	var replaced []string
	for _, s := range saved {
		replaced = append(replaced, s.name)
	}
	covered := newBitset(ix.n)
	dead := 0
	var byPath map[string]int32
	var live []int // each segment's live documents
	for _, s := range saved {
		if n := c.mapDocs(s, covered, &byPath); n > 0 {
			ix.segments = append(ix.segments, s)
			live = append(live, n)
			dead += s.ndocs - n
		} else {
			s.close()
		}
	}
	changed := len(ix.segments) != len(saved)
	var missing []int32
	for i := range ix.n {
		if !covered.has(int32(i)) {
			missing = append(missing, int32(i))
		}
	}
	if len(missing) > 0 {
		s, unread, err := c.indexBriefings(missing, c.textCachePath)
		if err != nil && c.textCachePath != "" { // the cache cannot be written: index in memory
			ix.problem(c.textCachePath, err)
			s, unread, err = c.indexBriefings(missing, "")
		}
		if err != nil {
			ix.problem(c.textCachePath, err) // those briefings are not found by text
		} else {
			ix.segments = append(ix.segments, s)
			live = append(live, len(missing))
		}
		ix.unread = unread
		changed = true
	}
	// Merge when much of the segments is stale: all of them into one. When
	// they are only many (a folder edited a file at a time), merge all but
	// the largest, which holds most of the index and stays as it is: so
	// that an edit never costs a merge of the whole index.
	switch {
	case dead > ix.n/4:
		merged, err := c.mergeAll(ix.segments, ix.unread, c.textCachePath)
		if err != nil { // a saved segment went bad under us: start again
			ix.problem(c.textCachePath, err)
			merged, ix.unread, err = c.indexBriefings(nil, "")
		}
		for _, s := range ix.segments {
			s.close()
		}
		ix.segments = nil
		if err != nil {
			ix.problem(c.textCachePath, err)
		} else {
			ix.segments = []*segment{merged}
		}
		changed = true
	case len(ix.segments) > 4:
		largest := 0
		for i := range live {
			if live[i] > live[largest] {
				largest = i
			}
		}
		big := ix.segments[largest]
		small := slices.Delete(slices.Clone(ix.segments), largest, largest+1)
		merged, err := c.mergeSome(small, ix.unread, c.textCachePath)
		if err != nil { // a saved segment went bad under us: start again
			ix.problem(c.textCachePath, err)
			merged, ix.unread, err = c.indexBriefings(nil, "")
			big.close()
			big = nil
		}
		for _, s := range small {
			s.close()
		}
		ix.segments = nil
		if big != nil {
			ix.segments = append(ix.segments, big)
		}
		if err != nil {
			ix.problem(c.textCachePath, err)
		} else {
			ix.segments = append(ix.segments, merged)
		}
		changed = true
	}
	if changed && c.textCachePath != "" && allSaved(ix.segments) {
		if err := writeTextManifest(c.textCachePath, c.stamp, ix.segments, replaced); err != nil {
			ix.problem(c.textCachePath, err)
		}
	}
	return ix
}

func allSaved(segments []*segment) bool {
	for _, s := range segments {
		if s.name == "" {
			return false
		}
	}
	return true
}

// mapDocs finds the corpus position of each document of a segment read
// from the cache, marking as covered the positions whose file has not
// changed since; it gives the number of such live documents.
func (c *Corpus) mapDocs(s *segment, covered bitset, byPath *map[string]int32) (live int) {
	docs := decodeDocs(s.docs)
	if docs == nil || len(docs) != s.ndocs {
		s.pos = make([]int32, s.ndocs)
		for i := range s.pos {
			s.pos[i] = -1
		}
		return 0
	}
	// Most often nothing changed: document i is briefing i.
	if len(docs) == len(c.briefings) {
		same := true
		for i, d := range docs {
			if b := c.briefings[i]; d.path != b.Path || d.size != b.size || d.modTime != b.modTime || covered.has(int32(i)) {
				same = false
				break
			}
		}
		if same {
			s.pos = nil
			for i := range docs {
				covered.set(int32(i))
			}
			return len(docs)
		}
	}
	if *byPath == nil {
		*byPath = make(map[string]int32, len(c.briefings))
		for i, b := range c.briefings {
			(*byPath)[b.Path] = int32(i)
		}
	}
	s.pos = make([]int32, len(docs))
	last := int32(-1)
	for i, d := range docs {
		s.pos[i] = -1
		p, ok := (*byPath)[d.path]
		if !ok {
			continue
		}
		if b := c.briefings[p]; d.size != b.size || d.modTime != b.modTime || d.size < 0 || covered.has(p) {
			continue
		}
		if p < last { // out of order: the segment cannot be trusted
			for j := range s.pos {
				if s.pos[j] >= 0 {
					covered.clear(s.pos[j])
				}
				s.pos[j] = -1
			}
			return 0
		}
		s.pos[i], last = p, p
		covered.set(p)
		live++
	}
	return live
}

// mergeAll merges segments into one over the whole corpus, saved beside
// the manifest at cachePath when it is set.
func (c *Corpus) mergeAll(segments []*segment, unread []Problem, cachePath string) (*segment, error) {
	dir, base := segmentDir(cachePath)
	w, err := newSegmentWriter(len(c.briefings), dir, base)
	if err != nil {
		return nil, err
	}
	return mergeSegments(segments, w, c.encodeDocs(nil, unread), c.stamp)
}

// mergeSome merges segments into one over the corpus positions of their
// live documents, saved beside the manifest at cachePath when it is set.
func (c *Corpus) mergeSome(segments []*segment, unread []Problem, cachePath string) (*segment, error) {
	var positions []int32
	for _, s := range segments {
		for doc := range s.ndocs {
			if p := s.posOf(doc); p >= 0 {
				positions = append(positions, int32(p))
			}
		}
	}
	slices.Sort(positions)
	// The merge numbers each document by its place among positions.
	views := make([]*segment, len(segments))
	for i, s := range segments {
		v := s.borrow()
		v.pos = make([]int32, s.ndocs)
		for doc := range s.ndocs {
			v.pos[doc] = -1
			if p := s.posOf(doc); p >= 0 {
				at, _ := slices.BinarySearch(positions, int32(p))
				v.pos[doc] = int32(at)
			}
		}
		views[i] = v
	}
	dir, base := segmentDir(cachePath)
	w, err := newSegmentWriter(len(positions), dir, base)
	if err != nil {
		return nil, err
	}
	merged, err := mergeSegments(views, w, c.encodeDocs(positions, unread), c.stamp)
	if err != nil {
		return nil, err
	}
	merged.pos = positions
	return merged, nil
}

// segmentDir gives where a segment is saved for the manifest at
// cachePath: "" for in memory.
func segmentDir(cachePath string) (dir, base string) {
	if cachePath == "" {
		return "", ""
	}
	return filepath.Dir(cachePath), filepath.Base(cachePath)
}

// flushBytes is the memory a worker building the index fills before it
// saves what it has as a part, to merge at the end: so that indexing
// 100,000 briefings never holds the whole index in memory.
const flushBytes = 48 << 20

// flushLimit gives flushBytes, or what a test set instead.
func (c *Corpus) flushLimit() int {
	if c.search.flushBytes > 0 {
		return c.search.flushBytes
	}
	return flushBytes
}

// indexBriefings indexes the briefings at the given positions (in
// increasing order; nil for all), on every core, into one segment, saved
// beside the manifest at cachePath when it is set.
func (c *Corpus) indexBriefings(positions []int32, cachePath string) (*segment, []Problem, error) {
	if positions == nil {
		positions = make([]int32, len(c.briefings))
		for i := range positions {
			positions[i] = int32(i)
		}
	}
	dir, base := segmentDir(cachePath)
	workers := max(1, min(runtime.GOMAXPROCS(0), len(positions)/256))
	parts := make([][]*segment, workers)
	unread := make([][]Problem, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		from, to := w*len(positions)/workers, (w+1)*len(positions)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			bd := newSegmentBuilder()
			var buf []byte
			// flush saves what the builder holds as a part: in a file of
			// its own when it is full and there is a cache folder.
			flush := func(toDisk bool) error {
				partDir := ""
				if toDisk {
					partDir = dir
				}
				pw, err := newSegmentWriter(len(positions), partDir, "."+base+"-part")
				if err != nil {
					return err
				}
				part, err := bd.finish(pw, "", c.stamp)
				if err != nil {
					return err
				}
				parts[w] = append(parts[w], part)
				return nil
			}
			for doc := from; doc < to; doc++ {
				b := c.briefings[positions[doc]]
				bd.begin(int32(doc))
				bd.briefing(b)
				var text string
				var err error
				text, buf, err = c.bodyText(b, buf)
				if err != nil {
					unread[w] = append(unread[w], Problem{Path: b.Path, Severity: Warning,
						Message: fmt.Sprintf("cannot read the body for search: %v; the briefing is found by its other fields only", err)})
				}
				bd.field(classBody, text)
				bd.end()
				if bd.memory() > c.flushLimit()/workers && dir != "" {
					if errs[w] = flush(true); errs[w] != nil {
						return
					}
				}
			}
			errs[w] = flush(false)
		}()
	}
	wg.Wait()
	var all []*segment
	for _, ps := range parts {
		all = append(all, ps...)
	}
	defer func() {
		for _, p := range all {
			if p.name != "" {
				p.close()
				os.Remove(filepath.Join(dir, p.name))
			}
		}
	}()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	var problems []Problem
	for _, ps := range unread {
		problems = append(problems, ps...)
	}
	w, err := newSegmentWriter(len(positions), dir, base)
	if err != nil {
		return nil, nil, err
	}
	s, err := mergeSegments(all, w, c.encodeDocs(positions, problems), c.stamp)
	if err != nil {
		return nil, nil, err
	}
	if len(positions) < len(c.briefings) {
		s.pos = positions
	}
	return s, problems, nil
}

// briefing indexes a briefing's fields.
func (bd *segmentBuilder) briefing(b *Briefing) {
	bd.field(classTitle, b.Title)
	for _, o := range b.Officials {
		bd.field(classTitle, o.Name)
	}
	bd.field(classSummary, b.Summary)
	for _, f := range otherFields(b) {
		bd.field(classOther, f)
	}
}

// bodyText reads a briefing's body as plain text for search; buf is
// scratch space, returned for reuse.
func (c *Corpus) bodyText(b *Briefing, buf []byte) (string, []byte, error) {
	f, err := c.fsys.Open(b.Path)
	if err != nil {
		return "", buf, unwrapPathError(err)
	}
	defer f.Close()
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", buf, unwrapPathError(err)
		}
		if len(buf) > MaxFileSize {
			return "", buf, fmt.Errorf("file is over the %d MiB limit for a briefing", MaxFileSize>>20)
		}
	}
	fm, _, line, err := findFrontmatter(buf, true)
	if err != nil {
		return "", buf, fmt.Errorf("line %d: %w", line, err)
	}
	return plainText(string(normalizeNewlines(buf[fm.bodyOffset:]))), buf, nil
}

// docInfo is what a segment knows of a document's file.
type docInfo struct {
	path          string
	size, modTime int64
}

// encodeDocs encodes the documents of a segment: the briefings at the
// given positions (nil: all). A document whose body could not be read is
// given size -1, so that it is never taken as up to date.
func (c *Corpus) encodeDocs(positions []int32, unread []Problem) string {
	bad := map[string]bool{}
	for _, p := range unread {
		bad[p.Path] = true
	}
	var e encoder
	add := func(b *Briefing) {
		e.str(b.Path)
		if bad[b.Path] || b.size <= 0 { // unknown: never taken as up to date
			e.int(-1)
		} else {
			e.int64(b.size)
		}
		e.int64(b.modTime)
	}
	if positions == nil {
		e.int(len(c.briefings))
		for _, b := range c.briefings {
			add(b)
		}
	} else {
		e.int(len(positions))
		for _, p := range positions {
			add(c.briefings[p])
		}
	}
	return e.buf.String()
}

// decodeDocs decodes what encodeDocs wrote; nil when it is damaged.
func decodeDocs(s string) []docInfo {
	d := decoder{s: s}
	n := d.count()
	docs := make([]docInfo, n)
	for i := range docs {
		docs[i] = docInfo{path: d.str(), size: d.int64(), modTime: d.int64()}
	}
	if d.err != nil {
		return nil
	}
	return docs
}
