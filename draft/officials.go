package draft

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/brief-tools/brief/store"
)

// Person is someone the article names as taking part in the event.
type Person struct {
	// Official is the registry's entry, nil for someone it does not know.
	Official *store.Official
	// Written is the name as the article first writes it (inflected as
	// the text has it: "Шавкатом Мирзиёевым").
	Written  string
	Evidence []Evidence
	// Sure is set when the person is named in the article's opening, in a
	// sentence about the event.
	Sure bool
	// Why says why an unsure person was kept, or why a named person was
	// left out (for --format json).
	Why string
}

// Name gives what a briefing's officials list should say: the registry id,
// or the name as written.
func (p Person) Name() string {
	if p.Official != nil {
		return p.Official.ID
	}
	return p.Written
}

// Matcher finds registry officials in text under every spelling the
// registry lists, folded as the store folds names, allowing the case
// endings of the region's languages ("Мирзиёевым", "Тоқаевтың",
// "Toqayevni") and Arabic's attached prepositions ("بسايدوف").
type Matcher struct {
	byFirst map[string][]nameKey // keyed by the folded first word
	stems   []string             // first words, for prefix matching
}

type nameKey struct {
	words     []string
	officials []*store.Official
}

// NewMatcher indexes a registry's names.
func NewMatcher(reg *store.Registry) *Matcher {
	m := &Matcher{byFirst: map[string][]nameKey{}}
	index := map[string]int{} // whole folded key -> position in byFirst[first]
	for _, o := range reg.Officials() {
		seen := map[string]bool{}
		for _, name := range append([]string{o.Name}, o.Aliases...) {
			words := strings.Fields(foldWordsOf(name))
			if len(words) == 0 {
				continue
			}
			key := strings.Join(words, " ")
			if seen[key] {
				continue
			}
			seen[key] = true
			if i, ok := index[key]; ok {
				k := &m.byFirst[words[0]][i]
				k.officials = append(k.officials, o)
				continue
			}
			index[key] = len(m.byFirst[words[0]])
			m.byFirst[words[0]] = append(m.byFirst[words[0]], nameKey{words: words, officials: []*store.Official{o}})
		}
	}
	for w := range m.byFirst {
		m.stems = append(m.stems, w)
	}
	sort.Strings(m.stems)
	return m
}

// arabicClitics may be written joined to a name: and, with, to, so, like.
var arabicClitics = []string{"و", "ب", "ل", "ف", "ك", "وب", "ول"}

// wordMatches reports whether a folded word of the text is the folded
// name word k, allowing a case ending of up to four letters on words of
// four letters or more, and an attached Arabic preposition.
func wordMatches(w, k string) bool {
	if w == k {
		return true
	}
	kn := utf8.RuneCountInString(k)
	if kn >= 4 && strings.HasPrefix(w, k) && utf8.RuneCountInString(w)-kn <= 4 {
		return true
	}
	if kn >= 4 {
		for _, c := range arabicClitics {
			if strings.HasPrefix(w, c) && w[len(c):] == k {
				return true
			}
		}
	}
	return false
}

// match is one registry name found in a sentence.
type match struct {
	officials  []*store.Official
	start, end int // byte span in the sentence
	words      int
}

// Find gives the registry names in a sentence, longest first where they
// overlap.
func (m *Matcher) Find(s string) []match {
	toks := tokenize(s)
	var words []token
	for _, t := range toks {
		if t.kind == tokWord {
			words = append(words, t)
		}
	}
	var out []match
	for i := 0; i < len(words); {
		best := match{}
		for _, first := range m.candidates(words[i].fold) {
			for _, k := range m.byFirst[first] {
				if i+len(k.words) > len(words) || len(k.words) <= best.words {
					continue
				}
				ok := true
				for j, kw := range k.words {
					if !wordMatches(words[i+j].fold, kw) {
						ok = false
						break
					}
				}
				if ok {
					best = match{officials: k.officials, start: words[i].start, end: words[i+len(k.words)-1].end, words: len(k.words)}
				}
			}
		}
		if best.words > 0 {
			out = append(out, best)
			i += best.words
			continue
		}
		i++
	}
	return out
}

