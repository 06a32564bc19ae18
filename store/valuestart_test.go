package store

import "testing"

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
