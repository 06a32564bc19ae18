package tui

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
)

// BenchmarkReaderHeap100k reports the heap the whole reader keeps for
// 100,000 realistic briefings: the source of snapshots (index cache
// warm), the free-text index prepared as the reader has it once idle, and
// the reader itself, sized, its first frame drawn and a text filter
// typed. Target (issue 14): under 200 MiB.
//
//	go test -run '^$' -bench ReaderHeap100k ./tui/
func BenchmarkReaderHeap100k(b *testing.B) {
	dir := storetest.SharedRealisticDir(b, 100000)
	opts := store.OpenOptions{Options: store.Options{CachePath: filepath.Join(b.TempDir(), "index")}}
	if _, err := store.Load(store.Dir(dir), opts.Options); err != nil { // writes the index cache
		b.Fatal(err)
	}
	var heap uint64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := store.Open(store.Dir(dir), opts)
		if err != nil {
			b.Fatal(err)
		}
		c := s.Current()
		c.PrepareSearch()
		m := sized(newBenchModel(c), 120, 40)
		if m.View() == "" {
			b.Fatal("no first frame")
		}
		m = press(m, "/", "t", "r", "a", "d", "e", "enter")
		if m.View() == "" {
			b.Fatal("no frame after filtering")
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
		runtime.KeepAlive(m)
		s.Close()
	}
	b.ReportMetric(float64(heap)/(1<<20), "MiB-reader")
	b.ReportMetric(0, "ns/op")
}