// candidates gives the indexed first words a text word may be: itself,
// itself less an ending, or less an Arabic preposition.
func (m *Matcher) candidates(w string) []string {
	var out []string
	if _, ok := m.byFirst[w]; ok {
		out = append(out, w)
	}
	r := []rune(w)
	for cut := 1; cut <= 4 && len(r)-cut >= 4; cut++ {
		if p := string(r[:len(r)-cut]); m.byFirst[p] != nil {
			out = append(out, p)
		}
	}
	for _, c := range arabicClitics {
		if strings.HasPrefix(w, c) {
			if p := w[len(c):]; m.byFirst[p] != nil && utf8.RuneCountInString(p) >= 4 {
				out = append(out, p)
			}
		}
	}
	return out
}

// roleWords precede (or, in Turkic languages, follow) an official's name;
// they let the extractor list people the registry does not know.
var roleWords = []string{
	"president", "minister", "prime", "premier", "chairman", "chairwoman", "chair", "speaker", "ambassador", "governor",
	"king", "emir", "sultan", "chancellor", "head", "counterpart", "leader",
	"президент", "президента", "президентом", "министр", "министра", "министром", "премьер", "председатель", "председателя",
	"посол", "послом", "посла", "спикер", "глава", "главы", "главой", "аким", "губернатор", "коллега", "коллеги", "коллегой",
	"президенті", "министрі", "төрағасы", "елшісі", "әкімі", "басшысы",
	"президенти", "министри", "төрагасы", "элчиси", "башчысы",
	"prezident", "prezidenti", "vazir", "vaziri", "elchi", "elchisi", "rais", "raisi", "hamkasbi", "хамкасби",
	"президенти", "вазири", "элчиси", "раиси",
}

// notNames are capitalised words that start no person's name.
var notNames = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"the", "republic", "state", "head", "president", "minister", "prime", "foreign", "affairs", "senate", "of", "and",
		"kazakhstan", "uzbekistan", "kyrgyzstan", "tajikistan", "turkmenistan", "russia", "russian", "china", "federation",
		"central", "asia", "asian", "astana", "tashkent", "bishkek", "dushanbe", "ashgabat", "almaty", "moscow", "kazakh", "uzbek",
		"кыргызстан", "казахстан", "узбекистан", "таджикистан", "туркменистан", "россия", "республики", "республика",
		"казахстана", "узбекистана", "киргизии", "таджикистана", "туркменистана", "россии", "рф", "снг", "шос", "оон", "мид",
		"қазақстан", "өзбекстан", "қырғызстан", "ресеи", "казакстан", "өзбекстан", "кыргыз", "казак",
		"ozbekiston", "qozogiston", "qirgiziston", "tojikiston", "turkmaniston", "rossiya", "respublikasi",
		"ўзбекистон", "қозоғистон", "мамлекет", "давлат", "davlat",
	} {
		m[foldWord(w)] = true
	}
	return m
})

// spokesWords() mark someone who only speaks about the event: a press
// secretary, an author, a spokesperson.
var spokesWords = sync.OnceValue(func() []string {
	return foldAll([]string{
		"press secretary", "spokesperson", "spokesman", "spokeswoman", "пресс секретарь", "пресс секретаря", "баспасөз хатшысы",
		"matbuot kotibi", "матбуот котиби", "السكرتير الصحفي", "المتحدث", "автор", "author", "corresponded", "тилшісі",
	})
})

