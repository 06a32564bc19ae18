package readstate

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock gives times from a start, a second apart per call, so that tests
// decide which record is later.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(start string) *clock {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		panic(err)
	}
	return &clock{t: t}
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func open(t testing.TB, dir string, c *clock) *Store {
	t.Helper()
	opts := Options{Delay: time.Millisecond}
	if c != nil {
		opts.Now = c.now
	}
	s, err := Open(dir, "", "builtin", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestLatestWins(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, newClock("2025-08-20T10:00:00Z"))
	must(t, s.Mark("a", "aa", "first"))
	must(t, s.Mark("a", "aa", "second"))
	must(t, s.Mark("b", "bb", ""))
	if _, err := s.Unmark("b"); err != nil {
		t.Fatal(err)
	}
	must(t, s.Mark("c", "cc", "kept"))
	must(t, s.MarkRead("a", "aa"))
	must(t, s.MarkRead("b", "bb"))
	must(t, s.MarkUnread("b"))
	must(t, s.SetPosition("a", "aa", 10, 0.1))
	must(t, s.SetPosition("a", "aa", 20, 0.2))
	must(t, s.Close())

	r := open(t, dir, nil)
	tests := []struct {
		id           string
		read, marked bool
		note         string
		line         int
	}{
		{"a", true, true, "second", 20},
		{"b", false, false, "", 0},
		{"c", false, true, "kept", 0},
	}
	for _, tt := range tests {
		st := r.Status(tt.id, "", time.Time{})
		if st.Read != tt.read || st.Marked != tt.marked || st.Note != tt.note || st.Position.Line != tt.line {
			t.Errorf("%s: got %+v, want read %v marked %v note %q line %d", tt.id, st, tt.read, tt.marked, tt.note, tt.line)
		}
	}
	data, _ := os.ReadFile(r.Path())
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if !slices.IsSorted(lines) {
		t.Errorf("the file is not sorted:\n%s", data)
	}
	// Only the winners are written: one record per briefing and kind.
	if n := strings.Count(string(data), "\nmark a "); n != 1 {
		t.Errorf("%d mark records for a, want the latest only:\n%s", n, data)
	}
	if !strings.Contains(string(data), "\nunmark b ") || !strings.Contains(string(data), "\nunread b ") {
		t.Errorf("the unmark and unread must stay, to win over older copies:\n%s", data)
	}
}

// A tie in time is settled by the line, whatever order the records come
// in: two machines decide alike.
func TestTiesDecideAlike(t *testing.T) {
	at := int64(1755684062000000)
	mark := record{kind: kindMark, id: "x", at: at, hash: "ab", note: "n"}
	unmark := record{kind: kindUnmark, id: "x", at: at}
	one, two := newState(counts{}), newState(counts{})
	one.apply(mark)
	one.apply(unmark)
	two.apply(unmark)
	two.apply(mark)
	if !bytes.Equal(one.format(), two.format()) {
		t.Errorf("order decides:\n%s\n%s", one.format(), two.format())
	}
}

// union merges two files as sort -u does.
func union(a, b []byte) []byte {
	set := map[string]bool{}
	for _, l := range strings.Split(string(a)+string(b), "\n") {
		if l != "" {
			set[l] = true
		}
	}
	lines := make([]string, 0, len(set))
	for l := range set {
		lines = append(lines, l)
	}
	slices.Sort(lines)
	return []byte(strings.Join(lines, "\n") + "\n")
}

func TestUnionOfTwoFiles(t *testing.T) {
	c := newClock("2025-08-20T10:00:00Z") // one clock: the two machines take turns
	laptop, desktop := t.TempDir(), t.TempDir()
	l := open(t, laptop, c)
	d := open(t, desktop, c)
	must(t, l.Mark("a", "aa", "from the laptop"))
	must(t, d.Mark("b", "bb", "from the desktop"))
	must(t, l.Mark("c", "cc", "marked on the laptop"))
	if _, err := d.Unmark("c"); err != nil { // later, on the desktop
		t.Fatal(err)
	}
	must(t, d.MarkRead("a", "aa"))
	must(t, l.SetPosition("a", "aa", 5, 0.5))
	must(t, d.SetPosition("a", "aa", 9, 0.9)) // later
	must(t, l.Mark("d", "dd", "old note"))
	must(t, d.Mark("d", "dd", "new note"))
	must(t, l.Close())
	must(t, d.Close())
	a, _ := os.ReadFile(filepath.Join(laptop, "builtin.state"))
	b, _ := os.ReadFile(filepath.Join(desktop, "builtin.state"))

	merged := union(a, b)
	if out, err := exec.Command("sh", "-c", "LC_ALL=C sort -u "+filepath.Join(laptop, "builtin.state")+" "+filepath.Join(desktop, "builtin.state")).Output(); err == nil {
		if !bytes.Equal(out, merged) {
			t.Errorf("sort -u merges otherwise:\n%s\nwant\n%s", out, merged)
		}
	}
	mergedDir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(mergedDir, "builtin.state"), merged, 0o600))
	m := open(t, mergedDir, nil)
	if p := m.Problems(); len(p) > 0 {
		t.Fatalf("the union is not a valid file: %v", p)
	}
	tests := []struct {
		id     string
		marked bool
		note   string
		read   bool
		line   int
	}{
		{"a", true, "from the laptop", true, 9},
		{"b", true, "from the desktop", false, 0},
		{"c", false, "", false, 0},
		{"d", true, "new note", false, 0},
	}
	for _, tt := range tests {
		st := m.Status(tt.id, "", time.Time{})
		if st.Marked != tt.marked || st.Note != tt.note || st.Read != tt.read || st.Position.Line != tt.line {
			t.Errorf("%s after the union: %+v; want marked %v %q, read %v, line %d", tt.id, st, tt.marked, tt.note, tt.read, tt.line)
		}
	}
	// Merging again changes nothing: the union is a fixed point.
	if again := union(merged, a); !bytes.Equal(again, union(merged, nil)) {
		t.Errorf("merging the laptop's file again changed the union")
	}
}

func TestCorruptFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "builtin.state")
	bad := header + "\n" +
		"mark good-one 2025-08-20T10:00:00.000000Z ab a note\n" +
		"mark bad id 2025-08-20T10:00:00.000000Z ab\n" +
		"\x00\x00\x00\x00\n" +
		"read good-two 2025-08-20T10:00:00.000000Z ab\n" +
		"read cut 2025-08-2"
	must(t, os.WriteFile(path, []byte(bad), 0o600))
	s := open(t, dir, nil)
	var lines []int
	for _, p := range s.Problems() {
		lines = append(lines, p.Line)
	}
	if want := []int{3, 4, 6, 0}; !slices.Equal(lines, want) {
		t.Errorf("problems on lines %v, want %v: %v", lines, want, s.Problems())
	}
	if st := s.Status("good-one", "", time.Time{}); !st.Marked || st.Note != "a note" {
		t.Errorf("a good line was lost: %+v", st)
	}
	if st := s.Status("good-two", "", time.Time{}); !st.Read {
		t.Errorf("a good line after the bad ones was lost: %+v", st)
	}
	copies, _ := filepath.Glob(path + ".corrupt-*")
	if len(copies) != 1 {
		t.Fatalf("want one copy of the bad file beside it, got %v", copies)
	}
	if kept, _ := os.ReadFile(copies[0]); string(kept) != bad {
		t.Errorf("the copy is not the file as it was: %q", kept)
	}
	if !strings.Contains(s.Problems()[3].Message, filepath.Base(copies[0])) {
		t.Errorf("the problems do not say where the copy is: %v", s.Problems())
	}
	// Opening again keeps no second copy of the same content.
	open(t, dir, nil)
	if again, _ := filepath.Glob(path + ".corrupt-*"); len(again) != 1 {
		t.Errorf("copies: %v", again)
	}
	// The next change rewrites the file without the bad lines.
	must(t, s.Mark("new", "", ""))
	must(t, s.Flush())
	r := open(t, dir, nil)
	if p := r.Problems(); len(p) > 0 {
		t.Errorf("still bad after a write: %v", p)
	}
	for _, id := range []string{"good-one", "good-two", "new"} {
		if st := r.Status(id, "", time.Time{}); !st.Marked && !st.Read {
			t.Errorf("%s lost in the rewrite", id)
		}
	}
}

func TestTruncatedLastLineIsReported(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "builtin.state")
	must(t, os.WriteFile(path, []byte("mark a 2025-08-20T10:00:00.000000Z ab a note cut sh"), 0o600))
	s := open(t, dir, nil)
	p := s.Problems()
	if len(p) != 2 || p[0].Line != 1 || !strings.Contains(p[0].Message, "cut short") {
		t.Errorf("problems: %v", p)
	}
	if st := s.Status("a", "", time.Time{}); !st.Marked {
		t.Errorf("a record that reads whole is kept: %+v", st)
	}
}

