package store_test

import (
	"testing"

	"github.com/brief-tools/brief/store"
)

// BenchmarkFrontmatterCPU splits and parses the frontmatter of 1,000
// briefings with plainFrontmatter and the fast YAML parser alone (no
// decoding), reporting the CPU time of the process per briefing.
//
//	go test ./store -run '^$' -bench FrontmatterCPU -cpu 1 -count 5
func BenchmarkFrontmatterCPU(b *testing.B) {
	files := thousandFiles(b)
	parse := store.NewFrontmatterParser()
	parsed := 0
	start := processCPU()
	for b.Loop() {
		parsed = 0
		for _, data := range files {
			if parse(data) {
				parsed++
			}
		}
	}
	cpu := processCPU() - start
	if parsed != len(files) {
		b.Fatalf("parsed %d of %d", parsed, len(files))
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*len(files)), "cpu-ns/briefing")
}

// BenchmarkFrontmatterHot splits, and splits and parses, the frontmatter
// of the same 16 briefings over and over, their bytes in the cache: the
// time per briefing of the work alone, without fetching the bytes.
//
//	go test ./store -run '^$' -bench FrontmatterHot -cpu 1 -count 5
func BenchmarkFrontmatterHot(b *testing.B) {
	files := thousandFiles(b)[:16]
	for _, c := range []struct {
		name string
		f    func([]byte) bool
	}{
		{"split", store.NewFrontmatterSplitter()},
		{"parse", store.NewFrontmatterParser()},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for _, data := range files {
					if !c.f(data) {
						b.Fatal("not parsed")
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/briefing")
		})
	}
}
