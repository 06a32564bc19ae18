package store

import (
	"encoding/binary"
	"testing"
)

// TestPlainWord checks the eight-byte test against the byte-by-byte rule.
func TestPlainWord(t *testing.T) {
	plainByte := func(c byte) bool { return c == '\n' || (c >= 0x20 && c < 0x7f) }
	check := func(b [8]byte) {
		want := true
		for _, c := range b {
			want = want && plainByte(c)
		}
		if got := plainWord(binary.LittleEndian.Uint64(b[:])); got != want {
			t.Fatalf("plainWord(%q) = %v, want %v", b, got, want)
		}
	}
	base := [8]byte{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			b := base
			b[pos] = byte(c)
			check(b)
		}
	}
	check([8]byte{'\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n'})
	// Every pair of neighbouring bytes, where borrows and carries between
	// bytes would show.
	eachNeighbourPair(base, check)
	check([8]byte{0x1f, '\n', 0x7f, 0x80, 0, 0xff, '\t', '\r'})
}

// TestFirstNotPrintable checks the eight-byte test against the
// byte-by-byte rule: zero if every byte is 0x20 to 0x7e, else its lowest
// set bit the high bit of the first byte outside.
func TestFirstNotPrintable(t *testing.T) {
	check := func(b [8]byte) {
		var want uint64
		for i, c := range b {
			if c < 0x20 || c >= 0x7f {
				want = 0x80 << (8 * i)
				break
			}
		}
		if got := firstNotPrintable(binary.LittleEndian.Uint64(b[:]), masksOf(0x0101010101010101)); got&-got != want {
			t.Fatalf("firstNotPrintable(%q) = %#x, want lowest bit %#x", b, got, want)
		}
	}
	base := [8]byte{'a', ' ', '~', 'd', 'e', 'f', 'g', 'h'}
	// Every pair of neighbouring bytes, where borrows and carries between
	// bytes would show.
	eachNeighbourPair(base, check)
	check([8]byte{0x1f, '\n', 0x7f, 0x80, 0, 0xff, '\t', '\r'})
	check([8]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	check([8]byte{' ', ' ', ' ', ' ', ' ', ' ', ' ', 0x7f})
	check([8]byte{'~', '~', '~', '~', '~', '~', '~', 0x1f})
}

// eachNeighbourPair calls check with base, every two neighbouring bytes
// at the start, middle and end replaced by every pair of byte values.
func eachNeighbourPair(base [8]byte, check func([8]byte)) {
	for c := 0; c < 256; c++ {
		for d := 0; d < 256; d++ {
			for _, pos := range []int{0, 3, 6} {
				b := base
				b[pos], b[pos+1] = byte(c), byte(d)
				check(b)
			}
		}
	}
}
