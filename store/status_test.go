package store

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

const draftBriefing = `---
id: 2025-11-15-draft
status: draft
title: Draft talks in Tashkent
date: 2025-11-15
officials: [Mirziyoyev, Tokayev]
draft:
  - field: date
    found: "15 ноября (file a.txt, line 4)"
    why: the year comes from the page's address
  - field: location
    found: Ташкент
    why: named once in the headline
---

- Talks.
`

// TestStatusDraftIsDecodedAndWarned checks that a draft loads, is marked
// as one, and that check-level problems name what to verify.
func TestStatusDraftIsDecodedAndWarned(t *testing.T) {
	for _, tc := range []struct {
		name, doc   string
		draft       bool
		line        int
		severity    Severity
		wantMessage string
	}{
		{"draft with block", draftBriefing, true, 3, Warning, "to verify: date (line 8), location (line 11)"},
		{"draft without block", "---\ntitle: T\ndate: 2024\nofficials: [x]\nstatus: draft\n---\n", true, 5, Warning, "remove the status line"},
		{"unknown status", "---\ntitle: T\ndate: 2024\nofficials: [x]\nstatus: final\n---\n", false, 5, Warning, `status "final" is not known`},
		{"block without status", "---\ntitle: T\ndate: 2024\nofficials: [x]\ndraft:\n  - field: date\n---\n", false, 5, Warning, "belongs only to a briefing with status: draft"},
		{"block not a list", "---\ntitle: T\ndate: 2024\nofficials: [x]\nstatus: draft\ndraft: date\n---\n", true, 6, Warning, "draft must be a list"},
		{"entry without field", "---\ntitle: T\ndate: 2024\nofficials: [x]\nstatus: draft\ndraft:\n  - why: x\n---\n", true, 7, Warning, "needs a field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(fstest.MapFS{"a.md": {Data: []byte(tc.doc)}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			bs := c.Briefings()
			if len(bs) != 1 {
				t.Fatalf("loaded %d briefings, want 1; problems: %v", len(bs), c.Problems())
			}
			if got := bs[0].IsDraft(); got != tc.draft {
				t.Errorf("IsDraft = %v, want %v", got, tc.draft)
			}
			found := false
			for _, p := range c.Problems() {
				if p.Line == tc.line && p.Severity == tc.severity && strings.Contains(p.Message, tc.wantMessage) {
					found = true
				}
				if strings.Contains(p.Message, "unknown key") {
					t.Errorf("status or draft reported as unknown: %v", p)
				}
			}
			if !found {
				t.Errorf("no %v at line %d containing %q; got %v", tc.severity, tc.line, tc.wantMessage, c.Problems())
			}
		})
	}
}

// TestCacheCarriesStatus loads a draft twice through the index cache: the
// second, cached load must still know it is a draft.
func TestCacheCarriesStatus(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte(draftBriefing), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{CachePath: filepath.Join(cacheDir, "index")}
	first, err := Load(os.DirFS(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	second, err := Load(os.DirFS(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	b1, p1 := corpusSummary(first)
	b2, p2 := corpusSummary(second)
	if len(b2) != 1 || !b2[0].IsDraft() {
		t.Fatalf("the cached load lost the draft status: %+v", b2)
	}
	if !reflect.DeepEqual(b1, b2) || !reflect.DeepEqual(p1, p2) {
		t.Errorf("fresh and cached loads differ:\n%+v\n%+v", b1, b2)
	}
}
