package draft

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDebugLines(t *testing.T) {
	if os.Getenv("DRAFT_DEBUG") == "" {
		t.Skip()
	}
	files, _ := filepath.Glob("testdata/gold/" + os.Getenv("DRAFT_DEBUG") + "*.txt")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		tx := Plain(filepath.Base(f), data)
		fmt.Println("=====", f, "url:", tx.URL, "clip:", tx.clip)
		for _, l := range tx.Lines {
			if l.Text == "" {
				continue
			}
			txt := l.Text
			if len([]rune(txt)) > 70 {
				txt = string([]rune(txt)[:70])
			}
			fmt.Printf("%3d %-8s %-40s %s\n", l.N, l.Kind, l.Why, txt)
		}
		title, n := tx.Title()
		fmt.Println("TITLE", n, title)
	}
}

func TestDebugDraft(t *testing.T) {
	if os.Getenv("DRAFT_ONE") == "" {
		t.Skip()
	}
	reg := goldRegistry(t)
	for _, g := range loadGold(t) {
		if !strings.HasPrefix(g.Name, os.Getenv("DRAFT_ONE")) || g.Split != "tune" {
			continue
		}
		d, _ := Extract([]Input{{Name: g.Name, Data: g.Text, URL: g.URL}}, reg)
		a := d.Articles[0]
		fmt.Printf("== %s\nkind %+v\nplace %+v\ndate %+v\n", g.Name, a.Kind, a.Place, a.Date)
		for _, p := range a.People {
			fmt.Printf("person %s %q sure=%v why=%s ev=%v\n", p.Name(), p.Written, p.Sure, p.Why, p.Evidence)
		}
		for _, f := range a.Figures {
			fmt.Printf("figure %q label=%q\n", f.Value, f.Label)
		}
		for _, s := range a.Text.Sentences() {
			fmt.Printf("  sent L%d P%d past=%v greet=%v dl=%d %.60s\n", s.Line, s.Para, s.Past, s.Greeting, s.Dateline, s.Text)
		}
	}
}
