package store

import (
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Streaming the first load (OpenOptions.FirstScreen). A CorpusSource that
// streams publishes partial snapshots while it loads its folder, then the
// complete one, and every partial snapshot holds only briefings the
// complete one holds, as it holds them: never a stale version, never a
// briefing a duplicate id would reject. Two ways give one:
//
//   - The first screen file, beside the index cache, keeps the briefings
//     at both ends of the timeline (the newest and the oldest firstKept)
//     as the load that wrote it showed them, with a digest of every file's
//     path, size and time, and the size and time of the index cache
//     written with it. When the walk and the stat of every file give the
//     same digest, and the cache is the one it was written with, nothing
//     in the folder changed since: the load is bound to give those
//     briefings exactly (the cache gives them; their ids won then and no
//     file changed to take one), and they are shown at once, before the
//     cache is even decoded.
//   - Otherwise files are read in the walk's order (the one in which the
//     first of two files with the same id wins), and what has been read
//     without a gap from the first file is shown as it grows: every
//     briefing in it is final.
//
// Problems are complete only in the complete snapshot: a partial one
// holds those of the files it has loaded.

// Progress says how far loading had gone when a snapshot was made: Loaded
// of Expected briefing files (Expected counts every file the walk found).
// A complete snapshot has Loaded == Expected == Seen.
type Progress struct {
	Loaded, Expected int
}

// Partial reports whether the snapshot was made while its CorpusSource
// was still loading the folder (OpenOptions.FirstScreen): it holds some of
// the briefings, each as the complete snapshot will hold it, and only the
// problems of the files it loaded. Queries answer from what it holds. A
// complete snapshot follows.
func (c *Corpus) Partial() bool { return c.loading != nil }

// Progress says how much of the folder the snapshot holds.
func (c *Corpus) Progress() Progress {
	if c.loading != nil {
		return *c.loading
	}
	return Progress{Loaded: c.seen, Expected: c.seen}
}

const (
	firstSuffix = ".first"
	firstMagic  = "brief-first-v1\n"
	// firstKept is how many briefings the first screen file keeps at each
	// end of the timeline: more than a terminal shows.
	firstKept = 200
	// streamEvery is the least time between two partial snapshots; a
	// partial snapshot is also made no sooner than streamCost times the
	// time the last one took, so that making them stays a small part of
	// the load.
	streamEvery = 100 * time.Millisecond
	streamCost  = 5
)

// firstScreen is a first screen file read from disk.
type firstScreen struct {
	cache   fileStamp // the index cache written with it
	digest  uint64    // of the folder's files (folderDigest)
	files   int       // how many
	entries []firstEntry
	data    string // the file's bytes: its strings are slices of it
}

// firstEntry is one briefing of the first screen file.
type firstEntry struct {
	at            int // the file's position in the walk
	path          string
	size, modTime int64
	briefing      *Briefing
}

// folderDigest sums every file's path, size, time and how it was reached,
// in walk order: equal sums say the folder holds the same files, each
// with the same size and time. file gives the i-th of n.
func folderDigest(n int, file func(i int) (path string, size, modTime int64, stat, linked bool)) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037) // FNV-1a
	mix := func(x uint64) {
		for range 8 {
			h = (h ^ (x & 0xff)) * prime
			x >>= 8
		}
	}
	mix(uint64(n))
	for i := range n {
		p, size, mod, stat, linked := file(i)
		mix(uint64(len(p)))
		for j := 0; j < len(p); j++ {
			h = (h ^ uint64(p[j])) * prime
		}
		flags := uint64(0)
		if stat {
			flags |= 1
		}
		if linked {
			flags |= 2
		}
		mix(flags)
		mix(uint64(size))
		mix(uint64(mod))
	}
	return h
}

// scanDigest is folderDigest of a scan's files.
func scanDigest(files []fileState) uint64 {
	return folderDigest(len(files), func(i int) (string, int64, int64, bool, bool) {
		f := &files[i]
		return f.path, f.size, f.modTime, f.stat, f.linked
	})
}

