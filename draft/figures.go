package draft

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Figure is a key figure copied exactly as the article writes it, with a
// label and period worked out from the words around it.
type Figure struct {
	Label    string
	Value    string // as written: "almost $1.4 billion", "4,97 млрд долларов"
	Period   string // the period the sentence gives, as written ("2024", "с начала года")
	Evidence Evidence
}

// The figure grammar. A number is digits with decimal or thousands marks
// ("1.4", "4,97", "1 200" is not one: a space ends a number). Money needs a
// currency (a sign, a code or a word); volumes need a unit; percentages a
// percent sign or word.
const (
	num      = `\d+(?:[.,]\d+)*`
	scale    = `(?:trillion|billion|million|thousand|bn|mn|mln|mlrd|трлн|млрд|млн|тыс\.?|миллиард\p{L}*|миллион\p{L}*|milliard\p{L}*|million\p{L}*|مليار\p{L}*|مليون|ملايين|ملرد)`
	currency = `(?:US dollars|U\.S\. dollars|dollars|dollar\p{L}*|USD|долларов США|доллар\p{L}*|долл\.|AQSh dollar\p{L}*|euros?|евро|EUR|tenge|тенге|теңге|сум\p{L}*|so[‘'ʻ]?m|сом\p{L}*|somoni|рубл\p{L}*|yuan|юан\p{L}*|دولار\p{L}*|يورو)`
	unit     = `(?:km|kilomet\p{L}*|километр\p{L}*|шақырым|тонн\p{L}*|tonnes?|tons?|tonna\p{L}*|cubic met\p{L}*|кубометр\p{L}*|куб\. м|barrels?|баррел\p{L}*|MW|мегаватт\p{L}*|megavat\p{L}*|kWh|кВт\p{L}*)`
	percent  = `(?:%|percent|per cent|процент\p{L}*|пайыз\p{L}*|foiz\p{L}*|фоиз\p{L}*|بالمئة|في المئة|بالمائة)`
)

var figurePatterns = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		// $1.4 billion, $156mn, US$ 3 bn, $4 млрд
		regexp.MustCompile(`(?i)(?:US)?\$\s?` + num + `(?:\s?` + scale + `)?`),
		// USD 550 mln, EUR 10 million
		regexp.MustCompile(`(?i)(?:USD|EUR|€)\s?` + num + `(?:\s?` + scale + `)?`),
		// 4,97 млрд долларов, 156 مليون دولار, 900 million dollar, 10 млрд долларов США
		regexp.MustCompile(`(?i)` + num + `\s?(?:` + scale + `\s?)?` + currency),
		// مليار دولار: "a billion dollars" written without a digit
		regexp.MustCompile(`(?:مليار|ملياري)\s` + `دولار\p{L}*`),
		// 28%, 11,4 процента, 35 фоизга
		regexp.MustCompile(`(?i)` + num + `\s?` + percent),
		// 970 километров, 2 million tonnes
		regexp.MustCompile(`(?i)` + num + `\s?(?:` + scale + `\s?)?` + unit),
	}
})

// qualifiers() stand before a figure and are part of it as written
// ("almost $1.4 billion", "свыше $8 млрд", "حوالي مليار دولار"), folded.
var qualifiers = sync.OnceValue(func() []string {
	return foldAll([]string{
		"almost", "nearly", "about", "approximately", "around", "over", "more than", "some", "roughly", "up to",
		"почти", "около", "более", "свыше", "порядка", "примерно", "шамамен", "qariyb", "deyarli", "taxminan", "тахминан", "қарийб",
		"حوالي", "نحو", "أكثر من", "ما يقرب من",
	})
})

// withQualifier extends a figure's start back over a qualifier that
// stands right before it.
func withQualifier(s string, start int) int {
	toks := tokenize(s[:start])
	var words []token
	for i := len(toks) - 1; i >= 0 && len(words) < 3; i-- {
		if toks[i].kind != tokWord {
			break
		}
		words = append([]token{toks[i]}, words...)
	}
	best := start
	for n := 1; n <= len(words); n++ {
		ws := words[len(words)-n:]
		var parts []string
		for _, w := range ws {
			parts = append(parts, w.fold)
		}
		phrase := strings.Join(parts, " ")
		for _, q := range qualifiers() {
			if phrase == q {
				best = ws[0].start
			}
		}
	}
	return best
}

// topics name what a figure measures, by a word before it in the
// sentence (folded stems), in the order they are tried.
var figureTopics = sync.OnceValue(func() []figureTopic {
	return foldTopics([]figureTopic{
		{"Mutual trade", []string{"mutual trade", "взаимн торгов", "взаимного товарооборот", "o zaro savdo", "ozaro savdo", "ozaro tovar", "өзара сауда", "التجاره المتبادله"}},
		{"Trade turnover", []string{"trade turnover", "товарооборот", "tovar aylanmasi", "savdo aylanmasi", "tovar ayirboshlash", "товар аирбошлаш", "тауар аиналым", "соода жүгүртүү", "التبادل التجاري"}},
		{"Exports", []string{"export", "экспорт", "eksport", "صادرات"}},
		{"Imports", []string{"import", "импорт", "واردات"}},
		{"Trade", []string{"trade", "торгов", "savdo", "сауда", "التجاره", "التجاري"}},
		{"Investment", []string{"investment", "инвестиц", "investitsiya", "استثمار"}},
		{"Joint projects", []string{"project", "проект", "loyiha", "жоба", "долбоор", "مشروع", "مشاريع", "portfolio", "портфел"}},
		{"Border length", []string{"border", "границ", "шекара", "chegara", "чек ара", "الحدود"}},
	})
})

type figureTopic struct {
	label string
	stems []string
}

