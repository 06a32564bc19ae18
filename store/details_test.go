package store

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestDetailsRoundTrip packs details and the officials' lines and gets
// them back, each accessor alone and all at once.
func TestDetailsRoundTrip(t *testing.T) {
	tests := map[string]struct {
		d     Details
		lines []int
	}{
		"nothing":     {},
		"a note only": {d: Details{Dating: Dating{Basis: BasisInferred, Note: "from the floods"}}},
		"lines only":  {lines: []int{4, 5, 900}},
		"every part": {
			d: Details{
				Dating:  Dating{Basis: BasisPublished, Note: "n"},
				Figures: []Figure{{Label: "Trade", Value: "$4 billion", Note: "2024"}, {Label: "Х", Value: "٣"}},
				Sources: []Source{
					{Outlet: "Daryo", Title: "T", URL: "https://daryo.uz/a", Lang: "uz", Published: Date{Year: 2024, Month: time.March, Day: 1, Precision: PrecisionDay}},
					{Outlet: "Kun", Published: Date{Year: 2023, Precision: PrecisionYear, Season: "spring"}},
					{Title: "no date"},
				},
				Extra: []Field{{Key: "mystery", Value: "kept", Line: 12}},
			},
			lines: []int{7, 8},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			b := &Briefing{Officials: make([]OfficialRef, len(tc.lines))}
			b.basis = codeOf(tc.d.Dating.Basis)
			b.details = string(packDetails(nil, &tc.d, tc.lines))
			want := tc.d
			if want.Dating.Basis == "" {
				want.Dating.Basis = BasisStated
			}
			if got := b.Details(); !reflect.DeepEqual(got, want) {
				t.Errorf("Details() = %+v\nwant %+v", got, want)
			}
			if got := b.Dating(); got != want.Dating {
				t.Errorf("Dating() = %+v, want %+v", got, want.Dating)
			}
			if got := b.Figures(); !reflect.DeepEqual(got, want.Figures) {
				t.Errorf("Figures() = %+v", got)
			}
			if got := b.Sources(); !reflect.DeepEqual(got, want.Sources) {
				t.Errorf("Sources() = %+v", got)
			}
			if got := b.Extra(); !reflect.DeepEqual(got, want.Extra) {
				t.Errorf("Extra() = %+v", got)
			}
			// Into details that held another briefing's, every part
			// overwritten (lists emptied, not left as they were).
			used := Details{Dating: Dating{Basis: BasisInferred, Note: "old"}, Figures: []Figure{{Label: "old"}, {Label: "older"}},
				Sources: []Source{{Outlet: "old"}}, Extra: []Field{{Key: "old"}, {Key: "older"}, {Key: "oldest"}}}
			b.DetailsInto(&used)
			if !sameDetails(used, want) {
				t.Errorf("DetailsInto = %+v\nwant %+v", used, want)
			}
			if got := b.officialLines(nil); !slices.Equal(got, tc.lines) {
				t.Errorf("officialLines() = %v, want %v", got, tc.lines)
			}
			if name == "nothing" && b.details != "" {
				t.Errorf("nothing packs into %q", b.details)
			}
		})
	}
}

// TestSetDetailsKeepsTheLines: setting a briefing's details keeps where
// its officials are named, which the load's warnings need; a basis that
// is none of the three reads back as stated.
func TestSetDetailsKeepsTheLines(t *testing.T) {
	b := &Briefing{Officials: []OfficialRef{{Name: "a"}, {Name: "b"}}}
	b.details = string(packDetails(nil, &Details{}, []int{3, 4}))
	b.SetDetails(Details{Dating: Dating{Basis: "guessed", Note: "x"}, Figures: []Figure{{Label: "L", Value: "V"}}})
	if got := b.officialLines(nil); !reflect.DeepEqual(got, []int{3, 4}) {
		t.Errorf("lines %v after SetDetails, want [3 4]", got)
	}
	if got := b.Dating(); got != (Dating{Basis: BasisStated, Note: "x"}) {
		t.Errorf("Dating() = %+v", got)
	}
	if len(b.Figures()) != 1 {
		t.Errorf("Figures() = %+v", b.Figures())
	}
	// More officials than lines (a caller appended one): 0 for it.
	b.Officials = append(b.Officials, OfficialRef{Name: "c"})
	if got := b.officialLines(nil); !reflect.DeepEqual(got, []int{3, 4, 0}) {
		t.Errorf("lines %v, want [3 4 0]", got)
	}
}

// TestDamagedDetailsNeverPanic: packed details cut short, or with a byte
// changed (a damaged index cache), unpack to what they hold without a
// panic and without reading past their end.
func TestDamagedDetailsNeverPanic(t *testing.T) {
	d := Details{
		Dating:  Dating{Note: "note"},
		Figures: []Figure{{Label: "L", Value: "V", Note: "N"}},
		Sources: []Source{{Outlet: "O", Title: "T", URL: "U", Lang: "en", Published: Date{Year: 2024, Precision: PrecisionYear, Season: "winter"}}},
		Extra:   []Field{{Key: "k", Value: "v", Line: 3}},
	}
	packed := packDetails(nil, &d, []int{1, 2})
	for cut := range len(packed) {
		b := &Briefing{Officials: make([]OfficialRef, 2), details: string(packed[:cut])}
		b.Details()
		b.Extra()
		b.officialLines(nil)
	}
	for i := range packed {
		for _, v := range []byte{0, 0x7f, 0x80, 0xff} {
			damaged := append([]byte(nil), packed...)
			damaged[i] = v
			b := &Briefing{Officials: make([]OfficialRef, 2), details: string(damaged)}
			b.Details()
			b.Sources()
			b.Extra()
			b.officialLines(nil)
		}
	}
}

// sameDetails compares details as Details gives them, an empty list the
// same as none.
func sameDetails(a, b Details) bool {
	return a.Dating == b.Dating && slices.Equal(a.Figures, b.Figures) &&
		slices.Equal(a.Sources, b.Sources) && slices.Equal(a.Extra, b.Extra)
}
