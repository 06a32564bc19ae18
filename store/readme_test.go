package store_test

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestReadmeCorpusSentence checks that the README's sentence on the
// built-in corpus covers the years of every built-in briefing, background
// entries included (issue 13, item 11).
func TestReadmeCorpusSentence(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(data)), " ")
	i := strings.Index(text, "It ships with a built-in corpus")
	if i < 0 {
		t.Fatal("the README has no sentence on the built-in corpus")
	}
	sentence := text[i:]
	sentence = sentence[:strings.Index(sentence, ". ")+1]
	first, last := 0, 0
	for _, y := range regexp.MustCompile(`\b(19|20)\d\d\b`).FindAllString(sentence, -1) {
		n, _ := strconv.Atoi(y)
		if first == 0 || n < first {
			first = n
		}
		last = max(last, n)
	}
	for _, b := range qaBuiltIn(t).Briefings() {
		if y := b.Date.Year; y < first || y > last {
			t.Errorf("%s (%d) lies outside the years the README gives (%d–%d): %q", b.ID, y, first, last, sentence)
		}
	}
}
