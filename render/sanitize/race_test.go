//go:build race

package sanitize

// slow scales the time limits of the tests: the race detector makes the
// filter some 20 times slower.
const slow = 20
