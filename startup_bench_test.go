package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brief-tools/brief/store/storetest"
)

// minimalProgram is the floor every command's start-up is measured
// against: a Go program that prints one line, as `brief --version` does.
const minimalProgram = `package main

import "os"

func main() { os.Stdout.WriteString("minimal 1\n") }
`

// buildMinimal builds minimalProgram with the same toolchain, once.
func buildMinimal(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	files := map[string]string{"go.mod": "module minimal\n", "main.go": minimalProgram}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "minimal")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build the minimal program: %v\n%s", err, out)
	}
	return bin
}

// BenchmarkStartup runs brief commands as a shell would, each exec
// followed by one of a minimal Go program built in the same run, and
// reports both wall times and their ratio: the fixed start-up of a
// command (issue 14's target: under 5 ms, against about 2 ms for the
// minimal program). It also reports the package initialisation time of
// the binary (GODEBUG=inittrace=1) and logs the costliest packages.
//
//	go test -run '^$' -bench Startup -count 3 .
func BenchmarkStartup(b *testing.B) {
	brief, minimal := buildBinary(b), buildMinimal(b)
	home := b.TempDir() // no configuration, cache or state of the user's
	folder := b.TempDir()
	if err := storetest.Write(folder, storetest.Options{Briefings: 10, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_CACHE_HOME="+filepath.Join(home, "cache"), "XDG_STATE_HOME="+filepath.Join(home, "state"),
		"BRIEF_DIR=", "BRIEF_THEME=", "GODEBUG=")
	run := func(b *testing.B, bin string, args ...string) time.Duration {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		start := time.Now()
		err := cmd.Run()
		took := time.Since(start)
		if err != nil || out.Len() == 0 {
			b.Fatalf("%s %s: %v, %d bytes out; %s", filepath.Base(bin), strings.Join(args, " "), err, out.Len(), errOut.String())
		}
		return took
	}
	b.Run("init", func(b *testing.B) {
		var total time.Duration
		var slowest []initTime
		for b.Loop() {
			cmd := exec.Command(brief, "--version")
			cmd.Env = append(env, "GODEBUG=inittrace=1")
			var errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = nil, &errOut
			if err := cmd.Run(); err != nil {
				b.Fatalf("brief --version: %v; %s", err, errOut.String())
			}
			inits := parseInitTrace(errOut.String())
			if len(inits) == 0 {
				b.Fatalf("no init trace in %q", errOut.String())
			}
			for _, it := range inits {
				total += it.clock
			}
			slowest = inits
		}
		slices.SortFunc(slowest, func(x, y initTime) int { return int(y.clock - x.clock) })
		var top strings.Builder
		for _, it := range slowest[:min(8, len(slowest))] {
			fmt.Fprintf(&top, "\n  %7.2f ms  %s", float64(it.clock.Microseconds())/1000, it.pkg)
		}
		b.Logf("costliest package initialisation of the last run:%s", top.String())
		b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "ms-init")
		b.ReportMetric(0, "ns/op")
	})
	commands := []struct {
		name string
		args []string
	}{
		{"version", []string{"--version"}},
		{"list-10", []string{"list", "--dir", folder}},
	}
	for _, c := range commands {
		b.Run(c.name, func(b *testing.B) {
			run(b, brief, c.args...) // the index cache is warm from here on
			var took, floor time.Duration
			for b.Loop() {
				floor += run(b, minimal)
				took += run(b, brief, c.args...)
			}
			n := float64(b.N)
			b.ReportMetric(float64(took.Microseconds())/n/1000, "ms-brief")
			b.ReportMetric(float64(floor.Microseconds())/n/1000, "ms-minimal")
			b.ReportMetric(float64(took)/float64(floor), "x-minimal")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// initTime is one package's initialisation, from GODEBUG=inittrace=1.
type initTime struct {
	pkg   string
	clock time.Duration
}

// parseInitTrace reads the runtime's init trace lines:
//
//	init github.com/x/y @2.1 ms, 0.28 ms clock, 127384 bytes, 41 allocs
func parseInitTrace(s string) []initTime {
	var inits []initTime
	for line := range strings.Lines(s) {
		f := strings.Fields(line)
		if len(f) < 7 || f[0] != "init" || f[6] != "clock," {
			continue
		}
		v, err := strconv.ParseFloat(f[4], 64)
		if err != nil {
			continue
		}
		unit := map[string]time.Duration{"ns": time.Nanosecond, "us": time.Microsecond, "µs": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[f[5]]
		inits = append(inits, initTime{pkg: f[1], clock: time.Duration(v * float64(unit))})
	}
	return inits
}
