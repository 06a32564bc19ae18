package store

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold reduces a name or search text to the form brief compares: words in
// lower case, separated by single spaces, with diacritics and Arabic short
// vowels removed and the letters writers use interchangeably unified.
// "Mirziyoyev", "MIRZIYÓYEV" and "mirziyoyev" fold alike, as do
// "Мирзиёев" and "Мирзиеев", Kazakh "Тоқаев" and Russian "Токаев", Uzbek
// "Тўқаев" and "Токаев", "Türkiye" and "Turkiye", and "توكاييف" with or
// without harakat, tatweel or hamza on its alif.
//
// In detail, after compatibility decomposition (NFKD):
//   - combining marks, format characters (zero width joiners, soft
//     hyphens, direction marks) and the Arabic tatweel are dropped, inside
//     words too;
//   - letters and digits are lowered and unified: Kazakh, Uzbek and Tajik
//     қ ғ ң ө ұ ү һ і ә ў ҳ ҷ as к г н о у у х и а у х ч (ё and й lose their
//     marks), ß æ œ ø ł đ ı as ss ae oe o l d i, Arabic أ إ آ ٱ as ا, ؤ as
//     و, ئ ى ی as ي, ة as ه, ک as ك, Arabic-Indic digits as 0-9;
//   - everything else, apostrophes included, separates words.
//
// Search does more on top of this (see wordScanner and appendStems): it
// also joins words across an apostrophe ("O'zbekiston" is found as
// "ozbekiston") and finds Arabic words without their clitic prefixes.
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
	if i < len(s) {
		dst = appendFoldWords(dst, s, i, space)
	}
	if len(dst) > 0 && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// appendFoldWords is appendFold for text beyond ASCII, from s[i:]: a word
// begun in ASCII before i continues.
func appendFoldWords(dst []byte, s string, i int, space bool) []byte {
	for i < len(s) {
		f, class, size := foldAt(s, i)
		i += size
		switch class {
		case runeWord:
			dst = append(dst, f...)
			space = false
		case runeDropped:
		default:
			if !space {
				dst = append(dst, ' ')
				space = true
			}
		}
	}
	return dst
}

// What a character is to a word.
const (
	runeSeparator  = iota // ends a word
	runeDropped           // nothing: marks, format characters, tatweel
	runeApostrophe        // ends a word, but search also joins across it
	runeWord              // part of a word, folded
)

// foldAt folds the character at s[i]: its folded text (for a word
// character), its class and its size in bytes.
func foldAt(s string, i int) (folded string, class uint8, size int) {
	return foldAtWith(foldTable(), s, i)
}

// foldAtWith is foldAt with the table at hand, for loops.
func foldAtWith(table *[0x800]foldEntry, s string, i int) (folded string, class uint8, size int) {
	c := s[i]
	if c >= 0xc2 && c < 0xe0 && i+1 < len(s) && s[i+1]&0xc0 == 0x80 { // two bytes: below U+0800
		e := &table[rune(c&0x1f)<<6|rune(s[i+1]&0x3f)]
		return e.folded, e.class, 2
	}
	if c < 0x80 {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			return s[i : i+1], runeWord, 1
		case c >= 'A' && c <= 'Z':
			return asciiLower[c-'A' : c-'A'+1], runeWord, 1
		case c == '\'' || c == '`':
			return "", runeApostrophe, 1
		}
		return "", runeSeparator, 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	f, class := foldRune(r)
	return f, class, size
}

const asciiLower = "abcdefghijklmnopqrstuvwxyz"

// foldRune folds one character beyond ASCII.
func foldRune(r rune) (string, uint8) {
	switch {
	case r < 0x800:
		e := foldTable()[r]
		return e.folded, e.class
	case r >= 0x2000 && r < 0x2070: // general punctuation: common in running text
		switch {
		case r == 0x2018 || r == 0x2019:
			return "", runeApostrophe
		case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2060:
			return "", runeDropped
		}
		return "", runeSeparator
	}
	return foldSlow(r)
}

