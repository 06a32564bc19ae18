package store

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// queryTerm is one condition of a text query: a word, or a phrase whose
// words must follow each other.
type queryTerm struct {
	words  []string // folded; more than one only for a phrase
	alts   []string // each word's other form (see uzbekO), or ""
	prefix bool     // the last word matches as a prefix (it is being typed)
	phrase bool
}

// forms gives the forms word k of the term is searched under.
func (t queryTerm) forms(k int) []string {
	if t.alts[k] != "" && t.alts[k] != t.words[k] {
		return []string{t.words[k], t.alts[k]}
	}
	return t.words[k : k+1]
}

// prefixAt reports whether word k of the term matches as a prefix.
func (t queryTerm) prefixAt(k int) bool { return t.prefix && k == len(t.words)-1 }

// textQuery is a parsed text query: every included term must match and no
// excluded one may.
type textQuery struct {
	include, exclude []queryTerm
}

func (tq textQuery) empty() bool { return len(tq.include) == 0 && len(tq.exclude) == 0 }

// isQuote reports whether r opens or closes a phrase.
func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»':
		return true
	}
	return false
}

// parseTextQuery reads the text of a query:
//
//	railway          a word: every word must match
//	rail             the last word also matches as a prefix, as it is typed
//	"state visit"    a phrase: the words next to each other
//	-trade           no briefing with this word
//	-"state visit"   nor with this phrase
//
// Words are folded (Fold); a word that folds into several ("Darbaza–
// Maktaaral") gives several words, and a word with an apostrophe
// ("O'zbekiston") one, joined. Typographic quotes (“ ” „ « ») work as
// quotes; an unclosed phrase runs to the end of the text.
func parseTextQuery(s string) textQuery {
	var tq textQuery
	type token struct {
		text           string
		quoted, closed bool
		excluded       bool
	}
	var tokens []token
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		var t token
		if r == '-' && i+1 < len(s) {
			if next, _ := utf8.DecodeRuneInString(s[i+1:]); !unicode.IsSpace(next) {
				t.excluded = true
				i++
				r, size = utf8.DecodeRuneInString(s[i:])
			}
		}
		if isQuote(r) {
			t.quoted = true
			i += size
			end := strings.IndexFunc(s[i:], isQuote)
			if end < 0 {
				t.text, i = s[i:], len(s)
			} else {
				t.text, t.closed = s[i:i+end], true
				_, qsize := utf8.DecodeRuneInString(s[i+end:])
				i += end + qsize
			}
		} else {
			end := strings.IndexFunc(s[i:], unicode.IsSpace)
			if end < 0 {
				end = len(s) - i
			}
			t.text, i = s[i:i+end], i+end
		}
		tokens = append(tokens, t)
	}
	for k, t := range tokens {
		words, alts := foldQueryWords(t.text)
		if len(words) == 0 {
			continue
		}
		// Only the very end of the text is being typed: its last word is a
		// prefix, unless it is excluded or a closed phrase.
		typing := k == len(tokens)-1 && !t.excluded && !t.closed
		list := &tq.include
		if t.excluded {
			list = &tq.exclude
		}
		if t.quoted && len(words) > 1 {
			*list = append(*list, queryTerm{words: words, alts: alts, phrase: true, prefix: typing})
			continue
		}
		for j, w := range words {
			*list = append(*list, queryTerm{words: []string{w}, alts: alts[j : j+1], prefix: typing && j == len(words)-1})
		}
	}
	return tq
}

// wordMatches reports whether the folded word w of a text matches the
// query word q.
func wordMatches(w, q string, prefix bool) bool {
	if prefix {
		return strings.HasPrefix(w, q)
	}
	return w == q
}

// hasWholeWord reports whether the folded text s (words separated by
// spaces) has the word w, or a word starting with it when prefix is set.
func hasWholeWord(s, w string, prefix bool) bool {
	if prefix {
		return wordPrefix(s, w)
	}
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		if (at == 0 || s[at-1] == ' ') && (at+len(w) == len(s) || s[at+len(w)] == ' ') {
			return true
		}
		i = at + 1
		if i >= len(s) {
			return false
		}
	}
}

