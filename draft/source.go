package draft

import (
	"net/url"
	"strings"

	"github.com/brief-tools/brief/store"
)

// Source is one article as a briefing cites it.
type Source struct {
	Outlet, Title, URL, Lang string
	Published                store.Date
	// Evidence says where each field came from, by field name.
	Evidence map[string]Evidence
}

// knownOutlets names outlets by the host of their pages.
var knownOutlets = map[string]string{
	"menafn.com": "MENAFN", "trend.az": "Trend", "astanatimes.com": "The Astana Times", "inform.kz": "Kazinform",
	"daryo.uz": "Daryo", "gazeta.uz": "Gazeta.uz", "kun.uz": "Kun.uz", "sputniknews.uz": "Sputnik Uzbekistan",
	"uz.sputniknews.ru": "Sputnik Uzbekistan", "sputnik.kz": "Sputnik Kazakhstan", "sputnik.kg": "Sputnik Kyrgyzstan",
	"akorda.kz": "Akorda", "president.uz": "Press service of the President of Uzbekistan", "24.kg": "24.kg", "kant.kg": "Kant",
	"eadaily.com": "EADaily", "tashkenttimes.uz": "Tashkent Times", "newscentralasia.net": "News Central Asia",
	"kursiv.media": "Kursiv", "liter.kz": "Liter.kz", "nova24.uz": "Nova24", "trtavaz.com.tr": "TRT Avaz",
	"eureporter.co": "EU Reporter", "zakon.kz": "Zakon.kz", "tengrinews.kz": "Tengrinews", "azattyk.org": "Azattyk",
	"t-media.kg": "T-Media", "russia-islworld.ru": "Russia – Islamic World", "uza.uz": "UzA", "kabar.kg": "Kabar",
	"khovar.tj": "Khovar", "turkmenportal.com": "Turkmenportal", "gulfobserver.net": "The Gulf Observer",
	"kazpravda.kz": "Kazakhstanskaya Pravda", "kt.kz": "Kazakhstan Today", "asiaplustj.info": "Asia-Plus",
}

// outletMentions are outlets a clipped page names in its own text.
var outletMentions = []struct{ text, name string }{
	{"(MENAFN- Trend News Agency)", "Trend News Agency (via MENAFN)"},
	{"Kazinform News Agency", "Kazinform"},
	{"KAZINFORM", "Kazinform"},
	{"Trend News Agency", "Trend News Agency"},
	{"/Trend/", "Trend"},
	{"Trend reports", "Trend"},
	{"The Gulf Observer", "The Gulf Observer"},
	{"EU Reporter", "EU Reporter"},
	{"Daryo's", "Daryo"},
	{"Daryo", "Daryo"},
	{"— Sputnik", "Sputnik"},
	{"– Sputnik", "Sputnik"},
	{"kant.kg", "Kant"},
	{"Astana Times", "The Astana Times"},
	{"UzA", "UzA"},
	{"O‘zA", "UzA"},
}

// hostOutlet names the outlet of a page's address: a known outlet
// (known is then true), or the host itself.
func hostOutlet(u string) (name string, known bool) {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "", false
	}
	host := strings.TrimSuffix(strings.ToLower(p.Hostname()), ".")
	for h := host; h != ""; {
		if name, ok := knownOutlets[h]; ok {
			return name, true
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return strings.TrimPrefix(host, "www."), false
}

// FindSource works out the article's outlet, title, address, language
// and publication date, preferring what the curator gave as flags.
func FindSource(t *Text, in Input, lang string, pub Published, havePub bool) Source {
	s := Source{Evidence: map[string]Evidence{}}
	s.URL = in.URL
	if s.URL != "" {
		s.Evidence["url"] = Evidence{File: t.File, Text: "--url " + s.URL}
	} else if t.URL != "" {
		s.URL = t.URL
		s.Evidence["url"] = Evidence{File: t.File, Line: 1, Text: t.URL}
	}
	switch {
	case in.Outlet != "":
		s.Outlet = in.Outlet
		s.Evidence["outlet"] = Evidence{File: t.File, Text: "--outlet " + in.Outlet}
	case t.Meta.Site != "":
		s.Outlet = t.Meta.Site
		s.Evidence["outlet"] = Evidence{File: t.File, Text: t.Meta.Site}
	default:
		o, known := hostOutlet(s.URL)
		if known {
			s.Outlet = o
			s.Evidence["outlet"] = Evidence{File: t.File, Text: s.URL}
		} else if o2, ev, ok := outletInText(t); ok {
			s.Outlet = o2
			s.Evidence["outlet"] = ev
		} else if o != "" {
			s.Outlet = o
			s.Evidence["outlet"] = Evidence{File: t.File, Text: s.URL}
		}
	}
	if title, n := t.Title(); title != "" {
		s.Title = title
		s.Evidence["title"] = Evidence{File: t.File, Line: n, Text: title}
	}
	s.Lang = lang
	if havePub {
		s.Published = pub.Date
		s.Evidence["published"] = pub.Evidence
	}
	return s
}

// outletInText finds an outlet the page names for itself.
func outletInText(t *Text) (string, Evidence, bool) {
	for _, om := range outletMentions {
		for _, l := range t.Lines {
			if l.Kind == Blank {
				continue
			}
			if strings.Contains(l.Text, om.text) {
				return om.name, Evidence{File: t.File, Line: l.N, Text: om.text}, true
			}
		}
	}
	return "", Evidence{}, false
}
