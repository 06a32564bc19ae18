package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unsafe"
)

// The schema tests tie every place a briefing's fields are written down to
// the one declaration of Briefing (see "Adding a field" in doc.go): a field
// added to Briefing, or to a type it holds, that the decoder or the cache
// codec forgets makes them fail, naming the field. cli (JSON) and
// render/card (the card) have tests of their own on the same idea.

// notCached lists the fields the index cache does not carry, each with
// the reason; every other field must come back from the cache as it went
// in.
var notCached = map[string]string{
	"Path":                 "the cache's key for the entry: the decoder is given it",
	"size":                 "the file's, from stat at every load, never from the cache",
	"modTime":              "the file's, from stat at every load, never from the cache",
	"Officials[].Official": "a link into the registry, resolved at every load",
}

// notDecoded lists the fields decoding a briefing file does not set, each
// with the reason; every other field must be set by some frontmatter key.
var notDecoded = map[string]string{
	"size":                 "the file's, from stat",
	"modTime":              "the file's, from stat",
	"Officials[].Official": "a link into the registry, resolved after decoding",
}

// leaf is one value in a briefing: a field that holds no further fields
// (a Date and a pointer count as one), with its path ("Sources[].Lang").
type leaf struct {
	path  string
	value reflect.Value
}

// leaves walks v's fields, exported and not, into slices and structs,
// except those of the types in units, which count as one leaf. v must be
// addressable (reflect.ValueOf(&b).Elem()).
func leaves(v reflect.Value, path string, units map[reflect.Type]bool, out *[]leaf) {
	switch {
	case units[v.Type()]:
		*out = append(*out, leaf{path, v})
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			leaves(v.Field(i), join(path, v.Type().Field(i).Name), units, out)
		}
	case v.Kind() == reflect.Slice:
		if v.Len() == 0 {
			*out = append(*out, leaf{path + "[]", v})
		}
		for i := range v.Len() {
			leaves(v.Index(i), path+"[]", units, out)
		}
	default:
		*out = append(*out, leaf{path, v})
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// settable makes any field of an addressable value settable, exported or
// not: the tests must fill the fields the codec keeps for itself too.
func settable(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// fill gives every field of v a value of its own, never zero: strings
// "v1", "v2"..., numbers 1001, 1002..., slices two elements. Pointers are
// left nil (the only one, to the registry, is in both lists above).
func fill(v reflect.Value, n *int) {
	v = settable(v)
	*n++
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range s.Len() {
			fill(s.Index(i), n)
		}
		v.Set(s)
	case reflect.String:
		v.SetString(fmt.Sprintf("v%d", *n))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(1000 + *n))
	case reflect.Uint8, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n % 200))
	case reflect.Pointer:
	default:
		panic(fmt.Sprintf("fill: no rule for %s: add one", v.Type()))
	}
}

// fillBriefing gives every field of b a value of its own (fill), its
// details and the lines of its officials included.
func fillBriefing(b *Briefing, n *int) {
	v := reflect.ValueOf(b).Elem()
	for i := range v.NumField() {
		if packedField[v.Type().Field(i).Name] {
			continue
		}
		fill(v.Field(i), n)
	}
	var d Details
	fill(reflect.ValueOf(&d).Elem(), n)
	d.Dating.Basis = BasisInferred // one of the three, and not the default
	lines := make([]int, len(b.Officials))
	for i := range lines {
		*n++
		lines[i] = 1000 + *n
	}
	b.basis = codeOf(d.Dating.Basis)
	b.details = string(packDetails(nil, &d, lines))
}

// packedField names the fields of Briefing that hold others packed:
// briefingLeaves walks what they hold instead.
var packedField = map[string]bool{"details": true, "basis": true}

// briefingLeaves walks b as leaves does, its details unpacked, as if
// Details' fields and the lines of its officials ("officialLines[]") were
// Briefing's own.
func briefingLeaves(b *Briefing, units map[reflect.Type]bool) []leaf {
	var out []leaf
	v := reflect.ValueOf(b).Elem()
	for i := range v.NumField() {
		if name := v.Type().Field(i).Name; !packedField[name] {
			leaves(v.Field(i), name, units, &out)
		}
	}
	d := b.Details()
	leaves(reflect.ValueOf(&d).Elem(), "", units, &out)
	lines := b.officialLines(nil)
	leaves(reflect.ValueOf(&lines).Elem(), "officialLines", units, &out)
	return out
}

// TestCacheCarriesEveryField fills every field of a briefing, encodes it
// with the cache codec, decodes it and compares field by field.
func TestCacheCarriesEveryField(t *testing.T) {
	var in Briefing
	n := 0
	fillBriefing(&in, &n)
	var e encoder
	e.briefing(&in)
	d := decoder{s: e.buf.String(), table: append([]string{""}, e.table...)}
	var out Briefing
	d.briefing(&out, in.Path)
	if d.err != nil {
		t.Fatalf("decoding what was encoded: %v", d.err)
	}
	if len(d.s) != 0 {
		t.Errorf("the decoder left %d bytes the encoder wrote", len(d.s))
	}
	want, got := briefingLeaves(&in, nil), briefingLeaves(&out, nil)
	checkLeaves(t, want, got, notCached, "the index cache (store/cache.go: encoder.briefing and decoder.briefing) does not carry")
}

