package store

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Snippet is the passage of a briefing that shows why a text query found
// it, for a list to print and a reader to highlight.
type Snippet struct {
	// Field names where the passage comes from: "body", "summary",
	// "figures", "title", "officials", "topics", "location", "kind",
	// "countries", "sources" or "id".
	Field string
	// Text is the passage, on one line, as plain text (the body's Markdown
	// marks dropped), with "…" where it was cut. It never holds a control
	// character.
	Text string
	// Matches are the byte ranges in Text of the words that matched, in
	// order and not overlapping.
	Matches []Span
}

// sentenceEnds end a sentence or a line: a passage cut there needs no "…".
const sentenceEnds = ".!?;:\n。؟"

// Span is a range of bytes, Start included, End not.
type Span struct{ Start, End int }

// Snippet limits.
const (
	snippetWords  = 32  // words in a passage
	snippetBefore = 8   // words shown before the first match, at most
	snippetBytes  = 480 // bytes in a passage, at most (a word is never cut)
)

// Snippet gives the passage of b that best shows why the text query
// matches it: the place in its body, or else in a field, with the most of
// the query's words and phrases (the body wins ties with the fields, the
// summary and figures win over the title). A briefing found only through
// the registry's names for an official gets its officials, with that
// official's name marked. The error says why the body could not be read;
// the snippet then comes from the fields.
func (c *Corpus) Snippet(b *Briefing, text string) (Snippet, error) {
	tq := parseTextQuery(text)
	if len(tq.include) == 0 {
		return Snippet{}, nil
	}
	var best Snippet
	bestCount := 0
	consider := func(field, text string) {
		if s, n := passage(field, text, tq.include); n > bestCount {
			best, bestCount = s, n
		}
	}
	body, _, err := c.Body(b)
	if err == nil {
		consider("body", plainText(body))
	}
	consider("summary", b.Summary)
	for _, f := range b.Figures() {
		consider("figures", figureText(f))
	}
	consider("title", b.Title)
	officials := strings.Join(b.OfficialNames(), ", ")
	consider("officials", officials)
	consider("topics", strings.Join(b.Topics, ", "))
	consider("location", b.Location)
	consider("kind", b.Kind)
	consider("countries", strings.Join(b.Countries, ", "))
	for _, s := range b.Sources() {
		consider("sources", strings.TrimSpace(s.Outlet+": "+s.Title))
	}
	consider("id", b.ID)
	if bestCount == 0 {
		best = registryPassage(b, officials, tq.include)
	}
	return best, err
}

// figureText gives a figure as one line: "Label: value (note)".
func figureText(f Figure) string {
	s := f.Label + ": " + f.Value
	if f.Note != "" {
		s += " (" + f.Note + ")"
	}
	return s
}

// registryPassage gives the officials of b with the names marked of those
// whom a query word names through the registry.
func registryPassage(b *Briefing, officials string, terms []queryTerm) Snippet {
	s := Snippet{Field: "officials", Text: oneLine(officials)}
	at := 0
	for i, ref := range b.Officials {
		name := oneLine(ref.Display())
		if i > 0 {
			at += len(", ")
		}
		if o := ref.Official; o != nil {
			for _, t := range terms {
				if !t.phrase && slices.ContainsFunc(t.forms(0), func(w string) bool { return hasWholeWord(o.words, w, t.prefix) }) {
					s.Matches = append(s.Matches, Span{at, at + len(name)})
					break
				}
			}
		}
		at += len(name)
	}
	return s
}

// match is where a query term matches in a text: from word at, n words.
type match struct{ at, n, term int }

// passage gives the best passage of text for the terms, and how many
// different terms it holds.
func passage(field, text string, terms []queryTerm) (Snippet, int) {
	tw := splitWords(text)
	var matches []match
	for i := range tw.words {
		for k, t := range terms {
			if n := tw.phraseAt(i, t); n > 0 {
				matches = append(matches, match{i, n, k})
				break
			}
		}
	}
	if len(matches) == 0 {
		return Snippet{}, 0
	}
	para := tw.para // a passage stays inside one paragraph
	// The window of snippetWords words, starting at a match, with the
	// most different terms, then the tightest, then the first.
	first, count, tightest := 0, 0, 0
	seen := make([]bool, len(terms))
	for f := range matches {
		clear(seen)
		n, span := 0, 0
		for _, m := range matches[f:] {
			if m.at+m.n > matches[f].at+snippetWords-snippetBefore || para[m.at+m.n-1] != para[matches[f].at] {
				break
			}
			if !seen[m.term] {
				seen[m.term] = true
				n++
				span = m.at + m.n - matches[f].at
			}
		}
		if n > count || n == count && span < tightest {
			first, count, tightest = f, n, span
		}
	}
	// Start a few words before, at the start of the sentence if it is near.
	at := matches[first].at
	start := max(0, at-snippetBefore)
	for start < at && para[start] != para[at] {
		start++
	}
	for k := at; k > start; k-- {
		if strings.ContainsAny(text[tw.ends[k-1]:tw.starts[k]], sentenceEnds) {
			start = k
			break
		}
	}
	end := min(len(tw.words), start+snippetWords)
	for end > at+1 && (tw.ends[end-1]-tw.starts[start] > snippetBytes || para[end-1] != para[at]) {
		end--
	}
	from, to := tw.starts[start], tw.ends[end-1]
	// Keep the punctuation that closes the last word ("railway.").
	for to < len(text) {
		r, size := utf8.DecodeRuneInString(text[to:])
		if !unicode.IsPunct(r) || unicode.In(r, unicode.Ps, unicode.Pi) {
			break
		}
		to += size
	}
	if start == 0 {
		from = 0 // an opening quote or bracket
		for from < tw.starts[0] {
			r, size := utf8.DecodeRuneInString(text[from:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Ps, unicode.Pi) {
				break
			}
			from += size
		}
	}
	var b strings.Builder
	if start > 0 && !strings.ContainsAny(text[tw.ends[start-1]:tw.starts[start]], sentenceEnds) {
		b.WriteString("…")
	}
	// Copy the passage on one line, mapping the matches' offsets.
	s := Snippet{Field: field}
	mi := 0
	for mi < len(matches) && matches[mi].at < start {
		mi++
	}
	var spanStart int
	open := false
	space := false
	for i := from; i < to; {
		for !open && mi < len(matches) && (tw.starts[matches[mi].at] < i || matches[mi].at+matches[mi].n > end) {
			mi++ // overlapped by the previous match, or cut off
		}
		if !open && mi < len(matches) && i == tw.starts[matches[mi].at] {
			spanStart, open = b.Len(), true
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) || isControl(r) || r == utf8.RuneError && size == 1 {
			if !space {
				b.WriteByte(' ')
			}
			space = true
		} else {
			b.WriteString(text[i : i+size])
			space = false
		}
		i += size
		if open && i == tw.ends[matches[mi].at+matches[mi].n-1] {
			s.Matches = append(s.Matches, Span{spanStart, b.Len()})
			open = false
			mi++
		}
	}
	if end < len(tw.words) && !strings.ContainsAny(text[tw.ends[end-1]:to], sentenceEnds) {
		b.WriteString("…")
	}
	s.Text = b.String()
	return s, count
}

// oneLine puts a field on one line: every run of spaces and controls
// becomes one space.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || isControl(r) }), " ")
}
