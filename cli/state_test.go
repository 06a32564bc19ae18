package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/brief-tools/brief/config"
	"github.com/brief-tools/brief/readstate"
)

// stateEnv is an environment with its own reading-state folder, kept
// across the commands of one test.
func stateEnv(t *testing.T, more map[string]string) (map[string]string, string) {
	t.Helper()
	home := t.TempDir()
	env := map[string]string{"XDG_STATE_HOME": home}
	for k, v := range more {
		env[k] = v
	}
	return env, home
}

type listed struct {
	ID     string  `json:"id"`
	Read   *bool   `json:"read"`
	Marked *bool   `json:"marked"`
	Note   *string `json:"note"`
	New    *bool   `json:"new"`
}

func listJSON(t *testing.T, where tty, args ...string) []listed {
	t.Helper()
	r := run(t, where, append([]string{"list", "--format", "json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("list %q: %v", args, r)
	}
	var out []listed
	if err := unmarshal(r.stdout, &out); err != nil {
		t.Fatalf("list %q: %v\n%s", args, err, r.stdout)
	}
	return out
}

func ids(items []listed) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func TestMarkUnmarkAndList(t *testing.T) {
	env, home := stateEnv(t, nil)
	where := piped.with(env)
	steps := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"mark", "2025-07", "--note", "ask about the railway"}, 0, ""},
		{[]string{"mark", "2024-02"}, 0, ""},
		{[]string{"mark", "2024-02"}, 0, ""}, // again: no change
		{[]string{"mark", "nope"}, 1, "no briefing"},
		{[]string{"mark"}, 2, "needs one briefing id"},
		{[]string{"unmark", "2021"}, 0, "was not marked"},
		{[]string{"unmark", "nope-at-all"}, 1, "no briefing"},
	}
	for _, s := range steps {
		r := run(t, where, s.args...)
		if r.code != s.code || !strings.Contains(r.stderr, s.stderr) || (s.stderr == "" && r.stderr != "") {
			t.Errorf("%q: %v; want exit %d and %q on stderr", s.args, r, s.code, s.stderr)
		}
	}
	marked := listJSON(t, where, "--marked")
	if got := ids(marked); !slices.Equal(got, []string{idCall, idTalks}) {
		t.Fatalf("--marked: %v", got)
	}
	if *marked[0].Note != "ask about the railway" || *marked[1].Note != "" || !*marked[0].Marked {
		t.Errorf("notes: %+v %+v", marked[0], marked[1])
	}
	// Piped, the note is a sixth field.
	r := run(t, where, "list", "--marked")
	if rows := tsv(t, r.stdout, 6); rows[0][0] != idCall || rows[0][5] != "ask about the railway" {
		t.Errorf("piped --marked: %q", r.stdout)
	}
	// On a terminal, a NOTE column.
	r = run(t, tty{terminal: true, width: 120, env: env}, "list", "--marked")
	if !strings.Contains(r.stdout, "NOTE") || !strings.Contains(r.stdout, "ask about the railway") {
		t.Errorf("terminal --marked:\n%s", r.stdout)
	}
	// Marking again keeps the note; --note replaces it; unmark removes it.
	run(t, where, "mark", idCall)
	if n := *listJSON(t, where, "--marked")[0].Note; n != "ask about the railway" {
		t.Errorf("marking again lost the note: %q", n)
	}
	run(t, where, "mark", idCall, "--note", "")
	if n := *listJSON(t, where, "--marked")[0].Note; n != "" {
		t.Errorf("--note \"\" kept %q", n)
	}
	if r := run(t, where, "unmark", "2024-02"); r.code != 0 || r.stderr != "" {
		t.Errorf("unmark: %v", r)
	}
	if got := ids(listJSON(t, where, "--marked")); !slices.Equal(got, []string{idCall}) {
		t.Errorf("after unmark: %v", got)
	}
	// Every JSON list says read, marked and note.
	for _, it := range listJSON(t, where) {
		if it.Read == nil || it.Marked == nil || it.Note == nil || it.New != nil {
			t.Errorf("%s: read, marked and note (and not new) wanted: %+v", it.ID, it)
		}
	}
	// The state lives where state path says, 0600, and only there.
	r = run(t, where, "state", "path")
	path := strings.TrimSpace(r.stdout)
	if want := filepath.Join(home, "brief", "builtin.state"); path != want {
		t.Errorf("state path %q, want %q", path, want)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("state file: %v %v", info, err)
	}
}

