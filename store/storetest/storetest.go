// Package storetest generates synthetic briefing corpora for tests and
// benchmarks: any number of realistic briefings of about 4 KB each, with an
// officials registry, deterministic for a given seed. By default their
// text comes from a small English vocabulary; with Options.Realistic it
// reads like a multilingual news archive (see text.go).
package storetest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/store"
)

// Options shape a generated corpus.
type Options struct {
	// Briefings is how many briefings to write.
	Briefings int
	// Officials is how many officials the registry holds (default 300).
	Officials int
	// Seed makes the corpus reproducible.
	Seed uint64
	// Folders spreads the briefings over this many subfolders (default 20).
	Folders int
	// Realistic writes titles, summaries and bodies as a news archive in
	// several languages and scripts has them: English, Russian, Kazakh,
	// Uzbek (Latin and Cyrillic) and Arabic, each from a vocabulary of tens
	// of thousands of words drawn with Zipf's law, with officials' names
	// in the script of the text, Arabic clitics and harakat, and bodies of
	// 1 to 7 KB. Search benchmarks need it: a small vocabulary makes every
	// word common and every query slow in a way no archive is.
	Realistic bool
	// Unregistered names this many people the registry does not know in
	// each briefing: a load warning each.
	Unregistered int
}

// Files generates a corpus as file contents keyed by slash-separated path.
func Files(opts Options) map[string][]byte {
	files := map[string][]byte{}
	generate(opts, func(name string, data []byte) error {
		files[name] = data
		return nil
	})
	return files
}

// generate gives each file of the corpus to f, one at a time, stopping at
// f's first error.
func generate(opts Options, f func(name string, data []byte) error) error {
	if opts.Officials <= 0 {
		opts.Officials = 300
	}
	if opts.Folders <= 0 {
		opts.Folders = 20
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	people := makeOfficials(rng, opts.Officials)
	if err := f("officials.yaml", registry(people)); err != nil {
		return err
	}
	var w *writer
	if opts.Realistic {
		w = newWriter(rng, people)
	}
	for i := range opts.Briefings {
		name := fmt.Sprintf("y%02d/%05d-%s.md", i%opts.Folders, i, slug(rng))
		var t text = smallText{rng}
		if w != nil {
			t = w.text()
		}
		if err := f(name, briefing(rng, i, people, t, opts.Unregistered)); err != nil {
			return err
		}
	}
	return nil
}

// MapFS generates a corpus in memory.
func MapFS(opts Options) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range Files(opts) {
		m[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return m
}

// Write generates a corpus into dir, which must exist, one file at a
// time.
func Write(dir string, opts Options) error {
	made := map[string]bool{}
	return generate(opts, func(name string, data []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if d := filepath.Dir(p); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return fmt.Errorf("generate corpus: %w", err)
			}
			made[d] = true
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return fmt.Errorf("generate corpus: %w", err)
		}
		return nil
	})
}

// official is a generated registry entry.
type official struct {
	id, name, country, role string
	aliases                 []string
}

