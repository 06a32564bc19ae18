package draft

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The line filter: what a saved page carries around its article (menus,
// tickers, page clocks, share and subscribe lines, disclaimers, view
// counters, reading times, related-news labels) is recognised line by line,
// in every language of the corpus, and set aside with a reason.

// chromeRules are the tables below, folded once on first use.
type chromeRules struct {
	labels    map[string]string
	prefixes  []struct{ prefix, why string }
	fragments []struct {
		frag, why string
		maxWords  int
	}
}

var foldedChrome = sync.OnceValue(func() chromeRules {
	r := chromeRules{labels: map[string]string{}}
	for why, labels := range map[string][]string{
		"a share or comment label": {
			"share", "share this", "поделиться", "бөлісу", "ulashish", "مشاركة", "حصة هذه المادة",
			"comments", "comment", "comments 0", "комментарии 0", "izoh 0", "no comment", "no comments", "комментарии", "комментарий", "izoh", "izohlar",
			"оставьте первый комментарий", "оставьте комментарий", "пікір", "пікірлер",
		},
		"a section or navigation label": {
			"tags", "label", "category", "date", "more story", "search", "most popular", "see all", "related posts",
			"related", "related news", "read also", "also read", "read more", "more news", "latest news", "top stories",
			"все новости", "загрузить еще", "загрузить ещё", "опрос", "результаты опросов", "актуальные сюжеты", "меню",
			"главная", "новости", "yangiliklar", "so nggi yangiliklar", "барлық жаңалықтар", "жаңалықтар", "жаңылыктар",
			"الاعلانات", "اعلانات", "المزيد", "اقرا ايضا", "وصل حديثا", "تم النشر", "on", "sputnik", "linkter", "линктер",
			"чукул кабар", "тасодифии хабарлар", "tasodifiy xabarlar", "читаите также", "по теме", "теги", "автор", "advertisement",
			"реклама", "menu", "home", "photo", "фото", "video", "видео",
		},
	} {
		for _, l := range labels {
			r.labels[foldLine(l)] = why
		}
	}
	for _, p := range chromePrefixes {
		p.prefix = foldLine(p.prefix) + " "
		r.prefixes = append(r.prefixes, p)
	}
	for _, f := range chromeFragments {
		f.frag = foldLine(f.frag)
		r.fragments = append(r.fragments, f)
	}
	return r
})

// chromePrefixes start lines that are site furniture, folded.
var chromePrefixes = []struct{ prefix, why string }{
	{"follow ", "a follow-us footer"},
	{"подписывайтесь", "a subscribe footer"},
	{"следите за нашими новостями", "a follow-us footer"},
	{"bizning telegram", "a subscribe footer"},
	{"legal disclaimer", "a legal disclaimer"},
	{"menafn provides", "a legal disclaimer"},
	{"disclaimer", "a legal disclaimer"},
	{"photo credit", "a photo credit"},
	{"постоянный адрес новости", "the page's own address"},
	{"permanent link", "the page's own address"},
	{"автор ", "an author line"},
	{"writer ", "an author line"},
	{"by ", "an author line"},
	{"source ", "a source label"},
	{"источник ", "a source label"},
	{"المصدر ", "a source label"},
	{"الصوره ", "a photo credit"},
	{"download telegram", "a subscribe footer"},
	{"читаите также", "a related-news label"},
	{"read also", "a related-news label"},
	{"также читаите", "a related-news label"},
}

// chromeFragments anywhere in a short line make it furniture, folded.
var chromeFragments = []struct {
	frag, why string
	maxWords  int // longer lines are prose that happens to hold the words
}{
	{"subscribe", "a subscribe footer", 60},
	{"подпишитесь", "a subscribe footer", 60},
	{"obuna bo", "a subscribe footer", 60},
	{"xabardor bo ling", "a subscribe footer", 60},
	{"xabardor boling", "a subscribe footer", 60},
	{"الغاء الاشتراك", "a subscribe notice", 60},
	{"all rights reserved", "a copyright line", 60},
	{"все права защищены", "a copyright line", 60},
	{"copyright", "a copyright line", 60},
	{"cookie", "a cookie notice", 60},
	{"ليست بالضروره مواقف", "a disclaimer", 60},
	{"does not necessarily reflect", "a disclaimer", 60},
	{"as is without warranty", "a legal disclaimer", 60},
	{"рўихатдан ўтинг", "a sign-up notice", 60},
	{"руихатдан утинг", "a sign-up notice", 60},
	{"subscribers", "a channel header", 6},
	{"min read", "a reading time", 6},
	{"мин чтения", "a reading time", 6},
	{"минут чтения", "a reading time", 6},
	{"daqiqa o qish", "a reading time", 6},
	{"просмотр", "a view counter", 6},
	{"views", "a view counter", 6},
	{"ko rishlar", "a view counter", 6},
	{"қаралым", "a view counter", 6},
	{"показов", "a view counter", 6},
	{"اتصل بنا", "a contact-us line", 60},
	{"курсы национального банка", "a currency ticker", 60},
	{"звоните если", "a tip-line notice", 60},
}

// foldLine folds a whole line for the tables: lowercase, marks dropped,
// punctuation made spaces.
func foldLine(s string) string {
	return strings.TrimSpace(foldWordsOf(s))
}

// foldWordsOf folds s word by word, so that Uzbek apostrophes vanish
// inside words instead of splitting them.
func foldWordsOf(s string) string {
	var b strings.Builder
	for _, t := range tokenize(s) {
		switch t.kind {
		case tokWord:
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.fold)
		case tokNum:
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.text)
		}
	}
	return b.String()
}