func TestUnreadAndNew(t *testing.T) {
	env, _ := stateEnv(t, nil)
	where := piped.with(env)
	if got := ids(listJSON(t, where, "--unread")); !slices.Equal(got, newestFirst) {
		t.Errorf("nothing read yet, --unread: %v", got)
	}
	// show on a terminal reads; piped, it does not.
	run(t, where, "show", idTalks)
	if got := ids(listJSON(t, where, "--unread")); !slices.Equal(got, newestFirst) {
		t.Errorf("a piped show counted as read: %v", got)
	}
	run(t, tty{terminal: true, width: 80, env: env}, "show", idTalks, "--no-pager")
	want := slices.DeleteFunc(slices.Clone(newestFirst), func(id string) bool { return id == idTalks })
	if got := ids(listJSON(t, where, "--unread")); !slices.Equal(got, want) {
		t.Errorf("after reading %s, --unread: %v", idTalks, got)
	}
	// No reader has shown anything yet: all is new.
	fresh := listJSON(t, where, "--new")
	if got := ids(fresh); !slices.Equal(got, newestFirst) {
		t.Errorf("--new before any visit: %v", got)
	}
	for _, it := range fresh {
		if it.New == nil || !*it.New {
			t.Errorf("%s: --new JSON lacks new: true: %+v", it.ID, it)
		}
	}
	// A reader's visit shows everything; then nothing is new.
	c := builtin(t)
	st, err := LocalState(func(k string) string { return env[k] }, "")
	if err != nil {
		t.Fatal(err)
	}
	all, errs := readstate.NewHashes(c).All()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, err := st.BeginVisit(); err != nil {
		t.Fatal(err)
	}
	if err := st.SeeAll(all); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if got := listJSON(t, where, "--new"); len(got) != 0 {
		t.Errorf("--new after a visit: %v", ids(got))
	}
	// Filters combine with the others.
	if got := ids(listJSON(t, where, "--unread", "--official", "saidov")); len(got) != 0 {
		t.Errorf("--unread --official saidov: %v (the only one was read)", got)
	}
}

// A briefing whose id changes keeps its mark when its content is the same;
// when both change, the old mark is told of and can be removed.
func TestMarksFollowContent(t *testing.T) {
	env, _ := stateEnv(t, nil)
	dir := writeFolder(t, map[string]string{
		"a.md": briefing("Same content", "2024-01-01", "saidov", "id: old-same"),
		"b.md": briefing("Edited later", "2024-02-01", "saidov", "id: old-edited"),
	})
	where := piped.with(env)
	for _, id := range []string{"old-same", "old-edited"} {
		if r := run(t, where, "--dir", dir, "mark", id, "--note", "on "+id); r.code != 0 {
			t.Fatalf("mark: %v", r)
		}
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "a.md"), []byte(briefing("Same content", "2024-01-01", "saidov", "id: new-same")), 0o644))
	must(os.WriteFile(filepath.Join(dir, "b.md"), []byte(briefing("Edited later, and retitled", "2024-02-01", "saidov", "id: new-edited")), 0o644))
	r := run(t, where, "--dir", dir, "list", "--marked", "--format", "json")
	var got []listed
	if err := unmarshal(r.stdout, &got); err != nil {
		t.Fatalf("%v: %v", err, r)
	}
	if len(got) != 1 || got[0].ID != "new-same" || *got[0].Note != "on old-same" {
		t.Errorf("marked after the rename: %+v", got)
	}
	if !strings.Contains(r.stderr, "1 mark is for briefings no longer in") || !strings.Contains(r.stderr, "old-edited") {
		t.Errorf("the orphan mark is not told of: %q", r.stderr)
	}
	if r := run(t, where, "--dir", dir, "unmark", "old-edited"); r.code != 0 {
		t.Errorf("unmark the orphan: %v", r)
	}
	if r := run(t, where, "--dir", dir, "list", "--marked"); r.stderr != "" {
		t.Errorf("still told of after unmark: %q", r.stderr)
	}
}

// One folder's state is not another's, nor the built-in briefings'.
func TestStatePerCorpus(t *testing.T) {
	env, _ := stateEnv(t, nil)
	dir := writeFolder(t, map[string]string{"a.md": briefing("A", "2024", "saidov", "id: "+idCall)})
	where := piped.with(env)
	run(t, where, "mark", idCall)
	if got := ids(listJSON(t, where, "--dir", dir, "--marked")); len(got) != 0 {
		t.Errorf("the folder sees the built-in corpus' marks: %v", got)
	}
	p1 := run(t, where, "state", "path").stdout
	p2 := run(t, where, "--dir", dir, "state", "path").stdout
	if p1 == p2 || !strings.Contains(p2, "dir-") {
		t.Errorf("state paths: %q %q", p1, p2)
	}
	// Nothing was written in the briefing folder.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the briefing folder holds %d files", len(entries))
	}
}