// Officials finds who took part: every registry name in a sentence that is
// not only about an earlier event or a passed-on greeting, and people the
// registry does not know, named next to a title ("Prime Minister Mikhail
// Mishustin", "министр ... Лазиз Кудратов").
//
// Someone named right next to words for what is still to come ("the
// coming talks with Vladimir Putin") is not a participant either, unless
// the article announces the event itself (announced).
func Officials(t *Text, sents []Sentence, m *Matcher, announced bool) []Person {
	type acc struct {
		p        Person
		event    bool // named in a sentence about the event
		opening  bool // named in the headline or first two paragraphs
		pastOnly string
	}
	var order []string
	people := map[string]*acc{}
	add := func(key string, o *store.Official, written string, s Sentence, ev Evidence, future bool) {
		a := people[key]
		if a == nil {
			a = &acc{p: Person{Official: o, Written: written}}
			people[key] = a
			order = append(order, key)
		}
		a.p.Evidence = append(a.p.Evidence, ev)
		switch {
		case future && !announced:
			if a.pastOnly == "" {
				a.pastOnly = "named only for a coming event"
			}
		case s.Past:
			a.pastOnly = "named only in a sentence about an earlier event"
		case s.Greeting:
			if a.pastOnly == "" {
				a.pastOnly = "named only as sending or receiving greetings"
			}
		default:
			a.event = true
			if s.Para <= 1 {
				a.opening = true
			}
		}
	}
	// Names with several registry readings (a surname two officials
	// share) count only when another sentence names one of them in full.
	var ambiguous []struct {
		ms match
		s  Sentence
	}
	for _, s := range sents {
		if otherEventSentence(s) {
			s.Past = true
		}
		// Registry names and other names, in the order the sentence gives them.
		type found struct {
			start int
			do    func()
		}
		var fs []found
		for _, ms := range m.Find(s.Text) {
			ev := Evidence{File: t.File, Line: s.Line, Text: s.Text[ms.start:ms.end]}
			if len(ms.officials) > 1 {
				ambiguous = append(ambiguous, struct {
					ms match
					s  Sentence
				}{ms, s})
				continue
			}
			o := ms.officials[0]
			future := nearFuture(s.Text, ms.start, ms.end)
			fs = append(fs, found{ms.start, func() { add("id:"+o.ID, o, ev.Text, s, ev, future) }})
		}
		for _, name := range unknownPeople(s.Text, m) {
			ev := Evidence{File: t.File, Line: s.Line, Text: name}
			at := strings.Index(s.Text, name)
			future := at >= 0 && nearFuture(s.Text, at, at+len(name))
			fs = append(fs, found{at, func() { add("name:"+foldWordsOf(name), nil, name, s, ev, future) }})
		}
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].start < fs[j].start })
		for _, f := range fs {
			f.do()
		}
	}
	for _, a := range ambiguous {
		for _, o := range a.ms.officials {
			if people["id:"+o.ID] != nil {
				people["id:"+o.ID].p.Evidence = append(people["id:"+o.ID].p.Evidence, Evidence{File: t.File, Line: a.s.Line, Text: a.s.Text[a.ms.start:a.ms.end]})
			}
		}
	}
	var out []Person
	for _, k := range order {
		a := people[k]
		if !a.event {
			continue // a past event's participant, or a greeting's
		}
		a.p.Sure = a.opening && a.p.Official != nil
		switch {
		case a.p.Official == nil:
			a.p.Why = "not in the officials registry; named as written"
		case !a.opening:
			a.p.Why = "first named after the article's opening"
		}
		out = append(out, a.p)
	}
	return out
}

// nearFuture reports whether a word for what is still to come stands
// within three words of a name.
func nearFuture(s string, start, end int) bool {
	var around []string
	before := strings.Fields(foldWordsOf(s[:start]))
	around = append(around, before[max(0, len(before)-3):]...)
	after := strings.Fields(foldWordsOf(s[end:]))
	around = append(around, after[:min(3, len(after))]...)
	return hasMarker(" "+strings.Join(around, " ")+" ", futureMarkers())
}

