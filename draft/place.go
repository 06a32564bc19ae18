package draft

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// place is one entry of the gazetteer(): a place's English name, the
// country it lies in ("" for a country), and its spellings, folded.
type place struct {
	name, country string
	venue         bool // a residence or palace: named, it places the event
	forms         [][]string
}

var gazetteer = sync.OnceValue(func() []place {
	var out []place
	add := func(name, country string, venue bool, forms ...string) {
		p := place{name: name, country: country, venue: venue}
		for _, f := range forms {
			p.forms = append(p.forms, strings.Fields(foldWordsOf(f)))
		}
		out = append(out, p)
	}
	add("Kazakhstan", "", false, "Kazakhstan", "Казахстан", "Қазақстан", "Qozog‘iston", "Қозоғистон", "Казакстан", "كازاخستان", "قازاقستان")
	add("Uzbekistan", "", false, "Uzbekistan", "Узбекистан", "Өзбекстан", "O‘zbekiston", "Ўзбекистон", "أوزبكستان", "Озбекстан")
	add("Kyrgyzstan", "", false, "Kyrgyzstan", "Кыргызстан", "Киргизия", "Киргизию", "Киргизии", "Қырғызстан", "Qirg‘iziston", "Қирғизистон", "قيرغيزستان", "قرغيزستان")
	add("Tajikistan", "", false, "Tajikistan", "Таджикистан", "Тәжікстан", "Tojikiston", "Тожикистон", "Тажикстан", "طاجيكستان")
	add("Turkmenistan", "", false, "Turkmenistan", "Туркменистан", "Түрікменстан", "Turkmaniston", "Туркманистон", "Түркмөнстан", "تركمانستان")
	add("Russia", "", false, "Russia", "Россия", "России", "Ресей", "Rossiya", "Орусия", "روسيا")
	add("Azerbaijan", "", false, "Azerbaijan", "Азербайджан", "Әзербайжан", "Ozarbayjon", "أذربيجان")
	add("China", "", false, "China", "Китай", "Қытай", "Xitoy", "Кытай", "الصين")
	add("Astana", "Kazakhstan", false, "Astana", "Астана", "Астану", "Астане", "Ostona", "Остона", "Nur-Sultan", "Нур-Султан", "Нұр-Сұлтан", "Nursulton", "أستانا", "نور سلطان", "Kazakh capital", "столице Казахстана", "столица Казахстана", "Қазақстан астанасы")
	add("Astana", "Kazakhstan", true, "Akorda", "Акорда", "Акорде", "Ақорда", "Oqo‘rda")
	add("Almaty", "Kazakhstan", false, "Almaty", "Алматы", "Алма-Ата", "Olmaota", "Алмати", "ألماتي")
	add("Tashkent", "Uzbekistan", false, "Tashkent", "Ташкент", "Toshkent", "Тошкент", "طشقند", "Uzbek capital", "столице Узбекистана", "O‘zbekiston poytaxti")
	add("Tashkent", "Uzbekistan", true, "Kuksaroy", "Kuksaray", "Куксарой", "Кўксарой", "Ko‘ksaroy", "Көксарай")
	add("Samarkand", "Uzbekistan", false, "Samarkand", "Самарканд", "Samarqand", "Самарқанд", "سمرقند")
	add("Khiva", "Uzbekistan", false, "Khiva", "Хива", "Xiva", "Хиуа")
	add("Bishkek", "Kyrgyzstan", false, "Bishkek", "Бишкек", "Бішкек", "بيشكك")
	add("Bishkek", "Kyrgyzstan", true, "Ala-Archa", "Ала-Арча", "Ынтымак-Ордо", "Yntymak-Ordo", "Ынтымак Ордо")
	add("Cholpon-Ata", "Kyrgyzstan", false, "Cholpon-Ata", "Чолпон-Ата", "Чолпон-Атa")
	add("Dushanbe", "Tajikistan", false, "Dushanbe", "Душанбе", "دوشنبه")
	add("Khujand", "Tajikistan", false, "Khujand", "Худжанд", "Хужанд", "Хұжанд", "Xo‘jand")
	add("Ashgabat", "Turkmenistan", false, "Ashgabat", "Ashkhabad", "Ашхабад", "Ашгабат", "Ashxobod", "Ашхобод", "عشق أباد")
	add("Avaza", "Turkmenistan", false, "Avaza", "Аваза")
	add("Turkmenbashi", "Turkmenistan", false, "Turkmenbashi", "Туркменбаши", "Түркмөнбашы", "Turkmanboshi")
	add("Moscow", "Russia", false, "Moscow", "Москва", "Москве", "Москву", "Мәскеу", "Moskva", "موسكو")
	add("Baku", "Azerbaijan", false, "Baku", "Баку", "Boku", "باكو")
	add("Beijing", "China", false, "Beijing", "Пекин", "Бейжің", "Pekin", "بكين")
	add("New York", "", false, "New York", "Нью-Йорк", "Nyu-York", "نيويورك")
	return out
})

