package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/brief-tools/brief/internal/parallel"
)

// RegistryFile is the name of the officials registry at the top of a
// briefing folder.
const RegistryFile = "officials.yaml"

// Options tune Load.
type Options struct {
	// Name names the corpus for headers and messages ("built-in", a path).
	Name string
	// Registry is used when the folder has no officials.yaml of its own.
	Registry *Registry
	// Full reads and checks every body too, as `brief check` does; by
	// default bodies are read only when opened.
	Full bool
	// CachePath, when set, is where the index cache for this folder lives:
	// a file outside the folder (the folder is never written to). Files
	// whose size and modification time match the cache are not read again.
	// Full loads neither use nor write it.
	CachePath string
}

// Load reads every briefing in fsys. A file that cannot be used is
// reported in the corpus' Problems and every other briefing still loads:
// Loaded + Rejected always equals Seen. Load returns an error only when the
// folder itself cannot be read.
func Load(fsys fs.FS, opts Options) (*Corpus, error) {
	// Read the index cache while the folder is walked.
	var stamp string
	cached := make(chan *cache, 1)
	if opts.CachePath != "" && !opts.Full {
		stamp = BuildStamp()
		go func() { cached <- readCache(opts.CachePath, stamp) }()
	} else {
		cached <- nil
	}
	var w *walker
	var err error
	var old *cache
	sc := &scanned{registry: opts.Registry}
	var fresh int
	var cb *corpusBuilder
	if stamp == "" {
		// No cache: every file is read, and reading starts as the walk
		// finds them; the corpus is made of them as they are read, once
		// the registry is.
		registry := make(chan struct{})
		go func() { sc.readRegistry(fsys, opts.Registry, nil); close(registry) }()
		w, _, err = walkAndParse(fsys, opts.Full, registry, func(f *fileState) {
			if cb == nil {
				cb = newCorpusBuilder(opts.Name, fsys, sc.registry, 0, true)
			}
			cb.add(f)
		})
		if cb == nil {
			cb = newCorpusBuilder(opts.Name, fsys, sc.registry, 0, true)
		}
		fresh = cb.files
	} else {
		w, err = findBriefings(fsys)
		if err == nil {
			sc.readRegistry(fsys, opts.Registry, nil)
			sc.files, fresh = parseAll(fsys, w, opts.Full, func() knownFiles { old = <-cached; return old }, true)
		}
	}
	if err != nil {
		<-cached
		return nil, err
	}
	sc.walkProblems, sc.refused = w.problems, w.refused
	w.close()
	// The index cache and the id index are written while the corpus is
	// made of the same files (making it only reads them, and links their
	// officials to the registry, which the encoder does not read); Load
	// returns once they are written.
	written := make(chan struct{})
	wrote := false
	go func() {
		defer close(written)
		if stamp != "" && (fresh > 0 || old == nil || len(old.files) != len(sc.files)) {
			wrote = writeCache(opts.CachePath, stamp, sc.files) == nil // a cache is only a speed-up
			_ = writeIDs(opts.CachePath+idsSuffix, stamp, w.stamps, sc.files, w.refused)
		} else if stamp != "" && !idsCurrent(opts.CachePath+idsSuffix, stamp, w.stamps) {
			_ = writeIDs(opts.CachePath+idsSuffix, stamp, w.stamps, sc.files, w.refused)
		}
	}()
	var c *Corpus
	if cb != nil {
		c = cb.finish(sc)
	} else {
		c = sc.corpus(opts.Name, fsys)
	}
	<-written
	if stamp != "" && (wrote || !firstCurrent(opts.CachePath, stamp, sc.files)) {
		_ = writeFirst(opts.CachePath, stamp, sc.files, c) // the first screen of a reader that streams (stream.go)
	}
	if stamp != "" {
		c.textCachePath, c.stamp = opts.CachePath+textCacheSuffix, stamp
	}
	return c, nil
}

// fileState is what loading learned of one briefing file.
type fileState struct {
	path          string
	size, modTime int64 // the file's, when stat is set
	stat          bool
	// racy is set when the file was read so soon after it was written
	// that another write in the same tick of the file system's clock
	// would leave its size and time as they are: a CorpusSource reads it again
	// at the next change rather than trust its stat. (The index cache
	// trusts it, as it always has: the next edit corrects it.)
	racy   bool
	linked bool // reached through a symlink
	parsed      // this version's briefing (nil when it does not load) and problems
	// kept is the last version of the file that loaded, while this one
	// does not (a CorpusSource keeps it; Load has none).
	kept *Briefing
}

