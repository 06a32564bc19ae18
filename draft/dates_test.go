package draft

import (
	"fmt"
	"testing"

	"github.com/brief-tools/brief/store"
)

// TestDates checks the date grammar on the forms news text uses, in every
// language of the corpus, including those off-the-shelf parsers get wrong.
func TestDates(t *testing.T) {
	for _, tc := range []struct {
		line string
		want string // "Y-M-D[~E]" per mention, "wd:N" weekday, "rel:N", "season:S"; "" for none
	}{
		{"TASHKENT, Uzbekistan, November 14. The President", "0-11-14"},
		{"ASTANA, Kazakhstan, July 24.", "0-7-24"},
		{"during the talks on Aug. 8 in the Kazakh capital", "0-8-8"},
		{"on Friday, 20 January 2023, the Prime Minister", "2023-1-20 wd:5"},
		{"The visit is planned for 18-19 aprel", "0-4-18~19"},
		{"Саммит пройдёт 14-15 қараша", "0-11-14~15"},
		{"15–16-noyabr kunlari Toshkentda", "0-11-15~16"},
		{"November 15-16 in Tashkent", "0-11-15~16"},
		{"в декабре 2021 года", "2021-12-0"},
		{"state visits in December 2021 and December 2022", "2021-12-0 2022-12-0"},
		{"Тоқаев 19 ақпанда келді", "0-2-19"},
		{"Токаев 21-августта келет", "0-8-21"},
		{"кечээ, 26-январда Кыргызстанга", "0-1-26"},
		{"خلال اجتماعه يوم 19 فبراير مع", "0-2-19"},
		{"اليوم الإثنين 27 أكتوبر/تشرين الأول 2025.", "2025-10-27 wd:1"},
		{"اليوم الجمعة 8 أغسطس/ آب 2025.", "2025-8-8 wd:5"},
		{"07.10.2020, 18:47", "2020-10-7"},
		{"19/02/2024 signed", "2024-2-19"},
		{"2025-07-24 05:06:55", "2025-7-24"},
		{"11 Mart 2021 23:13", "2021-3-11"},
		{"Опубликовано 13 марта 2025 в 11:35", "2025-3-13"},
		{"4 июля 2022, 12:47 Узбекистан", "2022-7-4"},
		{"Shavkat Mirziyoyev 28-oktabr kuni", "0-10-28"},
		{"TOShKENT, 3 mar — Sputnik.", "0-3-3"},
		{"7-Май, 2024-жыл, шейшемби", "2024-5-7 wd:2"},
		{"В понедельник, 20 сентября, состоялся", "0-9-20 wd:1"},
		{"Kazakh President on Monday held a meeting", "wd:1"},
		{"Kecha, 29-dekabr kuni muzokara", "0-12-29"},
		{"Бүгүн мамлекет башчыларынын", "rel:0"},
		{"yesterday the ministers met", "rel:-1"},
		{"the floods that afflicted Kazakhstan this spring", "season:spring"},
		{"в 2024 году товарооборот", "2024-0-0"},
		{"Весной прошли переговоры", "season:spring"},
		{"qishda muzokaralar", "season:winter"},
		{"Қыста кездесу өтті", "season:winter"},
		{"qishloq xo‘jaligi texnikalari", ""},
		{"зимний сад", ""},
		{"2021-yilning 10 oyida", "2021-0-0"},
		// Not dates.
		{"The May 5 billion plan", ""},
		{"he may visit later", ""},
		{"4 403 просмотра", ""},
		{"трейдеры в Казани", ""},
		{"$ 86.62 +0.05", ""},
		{"среди партнёров", ""},
	} {
		var got string
		for _, m := range Dates(tc.line) {
			if got != "" {
				got += " "
			}
			switch {
			case m.Season != "":
				got += "season:" + m.Season
			case m.IsRelative:
				got += fmt.Sprintf("rel:%d", m.Relative)
			case !m.IsDate() && m.HasWeekday:
				got += fmt.Sprintf("wd:%d", m.Weekday)
			default:
				got += fmt.Sprintf("%d-%d-%d", m.Year, m.Month, m.Day)
				if m.EndDay > 0 {
					got += fmt.Sprintf("~%d", m.EndDay)
				}
				if m.HasWeekday {
					got += fmt.Sprintf(" wd:%d", m.Weekday)
				}
			}
		}
		if got != tc.want {
			t.Errorf("Dates(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestEventDate checks how the event's date is chosen and how honest its
// basis is.
func TestEventDate(t *testing.T) {
	pub := func(s string) store.Date {
		d, err := store.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		name      string
		text      string
		published string
		want      string
		basis     store.Basis
		partial   string
	}{
		{"stated in full", "Headline of the day here\n\nOn Friday, 20 January 2023, the ministers met in Ashgabat.", "", "2023-01-20", store.BasisStated, ""},
		{"no year, no publication date", "Talks in Astana were held\n\nThe ministers met in Astana on February 19 and talked.", "", "", "", "February 19"},
		{"no year, year from --published", "Talks in Astana were held\n\nThe ministers met in Astana on February 19 and talked.", "2024-02-20", "2024-02-19", store.BasisInferred, ""},
		{"a late-December event in a January page", "Headline of the day here\n\nThe prime ministers held talks on 29 December by video.", "2022-01-03", "2021-12-29", store.BasisInferred, ""},
		{"today", "Headline of the day here\n\nToday the presidents hold talks in Bishkek.", "2023-01-27", "2023-01-27", store.BasisInferred, ""},
		{"yesterday", "Headline of the day here\n\nYesterday the presidents held talks in Bishkek.", "2023-01-27", "2023-01-26", store.BasisInferred, ""},
		{"a weekday", "Headline of the day here\n\nThe President on Monday held a meeting with the Speaker.", "2025-08-20", "2025-08-18", store.BasisInferred, ""},
		{"a range", "Headline of the day here\n\nThe summit is held on 15-16 November 2025 in Tashkent.", "", "2025-11-15", store.BasisStated, ""},
		{"an earlier event is not the event", "Headline of the day here\n\nEarlier, on 21 February, the committees signed a protocol.\n\nThe presidents signed the treaty.", "2025-03-13", "2025-03-13", store.BasisPublished, ""},
		{"the page clock is not the event", "Tuesday, 02 January 2024 12:17 GMT\n\nBig headline about a call\n\n2025-07-24 05:06:55\nThe presidents spoke by phone and discussed trade in 2025.", "", "2025-07-24", store.BasisPublished, ""},
		{"a season and the publication's year", "Headline of the call here\n\nHe thanked them for their support after the floods this spring.", "2024-05-02", "2024", store.BasisInferred, ""},
		{"DD.MM.YYYY stamp is the publication", "Headline of the day here\n07.10.2020, 18:47\n\nThe presidents spoke by phone about the situation.", "", "2020-10-07", store.BasisPublished, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx := Plain("a.txt", []byte(tc.text))
			var given store.Date
			if tc.published != "" {
				given = pub(tc.published)
			}
			p, ok := PublishedDate(tx, given)
			ed := ChooseEventDate(tx, tx.Sentences(), p, ok)
			got := ""
			if !ed.Date.IsZero() {
				got = ed.Date.String()
			}
			if got != tc.want || ed.Basis != tc.basis || ed.Partial != tc.partial {
				t.Errorf("got %q basis %q partial %q, want %q %q %q (note %q, candidates %+v)", got, ed.Basis, ed.Partial, tc.want, tc.basis, tc.partial, ed.Note, ed.Candidates)
			}
			if ed.Basis != store.BasisStated && got != "" && ed.Note == "" {
				t.Errorf("a date worked out without a note")
			}
		})
	}
}

// TestPublishedFromAddress checks the dates pages carry in their
// addresses.
func TestPublishedFromAddress(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"https://astanatimes.com/2024/08/kazakh-uzbek-presidents/", "2024-08"},
		{"https://www.gazeta.uz/oz/2017/07/07/qozogiston/", "2017-07-07"},
		{"https://oz.sputniknews.uz/amp/20231028/mirziyoev-40433227.html", "2023-10-28"},
		{"https://uz.kursiv.media/2025-11-15/mirziyoev-i-tokaev", "2025-11-15"},
		{"https://kant.kg/2021-09-21/glava-uzbekistana/?print=1", "2021-09-21"},
		{"https://www.trend.az/business/4089628.html", ""},
		{"https://example.com/2024/13/40/", ""},
	} {
		d, _, ok := urlDate(tc.url)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tc.want {
			t.Errorf("urlDate(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
}
