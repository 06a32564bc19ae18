package store_test

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
)

// heapAfter reports the heap that what load returns keeps alive.
func heapAfter[T any](load func() T) (T, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := load()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return v, after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
}

// BenchmarkMemoryPerBriefing reports the heap a loaded corpus keeps per
// briefing, read without a cache (cold) and through a warm index cache.
// Target (issue 14): under 1.5 KB both ways.
func BenchmarkMemoryPerBriefing(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		dir := storetest.SharedRealisticDir(b, n)
		for _, warm := range []bool{false, true} {
			name := map[int]string{10000: "10k", 100000: "100k"}[n] + map[bool]string{true: "/warm", false: "/cold"}[warm]
			b.Run(name, func(b *testing.B) {
				opts := store.Options{}
				if warm {
					opts.CachePath = filepath.Join(b.TempDir(), "index")
					if _, err := store.Load(store.Dir(dir), opts); err != nil {
						b.Fatal(err)
					}
				}
				var kept uint64
				for b.Loop() {
					c, heap := heapAfter(func() *store.Corpus {
						c, err := store.Load(store.Dir(dir), opts)
						if err != nil {
							b.Fatal(err)
						}
						return c
					})
					if len(c.Briefings()) == 0 {
						b.Fatal("nothing loaded")
					}
					kept = heap / uint64(len(c.Briefings()))
					runtime.KeepAlive(c)
				}
				b.ReportMetric(float64(kept), "B/briefing")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}

// BenchmarkReaderHeap100k reports the heap the reader's source of
// snapshots keeps for 100,000 briefings, index cache warm, with the
// free-text index built (as the reader has it once idle). Target (issue
// 14): the reader under 200 MiB.
func BenchmarkReaderHeap100k(b *testing.B) {
	dir := storetest.SharedRealisticDir(b, 100000)
	opts := store.OpenOptions{Options: store.Options{CachePath: filepath.Join(b.TempDir(), "index")}}
	if _, err := store.Load(store.Dir(dir), opts.Options); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, heap := heapAfter(func() *store.CorpusSource {
			s, err := store.Open(store.Dir(dir), opts)
			if err != nil {
				b.Fatal(err)
			}
			return s
		})
		_, withText := heapAfter(func() bool { s.Current().PrepareSearch(); return true })
		b.ReportMetric(float64(heap)/(1<<20), "MiB-snapshot")
		b.ReportMetric(float64(heap+withText)/(1<<20), "MiB-with-text-index")
		s.Close()
	}
	b.ReportMetric(0, "ns/op")
}