// sameStat reports whether the file's size and time are those the state
// was read with, and can be trusted to say it did not change.
func (f *fileState) sameStat(size, modTime int64) bool {
	return f.stat && !f.racy && f.size == size && f.modTime == modTime
}

// racyWindow is how recent a file's modification time must be when it is
// read for its stat not to be trusted afterwards: file systems with the
// coarsest clocks (FAT) count in steps of 2 s.
const racyWindow = 2 * time.Second

// isRacy reports whether a file of this modification time, read now, is
// racy (see fileState.racy).
func isRacy(modTime int64, now time.Time) bool {
	return now.UnixNano()-modTime < int64(racyWindow)
}

// scanned is a folder as loading found it: what a Corpus is made from.
type scanned struct {
	files        []fileState // in walk order
	walkProblems []Problem
	refused      int
	registry     *Registry
	regProblems  []Problem
	// regStat identifies the folder's own officials.yaml, if it has one
	// (a CorpusSource reloads it when it changes).
	regStat fileStamp
	// failure is set when the folder could not be read again (a CorpusSource
	// then keeps what it had, and says so).
	failure *Problem
}

// fileStamp is a file's size and modification time; the zero value
// stands for no file.
type fileStamp struct {
	exists        bool
	size, modTime int64
}

func stampOf(info fs.FileInfo) fileStamp {
	return fileStamp{true, info.Size(), info.ModTime().UnixNano()}
}

// readRegistry reads the folder's officials.yaml, or takes fallback when
// there is none. A CorpusSource passes the previous scan as prev: an unchanged
// registry is kept as it is, and one that has become broken keeps the last
// version that loaded, with its problems reported.
func (sc *scanned) readRegistry(fsys fs.FS, fallback *Registry, prev *scanned) (changed bool) {
	info, err := fs.Stat(fsys, RegistryFile)
	if err != nil {
		sc.registry, sc.regProblems, sc.regStat = fallback, nil, fileStamp{}
		return prev == nil || prev.regStat.exists
	}
	st := stampOf(info)
	if prev != nil && prev.regStat == st && !isRacy(st.modTime, time.Now()) {
		sc.registry, sc.regProblems, sc.regStat = prev.registry, prev.regProblems, st
		return false
	}
	reg, ps := LoadRegistry(fsys, RegistryFile)
	sc.registry, sc.regProblems, sc.regStat = reg, ps, st
	if prev != nil && prev.regStat.exists && reflect.DeepEqual(reg, prev.registry) && reflect.DeepEqual(ps, prev.regProblems) {
		sc.registry = prev.registry // read again, the same: the briefings stay as they are
		if isRacy(st.modTime, time.Now()) {
			sc.regStat.modTime = 0
		}
		return false
	}
	if isRacy(st.modTime, time.Now()) {
		sc.regStat.modTime = 0 // read it again next time
	}
	if prev != nil && prev.regStat.exists && hasError(ps) && !hasError(prev.regProblems) {
		sc.registry = prev.registry
		sc.regProblems = append(ps, Problem{Path: RegistryFile, Severity: Warning,
			Message: "the registry no longer loads: the last version that loaded is used until it is fixed"})
	}
	return true
}

