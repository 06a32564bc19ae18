package draft

import (
	"strings"
	"sync"
)

// kindCues() are the words that name each kind of event, folded stems, in
// the order ties are broken: a phone call is a call whatever else it
// mentions, and a summit outranks the meetings held at it.
var kindCues = sync.OnceValue(func() []kindCue {
	return foldCues([]kindCue{
		{"call", []string{"phone", "telephone", "телефон", "telefon", "по телефону", "هاتف", "مكالمه", "اتصال هاتفي"}, nil},
		{"summit", []string{"summit", "саммит", "sammit", "consultative meeting", "консультативн", "маслахат учрашуви", "maslahat uchrashuvi", "القمه"}, nil},
		{"state-visit", []string{"state visit", "государственн визит", "государственным визитом", "государственный визит", "мемлекеттік сапар", "мамлекеттик сапар", "davlat tashrifi", "давлат ташрифи", "زياره دوله", "زياره الدوله"}, nil},
		{"agreement", []string{"signed an agreement", "signed the agreement", "signed a treaty", "подписали соглашение", "подписали договор", "подписание договора", "подписания", "келісімге қол", "kelishuvni imzol", "келишимге кол", "وقعوا اتفاق", "توقيع اتفاق"}, nil},
		{"visit", []string{"official visit", "working visit", "visit", "визит", "сапар", "tashrif", "ташриф", "زياره"}, nil},
		{"talks", []string{"talks", "negotiations", "переговор", "келіссөз", "muzokara", "музокара", "сүилөшүү", "محادثات", "مباحثات"}, nil},
		{"meeting", []string{"meeting", "met with", "received", "встреч", "встретил", "принял", "кездесу", "кездесті", "қабылдады", "uchrashuv", "qabul qildi", "жолугушуу", "жолукту", "اجتماع", "لقاء", "التقى", "استقبل"}, nil},
		{"statement", []string{"article", "interview", "statement", "мақала", "мақалада", "статья", "статье", "интервью", "заявлени", "maqola", "intervyu", "بيان", "مقال"}, nil},
	})
})

type kindCue struct {
	kind   string
	cues   []string
	folded []string
}

func foldCues(kcs []kindCue) []kindCue {
	for i := range kcs {
		kcs[i].folded = foldAll(kcs[i].cues)
	}
	return kcs
}

// Kind is the sort of event, and the words that said so.
type Kind struct {
	Kind     string
	Evidence Evidence
	Sure     bool
}

// FindKind scores each kind by its cue words: the headline counts three
// times, the first two paragraphs twice, the rest once; sentences about
// earlier events do not count, nor those about later ones unless the
// article announces the event itself. A call cue in the headline or opening
// decides at once.
func FindKind(t *Text, sents []Sentence, announced bool) (Kind, bool) {
	score := map[string]int{}
	first := map[string]Evidence{}
	for _, s := range sents {
		if s.Past || (s.Future && !announced) {
			continue
		}
		w := 1
		switch {
		case s.Para < 0:
			w = 3
		case s.Para <= 1:
			w = 2
		}
		f := s.fold
		matched := map[string]bool{}
		for _, kc := range kindCues() {
			// A state visit is not also counted as a visit, nor a call as talks.
			if (kc.kind == "visit" && matched["state-visit"]) || ((kc.kind == "talks" || kc.kind == "meeting") && matched["call"]) {
				continue
			}
			for ci, fc := range kc.folded {
				c := kc.cues[ci]
				if hasPhrase(f, fc, true) {
					matched[kc.kind] = true
					score[kc.kind] += w
					if _, ok := first[kc.kind]; !ok {
						first[kc.kind] = Evidence{File: t.File, Line: s.Line, Text: cueText(s.Text, c)}
					}
					break
				}
			}
		}
	}
	// "The visit" in an article about a state visit is that state visit.
	if score["state-visit"] > 0 {
		score["state-visit"] += score["visit"]
		score["visit"] = 0
	}
	if score["call"] >= 2 {
		return Kind{Kind: "call", Evidence: first["call"], Sure: true}, true
	}
	best, bestScore, total := "", 0, 0
	for _, kc := range kindCues() {
		total += score[kc.kind]
		if score[kc.kind] > bestScore {
			best, bestScore = kc.kind, score[kc.kind]
		}
	}
	if best == "" {
		return Kind{}, false
	}
	return Kind{Kind: best, Evidence: first[best], Sure: bestScore*2 > total}, true
}

// cueText gives the cue's words as the sentence writes them, or the cue.
func cueText(s, cue string) string {
	fc := strings.Fields(foldWordsOf(cue))
	toks := tokenize(s)
	var words []token
	for _, t := range toks {
		if t.kind == tokWord {
			words = append(words, t)
		}
	}
	for i := range words {
		if i+len(fc) > len(words) {
			break
		}
		ok := true
		for j, w := range fc {
			if !strings.HasPrefix(words[i+j].fold, w) {
				ok = false
				break
			}
		}
		if ok {
			return s[words[i].start:words[i+len(fc)-1].end]
		}
	}
	return cue
}