// otherEventSentence reports a sentence dated to another year than it was
// written in, such as "state visits ... in December 2021 and ... December
// 2022": a sentence naming two or more dated months is background.
func otherEventSentence(s Sentence) bool {
	n := 0
	for _, m := range Dates(s.Text) {
		if m.Year > 0 && m.Month > 0 {
			n++
		}
	}
	return n >= 2
}

// unknownPeople finds names next to a title that the registry does not
// know: two or three capitalised words after a role word ("Prime Minister
// Mikhail Mishustin"), or, in Arabic, the two words after a title and a
// dash ("الرئيس الروسي - فلاديمير بوتين").
func unknownPeople(s string, m *Matcher) []string {
	if f := " " + foldWordsOf(s) + " "; containsAny(f, spokesWords()) {
		s = stripSpokes(s)
	}
	toks := tokenize(s)
	var words []token
	for _, t := range toks {
		if t.kind == tokWord {
			words = append(words, t)
		}
	}
	var out []string
	for i := 0; i < len(words); i++ {
		if !isRoleWord(words[i].fold) {
			continue
		}
		// Latin and Cyrillic: skip lowercase words and titles, then take a
		// run of two or three capitalised words.
		j := i + 1
		for j < len(words) && j < i+8 && !startsUpper(words[j].text) {
			j++
		}
		for j < len(words) && startsUpper(words[j].text) && (notNames()[words[j].fold] || isRoleWord(words[j].fold) || monthOf(words[j].fold) > 0) {
			j++
		}
		k := j
		for k < len(words) && k < j+3 && startsUpper(words[k].text) && !notNames()[words[k].fold] && !isRoleWord(words[k].fold) && gap(s, words[k-1], words[k]) {
			k++
		}
		if k-j >= 2 {
			name := s[words[j].start:words[k-1].end]
			if len(m.Find(name)) == 0 {
				out = append(out, name)
			}
			i = k - 1
			continue
		}
		// Arabic: title, adjectives, a dash, then the name's two words.
		if unicode.Is(unicode.Arabic, firstRune(words[i].text)) {
			rest := s[words[i].end:]
			if d := strings.Index(rest, " - "); d >= 0 && d < 40 {
				after := tokenize(rest[d+3:])
				if len(after) >= 2 && after[0].kind == tokWord && after[1].kind == tokWord && after[1].space {
					name := rest[d+3:][after[0].start:after[1].end]
					name = strings.TrimRight(name, "،,.")
					if len(m.Find(name)) == 0 && !notNames()[after[0].fold] {
						out = append(out, name)
					}
				}
			}
		}
	}
	return out
}

func isRoleWord(w string) bool {
	for _, r := range roleWords {
		if w == r {
			return true
		}
	}
	switch w {
	case "الرييس", "رييس", "وزير", "السفير", "الملك", "الامير":
		return true
	}
	return false
}

func startsUpper(w string) bool { return unicode.IsUpper(firstRune(w)) }

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// gap reports whether two words are separated by space only (a name does
// not run across a comma).
func gap(s string, a, b token) bool { return strings.TrimSpace(s[a.end:b.start]) == "" }

func containsAny(folded string, phrases []string) bool {
	for _, p := range phrases {
		if hasPhrase(folded, p, false) {
			return true
		}
	}
	return false
}

// stripSpokes blanks out the name that follows a spokesperson's title, so
// that the spokesperson is not taken for a participant.
func stripSpokes(s string) string {
	toks := tokenize(s)
	for i := 0; i+1 < len(toks); i++ {
		pair := toks[i].fold
		if i+1 < len(toks) && toks[i+1].kind == tokWord {
			pair += " " + toks[i+1].fold
		}
		for _, fp := range spokesWords() {
			if toks[i].kind == tokWord && (pair == fp || toks[i].fold == fp) {
				// Blank the next few words.
				end := len(s)
				if i+6 < len(toks) {
					end = toks[i+6].end
				}
				return s[:toks[i].start] + strings.Repeat(" ", end-toks[i].start) + s[end:]
			}
		}
	}
	return s
}
