package draft

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Sentence is one sentence of the article's prose, or its headline, with
// what the later steps need to know of its context.
type Sentence struct {
	Line  int    // the file's line number
	Para  int    // paragraph index; -1 for the headline
	Text  string // the sentence
	Start int    // byte offset of the sentence in its line
	// Past is set for a sentence about an earlier event ("Earlier, on 21
	// February, ...", "Ранее", "Еске сала кетсек"); Greeting for one that
	// only passes on greetings ("extended greetings from ...").
	Past, Greeting bool
	// Future is set for a sentence about what is still to come ("will",
	// "upcoming", "алдағы", "المقبل").
	Future bool
	// Quote is set for a sentence inside quotation marks or a speech
	// paragraph starting with a dash.
	Quote bool
	// fold is the sentence folded word by word, padded with spaces.
	fold string
	// Dateline is the byte length of the dateline at the start of the
	// article's first sentence ("ASTANA, Kazakhstan, July 24."), else 0.
	Dateline int
}

// pastMarkers() open or mark sentences about earlier events, folded.
var pastMarkers = sync.OnceValue(func() []string {
	return foldAll([]string{
		"earlier", "previously", "last year", "recall that", "it is worth recalling",
		"ранее", "напомним", "в прошлом году", "до этого",
		"еске сала", "бұған деиін", "өткен жылы", "өткен жылдың",
		"eslatib otamiz", "avvalroq", "otgan yili", "эслатиб утамиз", "аввалроқ", "утган иили",
		"эске сала", "мурда",
		"سابق", "العام الماضي", "وكان قد", "سبق ان",
	})
})

// greetingMarkers() mark sentences that only pass on greetings.
var greetingMarkers = sync.OnceValue(func() []string {
	return foldAll([]string{
		"greetings from", "wishes to", "regards to", "передал привет", "передала привет", "приветствие от",
		"сәлемін", "salomini", "саломини", "تحيات",
	})
})

// Sentences splits the headline and prose into sentences and marks their
// context.
func (t *Text) Sentences() []Sentence {
	var out []Sentence
	if title, n := t.Title(); title != "" {
		out = append(out, Sentence{Line: n, Para: -1, Text: title, fold: " " + foldWordsOf(title) + " "})
	}
	for _, p := range t.Paragraphs() {
		for _, l := range p.Lines {
			quotePara := strings.HasPrefix(l.Text, "—") || strings.HasPrefix(l.Text, "– ") || strings.HasPrefix(l.Text, "- ")
			pastPara := false // a paragraph that opens on an earlier event stays on it
			for _, s := range splitSentences(l.Text) {
				sent := Sentence{Line: l.N, Para: p.Index, Text: l.Text[s[0]:s[1]], Start: s[0], Quote: quotePara}
				sent.fold = " " + foldWordsOf(sent.Text) + " "
				for _, m := range pastMarkers() {
					if hasPhrase(sent.fold, m, false) {
						sent.Past = true
					}
				}
				if pastPara {
					sent.Past = true
				}
				pastPara = sent.Past
				sent.Future = hasMarker(sent.fold, futureMarkers())
				for _, m := range greetingMarkers() {
					if hasPhrase(sent.fold, m, true) {
						sent.Greeting = true
					}
				}
				r, _ := utf8.DecodeRuneInString(sent.Text)
				if r == '“' || r == '"' || r == '«' {
					sent.Quote = true
				}
				if len(out) == 0 || (p.Index == 0 && s[0] == 0) {
					sent.Dateline = datelineLength(sent.Text)
				}
				out = append(out, sent)
			}
		}
	}
	return out
}

