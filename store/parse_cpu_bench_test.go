package store_test

import (
	"testing"

	"github.com/brief-tools/brief/store"
)

// BenchmarkParseDataCPU is BenchmarkParseData reporting the CPU time of
// the process per briefing (cpu-ns/briefing: the parsing goroutine's and
// the garbage collector's), which other work on a busy machine inflates
// less than the time on the clock.
//
//	go test ./store -run '^$' -bench ParseDataCPU -count 5
func BenchmarkParseDataCPU(b *testing.B) {
	files := thousandFiles(b)
	parse := store.NewParser()
	kept := 0
	start := processCPU()
	for b.Loop() {
		kept = 0
		for _, data := range files {
			if parse(data) {
				kept++
			}
		}
	}
	cpu := processCPU() - start
	if kept != len(files) {
		b.Fatalf("kept %d of %d", kept, len(files))
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*len(files)), "cpu-ns/briefing")
}