func TestStateOverSSH(t *testing.T) {
	c := builtin(t)
	// Without a state (an anonymous session): refused.
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"list", "--marked"}, "keeps no reading state"},
		{[]string{"list", "--unread"}, "keeps no reading state"},
		{[]string{"mark", idCall}, `unknown command "mark"`},
		{[]string{"unmark", idCall}, `unknown command "unmark"`},
	}
	for _, tt := range tests {
		if r := lookup(t, c, piped, tt.args...); r.code == 0 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("anonymous %q: %v", tt.args, r)
		}
	}
	// JSON leaves the state out, silently.
	if r := lookup(t, c, piped, "list", "--format", "json"); r.code != 0 || strings.Contains(r.stdout, `"marked"`) || r.stderr != "" {
		t.Errorf("anonymous JSON: %v", r)
	}
	// With the key's state: answered from it, one key's marks only.
	pool := readstate.NewPool(t.TempDir(), readstate.Options{})
	defer pool.Close()
	mine, release, err := pool.Open("SHA256:mine", readstate.CorpusKey(""))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	theirs, release2, err := pool.Open("SHA256:theirs", readstate.CorpusKey(""))
	if err != nil {
		t.Fatal(err)
	}
	defer release2()
	where := piped
	where.state = mine
	if r := lookup(t, c, where, "mark", "2025-07", "--note", "mine"); r.code != 0 {
		t.Fatalf("mark over SSH: %v", r)
	}
	r := lookup(t, c, where, "list", "--marked")
	if rows := tsv(t, r.stdout, 6); len(rows) != 1 || rows[0][0] != idCall || rows[0][5] != "mine" {
		t.Errorf("list --marked over SSH: %v", r)
	}
	other := piped
	other.state = theirs
	if r := lookup(t, c, other, "list", "--marked"); r.code != 0 || r.stdout != "" {
		t.Errorf("another key sees the mark: %v", r)
	}
	if r := lookup(t, c, where, "unmark", idCall); r.code != 0 {
		t.Errorf("unmark over SSH: %v", r)
	}
	if r := lookup(t, c, where, "state", "path"); r.code == 0 {
		t.Errorf("state path over SSH names the server's file: %v", r)
	}
}

func TestConfigDirAndOrder(t *testing.T) {
	dir := writeFolder(t, map[string]string{
		"a.md": briefing("First", "2020", "saidov", "id: first"),
		"b.md": briefing("Second", "2021", "saidov", "id: second"),
	})
	other := writeFolder(t, map[string]string{"c.md": briefing("Elsewhere", "2022", "saidov", "id: elsewhere")})
	cfg := func(c config.Config) func() config.Config { return func() config.Config { return c } }
	tests := []struct {
		name string
		env  map[string]string
		cfg  config.Config
		args []string
		want []string
	}{
		{"dir from the configuration", nil, config.Config{Dir: dir}, []string{"list"}, []string{"second", "first"}},
		{"BRIEF_DIR over it", map[string]string{"BRIEF_DIR": other}, config.Config{Dir: dir}, []string{"list"}, []string{"elsewhere"}},
		{"--dir over both", map[string]string{"BRIEF_DIR": other}, config.Config{Dir: dir}, []string{"--dir", dir, "list"}, []string{"second", "first"}},
		{"order: oldest", nil, config.Config{Dir: dir, Order: config.OrderOldest}, []string{"list"}, []string{"first", "second"}},
		{"order: oldest, --reverse", nil, config.Config{Dir: dir, Order: config.OrderOldest}, []string{"list", "-r"}, []string{"second", "first"}},
		{"order: newest", nil, config.Config{Dir: dir, Order: config.OrderNewest}, []string{"list"}, []string{"second", "first"}},
	}
	for _, tt := range tests {
		where := piped.with(tt.env)
		where.config = cfg(tt.cfg)
		r := run(t, where, tt.args...)
		if got := firstFields(t, r.stdout); r.code != 0 || !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v\n%v", tt.name, got, tt.want, r)
		}
	}
	// A configured folder that is not there says where it was named.
	where := piped
	where.config = cfg(config.Config{Dir: "/nonexistent/briefings", Path: "/home/u/.config/brief/config.yaml"})
	r := run(t, where, "list")
	if r.code != 2 || !strings.Contains(r.stderr, "dir: /nonexistent/briefings (in /home/u/.config/brief/config.yaml): no such folder") {
		t.Errorf("a missing configured folder: %v", r)
	}
}

// A briefing read, then edited, is changed and new again.
func TestChangedAfterReading(t *testing.T) {
	env, _ := stateEnv(t, nil)
	dir := writeFolder(t, map[string]string{"a.md": briefing("Alpha", "2024-01-01", "saidov", "id: alpha")})
	if r := run(t, tty{terminal: true, width: 80, env: env}, "--dir", dir, "show", "alpha", "--no-pager"); r.code != 0 {
		t.Fatal(r)
	}
	type item struct {
		ID      string `json:"id"`
		Read    bool   `json:"read"`
		Changed *bool  `json:"changed"`
	}
	get := func() item {
		r := run(t, piped.with(env), "--dir", dir, "list", "--new", "--format", "json")
		var out []item
		if err := unmarshal(r.stdout, &out); err != nil || len(out) != 1 {
			t.Fatalf("%v: %v", err, r)
		}
		return out[0]
	}
	if it := get(); !it.Read || it.Changed == nil || *it.Changed {
		t.Errorf("read and unchanged: %+v", it)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte(briefing("Alpha", "2024-01-01", "saidov", "id: alpha", "summary: Now with a summary.")), 0o644); err != nil {
		t.Fatal(err)
	}
	if it := get(); !it.Read || it.Changed == nil || !*it.Changed {
		t.Errorf("edited after reading: %+v", it)
	}
}
