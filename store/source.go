package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// A CorpusSource owns one briefing folder and publishes it as a series of
// snapshots: immutable *Corpus values, each whole and consistent. It
// loads through the index cache, watches the folder, and when files
// change it reads again only those, makes a new snapshot and hands it to
// every subscriber. Everything that shows briefings (each command, the
// reader, every SSH session) asks one CorpusSource for them. (It is not
// called Source: that is where a briefing's facts come from.)
//
// A snapshot never changes and may be read from any number of goroutines;
// a new one replaces it. Between two snapshots, a briefing whose file did
// not change is the same *Briefing (unless officials.yaml changed), so a
// view can tell whether what it shows changed by comparing pointers, or
// with Corpus.ChangesSince. Views keep ids and filter values, never
// pointers, and look them up again in each new snapshot (ByID). A body is
// read from the snapshot its briefing came from: Body fails with
// ErrChanged rather than give a body of another version, and the next
// snapshot, which has the new version, follows within a second.
//
// A file that was loading and no longer does (a YAML error in the middle
// of an edit) keeps its last version that loaded in the new snapshot,
// with the problem in Problems (Corpus.Kept tells which; Body gives the
// body last read for it, or ErrNoLongerLoads). A deleted file disappears;
// a new one appears. Nothing is ever written to the folder.
//
// How a CorpusSource learns of changes (see Watch): by the system's
// notifications (fsnotify: inotify on Linux), one watch per folder; by a
// stat walk every couple of seconds on file systems that do not report
// changes made elsewhere (NFS, SMB, FUSE, 9p, …), when the watcher cannot
// be created, or when it runs out of watches; and by Reload, for a key
// such as R. Changes are gathered until the folder has been quiet for
// OpenOptions.Settle (editors write a file in several steps: a temporary
// file renamed over it, a write then a chmod, vim's backup dance), but
// never for longer than four times that.
//
// The free-text index of a snapshot is built on demand (PrepareSearch), as
// for any Corpus; once one has been built, the source builds each new
// snapshot's in the background, from the last one (only the changed files
// are indexed), so a new snapshot is SearchReady within milliseconds.
//
// In a Bubble Tea program, a snapshot arrives as a message:
//
//	type corpusMsg struct{ c *store.Corpus }
//
//	func waitForCorpus(ch <-chan *store.Corpus) tea.Cmd {
//		return func() tea.Msg {
//			if c, ok := <-ch; ok {
//				return corpusMsg{c}
//			}
//			return nil // the source closed
//		}
//	}
//
//	// Init: ch, cancel := src.Subscribe(); m.corpus = src.Current()
//	// and return waitForCorpus(ch). Update, on corpusMsg: if
//	// msg.c.Generation() > m.corpus.Generation(), take it and re-resolve
//	// ids; always return waitForCorpus(ch) again. On R: a command that
//	// calls src.Reload() and returns corpusMsg{c}. On quit: cancel().
//
// An SSH server opens one CorpusSource and gives it to every session; each
// session's program subscribes when it starts and cancels when it ends (a
// session that stops reading never holds the others up).
type CorpusSource struct {
	fsys  fs.FS
	root  string // the folder on disk, when fsys is a Dir ("" otherwise)
	opts  OpenOptions
	stamp string // the build stamp, when there is an index cache

	current atomic.Pointer[Corpus]
	bodies  *bodyMemo
	search  *sharedIndex

	mu     sync.Mutex // guards subs, closed and watch
	subs   map[*subscription]struct{}
	closed bool
	watch  Watch

	reloads   chan chan error
	done      chan struct{}
	stopped   chan struct{} // closed when run returns
	closeOnce sync.Once

	// The index cache is written in the background, from the last scan.
	toCache    atomic.Pointer[cacheJob]
	cacheKick  chan struct{}
	cacheNow   chan chan struct{} // SaveCache's requests, answered once written
	cacheDone  chan struct{}
	prepare    chan struct{}
	prepDone   chan struct{}
	generation uint64 // of the last snapshot made; the loop's

	// The loop's own (Open's before the loop starts).
	state     *scanned
	index     map[string]int  // path → position in state.files
	dirs      map[string]bool // the folders read, "." for the top
	watcher   *fsnotify.Watcher
	pollEvery time.Duration // 0: no stat walks
	lastWalk  time.Duration
	// lost is set while the folder cannot be read and notifications are
	// used: the source then walks it until it is back.
	lost bool
	// contested are the ids more than one file shows in the last complete
	// snapshot (see withChanges).
	contested map[string]bool

	stats sourceStats // for tests and benchmarks
}