// eventNouns() stand near the place where an event happened, folded stems.
var eventNouns = sync.OnceValue(func() []string {
	return foldAll([]string{
		"visit", "talks", "negotiations", "meeting", "summit", "held", "hosted", "arrived", "ceremony", "took place", "council",
		"визит", "переговор", "встреч", "саммит", "прошл", "состоял", "прибыл", "церемони", "заседани", "совет",
		"сапар", "келіссөз", "кездесу", "өтті", "келді", "барды",
		"сүилөшүү", "жолугушуу", "келет", "келген",
		"tashrif", "muzokara", "uchrashuv", "keldi", "sammit", "otdi", "ташриф", "музокара", "учрашув",
		"زياره", "محادثات", "اجتماع", "قمه", "وصل", "زار",
	})
})

// Place is where the event happened as the text says it.
type Place struct {
	Name     string // in English
	Written  string // as the text has it
	Country  string // the country the place lies in ("" for a country)
	Evidence Evidence
	Sure     bool
	Why      string
}

// placeMention is one gazetteer() place found in a sentence.
type placeMention struct {
	p          *place
	start, end int
	strong     bool // next to a word for the event, or a venue
	sentence   Sentence
}

// FindPlace picks where the event happened: a venue the text names, or a
// place next to a word for the event ("talks in Tashkent", "сапармен
// Ташкентке", "visit to Turkmenistan"), never a dateline, a caption, or an
// earlier event's place. A country gives way to a city of it that the
// text or the dateline names. A phone call or a statement has no place.
func FindPlace(t *Text, sents []Sentence, kind string, announced bool) (Place, bool) {
	if kind == "call" || kind == "statement" {
		return Place{}, false
	}
	var found []placeMention
	var dateline *placeMention
	for _, s := range sents {
		for _, pm := range findPlaces(s.Text) {
			pm.sentence = s
			if s.Dateline > 0 && pm.start < s.Dateline {
				if dateline == nil {
					d := pm
					dateline = &d
				}
				continue
			}
			if s.Past || otherEventSentence(s) || (s.Future && !announced) {
				continue
			}
			if pm.p.country == "" && !pm.p.venue && !countryCue(s.Text, pm) {
				continue // "President of Kazakhstan", "Қазақстан Президенті"
			}
			pm.strong = pm.p.venue || nearEventWord(s.Text, pm.start, pm.end)
			if pm.strong {
				found = append(found, pm)
			}
		}
	}
	if len(found) == 0 {
		return Place{}, false
	}
	best := found[0]
	for _, f := range found {
		if f.p.venue && !best.p.venue && (best.p.country == "" || best.p.country == f.p.country || best.p.name == f.p.country) {
			best = f
			break
		}
	}
	ev := Evidence{File: t.File, Line: best.sentence.Line, Text: best.sentence.Text[best.start:best.end]}
	pl := Place{Name: best.p.name, Written: ev.Text, Country: best.p.country, Evidence: ev}
	if best.p.country == "" {
		// A country: a city of it named elsewhere, or the dateline's city,
		// says more.
		for _, f := range found {
			if f.p.country == best.p.name {
				return Place{Name: f.p.name, Written: best.sentence.Text[f.start:f.end], Country: f.p.country,
					Evidence: Evidence{File: t.File, Line: f.sentence.Line, Text: f.sentence.Text[f.start:f.end]},
					Why:      "the text names the country; this city of it is named too"}, true
			}
		}
		if dateline != nil && dateline.p.country == best.p.name {
			return Place{Name: dateline.p.name, Written: dateline.sentence.Text[dateline.start:dateline.end], Country: best.p.name,
				Evidence: Evidence{File: t.File, Line: dateline.sentence.Line, Text: dateline.sentence.Text[dateline.start:dateline.end]},
				Why:      "the text names only the country (" + best.p.name + "); the city is the report's dateline"}, true
		}
		pl.Why = "the text names only the country"
		return pl, true
	}
	pl.Sure = best.sentence.Para <= 1
	if !pl.Sure {
		pl.Why = "named after the article's opening"
	}
	return pl, true
}

// countryCue reports whether a country is named as where something
// happens: after "in", "to", "в", "في", "إلى", or with a Turkic dative or
// locative ending ("Кыргызстанга", "O‘zbekistonga", "Қазақстанда").
func countryCue(s string, pm placeMention) bool {
	before := tokenize(s[:pm.start])
	for i := len(before) - 1; i >= 0; i-- {
		if before[i].kind != tokWord {
			continue
		}
		switch before[i].fold {
		case "in", "to", "into", "across", "в", "во", "по", "في", "الى", "داخل":
			return true
		}
		break
	}
	word := tokenize(s[pm.start:pm.end])
	last := word[len(word)-1].fold
	for _, form := range pm.p.forms {
		k := form[len(form)-1]
		if strings.HasPrefix(last, k) {
			switch strings.TrimPrefix(last, k) {
			case "ga", "ka", "qa", "da", "ta", "de", "te", "ға", "ге", "қа", "ке", "га", "ка", "да", "де", "та", "те", "dagi", "даги", "дағы", "дегі", "тағы", "тегі", "ко", "го":
				return true
			}
		}
	}
	return false
}

