package server

import (
	"bytes"
	"strings"
	"testing"
)

func TestPastesAreBounded(t *testing.T) {
	long := strings.Repeat("x", 100<<10)
	for _, tc := range []struct {
		name   string
		chunks []string
		want   string
	}{
		{"keys pass", []string{"jjk/rail", "way\r"}, "jjk/railway\r"},
		{"a short paste passes", []string{"\x1b[200~Tokayev\x1b[201~q"}, "\x1b[200~Tokayev\x1b[201~q"},
		{"markers cut between chunks", []string{"a\x1b[2", "00~pas", "te\x1b[20", "1~b"}, "a\x1b[200~paste\x1b[201~b"},
		{"a lone escape is not held back", []string{"\x1b"}, "\x1b"},
		{"a long paste is cut and the rest dropped", []string{"\x1b[200~" + long + "\x1b[201~q"}, "\x1b[200~" + long[:maxPaste] + "\x1b[201~q"},
		{"a long paste in many chunks", chunk("\x1b[200~"+long+"\x1b[201~q", 1000), "\x1b[200~" + long[:maxPaste] + "\x1b[201~q"},
		{"a paste never closed", chunk("\x1b[200~"+strings.Repeat("y", 2<<20)+"q", 4096), "\x1b[200~" + strings.Repeat("y", maxPaste) + "\x1b[201~"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ib inputBound
			var got bytes.Buffer
			for _, c := range tc.chunks {
				got.Write(ib.pastes([]byte(c)))
			}
			if got.String() != tc.want {
				t.Errorf("got %d bytes %.80q…; want %d bytes %.80q…", got.Len(), got.String(), len(tc.want), tc.want)
			}
		})
	}
}

// chunk cuts s into pieces of n bytes.
func chunk(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}
