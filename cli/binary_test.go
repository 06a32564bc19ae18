package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The binary is built once, on first use, into the folder TestMain removes.
var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary gives the path of the brief binary built from this module.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	buildOnce.Do(func() {
		binPath = filepath.Join(filepath.Dir(cacheHome), "brief")
		cmd := exec.Command(goTool, "build", "-o", binPath, "..")
		// go build keeps its cache in the user's cache folder, which
		// TestMain moved for brief's sake.
		cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "XDG_CACHE_HOME=") })
		if hadCacheHome {
			cmd.Env = append(cmd.Env, "XDG_CACHE_HOME="+userCacheHome)
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = errors.New(err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return binPath
}

// runBinary runs the brief binary with args, its output piped, in an
// environment without BRIEF_DIR or NO_COLOR of the caller's.
func runBinary(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append([]string{"XDG_CACHE_HOME=" + cacheHome, "HOME=" + filepath.Dir(cacheHome), "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color"}, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("brief %q: %v", args, err)
	}
	return result{out.String(), errOut.String(), code}
}

func TestBinary(t *testing.T) {
	bad := writeFolder(t, map[string]string{
		"good.md": briefing("Good", "2024", "saidov"),
		"bad.md":  "---\ntitle: never closed\n",
	})
	tests := []struct {
		name   string
		env    []string
		args   []string
		code   int
		stdout func(string) bool
		stderr string // stderr starts with it; "" for none
	}{
		{"list piped", nil, []string{"list"}, 0, func(s string) bool {
			return len(lines(s)) == 6 && strings.HasPrefix(s, idNorbaeva+"\t18 Aug 2025\tmeeting\t")
		}, ""},
		{"brief alone, piped, lists", nil, nil, 0, func(s string) bool { return len(lines(s)) == 6 }, ""},
		{"show", nil, []string{"show", "2025-07"}, 0, func(s string) bool {
			return strings.HasPrefix(s, "Tokayev and Mirziyoyev speak by phone on regional stability\n")
		}, ""},
		{"show nope", nil, []string{"show", "nope"}, 1, empty, `brief: no briefing has the id "nope"`},
		{"list --since nope", nil, []string{"list", "--since", "nope"}, 2, empty, `brief: --since: date "nope"`},
		{"unknown command", nil, []string{"frobnicate"}, 2, empty, `brief: unknown command "frobnicate"`},
		{"check a bad folder", nil, []string{"check", bad}, 1, func(s string) bool {
			return s == filepath.Join(bad, "bad.md")+":1: the frontmatter opened on line 1 is never closed: add a line '---' after its last field\n"
		}, bad + ": 2 files, 1 loaded, 1 rejected; 1 error, 0 warnings"},
		{"check the built-in corpus", nil, []string{"check"}, 0, empty, "built-in briefings: 6 files"},
		{"BRIEF_DIR", []string{"BRIEF_DIR=" + bad}, []string{"list"}, 0, func(s string) bool { return strings.HasPrefix(s, "good\t2024\t") }, "brief: 1 briefing in " + bad + " could not be loaded"},
		{"--version", nil, []string{"--version"}, 0, func(s string) bool {
			return strings.HasPrefix(s, "brief ") && len(s) > len("brief \n") && len(lines(s)) == 1
		}, ""},
		{"NO_COLOR", []string{"NO_COLOR=1"}, []string{"card", "2025-08"}, 0, func(s string) bool { return strings.Contains(s, "Tanzila Norbaeva — Chairwoman") }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runBinary(t, tc.env, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d: %v", r.code, tc.code, r)
			}
			if !tc.stdout(r.stdout) {
				t.Errorf("unexpected stdout: %v", r)
			}
			if tc.stderr == "" && r.stderr != "" || !strings.HasPrefix(r.stderr, tc.stderr) {
				t.Errorf("stderr %q, want it to start with %q", r.stderr, tc.stderr)
			}
			if err := plainText(r.stdout + r.stderr); err != nil {
				t.Error(err)
			}
		})
	}
}

func empty(s string) bool { return s == "" }

// What the binary prints from a hostile folder, through pipes: no byte a
// terminal acts on, and the words still there.
func TestBinaryHostile(t *testing.T) {
	dir, names := hostileFolder(t)
	title := hostileWords["title"]
	body := hostileWords["body"]
	tests := []struct {
		args  []string
		code  int
		words []string
	}{
		{[]string{"list"}, 0, title},
		{[]string{"list", "--format", "json"}, 0, title},
		{[]string{"show", "hostile"}, 0, append(append(slices.Clone(title), body...), hostileWords["summary"]...)},
		{[]string{"card", "hostile"}, 0, append(slices.Clone(title), hostileWords["names"]...)},
		{[]string{"officials"}, 0, []string{"Evil", "Name"}},
		{[]string{"check"}, 1, []string{"zz-last.md:5: warning"}},
		{[]string{"show", "\x1b]52;c;ZXZpbA==\x07"}, 1, nil},
	}
	for _, tc := range tests {
		r := runBinary(t, []string{"BRIEF_DIR=" + dir}, tc.args...)
		if r.code != tc.code {
			t.Errorf("%q: exit %d, want %d: %v", tc.args, r.code, tc.code, r)
		}
		for _, out := range []string{r.stdout, r.stderr} {
			if strings.ContainsAny(out, "\x1b\x07") {
				t.Errorf("%q: ESC or BEL in the output: %q", tc.args, out)
			}
			if err := plainText(out); err != nil {
				t.Errorf("%q: %v", tc.args, err)
			}
		}
		hasWords(t, strings.Join(tc.args, " "), r.stdout, tc.words...)
	}
	if len(names) > 0 {
		r := runBinary(t, nil, "check", dir)
		for _, name := range names {
			if strings.Contains(name, "\x1b]0;") && !strings.Contains(r.stdout, strings.ReplaceAll(name, "\x1b", `\x1b`)) {
				t.Errorf("check does not name %q:\n%s", name, r.stdout)
			}
		}
	}
}

// The bash completion script gets ids, not ids run together with titles.
func TestBinaryBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	bin := binary(t)
	script := runBinary(t, nil, "completion", "bash")
	if script.code != 0 {
		t.Fatal(script)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "complete.bash")
	test := script.stdout + `
# The bash-completion helper the script needs, at its simplest.
_get_comp_words_by_ref() { cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
compopt() { :; }
COMP_WORDS=(brief show 2025-0); COMP_CWORD=2; COMP_LINE="brief show 2025-0"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9
__start_brief brief 2025-0 show
printf '%s\n' "${COMPREPLY[@]}"
`
	if err := os.WriteFile(file, []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bash, file)
	cmd.Env = []string{"PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH"), "XDG_CACHE_HOME=" + cacheHome}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	if got := lines(string(out)); !slices.Equal(got, []string{idCall, idNorbaeva}) {
		t.Errorf("bash completes brief show 2025-0 to %q, want the two ids", got)
	}
}