var (
	given     = []string{"Aibek", "Bakhtiyor", "Dilnoza", "Erlan", "Farrukh", "Gulnara", "Islom", "Jamshid", "Kairat", "Laziz", "Madina", "Nurlan", "Olim", "Rustam", "Saule", "Timur", "Ulugbek", "Zarina"}
	family    = []string{"Abdullaev", "Bekov", "Dzhaksybekov", "Ergashev", "Iskakov", "Karimov", "Kasymov", "Mamytov", "Nazarov", "Omarov", "Rakhimov", "Sadykov", "Tashkentov", "Umarov", "Yusupov", "Zhumabaev"}
	cyr       = map[string]string{"Abdullaev": "Абдуллаев", "Bekov": "Беков", "Dzhaksybekov": "Джаксыбеков", "Ergashev": "Эргашев", "Iskakov": "Искаков", "Karimov": "Каримов", "Kasymov": "Касымов", "Mamytov": "Мамытов", "Nazarov": "Назаров", "Omarov": "Омаров", "Rakhimov": "Рахимов", "Sadykov": "Садыков", "Tashkentov": "Ташкентов", "Umarov": "Умаров", "Yusupov": "Юсупов", "Zhumabaev": "Жумабаев"}
	arabic    = map[string]string{"Abdullaev": "عبداللايف", "Bekov": "بيكوف", "Karimov": "كريموف", "Nazarov": "نازاروف", "Omarov": "عمروف", "Umarov": "عمروف", "Yusupov": "يوسوبوف"}
	roles     = []string{"Minister of Foreign Affairs", "Deputy Prime Minister", "Minister of Energy", "Minister of Transport", "Ambassador", "Chair of the Senate", "Minister of Trade", "Governor"}
	kinds     = []string{"call", "meeting", "talks", "visit", "summit", "statement", "agreement"}
	places    = []string{"Astana", "Tashkent", "Almaty", "Samarkand", "Shymkent", "Bukhara", "Turkistan", "Dushanbe", "Bishkek"}
	topics    = []string{"trade", "energy", "water-energy", "transport", "logistics", "industry", "agriculture", "culture", "border", "security", "education", "investment", "regional-cooperation"}
	outlets   = []string{"Kazinform", "Daryo", "Trend News Agency", "Akorda", "UzA", "EU Reporter", "The Gulf Observer", "Kun.uz"}
	words     = strings.Fields("the ministers discussed cooperation in trade energy transport and water resources agreed to expand joint projects on the border reviewed progress since the state visits and noted steady growth of mutual trade turnover while both sides stressed regional stability connectivity and the importance of implementing earlier agreements in full")
	countries = []string{"Kazakhstan", "Uzbekistan"}
)

func makeOfficials(rng *rand.Rand, n int) []official {
	people := make([]official, n)
	for i := range people {
		g, f := given[rng.IntN(len(given))], family[rng.IntN(len(family))]
		o := official{
			id:      fmt.Sprintf("%s-%d", strings.ToLower(f), i),
			name:    g + " " + f,
			country: countries[rng.IntN(2)],
			role:    roles[rng.IntN(len(roles))],
		}
		o.aliases = []string{f + fmt.Sprint(i), cyr[f] + fmt.Sprint(i)}
		if a, ok := arabic[f]; ok {
			o.aliases = append(o.aliases, a+fmt.Sprint(i))
		}
		people[i] = o
	}
	return people
}

func registry(people []official) []byte {
	var b strings.Builder
	b.WriteString("# generated officials registry\n")
	for _, o := range people {
		fmt.Fprintf(&b, "- id: %s\n  name: %s %s\n  country: %s\n  roles:\n    - title: %s of %s\n      from: 2015-01\n  aliases: [%s]\n\n",
			o.id, o.name, strings.TrimPrefix(o.id[strings.LastIndex(o.id, "-")+1:], ""), o.country, o.role, o.country, strings.Join(o.aliases, ", "))
	}
	return []byte(b.String())
}

func slug(rng *rand.Rand) string {
	return words[rng.IntN(len(words))] + "-" + words[rng.IntN(len(words))]
}