// gazetteerIndex() finds the forms whose first word starts like a word of
// the text: its first three letters (or Arabic's, after a preposition).
var gazetteerIndex = sync.OnceValue(func() map[string][]formRef {
	idx := map[string][]formRef{}
	for pi, p := range gazetteer() {
		for fi, f := range p.forms {
			k := indexKey(f[0])
			idx[k] = append(idx[k], formRef{pi, fi})
			for _, c := range []string{"و", "ب", "ل", "ف"} { // "بطشقند"
				k := indexKey(c + f[0])
				idx[k] = append(idx[k], formRef{pi, fi})
			}
		}
	}
	return idx
})

type formRef struct{ place, form int }

func indexKey(w string) string {
	r := []rune(w)
	return string(r[:min(3, len(r))])
}

// findPlaces finds gazetteer() places in a sentence.
func findPlaces(s string) []placeMention {
	toks := tokenize(s)
	var words []token
	for _, t := range toks {
		if t.kind == tokWord {
			words = append(words, t)
		}
	}
	var out []placeMention
	for i := 0; i < len(words); i++ {
		var best *place
		bestLen := 0
		for _, ref := range gazetteerIndex()[indexKey(words[i].fold)] {
			p := &gazetteer()[ref.place]
			{
				form := p.forms[ref.form]
				if len(form) <= bestLen || i+len(form) > len(words) {
					continue
				}
				ok := true
				for j, fw := range form {
					if !placeWordMatches(words[i+j].fold, fw) {
						ok = false
						break
					}
				}
				if ok {
					best, bestLen = p, len(form)
				}
			}
		}
		if best != nil {
			out = append(out, placeMention{p: best, start: words[i].start, end: words[i+bestLen-1].end})
			i += bestLen - 1
		}
	}
	return out
}

// placeWordMatches allows case endings on place names ("Ташкентте",
// "Toshkentga", "Бишкектеги", "Киргизии") and Arabic's attached
// prepositions.
func placeWordMatches(w, k string) bool {
	if w == k {
		return true
	}
	kn := utf8.RuneCountInString(k)
	if kn >= 4 && strings.HasPrefix(w, k) && utf8.RuneCountInString(w)-kn <= 4 {
		return true
	}
	// Russian declension changes the last letter: "Астане", "Москве".
	if kn >= 5 {
		kr := []rune(k)
		stem := string(kr[:kn-1])
		if strings.HasPrefix(w, stem) && utf8.RuneCountInString(w)-(kn-1) <= 2 && (kr[kn-1] == 'а' || kr[kn-1] == 'я') {
			return true
		}
	}
	for _, c := range []string{"و", "ب", "ل", "ف"} {
		if strings.HasPrefix(w, c) && w[len(c):] == k {
			return true
		}
	}
	return false
}

// nearEventWord reports whether a word for the event stands within four
// words of the place, before it ("visit to", "talks in") or, in Turkic
// word order, after it ("Ташкентке мемлекеттік сапармен").
func nearEventWord(s string, start, end int) bool {
	before := tokenize(s[:start])
	after := tokenize(s[end:])
	window := func(toks []token, fromEnd bool, n int) []string {
		var ws []string
		for i := range toks {
			j := i
			if fromEnd {
				j = len(toks) - 1 - i
			}
			if toks[j].kind == tokWord {
				ws = append(ws, toks[j].fold)
				if len(ws) == n {
					break
				}
			}
		}
		return ws
	}
	b := window(before, true, 7)
	// "посол Казахстана в Узбекистане": an envoy's posting, not the event.
	for i, w := range b {
		if i < 4 && isEnvoyWord(w) {
			return false
		}
	}
	for _, w := range b {
		if isEventWord(w) {
			return true
		}
	}
	for _, w := range window(after, false, 5) {
		if isEventWord(w) {
			return true
		}
	}
	return false
}

// isEnvoyWord reports an ambassador's title, folded.
func isEnvoyWord(w string) bool {
	for _, p := range []string{"ambassador", "envoy", "посол", "послом", "посла", "елші", "elchi", "элчи", "السفير", "سفير"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

func isEventWord(w string) bool {
	for _, fn := range eventNouns() {
		if w == fn || (utf8.RuneCountInString(fn) >= 4 && strings.HasPrefix(w, fn)) {
			return true
		}
	}
	return false
}
