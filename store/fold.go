package store

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold reduces a name or search text to the form brief compares: case
// folded, diacritics and Arabic short vowels removed, Arabic letter variants
// unified, punctuation turned into single spaces. "Mirziyoyev",
// "MIRZIYÓYEV" and "mirziyoyev" fold alike, as do "Мирзиёев" and "Мирзиеев",
// and "توكاييف" with or without harakat.
func Fold(s string) string {
	return string(appendFold(nil, s))
}

// appendFold appends the folded form of s to dst. Runs of separators become
// one space; dst's own trailing space counts.
func appendFold(dst []byte, s string) []byte {
	space := len(dst) == 0 || dst[len(dst)-1] == ' '
	i := 0
	for ; i < len(s) && s[i] < 0x80; i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			dst = append(dst, c+'a'-'A')
			space = false
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			dst = append(dst, c)
			space = false
		default:
			if !space {
				dst = append(dst, ' ')
				space = true
			}
		}
	}
	if i == len(s) {
		if len(dst) > 0 && dst[len(dst)-1] == ' ' {
			dst = dst[:len(dst)-1]
		}
		return dst
	}
	return appendFoldUnicode(dst, s[i:], space)
}

// appendFoldUnicode is appendFold for text beyond ASCII.
func appendFoldUnicode(dst []byte, s string, space bool) []byte {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), r == 'ـ': // marks and Arabic tatweel
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(foldLetter(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	dst = append(dst, b.String()...)
	if len(dst) > 0 && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// foldLetter lowercases one letter and unifies the Arabic letters that
// writers use interchangeably in transliterated names.
func foldLetter(r rune) rune {
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ':
		return 'ا'
	case 'ى', 'ئ', 'ی':
		return 'ي'
	case 'ؤ':
		return 'و'
	case 'ة':
		return 'ه'
	case 'ک':
		return 'ك'
	}
	return unicode.ToLower(r)
}
