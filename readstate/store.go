package readstate

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Options tune a Store; the zero Options are the defaults.
type Options struct {
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Delay is how long the writer waits after a change for more to come,
	// to write them in one go (100 ms when zero). Flush and Close write at
	// once.
	Delay time.Duration
}

// ErrClosed is returned for a change made after Close.
var ErrClosed = errors.New("reading state: closed")

// A Store is one reader's state for one corpus, backed by a file. Its
// methods are safe for concurrent use (sessions of one SSH key may share
// a Store). Changes are applied in memory and return at once; a
// background writer merges them into the file (see the package comment).
type Store struct {
	path  string
	now   func() time.Time
	delay time.Duration

	// io orders the writer's merges and Refresh's reads, so that a read
	// taken before a write never replaces what the write left in memory.
	io sync.Mutex

	mu       sync.RWMutex
	st       *state
	pending  []record
	problems []Problem
	err      error
	last     int64 // the latest time given to a record, to keep them apart
	version  uint64
	stamp    fileStamp
	closed   bool

	start   sync.Once
	kick    chan struct{}
	flushes chan chan error
	stop    chan struct{}
	stopped chan struct{}
}

// fileStamp tells whether a file changed since it was read.
type fileStamp struct {
	size    int64
	modTime time.Time
	ino     any
}

func stampOf(info fs.FileInfo) fileStamp {
	if info == nil {
		return fileStamp{}
	}
	return fileStamp{size: info.Size(), modTime: info.ModTime(), ino: inode(info)}
}

// Open reads the state of reader for corpus under dir (see FilePath:
// reader "" is the local reader, whose state is dir/CORPUS.state; an SSH
// server gives each key's fingerprint). A missing file is an empty state;
// nothing is created until the first change is written. A file with bad
// lines is no error: see Problems.
func Open(dir, reader, corpus string, opts Options) (*Store, error) {
	path, err := FilePath(dir, reader, corpus)
	if err != nil {
		return nil, fmt.Errorf("reading state: %w", err)
	}
	return OpenFile(path, opts)
}

// OpenLocal opens the local reader's state for corpus (CorpusKey), in
// LocalDir.
func OpenLocal(getenv func(string) string, corpus string, opts Options) (*Store, error) {
	dir, err := LocalDir(getenv)
	if err != nil {
		return nil, fmt.Errorf("reading state: %w", err)
	}
	return Open(dir, "", corpus, opts)
}

// OpenFile opens the state kept in the file at path.
func OpenFile(path string, opts Options) (*Store, error) {
	s := &Store{path: path, now: opts.Now, delay: opts.Delay}
	if s.now == nil {
		s.now = time.Now
	}
	if s.delay <= 0 {
		s.delay = 100 * time.Millisecond
	}
	st, problems, stamp, err := s.read()
	if err != nil {
		return nil, err
	}
	s.st, s.problems, s.stamp = st, problems, stamp
	return s, nil
}

// read reads and parses the file (no lock needed: writers replace it
// whole). A file with bad lines leaves a copy of itself beside it, named
// in the problems.
func (s *Store) read() (*state, []Problem, fileStamp, error) {
	f, err := os.Open(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return newState(counts{}), nil, fileStamp{}, nil
	}
	if err != nil {
		return nil, nil, fileStamp{}, fmt.Errorf("reading state: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, fileStamp{}, fmt.Errorf("reading state: %w", err)
	}
	if info.IsDir() {
		return nil, nil, fileStamp{}, fmt.Errorf("reading state: %s is a folder", s.path)
	}
	data, err := readAll(f, info.Size())
	if err != nil {
		return nil, nil, fileStamp{}, fmt.Errorf("reading state: %w", err)
	}
	st, problems := parse(s.path, string(data))
	if len(problems) > 0 {
		problems = append(problems, s.keepCopy(data))
	}
	return st, problems, stampOf(info), nil
}

// readAll reads f to its end, its size known in advance.
func readAll(f *os.File, size int64) ([]byte, error) {
	buf := make([]byte, 0, size+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) { // grew since its size was taken
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// keepCopy keeps the file as it was beside it, once per content, and
// says where.
func (s *Store) keepCopy(data []byte) Problem {
	sum := sha256.Sum256(data)
	copyPath := s.path + ".corrupt-" + hex.EncodeToString(sum[:4])
	f, err := os.OpenFile(copyPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case errors.Is(err, fs.ErrExist):
	case err != nil:
		return Problem{Path: s.path, Message: fmt.Sprintf("could not keep a copy of the file as it was: %v", unwrapPath(err))}
	default:
		_, werr := f.Write(data)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(copyPath)
			return Problem{Path: s.path, Message: fmt.Sprintf("could not keep a copy of the file as it was: %v", unwrapPath(werr))}
		}
	}
	return Problem{Path: s.path, Message: "the file as it was is kept in " + filepath.Base(copyPath) + "; the next change rewrites it without the lines left out"}
}

// Path gives the file the state lives in.
func (s *Store) Path() string { return s.path }

// Problems lists the lines of the file that could not be used, and where
// a copy of the file as it was is kept.
func (s *Store) Problems() []Problem {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]Problem(nil), s.problems...)
}