// foldEntry is the folded form of one character.
type foldEntry struct {
	folded string
	class  uint8
}

// foldTable holds the folded form of every character below U+0800 (Latin,
// Greek, Cyrillic, Armenian, Hebrew, Arabic), computed once when first
// needed and never changed.
var foldTable = sync.OnceValue(func() *[0x800]foldEntry {
	var t [0x800]foldEntry
	for r := range rune(0x800) {
		f, class := foldSlow(r)
		t[r] = foldEntry{f, class}
	}
	return &t
})

// foldSlow folds one character from first principles.
func foldSlow(r rune) (string, uint8) {
	switch r {
	case '\'', '`', 0xb4, 0x2bb, 0x2bc, 0x2018, 0x2019: // ' ` ´ ʻ ʼ ‘ ’
		return "", runeApostrophe
	case 'ـ':
		return "", runeDropped
	}
	if isFoldDropped(r) {
		return "", runeDropped
	}
	var b []byte
	for _, d := range norm.NFKD.String(string(r)) {
		switch {
		case isFoldDropped(d):
		case unicode.IsLetter(d) || unicode.IsDigit(d):
			b = append(b, foldLetter(unicode.ToLower(d))...)
		}
	}
	if len(b) == 0 {
		return "", runeSeparator
	}
	return string(b), runeWord
}

// isFoldDropped reports whether folding drops r: combining marks and
// format characters, which sit inside words.
func isFoldDropped(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me, unicode.Cf) || r == 'ـ'
}

// foldLetter unifies the lower-case letters that writers use
// interchangeably.
func foldLetter(r rune) string {
	switch r {
	// Kazakh, Uzbek, Tajik and Ukrainian Cyrillic, as their Russian
	// look-alikes.
	case 'қ':
		return "к"
	case 'ғ', 'ґ':
		return "г"
	case 'ң':
		return "н"
	case 'ө':
		return "о"
	case 'ұ', 'ү':
		return "у"
	case 'һ', 'ҳ':
		return "х"
	case 'і':
		return "и"
	case 'ә':
		return "а"
	case 'ҷ':
		return "ч"
	// Latin letters that are not a base letter with a mark.
	case 'ß':
		return "ss"
	case 'æ':
		return "ae"
	case 'œ':
		return "oe"
	case 'ø':
		return "o"
	case 'ł':
		return "l"
	case 'đ', 'ð':
		return "d"
	case 'ı':
		return "i"
	case 'ħ':
		return "h"
	case 'þ':
		return "th"
	case 'ς':
		return "σ"
	// Arabic letter variants (أ إ آ ؤ ئ lose their hamza or madda as marks).
	case 'ٱ':
		return "ا"
	case 'ى', 'ی':
		return "ي"
	case 'ة':
		return "ه"
	case 'ک':
		return "ك"
	}
	switch {
	case r >= '٠' && r <= '٩':
		return string('0' + (r - '٠'))
	case r >= '۰' && r <= '۹':
		return string('0' + (r - '۰'))
	}
	return string(r)
}

// wordScanner splits text into the words Fold gives, each with its byte
// range in the text. It also says when a word follows the previous one
// across a single apostrophe, so that search can join them: "O'zbekiston",
// "Oʻzbekiston" and "Ozbekiston" then all hold "ozbekiston".
type wordScanner struct {
	s    string
	i    int
	word []byte // the current word, folded
	// start and end give the current word's bytes in s.
	start, end int
	// joined says that the word follows the previous one across one
	// apostrophe and nothing else.
	joined bool
	// joinable says that what followed the last word was, so far, at most
	// one apostrophe.
	joinable, apostrophe bool
}

func newWordScanner(s string) wordScanner { return wordScanner{s: s} }

// reset starts scanning s, keeping the scratch space.
func (sc *wordScanner) reset(s string) {
	*sc = wordScanner{s: s, word: sc.word[:0]}
}

