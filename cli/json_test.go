package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/store"
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

// jsonCorpus is the built-in corpus and three briefings with what it
// lacks (extra keys, a dating, no figures, a draft), for the JSON tests.
func jsonCorpus(t *testing.T) []*store.Briefing {
	t.Helper()
	reg, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	files := fstest.MapFS{}
	for name, text := range map[string]string{
		"x.md": "---\nid: x\ntitle: With extra keys\ndate: 2024\ndating: {basis: inferred, season: spring, note: from the source}\nofficials: [tokayev]\nmood: calm\ncolour: blue\n---\n",
		"y.md": "---\nid: y\ntitle: Plain\ndate: 2024-05-06\nofficials: [saidov, nobody]\nstatus: draft\n---\n",
		"z.md": "---\nid: z\ntitle: Another extra\ndate: 2023-01\nofficials: [mirziyoyev]\nflavour: none\nsources:\n  - outlet: Kun.uz\n    url: https://kun.uz/x\n---\n",
	} {
		files[name] = &fstest.MapFile{Data: []byte(text)}
	}
	extra, err := store.Load(files, store.Options{Registry: reg})
	if err != nil || len(extra.Briefings()) != 3 {
		t.Fatalf("the extra briefings: %v, %v", err, extra.Problems())
	}
	own, err := store.Load(briefs.FS(), store.Options{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	return append(own.Briefings(), extra.Briefings()...)
}

// TestFilledJSONForgetsTheLastBriefing: a listing makes each briefing's
// JSON in the memory of the one before; it comes out as if made anew,
// whatever came before it.
func TestFilledJSONForgetsTheLastBriefing(t *testing.T) {
	bs := jsonCorpus(t)
	encode := func(v any) string {
		var b bytes.Buffer
		if err := writeJSON(&b, v, true); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, first := range bs {
		for _, then := range bs {
			var out briefingOut
			fillJSON(&out, first, "")
			fillJSON(&out, then, "")
			if got, want := encode(&out), encode(briefingJSON(then, "")); got != want {
				t.Errorf("%s after %s:\n%s\nwant\n%s", then.ID, first.ID, got, want)
			}
		}
	}
}

// TestJSONListingLeavesLittleGarbage: streaming a listing allocates, for
// each briefing, less than a quarter of the JSON it writes (it once
// allocated more than half, which raised the peak memory of a listing of
// 100,000 briefings by 40% over the table's).
func TestJSONListingLeavesLittleGarbage(t *testing.T) {
	bs := jsonCorpus(t)
	var written countingWriter
	arr := &jsonArray{w: &written}
	var out briefingOut
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 200 {
		for _, b := range bs {
			fillJSON(&out, b, "")
			if err := arr.add(&out); err != nil {
				t.Fatal(err)
			}
		}
	}
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d bytes while writing %d bytes of JSON", allocated, written)
	if allocated*4 > uint64(written) {
		t.Errorf("allocated %d bytes while writing %d bytes of JSON: %.0f%%, want under 25%%", allocated, written, 100*float64(allocated)/float64(written))
	}
}

// countingWriter counts what is written to it.
type countingWriter int

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}

// TestEscapeControlsAsByRune checks escapeControls against reading the
// text a rune at a time, on text of the bytes that matter (DEL, 0xc2,
// C1's second bytes, other UTF-8) in every order.
func TestEscapeControlsAsByRune(t *testing.T) {
	byRune := func(b []byte) string {
		var out strings.Builder
		for i := 0; i < len(b); {
			r, size := utf8.DecodeRune(b[i:])
			if r == 0x7f || (r >= 0x80 && r <= 0x9f) {
				fmt.Fprintf(&out, `\u%04x`, r)
			} else {
				out.Write(b[i : i+size])
			}
			i += size
		}
		return out.String()
	}
	pieces := [][]byte{{0x7f}, {0xc2}, {0x85}, {0x9f}, {0xa0}, {0xc3, 0xa9}, []byte("a"), []byte("\""), []byte("«»"), []byte("Тоқаев"), {0xc2, 0x9b}, {0xe2, 0x80, 0xa8}}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		var b []byte
		for range rng.IntN(10) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		if got, want := string(escapeControls(b)), byRune(b); got != want {
			t.Fatalf("escapeControls(%q) = %q, want %q", b, got, want)
		}
	}
}

// TestIndentJSONAsJSONIndent checks indentJSON against json.Indent on
// random documents: nested arrays and objects, empty ones, and strings
// with quotes, backslashes and escapes in every place.
func TestIndentJSONAsJSONIndent(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	texts := []string{"", "a", `"`, `\`, `\"`, `\\`, `"\"`, "x,y:z", "[{}]", "Тоқаев", "\x1b", "\n", "\u2028", "}"}
	var value func(depth int) any
	value = func(depth int) any {
		switch k := rng.IntN(7); {
		case k == 0 || depth > 4:
			return texts[rng.IntN(len(texts))] + texts[rng.IntN(len(texts))]
		case k == 1:
			return rng.IntN(1000) - 500
		case k == 2:
			return []any{}
		case k == 3:
			return map[string]any{}
		case k == 4:
			return nil
		case k == 5:
			l := make([]any, rng.IntN(4))
			for i := range l {
				l[i] = value(depth + 1)
			}
			return l
		default:
			m := map[string]any{}
			for range rng.IntN(4) {
				m[texts[rng.IntN(len(texts))]+fmt.Sprint(rng.IntN(3))] = value(depth + 1)
			}
			return m
		}
	}
	for range 5000 {
		compact, err := json.Marshal(value(0))
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact, "  ", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indentJSON([]byte("x"), compact, "  ", "  "); string(got) != "x"+want.String() {
			t.Fatalf("indentJSON(%s):\n%s\nwant\n%s", compact, got[1:], want.String())
		}
	}
}
