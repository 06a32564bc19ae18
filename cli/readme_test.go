package cli

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// readmeBlock is one fenced block of the README.
type readmeBlock struct {
	lang  string
	lines []string
	line  int // the README line of its first line
}

func readmeBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []readmeBlock
	var cur *readmeBlock
	for i, l := range strings.Split(string(data), "\n") {
		switch {
		case cur == nil && strings.HasPrefix(l, "```"):
			cur = &readmeBlock{lang: strings.TrimPrefix(l, "```"), line: i + 2}
		case cur != nil && l == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, l)
		}
	}
	return blocks
}

// shellWords splits a command line as sh would, for the simple lines the
// README holds: words, "double" and 'single' quotes.
func shellWords(t *testing.T, s string) []string {
	var words []string
	var w strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("unclosed quote in %q", s)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// TestReadmeSamples runs the README's sample sessions ("$ brief ..."
// followed by what it prints) on an 80-column terminal, in order, with one
// reading state, and compares: what the README shows is what brief prints. A pipe to another program runs
// brief piped and the program for real.
func TestReadmeSamples(t *testing.T) {
	samples := 0
	// One reading state for the whole README, as one reader's: a mark
	// made in a sample shows in the next.
	state := map[string]string{"XDG_STATE_HOME": t.TempDir()}
	for _, b := range readmeBlocks(t) {
		for i := 0; i < len(b.lines); i++ {
			l := b.lines[i]
			if !strings.HasPrefix(l, "$ brief") {
				continue
			}
			samples++
			var want []string
			for i+1 < len(b.lines) && !strings.HasPrefix(b.lines[i+1], "$ ") {
				i++
				want = append(want, b.lines[i])
			}
			for len(want) > 0 && want[len(want)-1] == "" {
				want = want[:len(want)-1]
			}
			command, pipe, piped := strings.Cut(strings.TrimPrefix(l, "$ "), " | ")
			where := term80.with(state)
			if piped {
				where = piped80.with(state)
			}
			r := run(t, where, shellWords(t, command)[1:]...)
			if r.code != 0 {
				t.Errorf("README line %d, %s: %v", b.line+i, l, r)
				continue
			}
			got := ansi.Strip(r.stdout) // what the reader sees; bold survives NO_COLOR
			if piped {
				words := shellWords(t, pipe)
				if _, err := exec.LookPath(words[0]); err != nil {
					t.Logf("README line %d: %s is not installed; the pipe is not checked", b.line, words[0])
					continue
				}
				cmd := exec.Command(words[0], words[1:]...)
				cmd.Stdin = strings.NewReader(r.stdout)
				var out bytes.Buffer
				cmd.Stdout = &out
				if err := cmd.Run(); err != nil {
					t.Fatalf("README line %d: %s: %v", b.line, pipe, err)
				}
				got = out.String()
			}
			if got, want := strings.TrimRight(got, "\n"), strings.Join(want, "\n"); got != want {
				t.Errorf("README line %d: %s\nthe README shows:\n%s\nbrief prints:\n%s", b.line, l, want, got)
			}
		}
	}
	if samples == 0 {
		t.Fatal("no sample session found in the README")
	}
}

// piped80 is output to a pipe, for the README's pipelines.
var piped80 = tty{width: 80}

// TestReadmeCommands runs every brief command in the README's shell
// blocks that needs no folder of the reader's own: each must work.
func TestReadmeCommands(t *testing.T) {
	commands := 0
	blocks := readmeBlocks(t)
	t.Chdir("..") // the README's paths are the checkout's
	for _, b := range blocks {
		if b.lang != "sh" {
			continue
		}
		var lines []string
		for _, l := range b.lines {
			l, _, _ = strings.Cut(l, "#")
			l = strings.TrimSpace(l)
			if n := len(lines); n > 0 && strings.HasSuffix(lines[n-1], "\\") {
				lines[n-1] = strings.TrimSuffix(lines[n-1], "\\") + " " + l
				continue
			}
			lines = append(lines, l)
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, "brief") || strings.Contains(l, "~") || strings.HasPrefix(l, "brief serve") {
				continue
			}
			commands++
			l, _, _ = strings.Cut(l, " | ") // brief's part of a pipeline
			where := piped
			if command, from, ok := strings.Cut(l, " < "); ok {
				data, err := os.ReadFile(strings.TrimSpace(from))
				if err != nil {
					t.Fatalf("README: %s: %v", l, err)
				}
				l, where.stdin = command, bytes.NewReader(data)
			}
			if r := run(t, where, shellWords(t, l)[1:]...); r.code != 0 || r.stdout == "" {
				t.Errorf("README: %s: %v", l, r)
			}
		}
	}
	if commands < 5 {
		t.Fatalf("only %d commands found in the README's shell blocks", commands)
	}
}