// sourceStats counts what a CorpusSource did.
type sourceStats struct {
	walks, reads, snapshots atomic.Int64
	incremental             atomic.Int64 // snapshots made from the last one
}

// OpenOptions tune a CorpusSource: Options say how to load (Name, Registry,
// CachePath; Full is not for a CorpusSource), the rest how to watch.
type OpenOptions struct {
	Options
	// Watch says how changes are found; the default, WatchAuto, picks.
	Watch WatchMode
	// PollEvery is how often the folder is walked when it is polled
	// (default 2 s; never more often than ten times the time a walk
	// takes, so that polling keeps to a tenth of a core).
	PollEvery time.Duration
	// Settle is how long the folder must stay quiet after a change before
	// a new snapshot is made (default 100 ms).
	Settle time.Duration
	// FirstScreen, when above 0, streams the first load: Open returns as
	// soon as it has a first partial snapshot (see Corpus.Partial) to
	// give, and the loading goes on in the background, each subscriber
	// getting partial snapshots as it goes and then the complete one.
	// With the index cache warm and the folder as it was, the first
	// partial snapshot holds the briefings at both ends of the timeline
	// (at least a few hundred), once every file is stat-ed; otherwise the
	// files read so far, once FirstScreen of them are. A folder of no more
	// than FirstScreen files is loaded whole before Open returns, as
	// without it.
	FirstScreen int

	// observe, when set (by tests), sees every snapshot of the first
	// load as it is published, partial or complete.
	observe func(*Corpus)
}

// WatchMode says how a CorpusSource finds changes.
type WatchMode uint8

// The ways a CorpusSource can find changes.
const (
	// WatchAuto uses notifications, and stat walks where they cannot be
	// had or do not report every change.
	WatchAuto WatchMode = iota
	// WatchPoll uses stat walks only.
	WatchPoll
	// WatchNone never looks: only Reload reads the folder again.
	WatchNone
)

// Watch says how a CorpusSource is finding changes, for a reader to show.
type Watch struct {
	// Notify is set when the system reports changes as they happen.
	Notify bool
	// Poll is how often the folder is walked for changes; 0 for never.
	Poll time.Duration
	// Reason says why the folder is walked, or not watched at all ("" when
	// notifications serve).
	Reason string
}

// String describes the watch in a few words: "watching for changes",
// "checking for changes every 2s (NFS does not report changes made on
// other machines)".
func (w Watch) String() string {
	switch {
	case w.Poll > 0:
		return fmt.Sprintf("checking for changes every %s (%s)", w.Poll.Round(100*time.Millisecond), w.Reason)
	case w.Notify:
		return "watching for changes"
	case w.Reason != "":
		return "not watching for changes (" + w.Reason + ")"
	}
	return "not watching for changes"
}

// ErrClosed says that the CorpusSource was closed.
var ErrClosed = errors.New("the briefing source is closed")

const (
	defaultPollEvery = 2 * time.Second
	defaultSettle    = 100 * time.Millisecond
	// cacheDelay is how long a CorpusSource waits after a change before it
	// saves the index cache, so that a burst of changes writes it once.
	cacheDelay = time.Second
	// manyFiles is how many changed files make a walk worth it: it reads
	// them on every core.
	manyFiles = 256
)

