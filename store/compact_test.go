package store

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// stringLeaves gives every string of b but its Path, with where it is.
func stringLeaves(b *Briefing) map[string]string {
	var all []leaf
	leaves(reflect.ValueOf(b).Elem(), "", nil, &all)
	out := map[string]string{}
	for _, l := range all {
		if l.value.Kind() == reflect.String && l.path != "Path" {
			out[l.path] = settable(l.value).String()
		}
	}
	return out
}

// within reports whether s points into in, even when it is empty: an
// empty slice of a string holds it alive too.
func within(s, in string) bool {
	p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(in)))
	return p != 0 && p >= start && p <= start+uintptr(len(in))
}

// TestCompactHoldsNothingOfItsSource: a parsed briefing's strings are
// slices of the frontmatter's text; compacted, none is (not even an empty
// one), or each briefing would hold its file's text alive.
func TestCompactHoldsNothingOfItsSource(t *testing.T) {
	var every Briefing
	n := 0
	fill(reflect.ValueOf(&every).Elem(), &n)
	empty := Briefing{Countries: []string{""}, Officials: []OfficialRef{{}}, Figures: []Figure{{}}, Sources: []Source{{}}, Extra: []Field{{}}}
	for name, b := range map[string]*Briefing{"every field": &every, "empty strings": &empty} {
		t.Run(name, func(t *testing.T) {
			want := stringLeaves(b)
			// Point every string into one source text, as parsing does.
			var all []leaf
			leaves(reflect.ValueOf(b).Elem(), "", nil, &all)
			var text strings.Builder
			for _, l := range all {
				if l.value.Kind() == reflect.String {
					text.WriteString(settable(l.value).String() + "|")
				}
			}
			source, at := text.String(), 0
			for _, l := range all {
				if l.value.Kind() == reflect.String {
					v := settable(l.value)
					n := len(v.String())
					v.SetString(source[at : at+n])
					at += n + 1
				}
			}
			var in interner
			var p packer
			compact(b, &in, &p)
			if got := stringLeaves(b); !reflect.DeepEqual(got, want) {
				t.Errorf("compact changed the strings:\n%v\nwant\n%v", got, want)
			}
			for path, s := range stringLeaves(b) {
				if within(s, source) {
					t.Errorf("%s (%q) is still a slice of the source", path, s)
				}
			}
		})
	}
}

// TestCompactInternsWhatRepeats: kinds, places, countries, topics,
// officials, outlets and languages are one copy across briefings.
func TestCompactInternsWhatRepeats(t *testing.T) {
	var in interner
	var p packer
	mk := func() *Briefing {
		return &Briefing{ID: string([]byte("x")), Kind: string([]byte("talks")), Location: string([]byte("Astana")),
			Countries: []string{string([]byte("Kazakhstan"))}, Topics: []string{string([]byte("trade"))},
			Officials: []OfficialRef{{Name: string([]byte("saidov"))}},
			Sources:   []Source{{Outlet: string([]byte("Daryo")), Lang: string([]byte("uz")), Title: string([]byte("t"))}}}
	}
	a, b := mk(), mk()
	compact(a, &in, &p)
	compact(b, &in, &p)
	same := func(name, x, y string) {
		if unsafe.StringData(x) != unsafe.StringData(y) {
			t.Errorf("%s: two copies of %q", name, x)
		}
	}
	same("Kind", a.Kind, b.Kind)
	same("Location", a.Location, b.Location)
	same("Countries", a.Countries[0], b.Countries[0])
	same("Topics", a.Topics[0], b.Topics[0])
	same("Officials", a.Officials[0].Name, b.Officials[0].Name)
	same("Outlet", a.Sources[0].Outlet, b.Sources[0].Outlet)
	same("Lang", a.Sources[0].Lang, b.Sources[0].Lang)
	if unsafe.StringData(a.ID) == unsafe.StringData(b.ID) {
		t.Error("ids share their bytes: a briefing's own text is not interned")
	}
	// The lists themselves are one copy, which appending never writes.
	if &a.Countries[0] != &b.Countries[0] || &a.Topics[0] != &b.Topics[0] {
		t.Error("two briefings with the same countries and topics hold two copies of the lists")
	}
	grown := append(a.Topics, "energy")
	if &grown[0] == &a.Topics[0] || len(b.Topics) != 1 {
		t.Error("appending to a shared list wrote into it")
	}
	c := mk()
	c.Topics = []string{"trade", "water"}
	compact(c, &in, &p)
	if len(c.Topics) != 2 || c.Topics[1] != "water" || &c.Topics[0] == &a.Topics[0] {
		t.Errorf("another list is taken for the one interned: %q", c.Topics)
	}
}

// TestCacheSharesRepeatedLists: decoding the index cache gives briefings
// with the same countries the same list.
func TestCacheSharesRepeatedLists(t *testing.T) {
	var e encoder
	for _, topics := range [][]string{{"trade", "water"}, {"trade", "water"}, {"trade"}} {
		e.briefing(&Briefing{ID: "x", Countries: []string{"Kazakhstan", "Uzbekistan"}, Topics: topics})
	}
	d := decoder{s: e.buf.String(), table: append([]string{""}, e.table...)}
	var bs [3]Briefing
	for i := range bs {
		d.briefing(&bs[i], "x.md")
	}
	if d.err != nil {
		t.Fatal(d.err)
	}
	if &bs[0].Countries[0] != &bs[2].Countries[0] || &bs[0].Topics[0] != &bs[1].Topics[0] {
		t.Error("the same list decoded twice is two copies")
	}
	if !reflect.DeepEqual(bs[2].Topics, []string{"trade"}) || cap(bs[0].Topics) != 2 {
		t.Errorf("lists decoded wrong: %q (capacity %d)", bs[2].Topics, cap(bs[0].Topics))
	}
}
