package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// listOf makes a dirList of names, in the order given.
func listOf(names []string) *dirList {
	l := &dirList{}
	for _, name := range names {
		off := len(l.buf)
		l.buf = append(l.buf, name...)
		l.ents = append(l.ents, dirEntry{off: uint32(off), n: uint32(len(name)), at: -1, prefix: namePrefix(l.buf[off:])})
	}
	return l
}

// TestDirListSortsAsReadDir holds dirList.sort, which compares names by
// their first 8 bytes first, to the byte order fs.ReadDir sorts by.
func TestDirListSortsAsReadDir(t *testing.T) {
	for _, tc := range []struct {
		name  string
		names []string
	}{
		{"short and long", []string{"b", "a", "ab", "abcdefgh", "abcdefg", "abcdefghi", "abcdefgha", "abcdefgh0", "a0"}},
		{"same prefix", []string{"prefix00-c.md", "prefix00-a.md", "prefix00-b.md", "prefix00", "prefix00-a.mdx"}},
		{"bytes over 0x7f", []string{"é.md", "e.md", "z.md", "Ω", "éa", "é", "\xff", "\x7f"}},
		{"cases", []string{"B.md", "a.md", "A.md", "b.md", "_.md", "0.md"}},
		{"one", []string{"x"}},
		{"none", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := listOf(tc.names)
			l.sort()
			var got []string
			for i := range l.ents {
				got = append(got, string(l.name(&l.ents[i])))
			}
			want := slices.Clone(tc.names)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("sorted %q, want %q", got, want)
			}
		})
	}
}

// TestDirListSortsRandomNames sorts random names of a few letters, most
// sharing long prefixes, as fs.ReadDir would.
func TestDirListSortsRandomNames(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		names := map[string]bool{}
		for range r.IntN(40) {
			b := make([]byte, 1+r.IntN(12))
			for i := range b {
				b[i] = "ab\xc3"[r.IntN(3)]
			}
			names[string(b)] = true
		}
		var list []string
		for n := range names {
			list = append(list, n)
		}
		l := listOf(list)
		l.sort()
		slices.Sort(list)
		for i := range l.ents {
			if got := string(l.name(&l.ents[i])); got != list[i] {
				t.Fatalf("at %d: %q, want %q (of %q)", i, got, list[i], list)
			}
		}
	}
}

// BenchmarkDirListSort sorts a folder of 1,000 briefing files, in the
// order a folder lists them, as a walk does each folder.
func BenchmarkDirListSort(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	var names []string
	for i := range 1000 {
		names = append(names, fmt.Sprintf("%05d-noted-mutual.md", i*10+r.IntN(10)))
	}
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	l := listOf(names)
	ents := slices.Clone(l.ents)
	for b.Loop() {
		copy(l.ents, ents)
		l.sort()
	}
}

// TestDirListSortsALargeFolder sorts a folder of more entries than sort
// numbers (1<<16): those are sorted by comparing names.
func TestDirListSortsALargeFolder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var names []string
	for i := range 1<<16 + 10 {
		names = append(names, fmt.Sprintf("%c%07d.md", 'a'+r.IntN(3), i))
	}
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	l := listOf(names)
	l.sort()
	slices.Sort(names)
	for i := range l.ents {
		if got := string(l.name(&l.ents[i])); got != names[i] {
			t.Fatalf("at %d: %q, want %q", i, got, names[i])
		}
	}
}