// Open loads the briefings of fsys, as Load does, and keeps them up
// to date: a Dir is watched; any other file system (the built-in
// briefings) is taken not to change, and is read again only by Reload.
// The first snapshot is ready when Open returns: the complete one, or
// with OpenOptions.FirstScreen a partial one, the complete one following
// (see Corpus.Partial). Close the CorpusSource when done with it.
func Open(fsys fs.FS, opts OpenOptions) (*CorpusSource, error) {
	if opts.Full {
		return nil, errors.New("store: a CorpusSource loads frontmatter only; Options.Full is for a one-time check (Load)")
	}
	if opts.PollEvery <= 0 {
		opts.PollEvery = defaultPollEvery
	}
	if opts.Settle <= 0 {
		opts.Settle = defaultSettle
	}
	s := &CorpusSource{
		fsys: fsys, opts: opts,
		bodies: &bodyMemo{}, search: &sharedIndex{},
		subs:    map[*subscription]struct{}{},
		reloads: make(chan chan error), done: make(chan struct{}), stopped: make(chan struct{}),
		cacheKick: make(chan struct{}, 1), cacheNow: make(chan chan struct{}), cacheDone: make(chan struct{}),
		prepare: make(chan struct{}, 1), prepDone: make(chan struct{}),
	}
	if d, ok := fsys.(Dir); ok {
		abs, err := filepath.Abs(string(d))
		if err != nil {
			return nil, fmt.Errorf("briefing folder %s: %w", d, err)
		}
		s.root = abs
	}
	if opts.CachePath != "" {
		s.stamp = BuildStamp()
	}
	// The index cache is read while the folder is walked; when a first
	// screen can be shown from the first screen file, only once it is:
	// the walk and the stats it waits for have both cores.
	var first *firstScreen
	if opts.FirstScreen > 0 {
		first = readFirst(opts.CachePath, s.stamp)
	}
	cached := make(chan *cache, 1)
	readCached := sync.OnceFunc(func() {
		if s.stamp != "" {
			go func() { cached <- readCache(opts.CachePath, s.stamp) }()
		} else {
			cached <- nil
		}
	})
	if first == nil {
		readCached()
	}
	// The registry is read while the folder is walked, on another core.
	sc := &scanned{}
	registry := make(chan struct{})
	go func() {
		defer close(registry)
		sc.readRegistry(fsys, opts.Registry, nil)
	}()
	w, err := findBriefings(fsys)
	<-registry
	if err != nil {
		readCached()
		<-cached
		return nil, err
	}
	sc.walkProblems, sc.refused = w.problems, w.refused
	go s.writeCaches()
	go s.prepareSearches()
	if opts.FirstScreen <= 0 {
		var old *cache
		var fresh int
		sc.files, fresh = parseAll(fsys, w, false, func() knownFiles { old = <-cached; return old }, true)
		w.close()
		s.finishLoad(&streamed{sc: sc, fresh: fresh, old: old}, w.dirs)
		go s.run()
		return s, nil
	}
	// Streamed: Open returns with the first snapshot, partial or not;
	// the loading goes on, then the loop.
	ready := make(chan struct{})
	shown := sync.OnceFunc(func() { close(ready) })
	go func() {
		defer shown()
		st := s.stream(w, sc, first, readCached, cached, shown)
		w.close()
		if st == nil { // closed while loading
			close(s.stopped)
			return
		}
		s.finishLoad(st, w.dirs)
		shown()
		s.run()
	}()
	<-ready
	return s, nil
}

// finishLoad takes the first load as the CorpusSource's state, publishes
// its snapshot, has the index cache (and the first screen file) saved if
// they are behind, and starts watching.
func (s *CorpusSource) finishLoad(st *streamed, dirs []string) {
	sc := st.sc
	s.setState(sc, dirs, true)
	c := s.snapshot(sc, nil)
	s.hand(c)
	if s.opts.observe != nil {
		s.opts.observe(c)
	}
	if s.search.wanted.Load() {
		kick(s.prepare) // a partial snapshot was searched: this one will be too
	}
	if s.stamp != "" {
		switch {
		case st.fresh > 0 || st.old == nil || len(st.old.files) != len(sc.files):
			s.saveCache(sc, c, true)
		case !st.firstGood && !firstCurrent(s.opts.CachePath, s.stamp, sc.files):
			s.saveCache(sc, c, false) // the cache is as it should be; its first screen is not
		}
	}
	s.startWatching()
}

// Current gives the latest snapshot. It never blocks.
func (s *CorpusSource) Current() *Corpus { return s.current.Load() }

// Subscribe gives a channel that receives each new snapshot, and a
// function that ends the subscription (and closes the channel). A
// subscriber that is slow never holds the CorpusSource up: the channel holds
// one snapshot, and a newer one replaces a snapshot not yet taken, so a
// subscriber always gets the latest. The channel is closed when the
// CorpusSource is. Subscribe, then take Current, and no snapshot is missed (the
// first received may be the one Current gave: compare Generation).
func (s *CorpusSource) Subscribe() (<-chan *Corpus, func()) {
	sub := &subscription{ch: make(chan *Corpus, 1)}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		close(sub.ch)
		return sub.ch, func() {}
	}
	s.subs[sub] = struct{}{}
	s.mu.Unlock()
	var once sync.Once
	return sub.ch, func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if _, ok := s.subs[sub]; ok {
				delete(s.subs, sub)
				close(sub.ch)
			}
		})
	}
}

type subscription struct{ ch chan *Corpus }

// offer gives c to the subscriber, replacing a snapshot it has not taken.
// Called with s.mu held: the only sender.
func (sub *subscription) offer(c *Corpus) {
	select {
	case sub.ch <- c:
		return
	default:
	}
	select {
	case <-sub.ch: // the subscriber has not taken the last one: drop it
	default:
	}
	select {
	case sub.ch <- c:
	default:
	}
}

