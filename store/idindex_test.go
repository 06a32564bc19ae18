package store

import (
	"fmt"
	"slices"
	"testing"
)

// TestIDIndex finds every id added, no id not added, and gives the first
// briefing of an id added twice.
func TestIDIndex(t *testing.T) {
	for _, n := range []int{0, 1, 10, 11, 1000} {
		var bs []*Briefing
		for i := range n {
			bs = append(bs, &Briefing{ID: fmt.Sprintf("id-%d", i)})
		}
		x := newIDIndex(len(bs) + 2)
		for i := range bs {
			if first := x.add(bs, i); first != nil {
				t.Fatalf("n=%d: %s taken for a duplicate of %s", n, bs[i].ID, first.ID)
			}
		}
		if n > 0 {
			bs = append(bs, &Briefing{ID: "id-0", Path: "second.md"})
			if first := x.add(bs, len(bs)-1); first != bs[0] {
				t.Errorf("n=%d: a second id-0 is not found a duplicate of the first (%v)", n, first)
			}
		}
		for i := range n {
			if b := x.find(bs, bs[i].ID); b != bs[i] {
				t.Errorf("n=%d: find(%q) = %v", n, bs[i].ID, b)
			}
		}
		// Reversed, the index follows.
		bs = bs[:n]
		to := make([]int32, n)
		for i := range n {
			to[i] = int32(n - 1 - i)
		}
		slices.Reverse(bs)
		x.move(to)
		for i := range n {
			if b := x.find(bs, bs[i].ID); b != bs[i] {
				t.Errorf("n=%d: after moving, find(%q) = %v", n, bs[i].ID, b)
			}
		}
		for _, id := range []string{"", "id", "ID-0", fmt.Sprintf("id-%d", n+1)} {
			if b := x.find(bs, id); b != nil {
				t.Errorf("n=%d: find(%q) = %q, want none", n, id, b.ID)
			}
		}
	}
	var none idIndex
	if none.find(nil, "x") != nil {
		t.Error("the zero index finds something")
	}
}
