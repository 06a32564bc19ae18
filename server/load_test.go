package server

import (
	"io"
	"math/rand/v2"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brief-tools/brief/tui"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// reader is one simulated reader for the load benchmark.
type reader struct {
	sc        *screen
	latencies []time.Duration
	bytes     int // received while opening and paging the briefing
}

// press sends a key and waits for the frame it causes: the first output
// after it, then until the output has been quiet for a moment.
func (r *reader) press(b *testing.B, key string) time.Duration {
	before := r.sc.out.Len()
	start := time.Now()
	if _, err := io.WriteString(r.sc.in, key); err != nil {
		b.Error(err)
		return 0
	}
	if !r.sc.out.waitBeyond(before, 10*time.Second) {
		b.Errorf("no answer to %q", key)
		return 0
	}
	first := time.Since(start)
	// The rest of the frame, and anything the key caused after it.
	for r.sc.out.waitBeyond(r.sc.out.Len(), 30*time.Millisecond) {
	}
	r.bytes += r.sc.out.Len() - before
	return first
}

// pages is how many keys each reader presses once the briefing is open:
// page down and page up in turn, so that every key changes the screen.
const pages = 8

func pageKey(i int) string {
	if i%2 == 0 {
		return " "
	}
	return "b"
}

// BenchmarkLoad200Sessions opens 200 reader sessions at once; each opens a
// briefing and pages through it. It reports keystroke-to-screen latency
// (p50, p95; targets ≤ 50 ms at p95), memory per session (heap and
// stacks, the in-process clients included; ≤ 4 MB),
// goroutines left once all have gone (0), and the bytes sent to open and
// page against the plain text those screens show (≤ 2).
//
//	go test -run '^$' -bench Load200Sessions -benchtime 1x ./server/
//
// Two paces: a reader's (a key every 250 ms) and a stress test (every 20 ms,
// some 4,000 keys a second in all). The SSH clients run in the same
// process, on the same two cores, so the server has half the machine.
func BenchmarkLoad200Sessions(b *testing.B) {
	for _, pace := range []time.Duration{250 * time.Millisecond, 20 * time.Millisecond} {
		b.Run("key-every-"+pace.String(), func(b *testing.B) { benchmarkSessions(b, 200, pace) })
	}
}

func benchmarkSessions(b *testing.B, sessions int, pace time.Duration) {
	for b.Loop() {
		ts := start(b, func(c *Config) { c.MaxPerAddress, c.RatePerMinute, c.MaxUnauthenticated = 0, 0, 0 })
		runtime.GC()
		goroutinesBefore := runtime.NumGoroutine()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)

		readers := make([]*reader, sessions)
		var wg sync.WaitGroup
		opened := make(chan struct{}, sessions)
		release := make(chan struct{})
		for i := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := &reader{sc: ts.open(b, 80, 24, nil)}
				readers[i] = r
				r.sc.waitFor("1 of 6")
				time.Sleep(rand.N(pace))                            // readers do not act in step
				r.latencies = append(r.latencies, r.press(b, "\r")) // open the newest briefing
				opened <- struct{}{}
				<-release
				for i := range pages {
					time.Sleep(pace/2 + rand.N(pace)) // around pace, not in step
					r.latencies = append(r.latencies, r.press(b, pageKey(i)))
				}
				_, _ = io.WriteString(r.sc.in, "q")
				r.sc.waitEnd()
				_ = r.sc.c.Close()
			}()
		}
		for range sessions {
			<-opened
		}
		runtime.GC()
		var during runtime.MemStats
		runtime.ReadMemStats(&during)
		goroutinesDuring := runtime.NumGoroutine()
		close(release)
		wg.Wait()

		var all []time.Duration
		received := 0
		for _, r := range readers {
			all = append(all, r.latencies...)
			received += r.bytes
		}
		slices.Sort(all)
		pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000 }
		b.ReportMetric(pct(0.50), "p50-ms")
		b.ReportMetric(pct(0.95), "p95-ms")
		perSession := float64(during.HeapInuse+during.StackInuse-before.HeapInuse-before.StackInuse) / float64(sessions) / (1 << 20)
		b.ReportMetric(perSession, "MB/session")

		// Goroutines: back to where they were once every session has gone.
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > goroutinesBefore && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		b.ReportMetric(float64(runtime.NumGoroutine()-goroutinesBefore), "goroutines-left")
		if left := runtime.NumGoroutine() - goroutinesBefore; left > 0 {
			var stacks strings.Builder
			_ = pprof.Lookup("goroutine").WriteTo(&stacks, 1)
			b.Errorf("%d goroutines left after every session ended:\n%s", left, stacks.String()[:min(stacks.Len(), 4000)])
		}

		// The plain text of the same screens, drawn by the same reader.
		plain := plainTextOfScreens(b, ts)
		b.ReportMetric(float64(received)/float64(sessions)/float64(plain), "bytes/plain-text")
		b.Logf("%d sessions, a key every %s: p50 %.1f ms, p95 %.1f ms; %.2f MB (heap and stacks, clients included) each; %d goroutines before, %d during, %d after; %d bytes sent per reader for %d bytes of text on screen",
			sessions, pace, pct(0.5), pct(0.95), perSession, goroutinesBefore, goroutinesDuring, runtime.NumGoroutine(), received/sessions, plain)
		ts.cancel()
	}
}

// plainTextOfScreens draws, with a reader like a session's, the screens a
// benchmark reader sees after opening and paging, and counts their text:
// every line without trailing spaces, with its line break.
func plainTextOfScreens(b *testing.B, ts *testServer) int {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	var m tea.Model = tui.New(tui.Config{Corpus: ts.srv.corpus, Renderer: r, Dark: true})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	count := func(view string) int {
		n := 0
		for _, l := range strings.Split(ansi.Strip(view), "\n") {
			n += len(strings.TrimRight(l, " ")) + 1
		}
		return n
	}
	total := 0
	keys := []tea.KeyMsg{{Type: tea.KeyEnter}}
	for i := range pages {
		keys = append(keys, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(pageKey(i))})
	}
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(k)
		if cmd != nil {
			if msg := cmd(); msg != nil {
				m, _ = m.Update(msg)
			}
		}
		total += count(m.View())
	}
	return total
}
