package draft

import (
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// A small date grammar for news text: the forms that off-the-shelf parsers
// get wrong ("18-19 aprel", "в декабре 2021 года", "19 ақпанда",
// "يوم 19 فبراير") in English, Russian, Kazakh, Kyrgyz, Uzbek (Latin and
// Cyrillic) and Arabic.

// Mention is one date, weekday, relative day or season the text names,
// as precisely as it names it.
type Mention struct {
	Year, Month, Day int // 0 when the text does not give it
	EndDay           int // the last day of a range ("18-19 aprel"), else 0
	Weekday          time.Weekday
	HasWeekday       bool
	// Relative is the day offset a relative word names: 0 today, -1
	// yesterday, +1 tomorrow; meaningful when IsRelative.
	Relative   int
	IsRelative bool
	Season     string // spring, summer, autumn or winter
	Clock      bool   // a time of day follows or precedes: a stamp
	Start, End int    // byte span in the line
	Text       string // the words as written
}

// IsDate reports whether the mention names a calendar date, to any
// precision (not only a weekday, a relative day or a season).
func (m Mention) IsDate() bool { return m.Month > 0 || (m.Year > 0 && m.Day == 0) }

// monthStem is a folded month name or the start of one; short stems match
// only whole words, long ones take case endings ("ноября", "қарашада").
type monthStem struct {
	stem  string
	month int
	whole bool
}

var monthStems = sync.OnceValue(func() []monthStem {
	var out []monthStem
	add := func(month int, whole bool, stems ...string) {
		for _, s := range stems {
			out = append(out, monthStem{foldWord(s), month, whole})
		}
	}
	// Long stems, taking endings.
	add(1, false, "january", "январ", "yanvar", "қаңтар", "يناير")
	add(2, false, "february", "феврал", "fevral", "ақпан", "فبراير", "شباط")
	add(3, false, "march", "март", "mart", "наурыз", "مارس", "اذار")
	add(4, false, "april", "апрел", "aprel", "сәуір", "ابريل", "نيسان")
	add(5, false, "мамыр", "مايو", "ايار")
	add(6, false, "june", "июн", "iyun", "маусым", "يونيو", "حزيران")
	add(7, false, "july", "июл", "iyul", "шілде", "يوليو", "تموز")
	add(8, false, "august", "август", "avgust", "тамыз", "اغسطس")
	add(9, false, "september", "сентябр", "sentabr", "sentyabr", "қыркүиек", "سبتمبر", "ايلول")
	add(10, false, "october", "октябр", "oktabr", "oktyabr", "اكتوبر")
	add(11, false, "november", "ноябр", "noyabr", "қараша", "نوفمبر")
	add(12, false, "december", "декабр", "dekabr", "желтоқсан", "ديسمبر")
	// Short forms and words that are other words too: whole words only.
	add(1, true, "jan", "янв")
	add(2, true, "feb", "fev", "фев")
	add(3, true, "mar", "мар")
	add(4, true, "apr", "апр")
	add(5, true, "may", "май", "мая", "мае", "майда", "mayda")
	add(6, true, "jun", "iyn")
	add(7, true, "jul")
	add(8, true, "aug", "avg", "авг")
	add(9, true, "sep", "sept", "sen", "сен", "сент")
	add(10, true, "oct", "okt", "окт", "қазан", "қазанда", "қазанның")
	add(11, true, "nov", "noy", "ноя", "нояб")
	add(12, true, "dec", "dek", "дек")
	return out
})

// maxEnding is the longest case ending a long month stem may carry
// ("августта", "ноябрьдан").
const maxEnding = 5

// monthOf gives the month a folded word names, or 0.
func monthOf(w string) int {
	for _, s := range monthStems() {
		if s.whole {
			if w == s.stem {
				return s.month
			}
			continue
		}
		if strings.HasPrefix(w, s.stem) && utf8.RuneCountInString(w)-utf8.RuneCountInString(s.stem) <= maxEnding {
			return s.month
		}
	}
	return 0
}

// weekdays in every language, folded, with endings allowed.
var weekdayStems = map[time.Weekday][]string{
	time.Monday:    {"monday", "понедельник", "дүисенбі", "dushanba", "душанба", "дүишөмбү", "الاثنين", "اثنين"},
	time.Tuesday:   {"tuesday", "вторник", "сеисенбі", "seshanba", "сешанба", "шеишемби", "الثلاثاء"},
	time.Wednesday: {"wednesday", "сред", "сәрсенбі", "chorshanba", "чоршанба", "шаршемби", "الاربعاء"},
	time.Thursday:  {"thursday", "четверг", "беисенбі", "payshanba", "пайшанба", "беишемби", "الخميس"},
	time.Friday:    {"friday", "пятниц", "жұма", "juma", "жума", "الجمعه"},
	time.Saturday:  {"saturday", "суббот", "сенбі", "shanba", "шанба", "ишемби", "السبت"},
	time.Sunday:    {"sunday", "воскресень", "жексенбі", "yakshanba", "якшанба", "жекшемби", "الاحد"},
}

func weekdayOf(w string) (time.Weekday, bool) {
	if utf8.RuneCountInString(w) < 4 {
		return 0, false
	}
	for d, stems := range weekdayStems {
		for _, s := range stems {
			if strings.HasPrefix(w, s) && utf8.RuneCountInString(w)-utf8.RuneCountInString(s) <= 4 {
				// "среда" is a weekday, "среди" (among) is not.
				if s == "сред" && !strings.HasPrefix(w, "среду") && w != "среда" && !strings.HasPrefix(w, "средам") {
					continue
				}
				return d, true
			}
		}
	}
	return 0, false
}

// relativeWords name today, yesterday and tomorrow, folded.
var relativeWords = foldedKeys(map[string]int{
	"today": 0, "сегодня": 0, "бүгін": 0, "бугун": 0, "bugun": 0, "бүгүн": 0, "اليوم": 0,
	"yesterday": -1, "вчера": -1, "кеше": -1, "kecha": -1, "кеча": -1, "кечээ": -1, "امس": -1,
	"tomorrow": 1, "завтра": 1, "ертең": 1, "ertaga": 1, "эртага": 1, "эртең": 1, "غدا": 1,
})

// seasonStems name the seasons, endings allowed (folded on first use, as
// the words they are compared with are).
var seasonStems = sync.OnceValue(func() map[string][]string {
	stems := map[string][]string{
		"spring": {"spring", "весн", "весной", "көктем", "bahor", "баҳор", "الربيع"},
		"summer": {"summer", "летом", "лето", "yoz", "ез", "الصيف"},
		"autumn": {"autumn", "осен", "күзд", "күзі", "kuz", "куз", "الخريف"},
		"winter": {"winter", "зимо", "зима", "қыс", "qish", "қиш", "الشتاء"},
	}
	for season, list := range stems {
		for i, s := range list {
			list[i] = foldWord(s)
		}
		stems[season] = list
	}
	return stems
})

// seasonEndings are the case endings a short season word may take
// ("весной", "осенью", "qishda", "көктемде"); anything else makes another
// word ("qishloq" is a village, not winter).
var seasonEndings = foldedKeys(map[string]bool{
	"": true, "а": true, "ы": true, "е": true, "у": true, "ои": true, "ью": true, "ь": true, "и": true, // folded: "ой" is "ои"
	"da": true, "de": true, "ta": true, "te": true, "ning": true, "да": true, "де": true, "та": true, "те": true, "гі": true, "нда": true,
})

func seasonOf(w string) string {
	for season, stems := range seasonStems() {
		for _, s := range stems {
			if !strings.HasPrefix(w, s) {
				continue
			}
			rest := w[len(s):]
			if seasonEndings()[rest] || (utf8.RuneCountInString(s) >= 6 && utf8.RuneCountInString(rest) <= 3) {
				return season
			}
		}
	}
	return ""
}

// yearWords follow a year: "2021 года", "2022-yil", "2022 жылы", "2020 г.".
func isYearWord(w string) bool {
	for _, s := range []string{"год", "г", "yil", "йил", "жыл", "year", "عام", "سنه"} {
		if w == s || (len(s) > 2 && strings.HasPrefix(w, s) && utf8.RuneCountInString(w)-utf8.RuneCountInString(s) <= 5) {
			return true
		}
	}
	return false
}

func validYear(y int) bool  { return y >= 1990 && y <= 2099 }
func validDay(d int) bool   { return d >= 1 && d <= 31 }
func validMonth(m int) bool { return m >= 1 && m <= 12 }

// isClock reports whether toks[i:] starts a time of day, HH:MM.
func isClock(toks []token, i int) bool {
	return i+2 < len(toks) && toks[i].kind == tokNum && len(toks[i].text) <= 2 && toks[i+1].text == ":" && !toks[i+1].space &&
		toks[i+2].kind == tokNum && len(toks[i+2].text) == 2 && atoi(toks[i].text) < 24
}

// isDash reports whether a punctuation token joins a range or a suffix.
func isDash(t token) bool {
	return t.kind == tokPunct && (t.text == "-" || t.text == "–" || t.text == "—")
}

// Dates finds every date, weekday, relative day and season a line names.
func Dates(line string) []Mention {
	toks := tokenize(line)
	var out []Mention
	for i := 0; i < len(toks); {
		m, next, ok := dateAt(line, toks, i)
		if ok {
			m.Text = line[m.Start:m.End]
			out = append(out, m)
			i = next
			continue
		}
		i++
	}
	markClocks(toks, out)
	return out
}

// markClocks sets Clock on dates that a time of day stands next to.
func markClocks(toks []token, ms []Mention) {
	for i := range toks {
		if !isClock(toks, i) {
			continue
		}
		start, end := toks[i].start, toks[i+2].end
		for j := range ms {
			// Within a few characters either side: "18:19, 18 August 2025",
			// "4 июля 2022, 12:47", "13 марта 2025 в 11:35".
			if (ms[j].End <= start && start-ms[j].End <= 5) || (ms[j].Start >= end && ms[j].Start-end <= 3) {
				ms[j].Clock = true
			}
		}
	}
}

// dateAt reads the mention starting at toks[i], if any.
func dateAt(line string, toks []token, i int) (Mention, int, bool) {
	t := toks[i]
	switch t.kind {
	case tokNum:
		return numericDate(toks, i)
	case tokWord:
		if mo := monthOf(t.fold); mo > 0 {
			return monthFirst(toks, i, mo)
		}
		if d, ok := weekdayOf(t.fold); ok {
			m := Mention{Weekday: d, HasWeekday: true, Start: t.start, End: t.end}
			// "Monday, 20 September", "В понедельник, 20 сентября": the date
			// that follows carries the weekday.
			j := i + 1
			if j < len(toks) && toks[j].text == "," {
				j++
			}
			if j < len(toks) {
				if dm, next, ok := dateAt(line, toks, j); ok && dm.IsDate() {
					dm.Weekday, dm.HasWeekday, dm.Start = d, true, t.start
					return dm, next, true
				}
			}
			return m, i + 1, true
		}
		if off, ok := relativeWords()[t.fold]; ok {
			m := Mention{Relative: off, IsRelative: true, Start: t.start, End: t.end}
			// "yesterday, 5 January", "Kecha, 29-dekabr kuni": keep the date,
			// which says more.
			j := i + 1
			if j < len(toks) && toks[j].text == "," {
				j++
			}
			for k := j; k < len(toks) && k <= j+1; k++ { // "اليوم الإثنين 27 أكتوبر"
				if dm, next, ok := dateAt(line, toks, k); ok && dm.IsDate() {
					dm.Start = t.start
					return dm, next, true
				}
			}
			return m, i + 1, true
		}
		if s := seasonOf(t.fold); s != "" {
			return Mention{Season: s, Start: t.start, End: t.end}, i + 1, true
		}
	}
	return Mention{}, i + 1, false
}

// numericDate reads dates that start with a number: 2025-07-24,
// 07.10.2020, 19/02/2024, "18-19 aprel", "15 ноября 2025 года",
// "28-oktabr", "2022-yil".
func numericDate(toks []token, i int) (Mention, int, bool) {
	t := toks[i]
	joined := func(k int) bool { return k < len(toks) && !toks[k].space }
	// ISO: 2025-07-24.
	if len(t.text) == 4 && i+4 < len(toks) && toks[i+1].text == "-" && joined(i+1) && joined(i+2) && toks[i+2].kind == tokNum &&
		toks[i+3].text == "-" && joined(i+3) && joined(i+4) && toks[i+4].kind == tokNum && len(toks[i+2].text) == 2 && len(toks[i+4].text) == 2 {
		y, mo, d := atoi(t.text), atoi(toks[i+2].text), atoi(toks[i+4].text)
		if validYear(y) && validMonth(mo) && validDay(d) {
			return Mention{Year: y, Month: mo, Day: d, Start: t.start, End: toks[i+4].end}, i + 5, true
		}
	}
	// DD.MM.YYYY and DD/MM/YYYY.
	if len(t.text) <= 2 && i+4 < len(toks) && (toks[i+1].text == "." || toks[i+1].text == "/") && joined(i+1) && joined(i+2) &&
		toks[i+2].kind == tokNum && len(toks[i+2].text) <= 2 && toks[i+3].text == toks[i+1].text && joined(i+3) && joined(i+4) &&
		toks[i+4].kind == tokNum && len(toks[i+4].text) == 4 {
		d, mo, y := atoi(t.text), atoi(toks[i+2].text), atoi(toks[i+4].text)
		if validYear(y) && validMonth(mo) && validDay(d) {
			return Mention{Year: y, Month: mo, Day: d, Start: t.start, End: toks[i+4].end}, i + 5, true
		}
	}
	// A year with its word: "в 2024 году", "2022-yil", "2022 жылы".
	if len(t.text) == 4 && validYear(atoi(t.text)) {
		j := i + 1
		if j < len(toks) && isDash(toks[j]) && joined(j) {
			j++
		}
		if j < len(toks) && toks[j].kind == tokWord && isYearWord(toks[j].fold) {
			return Mention{Year: atoi(t.text), Start: t.start, End: toks[j].end}, j + 1, true
		}
		return Mention{}, i + 1, false
	}
	// Day first: "19 February", "18-19 aprel", "28-oktabr", "15–16-noyabr".
	if len(t.text) > 2 || !validDay(atoi(t.text)) {
		return Mention{}, i + 1, false
	}
	m := Mention{Day: atoi(t.text), Start: t.start}
	j := i + 1
	if j+1 < len(toks) && isDash(toks[j]) && toks[j+1].kind == tokNum && len(toks[j+1].text) <= 2 && validDay(atoi(toks[j+1].text)) && atoi(toks[j+1].text) > m.Day {
		m.EndDay = atoi(toks[j+1].text)
		j += 2
	}
	if j < len(toks) && isDash(toks[j]) {
		j++
	}
	if j >= len(toks) || toks[j].kind != tokWord {
		return Mention{}, i + 1, false
	}
	mo := monthOf(toks[j].fold)
	if mo == 0 {
		return Mention{}, i + 1, false
	}
	m.Month, m.End = mo, toks[j].end
	j++
	if j < len(toks) && toks[j].text == "." { // "3 mar." / "Aug."
		j++
	}
	// "8 أغسطس/ آب 2025", "27 أكتوبر/تشرين الأول 2025": a second name
	// for the same month.
	if j < len(toks) && toks[j].text == "/" {
		k := j + 1
		for k < len(toks) && toks[k].kind == tokWord && k < j+3 {
			k++
		}
		if k < len(toks) && toks[k].kind == tokNum && len(toks[k].text) == 4 {
			j = k
		}
	}
	return withYear(toks, j, m)
}

// monthFirst reads "July 24", "Aug. 8, 2024", "November 15-16",
// "December 2021", "в декабре 2021 года".
func monthFirst(toks []token, i, mo int) (Mention, int, bool) {
	t := toks[i]
	m := Mention{Month: mo, Start: t.start, End: t.end}
	j := i + 1
	if j < len(toks) && toks[j].text == "." {
		j++
	}
	if j < len(toks) && toks[j].kind == tokNum && len(toks[j].text) <= 2 && validDay(atoi(toks[j].text)) && !amountFollows(toks, j+1) {
		m.Day, m.End = atoi(toks[j].text), toks[j].end
		j++
		if j+1 < len(toks) && isDash(toks[j]) && toks[j+1].kind == tokNum && len(toks[j+1].text) <= 2 && atoi(toks[j+1].text) > m.Day && validDay(atoi(toks[j+1].text)) {
			m.EndDay, m.End = atoi(toks[j+1].text), toks[j+1].end
			j += 2
		}
		if j < len(toks) && toks[j].text == "," {
			if j+1 < len(toks) && toks[j+1].kind == tokNum && len(toks[j+1].text) == 4 {
				j++
			}
		}
		return withYear(toks, j, m)
	}
	// Month and year only.
	if j < len(toks) && toks[j].kind == tokNum && len(toks[j].text) == 4 && validYear(atoi(toks[j].text)) {
		m.Year, m.End = atoi(toks[j].text), toks[j].end
		j++
		if j < len(toks) && toks[j].kind == tokWord && isYearWord(toks[j].fold) {
			m.End = toks[j].end
			j++
		}
		return m, j, true
	}
	// A month name alone is a date only when it is unambiguous: short and
	// ambiguous names ("may", "қазан") need a day or a year.
	for _, s := range monthStems() {
		if s.whole && s.stem == t.fold {
			return Mention{}, i + 1, false
		}
	}
	return m, j, true
}

// amountFollows reports whether toks[j] makes the number before it an
// amount ("May 5 billion", "March 8%"), not a day.
func amountFollows(toks []token, j int) bool {
	if j >= len(toks) {
		return false
	}
	if toks[j].text == "%" {
		return true
	}
	switch toks[j].fold {
	case "billion", "million", "thousand", "bn", "mn", "percent", "млрд", "млн", "процента", "процентов", "mlrd", "mln":
		return true
	}
	return false
}

// withYear reads an optional year after a day and month: "2025",
// "2025 года", "2022-жыл", "2025-yil".
func withYear(toks []token, j int, m Mention) (Mention, int, bool) {
	if j < len(toks) && toks[j].text == "," && j+1 < len(toks) && toks[j+1].kind == tokNum && len(toks[j+1].text) == 4 {
		j++
	}
	if j < len(toks) && toks[j].kind == tokNum && len(toks[j].text) == 4 && validYear(atoi(toks[j].text)) {
		m.Year, m.End = atoi(toks[j].text), toks[j].end
		j++
		k := j
		if k < len(toks) && isDash(toks[k]) && !toks[k].space {
			k++
		}
		if k < len(toks) && toks[k].kind == tokWord && isYearWord(toks[k].fold) {
			m.End = toks[k].end
			j = k + 1
		}
	}
	return m, j, true
}

// foldedKeys gives, on first use, m with its keys folded as the words
// they are compared with are.
func foldedKeys[V any](m map[string]V) func() map[string]V {
	return sync.OnceValue(func() map[string]V {
		out := make(map[string]V, len(m))
		for k, v := range m {
			if k == "" {
				out[k] = v
				continue
			}
			out[foldWord(k)] = v
		}
		return out
	})
}
