package store

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// stringLeaves gives every string of b but its Path, its details
// unpacked, with where it is.
func stringLeaves(b *Briefing) map[string]string {
	out := map[string]string{}
	for _, l := range briefingLeaves(b, nil) {
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

// TestCompactHoldsNothingOfItsSource: a parsed briefing's strings, and
// its details', are slices of the frontmatter's text; compacted, none is
// (not even an empty one), or each briefing would hold its file's text
// alive. Its details come out packed in it.
func TestCompactHoldsNothingOfItsSource(t *testing.T) {
	type parsed struct {
		b     Briefing
		d     Details
		lines []int
	}
	var every parsed
	n := 0
	fillBriefing(&every.b, &n)
	every.d, every.lines = every.b.Details(), every.b.officialLines(nil)
	every.b.details, every.b.basis = "", 0
	empty := parsed{b: Briefing{Countries: []string{""}, Officials: []OfficialRef{{}}},
		d: Details{Dating: Dating{Basis: BasisStated}, Figures: []Figure{{}}, Sources: []Source{{}}, Extra: []Field{{}}}, lines: []int{0}}
	long := every // an id and title too long for the small blocks (pack)
	long.b.ID, long.b.Title = "long-"+strings.Repeat("i", smallPack), strings.Repeat("A long title. ", 20)
	for name, in := range map[string]*parsed{"every field": &every, "empty strings": &empty, "long id and title": &long} {
		t.Run(name, func(t *testing.T) {
			// Point every string into one source text, as parsing does.
			var all []leaf
			leaves(reflect.ValueOf(&in.b).Elem(), "", nil, &all)
			leaves(reflect.ValueOf(&in.d).Elem(), "", nil, &all)
			want := map[string]string{}
			var text strings.Builder
			for _, l := range all {
				if l.value.Kind() == reflect.String && l.path != "Path" && l.path != "details" {
					text.WriteString(settable(l.value).String() + "|")
					want[l.path] = settable(l.value).String()
				}
			}
			source, at := text.String(), 0
			for _, l := range all {
				if l.value.Kind() == reflect.String && l.path != "Path" && l.path != "details" {
					v := settable(l.value)
					n := len(v.String())
					v.SetString(source[at : at+n])
					at += n + 1
				}
			}
			var it interner
			var p packer
			b := in.b
			compact(&b, &in.d, in.lines, &it, &p)
			if got := stringLeaves(&b); !reflect.DeepEqual(got, want) {
				t.Errorf("compact changed the strings:\n%v\nwant\n%v", got, want)
			}
			for path, s := range stringLeaves(&b) {
				if within(s, source) {
					t.Errorf("%s (%q) is still a slice of the source", path, s)
				}
			}
			if within(b.details, source) {
				t.Error("the packed details are a slice of the source")
			}
			if got := b.officialLines(nil); !reflect.DeepEqual(got, in.lines) {
				t.Errorf("officials' lines %v, want %v", got, in.lines)
			}
			if b.Dating() != in.d.Dating {
				t.Errorf("dating %v, want %v", b.Dating(), in.d.Dating)
			}
		})
	}
}

// TestCompactInternsWhatRepeats: kinds, places, countries, topics and
// officials are one copy across briefings.
func TestCompactInternsWhatRepeats(t *testing.T) {
	var in interner
	var p packer
	mk := func() *Briefing {
		return &Briefing{ID: string([]byte("x")), Kind: string([]byte("talks")), Location: string([]byte("Astana")),
			Countries: []string{string([]byte("Kazakhstan"))}, Topics: []string{string([]byte("trade"))},
			Officials: []OfficialRef{{Name: string([]byte("saidov"))}}}
	}
	d := &Details{Sources: []Source{{Outlet: "Daryo", Lang: "uz", Title: "t"}}}
	a, b := mk(), mk()
	compact(a, d, []int{3}, &in, &p)
	compact(b, d, []int{3}, &in, &p)
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
	if unsafe.StringData(a.ID) == unsafe.StringData(b.ID) {
		t.Error("ids share their bytes: a briefing's own text is not interned")
	}
	if got := a.Sources(); len(got) != 1 || got[0] != d.Sources[0] {
		t.Errorf("sources %v, want %v", got, d.Sources)
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
	compact(c, d, nil, &in, &p)
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

// TestCompactOneHoldsLittle: compacting one briefing (a CorpusSource
// reading the one file that changed) keeps little memory besides it; a
// whole folder's briefings share blocks of up to 64 KB.
func TestCompactOneHoldsLittle(t *testing.T) {
	var in interner
	var p packer
	b := &Briefing{ID: "x", Title: "A title", Summary: strings.Repeat("A summary. ", 20), Officials: []OfficialRef{{Name: "a"}, {Name: "b"}}}
	compact(b, &Details{Figures: []Figure{{Label: "L", Value: "V"}}}, []int{3, 4}, &in, &p)
	if c := p.block.Cap(); c > 2*firstPackBlock {
		t.Errorf("one briefing packed into a block of %d bytes", c)
	}
	if c := cap(p.refs.free) + len(b.Officials); c > refBlock {
		t.Errorf("one briefing's officials in a block of %d", c)
	}
	if c := p.small.Cap(); c > smallBlock {
		t.Errorf("one briefing's id and title in a block of %d bytes", c)
	}
	for range 2000 {
		compact(&Briefing{ID: "x", Summary: strings.Repeat("t", 100), Officials: []OfficialRef{{Name: "a"}}}, &Details{}, nil, &in, &p)
	}
	if c := p.block.Cap(); c != packBlock {
		t.Errorf("after 2000 briefings, blocks of %d bytes, want %d", c, packBlock)
	}
}

// TestPackKeepsPointedToBlocksSmall: a short id and title, and the
// officials, go into blocks of at most 512 bytes, which the garbage
// collector marks a pointer into at half the cost of a larger block's
// (see pack); a long id or title goes with the summary and details into
// the large blocks. Each briefing's officials are its own: appending to
// them copies them.
func TestPackKeepsPointedToBlocksSmall(t *testing.T) {
	tests := []struct {
		name, id, title string
		small           bool // the id and title are in a small block
	}{
		{"short", "b-1", "A title", true},
		{"id only", "b-2", "", true},
		{"as long as fits", "b-3", strings.Repeat("t", smallPack-3), true},
		{"one byte too long", "b-4", strings.Repeat("t", smallPack-2), false},
		{"long title", "b-5", strings.Repeat("A long title. ", 20), false},
	}
	var in interner
	var p packer
	var bs []*Briefing
	for range 50 { // enough to fill several small blocks
		for _, tt := range tests {
			b := &Briefing{ID: tt.id, Title: tt.title, Summary: "A summary.",
				Officials: []OfficialRef{{Name: "Ann"}, {Name: "Bo"}, {Name: "Cy"}}}
			compact(b, &Details{Figures: []Figure{{Label: "L", Value: "V"}}}, []int{1, 2, 3}, &in, &p)
			bs = append(bs, b)
			small := within(b.ID, p.small.String()) && (b.Title == "" || within(b.Title, p.small.String()))
			if b.ID != tt.id || b.Title != tt.title || b.Summary != "A summary." || small != tt.small {
				t.Fatalf("%s: packed as %q, %q, %q (in a small block: %v), want %q, %q (%v)",
					tt.name, b.ID, b.Title, b.Summary, small, tt.id, tt.title, tt.small)
			}
			if !within(b.Summary, p.block.String()) || !within(b.details, p.block.String()) {
				t.Fatalf("%s: the summary and details are not in the large block", tt.name)
			}
			if c := p.small.Cap(); c > smallBlock {
				t.Fatalf("%s: a small block of %d bytes", tt.name, c)
			}
			if c := cap(p.refs.free) + len(b.Officials); c > refBlock || cap(b.Officials) != len(b.Officials) {
				t.Fatalf("%s: officials in a block of %d, their capacity %d", tt.name, c, cap(b.Officials))
			}
		}
	}
	if int(unsafe.Sizeof(OfficialRef{}))*refBlock > smallBlock {
		t.Errorf("a block of %d officials takes more than %d bytes", refBlock, smallBlock)
	}
	for i, b := range bs { // none was overwritten by the next
		tt := tests[i%len(tests)]
		if b.ID != tt.id || b.Title != tt.title || len(b.Officials) != 3 || b.Officials[2].Name != "Cy" {
			t.Fatalf("briefing %d is now %q, %q, %v", i, b.ID, b.Title, b.Officials)
		}
	}
}

// listCall is a list given to an interner, and its kind.
type listCall struct {
	kind int
	list []string
}

// TestInternerListGivesOneCopyOfEach: whatever the order lists come in
// (the same one again, another in between, the same under another kind),
// each list given holds what it was given, lists alike are one copy, and
// lists that differ are not.
func TestInternerListGivesOneCopyOfEach(t *testing.T) {
	tests := []struct {
		name  string
		calls []listCall
	}{
		{"the same list again", []listCall{{countriesList, []string{"KZ", "UZ"}}, {countriesList, []string{"KZ", "UZ"}}}},
		{"another in between", []listCall{{topicsList, []string{"trade"}}, {topicsList, []string{"water"}}, {topicsList, []string{"trade"}}}},
		{"under the other kind", []listCall{{countriesList, []string{"KZ"}}, {topicsList, []string{"KZ"}}, {countriesList, []string{"KZ"}}}},
		{"a longer one", []listCall{{topicsList, []string{"trade"}}, {topicsList, []string{"trade", "water"}}, {topicsList, []string{"trade"}}}},
		{"the same strings cut apart", []listCall{{topicsList, []string{"ab", "c"}}, {topicsList, []string{"a", "bc"}}, {topicsList, []string{"abc"}}, {topicsList, []string{"ab", "c"}}}},
		{"enough to fill blocks, one longer than a block", manyLists()},
		{"an empty string", []listCall{{topicsList, []string{""}}, {topicsList, []string{"", ""}}, {topicsList, []string{""}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in interner
			var got [][]string
			for _, c := range tt.calls {
				given := slices.Clone(c.list) // the caller's scratch space
				l := in.list(given, c.kind)
				clear(given)
				if !slices.Equal(l, c.list) || cap(l) != len(l) {
					t.Fatalf("list(%q) = %q (capacity %d)", c.list, l, cap(l))
				}
				if in.room.size > listBlock || int(unsafe.Sizeof(""))*listBlock > smallBlock {
					t.Fatalf("lists carved from blocks of %d strings", in.room.size)
				}
				got = append(got, l)
			}
			for i, l := range got { // none was overwritten by another
				if !slices.Equal(l, tt.calls[i].list) {
					t.Errorf("list %d is now %q, want %q", i, l, tt.calls[i].list)
				}
			}
			for i := range got {
				for j := range i {
					alike := slices.Equal(tt.calls[i].list, tt.calls[j].list)
					if shared := &got[i][0] == &got[j][0]; shared != alike {
						t.Errorf("lists %q and %q: one copy is %v, want %v", got[j], got[i], shared, alike)
					}
				}
			}
		})
	}
}

// manyLists gives distinct lists of 1 to 5 strings, enough to fill
// several blocks of lists, one longer than a block among them.
func manyLists() []listCall {
	var calls []listCall
	for i := range 200 {
		l := make([]string, 1+i%5)
		for j := range l {
			l[j] = fmt.Sprintf("t%d-%d", i, j)
		}
		calls = append(calls, listCall{topicsList, l})
		if i == 100 {
			long := make([]string, listBlock+1)
			for j := range long {
				long[j] = fmt.Sprint(j)
			}
			calls = append(calls, listCall{countriesList, long})
		}
	}
	return calls
}

// TestInternerRecentGivesTheOneCopy: the strings an interner keeps at
// hand (recent) give what its map gives: for equal strings, one copy, its
// own, whether found at hand, in the map, or after another string took
// its place at hand.
func TestInternerRecentGivesTheOneCopy(t *testing.T) {
	var words []string
	for i := range 3000 {
		words = append(words, fmt.Sprintf("name%d", i), fmt.Sprintf("Abdullaev%d", i%700), string(rune('a'+i%26)), fmt.Sprint(i%40))
	}
	words = append(words, "talks", "visit", "statement", "Tashkent", "Samarkand", "é", "Иск", "x\x00y", "12345678", "1234567", "123456789")
	var in interner
	first := map[string]string{}
	collided := 0
	for round := range 3 {
		for i, w := range words {
			src := string([]byte(w)) // a slice of some source, never kept
			got := in.of(src)
			if got != w {
				t.Fatalf("of(%q) = %q", w, got)
			}
			if unsafe.StringData(got) == unsafe.StringData(src) {
				t.Fatalf("of(%q) gave the source's bytes, not its own copy", w)
			}
			if f, ok := first[w]; !ok {
				first[w] = got
			} else if unsafe.StringData(f) != unsafe.StringData(got) {
				t.Fatalf("round %d, word %d: of(%q) gave a second copy", round, i, w)
			}
			if at := in.recent[recentSlot(w)]; unsafe.StringData(at) != unsafe.StringData(got) {
				t.Fatalf("of(%q) left %q at hand, not its copy", w, at)
			}
		}
	}
	for w := range first {
		if in.recent[recentSlot(w)] != w {
			collided++
		}
	}
	if collided == 0 || collided == len(first) {
		t.Errorf("%d of %d strings found no place at hand: the test tries no collision, or the places are one", collided, len(first))
	}
	if v := in.of(""); v != "" {
		t.Errorf(`of("") = %q`, v)
	}
}
