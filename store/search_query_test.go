package store

import (
	"reflect"
	"testing"
)

// TestParseTextQuery checks the query syntax.
func TestParseTextQuery(t *testing.T) {
	word := func(w string, prefix bool) queryTerm {
		return queryTerm{words: []string{w}, alts: []string{""}, prefix: prefix}
	}
	phrase := func(prefix bool, ws ...string) queryTerm {
		return queryTerm{words: ws, alts: make([]string, len(ws)), phrase: true, prefix: prefix}
	}
	tests := []struct {
		in                string
		include, excluded []queryTerm
	}{
		{"railway", []queryTerm{word("railway", true)}, nil},
		{"Darbaza railway", []queryTerm{word("darbaza", false), word("railway", true)}, nil},
		{"  spaces   around  ", []queryTerm{word("spaces", false), word("around", true)}, nil},
		{"Darbaza–Maktaaral", []queryTerm{word("darbaza", false), word("maktaaral", true)}, nil},
		{`"state visit"`, []queryTerm{phrase(false, "state", "visit")}, nil},
		{`"state visit`, []queryTerm{phrase(true, "state", "visit")}, nil}, // still being typed
		{`“state visit” rail`, []queryTerm{phrase(false, "state", "visit"), word("rail", true)}, nil},
		{`«state visit»`, []queryTerm{phrase(false, "state", "visit")}, nil},
		{`"railway"`, []queryTerm{word("railway", false)}, nil}, // a quoted word is exact
		{"railway -trade", []queryTerm{word("railway", false)}, []queryTerm{word("trade", false)}},
		{`-"state visit" talks`, []queryTerm{word("talks", true)}, []queryTerm{phrase(false, "state", "visit")}},
		{"-trade", nil, []queryTerm{word("trade", false)}},
		{"a - b", []queryTerm{word("a", false), word("b", true)}, nil}, // a lone dash is nothing
		{"co-operation", []queryTerm{word("co", false), word("operation", true)}, nil},
		{"O'zbekiston", []queryTerm{word("ozbekiston", true)}, nil},
		{" ,;- ", nil, nil},
		{"", nil, nil},
	}
	for _, tc := range tests {
		got := parseTextQuery(tc.in)
		if !reflect.DeepEqual(got.include, tc.include) || !reflect.DeepEqual(got.exclude, tc.excluded) {
			t.Errorf("parseTextQuery(%q)\n got %+v / %+v\nwant %+v / %+v", tc.in, got.include, got.exclude, tc.include, tc.excluded)
		}
	}
	// The Uzbek ў is searched both ways.
	got := parseTextQuery("Тўқаев")
	if len(got.include) != 1 || !reflect.DeepEqual(got.include[0].forms(0), []string{"тукаев", "токаев"}) {
		t.Errorf("Тўқаев: %+v", got.include)
	}
}