// classifyLine says what one non-empty line is.
func classifyLine(s string) (LineKind, string) {
	if isURL(s) {
		return Address, "a web address"
	}
	body := strings.TrimSpace(strings.TrimLeft(s, "•·*-–—●▪►> "))
	if body == "" {
		return Chrome, "a bullet with no text"
	}
	if isStamp(body) {
		return Stamp, "a date or time on its own"
	}
	f := foldLine(body)
	rules := foldedChrome()
	if why, ok := rules.labels[f]; ok {
		return Chrome, why
	}
	if isCaption(body, f) {
		return Caption, "a photo caption"
	}
	words := strings.Fields(body)
	for _, p := range rules.prefixes {
		if strings.HasPrefix(f+" ", p.prefix) && (p.prefix != "by " || len(words) <= 4) {
			return Chrome, p.why
		}
	}
	for _, fr := range rules.fragments {
		if len(words) <= fr.maxWords && strings.Contains(f, fr.frag) {
			return Chrome, fr.why
		}
	}
	if len(words) <= 6 && hasAddress(words) && !endsSentence(body) {
		return Chrome, "a site header or address"
	}
	if onlyFiguresAndSigns(body) {
		return Chrome, "numbers on their own (a counter or a ticker)"
	}
	if isIDToken(body) {
		return Chrome, "an identifier"
	}
	if isMenu(body) {
		return Chrome, "a menu line"
	}
	if isCapitalRun(body) {
		return Heading, "capitalised words only"
	}
	if utf8.RuneCountInString(body) <= 4 {
		return Chrome, "a short label (a language switch or menu entry)"
	}
	if endsSentence(body) || len(words) >= 14 {
		return Prose, ""
	}
	if len(words) <= 2 {
		return Chrome, "a short label"
	}
	return Heading, ""
}

// isCaption reports a photo caption: "Photo: Akorda", "Фото пресс-службы".
func isCaption(s, folded string) bool {
	for _, p := range []string{"photo ", "фото ", "сурет ", "rasm ", "image ", "الصوره ", "photo credit"} {
		if strings.HasPrefix(folded+" ", p) {
			return true
		}
	}
	return strings.Contains(s, "Фото:") || strings.Contains(s, "Photo:") || strings.Contains(s, "Фото ")
}

