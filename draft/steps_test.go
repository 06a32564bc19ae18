package draft

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/brief-tools/brief/store"
)

// TestLineFilter checks what the text step sets aside, line by line.
func TestLineFilter(t *testing.T) {
	for _, tc := range []struct {
		line string
		want LineKind
	}{
		{"Tuesday, 02 January 2024 12:17 GMT", Stamp},
		{"18:19, 18 August 2025", Stamp},
		{"07.10.2020, 18:47", Stamp},
		{"Опубликовано 13 марта 2025 в 11:35", Stamp},
		{"7-Май, 2024-жыл, шейшемби, Бишкек убактысы 10:46", Stamp},
		{"US          Europe          Arab          Asia", Chrome},
		{"• $ 86.62 +0.05", Chrome},
		{"₸ 447.4 -1.49", Chrome},
		{"4 403 просмотра", Chrome},
		{"242", Chrome},
		{"3 min read", Chrome},
		{"Follow Daryo's official Instagram and Twitter pages to keep current on world news.", Chrome},
		{"Подписывайтесь на наш канал в Telegram", Chrome},
		{"Bizning Telegramdagi o‘zbekcha kanalimizga obuna bo‘ling va eng yangi xabarlarni birinchi bo‘lib o‘qing.", Chrome},
		{"Legal Disclaimer:", Chrome},
		{"MENAFN24072025000187011040ID1109841244", Chrome},
		{"Comments (0)", Chrome},
		{"Читайте также", Chrome},
		{"Постоянный адрес новости: eadaily.com/ru/news/2025/03/13/x", Chrome},
		{"- kant.kg - https://kant.kg -", Chrome},
		{"حصة هذه المادة:", Chrome},
		{"ينشر برنامج EU Reporter مقالات من مجموعة متنوعة من المصادر الخارجية التي تعبر عن مجموعة واسعة من وجهات النظر. المواقف التي تم اتخاذها في هذه المقالات ليست بالضرورة مواقف EU Reporter.", Chrome},
		{"Photo credit: Akorda", Caption},
		{"Эмомали Рахмон и Садыр Жапаров. Фото: пресс-служба президента Киргизии", Caption},
		{"https://uz.sputniknews.ru/20251115/x.html", Address},
		{"Tokayev Engages in Constructive Dialogue with Mirziyoyev", Heading},
		{"The talks were held in Astana on February 19.", Prose},
		{"They thoroughly exchanged views on the international and regional agenda also took place, including the issues of deepening cooperation in Central Asia.", Prose},
	} {
		if got, why := classifyLine(tc.line); got != tc.want {
			t.Errorf("classifyLine(%q) = %v (%s), want %v", tc.line, got, why, tc.want)
		}
	}
}

// TestTextPositions checks the line filter's use of position: menus
// before the article, furniture after it, a repeated headline, a line 1
// URL and a clipping stamp.
func TestTextPositions(t *testing.T) {
	src := strings.Join([]string{
		"https://example.kz/2025/08/18/news",  // 1: the address
		"Politics",                            // 2: menu
		"World",                               // 3: menu
		"Tokayev meets the Senate chairwoman", // 4: headline
		"Tokayev meets the Senate chairwoman", // 5: repeated
		"The President held a meeting with the chairwoman of the Senate in Astana.",   // 6
		"Akorda Presidential Residence President of Kazakhstan Uzbekistan Parliament", // 7: tags
		"Most popular", // 8
		"See All",      // 9
	}, "\n")
	tx := Plain("a.txt", []byte(src))
	if tx.URL != "https://example.kz/2025/08/18/news" {
		t.Errorf("URL = %q", tx.URL)
	}
	want := []LineKind{Address, Chrome, Chrome, Heading, Chrome, Prose, Chrome, Chrome, Chrome}
	for i, l := range tx.Lines {
		if l.Kind != want[i] {
			t.Errorf("line %d %q: %v (%s), want %v", l.N, l.Text, l.Kind, l.Why, want[i])
		}
	}
	if title, n := tx.Title(); title != "Tokayev meets the Senate chairwoman" || n != 4 {
		t.Errorf("Title = %q at %d", title, n)
	}
	clipped := Plain("b.txt", []byte(" date 2025-09-11 TASHKENT, Uzbekistan, September 11. The ministers spoke by phone today."))
	if clipped.clip != "2025-09-11" || !strings.HasPrefix(clipped.Lines[0].Text, "TASHKENT") || clipped.Lines[0].Kind != Prose {
		t.Errorf("clip %q, line %+v", clipped.clip, clipped.Lines[0])
	}
}

