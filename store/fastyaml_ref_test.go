package store

import (
	"strings"
	"testing"
)

// flowEnd and plainFlowItem are how the fast parser read a plain flow
// item before plainFlowEnd did both in one pass: the reference parser
// (oldnodes_ref_test.go) still reads them so.

// flowEnd gives where a flow item ends: at the first ',' or ']', or -1.
func flowEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == ']' {
			return i
		}
	}
	return -1
}

// plainFlowItem reports whether a flow item's text is a plain scalar the
// fast parser reads: none of []{}#:"'? in it, and none of -?,!&*|>%@` to
// start it.
func plainFlowItem(v string) bool {
	switch v[0] {
	case '-', '?', ',', '!', '&', '*', '|', '>', '%', '@', '`':
		return false
	}
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '[', ']', '{', '}', '#', ':', '"', '\'', '?': // '?': see flowByte
			return false
		}
	}
	return true
}

// TestPlainFlowEndAsBefore: plainFlowEnd accepts a flow item exactly
// where flowEnd and plainFlowItem did, ending it at the same place.
func TestPlainFlowEndAsBefore(t *testing.T) {
	before := func(rest string) int {
		e := flowEnd(rest)
		if e <= 0 {
			return -1
		}
		v := rest[:e]
		for len(v) > 0 && v[len(v)-1] == ' ' {
			v = v[:len(v)-1]
		}
		if v == "" || !plainFlowItem(v) {
			return -1
		}
		return e
	}
	now := func(rest string) int { // as flowItems reads it
		if e := plainFlowEnd(rest); e > 0 && strings.TrimRight(rest[:e], " ") != "" {
			return e
		}
		return -1
	}
	inputs := []string{"a]", "a, b]", "a", "]", ",", "a b ]", "a:b]", "a#b, c]", "-a]", "a-]", "'a]", "a'b]", "a]b:c", "x{y}]", "`a]"}
	// Every pair of bytes, before and after an item's text.
	for c := range 256 {
		for _, d := range []byte{'a', ' ', ',', ']', ':', '-'} {
			inputs = append(inputs, string([]byte{byte(c), d, ']'}), string([]byte{'a', byte(c), d, ','}))
		}
	}
	for _, in := range inputs {
		if got, want := now(in), before(in); got != want {
			t.Errorf("%q: plainFlowEnd says %d, before %d", in, got, want)
		}
	}
}