func hasError(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// corpus makes a Corpus of what was scanned.
func (sc *scanned) corpus(name string, fsys fs.FS) *Corpus {
	cb := newCorpusBuilder(name, fsys, sc.registry, len(sc.files), false)
	for i := range sc.files {
		cb.add(&sc.files[i])
	}
	return cb.finish(sc)
}

// parsed is what one worker learned of one file.
type parsed struct {
	briefing *Briefing
	problems []Problem
}

// knownFiles gives what an earlier load learned of a file, if its size
// and time are the same: the index cache, or a CorpusSource's last scan.
// at is the file's position in this walk, a hint.
type knownFiles interface {
	lookup(at int, path string, size, modTime int64) (fileState, bool)
}

// parseAll reads and parses the files w found on every core, keeping
// file order. With stat, it first notes each file's size and time (while
// known, the index cache, may still be being read), then takes from
// known the files that have not changed. fresh counts the files actually
// read.
func parseAll(fsys fs.FS, w *walker, full bool, known func() knownFiles, stat bool) (files []fileState, fresh int) {
	return parseFollowed(fsys, w, full, known, stat, nil)
}

// parseHooks let a caller follow parseFollowed as it goes (a CorpusSource
// that streams its first load, stream.go).
type parseHooks struct {
	// stated is called once every file's size and time are noted (with
	// stat), before known is asked for; files hold them, not yet paths.
	stated func(files []fileState)
	// done is called, from any worker, once files[i] is final.
	done func(i int)
	// stop, when it closes, stops the reading: what is given back is then
	// to be thrown away.
	stop <-chan struct{}
}

// parseFollowed is parseAll, with hooks (nil for none).
func parseFollowed(fsys fs.FS, w *walker, full bool, known func() knownFiles, stat bool, hooks *parseHooks) (files []fileState, fresh int) {
	files = make([]fileState, len(w.files))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(files)/16))
	each := func(do func(i int)) { parallel.Each(len(files), workers, do) }
	if stat {
		each(func(i int) {
			f := &files[i]
			f.size, f.modTime, f.stat = statFile(fsys, w.dirOf(i), w.files[i], w.entry(i))
		})
	}
	if hooks != nil && hooks.stated != nil {
		hooks.stated(files)
	}
	var k knownFiles
	if known != nil {
		k = known()
	}
	var read atomic.Int64
	var scratch sync.Pool
	each(func(i int) {
		f := &files[i]
		p := w.files[i]
		if hooks != nil {
			select {
			case <-hooks.stop:
				return
			default:
			}
			if hooks.done != nil {
				defer hooks.done(i)
			}
		}
		if f.stat && k != nil {
			if old, ok := k.lookup(i, p, f.size, f.modTime); ok {
				*f = old
				f.path, f.linked = p, w.linked[i]
				return
			}
		}
		if f.stat {
			f.racy = isRacy(f.modTime, time.Now())
		}
		f.path, f.linked = p, w.linked[i]
		read.Add(1)
		sp, _ := scratch.Get().(*parseScratch)
		if sp == nil {
			sp = &parseScratch{buf: make([]byte, 16<<10), arena: &arena{inPlace: true}}
		}
		f.parsed, sp.buf = parseFile(fsys, w.dirOf(i), p, sp.buf, sp.arena, full)
		scratch.Put(sp)
		if b := f.briefing; b != nil && f.stat {
			b.size, b.modTime = f.size, f.modTime
		}
	})
	return files, int(read.Load())
}

// walkAndParse walks fsys as findBriefings does while, on every core,
// files are read and parsed as soon as the walk finds them (in runs of
// up to walkRunSize files), and gives them in walk order. Or, with
// inOrder, it gives each file to inOrder instead, once it is parsed and
// ready is closed, in walk order, while the files after it are parsed;
// walkAndParse returns once inOrder has had the last. inOrder is called
// by one goroutine at a time.
func walkAndParse(fsys fs.FS, full bool, ready <-chan struct{}, inOrder func(f *fileState)) (*walker, []fileState, error) {
	var files []fileState
	free := make(chan *walkRun, 128) // runs passed on, for the walk to fill again
	o := &runOrder{ready: ready, pass: func(r *walkRun) {
		if inOrder == nil {
			files = append(files, r.files...)
		} else {
			for i := range r.files {
				inOrder(&r.files[i])
			}
		}
		select {
		case free <- r:
		default:
		}
	}}
	if ready == nil {
		closed := make(chan struct{})
		close(closed)
		o.ready = closed
	}
	runs := make(chan *walkRun, 64)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sp := &parseScratch{buf: make([]byte, 16<<10), arena: &arena{inPlace: true}}
			for r := range runs {
				for i, p := range r.paths {
					f := &r.files[i]
					f.path, f.linked = p, r.linked[i]
					f.parsed, sp.buf = parseFile(fsys, r.dirs[i], p, sp.buf, sp.arena, full)
				}
				o.parsed(r)
			}
		}()
	}
	w := &walker{fsys: fsys, now: time.Now(), runs: runs, free: free}
	err := w.walk(".", nil, 0, false)
	w.flush()
	close(runs)
	wg.Wait()
	<-o.ready
	o.mu.Lock()
	o.passOn()
	o.mu.Unlock()
	if err != nil {
		w.close()
		return nil, nil, err
	}
	return w, files, nil
}

