package draft

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/brief-tools/brief/store"
)

// tokKind says what a token is.
type tokKind uint8

const (
	tokWord tokKind = iota
	tokNum
	tokPunct
)

// token is a word, a run of digits or one punctuation character of a line.
type token struct {
	text       string
	fold       string // words only: the store's folded form
	kind       tokKind
	start, end int  // byte offsets in the line
	space      bool // preceded by white space (or the line's start)
}

// isWordRune reports whether r continues a word: letters, marks, and the
// apostrophes Uzbek Latin writes inside words (o‘, g‘, ’).
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || r == '‘' || r == '’' || r == 'ʻ' || r == 'ʼ' || r == '\''
}

// tokenize splits a line into tokens.
func tokenize(s string) []token {
	var toks []token
	space := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			space = true
			i += size
			continue
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			toks = append(toks, token{text: s[i:j], kind: tokNum, start: i, end: j, space: space})
			i = j
		case isWordRune(r) && r != '\'' && r != '’' && r != '‘':
			j := i
			for j < len(s) {
				r2, size2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += size2
			}
			w := strings.TrimRight(s[i:j], "'’‘ʼ")
			j = i + len(w)
			toks = append(toks, token{text: w, fold: foldWord(w), kind: tokWord, start: i, end: j, space: space})
			i = j
		default:
			toks = append(toks, token{text: s[i : i+size], kind: tokPunct, start: i, end: i + size, space: space})
			i += size
		}
		space = false
	}
	return toks
}

// foldWord folds one word as the store folds names, keeping it one word
// (the apostrophes inside Uzbek words are dropped, not made spaces).
func foldWord(w string) string {
	w = strings.Map(func(r rune) rune {
		switch r {
		case '‘', '’', 'ʻ', 'ʼ', '\'':
			return -1
		}
		return r
	}, w)
	return store.Fold(w)
}

// foldAll folds a table of phrases once, at start-up.
func foldAll(phrases []string) []string {
	out := make([]string, len(phrases))
	for i, p := range phrases {
		out[i] = foldWordsOf(p)
	}
	return out
}

// hasPhrase reports whether a folded sentence, padded with spaces, holds a
// folded phrase as whole words; prefix also allows an ending on its last
// word.
func hasPhrase(padded, phrase string, prefix bool) bool {
	if prefix {
		return strings.Contains(padded, " "+phrase)
	}
	return strings.Contains(padded, " "+phrase+" ")
}

// atoi reads a run of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s) && i < 9; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