// Reload reads the folder again now, as for a reader's R key: every
// file's size and time, and what changed. It returns when the new
// snapshot, if any, has been published, and gives the latest. The error
// says why the folder could not be read (the snapshot then keeps what it
// had, with the problem in Problems).
func (s *CorpusSource) Reload() (*Corpus, error) {
	reply := make(chan error, 1)
	select {
	case s.reloads <- reply:
	case <-s.done:
		return s.Current(), ErrClosed
	}
	select {
	case err := <-reply:
		return s.Current(), err
	case <-s.stopped:
		return s.Current(), ErrClosed
	}
}

// Watch says how the CorpusSource is finding changes.
func (s *CorpusSource) Watch() Watch {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.watch
}

// Close stops watching, saves the index cache if it is behind, lets an
// index being built in the background finish, and closes every
// subscriber's channel. Current still gives the last snapshot, and
// the snapshots stay usable.
func (s *CorpusSource) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		<-s.stopped
		if s.watcher != nil {
			s.watcher.Close()
		}
		<-s.cacheDone
		<-s.prepDone // an index being built for the last snapshot is finished, and saved
		s.mu.Lock()
		s.closed = true
		for sub := range s.subs {
			close(sub.ch)
			delete(s.subs, sub)
		}
		s.mu.Unlock()
	})
	return nil
}

// snapshot makes a Corpus of a scan, numbered after the last: from the
// last snapshot when deltas lists the files that changed since its scan
// and it can (source_delta.go), else from the whole scan.
func (s *CorpusSource) snapshot(sc *scanned, deltas []fileDelta) *Corpus {
	var c *Corpus
	if prev := s.current.Load(); deltas != nil && prev != nil {
		if c, _ = prev.withChanges(sc, deltas, s.contested); c != nil {
			s.stats.incremental.Add(1)
		}
	}
	if c == nil {
		c = sc.corpus(s.opts.Name, s.fsys)
		s.contested = contestedIDs(sc, c)
	}
	s.number(c)
	return c
}

// number gives a new snapshot what the CorpusSource's snapshots share
// (bodies read, the search index built last, the caches' place) and the
// next generation.
func (s *CorpusSource) number(c *Corpus) {
	c.bodies = s.bodies
	c.search.shared = s.search
	if s.stamp != "" {
		c.textCachePath, c.stamp = s.opts.CachePath+textCacheSuffix, s.stamp
	}
	s.generation++
	c.generation = s.generation
	s.stats.snapshots.Add(1)
}

// hand makes c the current snapshot and offers it to every subscriber.
func (s *CorpusSource) hand(c *Corpus) {
	s.current.Store(c)
	s.mu.Lock()
	defer s.mu.Unlock()
	for sub := range s.subs {
		sub.offer(c)
	}
}

// publish makes the scan the CorpusSource's state and its snapshot the
// current one, and hands it to every subscriber. deltas, when not nil,
// are the files that changed since the last scan (the snapshot is then
// made from the last one); samePaths says the scan has the same files
// at the same places.
func (s *CorpusSource) publish(sc *scanned, dirs []string, deltas []fileDelta, samePaths bool) {
	s.setState(sc, dirs, !samePaths)
	c := s.snapshot(sc, deltas)
	s.hand(c)
	if s.search.wanted.Load() {
		kick(s.prepare)
	}
	s.saveCache(sc, c, true)
}