// TestLanguage checks the language guess on each script and alphabet.
func TestLanguage(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"The President of Kazakhstan held a telephone conversation with the President of Uzbekistan and discussed trade.", "en"},
		{"Президент Казахстана провел телефонный разговор с Президентом Узбекистана и обсудил вопросы торговли.", "ru"},
		{"Қасым-Жомарт Тоқаев Өзбекстан Президентімен телефон арқылы сөйлесті және сауда мәселелерін талқылады.", "kk"},
		{"Садыр Жапаров Өзбекстандын президенти менен телефон аркылуу сүйлөштү жана соода маселелерин талкуулашты.", "ky"},
		{"Ўзбекистон Президенти Қозоғистон Президенти билан телефон орқали мулоқот қилди ва савдо масалаларини муҳокама этди.", "uz"},
		{"O‘zbekiston prezidenti Shavkat Mirziyoyev Qozog‘iston prezidenti bilan telefon orqali muloqot qildi va savdo masalalarini muhokama qildi.", "uz"},
		{"أجرى الرئيس مكالمة هاتفية مع رئيس أوزبكستان وبحث معه العلاقات التجارية بين البلدين.", "ar"},
	} {
		if got, _ := Language(Plain("a.txt", []byte(tc.text))); got != tc.want {
			t.Errorf("Language(%.40q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// testRegistry is a small registry for the step tests.
func testRegistry(t *testing.T) *store.Registry {
	t.Helper()
	const y = `
- id: tokayev
  name: Kassym-Jomart Tokayev
  country: Kazakhstan
  aliases: [Tokayev, Toqayev, Токаев, Тоқаев, Касым-Жомарт Токаев, Қасым-Жомарт Тоқаев, Qasim-Jomart Toqayev, توكاييف, قاسم جومارت توكاييف]
- id: mirziyoyev
  name: Shavkat Mirziyoyev
  country: Uzbekistan
  aliases: [Mirziyoyev, Мирзиёев, Шавкат Мирзиёев, Мирзиеев, ميرضيائيف]
- id: saidov
  name: Bakhtiyor Saidov
  country: Uzbekistan
  aliases: [Saidov, Саидов, سعيدوف, سايدوف]
- id: serdar-berdimuhamedov
  name: Serdar Berdimuhamedov
  country: Turkmenistan
  aliases: [Berdimuhamedov]
- id: gurbanguly-berdimuhamedov
  name: Gurbanguly Berdimuhamedov
  country: Turkmenistan
  aliases: [Berdimuhamedov]
`
	reg, _ := store.LoadRegistry(fstest.MapFS{"r.yaml": {Data: []byte(y)}}, "r.yaml")
	return reg
}

// TestOfficials checks registry matching under inflections and scripts,
// and who counts as a participant.
func TestOfficials(t *testing.T) {
	m := NewMatcher(testRegistry(t))
	for _, tc := range []struct {
		name, text string
		want       string // participants, by id or as written
	}{
		{"Russian instrumental", "Headline on the call here\n\nСостоялся телефонный разговор Шавката Мирзиёева с Касым-Жомартом Токаевым.", "mirziyoyev tokayev"},
		{"Kazakh genitive", "Headline on the call here\n\nТоқаевтың Мирзиёевпен телефон арқылы сөйлесуі болды.", "tokayev mirziyoyev"},
		{"Uzbek Latin accusative", "Headline on the call here\n\nMirziyoyev Qasim-Jomart Toqayevni tabrikladi.", "mirziyoyev tokayev"},
		{"Arabic prefixed", "Headline on the meeting\n\nوفي معرض ترحيبه بسايدوف، أكد الرئيس توكاييف استعداد كازاخستان.", "saidov tokayev"},
		{"a past event's participant is left out", "Headline on the talks here\n\nSaidov and Tokayev held talks in Astana.\n\nEarlier, Mirziyoyev visited Astana in December 2021.", "saidov tokayev"},
		{"two dated visits are background", "Headline on the talks here\n\nSaidov held talks in Astana.\n\nThe sides recalled the visits of Mirziyoyev in December 2021 and Tokayev in December 2022.", "saidov"},
		{"greetings only", "Headline on the meeting here\n\nTokayev received Saidov in Astana.\n\nSaidov extended greetings from President Mirziyoyev.", "tokayev saidov"},
		{"a shared surname needs a full name", "Headline on the talks here\n\nSerdar Berdimuhamedov met the guest. Later Berdimuhamedov spoke.", "serdar-berdimuhamedov"},
		{"someone outside the registry", "Headline on the meeting here\n\nOn Friday, the Prime Minister of Russia Mikhail Mishustin met with Tokayev.", "Mikhail Mishustin tokayev"},
		{"someone named for a coming event", "Headline on the article here\n\nTokayev wrote an article. He stressed the upcoming talks with Mirziyoyev that will be held in Moscow.", "tokayev"},
		{"a press secretary is not a participant", "Headline on the call here\n\nPress secretary Ruslan Zheldibay said that Tokayev spoke with Mirziyoyev.", "tokayev mirziyoyev"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx := Plain("a.txt", []byte(tc.text))
			var got []string
			for _, p := range Officials(tx, tx.Sentences(), m, false) {
				got = append(got, p.Name())
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPlace checks that the place is where the event happened.
func TestPlace(t *testing.T) {
	for _, tc := range []struct {
		name, text, kind, want string
	}{
		{"dateline is not the place", "Headline of the talks here\n\nASTANA, Kazakhstan, July 24. The ministers held talks in Khujand on trade.", "talks", "Khujand"},
		{"a dateline alone gives no place", "Headline of the talks here\n\nASTANA, Kazakhstan, July 24. The ministers held talks on trade.", "talks", ""},
		{"a phone call has no place", "Headline of the call here\n\nThe presidents spoke by phone; Tokayev was in Astana.", "call", ""},
		{"a venue places the event", "Headline of the talks here\n\n15 ноября в резиденции «Куксарой» прошли переговоры президентов.", "talks", "Tashkent"},
		{"Kazakh dative", "Headline of the visit here\n\nТоқаев Ташкентке мемлекеттік сапармен барды.", "state-visit", "Tashkent"},
		{"a title is not a place", "Headline of the meeting here\n\nقال رئيس كازاخستان خلال اجتماعه يوم 19 فبراير إن التعاون مهم.", "meeting", ""},
		{"an envoy's posting is not the place", "Headline of the talks here\n\nThe minister held talks with the ambassador of Kazakhstan in Uzbekistan.", "talks", ""},
		{"a country gives way to the dateline city in it", "Headline of the visit here\n\nASTANA — The documents were signed during the state visit to Kazakhstan on Aug. 8.", "state-visit", "Astana"},
		{"an earlier event's place is left out", "Headline of the talks here\n\nThe ministers talked.\n\nEarlier, the presidents met in Samarkand.", "talks", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx := Plain("a.txt", []byte(tc.text))
			p, _ := FindPlace(tx, tx.Sentences(), tc.kind, false)
			if p.Name != tc.want {
				t.Errorf("place %q (%s), want %q", p.Name, p.Why, tc.want)
			}
		})
	}
}

// TestKind checks the kind of event.
func TestKind(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"Tokayev and Mirziyoyev speak by phone\n\nThe presidents held a telephone conversation and discussed their talks.", "call"},
		{"Мирзиёев и Токаев провели переговоры в Ташкенте\n\nПрезиденты провели переговоры в узком формате.", "talks"},
		{"Kazakhstan and Uzbekistan forge ties\n\nThe documents were signed during the state visit. The visit was historic. The visit ended.", "state-visit"},
		{"Таджикистан и Киргизия подписали соглашение о границе\n\nПрезиденты подписали соглашение о границе.", "agreement"},
		{"The president's words\n\nThe president said so in an article in a newspaper. Last year his state visit took place.", "statement"},
	} {
		tx := Plain("a.txt", []byte(tc.text))
		if k, _ := FindKind(tx, tx.Sentences(), false); k.Kind != tc.want {
			t.Errorf("FindKind(%.50q) = %q, want %q", tc.text, k.Kind, tc.want)
		}
	}
}

// TestFigures checks that figures are copied as written and that dates,
// years, counters and tickers are not figures.
func TestFigures(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Headline of the call here\n\nFrom January through April 2025, mutual trade amounted to almost $1.4 billion, which is $168 million more.", []string{"almost $1.4 billion", "$168 million"}},
		{"Headline of the talks here\n\nТоварооборот с начала года достиг $4 млрд, стороны договорились увеличить его до $10 млрд.", []string{"$4 млрд", "$10 млрд"}},
		{"Headline of the talks here\n\nПо итогам 2025 года объём торговли составил 4,97 млрд долларов, что на 11,4 процента больше.", []string{"4,97 млрд долларов", "11,4 процента"}},
		{"Headline of the talks here\n\nوستطلق الدول 21 مشروعًا إضافيًا تبلغ قيمتها حوالي مليار دولار.", []string{"حوالي مليار دولار"}},
		{"Headline of the talks here\n\nProtяженность: the border exceeds 970 километров between them.", []string{"970 километров"}},
		{"Headline of the talks here\n\nTrade grew by 28% in the first quarter of 2021.", []string{"28%"}},
		{"Headline of the talks here\n\nThe ministers met on 19 February 2024 and call +996 779 028 383 for news; 4 403 people read it in 2024.", nil},
		{"Headline of the talks here\n\n$ 86.62 +0.05\n\nThe ministers met.", nil},
	} {
		tx := Plain("a.txt", []byte(tc.text))
		var got []string
		for _, f := range Figures(tx, tx.Sentences()) {
			got = append(got, f.Value)
			if !strings.Contains(tc.text, f.Value) {
				t.Errorf("figure %q is not in the text as written", f.Value)
			}
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Figures(%.60q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestWriteLoads checks that a draft as written loads as a briefing: a
// draft, with the values it was given, whatever quotes and colons they
// hold.
func TestWriteLoads(t *testing.T) {
	d, err := Extract([]Input{{Name: "a.txt", Data: []byte("https://example.com/2025/07/24/call\nTokayev and Mirziyoyev: \"a call\" # really\n\nASTANA, Kazakhstan, July 24. Tokayev held a telephone conversation with Mirziyoyev: trade reached almost $1.4 billion.")}}, testRegistry(t))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	c, err := store.Load(fstest.MapFS{"d.md": {Data: buf.Bytes()}}, store.Options{Registry: testRegistry(t)})
	if err != nil {
		t.Fatal(err)
	}
	bs := c.Briefings()
	if len(bs) != 1 {
		t.Fatalf("the draft does not load: %v\n%s", c.Problems(), buf.String())
	}
	b := bs[0]
	if !b.IsDraft() || b.Date.String() != "2025-07-24" || b.Kind != "call" || len(b.Officials) != 2 || b.Officials[0].Official == nil {
		t.Errorf("loaded %+v\n%s", b, buf.String())
	}
	if len(b.Sources()) != 1 || b.Sources()[0].Title != `Tokayev and Mirziyoyev: "a call" # really` || b.Sources()[0].URL != "https://example.com/2025/07/24/call" {
		t.Errorf("source %+v", b.Sources())
	}
	if len(b.Figures()) != 1 || b.Figures()[0].Value != "almost $1.4 billion" {
		t.Errorf("figures %+v", b.Figures())
	}
	for _, p := range c.Problems() {
		if p.Severity == store.Error || strings.Contains(p.Message, "unknown key") {
			t.Errorf("problem: %v", p)
		}
	}
}

// TestWriteSeason checks that a season the text gives survives the writer:
// "this spring" in a page published in May 2024 is Spring 2024.
func TestWriteSeason(t *testing.T) {
	pub, _ := store.ParseDate("2024-05-02")
	d, err := Extract([]Input{{Name: "a.txt", Published: pub, Data: []byte("Tokayev speaks to Mirziyoyev by phone\n\nTokayev thanked Mirziyoyev by phone for the help after the floods this spring.")}}, testRegistry(t))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	c, err := store.Load(fstest.MapFS{"d.md": {Data: buf.Bytes()}}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if bs := c.Briefings(); len(bs) != 1 || bs[0].When() != "~Spring 2024" {
		t.Errorf("loaded %+v (%v)\n%s", bs, c.Problems(), buf.String())
	}
}

// TestYAMLText checks that every value the writer emits reads back the
// same.
func TestYAMLText(t *testing.T) {
	for _, s := range []string{"plain", "with: colon", "# hash", "a #b", "yes", "123", "2025-07-24", "'quote", `"dq"`, `back\slash`, "-dash", "trailing:", " lead", "Ташкент", "حوالي مليار دولار", "[x]"} {
		doc := "---\ntitle: " + yamlText(s) + "\ndate: 2024\nofficials: [" + strings.TrimSuffix(strings.TrimPrefix(yamlList([]string{s}), "["), "]") + "]\n---\n"
		c, err := store.Load(fstest.MapFS{"a.md": {Data: []byte(doc)}}, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		bs := c.Briefings()
		if len(bs) != 1 || bs[0].Title != strings.TrimSpace(s) || bs[0].Officials[0].Name != strings.TrimSpace(s) {
			t.Errorf("%q: read back %+v (%v)\n%s", s, bs, c.Problems(), doc)
		}
	}
}

// TestDateline checks the datelines agencies put before their reports.
func TestDateline(t *testing.T) {
	for _, tc := range []struct{ sentence, want string }{
		{"(MENAFN- Trend News Agency) ASTANA, Kazakhstan, July 24.", "(MENAFN- Trend News Agency) ASTANA, Kazakhstan, July 24."},
		{"TASHKENT, Uzbekistan, September 11.", "TASHKENT, Uzbekistan, September 11."},
		{"АСТАНА, 15 қараша – Sputnik. Қасым-Жомарт Тоқаев", "АСТАНА, 15 қараша – Sputnik."},
		{"TOShKENT, 28 okt — Sputnik. O‘zbekiston prezidenti", "TOShKENT, 28 okt — Sputnik."},
		{"ТАШКЕНТ /Trend/ - 30 января министр", "ТАШКЕНТ /Trend/ -"},
		{"ASTANA – Presidents of Kazakhstan and Uzbekistan made", "ASTANA – "},
		{"Astana, The Gulf Observer: In a demonstration", "Astana, The Gulf Observer:"},
		{"On Friday, 20 January 2023, the Prime Minister", ""},
		{"Industrial cooperation between Kazakhstan and Uzbekistan", ""},
	} {
		if n := datelineLength(tc.sentence); tc.sentence[:n] != tc.want {
			t.Errorf("dateline of %q = %q, want %q", tc.sentence, tc.sentence[:n], tc.want)
		}
	}
}
