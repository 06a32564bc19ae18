//go:build !race

package sanitize

// slow scales the time limits of the tests.
const slow = 1