func kick(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// setState takes sc as what the folder holds; dirs, when not nil, are
// the folders it has now. With reindex false, sc has the same files at
// the same places as the state before.
func (s *CorpusSource) setState(sc *scanned, dirs []string, reindex bool) {
	s.state = sc
	if reindex || s.index == nil {
		s.index = make(map[string]int, len(sc.files))
		for i := range sc.files {
			s.index[sc.files[i].path] = i
		}
	}
	if dirs != nil {
		s.dirs = make(map[string]bool, len(dirs))
		for _, d := range dirs {
			s.dirs[d] = true
		}
	}
}

// cacheJob is what to write: the index cache of a scan (unless only its
// first screen file is behind), and the first screen file from the scan's
// snapshot.
type cacheJob struct {
	sc    *scanned
	c     *Corpus
	cache bool
}

// saveCache has the index cache written from sc, whose snapshot is c,
// and its first screen file, in the background; with cache false, only
// the first screen file.
func (s *CorpusSource) saveCache(sc *scanned, c *Corpus, cache bool) {
	if s.stamp == "" {
		return
	}
	if !cache {
		if last := s.toCache.Load(); last != nil && last.cache {
			cache = true // one not written yet stays due
		}
	}
	s.toCache.Store(&cacheJob{sc: sc, c: c, cache: cache})
	kick(s.cacheKick)
}

// writeCaches writes the index cache after each burst of changes, and
// once more on Close if one is due.
func (s *CorpusSource) writeCaches() {
	defer close(s.cacheDone)
	var written *cacheJob
	write := func() {
		job := s.toCache.Load()
		if job == nil || job == written {
			return
		}
		written = job
		// A cache is only a speed-up: one that cannot be written makes
		// the next load slower.
		if job.cache && writeCache(s.opts.CachePath, s.stamp, job.sc.files) != nil {
			return
		}
		_ = writeFirst(s.opts.CachePath, s.stamp, job.sc.files, job.c)
	}
	for {
		select {
		case <-s.done:
			write()
			return
		case written := <-s.cacheNow:
			write()
			close(written)
			continue
		case <-s.cacheKick:
		}
		select {
		case <-s.done:
		case written := <-s.cacheNow:
			write()
			close(written)
			continue
		case <-time.After(cacheDelay):
		}
		write()
	}
}

// SaveCache writes the index cache now if one is due (it is otherwise
// written a second after the folder last changed), and returns once it
// is written: for a reader about to quit, so that the next start reads
// the cache instead of every file. While the first load is still going,
// there is nothing to write yet. It does nothing once the source is
// closed.
func (s *CorpusSource) SaveCache() {
	written := make(chan struct{})
	select {
	case s.cacheNow <- written:
		<-written
	case <-s.cacheDone:
	}
}

// prepareSearches builds the free-text index of each new snapshot in the
// background, once a reader has asked for one: from the last index
// built, reading only the files that changed.
func (s *CorpusSource) prepareSearches() {
	defer close(s.prepDone)
	for {
		select {
		case <-s.done:
			return
		case <-s.prepare:
		}
		select {
		case <-s.done:
			return
		default:
			s.Current().PrepareSearch()
		}
	}
}

// startWatching sets up how changes are found.
func (s *CorpusSource) startWatching() {
	if s.root == "" || s.opts.Watch == WatchNone {
		reason := "asked not to"
		if s.root == "" {
			reason = "not a folder on disk: taken not to change"
		}
		s.setWatch(Watch{Reason: reason})
		return
	}
	if s.opts.Watch == WatchPoll {
		s.startPolling("asked to poll", false)
		return
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		s.startPolling(fmt.Sprintf("the system cannot watch it: %v", err), false)
		return
	}
	s.watcher = w
	for d := range s.dirs {
		if err := w.Add(s.abs(d)); err != nil {
			s.stopNotify(err)
			return
		}
	}
	if blind := notifyBlind(s.root); blind != "" {
		// Notifications still come for changes made on this machine.
		s.startPolling(blind+" does not report changes made on other machines", true)
		return
	}
	s.setWatch(Watch{Notify: true})
}

// stopNotify gives up notifications for stat walks.
func (s *CorpusSource) stopNotify(err error) {
	if s.watcher != nil {
		s.watcher.Close()
		s.watcher = nil
	}
	reason := fmt.Sprintf("the system cannot watch it: %v", err)
	if errors.Is(err, errNoSpace) {
		reason = "the system ran out of watches (see fs.inotify.max_user_watches)"
	}
	s.startPolling(reason, false)
}

func (s *CorpusSource) startPolling(reason string, notify bool) {
	s.pollEvery = s.opts.PollEvery
	s.setWatch(Watch{Notify: notify, Poll: s.pollEvery, Reason: reason})
}

func (s *CorpusSource) setWatch(w Watch) {
	s.mu.Lock()
	s.watch = w
	s.mu.Unlock()
}

// abs gives the path on disk of a path of the folder.
func (s *CorpusSource) abs(p string) string { return filepath.Join(s.root, filepath.FromSlash(p)) }

// rel gives the path in the folder of a path on disk.
func (s *CorpusSource) rel(name string) (string, bool) {
	r, err := filepath.Rel(s.root, name)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// run is the CorpusSource's loop: it gathers notifications until the folder is
// quiet, walks it when polling, and answers Reload.
func (s *CorpusSource) run() {
	defer close(s.stopped)
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	poll := time.NewTimer(time.Hour)
	poll.Stop()
	polling := false
	settling, since := false, time.Time{}
	pending, all := map[string]bool{}, false
	schedule := func() {
		now := time.Now()
		if !settling {
			settling, since = true, now
		}
		settle.Reset(max(0, min(s.opts.Settle, since.Add(4*s.opts.Settle).Sub(now))))
	}
	reset := func() {
		clear(pending)
		all, settling = false, false
		settle.Stop()
	}
	for {
		switch {
		case s.pollEvery > 0 && !polling:
			polling = true
			poll.Reset(s.nextPoll())
		case s.pollEvery == 0 && polling:
			polling = false
			poll.Stop()
		}
		var events chan fsnotify.Event
		var errs chan error
		if s.watcher != nil {
			events, errs = s.watcher.Events, s.watcher.Errors
		}
		select {
		case <-s.done:
			return
		case ev, ok := <-events:
			if !ok {
				s.stopNotify(errors.New("the watcher stopped"))
				continue
			}
			if p, ok := s.rel(ev.Name); ok {
				pending[p] = true
				schedule()
			}
		case err, ok := <-errs:
			if !ok {
				continue
			}
			// A lost event (the queue overflowed) or a failing watch: look
			// at everything.
			all = true
			schedule()
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				s.stopNotify(err)
			}
		case <-settle.C:
			settling = false
			p, a := pending, all
			pending, all = map[string]bool{}, false
			s.apply(p, a)
		case <-poll.C:
			polling = false
			s.rescan()
		case reply := <-s.reloads:
			reset()
			reply <- s.rescan()
		}
	}
}

// nextPoll gives the time until the next stat walk: PollEvery, or ten
// times what the last walk took when that is longer.
func (s *CorpusSource) nextPoll() time.Duration { return max(s.pollEvery, 10*s.lastWalk) }

// apply brings the snapshot up to date with the paths notifications
// named: a changed, new or removed briefing file is read alone; a change
// to a folder, to a symlink or to anything else a walk would judge makes a
// whole walk (which reads again only the files whose size or time
// changed).
func (s *CorpusSource) apply(pending map[string]bool, all bool) {
	if all || s.state.failure != nil {
		s.rescan()
		return
	}
	var touched []string
	registry := false
	for p := range pending {
		switch {
		case p == ".", s.dirs[p]:
			s.rescan() // the folder itself, or one of its folders, changed
			return
		case hiddenPath(p):
		case p == RegistryFile:
			registry = true
		case isBriefingName(path.Base(p)) && s.dirs[path.Dir(p)]:
			touched = append(touched, p)
		default:
			// Not a briefing: a new folder, or a symlink to one, matters.
			if info, err := os.Lstat(s.abs(p)); err == nil && (info.IsDir() || info.Mode()&fs.ModeSymlink != 0) {
				s.rescan()
				return
			}
		}
	}
	for i := range s.state.files { // a change may come through any symlink
		if s.state.files[i].linked && !pending[s.state.files[i].path] {
			touched = append(touched, s.state.files[i].path)
		}
	}
	if len(touched) > manyFiles {
		s.rescan() // a checkout, a copy: read them on every core
		return
	}
	next := *s.state
	next.files = slices.Clone(s.state.files)
	changed := false
	if registry {
		changed = next.readRegistry(s.fsys, s.opts.Registry, s.state)
	}
	var added []fileState
	var deltas []fileDelta
	removed := map[string]bool{}
	buf, a := make([]byte, 16<<10), &arena{}
	for _, p := range touched {
		i, known := s.index[p]
		var info fs.FileInfo
		var err error
		if known && s.state.files[i].linked {
			info, err = fs.Stat(s.fsys, p)
			if err != nil {
				s.rescan() // the walk judges a broken link
				return
			}
		} else {
			info, err = os.Lstat(s.abs(p))
		}
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if known && !removed[p] {
				removed[p] = true
				deltas = append(deltas, fileDelta{before: s.state.files[i], hasBefore: true})
			}
			continue
		case err != nil, info.Mode()&fs.ModeSymlink != 0 && !(known && s.state.files[i].linked), info.IsDir():
			s.rescan() // unreadable, or no longer a plain file: the walk judges
			return
		}
		size, mod := info.Size(), info.ModTime().UnixNano()
		var old *fileState
		if known {
			old = &s.state.files[i]
			if old.sameStat(size, mod) {
				continue
			}
		}
		f := fileState{path: p, size: size, modTime: mod, stat: true, racy: isRacy(mod, time.Now())}
		if known {
			f.linked = old.linked
		}
		f.parsed, buf = parseFile(rootOnly{s.fsys}, nil, p, buf, a, false)
		s.stats.reads.Add(1)
		if b := f.briefing; b != nil {
			b.size, b.modTime = size, mod
		}
		f.settle(old)
		if known {
			if !f.same(old) {
				next.files[i], changed = f, true
				deltas = append(deltas, fileDelta{before: *old, after: f, hasBefore: true, hasAfter: true})
			} else {
				next.files[i] = f // the same content: only its stat is newer
			}
		} else {
			added, changed = append(added, f), true
			deltas = append(deltas, fileDelta{after: f, hasAfter: true})
		}
	}
	if len(removed) > 0 {
		next.files = slices.DeleteFunc(next.files, func(f fileState) bool { return removed[f.path] })
		changed = true
	}
	for _, f := range added {
		i := sort.Search(len(next.files), func(i int) bool { return !walkLess(next.files[i].path, f.path) })
		next.files = slices.Insert(next.files, i, f)
	}
	if next.registry != s.state.registry {
		next.cloneBriefings()
		deltas = nil // every briefing is new: the snapshot is made whole
	}
	if changed {
		s.publish(&next, nil, deltas, len(added) == 0 && len(removed) == 0)
	} else {
		s.setState(&next, nil, false) // newer stats, same snapshot
	}
}