// next moves to the next word; false at the end of the text.
func (sc *wordScanner) next() bool {
	sc.word = sc.word[:0]
	s, i := sc.s, sc.i
	table := foldTable()
	// Skip to the start of a word.
	for i < len(s) {
		c := s[i]
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			break
		}
		_, class, size := foldAtWith(table, s, i)
		if class == runeWord {
			break
		}
		switch class {
		case runeSeparator:
			sc.joinable = false
		case runeApostrophe:
			if sc.apostrophe {
				sc.joinable = false
			}
			sc.apostrophe = true
		}
		i += size
	}
	if i >= len(s) {
		sc.i = i
		return false
	}
	sc.joined = sc.joinable && sc.apostrophe
	sc.start = i
	end := i
	for i < len(s) {
		c := s[i]
		if c < 0x80 {
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				sc.word = append(sc.word, c)
				i++
				end = i
				continue
			case c >= 'A' && c <= 'Z':
				sc.word = append(sc.word, c+'a'-'A')
				i++
				end = i
				continue
			}
		}
		f, class, size := foldAtWith(table, s, i)
		if class == runeWord {
			sc.word = append(sc.word, f...)
		} else if class != runeDropped {
			break
		}
		i += size
		if class == runeWord {
			end = i
		}
	}
	sc.end, sc.i = end, i
	sc.joinable, sc.apostrophe = true, false
	return true
}

// foldQueryWords folds a word typed in a query into the words it is
// searched as: "O'zbekiston" is one word, "ozbekiston", as the index holds
// it joined; "Darbaza–Maktaaral" is two. alts holds each word's other
// form (see uzbekO), or "".
func foldQueryWords(s string) (words, alts []string) {
	sc := newWordScanner(s)
	for sc.next() {
		alt, _ := uzbekO(s[sc.start:sc.end])
		if sc.joined && len(words) > 0 {
			words[len(words)-1] += string(sc.word)
			if alts[len(alts)-1] != "" || alt != "" {
				alts[len(alts)-1] = "" // joined forms have no other form
			}
			continue
		}
		words = append(words, string(sc.word))
		alts = append(alts, alt)
	}
	return words, alts
}

// uzbekO gives the other folded form of a word with the Uzbek letter ў,
// which stands for the sound written о in Russian as often as у: Fold
// gives "тукаев" for "Тўқаев", and search also looks for "токаев" (the
// Russian Токаев), as it also files "Тўқаев" under both.
func uzbekO(word string) (string, bool) {
	if !strings.Contains(word, "ў") && !strings.Contains(word, "Ў") {
		return "", false
	}
	return Fold(strings.NewReplacer("ў", "о", "Ў", "О").Replace(word)), true
}

// Arabic clitic prefixes, folded.
const (
	arWaw  = "و" // and
	arFa   = "ف" // so
	arBa   = "ب" // with, by
	arLam  = "ل" // for, to
	arAl   = "ال"
	arLiAl = "لل" // ل before ال, which loses its alif
)

// appendStems appends to dst the forms of the folded word w without its
// Arabic clitic prefixes و ف, then ب ل, then ال, as search also finds it:
// "والرئيس" gives "الرئيس" and "رئيس"; "للرئيس" gives "الرئيس" and "رئيس".
// What remains always has at least three letters (two after ال).
func appendStems(dst []string, w string) []string {
	if len(w) < 8 || w[0] != 0xd8 && w[0] != 0xd9 { // four Arabic letters
		return dst
	}
	letters := utf8.RuneCountInString(w)
	s := w
	strip := func(prefix string, n, min int) bool {
		if len(s) >= len(prefix) && s[:len(prefix)] == prefix && letters-n >= min {
			s, letters = s[len(prefix):], letters-n
			return true
		}
		return false
	}
	if strip(arWaw, 1, 3) || strip(arFa, 1, 3) {
		dst = append(dst, s)
	}
	if strip(arLiAl, 2, 2) {
		return append(dst, arAl+s, s)
	}
	if strip(arBa, 1, 3) || strip(arLam, 1, 3) {
		dst = append(dst, s)
	}
	if strip(arAl, 2, 2) {
		dst = append(dst, s)
	}
	return dst
}
