package storetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// textVersion changes whenever realistic text changes, so that a shared
// folder written by an older version is not taken for a current one.
const textVersion = 1

// language is how realistic text is written in one language: its most
// frequent words (real ones), then a made-up vocabulary from its
// syllables, drawn with Zipf's law, as words are in news text.
type language struct {
	code     string
	share    int      // of briefings, in percent
	function []string // the most frequent words, real
	vocab    []string // all words, function words first
	zipf     *rand.Zipf
	// names gives how the text writes an official's surname.
	names  func(o official) string
	places []string
	// decorate changes a word as it is written: Arabic clitics and
	// harakat.
	decorate func(rng *rand.Rand, w string) string
}

// writer writes realistic text for a corpus.
type writer struct {
	rng    *rand.Rand
	people []official
	langs  []*language
}

func newWriter(rng *rand.Rand, people []official) *writer {
	w := &writer{rng: rng, people: people}
	latin := func(o official) string { return o.name[strings.IndexByte(o.name, ' ')+1:] }
	cyrillic := func(o official) string { return cyr[latin(o)] }
	arabicName := func(o official) string {
		if a, ok := arabic[latin(o)]; ok {
			return a
		}
		return latin(o)
	}
	w.langs = []*language{
		{
			code: "en", share: 55, names: latin,
			function: strings.Fields("the of and to in a on for with by that is was as at from its their which were has have it an be this are said also two both railway trade border water energy"),
			places:   []string{"Astana", "Tashkent", "Almaty", "Samarkand", "Shymkent", "Kostanay", "Darbaza", "Maktaaral", "Türkiye"},
		},
		{
			code: "ru", share: 15, names: cyrillic,
			function: strings.Fields("и в на с по о что к за из от для не как это его их также был была были стороны между двух торговли границы сотрудничества"),
			places:   []string{"Астана", "Ташкент", "Алматы", "Самарканд", "Шымкент", "Костанай"},
		},
		{
			code: "kk", share: 8, names: cyrillic,
			function: strings.Fields("және мен бен да де үшін бойынша туралы екі ел арасындағы ынтымақтастық сауда шекара Қазақстан Өзбекстан"),
			places:   []string{"Астана", "Ташкент", "Алматы", "Шымкент", "Қостанай", "Түркістан"},
		},
		{
			code: "uz", share: 8, names: latin,
			function: strings.Fields("va bilan uchun boʻyicha ham bu ikki oʻrtasidagi hamkorlik savdo chegara Oʻzbekiston Qozogʻiston mamlakat"),
			places:   []string{"Toshkent", "Astana", "Samarqand", "Buxoro", "Olmaota"},
		},
		{
			code: "uz-Cyrl", share: 6, names: cyrillic,
			function: strings.Fields("ва билан учун бўйича ҳам бу икки ўртасидаги ҳамкорлик савдо чегара Ўзбекистон Қозоғистон"),
			places:   []string{"Тошкент", "Астана", "Самарқанд", "Бухоро"},
		},
		{
			code: "ar", share: 8, names: arabicName,
			function: strings.Fields("في من على إلى مع أن التي الذي عن هذا بين الرئيس وزير التعاون التجارة الحدود كازاخستان أوزبكستان"),
			places:   []string{"أستانا", "طشقند", "ألماتي", "سمرقند"},
			decorate: decorateArabic,
		},
	}
	syllables := map[string][]string{
		"en":      strings.Fields("ba be bi bo ca co da de di do fa fe ga go ha he in ka la le li lo ma me mi mo na ne ni no pa pe po ra re ri ro sa se si so ta te ti to va ve vi wa we ter ment tion al er ing st tr pr ch sh th"),
		"ru":      strings.Fields("ба ва ве ви го да де до ка ко ли ло ма ми мо на не ни но ов па по пр ра ре ри ро са се си ско ст та те ти то ть ва ёт ий ая ые ого ами ение ост"),
		"kk":      strings.Fields("ба бе да де жа қа қы ға ғы ла ле ма ме на не ңа ор өз өр ұл ұй үй үл са се та те ты ің ін ды ді ар ер ыр ір әр әл ша"),
		"uz":      strings.Fields("ba bo da do ga gʻa gʻo ha ho ka ko la lo ma mo na no oʻ oʻz pa qa qo ra ro sa so sh ta to ch ya yo za zo lar ning dan ga"),
		"uz-Cyrl": strings.Fields("ба бо да до га ғо ҳа ҳо ка ко ла ло ма мо на но ўз ўр па қа қо ра ро са со ша та то ча я ё за зо лар нинг дан га"),
		"ar":      strings.Fields("با بي تا تي جا حا خا دا را زا سا شا صا طا عا غا فا قا كا لا ما نا ها وا يا أم إس آل ة ى ئي ؤ ر ن م ت ك"),
	}
	sizes := map[string]int{"en": 40000, "ru": 60000, "kk": 30000, "uz": 30000, "uz-Cyrl": 20000, "ar": 40000}
	for _, l := range w.langs {
		l.vocab = append([]string(nil), l.function...)
		syl := syllables[l.code]
		for len(l.vocab) < sizes[l.code] {
			var b strings.Builder
			for range 1 + rng.IntN(3) + rng.IntN(2) {
				b.WriteString(syl[rng.IntN(len(syl))])
			}
			l.vocab = append(l.vocab, b.String())
		}
		l.zipf = rand.NewZipf(rng, 1.07, 2.7, uint64(len(l.vocab)-1))
	}
	return w
}