// rescan walks the whole folder, reads again the files whose size or
// time changed, and publishes a snapshot if anything did.
func (s *CorpusSource) rescan() error {
	s.stats.walks.Add(1)
	start := time.Now()
	w, err := findBriefings(s.fsys)
	if err != nil {
		name := s.opts.Name
		if name == "" {
			name = "."
		}
		failure := Problem{Path: name, Severity: Error, Message: fmt.Sprintf("%v; the briefings shown are those read before", err)}
		if s.state.failure == nil || *s.state.failure != failure {
			next := *s.state
			next.failure = &failure
			s.publish(&next, nil, nil, true)
		}
		if s.watcher != nil {
			// The folder's watches may have gone with it: walk it until it
			// is back, then watch it again.
			s.dirs = map[string]bool{}
			if s.pollEvery == 0 {
				s.lost, s.pollEvery = true, s.opts.PollEvery
				s.setWatch(Watch{Notify: true, Poll: s.pollEvery, Reason: "the folder cannot be read; looking for it"})
			}
		}
		return err
	}
	next := &scanned{walkProblems: w.problems, refused: w.refused}
	changed := next.readRegistry(s.fsys, s.opts.Registry, s.state)
	var fresh int
	next.files, fresh = parseAll(s.fsys, w, false, func() knownFiles { return stateLookup{s} }, true)
	w.close()
	s.stats.reads.Add(int64(fresh))
	s.lastWalk = time.Since(start)
	var deltas []fileDelta
	for i := range next.files {
		f := &next.files[i]
		var old *fileState
		if j, ok := s.index[f.path]; ok {
			old = &s.state.files[j]
		}
		if old != nil && f.briefing == old.briefing && f.kept == old.kept && reflect.DeepEqual(f.problems, old.problems) {
			continue // taken from the last scan as it was
		}
		f.settle(old)
		if old == nil || !f.same(old) {
			changed = true
			if old != nil {
				deltas = append(deltas, fileDelta{before: *old, after: *f, hasBefore: true, hasAfter: true})
			}
		}
	}
	samePaths := len(next.files) == len(s.state.files)
	for i := 0; samePaths && i < len(next.files); i++ {
		samePaths = next.files[i].path == s.state.files[i].path
	}
	sameFrame := samePaths && next.registry == s.state.registry && s.state.failure == nil &&
		next.refused == s.state.refused && reflect.DeepEqual(next.walkProblems, s.state.walkProblems) &&
		reflect.DeepEqual(next.regProblems, s.state.regProblems)
	if next.registry != s.state.registry {
		next.cloneBriefings()
	}
	changed = changed || !sameFrame
	s.watchDirs(w.dirs)
	if s.lost && s.watcher != nil {
		s.lost, s.pollEvery = false, 0
		s.setWatch(Watch{Notify: true})
	}
	if !sameFrame {
		deltas = nil // the snapshot is made whole
	}
	if changed {
		s.publish(next, w.dirs, deltas, samePaths)
	} else {
		s.setState(next, w.dirs, !samePaths)
	}
	return nil
}