// writeFirst writes the first screen file of the index cache at
// cachePath, for the scan files whose snapshot is c; the cache must
// already hold what files hold. It writes nothing (and removes a first
// screen file left from before) when a file's stat could not be had: a
// load would read that file again, and what it holds could take an id.
func writeFirst(cachePath, stamp string, files []fileState, c *Corpus) error {
	path := cachePath + firstSuffix
	info, err := os.Stat(cachePath)
	if err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("first screen: %w", err)
	}
	at := make(map[*Briefing]int, 2*firstKept)
	pick := func(b *Briefing) {
		if !c.kept[b] { // a kept version is what a load would reject
			at[b] = -1
		}
	}
	bs := c.briefings
	for _, b := range bs[:min(firstKept, len(bs))] {
		pick(b)
	}
	for _, b := range bs[max(len(bs)-firstKept, 0):] {
		pick(b)
	}
	for i := range files {
		f := &files[i]
		if !f.stat {
			_ = os.Remove(path)
			return nil
		}
		if f.briefing != nil {
			if _, ok := at[f.briefing]; ok {
				at[f.briefing] = i
			}
		}
	}
	entries := make([]int, 0, len(at))
	for _, i := range at {
		if i >= 0 {
			entries = append(entries, i)
		}
	}
	slices.Sort(entries)

	var e encoder
	e.int(len(entries))
	for _, i := range entries {
		f := &files[i]
		e.int(i)
		e.str(f.path)
		e.int64(f.size)
		e.int64(f.modTime)
		e.briefing(f.briefing)
	}
	var h encoder
	h.buf.WriteString(firstMagic)
	h.str(stamp)
	h.int64(info.Size())
	h.int64(info.ModTime().UnixNano())
	h.int64(int64(scanDigest(files)))
	h.int(len(files))
	h.int(len(e.table))
	for _, s := range e.table {
		h.str(s)
	}
	h.buf.Write(e.buf.Bytes())
	if err := replaceFile(path, h.buf.Bytes()); err != nil {
		return fmt.Errorf("first screen: %w", err)
	}
	return nil
}

// readFirst reads the first screen file of the index cache at cachePath;
// nil when there is none this build can use.
func readFirst(cachePath, stamp string) *firstScreen {
	if cachePath == "" || stamp == "" {
		return nil
	}
	data, err := readString(cachePath + firstSuffix)
	if err != nil {
		return nil
	}
	d := decoder{s: data}
	fs := d.firstHeader(stamp)
	if fs == nil {
		return nil
	}
	fs.data = data
	if nt := d.count(); nt > 0 {
		d.table = make([]string, nt+1)
		for i := 1; i <= nt; i++ {
			d.table[i] = d.str()
		}
	}
	n := d.count()
	if d.err != nil {
		return nil
	}
	block := make([]Briefing, n)
	fs.entries = make([]firstEntry, n)
	last := -1
	for i := range fs.entries {
		e := firstEntry{at: d.int(), path: d.str(), size: d.int64(), modTime: d.int64(), briefing: &block[i]}
		d.briefing(e.briefing, e.path)
		if d.err != nil || e.at <= last || e.at >= fs.files {
			return nil
		}
		e.briefing.size, e.briefing.modTime = e.size, e.modTime
		fs.entries[i], last = e, e.at
	}
	if len(d.s) != 0 {
		return nil
	}
	return fs
}

// firstHeader reads the start of a first screen file: all but its
// briefings. nil when it is not one this build wrote.
func (d *decoder) firstHeader(stamp string) *firstScreen {
	if d.fixed(len(firstMagic)) != firstMagic || d.str() != stamp {
		return nil
	}
	fs := &firstScreen{}
	fs.cache = fileStamp{exists: true, size: d.int64(), modTime: d.int64()}
	fs.digest = uint64(d.int64())
	fs.files = d.int()
	if d.err != nil {
		return nil
	}
	return fs
}

// matches reports whether the first screen file holds for the folder as
// the walk w and the stats in files found it, and the index cache at
// cachePath: then each of its briefings is what a load gives.
func (fs *firstScreen) matches(cachePath string, w *walker, files []fileState) bool {
	if fs == nil || fs.files != len(files) {
		return false
	}
	info, err := os.Stat(cachePath)
	if err != nil || stampOf(info) != fs.cache {
		return false
	}
	d := folderDigest(len(files), func(i int) (string, int64, int64, bool, bool) {
		f := &files[i]
		return w.files[i], f.size, f.modTime, f.stat, w.linked[i]
	})
	if d != fs.digest {
		return false
	}
	for _, e := range fs.entries {
		if w.files[e.at] != e.path {
			return false
		}
	}
	return true
}

// firstCurrent reports whether the first screen file of the index cache
// at cachePath was written by this build for the folder as files hold it.
// It reads only the file's start.
func firstCurrent(cachePath, stamp string, files []fileState) bool {
	f, err := os.Open(cachePath + firstSuffix)
	if err != nil {
		return false
	}
	buf := make([]byte, 4096)
	n, _ := io.ReadFull(f, buf)
	f.Close()
	d := decoder{s: string(buf[:n])}
	fs := d.firstHeader(stamp)
	if fs == nil || fs.files != len(files) {
		return false
	}
	info, err := os.Stat(cachePath)
	return err == nil && stampOf(info) == fs.cache && scanDigest(files) == fs.digest
}