// checkLeaves compares two walks of the same type, leaf by leaf.
func checkLeaves(t *testing.T, want, got []leaf, except map[string]string, failure string) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("the walks differ in length: %d and %d leaves (a slice came back with another length)", len(want), len(got))
	}
	for i := range want {
		p := want[i].path
		if _, ok := except[p]; ok {
			continue
		}
		w, g := settable(want[i].value), settable(got[i].value)
		if !reflect.DeepEqual(w.Interface(), g.Interface()) {
			t.Errorf("%s %s: sent %v, got %v", failure, p, w.Interface(), g.Interface())
		}
	}
}

// everyKey sets every key the format defines, each list with two items.
const everyKey = `---
id: every-key
title: Every key
date: 2024
dating:
  basis: inferred
  season: spring
  note: worked out
kind: talks
location: Astana
countries: [Kazakhstan, Uzbekistan]
topics: [trade, water]
officials: [Tokayev, Mirziyoyev]
summary: A summary.
figures:
  - label: Trade
    value: $4 billion
    note: in 2023
  - label: Projects
    value: "12"
    note: signed
sources:
  - outlet: Daryo
    title: An article
    url: https://daryo.uz/a
    lang: en
    published: 2024-03-01
  - outlet: Kun
    title: Another
    url: https://kun.uz/b
    lang: uz
    published: 2024-03-02
status: draft
draft:
  - field: date
    found: "x"
    why: "y"
mystery: kept
other: kept too
---
Body.
`

// TestDecoderSetsEveryField decodes a file that gives every key and checks
// that every field of the briefing was set: a field added to Briefing that
// no key fills fails here until decode.go reads it (and this file gives
// it).
func TestDecoderSetsEveryField(t *testing.T) {
	c, err := Load(fstest.MapFS{"every.md": {Data: []byte(everyKey)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Briefings()) != 1 {
		t.Fatalf("did not load: %v", c.Problems())
	}
	// A Date counts as one value: a year-only date has no day.
	for _, l := range briefingLeaves(c.Briefings()[0], map[reflect.Type]bool{reflect.TypeFor[Date](): true}) {
		if _, ok := notDecoded[l.path]; ok {
			continue
		}
		if v := settable(l.value); v.IsZero() {
			t.Errorf("decoding sets no value for %s: read it in decode.go and give it in everyKey", l.path)
		}
	}
}

// TestSchemaExceptionsNameFields keeps the lists of exceptions true: each
// names a field that exists.
func TestSchemaExceptionsNameFields(t *testing.T) {
	var b Briefing
	n := 0
	fillBriefing(&b, &n)
	paths := map[string]bool{}
	for _, l := range briefingLeaves(&b, nil) {
		paths[l.path] = true
	}
	for name, list := range map[string]map[string]string{"notCached": notCached, "notDecoded": notDecoded} {
		for p := range list {
			if !paths[p] {
				t.Errorf("%s lists %s, which Briefing does not have", name, p)
			}
		}
	}
}

// schemaSignatures records the shape of Briefing (and Details) each
// cache format was written for. A change of shape needs a new cacheMagic (a cache written
// with the old shape must not be decoded as the new one), and its
// signature recorded here.
var schemaSignatures = map[string]string{
	"brief-index-v6\n": "7211fb8a323c9bba",
	"brief-index-v7\n": "7211fb8a323c9bba", // the same shape; repeated strings in a table
	"brief-index-v8\n": "02a56932e4cd3cfa", // details packed
}

// TestCacheFormatFollowsTheSchema fails when Briefing changes shape while
// cacheMagic stays the same.
func TestCacheFormatFollowsTheSchema(t *testing.T) {
	// The details go into the cache packed, as they are: their shape is
	// the cache's too.
	sig := typeSignature(reflect.TypeFor[Briefing](), map[reflect.Type]bool{}) + typeSignature(reflect.TypeFor[Details](), map[reflect.Type]bool{})
	sum := sha256.Sum256([]byte(sig))
	got := hex.EncodeToString(sum[:8])
	want, ok := schemaSignatures[cacheMagic]
	if !ok || want != got {
		t.Errorf("Briefing's shape is %s, recorded for %q as %q: when Briefing changed, bump cacheMagic in cache.go and record %q for it here (shape: %s)", got, cacheMagic, want, got, sig)
	}
}

// typeSignature writes a type's fields, recursively, as text.
func typeSignature(t reflect.Type, seen map[reflect.Type]bool) string {
	switch t.Kind() {
	case reflect.Struct:
		if seen[t] {
			return t.Name()
		}
		seen[t] = true
		var b strings.Builder
		b.WriteString(t.Name() + "{")
		for i := range t.NumField() {
			f := t.Field(i)
			fmt.Fprintf(&b, "%s %s;", f.Name, typeSignature(f.Type, seen))
		}
		return b.String() + "}"
	case reflect.Slice:
		return "[]" + typeSignature(t.Elem(), seen)
	case reflect.Pointer:
		return "*" + t.Elem().Name() // a link: its fields are not cached
	}
	if t == reflect.TypeFor[time.Month]() {
		return "month"
	}
	return t.Kind().String()
}
