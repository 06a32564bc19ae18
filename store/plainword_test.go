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
	for c := 0; c < 256; c++ {
		for d := 0; d < 256; d++ {
			for _, pos := range []int{0, 3, 6} {
				b := base
				b[pos], b[pos+1] = byte(c), byte(d)
				check(b)
			}
		}
	}
	check([8]byte{0x1f, '\n', 0x7f, 0x80, 0, 0xff, '\t', '\r'})
}

// TestNotPrintable checks the eight-byte mask against the byte-by-byte
// rule: the high bit of each byte outside 0x20 to 0x7e, and only those.
func TestNotPrintable(t *testing.T) {
	check := func(b [8]byte) {
		var want uint64
		for i, c := range b {
			if c < 0x20 || c >= 0x7f {
				want |= 0x80 << (8 * i)
			}
		}
		if got := notPrintable(binary.LittleEndian.Uint64(b[:])); got != want {
			t.Fatalf("notPrintable(%q) = %#x, want %#x", b, got, want)
		}
	}
	base := [8]byte{'a', ' ', '~', 'd', 'e', 'f', 'g', 'h'}
	// Every pair of neighbouring bytes, where borrows and carries between
	// bytes would show.
	for c := 0; c < 256; c++ {
		for d := 0; d < 256; d++ {
			for _, pos := range []int{0, 3, 6} {
				b := base
				b[pos], b[pos+1] = byte(c), byte(d)
				check(b)
			}
		}
	}
	check([8]byte{0x1f, '\n', 0x7f, 0x80, 0, 0xff, '\t', '\r'})
	check([8]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
}
