package store

import (
	"math/rand/v2"
	"testing"
)

// TestSkipUvarints checks the skip that counts eight bytes at a time
// against one that reads a uvarint at a time, on encoded lists of small
// and large numbers, from every start, for every count (past the end
// too), in strings and byte slices.
func TestSkipUvarints(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, max := range []uint64{1 << 7, 1 << 14, 1 << 35} {
		var b []byte
		for range 300 {
			b = appendUvarint(b, r.Uint64N(max))
		}
		for start := range 20 {
			at := 0
			for range start {
				_, at = uvarint(b, at)
			}
			for n := range 320 {
				want := at
				for range n {
					if want >= len(b) {
						break
					}
					_, want = uvarint(b, want)
				}
				if got := skipUvarints(b, at, n); got != want {
					t.Fatalf("numbers under %d, from %d, skip %d: at %d, want %d", max, at, n, got, want)
				}
				if got := skipUvarints(string(b), at, n); got != want {
					t.Fatalf("string: numbers under %d, from %d, skip %d: at %d, want %d", max, at, n, got, want)
				}
			}
		}
	}
}
