package draft

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/store"
	"gopkg.in/yaml.v3"
)

// gold is one article of the gold set and the facts a curator wrote for it.
type gold struct {
	Name      string
	Text      []byte
	Split     string       `yaml:"split"`
	URL       string       `yaml:"url"`
	Lang      string       `yaml:"lang"`
	Date      string       `yaml:"date"`
	Basis     string       `yaml:"basis"`
	Kind      string       `yaml:"kind"`
	Location  string       `yaml:"location"`
	Officials []string     `yaml:"officials"`
	Figures   []goldFigure `yaml:"figures"`
	Outlet    string       `yaml:"outlet"`
	Note      string       `yaml:"note"`
}

type goldFigure struct {
	Label string `yaml:"label"`
	Value string `yaml:"value"`
}

// loadGold reads the gold set.
func loadGold(t testing.TB) []gold {
	t.Helper()
	files, err := filepath.Glob("testdata/gold/*.yaml")
	if err != nil || len(files) < 20 {
		t.Fatalf("gold set: %d files (%v)", len(files), err)
	}
	var out []gold
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var g gold
		if err := yaml.Unmarshal(data, &g); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		g.Name = strings.TrimSuffix(filepath.Base(f), ".yaml")
		if g.Text, err = os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".txt"); err != nil {
			t.Fatal(err)
		}
		if g.Split != "tune" && g.Split != "heldout" {
			t.Fatalf("%s: split %q", f, g.Split)
		}
		out = append(out, g)
	}
	return out
}

var (
	registryOnce sync.Once
	registryVal  *store.Registry
)

// goldRegistry is the built-in registry with the gold set's extra heads of
// state added where the built-in one lacks them.
func goldRegistry(t testing.TB) *store.Registry {
	t.Helper()
	registryOnce.Do(func() {
		builtin, err := fs.ReadFile(briefs.FS(), store.RegistryFile)
		if err != nil {
			panic(err)
		}
		extra, err := os.ReadFile("testdata/officials-extra.yaml")
		if err != nil {
			panic(err)
		}
		base, _ := store.LoadRegistry(fstest.MapFS{"r.yaml": {Data: builtin}}, "r.yaml")
		have := map[string]bool{}
		for _, o := range base.Officials() {
			have[o.ID] = true
		}
		// Keep only the extra entries the built-in registry lacks, by id and
		// by name: once officials.yaml lists a head of state, under any id,
		// its entry wins.
		field := func(entry, key string) string {
			i := strings.Index(entry, key+": ")
			if i < 0 {
				return ""
			}
			return strings.TrimSpace(strings.SplitN(entry[i+len(key)+2:], "\n", 2)[0])
		}
		var keep []string
		for _, entry := range strings.Split(string(extra), "\n- ") {
			id, name := field(entry, "id"), field(entry, "name")
			if id != "" && !have[id] && base.Lookup(name) == nil {
				keep = append(keep, "- "+strings.TrimPrefix(entry, "- "))
			}
		}
		merged := string(builtin) + "\n" + strings.Join(keep, "\n")
		registryVal, _ = store.LoadRegistry(fstest.MapFS{"r.yaml": {Data: []byte(merged)}}, "r.yaml")
	})
	return registryVal
}

// score is how one drafted article compares with its gold facts.
type score struct {
	name, split                    string
	dateRight, basisHonest         bool
	gotDate, gotBasis              string
	regGold, regFound, regFalse    int // registry people: in gold, found, found but not in gold
	otherGold, otherFound          int // people outside the registry
	falseNames                     []string
	placeRight, placeWrong         bool
	gotPlace                       string
	kindRight                      bool
	gotKind                        string
	figGold, figFound, figInvented int
	figExtra                       int
	missedFigures, inventedValues  []string
	langRight                      bool
	gotLang                        string
}