// decorateArabic writes an Arabic word as running text does: with the
// article or a clitic prefix, now and then a short vowel or a tatweel.
func decorateArabic(rng *rand.Rand, w string) string {
	switch n := rng.IntN(100); {
	case n < 22:
		w = "ال" + w
	case n < 28:
		w = "وال" + w
	case n < 33:
		w = "و" + w
	case n < 36:
		w = "ب" + w
	case n < 38:
		w = "لل" + w
	case n < 40:
		w = "بال" + w
	}
	if rng.IntN(30) == 0 {
		r := []rune(w)
		w = string(r[:1]) + "َ" + string(r[1:])
	}
	if rng.IntN(200) == 0 {
		r := []rune(w)
		w = string(r[:1]) + "ـ" + string(r[1:])
	}
	return w
}

// text picks the language of one briefing.
func (w *writer) text() text {
	n := w.rng.IntN(100)
	for _, l := range w.langs {
		if n < l.share {
			return langText{w, l}
		}
		n -= l.share
	}
	return langText{w, w.langs[0]}
}

// langText writes one briefing's prose in one language.
type langText struct {
	w *writer
	l *language
}

func (t langText) lang() string { return t.l.code }

// word gives one word of running text: mostly from the vocabulary, now
// and then a name, a place or a number.
func (t langText) word() string {
	rng := t.w.rng
	switch n := rng.IntN(1000); {
	case n < 12:
		return t.l.names(t.w.people[rng.IntN(len(t.w.people))])
	case n < 20:
		return t.l.places[rng.IntN(len(t.l.places))]
	case n < 30:
		return fmt.Sprint(1 + rng.IntN(2030))
	}
	wd := t.l.vocab[t.l.zipf.Uint64()]
	if t.l.decorate != nil {
		wd = t.l.decorate(rng, wd)
	}
	return wd
}

func (t langText) sentence(n int) string {
	rng := t.w.rng
	n = max(3, n-n/3+rng.IntN(n/3*2+1))
	words := make([]string, n)
	for i := range words {
		words[i] = t.word()
	}
	if t.l.code != "ar" {
		r := []rune(words[0])
		words[0] = strings.ToUpper(string(r[:1])) + string(r[1:])
	}
	for i := 1; i < n-1; i++ {
		if rng.IntN(12) == 0 {
			words[i] += ","
		}
	}
	return strings.Join(words, " ") + "."
}

// body writes 1 to 7 KB of paragraphs (4 KB on average), with a heading,
// a list or a link now and then.
func (t langText) body(b *strings.Builder) {
	rng := t.w.rng
	target := b.Len() + 1000 + rng.IntN(2000) + rng.IntN(2000) + rng.IntN(2000)
	fmt.Fprintf(b, "%s %s\n\n", t.sentence(25), t.sentence(18))
	for b.Len() < target {
		switch rng.IntN(10) {
		case 0:
			fmt.Fprintf(b, "## %s\n\n", strings.TrimSuffix(t.sentence(4), "."))
		case 1:
			fmt.Fprintf(b, "- %s\n- %s\n- %s\n\n", t.sentence(8), t.sentence(10), t.sentence(6))
		case 2:
			fmt.Fprintf(b, "%s [%s](https://example.org/%d) %s\n\n", t.sentence(15), outlets[rng.IntN(len(outlets))], rng.IntN(1e6), t.sentence(12))
		default:
			for range 2 + rng.IntN(4) {
				b.WriteString(t.sentence(18))
				b.WriteByte(' ')
			}
			b.WriteString("\n\n")
		}
	}
}