// Err gives the last error the writer met, nil once a write succeeds.
// Changes that could not be written stay queued and are tried again with
// the next change, Flush or Close.
func (s *Store) Err() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.err
}

// Version counts the changes to the state in memory, the store's own and
// those merged in from the file: a view built at one version is current
// while Version still says so.
func (s *Store) Version() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version
}

// stampNow gives the time for a new record: now, in microseconds, and
// later than any this store gave before. Called with s.mu held.
func (s *Store) stampNow() int64 {
	t := s.now().UnixMicro()
	if t <= s.last {
		t = s.last + 1
	}
	s.last = t
	return t
}

// enqueue applies records in memory and hands them to the writer. Called
// with s.mu held.
func (s *Store) enqueue(rs ...record) error {
	if s.closed {
		return ErrClosed
	}
	changed := false
	for _, r := range rs {
		if s.st.apply(r) {
			changed = true
		}
		s.pending = append(s.pending, r)
	}
	if changed {
		s.version++
	}
	s.start.Do(s.startWriter)
	select {
	case s.kick <- struct{}{}:
	default:
	}
	return nil
}

func (s *Store) startWriter() {
	s.kick = make(chan struct{}, 1)
	s.flushes = make(chan chan error)
	s.stop = make(chan struct{})
	s.stopped = make(chan struct{})
	go s.run()
}

// run is the writer: it waits for a change, lets more come for a moment,
// and writes them all.
func (s *Store) run() {
	defer close(s.stopped)
	for {
		select {
		case <-s.kick:
			timer := time.NewTimer(s.delay)
			select {
			case <-timer.C:
				s.write()
			case reply := <-s.flushes:
				timer.Stop()
				reply <- s.write()
			case <-s.stop:
				timer.Stop()
				s.write()
				return
			}
		case reply := <-s.flushes:
			reply <- s.write()
		case <-s.stop:
			s.write()
			return
		}
	}
}

// write merges the pending changes into the file.
func (s *Store) write() (err error) {
	s.mu.Lock()
	batch := s.pending
	s.pending = nil
	s.mu.Unlock()
	if len(batch) == 0 {
		return s.Err()
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("reading state: writer failed: %v", p)
		}
		s.mu.Lock()
		if err != nil { // keep the batch for the next try
			s.pending = append(batch, s.pending...)
		}
		s.err = err
		s.mu.Unlock()
	}()
	return s.commit(batch)
}

// commit merges batch into the file under the lock: the file is read
// again (what other processes wrote counts), the batch applied, and the
// result written beside it and renamed over it.
func (s *Store) commit(batch []record) error {
	s.io.Lock()
	defer s.io.Unlock()
	dir := filepath.Dir(s.path)
	if err := ensureDir(dir); err != nil {
		return err
	}
	unlock, err := lockFile(s.path + ".lock")
	if err != nil {
		return fmt.Errorf("reading state: %w", err)
	}
	defer unlock()
	// The file as this store last read or wrote it needs no reading
	// again: what is in memory is it and the changes since.
	var st *state
	var problems []Problem
	info, err := os.Stat(s.path)
	s.mu.RLock()
	if err == nil && stampOf(info) == s.stamp {
		st = s.st.clone()
	}
	s.mu.RUnlock()
	if st == nil {
		if st, problems, _, err = s.read(); err != nil {
			return err
		}
	}
	for _, r := range batch {
		st.apply(r)
	}
	if err := writeAtomic(s.path, st.format()); err != nil {
		return err
	}
	info, _ = os.Stat(s.path)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.pending { // changes made while this was written
		st.apply(r)
	}
	s.st = st
	s.version++
	s.stamp = stampOf(info)
	s.problems = mergeProblems(s.problems, problems)
	return nil
}

// mergeProblems adds the problems not already listed.
func mergeProblems(old, add []Problem) []Problem {
	for _, p := range add {
		found := false
		for _, o := range old {
			if o == p {
				found = true
				break
			}
		}
		if !found {
			old = append(old, p)
		}
	}
	return old
}

// ensureDir makes the state folder, 0700, and its missing parents (0700
// too); a state folder open to others is closed to them.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("reading state folder: %w", err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("reading state folder: %w", err)
	}
	if info.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("reading state folder: %w", err)
		}
	}
	return nil
}