// splitSentences gives the byte spans of a line's sentences. A full stop
// ends a sentence when a capital letter (or a quote, or a non-Latin
// script letter) follows, and it is not the point of an abbreviation such
// as "Aug." or "т. г.".
func splitSentences(s string) [][2]int {
	var out [][2]int
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r != '.' && r != '!' && r != '?' && r != '؟' && r != '…' {
			continue
		}
		j := i
		for j < len(s) && (s[j] == '"' || strings.HasPrefix(s[j:], "”") || strings.HasPrefix(s[j:], "»")) {
			_, sz := utf8.DecodeRuneInString(s[j:])
			j += sz
		}
		if j >= len(s) || s[j] != ' ' {
			continue
		}
		k := j
		for k < len(s) && s[k] == ' ' {
			k++
		}
		if k >= len(s) {
			break
		}
		next, _ := utf8.DecodeRuneInString(s[k:])
		if !(unicode.IsUpper(next) || next == '“' || next == '"' || next == '«' || unicode.Is(unicode.Arabic, next) || next == '—') {
			continue
		}
		if r == '.' && isAbbreviation(s[start:i-1]) {
			continue
		}
		out = append(out, [2]int{start, j})
		start = k
		i = k
	}
	if start < len(s) {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}

// isAbbreviation reports whether the text before a full stop ends with a
// word that abbreviates: a short capitalised word ("Aug", "Dr", "Sh") or
// a single letter.
func isAbbreviation(before string) bool {
	i := strings.LastIndexAny(before, " (")
	w := before[i+1:]
	n := utf8.RuneCountInString(w)
	if n == 0 || n > 4 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w)
	return n == 1 || (unicode.IsUpper(r) && n <= 4 && monthOf(foldWord(w)) > 0) || w == "Mr" || w == "Dr" || w == "Mrs" || w == "St" || w == "Jr"
}

// datelineLength finds an agency dateline at the start of a sentence:
// "ASTANA, Kazakhstan, July 24.", "ТАШКЕНТ, 14 ноября — Sputnik.",
// "TASHKENT. KAZINFORM –", "Astana, The Gulf Observer:",
// "(MENAFN- Trend News Agency) ASTANA, ...", "ТАШКЕНТ /Trend/ -". It
// gives the dateline's length in bytes, or 0.
func datelineLength(s string) int {
	off := 0
	if strings.HasPrefix(s, "(") {
		if j := strings.IndexByte(s, ')'); j > 0 && j < 60 {
			off = j + 1
			for off < len(s) && s[off] == ' ' {
				off++
			}
		}
	}
	rest := s[off:]
	// The dateline's city: a word in capitals, or a capitalised word
	// followed by a comma and an outlet.
	end := strings.IndexAny(rest, ",./–—-:")
	if end <= 0 || end > 30 {
		return 0
	}
	city := strings.TrimSpace(rest[:end])
	upper := mostlyUpper(city)
	if city == "" || strings.Contains(city, " ") && !upper {
		return 0
	}
	if !upper {
		// "Astana, The Gulf Observer:": a place name and an outlet, then a colon.
		colon := strings.Index(rest, ":")
		if colon < 0 || colon > 60 {
			return 0
		}
		return off + colon + 1
	}
	// Up to the first sentence end or agency dash within the first 80
	// bytes: "ASTANA, Kazakhstan, July 24." or "TOShKENT, 28 okt — Sputnik."
	limit := min(len(rest), 90)
	for _, sep := range []string{"Sputnik.", "KAZINFORM –", "KAZINFORM —", "/Trend/ -", "/Trend/ –", " – ", " — ", ". "} {
		if j := strings.Index(rest[:limit], sep); j > 0 {
			return off + j + len(sep)
		}
	}
	// A dateline that is a whole sentence: "ASTANA, Kazakhstan, July 24."
	if len(rest) <= 90 && strings.HasSuffix(rest, ".") {
		return len(s)
	}
	return off + end
}

// mostlyUpper reports whether most letters of s are capitals ("ASTANA",
// "TOShKENT").
func mostlyUpper(s string) bool {
	up, all := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			all++
			if unicode.IsUpper(r) {
				up++
			}
		}
	}
	return all >= 3 && up*10 >= all*7
}