// scoreArticle drafts one gold article and compares field by field.
func scoreArticle(t testing.TB, g gold, reg *store.Registry) score {
	d, err := Extract([]Input{{Name: g.Name + ".txt", Data: g.Text, URL: g.URL}}, reg)
	if err != nil {
		t.Fatalf("%s: %v", g.Name, err)
	}
	a := d.Articles[0]
	sc := score{name: g.Name, split: g.Split}
	// Date: right when equal and no surer than the gold basis.
	sc.gotDate, sc.gotBasis = a.Date.Date.String(), string(a.Date.Basis)
	sc.basisHonest = !(a.Date.Basis == store.BasisStated && g.Basis != "stated")
	sc.dateRight = sc.gotDate == g.Date && sc.basisHonest && !a.Date.Date.IsZero()
	// Officials.
	goldIDs, goldNames := map[string]bool{}, []string{}
	for _, n := range g.Officials {
		if o := reg.Lookup(n); o != nil {
			goldIDs[o.ID] = true
		} else {
			goldNames = append(goldNames, n)
		}
	}
	sc.regGold, sc.otherGold = len(goldIDs), len(goldNames)
	var others []string
	for _, p := range a.People {
		switch {
		case p.Official != nil && goldIDs[p.Official.ID]:
			sc.regFound++
		case p.Official != nil:
			sc.regFalse++
			sc.falseNames = append(sc.falseNames, p.Official.ID)
		default:
			others = append(others, p.Written)
		}
	}
	sc.otherFound = writtenNamesFound(others, goldNames)
	// Place.
	sc.gotPlace = a.Place.Name
	sc.placeRight = store.Fold(a.Place.Name) == store.Fold(g.Location)
	sc.placeWrong = a.Place.Name != "" && !sc.placeRight
	sc.gotKind = a.Kind.Kind
	sc.kindRight = a.Kind.Kind == g.Kind
	// Figures: each gold value found at most once; an extracted value not
	// in the text verbatim is invented.
	used := make([]bool, len(a.Figures))
	for _, gf := range g.Figures {
		hit := false
		for i, f := range a.Figures {
			if !used[i] && sameFigure(f.Value, gf.Value) {
				used[i], hit = true, true
				break
			}
		}
		if hit {
			sc.figFound++
		} else {
			sc.missedFigures = append(sc.missedFigures, gf.Value)
		}
	}
	sc.figGold = len(g.Figures)
	for i, f := range a.Figures {
		if !strings.Contains(string(g.Text), f.Value) {
			sc.figInvented++
			sc.inventedValues = append(sc.inventedValues, f.Value)
		} else if !used[i] {
			sc.figExtra++
		}
	}
	sc.gotLang = a.Lang
	sc.langRight = a.Lang == g.Lang
	return sc
}

// sameFigure compares values as written, ignoring case, punctuation and a
// qualifier one side leaves out ("almost $1.4 billion", "$1.4 billion").
func sameFigure(got, want string) bool {
	g, w := foldWordsOf(got), foldWordsOf(want)
	return g == w || strings.Contains(g, w) || strings.Contains(w, g) && len(g) >= 3 && strings.ContainsAny(g, "0123456789")
}

// writtenNamesFound counts the gold names outside the registry that some
// drafted name matches, each gold name once however many drafted names
// match it ("Mishustin" and "Mikhail Mishustin" find one person).
func writtenNamesFound(drafted, gold []string) int {
	found := 0
	for _, g := range gold {
		for _, d := range drafted {
			if sameWrittenName(d, g) {
				found++
				break
			}
		}
	}
	return found
}

// sameWrittenName compares two spellings of a name outside the registry:
// the same surname stem.
func sameWrittenName(a, b string) bool {
	fa, fb := strings.Fields(foldWordsOf(a)), strings.Fields(foldWordsOf(b))
	if len(fa) == 0 || len(fb) == 0 {
		return false
	}
	x, y := fa[len(fa)-1], fb[len(fb)-1]
	n := min(len([]rune(x)), len([]rune(y)), 6)
	return n >= 4 && string([]rune(x)[:n]) == string([]rune(y)[:n])
}

// tally sums scores.
type tally struct {
	n, dateRight, basisHonest, regGold, regFound, regFalse, otherGold, otherFound          int
	placeRight, placeWrong, kindRight, figGold, figFound, figInvented, figExtra, langRight int
}

