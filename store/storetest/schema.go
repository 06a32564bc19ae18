package storetest

import (
	"fmt"
	"reflect"
	"time"

	"github.com/brief-tools/brief/store"
)

// Leaf is one value of the briefing EveryField fills: the path of the
// field that holds it ("Title", "Sources[].Lang", "Date") and the value:
// a string for text (of any string type, such as store.Basis), an int for
// a number, a store.Date, or nil for a pointer. A store.Date counts as one value, and so does a pointer (left nil: the
// only one, OfficialRef.Official, links to the registry, whose fields are
// its own schema).
type Leaf struct {
	Path  string
	Value any
}

// EveryField gives a briefing whose every exported field, and every field
// of its store.Details, down to the fields of the structs and slices they
// hold, has a value of its own ("v1", "v2"... for text, 90001... for
// numbers, a distinct day for each date; Status is store.StatusDraft and
// Dating.Basis store.BasisInferred, meaningful values other than the
// default), with the list of those values. A field of Details has the
// path it would have in Briefing ("Figures[].Label"). A test of an output (JSON, the card) checks that each
// value reaches it, so that a field added to store.Briefing and forgotten
// there fails the test: see "Adding a field" in the store package doc.
func EveryField() (*store.Briefing, []Leaf) {
	b := &store.Briefing{}
	var leaves []Leaf
	n := 0
	var fill func(v reflect.Value, path string)
	fill = func(v reflect.Value, path string) {
		n++
		switch {
		case v.Type() == reflect.TypeFor[store.Date]():
			d := store.Date{Year: 1990 + n%30, Month: time.Month(1 + n%12), Day: 1 + n%28, Precision: store.PrecisionDay}
			v.Set(reflect.ValueOf(d))
			leaves = append(leaves, Leaf{path, d})
		case path == "Status":
			v.SetString(store.StatusDraft)
			leaves = append(leaves, Leaf{path, store.StatusDraft})
		case path == "Dating.Basis":
			v.SetString(string(store.BasisInferred))
			leaves = append(leaves, Leaf{path, string(store.BasisInferred)})
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() {
					fill(v.Field(i), join(path, f.Name))
				}
			}
		case v.Kind() == reflect.Slice:
			s := reflect.MakeSlice(v.Type(), 1, 1)
			fill(s.Index(0), path+"[]")
			v.Set(s)
		case v.Kind() == reflect.String:
			v.SetString(fmt.Sprintf("v%03dx", n))
			leaves = append(leaves, Leaf{path, v.String()})
		case v.Kind() == reflect.Int:
			v.SetInt(int64(90000 + n))
			leaves = append(leaves, Leaf{path, int(v.Int())})
		case v.Kind() == reflect.Pointer:
			leaves = append(leaves, Leaf{path, nil})
		default:
			panic(fmt.Sprintf("storetest.EveryField: no rule for %s (%s): add one", path, v.Type()))
		}
	}
	fill(reflect.ValueOf(b).Elem(), "")
	var d store.Details
	fill(reflect.ValueOf(&d).Elem(), "")
	b.SetDetails(d)
	return b, leaves
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
