//go:build unix

package server

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// keyFile writes a new private key for OpenSSH and gives its path and
// its signer.
func keyFile(t *testing.T, dir, name string) (string, gossh.Signer) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return path, signer
}

// sshArgs are the OpenSSH client's arguments for the test server.
func sshArgs(addr, key string) []string {
	host, port, _ := net.SplitHostPort(addr)
	return []string{"-p", port, "-i", key, "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", host}
}

type pane struct {
	t      *testing.T
	socket string
	name   string
}

func (p pane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", p.socket}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// open starts a window running command in the pane's tmux server.
func (p pane) open(command string) {
	p.t.Helper()
	args := []string{"new-session", "-d", "-s", p.name, "-x", "80", "-y", "24"}
	args = append(args, "env", "TERM=xterm-256color", "LANG=C.UTF-8", "sh", "-c", command+"; echo SSH-EXIT=$?; sleep 30")
	p.tmux(args...)
}

func (p pane) keys(keys ...string) {
	p.t.Helper()
	for _, k := range keys {
		p.tmux("send-keys", "-t", p.name, k)
		time.Sleep(80 * time.Millisecond)
	}
}

func (p pane) waitFor(text string) string {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := p.tmux("capture-pane", "-p", "-t", p.name)
		if strings.Contains(s, text) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the screen never showed %q:\n%s", text, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// served is `brief serve` running as its own process, in its own process
// group: were it ever to suspend its group, only it would stop.
type served struct {
	cmd  *exec.Cmd
	addr string
	logs *syncBuffer
	exit chan error
}

// serve builds brief and starts `brief serve` on a free loopback port.
func serve(t testing.TB, dir, authorizedKeys string, extraEnv ...string) *served {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	bin := filepath.Join(dir, "brief")
	build := exec.Command(goTool, "build", "-o", bin, "github.com/brief-tools/brief")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	sv := &served{addr: addr, logs: &syncBuffer{}, exit: make(chan error, 1)}
	sv.cmd = exec.Command(bin, "serve", "--host-key", filepath.Join(dir, "host_ed25519"), "--shutdown-timeout", "5s")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BRIEF_") {
			env = append(env, kv)
		}
	}
	sv.cmd.Env = append(append(env, "BRIEF_SSH_LISTEN="+addr, "BRIEF_SSH_AUTHORIZED_KEYS="+authorizedKeys, "XDG_CACHE_HOME="+dir), extraEnv...)
	sv.cmd.Stdout, sv.cmd.Stderr = sv.logs, sv.logs
	sv.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := sv.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { sv.exit <- sv.cmd.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(-sv.cmd.Process.Pid, syscall.SIGKILL)
		<-sv.exit
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return sv
		}
		if time.Now().After(deadline) {
			t.Fatalf("brief serve never listened:\n%s", sv.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// state gives the process state letter from /proc ("T" when stopped), or
// "" where there is no /proc.
func (sv *served) state() string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", sv.cmd.Process.Pid))
	if err != nil {
		return ""
	}
	if i := bytes.LastIndexByte(data, ')'); i >= 0 && i+2 < len(data) {
		return string(data[i+2])
	}
	return ""
}

// TestOpenSSHEndToEnd runs `brief serve` and logs in with the real OpenSSH
// client in tmux: filters by an official, opens a card, resizes, presses
// ctrl+z and quits; the server still answers and still refuses strangers;
// SIGTERM tells a connected reader the server is going away.
func TestOpenSSHEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the OpenSSH client")
	}
	for _, tool := range []string{"ssh", "tmux"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (.ci/run installs it)", tool)
		}
	}
	dir := t.TempDir()
	key, signer := keyFile(t, dir, "reader")
	stranger, _ := keyFile(t, dir, "stranger")
	keys := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(keys, gossh.MarshalAuthorizedKey(signer.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	sv := serve(t, dir, keys)

	socket := filepath.Join(dir, "tmux.sock")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", socket, "kill-server").Run() })
	p := pane{t: t, socket: socket, name: "reader"}
	p.open("ssh -t " + strings.Join(sshArgs(sv.addr, key), " "))

	p.waitFor("1 of 6")
	p.keys("o")
	p.waitFor("Choose an official")
	p.tmux("send-keys", "-t", p.name, "-l", "Мирзиёев")
	p.waitFor("Shavkat Mirziyoyev")
	p.keys("Enter")
	p.waitFor("official: Shavkat Mirziyoyev")
	p.keys("c")
	p.waitFor("› cards")
	p.tmux("resize-window", "-t", p.name, "-x", "150", "-y", "40")
	p.waitFor("Мирзиёев, Шавкат Мирзиёев") // the profile card, widened
	p.keys("C-z")
	time.Sleep(200 * time.Millisecond)
	if st := sv.state(); st == "T" {
		t.Fatalf("ctrl+z stopped the server")
	}
	p.keys("Escape") // back to the timeline, still filtered
	p.waitFor("1 of 4 (6 in all)")
	p.keys("Escape") // the filter dropped, the selection kept
	p.waitFor("2 of 6")
	p.keys("q")
	p.waitFor("SSH-EXIT=0")

	// The server still answers, and still refuses strangers.
	out, err := exec.Command("ssh", append(sshArgs(sv.addr, key), "list", "--official", "mirz")...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "2025-07-24-tokayev-mirziyoyev-call") {
		t.Errorf("after the session: %v\n%s", err, out)
	}
	out, err = exec.Command("ssh", append(sshArgs(sv.addr, stranger), "list")...).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "Permission denied") {
		t.Errorf("a stranger's key: %v\n%s", err, out)
	}
	out, err = exec.Command("ssh", append(sshArgs(sv.addr, key), "rm", "-rf", "/")...).CombinedOutput()
	if code := exitCode(err); code != 1 || strings.Count(strings.TrimSpace(string(out)), "\n") != 0 {
		t.Errorf("a command that is not a lookup: exit %d\n%s", code, out)
	}

	// SIGTERM: the connected reader is told, and the server stops in time.
	q := pane{t: t, socket: socket, name: "leaving"}
	q.open("ssh -t " + strings.Join(sshArgs(sv.addr, key), " "))
	q.waitFor("1 of 6")
	sent := time.Now()
	if err := sv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	q.waitFor("brief: the server is going away")
	select {
	case err := <-sv.exit:
		sv.exit <- err // for the cleanup
		if err != nil {
			t.Errorf("brief serve after SIGTERM: %v\n%s", err, sv.logs.String())
		}
		if d := time.Since(sent); d > 6*time.Second {
			t.Errorf("stopping took %v", d)
		}
	case <-time.After(8 * time.Second):
		t.Fatalf("brief serve did not stop after SIGTERM:\n%s", sv.logs.String())
	}
	logs := sv.logs.String()
	for _, want := range []string{"login accepted", "keys_refused=1", gossh.FingerprintSHA256(signer.PublicKey()), "session ended", "duration=", "shutting down"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log has no %q:\n%s", want, logs)
		}
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if e, ok := err.(*exec.ExitError); ok {
		return e.ExitCode()
	}
	return -1
}