func (t *tally) add(s score) {
	t.n++
	t.dateRight += b2i(s.dateRight)
	t.basisHonest += b2i(s.basisHonest)
	t.regGold += s.regGold
	t.regFound += s.regFound
	t.regFalse += s.regFalse
	t.otherGold += s.otherGold
	t.otherFound += s.otherFound
	t.placeRight += b2i(s.placeRight)
	t.placeWrong += b2i(s.placeWrong)
	t.kindRight += b2i(s.kindRight)
	t.figGold += s.figGold
	t.figFound += s.figFound
	t.figInvented += s.figInvented
	t.figExtra += s.figExtra
	t.langRight += b2i(s.langRight)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func pct(a, b int) string {
	if b == 0 {
		return "  -  "
	}
	return fmt.Sprintf("%3d%%", a*100/b)
}

// table prints the field-by-field score of each half and of the whole.
func table(scores []score) string {
	var b strings.Builder
	halves := map[string]*tally{"tune": {}, "heldout": {}, "all": {}}
	for _, s := range scores {
		halves[s.split].add(s)
		halves["all"].add(s)
	}
	fmt.Fprintf(&b, "%-8s %3s  %-15s %-13s %-21s %-15s %-10s %-22s %-8s\n", "half", "n", "date right", "basis honest", "registry officials", "place", "kind", "figures", "language")
	fmt.Fprintf(&b, "%-8s %3s  %-15s %-13s %-21s %-15s %-10s %-22s %-8s\n", "", "", "", "", "recall  precision", "right  wrong", "right", "recall invented extra", "right")
	for _, h := range []string{"tune", "heldout", "all"} {
		t := halves[h]
		prec := t.regFound + t.regFalse
		fmt.Fprintf(&b, "%-8s %3d  %2d/%-2d %-8s %2d/%-2d %-6s %2d/%-2d  %-9s %2d/%-2d  %-5d %2d/%-2d %-2s %2d/%-2d %3d %7d %5d/%-2d\n",
			h, t.n, t.dateRight, t.n, pct(t.dateRight, t.n), t.basisHonest, t.n, pct(t.basisHonest, t.n),
			t.regFound, t.regGold, pct(t.regFound, prec), t.placeRight, t.n, t.placeWrong, t.kindRight, t.n, "",
			t.figFound, t.figGold, t.figInvented, t.figExtra, t.langRight, t.n)
	}
	fmt.Fprintf(&b, "people outside the registry, as written: %d of %d found\n", halves["all"].otherFound, halves["all"].otherGold)
	fmt.Fprintf(&b, "\nper article (held-out ones only with DRAFT_HELDOUT=1, so that rules are not fitted to them):\n")
	sort.Slice(scores, func(i, j int) bool { return scores[i].name < scores[j].name })
	for _, s := range scores {
		if s.split == "heldout" && os.Getenv("DRAFT_HELDOUT") == "" {
			continue
		}
		marks := []string{}
		if !s.dateRight {
			marks = append(marks, fmt.Sprintf("date %s/%s", orDash(s.gotDate), orDash(s.gotBasis)))
		}
		if s.regFound < s.regGold || s.regFalse > 0 {
			marks = append(marks, fmt.Sprintf("officials %d/%d false %v", s.regFound, s.regGold, s.falseNames))
		}
		if !s.placeRight {
			marks = append(marks, "place "+orDash(s.gotPlace))
		}
		if !s.kindRight {
			marks = append(marks, "kind "+orDash(s.gotKind))
		}
		if len(s.missedFigures) > 0 {
			marks = append(marks, fmt.Sprintf("missed figures %q", s.missedFigures))
		}
		if s.figInvented > 0 {
			marks = append(marks, fmt.Sprintf("INVENTED %q", s.inventedValues))
		}
		if !s.langRight {
			marks = append(marks, "lang "+orDash(s.gotLang))
		}
		status := "ok"
		if len(marks) > 0 {
			status = strings.Join(marks, "; ")
		}
		fmt.Fprintf(&b, "  %-8s %-40s %s\n", s.split, s.name, status)
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func scoreAll(t testing.TB) []score {
	reg := goldRegistry(t)
	var out []score
	for _, g := range loadGold(t) {
		out = append(out, scoreArticle(t, g, reg))
	}
	return out
}

// TestGoldHonesty holds on every article, tuning and held-out alike: no
// figure that is not in the text, no place that is not the event's, no
// registry official who did not take part, no date claimed as stated that
// the text does not state.
func TestGoldHonesty(t *testing.T) {
	for _, s := range scoreAll(t) {
		if s.figInvented > 0 {
			t.Errorf("%s: invented figures %q", s.name, s.inventedValues)
		}
		if s.placeWrong {
			t.Errorf("%s: place %q is not the event's", s.name, s.gotPlace)
		}
		if s.regFalse > 0 {
			t.Errorf("%s: officials who did not take part: %v", s.name, s.falseNames)
		}
		if !s.basisHonest {
			t.Errorf("%s: date %s claimed as stated", s.name, s.gotDate)
		}
	}
}

// TestGoldTuningGoals checks the goals on the tuning half, where the rules
// were developed: a regression guard. The held-out half is reported by
// the benchmark, never asserted, so that nothing is fitted to it.
func TestGoldTuningGoals(t *testing.T) {
	var tl tally
	var scores []score
	for _, s := range scoreAll(t) {
		if s.split == "tune" {
			tl.add(s)
			scores = append(scores, s)
		}
	}
	// Two tuning articles give no year and no publication date at all
	// (the flood call's "this spring", EU Reporter's "19 February"): an
	// honest extractor cannot date them.
	if tl.dateRight < tl.n-2 {
		t.Errorf("event date right for %d of %d\n%s", tl.dateRight, tl.n, table(scores))
	}
	if tl.regFound < tl.regGold {
		t.Errorf("registry officials found: %d of %d\n%s", tl.regFound, tl.regGold, table(scores))
	}
	if tl.figFound*10 < tl.figGold*9 {
		t.Errorf("figures found: %d of %d\n%s", tl.figFound, tl.figGold, table(scores))
	}
}

var printTable sync.Once

// BenchmarkGold drafts every gold article per iteration and prints the
// field-by-field table, tuning and held-out halves apart:
//
//	go test -run XXX -bench Gold ./draft/
func BenchmarkGold(b *testing.B) {
	reg := goldRegistry(b)
	golds := loadGold(b)
	printTable.Do(func() {
		var scores []score
		for _, g := range golds {
			scores = append(scores, scoreArticle(b, g, reg))
		}
		fmt.Print(table(scores))
	})
	b.ResetTimer()
	for range b.N {
		for _, g := range golds {
			if _, err := Extract([]Input{{Name: g.Name, Data: g.Text, URL: g.URL}}, reg); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(golds))/1e6, "ms/article")
}

// BenchmarkDraftOneArticle drafts the largest article of the gold set,
// registry index included, as 'brief draft FILE' does once:
//
//	go test -run XXX -bench DraftOneArticle ./draft/
func BenchmarkDraftOneArticle(b *testing.B) {
	reg := goldRegistry(b)
	var big gold
	for _, g := range loadGold(b) {
		if len(g.Text) > len(big.Text) {
			big = g
		}
	}
	b.SetBytes(int64(len(big.Text)))
	b.ResetTimer()
	for range b.N {
		if _, err := Extract([]Input{{Name: big.Name, Data: big.Text, URL: big.URL}}, reg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDraftManyLines drafts a clipping of 20,000 short headline-like
// lines and a paragraph: the line filter must stay linear in the lines.
func BenchmarkDraftManyLines(b *testing.B) {
	var buf strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&buf, "Heading line number %d here\n", i)
	}
	buf.WriteString("\nThe presidents held talks in Astana on 19 February 2024 and agreed to raise trade to $10 billion.\n")
	data := []byte(buf.String())
	reg := goldRegistry(b)
	b.SetBytes(int64(len(data)))
	for range b.N {
		if _, err := Extract([]Input{{Name: "many.txt", Data: data}}, reg); err != nil {
			b.Fatal(err)
		}
	}
}

func TestWrittenNamesFoundCountsEachGoldNameOnce(t *testing.T) {
	tests := []struct {
		name          string
		drafted, gold []string
		want          int
	}{
		{"two spellings of one person", []string{"Mishustin", "Mikhail Mishustin"}, []string{"Mikhail Mishustin"}, 1},
		{"one drafted name for two gold", []string{"Mishustin"}, []string{"Mikhail Mishustin", "Alexei Overchuk"}, 1},
		{"both found", []string{"Overchuk", "Mishustin"}, []string{"Mikhail Mishustin", "Alexei Overchuk"}, 2},
		{"none drafted", nil, []string{"Mikhail Mishustin"}, 0},
		{"short surnames do not match", []string{"Li"}, []string{"Li Qiang"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := writtenNamesFound(tt.drafted, tt.gold); got != tt.want {
				t.Errorf("writtenNamesFound(%q, %q) = %d, want %d", tt.drafted, tt.gold, got, tt.want)
			}
		})
	}
}
