package store_test

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
)

func benchCorpus(b *testing.B, n int) string { return storetest.SharedDir(b, n) }

// BenchmarkLoad10k loads 10,000 briefings of about 4 KB from disk (the page
// cache warm after the first iteration). Target: at most 150 ms, and at
// most 2.5 times `head -q -c 4096` over the same files.
func BenchmarkLoad10k(b *testing.B) {
	dir := benchCorpus(b, 10000)
	fsys := store.Dir(dir)
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
	fsys := store.Dir(benchCorpus(b, 10000))
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

// BenchmarkPrepareSearch10k builds the free-text index of 10,000
// briefings, as the reader does in the background after its first frame.
func BenchmarkPrepareSearch10k(b *testing.B) {
	fsys := store.Dir(benchCorpus(b, 10000))
	for b.Loop() {
		b.StopTimer()
		c, err := store.Load(fsys, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c.PrepareSearch()
	}
}

// BenchmarkCorpusMemory10k reports the heap a corpus of 10,000 briefings
// keeps. Target: at most 60 MB.
func BenchmarkCorpusMemory10k(b *testing.B) {
	fsys := store.Dir(benchCorpus(b, 10000))
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
// free text over 10,000 briefings. Target: at most 2 ms. (The search
// benchmarks on realistic text are in search_bench_test.go.)
func BenchmarkQuery10k(b *testing.B) {
	c, err := store.Load(store.Dir(benchCorpus(b, 10000)), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	queries := map[string]store.Query{
		"text-only":        {Text: "border cooperation"},
		"official+all":     {Official: c.People()[0].Official, Topic: "trade", Since: mustDate(b, "2018"), Until: mustDate(b, "2024-06"), Text: "energy"},
		"date-range+topic": {Topic: "energy", Since: mustDate(b, "2020-03"), Until: mustDate(b, "2021")},
	}
	c.PrepareSearch() // what the reader does in the background
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
