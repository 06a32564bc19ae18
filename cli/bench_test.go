package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/brief-tools/brief/store/storetest"
)

// BenchmarkShowAnySize runs `brief show` and `brief card` (the command
// tree, as the binary does after its start-up) on one briefing in a
// folder of one file, of 10,000 and of 100,000, the index cache warm,
// and reports each against the one-file folder. Target: at most 1.5x at
// any size (issue 14).
func BenchmarkShowAnySize(b *testing.B) {
	big10k, big100k := storetest.SharedDir(b, 10000), storetest.SharedDir(b, 100000)
	const id, file = "gen-00000", "y00/00000-transport-stressed.md"
	one := b.TempDir()
	for _, name := range []string{file, "officials.yaml"} {
		data, err := os.ReadFile(filepath.Join(big10k, name))
		if err != nil {
			b.Fatal(err)
		}
		p := filepath.Join(one, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	then := time.Now().Add(-time.Hour) // what was just written is never trusted
	for _, p := range []string{file, "officials.yaml", "y00", "."} {
		if err := os.Chtimes(filepath.Join(one, p), then, then); err != nil {
			b.Fatal(err)
		}
	}
	for _, cmd := range []string{"show", "card"} {
		b.Run(cmd, func(b *testing.B) {
			folders := []string{one, big10k, big100k}
			runOnce := func(dir string) time.Duration {
				var out, errOut bytes.Buffer
				start := time.Now()
				if code := Execute(NewRoot(piped.build(&out, &errOut)), []string{cmd, id, "--dir", dir}); code != 0 || out.Len() == 0 {
					b.Fatalf("%s %s --dir %s: exit %d, %s", cmd, id, dir, code, errOut.String())
				}
				return time.Since(start)
			}
			for _, dir := range folders {
				runOnce(dir) // loads the folder and writes the index cache
			}
			var took [3]time.Duration
			for b.Loop() {
				for i, dir := range folders {
					took[i] += runOnce(dir)
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(took[0].Microseconds())/n/1000, "ms-one")
			b.ReportMetric(float64(took[1].Microseconds())/n/1000, "ms-10k")
			b.ReportMetric(float64(took[2].Microseconds())/n/1000, "ms-100k")
			b.ReportMetric(float64(took[1])/float64(took[0]), "x-10k")
			b.ReportMetric(float64(took[2])/float64(took[0]), "x-100k")
			b.ReportMetric(0, "ns/op")
		})
	}
}
