package store

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// valueStartBefore is how inlineValue and plainValue told a value's kind
// from its first byte before valueStart: two switches.
func valueStartBefore(c byte) int {
	switch c {
	case '"', '\'':
		return valueQuoted
	case '[':
		return valueFlow
	}
	switch c {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return valueRefused
	}
	return valuePlain
}

// TestValueStartAsBefore: valueStart gives every byte the kind the
// switches gave it, and plainValue refuses a value exactly where its
// first byte is no plain scalar's.
func TestValueStartAsBefore(t *testing.T) {
	for c := range 256 {
		want := valueStartBefore(byte(c))
		if got := int(valueStart[c]); got != want {
			t.Errorf("valueStart[%q] = %d, want %d", byte(c), got, want)
		}
		text := string([]byte{byte(c), 'x'})
		if _, ok := plainValue(text, true); ok != (want == valuePlain) {
			t.Errorf("plainValue(%q) ok = %v, want %v", text, ok, want == valuePlain)
		}
	}
}

// TestPlainRestOfNoColonNorHash: in a block without a '#', plainRest
// keeps a value without a ':' whole, as mapping and sequence take it
// without calling plainRest. Values of every printable ASCII byte but
// ':' (and a few beyond ASCII) in every place, and random ones, are
// asked.
func TestPlainRestOfNoColonNorHash(t *testing.T) {
	var values []string
	for c := 0x20; c < 0x7f; c++ {
		if c == ':' {
			continue
		}
		for _, base := range []string{"v", "value", "a longer value, with words"} {
			for at := 0; at <= len(base); at++ {
				values = append(values, base[:at]+string(rune(c))+base[at:])
			}
		}
	}
	rng := rand.New(rand.NewPCG(7, 8))
	alphabet := []string{"a", "b", " ", " ", "#", "-", "é", "Ж", "\"", "'", "$", ";", "[", "]", ",", "?", "|"}
	for range 5000 {
		var b strings.Builder
		for range 1 + rng.IntN(40) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		values = append(values, b.String())
	}
	asked := 0
	for _, v := range values {
		if strings.IndexByte(v, ':') >= 0 || valueStart[v[0]] != valuePlain || v[len(v)-1] == ' ' {
			continue // no line's value: mapping takes none of these so
		}
		asked++
		if got, ok := plainRest(v, false); got != v || !ok {
			t.Errorf("plainRest(%q, false) = %q %v, want it whole", v, got, ok)
		}
	}
	if asked < 1000 {
		t.Fatalf("only %d values asked", asked)
	}
}

// TestPlainFlagsAsScalarFlags: plainFlags gives a plain scalar the flags
// scalarFlags gives it once arena.ascii says whether its line is
// printable ASCII, for null words and others, on lines that are and
// are not.
func TestPlainFlagsAsScalarFlags(t *testing.T) {
	for _, tc := range []struct {
		asciiLines uint64
		allASCII   bool
	}{{0, false}, {0b1010, false}, {^uint64(0), false}, {0, true}} {
		a := &arena{asciiLines: tc.asciiLines, allASCII: tc.allASCII}
		for _, v := range []string{"~", "null", "Null", "NULL", "nULL", "nulls", "x", "value", "Ж"} {
			for _, i := range []int{0, 1, 2, 3, 63, 64, 70} {
				a.ascii = a.asciiLine(i)
				if got, want := a.plainFlags(v, i), a.scalarFlags(isNullWord(v)); got != want {
					t.Errorf("asciiLines %b, all %v: plainFlags(%q, %d) = %b, want %b", tc.asciiLines, tc.allASCII, v, i, got, want)
				}
			}
		}
	}
}
