//go:build unix

package readstate

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/brief-tools/brief/store/storetest"
)

// writeBig writes a state of reads read marks (with as many sights when
// seen) and marks marks, as a long-time reader of a large corpus has.
func writeBig(b *testing.B, reads, marks int, seen bool) string {
	b.Helper()
	dir := b.TempDir()
	st := newState(counts{read: reads, seen: reads, mark: marks})
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	hash := "3f1c0a9be2d47781c0de55e0"
	for i := range reads {
		id := fmt.Sprintf("2025-%02d-%02d-briefing-number-%05d", i%12+1, i%28+1, i)
		st.apply(record{kind: kindRead, id: id, at: at + int64(i), hash: hash})
		if seen {
			st.apply(record{kind: kindSeen, id: id, at: at + int64(i), hash: hash})
		}
		if i < marks {
			st.apply(record{kind: kindMark, id: id, at: at + int64(i), hash: hash, note: "ask the minister about the railway to Termez"})
		}
	}
	for i := range 16 {
		st.apply(record{kind: kindVisit, at: at + int64(i)*1e9})
	}
	if err := os.WriteFile(filepath.Join(dir, "builtin.state"), st.format(), 0o600); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkOpen is the start-up cost of a reader's state: 10,000 read
// marks and 500 marks (goal: under 10 ms), and the same with a sight of
// each briefing recorded (what the reader adds for "new since").
func BenchmarkOpen(b *testing.B) {
	for _, tt := range []struct {
		name string
		seen bool
	}{{"10k-read-500-marks", false}, {"10k-read-10k-seen-500-marks", true}} {
		b.Run(tt.name, func(b *testing.B) {
			dir := writeBig(b, 10000, 500, tt.seen)
			var heap uint64
			cpu := cpuTime()
			b.ResetTimer()
			for i := range b.N {
				var before runtime.MemStats
				if i == 0 {
					runtime.GC()
					runtime.ReadMemStats(&before)
				}
				s, err := Open(dir, "", "builtin", Options{})
				if err != nil {
					b.Fatal(err)
				}
				if i == 0 {
					var after runtime.MemStats
					runtime.GC()
					runtime.ReadMemStats(&after)
					heap = after.HeapAlloc - before.HeapAlloc
					runtime.KeepAlive(s)
				}
				if !s.Status("2025-01-01-briefing-number-00000", "", time.Time{}).Marked {
					b.Fatal("not read")
				}
			}
			b.StopTimer()
			// CPU time of the whole process (the writer and the GC too),
			// which a busy machine does not inflate as it does the clock.
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
			b.ReportMetric(float64(heap)/1024, "KiB-held")
			info, _ := os.Stat(filepath.Join(dir, "builtin.state"))
			b.ReportMetric(float64(info.Size())/1024, "KiB-file")
		})
	}
}

// BenchmarkMark is the cost of a mark on the caller's path (a keystroke):
// goal under 1 ms; the write happens behind it, batched.
func BenchmarkMark(b *testing.B) {
	dir := writeBig(b, 10000, 500, true)
	s, err := Open(dir, "", "builtin", Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := range b.N {
		if err := s.Mark(fmt.Sprintf("bench-%d", i%1000), "3f1c0a9be2d47781c0de55e0", "a note"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if err := s.Flush(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkWrite is the writer's cost behind the keystroke: lock, read and
// merge the file, write and rename it, with the big state.
func BenchmarkWrite(b *testing.B) {
	dir := writeBig(b, 10000, 500, true)
	s, err := Open(dir, "", "builtin", Options{Delay: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := range b.N {
		if err := s.Mark(fmt.Sprintf("bench-%d", i), "", ""); err != nil {
			b.Fatal(err)
		}
		if err := s.Flush(); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the CPU time the process has used, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkHashAll is the cost of every content hash of a corpus of
// 10,000 briefings (about 4 KB each, files on disk): what seeing the
// whole corpus at a visit, or adopting state for unknown briefings,
// costs when nothing is cached.
func BenchmarkHashAll(b *testing.B) {
	c := storetest.LoadDir(b, storetest.SharedDir(b, 10000))
	cpu := cpuTime()
	b.ResetTimer()
	for range b.N {
		all, errs := NewHashes(c).All()
		if len(errs) > 0 || len(all) != len(c.Briefings()) {
			b.Fatalf("%d hashes, %v", len(all), errs)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkHashAllCached is BenchmarkHashAll when an earlier run left its
// hashes in the cache: a stat per file instead of a read.
func BenchmarkHashAllCached(b *testing.B) {
	dir := storetest.SharedDir(b, 10000)
	c := storetest.LoadDir(b, dir)
	cache := filepath.Join(b.TempDir(), "hashes")
	h := NewCachedHashes(c, dir, cache)
	h.All()
	if err := h.Save(); err != nil {
		b.Fatal(err)
	}
	cpu := cpuTime()
	b.ResetTimer()
	for range b.N {
		all, errs := NewCachedHashes(c, dir, cache).All()
		if len(errs) > 0 || len(all) != len(c.Briefings()) {
			b.Fatalf("%d hashes, %v", len(all), errs)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
}
