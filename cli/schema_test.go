package cli

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/store/storetest"
)

// notInJSON lists the briefing's fields that JSON output does not carry,
// each with the reason. Every other field of store.Briefing must reach
// `--format json`: see "Adding a field" in the store package doc.
var notInJSON = map[string]string{
	"Officials[].Official": "a link into the registry: its id, country and role are carried instead (officialOut)",
	"Extra[].Line":         "where the key is in the file, for `brief check`; a script wants the value",
	"BodyLine":             "where the body starts in the file, for messages; the body itself is carried",
}

// TestJSONCarriesEveryField fills every field of a briefing and checks
// that each value is in its JSON.
func TestJSONCarriesEveryField(t *testing.T) {
	b, leaves := storetest.EveryField()
	var buf []byte
	buf, err := json.Marshal(briefingJSON(b, "the body"))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(buf, &v); err != nil {
		t.Fatal(err)
	}
	values := map[string]bool{}
	collectJSON(v, values)
	for _, l := range leaves {
		if _, ok := notInJSON[l.Path]; ok {
			continue
		}
		want := ""
		switch x := l.Value.(type) {
		case string:
			want = x
		case int:
			want = strconv.Itoa(x)
		case store.Date:
			want = x.String()
		default:
			t.Errorf("%s: no rule to find a %T in JSON: add one, or list the field in notInJSON with the reason", l.Path, l.Value)
			continue
		}
		if !values[want] {
			t.Errorf("JSON output (cli/json.go) does not carry %s (%q): add it to briefingOut, or list it in notInJSON with the reason", l.Path, want)
		}
	}
	for p := range notInJSON {
		found := false
		for _, l := range leaves {
			found = found || l.Path == p
		}
		if !found {
			t.Errorf("notInJSON lists %s, which store.Briefing does not have", p)
		}
	}
}

// collectJSON gathers every string and number in a decoded JSON value,
// keys of objects included (Extra is an object of the briefing's keys).
func collectJSON(v any, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out[k] = true
			collectJSON(e, out)
		}
	case []any:
		for _, e := range x {
			collectJSON(e, out)
		}
	case string:
		out[x] = true
	case float64:
		out[strconv.FormatFloat(x, 'f', -1, 64)] = true
	case nil, bool:
	default:
		panic(fmt.Sprintf("unexpected JSON value %T", v))
	}
}