// runOrder passes runs of parsed files on in walk order: whichever worker
// parses the run next in order passes it on, with the runs after it
// parsed already, while the other workers parse on (no goroutine waits
// to be scheduled for it).
type runOrder struct {
	ready <-chan struct{} // closed once runs may be passed on
	pass  func(r *walkRun)

	mu      sync.Mutex
	done    []*walkRun // by number, until passed on
	next    int        // the number of the next run to pass on
	passing bool       // a worker is passing runs on
}

// parsed notes that r is parsed, and passes on what can be, unless
// another worker is doing so (it then passes r on too).
func (o *runOrder) parsed(r *walkRun) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for len(o.done) <= r.number {
		o.done = append(o.done, nil)
	}
	o.done[r.number] = r
	if o.passing {
		return
	}
	select {
	case <-o.ready:
	default:
		return
	}
	o.passing = true
	o.passOn()
	o.passing = false
}

// passOn passes on the runs parsed from the next in order; o.mu is held,
// but not while a run is passed.
func (o *runOrder) passOn() {
	for o.next < len(o.done) && o.done[o.next] != nil {
		r := o.done[o.next]
		o.done[o.next] = nil
		o.next++
		o.mu.Unlock()
		o.pass(r)
		o.mu.Lock()
	}
}

// walkRun is a run of files a walk found, one after the other, sent to
// be read while the walk goes on.
type walkRun struct {
	number int // runs are numbered from 0 in walk order
	paths  []string
	linked []bool
	dirs   []*os.File // each file's folder, open, or nil
	files  []fileState
}

// walkRunSize is the most files a run holds: runs small enough that every
// core has some until the walk ends.
const walkRunSize = 32

// flush sends the files found since the last run, if the walk sends runs.
func (w *walker) flush() {
	if w.runs == nil {
		return
	}
	for w.sent < len(w.files) {
		n := min(walkRunSize, len(w.files)-w.sent)
		var r *walkRun
		select {
		case r = <-w.free: // its files are passed on: only its memory is left
			clear(r.files)
			r.dirs, r.files = r.dirs[:n], r.files[:n]
		default:
			r = &walkRun{dirs: make([]*os.File, n, walkRunSize), files: make([]fileState, n, walkRunSize)}
		}
		r.number, r.paths, r.linked = w.numbered, w.files[w.sent:w.sent+n], w.linked[w.sent:w.sent+n]
		w.numbered++
		for i := range n {
			r.dirs[i] = w.dirOf(w.sent + i)
		}
		w.sent += n
		w.runs <- r
	}
}

// parseScratch is a worker's memory for parsing, reused across files.
type parseScratch struct {
	buf   []byte
	arena *arena
}

// statFile gives a file's size and time, following a symlink; ok is
// false when they cannot be had (the file is then read, and not cached).
// dir is the folder holding it, when the walk kept it open.
func statFile(fsys fs.FS, dir *os.File, p string, e fs.DirEntry) (size, modTime int64, ok bool) {
	if do, isOpener := fsys.(dirOpener); isOpener && dir != nil {
		if size, modTime, ok := do.statAt(dir, path.Base(p)); ok {
			return size, modTime, true
		}
	}
	if info := fileInfo(fsys, p, e); info != nil {
		return info.Size(), info.ModTime().UnixNano(), true
	}
	return 0, 0, false
}

// fileInfo gives a file's size and time, following a symlink; nil when
// they cannot be had (the file is then read, and not cached).
func fileInfo(fsys fs.FS, p string, e fs.DirEntry) fs.FileInfo {
	if e != nil && e.Type()&fs.ModeSymlink == 0 {
		if info, err := e.Info(); err == nil {
			return info
		}
	}
	if info, err := fs.Stat(fsys, p); err == nil {
		return info
	}
	return nil
}

// parseFile reads as much of one file as its frontmatter needs (all of it
// when full) and parses it. buf is scratch space, returned for reuse.
// dir, when not nil, is the folder holding the file, open.
func parseFile(fsys fs.FS, dir *os.File, p string, buf []byte, a *arena, full bool) (parsed, []byte) {
	ps := &problems{path: p}
	a.found = plainHead{} // what a read of another file found
	data, buf, err := readHead(fsys, dir, p, buf, a.closesCheck(), full)
	if err != nil {
		ps.errorf(0, "%v", err)
		return parsed{problems: ps.list}, buf
	}
	return parseData(data, ps, a, full), buf
}