// watchDirs watches the folders a walk found that are not watched yet,
// and stops watching those it did not find.
func (s *CorpusSource) watchDirs(dirs []string) {
	if s.watcher == nil {
		return
	}
	now := make(map[string]bool, len(dirs))
	for _, d := range dirs {
		now[d] = true
		if !s.dirs[d] {
			if err := s.watcher.Add(s.abs(d)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				s.stopNotify(err)
				return
			}
		}
	}
	for d := range s.dirs {
		if !now[d] {
			_ = s.watcher.Remove(s.abs(d)) // it may be gone, and its watch with it
		}
	}
}

// stateLookup lets parseAll take unchanged files from the last scan.
type stateLookup struct{ s *CorpusSource }

func (l stateLookup) lookup(_ int, p string, size, modTime int64) (fileState, bool) {
	i, ok := l.s.index[p]
	if !ok || !l.s.state.files[i].sameStat(size, modTime) {
		return fileState{}, false
	}
	return l.s.state.files[i], true
}

// settle finishes a file read again, given its last state (nil for a new
// file): a file that no longer loads keeps the last version that did, and
// a file read again with the same content keeps its briefing, so that the
// snapshots share it.
func (f *fileState) settle(old *fileState) {
	if old == nil {
		return
	}
	if f.briefing == nil {
		f.kept = old.briefing
		if f.kept == nil {
			f.kept = old.kept
		}
		return
	}
	if old.briefing != nil && old.size == f.size && old.modTime == f.modTime && sameBriefing(old.briefing, f.briefing) {
		f.briefing = old.briefing
	}
}