func foldTopics(ts []figureTopic) []figureTopic {
	for i := range ts {
		ts[i].stems = foldAll(ts[i].stems)
	}
	return ts
}

var targetWords = sync.OnceValue(func() []string {
	return foldAll([]string{"target", "to increase", "to bring", "to raise", "to elevate", "aim", "goal", "довести", "доведени", "увеличить", "нарастить", "достижение", "yetkazish", "жеткізу", "زياده", "الى"})
})

var growthWords = sync.OnceValue(func() []string {
	return foldAll([]string{"increase", "grew", "growth", "up by", "more than", "рост", "вырос", "увелич", "превышает", "ortdi", "o sdi", "osdi", "ko paydi", "өсті", "өсіп", "ارتف", "زاد", "بنسبه"})
})

// periodPattern() finds the period a sentence gives a figure: a year, a
// span of months, "since the start of the year", "last year".
var periodPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b(?:19|20)\d\d\b(?:[-\s]?(?:года|году|год|yil\p{L}*|йил\p{L}*|жыл\p{L}*))?|(?i:с начала года|since the start of the year|since the beginning of the year|last year|в прошлом году|прошлого года|өткен жыл\p{L}*|o[‘']tgan yil\p{L}*|العام الماضي|العام الحالي)`)
})

var percentPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)` + percent) })

// Figures finds the money, percentages and volumes in the article's prose,
// each exactly as written, never a date, a year, a counter or a ticker
// (those lines are chrome, not prose).
func Figures(t *Text, sents []Sentence) []Figure {
	var out []Figure
	seen := map[string]bool{}
	for _, s := range sents {
		if s.Para < 0 {
			continue // headlines repeat the article's figures, rounded
		}
		if !strings.ContainsAny(s.Text, "0123456789") && !strings.Contains(s.Text, "مليار") {
			continue
		}
		dates := Dates(s.Text)
		var spans [][2]int
		for _, re := range figurePatterns() {
			for _, loc := range re.FindAllStringIndex(s.Text, -1) {
				if overlaps(spans, loc) || insideDate(dates, loc) || letterFollows(s.Text, loc[1]) {
					continue
				}
				spans = append(spans, [2]int{withQualifier(s.Text, loc[0]), loc[1]})
			}
		}
		sortSpans(spans)
		for _, sp := range spans {
			value := strings.TrimSpace(strings.TrimRight(s.Text[sp[0]:sp[1]], ".,;:"))
			key := foldWordsOf(value)
			if seen[key] {
				continue
			}
			seen[key] = true
			label, period := figureLabel(s.Text, sp[0], sp[1], value)
			out = append(out, Figure{Label: label, Value: value, Period: period, Evidence: Evidence{File: t.File, Line: s.Line, Text: s.Text}})
		}
	}
	return out
}

// letterFollows reports whether a match runs into a word ("$5 ملرد-قا"
// ends at the hyphen; "10 kmph" is no figure).
func letterFollows(s string, end int) bool {
	r, _ := utf8.DecodeRuneInString(s[end:])
	return unicode.IsLetter(r)
}

func overlaps(spans [][2]int, loc []int) bool {
	for _, s := range spans {
		if loc[0] < s[1] && loc[1] > s[0] {
			return true
		}
	}
	return false
}

func insideDate(ds []Mention, loc []int) bool {
	for _, d := range ds {
		if d.IsDate() && loc[0] >= d.Start && loc[0] < d.End {
			return true
		}
	}
	return false
}

func sortSpans(s [][2]int) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j][0] < s[j-1][0]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// figureLabel names a figure from the words of its clause: what it
// measures, whether it is a target or a growth, and the period.
func figureLabel(sentence string, start, end int, value string) (label, period string) {
	// The clause: from the last clause break before the figure to the next
	// one after it.
	from := strings.LastIndexAny(sentence[:start], ";") + 1
	if i := strings.LastIndex(sentence[:start], ", "); i >= 0 && start-i > 60 {
		from = max(from, i+2)
	}
	to := len(sentence)
	if j := strings.IndexAny(sentence[end:], ";"); j >= 0 {
		to = end + j
	}
	clause := sentence[from:to]
	before := " " + foldWordsOf(sentence[from:start]) + " "
	whole := " " + foldWordsOf(clause) + " "
	// What the figure measures: named in its clause, or else earlier in
	// the sentence ("товарооборот ... достиг $4 млрд, стороны договорились
	// увеличить показатель до $10 млрд").
	topic := findTopic(whole)
	if topic == "" {
		topic = findTopic(" " + foldWordsOf(sentence[:start]) + " ")
	}
	isPercent := percentPattern().MatchString(value)
	switch {
	case isPercent && containsStem(before, growthWords()):
		if topic == "" {
			label = "Growth"
		} else {
			label = "Growth of " + strings.ToLower(topic[:1]) + topic[1:]
		}
	case containsStem(before, targetWords()) && !isPercent:
		if topic == "" {
			label = "Target"
		} else {
			label = topic + " target"
		}
	case topic != "":
		label = topic
	default:
		label = "Figure"
	}
	for _, m := range periodPattern().FindAllStringIndex(clause, -1) {
		p := strings.TrimSpace(clause[m[0]:m[1]])
		abs := from + m[0]
		if abs >= start && abs < end {
			continue // part of the figure itself
		}
		period = p
		break
	}
	if period != "" {
		label += ", " + period
	}
	return label, period
}

func findTopic(padded string) string {
	for _, tp := range figureTopics() {
		for _, st := range tp.stems {
			if hasPhrase(padded, st, true) {
				return tp.label
			}
		}
	}
	return ""
}

func containsStem(folded string, stems []string) bool {
	for _, s := range stems {
		if hasPhrase(folded, s, true) {
			return true
		}
	}
	return false
}
