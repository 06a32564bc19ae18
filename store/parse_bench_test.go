package store_test

import (
	"os"
	"testing"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
)

// BenchmarkParseData parses 1,000 briefings already in memory as a
// loading worker does (frontmatter found, parsed, decoded, compacted):
// the CPU a cold load spends besides reading files, without the noise of
// system calls. It reports the time per briefing.
//
//	go test ./store -run '^$' -bench ParseData -count 5
func BenchmarkParseData(b *testing.B) {
	files := thousandFiles(b)
	parse := store.NewParser()
	kept := 0
	for b.Loop() {
		kept = 0
		for _, data := range files {
			if parse(data) {
				kept++
			}
		}
	}
	if kept != len(files) {
		b.Fatalf("kept %d of %d", kept, len(files))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/briefing")
}

// thousandFiles gives the contents of the first 1,000 files (mdFiles) of
// the shared 10,000 briefings bench folder.
func thousandFiles(b *testing.B) [][]byte {
	var files [][]byte
	for _, p := range mdFiles(b, storetest.SharedDir(b, 10000))[:1000] {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	return files
}

// BenchmarkCompact compacts 1,000 briefings already parsed, as a loading
// worker does with each (a cold load's interner and packer): the part
// of BenchmarkParseData that makes a briefing's strings its own and packs
// its details. It reports the time per briefing.
//
//	go test ./store -run '^$' -bench Compact -count 5
func BenchmarkCompact(b *testing.B) {
	compact := store.NewCompacter(thousandFiles(b))
	n := 0
	for b.Loop() {
		n = compact()
	}
	if n != 1000 {
		b.Fatalf("compacted %d of 1000", n)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/briefing")
}