// same reports whether f gives the snapshot what old gave.
func (f *fileState) same(old *fileState) bool {
	return f.briefing == old.briefing && f.kept == old.kept && reflect.DeepEqual(f.problems, old.problems)
}

// sameBriefing reports whether two parses of a file gave the same
// briefing (before the registry is applied).
func sameBriefing(a, b *Briefing) bool {
	x, y := *a, *b
	x.Officials, y.Officials = unresolved(a.Officials), unresolved(b.Officials)
	return reflect.DeepEqual(x, y)
}

func unresolved(refs []OfficialRef) []OfficialRef {
	out := slices.Clone(refs)
	for i := range out {
		out[i].Official = nil
	}
	return out
}

// cloneBriefings gives every briefing of the scan a copy of its own, to
// be resolved against a new registry: the snapshots already published go
// on reading the old ones.
func (sc *scanned) cloneBriefings() {
	for i := range sc.files {
		f := &sc.files[i]
		f.briefing, f.kept = cloneBriefing(f.briefing), cloneBriefing(f.kept)
	}
}

func cloneBriefing(b *Briefing) *Briefing {
	if b == nil {
		return nil
	}
	c := *b
	c.Officials = slices.Clone(b.Officials)
	return &c
}

// hiddenPath reports whether a path is, or is inside, a hidden file or
// folder: the walk skips those.
func hiddenPath(p string) bool {
	for _, part := range strings.Split(p, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

// walkLess reports whether the walk meets the file at a before the one at
// b: folder by folder, each in name order.
func walkLess(a, b string) bool {
	for {
		ai, bi := strings.IndexByte(a, '/'), strings.IndexByte(b, '/')
		as, bs := a, b
		if ai >= 0 {
			as = a[:ai]
		}
		if bi >= 0 {
			bs = b[:bi]
		}
		if as != bs || ai < 0 || bi < 0 {
			return as < bs
		}
		a, b = a[ai+1:], b[bi+1:]
	}
}

// rootOnly hides a Dir's fast reads, so that a file is read only through
// os.Root, which never leaves the folder, whatever was swapped in since
// the walk saw it.
type rootOnly struct{ fsys fs.FS }

func (r rootOnly) Open(name string) (fs.File, error) { return r.fsys.Open(name) }

// Changes lists what differs between two snapshots, by id.
type Changes struct {
	Added, Changed, Removed []string
}

// IsZero reports whether nothing changed.
func (c Changes) IsZero() bool {
	return len(c.Added) == 0 && len(c.Changed) == 0 && len(c.Removed) == 0
}

// ChangesSince lists the briefings added, changed and removed since old,
// an earlier snapshot of the same CorpusSource: a briefing changed when its
// *Briefing differs (a new version of its file, or every briefing when
// officials.yaml changed).
func (c *Corpus) ChangesSince(old *Corpus) Changes {
	var ch Changes
	for _, b := range c.briefings {
		switch ob := old.ByID(b.ID); {
		case ob == nil:
			ch.Added = append(ch.Added, b.ID)
		case ob != b:
			ch.Changed = append(ch.Changed, b.ID)
		}
	}
	for _, b := range old.briefings {
		if c.ByID(b.ID) == nil {
			ch.Removed = append(ch.Removed, b.ID)
		}
	}
	return ch
}

// Kept reports whether b is the last version that loaded of a file that
// no longer loads: the corpus' Problems say what is wrong with the file,
// and Body gives the body last read, if any.
func (c *Corpus) Kept(b *Briefing) bool { return c.kept[b] }

// Generation numbers the snapshots of a CorpusSource from 1, in the order they
// were made; it is 0 for a corpus Load made.
func (c *Corpus) Generation() uint64 { return c.generation }