// writeAtomic replaces the file at path with data: written to a
// temporary file beside it (0600), synced, and renamed over it.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("reading state: %w", err)
	}
	defer os.Remove(tmp.Name()) // gone after the rename; removed on failure
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("reading state: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("reading state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("reading state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("reading state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("reading state: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil { // the rename itself, to disk
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// Flush writes every change made so far and reports the writer's error.
func (s *Store) Flush() error {
	s.mu.RLock()
	started := s.kick != nil
	closed := s.closed
	s.mu.RUnlock()
	if !started || closed {
		return s.Err()
	}
	reply := make(chan error, 1)
	select {
	case s.flushes <- reply:
		return <-reply
	case <-s.stopped:
		return s.Err()
	}
}

// Close writes every change made so far and stops the writer; changes
// after Close return ErrClosed.
func (s *Store) Close() error {
	err := s.Flush()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return err
	}
	s.closed = true
	started := s.kick != nil
	s.mu.Unlock()
	if started {
		close(s.stop)
		<-s.stopped
	}
	return s.Err()
}

// Refresh reads the file again when another process changed it since it
// was last read or written here, and reports whether it did. Changes
// made here and not yet written are kept.
func (s *Store) Refresh() (bool, error) {
	s.io.Lock()
	defer s.io.Unlock()
	info, err := os.Stat(s.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("reading state: %w", err)
	}
	s.mu.RLock()
	same := stampOf(info) == s.stamp
	s.mu.RUnlock()
	if same {
		return false, nil
	}
	st, problems, stamp, err := s.read()
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.pending {
		st.apply(r)
	}
	s.st, s.stamp = st, stamp
	s.version++
	s.problems = mergeProblems(s.problems, problems)
	return true, nil
}

// Visit is one session of reading: when it started, and when the one
// before it did (zero for the first).
type Visit struct {
	Start, Previous time.Time
}

// BeginVisit records that a reading session starts now and gives the
// previous one. What is first seen from now on is new for this visit
// (Status with since = Visit.Start).
func (s *Store) BeginVisit() (Visit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.stampNow()
	v := Visit{Start: time.UnixMicro(at).UTC()}
	if n := len(s.st.visits); n > 0 && s.st.visits[n-1] < at {
		v.Previous = time.UnixMicro(s.st.visits[n-1]).UTC()
	}
	return v, s.enqueue(record{kind: kindVisit, at: at})
}

// LastVisit gives when the latest recorded visit started (zero: none).
func (s *Store) LastVisit() time.Time {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if n := len(s.st.visits); n > 0 {
		return time.UnixMicro(s.st.visits[n-1]).UTC()
	}
	return time.Time{}
}

// checkIDHash validates a change's id and content hash ("" for a hash not
// known).
func checkIDHash(id, hash string) (string, error) {
	if !IsID(id) {
		return "", fmt.Errorf("reading state: %q is not a briefing id", clip(id))
	}
	if hash == "" {
		hash = noHash
	}
	if !isHash(hash) {
		return "", fmt.Errorf("reading state: %q is not a content hash", clip(hash))
	}
	return hash, nil
}

// MarkRead records that the reader opened briefing id, whose content hash
// is hash ("" when not known: it then never shows as changed).
func (s *Store) MarkRead(id, hash string) error {
	hash, err := checkIDHash(id, hash)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enqueue(record{kind: kindRead, id: id, at: s.stampNow(), hash: hash})
}

// MarkUnread records that briefing id is to show as unread again.
func (s *Store) MarkUnread(id string) error {
	if _, err := checkIDHash(id, ""); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enqueue(record{kind: kindUnread, id: id, at: s.stampNow()})
}

// Mark marks briefing id, with content hash hash, and a private note
// (made one line of at most 500 bytes; "" for none). Marking again
// replaces the note.
func (s *Store) Mark(id, hash, note string) error {
	hash, err := checkIDHash(id, hash)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enqueue(record{kind: kindMark, id: id, at: s.stampNow(), hash: hash, note: cleanNote(note)})
}

// Unmark removes the mark of briefing id, if any (recorded as an unmark,
// so that merging an older copy of the file does not bring it back). It
// reports whether there was a mark.
func (s *Store) Unmark(id string) (bool, error) {
	if _, err := checkIDHash(id, ""); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.st.mark[id]
	return ok && !cur.unmark, s.enqueue(record{kind: kindUnmark, id: id, at: s.stampNow()})
}

// Position is where a reader stopped in a briefing: the first line shown
// of its rendered text, and how far through it that is (0 to 1, which
// survives a change of width).
type Position struct {
	Line     int
	Fraction float64
	// Hash is the content hash of the briefing when the position was
	// taken: a position in other content is only a guess.
	Hash string
}

// SetPosition records where the reader is in briefing id. Calls on every
// scroll are fine: only the latest position is written, in batches.
func (s *Store) SetPosition(id, hash string, line int, fraction float64) error {
	hash, err := checkIDHash(id, hash)
	if err != nil {
		return err
	}
	line = min(max(line, 0), maxLine)
	if !(fraction >= 0) { // NaN too
		fraction = 0
	}
	fraction = min(fraction, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.st.pos[id]; ok && int(cur.line) == line && cur.hash == hash && formatFrac(float64(cur.frac)) == formatFrac(fraction) {
		return nil // not moved
	}
	return s.enqueue(record{kind: kindPos, id: id, at: s.stampNow(), hash: hash, line: line, frac: fraction})
}

func formatFrac(f float64) string { return fmt.Sprintf("%.4f", f) }

// PositionOf gives where the reader stopped in briefing id.
func (s *Store) PositionOf(id string) (Position, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.st.pos[id]
	if !ok {
		return Position{}, false
	}
	return Position{Line: int(r.line), Fraction: float64(r.frac), Hash: hashOut(r.hash)}, true
}

func hashOut(h string) string {
	if h == noHash {
		return ""
	}
	return h
}

// See records that briefing id with content hash hash was shown to the
// reader, when that content was never seen before. It returns at once.
func (s *Store) See(id, hash string) error {
	return s.SeeAll(map[string]string{id: hash})
}

// SeeAll is See for many briefings (id to content hash) at once, as a
// reader does for the whole corpus when a visit starts.
func (s *Store) SeeAll(hashes map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var rs []record
	ids := make([]string, 0, len(hashes))
	for id := range hashes {
		ids = append(ids, id)
	}
	sort.Strings(ids) // records in a stable order, for stable times
	for _, id := range ids {
		hash, err := checkIDHash(id, hashes[id])
		if err != nil {
			return err
		}
		if hash == noHash {
			continue
		}
		if _, seen := s.st.firstSeen(id, hash); !seen {
			rs = append(rs, record{kind: kindSeen, id: id, at: s.stampNow(), hash: hash})
		}
	}
	if len(rs) == 0 {
		return nil
	}
	return s.enqueue(rs...)
}

// Status is what a reader's state says of one briefing.
type Status struct {
	// Read says the reader opened it (and did not mark it unread since).
	Read   bool
	ReadAt time.Time
	// Changed says its content changed since it was read.
	Changed bool
	// New says it is new or changed since the visit asked about: its
	// current content was first seen at or after that visit started, or
	// never.
	New bool
	// Marked says the reader marked it, with Note (may be "").
	Marked   bool
	Note     string
	MarkedAt time.Time
	// Position is where the reader stopped in it, when HasPosition.
	Position    Position
	HasPosition bool
}

// Status gives the state of briefing id, whose content hash is hash (""
// when not known: Changed is then false, and New only says whether any
// content of it was seen before since). since is the start of the visit
// that asks (Visit.Start); zero means now.
func (s *Store) Status(id, hash string, since time.Time) Status {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.status(id, hash, since)
}

func (s *Store) status(id, hash string, since time.Time) Status {
	var out Status
	if r, ok := s.st.read[id]; ok && !r.unread {
		out.Read, out.ReadAt = true, time.UnixMicro(r.at).UTC()
		out.Changed = hash != "" && r.hash != noHash && r.hash != hash
	}
	if r, ok := s.st.mark[id]; ok && !r.unmark {
		out.Marked, out.Note, out.MarkedAt = true, r.note, time.UnixMicro(r.at).UTC()
	}
	if r, ok := s.st.pos[id]; ok {
		out.Position, out.HasPosition = Position{Line: int(r.line), Fraction: float64(r.frac), Hash: hashOut(r.hash)}, true
	}
	limit := since.UnixMicro()
	if since.IsZero() {
		limit = s.now().UnixMicro() + 1
	}
	out.New = true
	if hash != "" {
		if at, ok := s.st.firstSeen(id, hash); ok && at < limit {
			out.New = false
		}
	} else {
		for _, r := range s.st.seen[id].sights() {
			if r.at < limit {
				out.New = false
			}
		}
	}
	return out
}

// Mark is a marked briefing, as Marks lists it.
type Mark struct {
	ID   string
	Note string
	At   time.Time
	// Hash is the content hash of the briefing when it was marked ("" when
	// not known).
	Hash string
}

// Marks lists every mark in the state, oldest first, whether or not its
// briefing is in the corpus.
func (s *Store) Marks() []Mark {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Mark
	for id, r := range s.st.mark {
		if !r.unmark {
			out = append(out, Mark{ID: id, Note: r.note, At: time.UnixMicro(r.at).UTC(), Hash: hashOut(r.hash)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