// parseData parses the start of a file (all of it when full), data,
// reporting its problems to ps.
func parseData(data []byte, ps *problems, a *arena, full bool) parsed {
	var b *Briefing
	fm, plain := frontmatter{}, false
	if a.inPlace { // plainFrontmatter reads data in place
		if fm, plain = a.takeFound(data); !plain {
			a.reset(1) // the block's first line is the file's second
			fm, plain = plainFrontmatter(data, a)
		}
	}
	if plain {
		root, err := parseLinesOrYAML(fm.yaml, true, a)
		b = briefingOf(ps.path, fm, fm.yaml, root, err, ps, a)
	} else {
		var line int
		var err error
		if fm, _, line, err = findFrontmatter(data, true); err != nil {
			ps.errorf(line, "%v", err)
			return parsed{problems: ps.list}
		}
		b = parseBriefing(ps.path, fm, ps, a)
	}
	if b != nil {
		b.head = headSum(data[:fm.bodyOffset])
		compactDecoded(b, &a.dec, &a.intern, &a.pack)
	}
	if b != nil && full {
		checkBody(data[fm.bodyOffset:], fm.bodyLine, ps)
	}
	return parsed{briefing: b, problems: ps.list}
}

// closesFrontmatter reports, cheaply, whether data holds a whole
// frontmatter: a first line "---", then a line "---" or "..." (findFrontmatter
// says exactly where it ends, and what else it may hold). It may say no
// to a closed one (a closing line with trailing spaces): the caller then
// only reads on to the end of the file.
func closesFrontmatter(data []byte) bool {
	data = bytes.TrimPrefix(data, utf8BOM)
	if !bytes.HasPrefix(data, []byte("---\n")) && !bytes.HasPrefix(data, []byte("---\r\n")) {
		return false
	}
	// Most often a line "---": bytes.Index finds it by its dashes, fewer
	// than the lines before it (it looks for each first byte in turn).
	for from := 3; ; {
		i := bytes.Index(data[from:], []byte("---"))
		if i < 0 {
			break
		}
		at := from + i
		if rest := data[at+3:]; data[at-1] == '\n' && (bytes.HasPrefix(rest, []byte("\n")) || bytes.HasPrefix(rest, []byte("\r\n"))) {
			return true
		}
		from = at + 1
	}
	for at := 0; ; {
		next := nextCloserCandidate(data[at:])
		if next < 0 {
			return false
		}
		at += next
		if rest := data[at+3:]; bytes.HasPrefix(rest, []byte("\n")) || bytes.HasPrefix(rest, []byte("\r\n")) {
			return true
		}
	}
}

