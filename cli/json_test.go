package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestWriteJSONEscapesControls(t *testing.T) {
	tests := []string{
		"a\x1b[2Jb",
		"\x1b]52;c;ZXZpbA==\x07",
		"\u009b31m \u009d0;t\u009c \u0085",
		"\x7f del",
		"line\u2028sep\u2029",
		"plain text, Токаев, توكاييف",
		"<html> & \"quotes\"",
	}
	for _, in := range tests {
		for _, indent := range []bool{false, true} {
			var b bytes.Buffer
			if err := writeJSON(&b, map[string]string{"t": in}, indent); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if err := plainText(out); err != nil {
				t.Errorf("%q: %v", in, err)
			}
			if strings.ContainsRune(out, 0x2028) || strings.ContainsRune(out, 0x2029) {
				t.Errorf("%q: a raw line separator in %q", in, out)
			}
			var v map[string]string
			if err := json.Unmarshal(b.Bytes(), &v); err != nil || v["t"] != in {
				t.Errorf("%q: round trip gives %q, %v", in, v["t"], err)
			}
			if !indent && strings.Count(out, "\n") != 1 {
				t.Errorf("%q: not one line: %q", in, out)
			}
		}
	}
	// Text that needs no escaping is written as it is.
	var b bytes.Buffer
	_ = writeJSON(&b, []string{"Токаев & <Saidov>"}, false)
	if b.String() != `["Токаев & <Saidov>"]`+"\n" {
		t.Errorf("got %q", b.String())
	}
}

func TestTSVWriter(t *testing.T) {
	var b bytes.Buffer
	w := &tsvWriter{w: &b}
	for _, chunk := range []string{"id-1\tA ti", "tle\x1b]0;x\x07 here\n", "id-2\t\x1b[31mred\x1b[0m\tthird\n:4", "\n", "last\tno newline"} {
		if n, err := w.Write([]byte(chunk)); n != len(chunk) || err != nil {
			t.Fatalf("Write: %d, %v", n, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "id-1\tA title here\nid-2\tred\tthird\n:4\nlast\tno newline\n"
	if b.String() != want {
		t.Errorf("got %q\nwant %q", b.String(), want)
	}
}

// TestJSONArrayStreamsWhatWriteJSONWrites: list --format json writes its
// array one element at a time, byte for byte what encoding the whole
// list gives; --format jsonl what encoding each element gives.
func TestJSONArrayStreamsWhatWriteJSONWrites(t *testing.T) {
	type item struct {
		ID     string            `json:"id"`
		Tags   []string          `json:"tags"`
		Nested map[string][]int  `json:"nested,omitempty"`
		Empty  []string          `json:"empty"`
		Note   *string           `json:"note,omitempty"`
		Extra  map[string]string `json:"extra,omitempty"`
	}
	note := "a <b> & \u0085 \x7f c"
	tests := []struct {
		name string
		list []any
	}{
		{"none", []any{}},
		{"one", []any{item{ID: "a", Tags: []string{"x"}}}},
		{"several, nested, controls", []any{
			item{ID: "a\u009b[2J", Tags: []string{"x", "y"}, Nested: map[string][]int{"k": {1, 2}}, Note: &note},
			item{ID: "b", Empty: []string{}, Extra: map[string]string{"k": "v\nw"}},
			map[string]any{"snippet": "…", "matches": [][2]int{{0, 3}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var whole, streamed bytes.Buffer
			if err := writeJSON(&whole, tt.list, true); err != nil {
				t.Fatal(err)
			}
			arr := &jsonArray{w: &streamed}
			for _, v := range tt.list {
				if err := arr.add(v); err != nil {
					t.Fatal(err)
				}
			}
			if err := arr.close(); err != nil {
				t.Fatal(err)
			}
			if streamed.String() != whole.String() {
				t.Errorf("streamed:\n%s\nwhole:\n%s", streamed.String(), whole.String())
			}
			var lines, each bytes.Buffer
			jl := &jsonArray{w: &lines, lines: true}
			for _, v := range tt.list {
				if err := jl.add(v); err != nil {
					t.Fatal(err)
				}
				if err := writeJSON(&each, v, false); err != nil {
					t.Fatal(err)
				}
			}
			if err := jl.close(); err != nil {
				t.Fatal(err)
			}
			if lines.String() != each.String() {
				t.Errorf("JSON Lines:\n%s\nwriteJSON of each:\n%s", lines.String(), each.String())
			}
		})
	}
}
