//go:build unix

package server

import (
	"os"
	"runtime/pprof"
	"syscall"
	"testing"
	"time"
)

// BenchmarkIdleSessions opens 500 reader sessions and leaves them idle:
// it reports the CPU the process spends while nothing changes on any
// screen, as a share of one core (target: under 1%). The SSH clients run
// in the same process but do nothing while idle.
//
//	go test -run '^$' -bench IdleSessions -benchtime 1x ./server/
func BenchmarkIdleSessions(b *testing.B) {
	const sessions, idle = 500, 5 * time.Second
	for range b.N {
		ts := start(b, func(c *Config) {
			c.MaxSessions, c.MaxPerAddress, c.RatePerMinute, c.MaxUnauthenticated = 0, 0, 0, 0
		})
		for range sessions {
			sc := ts.open(b, 80, 24, nil)
			sc.waitFor("1 of 6")
		}
		time.Sleep(time.Second)                                  // let the last frames go
		if path := os.Getenv("BRIEF_IDLE_PROFILE"); path != "" { // what the idle time goes to
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			_ = pprof.StartCPUProfile(f)
			defer func() { pprof.StopCPUProfile(); f.Close() }()
		}
		before := cpuTime()
		time.Sleep(idle)
		used := cpuTime() - before
		b.ReportMetric(100*used.Seconds()/idle.Seconds(), "%core-idle")
		b.ReportMetric(float64(sessions), "sessions")
	}
}

// cpuTime gives the user and system time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