// streamed is what a streaming load learned, for the CorpusSource to go
// on from.
type streamed struct {
	sc        *scanned
	fresh     int
	old       *cache
	firstGood bool // the first screen file held for this folder
}

// stream loads the folder w found while publishing partial snapshots:
// the first screen file's briefings as soon as every file is stat-ed, if
// it holds; then, as files are read, those read without a gap from the
// first. readCached starts reading the index cache into cached, if it
// has not started. shown is called after each partial snapshot. It gives
// nil when the CorpusSource was closed meanwhile.
func (s *CorpusSource) stream(w *walker, sc *scanned, first *firstScreen, readCached func(), cached <-chan *cache, shown func()) *streamed {
	out := &streamed{sc: sc}
	expected := len(w.files) + w.refused
	var (
		head  *firstScreen
		taken int // head entries whose file is read, and shares its briefing
		done  []atomic.Bool
		files []fileState
		stop  = make(chan struct{})
		wg    sync.WaitGroup
	)
	// take gives the files read, up to n, the first screen's briefings
	// where they are the same, so that the snapshots share them.
	take := func(n int) {
		for ; head != nil && taken < len(head.entries) && head.entries[taken].at < n; taken++ {
			e := &head.entries[taken]
			if f := &files[e.at]; f.briefing != nil && f.size == e.size && f.modTime == e.modTime && sameBriefing(f.briefing, e.briefing) {
				f.briefing = e.briefing
			}
		}
	}
	// partial makes the partial snapshot of the files read up to n and
	// the first screen's beyond them.
	partial := func(n int) {
		take(n)
		part := *sc
		part.files = make([]fileState, 0, n+len(head.tail(n)))
		part.files = append(part.files, files[:n]...)
		for _, e := range head.tail(n) {
			part.files = append(part.files, fileState{path: e.path, size: e.size, modTime: e.modTime, stat: true, parsed: parsed{briefing: e.briefing}})
		}
		s.publishPartial(&part, Progress{Loaded: len(part.files) + part.refused, Expected: expected})
		shown()
	}
	hooks := &parseHooks{stop: s.done}
	hooks.stated = func(fs []fileState) {
		files = fs
		done = make([]atomic.Bool, len(fs))
		if first.matches(s.opts.CachePath, w, fs) {
			head, out.firstGood = first, true
			partial(0)
		}
		readCached()
		if len(fs) <= s.opts.FirstScreen && head == nil {
			return // small enough to show whole at once
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.follow(done, stop, head != nil, partial)
		}()
	}
	hooks.done = func(i int) { done[i].Store(true) }
	all, fresh := parseFollowed(s.fsys, w, false, func() knownFiles { out.old = <-cached; return out.old }, true, hooks)
	close(stop)
	wg.Wait() // no partial snapshot after this: sc is the loop's
	sc.files, out.fresh = all, fresh
	select {
	case <-s.done:
		return nil
	default:
	}
	take(len(files))
	return out
}

// tail gives the entries of files at position n and after in the walk.
func (fs *firstScreen) tail(n int) []firstEntry {
	if fs == nil {
		return nil
	}
	i, _ := slices.BinarySearchFunc(fs.entries, n, func(e firstEntry, n int) int { return e.at - n })
	return fs.entries[i:]
}

// follow makes partial snapshots of the files read without a gap from
// the first, as they grow, until stop closes. started says a partial
// snapshot is out already; else the first is made once FirstScreen
// files are read.
func (s *CorpusSource) follow(done []atomic.Bool, stop <-chan struct{}, started bool, partial func(n int)) {
	n, shownAt := 0, 0
	last, cost := time.Now(), time.Duration(0)
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		for n < len(done) && done[n].Load() {
			n++
		}
		if n == len(done) {
			return // the complete snapshot follows at once
		}
		due := n > shownAt
		if started {
			due = due && time.Since(last) >= max(streamEvery, streamCost*cost)
		} else {
			due = n >= s.opts.FirstScreen
		}
		if !due {
			continue
		}
		start := time.Now()
		partial(n)
		cost, last, shownAt = time.Since(start), time.Now(), n
		if !started {
			started = true
			tick.Reset(streamEvery / 4)
		}
	}
}

// publishPartial makes a partial snapshot of sc and hands it to every
// subscriber. Its free-text index, if a query asks for one, is its own,
// in memory: never saved, never the start of the next snapshot's.
func (s *CorpusSource) publishPartial(sc *scanned, p Progress) {
	c := sc.corpus(s.opts.Name, s.fsys)
	s.number(c)
	c.loading = &p
	c.search.shared, c.textCachePath = nil, ""
	s.hand(c)
	if s.opts.observe != nil {
		s.opts.observe(c)
	}
}
