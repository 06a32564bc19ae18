package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/brief-tools/brief/cli"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/brief-tools/brief/tui"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// hostileFolder writes briefings that try every trick on the terminal, in
// every field, the body and a file name.
func hostileFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	attack := `\e[2J\e[H\e]52;c;ZXZpbA==\a\e]0;pwned\a\e]8;;https://evil\e\\\u009b6n\u202e`
	files := map[string]string{
		"quoted.md": `---
id: hostile-quoted
title: "Title ` + attack + ` end"
date: 2025-01-02
kind: "call` + attack + `"
location: "Astana` + attack + `"
countries: ["Kazakhstan` + attack + `"]
topics: ["trade` + attack + `"]
officials: ["tokayev", "Evil` + attack + ` Name"]
summary: "Summary ` + attack + ` end"
dating:
  basis: inferred
  note: "Note ` + attack + `"
figures:
  - label: "Label ` + attack + `"
    value: "Value ` + attack + `"
    note: "Figure note ` + attack + `"
sources:
  - outlet: "Outlet ` + attack + `"
    title: "Source ` + attack + `"
    url: "https://exаmple.org/` + attack + `"
    lang: "en` + attack + `"
---

Body words \x1b[2J \x1b]52;c;ZXZpbA==\x07 &#27;[31m red &#x1b;]0;t&#7; ~~&**#27;**[31mX~~
\u009b2J c1 \x9b raw \r overwrite \x08\x08 back \x0e so \x0f si \x07 bel \x7f del.

` + "```\x1b[2J\ncode \x1b]0;t\x07 block\n```\n\n[link \x1b[2J](https://evil.example/\x1b[2J)\n",
		"raw.md": "---\ntitle: Raw \x1b[2J bytes \x9b and \u0085 nel\ndate: 2025-01-03\nofficials: [saidov]\n---\n\nRaw body \x1b]2;title\x1b\\ text.\n",
		"bad.md": "---\ntitle: \"Broken \\e[2J\"\ndate: \"2025-02-30\\e]0;x\\a\"\nofficials: [tokayev]\n---\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A file name with escapes, where the file system allows one.
	_ = os.WriteFile(filepath.Join(dir, "name\x1b[2J\x07.md"), []byte("---\ntitle: [\n---\n"), 0o644)
	return dir
}

// checkPiped fails when piped output holds anything but text, tabs and
// newlines.
func checkPiped(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: invalid UTF-8", what)
	}
	for _, r := range out {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
			t.Errorf("%s: control character U+%04X in piped output:\n%q", what, r, out)
			return
		}
	}
}

// checkTerminal fails when terminal output holds anything sanitize would
// not let through.
func checkTerminal(t *testing.T, what, out string) {
	t.Helper()
	if err := sanitize.Check(out); err != nil {
		t.Errorf("%s: %v\n%q", what, err, out)
	}
}

func runBrief(t *testing.T, terminal bool, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	r := lipgloss.NewRenderer(&out)
	r.SetColorProfile(termenv.ANSI256)
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Terminal: terminal, Width: 80, Renderer: r, Version: "test"}
	code = cli.Execute(cli.NewRoot(env), args)
	return out.String(), errOut.String(), code
}

// TestHostileFolderIsSafeEverywhere runs every way brief shows briefings
// on the same hostile folder: list, show and card piped and on a
// terminal, JSON, officials, check, and the reader's screens.
func TestHostileFolderIsSafeEverywhere(t *testing.T) {
	dir := hostileFolder(t)
	commands := [][]string{
		{"list"}, {"list", "--query", "summary"}, {"show", "hostile-quoted"}, {"show", "raw"},
		{"card", "hostile-quoted"}, {"officials"}, {"check", dir},
	}
	for _, args := range commands {
		for _, terminal := range []bool{false, true} {
			name := fmt.Sprintf("%s terminal=%v", strings.Join(args, " "), terminal)
			stdout, stderr, _ := runBrief(t, terminal, append([]string{"--dir", dir}, args...)...)
			if terminal {
				checkTerminal(t, name+" stdout", stdout)
			} else {
				checkPiped(t, name+" stdout", stdout)
			}
			checkPiped(t, name+" stderr", stderr)
			if args[0] != "check" && args[0] != "officials" && !strings.Contains(stdout, "Title") && !strings.Contains(stdout, "Raw") {
				t.Errorf("%s: the visible words are gone:\n%s", name, stdout)
			}
		}
	}
	for _, args := range [][]string{{"list", "--format", "json"}, {"list", "--format", "jsonl"}, {"show", "hostile-quoted", "--format", "json"}, {"officials", "--format", "json"}} {
		stdout, _, code := runBrief(t, false, append([]string{"--dir", dir}, args...)...)
		checkPiped(t, strings.Join(args, " "), stdout)
		if code != 0 {
			t.Errorf("%v: exit %d", args, code)
		}
		dec := json.NewDecoder(strings.NewReader(stdout))
		for {
			var v any
			if err := dec.Decode(&v); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("%v: not JSON: %v", args, err)
				break
			}
		}
	}

	// The reader's screens.
	reg, _ := cli.Load("", false)
	c, err := store.Load(os.DirFS(dir), store.Options{Name: dir, Registry: reg.Registry()})
	if err != nil {
		t.Fatal(err)
	}
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	var m tea.Model = tui.New(tui.Config{Corpus: c, Renderer: r, Dark: true, Clipboard: io.Discard})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	steps := []struct {
		name string
		keys []tea.KeyMsg
	}{
		{"timeline", nil},
		{"picker", []tea.KeyMsg{runes("o")}},
		{"picker narrowed", []tea.KeyMsg{runes("evil")}},
		{"filtered", []tea.KeyMsg{{Type: tea.KeyEnter}}},
		{"cards", []tea.KeyMsg{{Type: tea.KeyEscape}, runes("c")}},
		{"reader", []tea.KeyMsg{{Type: tea.KeyEnter}}},
		{"reader bottom", []tea.KeyMsg{runes("G")}},
		{"search", []tea.KeyMsg{runes("/"), runes("red"), {Type: tea.KeyEnter}}},
		{"copy", []tea.KeyMsg{runes("y")}},
		{"problems", []tea.KeyMsg{runes("!")}},
		{"help", []tea.KeyMsg{{Type: tea.KeyEscape}, runes("?")}},
	}
	for _, step := range steps {
		for _, k := range step.keys {
			var cmd tea.Cmd
			m, cmd = m.Update(k)
			for _, msg := range messages(cmd) {
				if title := fmt.Sprint(msg); strings.Contains(fmt.Sprintf("%T", msg), "WindowTitle") {
					checkPiped(t, "window title", title)
				}
				m, _ = m.Update(msg)
			}
		}
		checkTerminal(t, "reader "+step.name, m.View())
	}
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// messages runs a command and the batches it holds.
func messages(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, messages(c)...)
		}
		return out
	case nil:
		return nil
	default:
		return []tea.Msg{msg}
	}
}
