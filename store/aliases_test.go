package store_test

import (
	"testing"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/store"
)

// TestEveryAliasFindsItsOfficial checks, for every official of the built-in
// registry, that the id, the name and every alias find that official and no
// one else through FindPeople, the lookup behind "brief list --official"
// and the reader's official picker, and that each also finds the official's
// briefings.
func TestEveryAliasFindsItsOfficial(t *testing.T) {
	c := qaBuiltIn(t)
	officials := c.Registry().Officials()
	if len(officials) < 60 {
		t.Fatalf("%d officials in the built-in registry, want the five states' leaders too", len(officials))
	}
	for _, o := range officials {
		want := c.Query(store.Query{Official: o})
		for _, name := range append([]string{o.ID, o.Name}, o.Aliases...) {
			people := c.FindPeople(name)
			if len(people) != 1 || people[0].Official != o {
				var got []string
				for _, p := range people {
					got = append(got, p.Key())
				}
				t.Errorf("%s: %q finds %q", o.ID, name, got)
				continue
			}
			if got := c.Query(store.Query{Official: people[0].Official}); len(got) != len(want) {
				t.Errorf("%s: %q finds %d briefings, want %d", o.ID, name, len(got), len(want))
			}
		}
	}
}

// TestIssueSpellings checks the spellings that found nothing before
// (issue 13, item 7), each with the official it must find.
func TestIssueSpellings(t *testing.T) {
	c := qaBuiltIn(t)
	tests := []struct {
		spelling, id string
	}{
		{"Norboyeva", "norbaeva"},
		{"Tanzila Norboyeva", "norbaeva"},
		{"Qasim-Jomart Toqayev", "tokayev"},
		{"Қасим-Жомарт Тоқаев", "tokayev"},
		{"Тўқаев", "tokayev"},
		{"Қосим-Жомарт Тўқаев", "tokayev"},
		{"Kassym-Zhomart Tokayev", "tokayev"},
		{"Kasym-Jomart Tokayev", "tokayev"},
		{"Нуртлеу Мурат", "nurtleu"},
		{"Саидов Бахтиёр", "saidov"},
		{"Bakhtier Saidov", "saidov"},
		// Case, diacritics and punctuation do not matter.
		{"TANZILA NORBOYEVA", "norbaeva"},
		{"kasym jomart tokayev", "tokayev"},
		{"Нуртлеу, Мурат", "nurtleu"},
		// The five states' leaders, in several scripts.
		{"Нурсултан Назарбаев", "nazarbayev"},
		{"نور سلطان نزارباييف", "nazarbayev"},
		{"Ислом Каримов", "karimov"},
		{"Niʻmatilla Yoʻldoshev", "yuldashev"},
		{"Садыр Жапаров", "sadyr-japarov"},
		{"Сооронбай Жээнбеков", "sooronbay-jeenbekov"},
		{"Эмомалӣ Раҳмон", "rahmon"},
		{"إمام علي رحمن", "rahmon"},
		{"Sirojiddin Aslov", "muhriddin"},
		{"Gurbanguly Berdimuhamedow", "gurbanguly-berdimuhamedov"},
		{"Сердар Бердымухамедов", "serdar-berdimuhamedov"},
		{"Raşit Meredow", "meredov"},
		{"Мәулен Әшімбаев", "ashimbayev"},
		{"Nurlanbek Shakiev", "turgunbek-uulu"},
	}
	for _, tc := range tests {
		people := c.FindPeople(tc.spelling)
		if len(people) != 1 || people[0].Official == nil || people[0].Official.ID != tc.id {
			var got []string
			for _, p := range people {
				got = append(got, p.Key())
			}
			t.Errorf("FindPeople(%q) = %q, want %s", tc.spelling, got, tc.id)
		}
	}
}

// BenchmarkBuiltinRegistry measures reading the built-in registry, which
// every command and every SSH session pays once: go test ./store -run x
// -bench BuiltinRegistry -benchmem.
func BenchmarkBuiltinRegistry(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if reg, ps := store.LoadRegistry(briefs.FS(), store.RegistryFile); len(ps) != 0 || len(reg.Officials()) == 0 {
			b.Fatal(ps)
		}
	}
}
