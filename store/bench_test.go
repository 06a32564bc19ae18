package store_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
)

// benchCorpus generates a corpus of n briefings on disk, once per machine:
// the files are the same for a given n, so later runs reuse them.
func benchCorpus(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "brief-bench", "corpus-"+itoa(n))
	if _, err := os.Stat(filepath.Join(dir, "officials.yaml")); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := storetest.Write(dir, storetest.Options{Briefings: n, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

// BenchmarkLoad10k loads 10,000 briefings of about 4 KB from disk (the page
// cache warm after the first iteration). Target: at most 150 ms, and at
// most 2.5 times `head -q -c 4096` over the same files.
func BenchmarkLoad10k(b *testing.B) {
	dir := benchCorpus(b, 10000)
	fsys := os.DirFS(dir)
	if _, err := store.Load(fsys, store.Options{}); err != nil { // warm the page cache
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		c, err := store.Load(fsys, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(c.Briefings()) != 10000 {
			b.Fatalf("loaded %d of 10000 (%d problems, first %v)", len(c.Briefings()), len(c.Problems()), c.Problems()[:min(1, len(c.Problems()))])
		}
	}
}

// BenchmarkLoad10kCached loads the same 10,000 briefings through the index
// cache, as every run after the first does: a stat per file instead of a
// read and a parse. Target: at most 150 ms.
func BenchmarkLoad10kCached(b *testing.B) {
	fsys := os.DirFS(benchCorpus(b, 10000))
	opts := store.Options{CachePath: filepath.Join(b.TempDir(), "index")}
	if _, err := store.Load(fsys, opts); err != nil { // writes the cache
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		c, err := store.Load(fsys, opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(c.Briefings()) != 10000 {
			b.Fatalf("loaded %d of 10000", len(c.Briefings()))
		}
	}
}

// BenchmarkCorpusMemory10k reports the heap a corpus of 10,000 briefings
// keeps. Target: at most 60 MB.
func BenchmarkCorpusMemory10k(b *testing.B) {
	fsys := os.DirFS(benchCorpus(b, 10000))
	var kept *store.Corpus
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c, err := store.Load(fsys, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = c
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-kept")
	}
	runtime.KeepAlive(kept)
}

// BenchmarkQuery10k runs a query that ANDs official, topic, date range and
// free text over 10,000 briefings. Target: at most 2 ms.
func BenchmarkQuery10k(b *testing.B) {
	c, err := store.Load(os.DirFS(benchCorpus(b, 10000)), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	queries := map[string]store.Query{
		"text-only":        {Text: "border cooperation"},
		"official+all":     {Official: c.People()[0].Official, Topic: "trade", Since: mustDate(b, "2018"), Until: mustDate(b, "2024-06"), Text: "energy"},
		"date-range+topic": {Topic: "energy", Since: mustDate(b, "2020-03"), Until: mustDate(b, "2021")},
	}
	for name, q := range queries {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_ = c.Query(q)
			}
		})
	}
}

func mustDate(b *testing.B, s string) store.Date {
	d, err := store.ParseDate(s)
	if err != nil {
		b.Fatal(err)
	}
	return d
}