func TestPermissions(t *testing.T) {
	root := t.TempDir()
	loose := filepath.Join(root, "loose")
	must(t, os.Mkdir(loose, 0o755))
	tests := []struct{ name, dir, reader string }{
		{"new folders", filepath.Join(root, "a", "b"), ""},
		{"an existing folder open to others", loose, ""},
		{"a reader's folder", filepath.Join(root, "server"), "SHA256:abc/def+g"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(tt.dir, tt.reader, "builtin", Options{})
			must(t, err)
			must(t, s.Mark("x", "", ""))
			must(t, s.Close())
			info, err := os.Stat(s.Path())
			must(t, err)
			if perm := info.Mode().Perm(); perm != 0o600 {
				t.Errorf("file %o, want 600", perm)
			}
			for d := filepath.Dir(s.Path()); d != root; d = filepath.Dir(d) {
				info, err := os.Stat(d)
				must(t, err)
				if perm := info.Mode().Perm(); perm != 0o700 {
					t.Errorf("folder %s: %o, want 700", d, perm)
				}
			}
			lock, err := os.Stat(s.Path() + ".lock")
			must(t, err)
			if perm := lock.Mode().Perm(); perm != 0o600 {
				t.Errorf("lock file %o, want 600", perm)
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(s.Path()), ".*tmp*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

func TestChangedSinceRead(t *testing.T) {
	s := open(t, t.TempDir(), nil)
	must(t, s.MarkRead("a", "1111"))
	tests := []struct {
		hash          string
		read, changed bool
	}{
		{"1111", true, false},
		{"2222", true, true},
		{"", true, false}, // not known: not said to have changed
	}
	for _, tt := range tests {
		st := s.Status("a", tt.hash, time.Time{})
		if st.Read != tt.read || st.Changed != tt.changed {
			t.Errorf("hash %q: %+v, want read %v changed %v", tt.hash, st, tt.read, tt.changed)
		}
	}
	must(t, s.MarkRead("a", "2222")) // read again
	if st := s.Status("a", "2222", time.Time{}); st.Changed {
		t.Errorf("read again, still changed: %+v", st)
	}
}

func TestNewSinceLastVisit(t *testing.T) {
	dir := t.TempDir()
	c := newClock("2025-08-20T10:00:00Z")
	first := open(t, dir, c)
	v1, err := first.BeginVisit()
	must(t, err)
	if !v1.Previous.IsZero() {
		t.Errorf("first visit has a previous one: %v", v1)
	}
	must(t, first.SeeAll(map[string]string{"a": "aa", "b": "bb"}))
	if st := first.Status("a", "aa", v1.Start); !st.New {
		t.Errorf("first seen in this visit, so new in it: %+v", st)
	}
	must(t, first.Close())

	second := open(t, dir, c)
	v2, err := second.BeginVisit()
	must(t, err)
	if !v2.Previous.Equal(v1.Start) {
		t.Errorf("previous visit %v, want %v", v2.Previous, v1.Start)
	}
	must(t, second.SeeAll(map[string]string{"a": "aa", "b": "b2", "c": "cc"}))
	tests := []struct {
		id, hash string
		new      bool
	}{
		{"a", "aa", false}, // seen last time, unchanged
		{"b", "b2", true},  // changed since
		{"c", "cc", true},  // added since
		{"d", "dd", true},  // never seen at all
	}
	for _, tt := range tests {
		if st := second.Status(tt.id, tt.hash, v2.Start); st.New != tt.new {
			t.Errorf("%s: new %v, want %v", tt.id, st.New, tt.new)
		}
	}
	// Asked from the command line (since zero: now), what the reader has
	// seen is not new.
	if st := second.Status("c", "cc", time.Time{}); st.New {
		t.Errorf("seen by a reader already, new for the command line: %+v", st)
	}
}

func TestReaderNames(t *testing.T) {
	tests := []struct{ id, want string }{
		{"SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8", "SHA256_3anThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"},
		{"a/b", "a_2fb"},
		{"a+b", "a_2bb"},
		{"a_b", "a_5fb"},
		{"..", "_2e."},
		{".hidden", "_2ehidden"},
		{"x\x00y", "x_00y"},
		{"ключ", "_d0_ba_d0_bb_d1_8e_d1_87"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		got := ReaderName(tt.id)
		if got != tt.want {
			t.Errorf("ReaderName(%q) = %q, want %q", tt.id, got, tt.want)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("%q and %q share the name %q", tt.id, other, got)
		}
		seen[got] = tt.id
	}
	long := ReaderName(strings.Repeat("/", 60))
	if !strings.HasPrefix(long, "_h") || len(long) != 66 {
		t.Errorf("a long id: %q", long)
	}
	p, err := FilePath("/srv/state", "../../etc/passwd", "builtin")
	must(t, err)
	if filepath.Dir(filepath.Dir(p)) != "/srv/state" {
		t.Errorf("a reader id leaves the state folder: %s", p)
	}
}

func TestCorpusKeys(t *testing.T) {
	if k := CorpusKey(""); k != BuiltinCorpus {
		t.Errorf("builtin: %q", k)
	}
	a, b := CorpusKey("/x/briefings"), CorpusKey("/x/briefings/../briefings/")
	if a != b {
		t.Errorf("one folder, two keys: %q %q", a, b)
	}
	if a == CorpusKey("/y/briefings") {
		t.Errorf("two folders share a key")
	}
}

func TestLocalDir(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_STATE_HOME": "/xdg", "HOME": "/home/u"}, "/xdg/brief"},
		{map[string]string{"XDG_STATE_HOME": "relative", "HOME": "/home/u"}, "/home/u/.local/state/brief"},
		{map[string]string{"HOME": "/home/u"}, "/home/u/.local/state/brief"},
		{map[string]string{}, ""},
	}
	for _, tt := range tests {
		got, err := LocalDir(func(k string) string { return tt.env[k] })
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("%v: %q, %v; want %q", tt.env, got, err, tt.want)
		}
	}
}

// A mark never reaches the disk on the caller's path: Mark returns before
// the writer has written.
func TestMarkIsWrittenBehind(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, "", "builtin", Options{Delay: time.Hour})
	must(t, err)
	must(t, s.Mark("a", "", ""))
	if _, err := os.Stat(s.Path()); err == nil {
		t.Fatalf("written on the caller's path")
	}
	if !s.Status("a", "", time.Time{}).Marked {
		t.Errorf("not marked in memory")
	}
	must(t, s.Close()) // Close writes without waiting for the delay
	if data, _ := os.ReadFile(s.Path()); !strings.Contains(string(data), "mark a ") {
		t.Errorf("Close did not write: %q", data)
	}
	if err := s.Mark("b", "", ""); err != ErrClosed {
		t.Errorf("a change after Close: %v", err)
	}
}

func TestRefreshSeesAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	a, b := open(t, dir, nil), open(t, dir, nil)
	must(t, a.Mark("x", "", "from a"))
	must(t, a.Flush())
	changed, err := b.Refresh()
	must(t, err)
	if !changed || !b.Status("x", "", time.Time{}).Marked {
		t.Errorf("refresh: changed %v, status %+v", changed, b.Status("x", "", time.Time{}))
	}
	if changed, _ := b.Refresh(); changed {
		t.Errorf("a second refresh read an unchanged file again")
	}
}

func TestPoolSharesAReadersState(t *testing.T) {
	p := NewPool(t.TempDir(), Options{Delay: time.Millisecond})
	one, release1, err := p.Open("SHA256:key1", "builtin")
	must(t, err)
	two, release2, err := p.Open("SHA256:key1", "builtin")
	must(t, err)
	other, release3, err := p.Open("SHA256:key2", "builtin")
	must(t, err)
	if one != two {
		t.Errorf("two sessions of one key got two stores")
	}
	must(t, one.Mark("x", "", "mine"))
	if !two.Status("x", "", time.Time{}).Marked {
		t.Errorf("the other session of the key does not see the mark")
	}
	if other.Status("x", "", time.Time{}).Marked {
		t.Errorf("another key sees the mark")
	}
	must(t, release1())
	must(t, release1()) // twice is once
	if err := two.Mark("y", "", ""); err != nil {
		t.Errorf("the store closed while a session still had it: %v", err)
	}
	must(t, release2())
	must(t, release3())
	if err := two.Mark("z", "", ""); err != ErrClosed {
		t.Errorf("the last session left, the store is still open: %v", err)
	}
	again, release, err := p.Open("SHA256:key1", "builtin")
	must(t, err)
	defer release()
	if st := again.Status("y", "", time.Time{}); !st.Marked {
		t.Errorf("not written when the last session left")
	}
}

// Concurrent writers: goroutines, each with its own Store on one file
// (as two readers or SSH sessions without a pool), and processes.
func TestConcurrentWritersLoseNoMark(t *testing.T) {
	const writers, marks = 20, 25
	dir := t.TempDir()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(dir, "SHA256:same-key", "builtin", Options{Delay: time.Duration(w%3) * time.Millisecond})
			if err != nil {
				t.Error(err)
				return
			}
			for i := range marks {
				if err := s.Mark(fmt.Sprintf("g%02d-%02d", w, i), "", "note"); err != nil {
					t.Error(err)
				}
				if i%7 == 0 {
					s.Flush()
				}
			}
			if err := s.Close(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	checkAllMarks(t, dir, "g", writers, marks)
}

func TestConcurrentProcessesLoseNoMark(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 20 processes")
	}
	const writers, marks = 20, 25
	dir := t.TempDir()
	exe, err := os.Executable()
	must(t, err)
	cmds := make([]*exec.Cmd, writers)
	for w := range writers {
		cmds[w] = exec.Command(exe, "-test.run=^TestChildWriter$")
		cmds[w].Env = append(os.Environ(), "READSTATE_CHILD_DIR="+dir, "READSTATE_CHILD="+strconv.Itoa(w), "READSTATE_CHILD_MARKS="+strconv.Itoa(marks))
		cmds[w].Stderr = os.Stderr
		must(t, cmds[w].Start())
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("a writer process failed: %v", err)
		}
	}
	checkAllMarks(t, dir, "p", writers, marks)
}

