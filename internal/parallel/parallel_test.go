package parallel

import (
	"sync/atomic"
	"testing"
)

func TestEachCallsEveryItemOnce(t *testing.T) {
	tests := []struct {
		name       string
		n, workers int
	}{
		{"no items", 0, 4},
		{"one item", 1, 4},
		{"more workers than items", 3, 8},
		{"many items", 10000, 4},
		{"every core", 1000, 0},
		{"one worker", 100, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := make([]atomic.Int32, tt.n)
			Each(tt.n, tt.workers, func(i int) { calls[i].Add(1) })
			for i := range calls {
				if c := calls[i].Load(); c != 1 {
					t.Fatalf("item %d called %d times, want once", i, c)
				}
			}
		})
	}
}

func TestEachKeepsToItsWorkers(t *testing.T) {
	var running, most atomic.Int32
	Each(200, 3, func(int) {
		r := running.Add(1)
		for {
			m := most.Load()
			if r <= m || most.CompareAndSwap(m, r) {
				break
			}
		}
		for range 1000 {
			_ = running.Load()
		}
		running.Add(-1)
	})
	if m := most.Load(); m > 3 {
		t.Fatalf("%d calls ran at once, want at most 3", m)
	}
}