// endsSentence reports whether a line ends as a sentence does.
func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '.', '!', '?', '…', ';', ':', '»', '"', '”', '“', ')', '؟', '。':
		return true
	}
	return false
}

// hasAddress reports whether a word is a web address or a bare domain
// ("kant.kg", "eadaily.com/ru/...").
func hasAddress(words []string) bool {
	for _, w := range words {
		if strings.Contains(w, "://") {
			return true
		}
		if i := strings.LastIndexByte(strings.SplitN(w, "/", 2)[0], '.'); i > 0 {
			tld := strings.SplitN(w, "/", 2)[0][i+1:]
			switch tld {
			case "com", "kz", "kg", "uz", "tj", "tm", "ru", "az", "org", "net", "news", "media", "info":
				return true
			}
		}
	}
	return false
}

// onlyFiguresAndSigns reports a line of numbers, currency signs and
// arrows only: a ticker ("$ 86.62 +0.05"), a counter ("4 403"), a
// temperature ("+14°").
func onlyFiguresAndSigns(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" .,+-−–%$€₽¥£₸°▲▼↑↓/|:()", r):
		default:
			return false
		}
	}
	return digits > 0
}

// isIDToken reports a single long token mixing letters and digits
// (MENAFN24072025000187011040ID1109841244).
func isIDToken(s string) bool {
	if strings.ContainsAny(s, " \t") || len(s) < 12 {
		return false
	}
	letters, digits := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r):
			letters++
		}
	}
	return letters > 0 && digits >= 6
}

// isMenu reports a navigation line: items separated by wide gaps or bars,
// or a run of capitalised words without punctuation or lowercase words.
func isMenu(s string) bool {
	return strings.Count(s, "  ") >= 2 || strings.Count(s, "|") >= 2
}

// isCapitalRun reports a run of capitalised words without punctuation or
// lowercase words: a menu before the article, a tag list after it, or a
// title-case subheading inside it.
func isCapitalRun(s string) bool {
	words := strings.Fields(s)
	if len(words) < 5 || strings.ContainsAny(s, ".,;:!?«»\"“”—()") {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// isStamp reports a line that is only a date and a time with a few
// labels: a page clock or a publication stamp.
func isStamp(s string) bool {
	if utf8.RuneCountInString(s) > 80 || !stampDigits(s) {
		return false
	}
	ms := Dates(s)
	full := false
	for _, m := range ms {
		if m.IsDate() && (m.Year > 0 || m.Clock) {
			full = true
		}
	}
	toks := tokenize(s)
	clocks := 0
	for i := range toks {
		if isClock(toks, i) {
			clocks++
		}
	}
	if !full && !(clocks > 0 && len(toks) <= 7) {
		return false
	}
	// What is left besides dates, clocks and stamp words must be short.
	covered := func(t token) bool {
		for _, m := range ms {
			if t.start >= m.Start && t.end <= m.End {
				return true
			}
		}
		return false
	}
	extra := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case covered(t), t.kind == tokPunct:
		case isClock(toks, i):
			i += 2
			if i+2 < len(toks) && toks[i+1].text == ":" && toks[i+2].kind == tokNum { // seconds
				i += 2
			}
		case t.kind == tokWord && stampWords[t.fold]:
		default:
			extra++
		}
	}
	return extra <= 2
}

// stampDigits reports whether s has what every stamp has: a year (four
// digits in a row) or a time (a colon between digits).
func stampDigits(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			run++
			if run == 4 {
				return true
			}
			continue
		}
		if c == ':' && run > 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			return true
		}
		run = 0
	}
	return false
}

// stampWords may stand in a stamp line beside its date.
var stampWords = map[string]bool{
	"gmt": true, "utc": true, "msk": true, "published": true, "updated": true, "posted": true,
	"опубликовано": true, "обновлено": true, "в": true, "at": true, "on": true, "жарияланды": true,
	"тм": true, "мск": true, "تم": true, "النشر": true, "e_date": true, "date": true, "am": true, "pm": true,
}
