package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/store"
)

const goldDir = "../draft/testdata/gold/"

// runStdin runs the local command tree with stdin as standard input.
func runStdin(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	env := piped.build(&out, &errOut)
	env.Stdin = strings.NewReader(stdin)
	code := Execute(NewRoot(env), args)
	return result{out.String(), errOut.String(), code}
}

// loadDraft loads a draft briefing's text as the store would.
func loadDraft(t *testing.T, text string) (*store.Briefing, []store.Problem) {
	t.Helper()
	reg, _ := store.LoadRegistry(briefs.FS(), store.RegistryFile)
	c, err := store.Load(fstest.MapFS{"d.md": {Data: []byte(text)}}, store.Options{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Briefings()) != 1 {
		t.Fatalf("the draft does not load: %v\n%s", c.Problems(), text)
	}
	return c.Briefings()[0], c.Problems()
}

// TestDraftPrintsABriefing drafts a seed article to standard output: a
// briefing that loads, is a draft, and has the article's facts.
func TestDraftPrintsABriefing(t *testing.T) {
	r := run(t, piped, "draft", goldDir+"en-menafn-tokayev-mirziyoyev-call.txt")
	if r.code != 0 {
		t.Fatal(r)
	}
	b, problems := loadDraft(t, r.stdout)
	if !b.IsDraft() || b.Date.String() != "2025-07-24" || b.Kind != "call" || b.Location != "" {
		t.Errorf("draft: %+v\n%s", b, r.stdout)
	}
	if got := strings.Join(b.OfficialNames(), ", "); got != "Kassym-Jomart Tokayev, Shavkat Mirziyoyev" {
		t.Errorf("officials %q", got)
	}
	var values []string
	for _, f := range b.Figures() {
		values = append(values, f.Value)
	}
	if strings.Join(values, "|") != "almost $1.4 billion|$168 million|nearly $4.3 billion" {
		t.Errorf("figures %q", values)
	}
	if len(b.Sources()) != 1 || b.Sources()[0].Outlet != "Trend News Agency (via MENAFN)" || b.Sources()[0].Published.String() != "2025-07-24" || b.Sources()[0].Lang != "en" {
		t.Errorf("sources %+v", b.Sources())
	}
	warned := false
	for _, p := range problems {
		if p.Severity == store.Warning && strings.Contains(p.Message, "this briefing is a draft") && strings.Contains(p.Message, "date (line") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no draft warning naming the date to verify: %v", problems)
	}
	if strings.Contains(r.stdout, "2024-01-02") || strings.Contains(r.stdout, "02 January 2024") {
		t.Errorf("the page clock reached the draft:\n%s", r.stdout)
	}
}

// TestDraftOutNeverOverwrites writes into a folder, refuses to write the
// same draft twice, and leaves the first file as it was.
func TestDraftOutNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	article := goldDir + "ru-kursiv-tashkent-talks.txt"
	url := "https://uz.kursiv.media/2025-11-15/mirziyoev-i-tokaev-proveli-peregovory-v-tashkente"
	r := run(t, piped, "draft", "--url", url, "--out", dir, article)
	want := filepath.Join(dir, "2025-11-15-mirziyoyev-tokayev-talks.md")
	if r.code != 0 || strings.TrimSpace(r.stdout) != want {
		t.Fatalf("%v\nwant %s", r, want)
	}
	first, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(want, append(first, "\nEdited by a curator.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, piped, "draft", "--url", url, "--out", dir, article)
	if r.code != 1 || !strings.Contains(r.stderr, "already exists; not overwritten") {
		t.Errorf("second draft: %v", r)
	}
	after, _ := os.ReadFile(want)
	if !strings.HasSuffix(string(after), "Edited by a curator.\n") {
		t.Errorf("the curator's file was changed")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want 1", len(entries))
	}
	// brief check warns on it, list --drafts shows it.
	r = run(t, piped, "check", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "warning: this briefing is a draft") {
		t.Errorf("check: %v", r)
	}
}

// TestDraftWritesNothingWithoutOut checks that drafting leaves the
// briefing folder alone.
func TestDraftWritesNothingWithoutOut(t *testing.T) {
	dir := writeFolder(t, map[string]string{"a.md": briefing("A", "2024-01-02", "tokayev")})
	r := run(t, piped, "--dir", dir, "draft", goldDir+"en-trend-saidov-nurtleu-call.txt")
	if r.code != 0 {
		t.Fatal(r)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files after draft, want 1", len(entries))
	}
}

// TestDraftStdinAndURLLine drafts standard input whose line 1 is a URL.
func TestDraftStdinAndURLLine(t *testing.T) {
	text := "https://example.com/2022/07/04/call\n\nТокаев дал оценку действиям Мирзиёева\n\n4 июля состоялся телефонный разговор Шавката Мирзиёева с Касым-Жомартом Токаевым.\n"
	r := runStdin(t, text, "draft", "-")
	if r.code != 0 {
		t.Fatal(r)
	}
	b, _ := loadDraft(t, r.stdout)
	if len(b.Sources()) != 1 || b.Sources()[0].URL != "https://example.com/2022/07/04/call" || b.Sources()[0].Lang != "ru" {
		t.Errorf("sources %+v", b.Sources())
	}
	if b.Date.String() != "2022-07-04" || b.Dating().Basis != store.BasisInferred {
		t.Errorf("date %s %s", b.Date, b.Dating().Basis)
	}
	r = runStdin(t, text, "draft", "-", "-")
	if r.code != 2 || !strings.Contains(r.stderr, "only once") {
		t.Errorf("stdin twice: %v", r)
	}
}

// TestDraftMergesSources drafts the two reports of the 19 February talks
// into one draft with one source each.
func TestDraftMergesSources(t *testing.T) {
	r := run(t, piped, "draft", "--published", "2024-02-19", goldDir+"en-daryo-nurtleu-saidov-talks.txt", goldDir+"ar-eureporter-saidov-tokayev.txt")
	if r.code != 0 {
		t.Fatal(r)
	}
	b, _ := loadDraft(t, r.stdout)
	if len(b.Sources()) != 2 || b.Sources()[0].Lang != "en" || b.Sources()[1].Lang != "ar" {
		t.Errorf("sources %+v", b.Sources())
	}
	if b.Date.String() != "2024-02-19" {
		t.Errorf("date %s", b.Date)
	}
	ids := map[string]bool{}
	for _, o := range b.Officials {
		if o.Official != nil {
			ids[o.Official.ID] = true
		}
	}
	if !ids["nurtleu"] || !ids["saidov"] || !ids["tokayev"] || ids["mirziyoyev"] || len(b.Officials) != 3 {
		t.Errorf("officials %v", b.OfficialNames())
	}
}

// TestDraftJSONCitesFileAndLine checks that --format json gives each field
// with where it was found.
func TestDraftJSONCitesFileAndLine(t *testing.T) {
	r := run(t, piped, "draft", "--format", "json", goldDir+"en-menafn-tokayev-mirziyoyev-call.txt")
	if r.code != 0 {
		t.Fatal(r)
	}
	var rep struct {
		Status string `json:"status"`
		Date   struct {
			Value    string `json:"value"`
			Evidence []struct {
				File string `json:"file"`
				Line int    `json:"line"`
				Text string `json:"text"`
			} `json:"evidence"`
		} `json:"date"`
		Officials []struct {
			ID       string `json:"id"`
			Evidence []struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"evidence"`
		} `json:"officials"`
		SetAside []struct {
			Line int    `json:"line"`
			Why  string `json:"why"`
		} `json:"set_aside"`
	}
	if err := unmarshal(r.stdout, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Status != "draft" || rep.Date.Value != "2025-07-24" || len(rep.Date.Evidence) < 2 || rep.Date.Evidence[0].Line != 14 || rep.Date.Evidence[0].Text != "July 24" || rep.Date.Evidence[1].Line != 13 {
		t.Errorf("date %+v", rep.Date)
	}
	if len(rep.Officials) != 2 || rep.Officials[0].ID != "tokayev" || rep.Officials[0].Evidence[0].Line != 8 || rep.Officials[1].ID != "mirziyoyev" || rep.Officials[1].Evidence[0].Line != 14 || !strings.HasSuffix(rep.Officials[1].Evidence[0].File, "en-menafn-tokayev-mirziyoyev-call.txt") {
		t.Errorf("officials %+v", rep.Officials)
	}
	if len(rep.SetAside) < 10 {
		t.Errorf("only %d lines set aside", len(rep.SetAside))
	}
}

// TestDraftHTML drafts a saved page: the extractor finds the article, its
// title, site, language and publication date, and leaves the menus out.
func TestDraftHTML(t *testing.T) {
	page := `<!DOCTYPE html><html lang="ru"><head><title>Токаев провёл переговоры с Мирзиёевым</title>
<meta property="og:site_name" content="Example News"><meta property="article:published_time" content="2024-08-08T12:00:00+05:00">
<link rel="canonical" href="https://example.kz/news/123"></head>
<body><nav><a href="/">Главная</a> <a href="/p">Политика</a> <a href="/e">Экономика</a></nav>
<article><h1>Токаев провёл переговоры с Мирзиёевым</h1>
<p>Президент Казахстана Касым-Жомарт Токаев провёл переговоры с Президентом Узбекистана Шавкатом Мирзиёевым в Акорде.</p>
<p>Товарооборот в 2023 году составил 4,3 млрд долларов. Стороны намерены довести его до 10 млрд долларов.</p>
<p>Президенты подписали ряд документов в области энергетики, транспорта и промышленной кооперации между двумя странами.</p>
</article><footer>Подписывайтесь на наш канал. © 2024</footer></body></html>`
	dir := t.TempDir()
	file := filepath.Join(dir, "page.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, piped, "draft", file)
	if r.code != 0 {
		t.Fatal(r)
	}
	b, _ := loadDraft(t, r.stdout)
	if b.Location != "Astana" || b.Kind != "talks" || b.Date.String() != "2024-08-08" || b.Dating().Basis != store.BasisPublished {
		t.Errorf("draft %+v\n%s", b, r.stdout)
	}
	if len(b.Sources()) != 1 || b.Sources()[0].Outlet != "Example News" || b.Sources()[0].Lang != "ru" || b.Sources()[0].URL != "https://example.kz/news/123" || b.Sources()[0].Title != "Токаев провёл переговоры с Мирзиёевым" {
		t.Errorf("source %+v", b.Sources())
	}
	if len(b.Figures()) != 2 || b.Figures()[0].Value != "4,3 млрд долларов" {
		t.Errorf("figures %+v", b.Figures())
	}
	if strings.Contains(r.stdout, "Подписывайтесь") || strings.Contains(r.stdout, "Главная") {
		t.Errorf("chrome in the draft:\n%s", r.stdout)
	}
	// Evidence points at the page's own lines.
	r = run(t, piped, "draft", "--format", "json", file)
	var rep struct {
		Officials []struct {
			ID       string `json:"id"`
			Evidence []struct {
				Line int `json:"line"`
			} `json:"evidence"`
		} `json:"officials"`
		Figures []struct {
			Evidence struct {
				Line int `json:"line"`
			} `json:"evidence"`
		} `json:"figures"`
	}
	if err := unmarshal(r.stdout, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Officials) != 2 || rep.Officials[0].ID != "tokayev" || rep.Officials[0].Evidence[len(rep.Officials[0].Evidence)-1].Line != 6 || len(rep.Figures) != 2 || rep.Figures[0].Evidence.Line != 7 {
		t.Errorf("evidence lines: %+v", rep)
	}
}

// TestDraftRefuses checks the command's errors: each names the file or
// flag and the reason.
func TestDraftRefuses(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	binary := filepath.Join(dir, "utf16.txt")
	notDir := filepath.Join(dir, "file")
	os.WriteFile(empty, []byte("  \n"), 0o644)
	os.WriteFile(binary, []byte("\xff\xfeT\x00o\x00k\x00"), 0o644)
	os.WriteFile(notDir, []byte("x"), 0o644)
	a := goldDir + "en-trend-saidov-nurtleu-call.txt"
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"draft"}, 2, "needs one or more saved articles"},
		{[]string{"draft", "--format", "yaml", a}, 2, `--format "yaml"`},
		{[]string{"draft", "--format", "json", "--out", dir, a}, 2, "does not take --format json"},
		{[]string{"draft", "--url", "https://x.com/a", a, a}, 2, "--url names one article"},
		{[]string{"draft", "--published", "24 July", a}, 2, "--published"},
		{[]string{"draft", filepath.Join(dir, "missing.txt")}, 1, "missing.txt: no such file"},
		{[]string{"draft", empty}, 1, "empty.txt: empty"},
		{[]string{"draft", binary}, 1, "utf16.txt: a binary file"},
		{[]string{"draft", dir}, 1, "is a folder"},
		{[]string{"draft", "--out", filepath.Join(dir, "nowhere"), a}, 1, "--out"},
		{[]string{"draft", "--out", notDir, a}, 1, "not a folder"},
	} {
		r := run(t, piped, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: %v\nwant exit %d and %q", tc.args, r, tc.code, tc.want)
		}
	}
}

// TestListDrafts checks that list --drafts shows only drafts.
func TestListDrafts(t *testing.T) {
	dir := writeFolder(t, map[string]string{
		"done.md":  briefing("Finished talks", "2024-01-02", "tokayev"),
		"draft.md": briefing("Draft talks", "2024-03-04", "saidov", "status: draft"),
	})
	r := run(t, piped, "--dir", dir, "list", "--drafts")
	if r.code != 0 || len(lines(r.stdout)) != 1 || !strings.Contains(r.stdout, "Draft talks") {
		t.Errorf("list --drafts: %v", r)
	}
	r = run(t, piped, "--dir", dir, "list", "--format", "json")
	if r.code != 0 || strings.Count(r.stdout, `"status": "draft"`) != 1 {
		t.Errorf("list --format json: %v", r)
	}
	r = run(t, piped, "--dir", dir, "list")
	if len(lines(r.stdout)) != 2 {
		t.Errorf("list: %v", r)
	}
}

// TestDraftHostileArticle drafts an article carrying terminal escapes,
// C1 controls and a file name with a control byte: nothing reaches the
// output raw.
func TestDraftHostileArticle(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "evil\x1b[2J.txt")
	text := "Tokayev \x1b]52;c;aGk=\x07speaks\x9b31m by phone\n\nThe President of Kazakhstan Kassym-Jomart Tokayev held a telephone conversation with Shavkat Mirziyoyev \x1b[31mtoday\x1b[0m.\n"
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"markdown", "json"} {
		r := run(t, piped, "draft", "--format", format, "--published", "2025-07-24", name)
		if r.code != 0 {
			t.Fatal(r)
		}
		for _, out := range []string{r.stdout, r.stderr} {
			if strings.ContainsAny(out, "\x1b\x07\u009b") {
				t.Errorf("%s: a control character reached the output: %q", format, out)
			}
		}
		if format == "markdown" {
			b, _ := loadDraft(t, r.stdout)
			if b.Date.String() != "2025-07-24" || len(b.Officials) != 2 {
				t.Errorf("draft %+v", b)
			}
		}
	}
	r := run(t, piped, "draft", filepath.Join(dir, "missing\x1b[2J.txt"))
	if r.code != 1 || strings.Contains(r.stderr, "\x1b") || !strings.Contains(r.stderr, `\x1b`) {
		t.Errorf("the missing file's name is not quoted safely: %v", r)
	}
}
