package store_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
)

// CorpusSource benchmarks (issue 10): a change visible within 1 s, the
// work for one changed file at 10,000 briefings under 50 ms.
//
//	go test ./store -run '^$' -bench 'Source' -benchtime 20x
//
// Each works on its own copy of a shared generated folder, since it
// changes files.

// copyTree copies a folder of briefings into a temporary folder.
func copyTree(b *testing.B, src string) string {
	b.Helper()
	dst := b.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
	// Files written now are racy for two seconds (see fileState.racy):
	// date them back, as a folder edited earlier is.
	past := time.Now().Add(-time.Hour)
	filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(p, past, past)
		}
		return nil
	})
	return dst
}

func openBench(b *testing.B, dir string, mode store.WatchMode) *store.CorpusSource {
	b.Helper()
	s, err := store.Open(store.Dir(dir), store.OpenOptions{
		Options: store.Options{Name: "bench", CachePath: filepath.Join(b.TempDir(), "index")},
		Watch:   mode,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// editTitle saves the i-th briefing of c with a new title, as an editor
// does (a temporary file renamed over it), and gives its path.
func editTitle(b *testing.B, dir string, c *store.Corpus, i int, title string) string {
	b.Helper()
	br := c.Briefings()[i%len(c.Briefings())]
	p := filepath.Join(dir, filepath.FromSlash(br.Path))
	data, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Replace(string(data), "title: ", "title: "+title+" ", 1)
	if err := os.WriteFile(p+".tmp", []byte(text), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(p+".tmp", p); err != nil {
		b.Fatal(err)
	}
	return br.Path
}

// BenchmarkSourceChangeOne10k measures the work one changed file costs a
// source of 10,000 briefings: the file read and parsed, the new snapshot
// made (sorted, indexed) and published. Goal: under 50 ms.
func BenchmarkSourceChangeOne10k(b *testing.B) { benchmarkChangeOne(b, 10000) }

// BenchmarkSourceChangeOne100k is BenchmarkSourceChangeOne10k at 100,000
// briefings, for scale (its folder takes a minute to copy).
func BenchmarkSourceChangeOne100k(b *testing.B) { benchmarkChangeOne(b, 100000) }

// BenchmarkSourceMoveOne10k is BenchmarkSourceChangeOne10k for an edit
// of a briefing's date: it moves on the timeline, and every position
// after it on the index lists with it.
func BenchmarkSourceMoveOne10k(b *testing.B) { benchmarkMoveOne(b, 10000) }

// BenchmarkSourceMoveOne100k is BenchmarkSourceMoveOne10k at 100,000
// briefings.
func BenchmarkSourceMoveOne100k(b *testing.B) { benchmarkMoveOne(b, 100000) }

func benchmarkChangeOne(b *testing.B, n int) {
	benchmarkEdit(b, n, func(dir string, c *store.Corpus, i int) string {
		return editTitle(b, dir, c, i*7919, fmt.Sprintf("E%d", i))
	})
}

func benchmarkMoveOne(b *testing.B, n int) {
	benchmarkEdit(b, n, func(dir string, c *store.Corpus, i int) string {
		// From the middle of the timeline to a new year, and back.
		br := c.Briefings()[len(c.Briefings())/2+i%7]
		p := filepath.Join(dir, filepath.FromSlash(br.Path))
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		date := fmt.Sprintf("\ndate: %d-0%d-1%d\n", 2001+i%20, 1+i%9, i%10)
		text := string(data)
		at := strings.Index(text, "\ndate: ")
		end := at + 1 + strings.Index(text[at+1:], "\n")
		text = text[:at] + date + text[end+1:]
		if err := os.WriteFile(p+".tmp", []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(p+".tmp", p); err != nil {
			b.Fatal(err)
		}
		return br.Path
	})
}

func benchmarkEdit(b *testing.B, n int, edit func(dir string, c *store.Corpus, i int) string) {
	dir := copyTree(b, storetest.SharedDir(b, n))
	s := openBench(b, dir, store.WatchNone)
	_, _, before := store.SourceStats(s)
	defer func() {
		// The share of the snapshots made from the last one, not whole.
		_, _, after := store.SourceStats(s)
		b.ReportMetric(float64(store.SourceIncremental(s))/float64(max(after-before, 1)), "from-last")
	}()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		p := edit(dir, s.Current(), i)
		before := s.Current()
		b.StartTimer()
		store.SourceApply(s, p)
		b.StopTimer()
		if s.Current() == before {
			b.Fatal("no new snapshot")
		}
		b.StartTimer()
	}
}

// BenchmarkSourceWalk10k measures a stat walk of 10,000 briefings that
// finds nothing changed: what polling costs every two seconds, and R.
func BenchmarkSourceWalk10k(b *testing.B) {
	dir := copyTree(b, storetest.SharedDir(b, 10000))
	s := openBench(b, dir, store.WatchNone)
	for b.Loop() {
		if _, err := s.Reload(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSourceLatency10k measures the time from an editor's save to
// the new snapshot in a subscriber's hands, through notifications, the
// quiet time editors need included. Goal: under 1 s.
func BenchmarkSourceLatency10k(b *testing.B) {
	dir := copyTree(b, storetest.SharedDir(b, 10000))
	s := openBench(b, dir, store.WatchAuto)
	if !s.Watch().Notify {
		b.Skipf("no notifications here: %s", s.Watch())
	}
	ch, cancel := s.Subscribe()
	defer cancel()
	var times latencies
	defer func() { times.report(b, "to-snapshot") }()
	for i := 0; b.Loop(); i++ {
		title := fmt.Sprintf("L%d", i)
		start := time.Now()
		p := editTitle(b, dir, s.Current(), i*7919, title)
		for c := range ch {
			if br := briefingAt(c, p); br != nil && strings.HasPrefix(br.Title, title+" ") {
				break
			}
		}
		times = append(times, time.Since(start))
	}
}

// latencies gathers the times of a benchmark's iterations, to report
// their mean, median and worst.
type latencies []time.Duration

func (l latencies) report(b *testing.B, what string) {
	if len(l) == 0 {
		return
	}
	sorted := slices.Clone(l)
	slices.Sort(sorted)
	var sum time.Duration
	for _, d := range l {
		sum += d
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(sum/time.Duration(len(l))), "ms-mean-"+what)
	b.ReportMetric(ms(sorted[len(sorted)/2]), "ms-median-"+what)
	b.ReportMetric(ms(sorted[len(sorted)-1]), "ms-max-"+what)
}

func briefingAt(c *store.Corpus, path string) *store.Briefing {
	for _, b := range c.Briefings() {
		if b.Path == path {
			return b
		}
	}
	return nil
}

// BenchmarkSourceTextLatency10k measures the time from an editor's save
// of a body to a snapshot whose text search finds the new word, on a
// realistic folder, once a reader has built the index (the source then
// builds each snapshot's from the last).
func BenchmarkSourceTextLatency10k(b *testing.B) {
	dir := copyTree(b, storetest.SharedRealisticDir(b, 10000))
	s := openBench(b, dir, store.WatchAuto)
	if !s.Watch().Notify {
		b.Skipf("no notifications here: %s", s.Watch())
	}
	s.Current().PrepareSearch()
	ch, cancel := s.Subscribe()
	defer cancel()
	var times latencies
	defer func() { times.report(b, "to-searchable") }()
	for i := 0; b.Loop(); i++ {
		word := fmt.Sprintf("zq%dxv", i)
		br := s.Current().Briefings()[(i*7919)%10000]
		p := filepath.Join(dir, filepath.FromSlash(br.Path))
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := os.WriteFile(p+".tmp", append(data, "\n"+word+"\n"...), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(p+".tmp", p); err != nil {
			b.Fatal(err)
		}
		for c := range ch {
			if len(c.Search(store.Query{Text: word})) == 1 { // waits for its index
				break
			}
		}
		times = append(times, time.Since(start))
	}
}

// BenchmarkSourceSearchUpdate10k measures bringing the free-text index up
// to date after one body changed, from the last snapshot's index (shared
// segments, one body indexed), on a realistic folder. Compare
// BenchmarkSearchBuild10k/one-changed, which starts from the saved index.
func BenchmarkSourceSearchUpdate10k(b *testing.B) {
	dir := copyTree(b, storetest.SharedRealisticDir(b, 10000))
	s := openBench(b, dir, store.WatchNone)
	s.Current().PrepareSearch()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		p := editTitle(b, dir, s.Current(), i*7919, fmt.Sprintf("S%d", i))
		store.SourceApply(s, p)
		c := s.Current()
		b.StartTimer()
		c.PrepareSearch()
	}
}

// BenchmarkSourceSnapshotMemory10k reports the heap a new snapshot of
// 10,000 briefings adds while the one before it is still held (a reader
// that has not taken it yet): its tables, not its briefings, which the
// snapshots share.
func BenchmarkSourceSnapshotMemory10k(b *testing.B) {
	dir := copyTree(b, storetest.SharedDir(b, 10000))
	s := openBench(b, dir, store.WatchNone)
	var kept []*store.Corpus
	for i := 0; b.Loop(); i++ {
		p := editTitle(b, dir, s.Current(), i*7919, fmt.Sprintf("M%d", i))
		old := s.Current()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		store.SourceApply(s, p)
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = append(kept[:0], old, s.Current())
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "MB-per-snapshot")
	}
	runtime.KeepAlive(kept)
}