// TestChildWriter is a writer process of TestConcurrentProcessesLoseNoMark.
func TestChildWriter(t *testing.T) {
	dir := os.Getenv("READSTATE_CHILD_DIR")
	if dir == "" {
		t.Skip("run by TestConcurrentProcessesLoseNoMark")
	}
	w, _ := strconv.Atoi(os.Getenv("READSTATE_CHILD"))
	marks, _ := strconv.Atoi(os.Getenv("READSTATE_CHILD_MARKS"))
	s, err := Open(dir, "SHA256:same-key", "builtin", Options{Delay: time.Millisecond})
	must(t, err)
	for i := range marks {
		must(t, s.Mark(fmt.Sprintf("p%02d-%02d", w, i), "", "note"))
		if i%5 == 0 {
			must(t, s.Flush())
		}
	}
	must(t, s.Close())
}

func checkAllMarks(t *testing.T, dir, prefix string, writers, marks int) {
	t.Helper()
	s, err := Open(dir, "SHA256:same-key", "builtin", Options{})
	must(t, err)
	if p := s.Problems(); len(p) > 0 {
		t.Errorf("problems: %v", p)
	}
	lost := 0
	for w := range writers {
		for i := range marks {
			if id := fmt.Sprintf("%s%02d-%02d", prefix, w, i); !s.Status(id, "", time.Time{}).Marked {
				lost++
				t.Errorf("mark %s lost", id)
			}
		}
	}
	if got := len(s.Marks()); got != writers*marks || lost > 0 {
		t.Errorf("%d marks, %d lost; want %d", got, lost, writers*marks)
	}
}

// A write that fails keeps the changes, says why, and is tried again.
func TestFailedWriteIsKeptAndRetried(t *testing.T) {
	root := t.TempDir()
	blocker := filepath.Join(root, "state")
	s, err := Open(blocker, "", "builtin", Options{Delay: time.Millisecond})
	must(t, err)
	must(t, os.WriteFile(blocker, []byte("a file where the folder should be"), 0o600))
	must(t, s.Mark("a", "", "kept"))
	if err := s.Flush(); err == nil || s.Err() == nil {
		t.Fatalf("the write into a file's place succeeded: %v", err)
	}
	must(t, os.Remove(blocker))
	must(t, s.Mark("b", "", ""))
	must(t, s.Close())
	r := open(t, blocker, nil)
	for _, id := range []string{"a", "b"} {
		if !r.Status(id, "", time.Time{}).Marked {
			t.Errorf("%s lost after a failed write", id)
		}
	}
	if s.Err() != nil {
		t.Errorf("the error stays after a write succeeded: %v", s.Err())
	}
}
