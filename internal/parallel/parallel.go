// Package parallel runs the same work on every item of a list, on every
// core, for the loops that load, hash and search many briefings.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls do(i) once for every i in [0, n), from at most workers
// goroutines at a time (every core when workers < 1), and returns when all
// calls have returned. Items are handed out one at a time, so a slow item
// holds up only its own worker. do must be safe to call concurrently; it
// usually writes its result to the i-th element of a slice of its own.
func Each(n, workers int, do func(i int)) {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			do(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				do(i)
			}
		}()
	}
	wg.Wait()
}
