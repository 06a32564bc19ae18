package draft

import (
	"strings"
	"unicode"
)

// Language guesses an article's language from its prose: the script, the
// letters only one Cyrillic alphabet has, and common words. It gives a code
// the format's sources take (en, ru, kk, ky, uz, ar) and how sure it is; ""
// when the text gives too little to tell.
func Language(t *Text) (code string, sure bool) {
	var latin, cyrillic, arabic int
	var kk, ky, uzc int // letters particular to Kazakh, Kyrgyz, Uzbek Cyrillic
	var b strings.Builder
	for _, p := range t.Paragraphs() {
		for _, l := range p.Lines {
			b.WriteString(l.Text)
			b.WriteByte(' ')
		}
	}
	text := b.String()
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
			switch unicode.ToLower(r) {
			case 'ә', 'ғ', 'қ', 'ұ', 'і', 'һ':
				kk++
			case 'ң', 'ө', 'ү':
				ky++ // Kazakh has them too
			case 'ў', 'ҳ':
				uzc++
			}
		case unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	total := latin + cyrillic + arabic
	if total < 20 {
		return "", false
	}
	switch {
	case arabic*2 > total:
		// Kazakh in Arabic script has letters Arabic itself lacks.
		if strings.ContainsAny(text, "ۇۋڭٴ") {
			return "kk", false
		}
		return "ar", true
	case cyrillic*2 > total:
		switch {
		case uzc*200 > cyrillic:
			return "uz", true
		case kk*100 > cyrillic:
			return "kk", true
		case ky*100 > cyrillic:
			return "ky", true
		}
		return "ru", true
	}
	words := strings.Fields(strings.ToLower(text))
	uz, en := 0, 0
	for _, w := range words {
		w = strings.Trim(w, ".,;:!?\"“”«»()")
		switch w {
		case "va", "bilan", "kuni", "bu", "haqida", "qildi", "uchun", "o‘zbekiston", "o'zbekiston", "oʻzbekiston", "ham", "esa":
			uz++
		case "the", "and", "of", "to", "in", "with", "on", "for", "was", "is":
			en++
		}
	}
	switch {
	case uz > en:
		return "uz", uz >= 3
	case en > 0:
		return "en", en >= 5
	}
	return "", false
}