func sentence(rng *rand.Rand, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[rng.IntN(len(words))]
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func pick(rng *rand.Rand, list []string, n int) []string {
	out := make([]string, 0, n)
	seen := map[string]bool{}
	for len(out) < n {
		s := list[rng.IntN(len(list))]
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// briefing writes one briefing, its prose from t.
func briefing(rng *rand.Rand, i int, people []official, t text, unregistered int) []byte {
	var b strings.Builder
	year, month, day := 2015+rng.IntN(11), 1+rng.IntN(12), 1+rng.IntN(28)
	b.WriteString("---\n")
	fmt.Fprintf(&b, "id: gen-%05d\n", i)
	fmt.Fprintf(&b, "title: %s\n", strings.TrimSuffix(t.sentence(8), "."))
	switch i % 10 {
	case 0:
		fmt.Fprintf(&b, "date: %04d-%02d\ndating:\n  basis: inferred\n  note: %s\n", year, month, t.sentence(12))
	case 1:
		fmt.Fprintf(&b, "date: %04d\n", year)
	default:
		fmt.Fprintf(&b, "date: %04d-%02d-%02d\n", year, month, day)
	}
	fmt.Fprintf(&b, "kind: %s\nlocation: %s\n", kinds[rng.IntN(len(kinds))], places[rng.IntN(len(places))])
	fmt.Fprintf(&b, "countries: [%s]\n", strings.Join(countries, ", "))
	fmt.Fprintf(&b, "topics: [%s]\n", strings.Join(pick(rng, topics, 2+rng.IntN(3)), ", "))
	b.WriteString("officials:\n")
	for range 2 + rng.IntN(3) {
		o := people[rng.IntN(len(people))]
		if rng.IntN(4) == 0 {
			fmt.Fprintf(&b, "  - %s\n", o.aliases[rng.IntN(len(o.aliases))])
		} else {
			fmt.Fprintf(&b, "  - %s\n", o.id)
		}
	}
	for j := range unregistered {
		fmt.Fprintf(&b, "  - Visitor %d-%d\n", i, j)
	}
	fmt.Fprintf(&b, "summary: %s\n", t.sentence(22))
	b.WriteString("figures:\n")
	for range 2 + rng.IntN(3) {
		fmt.Fprintf(&b, "  - label: %s\n    value: $%d.%d billion\n    note: %s\n", strings.TrimSuffix(t.sentence(5), "."), 1+rng.IntN(20), rng.IntN(10), t.sentence(8))
	}
	b.WriteString("sources:\n")
	for range 1 + rng.IntN(3) {
		fmt.Fprintf(&b, "  - outlet: %s\n    title: \"%s\"\n    url: https://example.org/news/%d/%d\n    lang: %s\n    published: %04d-%02d-%02d\n",
			outlets[rng.IntN(len(outlets))], strings.TrimSuffix(t.sentence(9), "."), year, rng.IntN(1e6), t.lang(), year, month, day)
	}
	b.WriteString("---\n\n")
	t.body(&b)
	return []byte(b.String())
}

// text writes the prose of a briefing.
type text interface {
	sentence(words int) string // a sentence of about so many words
	body(b *strings.Builder)   // a body of a few paragraphs
	lang() string              // the language's code
}

// smallText is prose from the small English vocabulary, bodies filling
// files to about 4 KB.
type smallText struct{ rng *rand.Rand }

func (t smallText) sentence(n int) string { return sentence(t.rng, n) }
func (t smallText) lang() string          { return "en" }

func (t smallText) body(b *strings.Builder) {
	fmt.Fprintf(b, "%s\n\n## What was discussed\n\n", sentence(t.rng, 40))
	for b.Len() < 3900 {
		fmt.Fprintf(b, "%s %s\n\n", sentence(t.rng, 25), sentence(t.rng, 20))
		if t.rng.IntN(4) == 0 {
			fmt.Fprintf(b, "- %s\n- %s\n\n", sentence(t.rng, 8), sentence(t.rng, 8))
		}
	}
}

// SharedDir gives a folder of n generated briefings (seed 1) under the
// system's temporary folder, writing it the first time it is asked for on
// a machine: benchmarks in several packages then read the same files.
func SharedDir(tb testing.TB, n int) string {
	tb.Helper()
	return sharedDir(tb, fmt.Sprintf("corpus-%d", n), Options{Briefings: n, Seed: 1})
}

// SharedRealisticDir is SharedDir for a Realistic corpus.
func SharedRealisticDir(tb testing.TB, n int) string {
	tb.Helper()
	return sharedDir(tb, fmt.Sprintf("realistic-v%d-%d", textVersion, n), Options{Briefings: n, Seed: 1, Realistic: true})
}

func sharedDir(tb testing.TB, name string, opts Options) string {
	tb.Helper()
	dir := filepath.Join(os.TempDir(), "brief-bench", name)
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err == nil {
		return dir
	}
	if err := os.RemoveAll(dir); err != nil {
		tb.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := Write(dir, opts); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// Builtin loads the built-in corpus with its registry, failing tb if it
// cannot.
func Builtin(tb testing.TB) *store.Corpus {
	tb.Helper()
	reg, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	c, err := store.Load(briefs.FS(), store.Options{Name: briefs.Name, Registry: reg})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// LoadDir loads the briefings in dir with the built-in registry, as
// `brief --dir` does, failing tb if the folder cannot be read.
func LoadDir(tb testing.TB, dir string) *store.Corpus {
	tb.Helper()
	reg, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	c, err := store.Load(store.Dir(dir), store.Options{Name: dir, Registry: reg})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
