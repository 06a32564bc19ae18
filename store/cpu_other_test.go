//go:build !unix

package store_test

import "time"

// processCPU is not measured here: benchmarks leave the figure out.
func processCPU() time.Duration { return 0 }