// readHead reads the start of a file, enough to hold its frontmatter: it
// reads in growing steps until the frontmatter is closed (closed says so
// of the bytes read so far: closesFrontmatter, or an arena's closes) or
// the file ends. The returned data may alias buf.
func readHead(fsys fs.FS, dir *os.File, p string, buf []byte, closed func([]byte) bool, full bool) (data, scratch []byte, err error) {
	if hr, ok := fsys.(headReader); ok && !full {
		buf = buf[:cap(buf)]
		n, size, err := hr.readHead(dir, p, buf, closed)
		switch {
		case err != nil:
			return nil, buf, fmt.Errorf("cannot read: %w", unwrapPathError(err))
		case size > MaxFileSize:
			return nil, buf, fmt.Errorf("file is %.1f MiB, over the %d MiB limit for a briefing", float64(size)/(1<<20), MaxFileSize>>20)
		case int64(n) == size || size < 0:
			return buf[:n], buf, nil // the whole file, or its closed frontmatter
		}
		if _, more, _, _ := findFrontmatter(buf[:n], false); !more {
			return buf[:n], buf, nil // enough for the frontmatter
		}
		// A frontmatter longer than the buffer: read the usual way.
	}
	f, err := fsys.Open(p)
	if err != nil {
		return nil, buf, fmt.Errorf("cannot open: %w", unwrapPathError(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, buf, fmt.Errorf("cannot read: %w", unwrapPathError(err))
	}
	if size := info.Size(); size > MaxFileSize {
		return nil, buf, fmt.Errorf("file is %.1f MiB, over the %d MiB limit for a briefing", float64(size)/(1<<20), MaxFileSize>>20)
	}
	if full && int64(cap(buf)) < info.Size()+1 {
		buf = make([]byte, info.Size()+1)
	}
	size := int(info.Size())
	buf = buf[:cap(buf)]
	n := 0
	for {
		m, err := f.Read(buf[n:])
		n += m
		if n == size || errors.Is(err, io.EOF) || (m == 0 && err == nil) {
			return buf[:n], buf, nil // the whole file
		}
		if err != nil {
			return nil, buf, fmt.Errorf("cannot read: %w", unwrapPathError(err))
		}
		if n > MaxFileSize {
			return nil, buf, fmt.Errorf("file is over the %d MiB limit for a briefing", MaxFileSize>>20)
		}
		if n == len(buf) {
			if !full {
				if _, more, _, _ := findFrontmatter(buf[:n], false); !more {
					return buf[:n], buf, nil // enough for the frontmatter
				}
			}
			grown := make([]byte, 2*len(buf))
			copy(grown, buf)
			buf = grown
		}
	}
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// findBriefings walks fsys for briefing files: every .md file, in sorted
// order, skipping hidden files and folders and never entering a folder
// twice through a symlink loop.
func findBriefings(fsys fs.FS) (*walker, error) {
	w := &walker{fsys: fsys, now: time.Now()}
	if err := w.walk(".", nil, 0, false); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

type walker struct {
	fsys     fs.FS
	files    []string
	entries  []fs.DirEntry // each file's entry in its folder (see entry)
	linked   []bool        // each file's: reached through a symlink
	dirs     []string      // the folders read, but those reached through a symlink
	problems []Problem
	walked   []fs.FileInfo   // every folder read, so that symlinks never fan out
	refused  int             // briefing files refused without reading them
	stamps   []dirStamp      // every folder read, with its time (for the id index)
	open     []*os.File      // folders kept open (dirOpener), closed by close
	fileDir  []int32         // each file's folder in open, or -1
	now      time.Time       // when the walk began
	lists    []*dirList      // for each depth, its folder's entries
	paths    strings.Builder // the paths join gave last, side by side

	// runs, when not nil, receives the files found as the walk goes
	// (flush); sent counts the files sent, numbered the runs. free gives
	// back runs passed on, to be used again.
	runs           chan<- *walkRun
	free           <-chan *walkRun
	sent, numbered int
}

const maxDepth = 64

func (w *walker) walk(dir string, ancestors []fs.FileInfo, depth int, linked bool) error {
	// The folder's time is taken before it is listed, so that a file
	// added meanwhile makes it newer than the id index says (ids.go).
	info, statErr := fs.Stat(w.fsys, dir)
	for len(w.lists) <= depth {
		w.lists = append(w.lists, &dirList{})
	}
	list := w.lists[depth] // the folders below this one use theirs
	var err error
	opened := int32(-1)
	if do, ok := w.fsys.(dirOpener); ok && len(w.open) < maxOpenDirs {
		var f *os.File
		if f, err = do.openDir(dir, list); err == nil {
			opened = int32(len(w.open))
			w.open = append(w.open, f)
		}
	} else {
		var entries []fs.DirEntry
		entries, err = fs.ReadDir(w.fsys, dir)
		list.fromEntries(entries)
	}
	if err != nil {
		if dir == "." {
			return fmt.Errorf("cannot read the briefing folder: %w", unwrapPathError(err))
		}
		w.warn(dir, "cannot read folder: %v; its briefings are not loaded", unwrapPathError(err))
		return nil
	}
	if statErr == nil {
		ancestors = append(ancestors, info)
		w.walked = append(w.walked, info)
		mod := info.ModTime().UnixNano()
		if isRacy(mod, w.now) {
			mod = 0
		}
		w.stamps = append(w.stamps, dirStamp{dir, mod})
	} else {
		w.stamps = append(w.stamps, dirStamp{dir, 0})
	}
	if !linked {
		w.dirs = append(w.dirs, dir)
	}
	for i := range list.ents {
		e := &list.ents[i]
		name := list.name(e)
		if name[0] == '.' { // hidden (a name is never empty)
			continue
		}
		isDir := e.typ.IsDir()
		isLink := e.typ&fs.ModeSymlink != 0
		if !isDir && !isLink && !isBriefingName(name) {
			continue
		}
		p := w.join(dir, name)
		if isLink {
			if lr, ok := w.fsys.(interface{ leavesRoot(string) bool }); ok && lr.leavesRoot(p) {
				// Whoever can write the folder must not make brief read,
				// and show, any file its user can.
				if isBriefingName(name) {
					w.problems = append(w.problems, Problem{Path: p, Severity: Error, Message: "symlink leads outside the briefing folder; not read"})
					w.refused++
				} else {
					w.warn(p, "symlink leads outside the briefing folder; not followed")
				}
				continue
			}
			info, err := fs.Stat(w.fsys, p)
			if err != nil {
				if isBriefingName(name) {
					w.add(p, list.entry(e), true) // reported as unreadable when parsed
				}
				continue
			}
			isDir = info.IsDir()
			if isDir && loops(info, ancestors) {
				w.warn(p, "symlink loops back to a folder that contains it; not followed")
				continue
			}
			if isDir && loops(info, w.walked) {
				// Symlinks to folders read already would load their
				// briefings again, and chains of them grow exponentially.
				w.warn(p, "symlink leads to a folder already read; not followed")
				continue
			}
		}
		switch {
		case isDir && depth+1 >= maxDepth:
			w.warn(p, "folder nested deeper than %d levels; not read", maxDepth)
		case isDir:
			w.flush() // the files before the folder: its own come after them
			if err := w.walk(p, ancestors, depth+1, linked || isLink); err != nil {
				return err
			}
		case isBriefingName(name):
			w.add(p, list.entry(e), linked || isLink)
			if !isLink {
				w.fileDir[len(w.fileDir)-1] = opened
			}
			if len(w.files)-w.sent >= walkRunSize {
				w.flush()
			}
		}
	}
	w.flush()
	return nil
}

// join gives path.Join(dir, name), for a clean dir and a name the folder
// gave: a slice of a block of paths, one allocation for many.
func (w *walker) join(dir string, name []byte) string {
	n := len(name)
	if dir != "." {
		n += len(dir) + 1
	}
	roomIn(&w.paths, n, pathBlock)
	at := w.paths.Len()
	if dir != "." {
		w.paths.WriteString(dir)
		w.paths.WriteByte('/')
	}
	w.paths.Write(name)
	return w.paths.String()[at:]
}

// pathBlock is the size of the blocks a walk's paths are kept in: the
// largest the garbage collector marks objects of in place (see
// smallBlock), so that marking a briefing's Path, and a walk's paths
// while it loads, costs half what it would in a larger block.
const pathBlock = smallBlock

func (w *walker) add(p string, e fs.DirEntry, linked bool) {
	if e != nil && len(w.entries) < len(w.files) { // the entries so far were nil
		w.entries = append(w.entries, make([]fs.DirEntry, len(w.files)-len(w.entries))...)
	}
	if len(w.entries) == len(w.files) && (e != nil || len(w.entries) > 0) {
		w.entries = append(grown(w.entries), e)
	}
	w.files = append(grown(w.files), p)
	w.linked = append(grown(w.linked), linked)
	w.fileDir = append(grown(w.fileDir), -1)
}

// entry gives the i-th file's entry in its folder, if the walk kept it
// (it keeps those fs.ReadDir gives, not Dir's on Linux).
func (w *walker) entry(i int) fs.DirEntry {
	if i < len(w.entries) {
		return w.entries[i]
	}
	return nil
}

// maxOpenDirs bounds the folders a walk keeps open; files in folders
// beyond it are stat-ed and opened by their whole path.
const maxOpenDirs = 256

// close closes the folders the walk kept open.
func (w *walker) close() {
	for _, f := range w.open {
		f.Close()
	}
	w.open = nil
	for i := range w.fileDir {
		w.fileDir[i] = -1
	}
}

// dirOf gives the open folder holding the i-th file, or nil.
func (w *walker) dirOf(i int) *os.File {
	if i < len(w.fileDir) && w.fileDir[i] >= 0 {
		return w.open[w.fileDir[i]]
	}
	return nil
}

func (w *walker) warn(p, format string, args ...any) {
	w.problems = append(w.problems, Problem{Path: p, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}

// isBriefingName reports whether a file of this name is a briefing: it
// ends in ".md", in any case, and is more than that.
func isBriefingName[S string | []byte](name S) bool {
	n := len(name)
	return n > 3 && name[n-3] == '.' && name[n-2]|0x20 == 'm' && name[n-1]|0x20 == 'd'
}

// loops reports whether info is one of the folders being walked.
func loops(info fs.FileInfo, ancestors []fs.FileInfo) bool {
	for _, a := range ancestors {
		if os.SameFile(a, info) {
			return true
		}
	}
	return false
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Path != ps[j].Path {
			return ps[i].Path < ps[j].Path
		}
		return ps[i].Line < ps[j].Line
	})
}
