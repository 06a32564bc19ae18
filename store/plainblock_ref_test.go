package store

import (
	"fmt"
	"reflect"
	"strings"
	"testing/fstest"
)

// parseDataAsBefore is parseData as it was before plainFrontmatter, and
// before the node tree held no pointers: every file through
// findFrontmatter, loneCRs, cleanRaw and oldParseYAML, one after the
// other, and decoded by the decoders of that time (oldnodes_ref_test.go).
// It is the reference ParsesAsBefore holds parseData to.
func parseDataAsBefore(data []byte, ps *problems, a *oldArena, full bool) parsed {
	fm, _, line, err := findFrontmatter(data, true)
	if err != nil {
		ps.errorf(line, "%v", err)
		return parsed{problems: ps.list}
	}
	b := oldParseBriefing(ps.path, fm, ps, a)
	if b != nil {
		b.head = headSum(data[:fm.bodyOffset])
		compact(b, &a.dec.details, a.dec.lines, &a.intern, &a.pack)
	}
	if b != nil && full {
		checkBody(data[fm.bodyOffset:], fm.bodyLine, ps)
	}
	return parsed{briefing: b, problems: ps.list}
}

// NewParsesAsBefore gives a function that parses file contents as a
// loading worker does and as parseDataAsBefore does, each with its own
// arena kept across calls, and says how they differ ("" for not at all):
// the briefing (every field, details included) and the problems.
func NewParsesAsBefore() func(data []byte, full bool) string {
	now, before := &arena{inPlace: true}, &oldArena{inPlace: true}
	return func(data []byte, full bool) string {
		// Each reads its own copy: the fast path reads in place.
		got := parseData([]byte(string(data)), &problems{path: "a.md"}, now, full)
		want := parseDataAsBefore([]byte(string(data)), &problems{path: "a.md"}, before, full)
		var diffs []string
		if !reflect.DeepEqual(got.problems, want.problems) {
			diffs = append(diffs, "problems:\n"+problemLines(got.problems)+"\nbefore:\n"+problemLines(want.problems))
		}
		switch {
		case (got.briefing == nil) != (want.briefing == nil):
			diffs = append(diffs, "kept differs")
		case got.briefing != nil && !reflect.DeepEqual(*got.briefing, *want.briefing):
			diffs = append(diffs, "briefing differs")
		case got.briefing != nil && !reflect.DeepEqual(got.briefing.Details(), want.briefing.Details()):
			diffs = append(diffs, "details differ")
		}
		return strings.Join(diffs, "; ")
	}
}

func problemLines(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// NewRegistryLoadsAsBefore gives a function that loads a registry file's
// contents with LoadRegistry and with oldLoadRegistry, the code of before
// the node tree held no pointers, and says how they differ ("" for not at
// all): every official and the problems.
func NewRegistryLoadsAsBefore() func(data []byte) string {
	return func(data []byte) string {
		fsys := fstest.MapFS{RegistryFile: {Data: data}}
		got, gotPs := LoadRegistry(fsys, RegistryFile)
		want, wantPs := oldLoadRegistry(fsys, RegistryFile)
		var diffs []string
		if !reflect.DeepEqual(gotPs, wantPs) {
			diffs = append(diffs, "problems:\n"+problemLines(gotPs)+"\nbefore:\n"+problemLines(wantPs))
		}
		if !reflect.DeepEqual(got, want) {
			diffs = append(diffs, fmt.Sprintf("officials differ:\n%+v\nbefore:\n%+v", got.officials, want.officials))
		}
		return strings.Join(diffs, "; ")
	}
}