// textWords is a text split into the words search sees, each with its
// byte range and its other forms, for matching phrases and placing
// snippets.
type textWords struct {
	words  []string
	alts   []string // each word's other form (see uzbekO), or ""
	starts []int
	ends   []int
	joined []bool // word i follows word i-1 across an apostrophe
	// para numbers each word's paragraph: a phrase never spans two.
	para []int
}

// isParagraphBreak reports whether the text between two words ends a
// paragraph: a blank line.
func isParagraphBreak(gap string) bool {
	first := strings.IndexByte(gap, '\n')
	return first >= 0 && strings.IndexByte(gap[first+1:], '\n') >= 0
}

func splitWords(text string) textWords {
	guess := len(text)/6 + 1 // words of about five letters
	tw := textWords{
		alts: make([]string, 0, guess), starts: make([]int, 0, guess), ends: make([]int, 0, guess),
		joined: make([]bool, 0, guess), para: make([]int, 0, guess),
	}
	folded := make([]byte, 0, len(text))
	bounds := make([]int, 0, guess)
	sc := newWordScanner(text)
	for sc.next() {
		folded = append(folded, sc.word...)
		bounds = append(bounds, len(folded))
		alt := ""
		if hasUzbekU(&sc, text) {
			alt, _ = uzbekO(text[sc.start:sc.end])
		}
		tw.alts = append(tw.alts, alt)
		tw.starts = append(tw.starts, sc.start)
		tw.ends = append(tw.ends, sc.end)
		tw.joined = append(tw.joined, sc.joined && len(tw.starts) > 1)
		para := 0
		if n := len(tw.starts); n > 1 {
			para = tw.para[n-2]
			if isParagraphBreak(text[tw.ends[n-2]:sc.start]) {
				para++
			}
		}
		tw.para = append(tw.para, para)
	}
	all := string(folded) // one string for every word
	tw.words = make([]string, len(bounds))
	from := 0
	for i, end := range bounds {
		tw.words[i] = all[from:end]
		from = end
	}
	return tw
}

// matchAt reports how many words of the text, from word i, match word k
// of the term: 1 for the word itself or one of its other forms, 2 when it
// matches joined with the next word across an apostrophe; 0 for no match.
// It gives the longest match.
func (tw *textWords) matchAt(i int, t queryTerm, k int) int {
	w, prefix := tw.words[i], t.prefixAt(k)
	forms := t.forms(k)
	matches := func(s string) bool {
		for _, q := range forms {
			if wordMatches(s, q, prefix) {
				return true
			}
		}
		return false
	}
	if i+1 < len(tw.words) && tw.joined[i+1] && tw.para[i+1] == tw.para[i] && matches(w+tw.words[i+1]) {
		return 2
	}
	if matches(w) || tw.alts[i] != "" && matches(tw.alts[i]) {
		return 1
	}
	var stems [4]string
	for _, s := range appendStems(stems[:0], w) {
		if matches(s) {
			return 1
		}
	}
	return 0
}

// phraseAt reports how many words of the text, from word i, the term's
// words match one after the other; 0 when they do not.
func (tw *textWords) phraseAt(i int, t queryTerm) int {
	j := i
	for k := range t.words {
		if j >= len(tw.words) || tw.para[j] != tw.para[i] {
			return 0
		}
		n := tw.matchAt(j, t, k)
		if n == 0 {
			return 0
		}
		j += n
	}
	return j - i
}

// has reports whether the term matches somewhere in the text.
func (tw *textWords) has(t queryTerm) bool {
	_, _, ok := tw.find(t)
	return ok
}

// find gives where the term first matches in the text, as a word index
// and a count of words; ok is false when it does not.
func (tw *textWords) find(t queryTerm) (at, n int, ok bool) {
	for i := range tw.words {
		if n := tw.phraseAt(i, t); n > 0 {
			return i, n, true
		}
	}
	return 0, 0, false
}
