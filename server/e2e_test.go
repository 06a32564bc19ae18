package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
}

func (p pane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", p.socket}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (p pane) keys(keys ...string) {
	p.t.Helper()
	for _, k := range keys {
		p.tmux("send-keys", "-t", "e2e", k)
		time.Sleep(80 * time.Millisecond)
	}
}

func (p pane) waitFor(text string) string {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := p.tmux("capture-pane", "-p", "-t", "e2e")
		if strings.Contains(s, text) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the screen never showed %q:\n%s", text, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestOpenSSHEndToEnd logs in with the real OpenSSH client in tmux, reads
// as a reader would, presses ctrl+z, quits, and checks that the server
// still answers and that a stranger's key is refused.
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
	ts := start(t, nil)
	if err := os.WriteFile(ts.keys, gossh.MarshalAuthorizedKey(signer.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}

	p := pane{t: t, socket: filepath.Join(dir, "tmux.sock")}
	command := "ssh -t " + strings.Join(sshArgs(ts.addr, key), " ") + "; echo SSH-EXIT=$?; sleep 30"
	p.tmux("new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", "env", "TERM=xterm-256color", "LANG=C.UTF-8", "sh", "-c", command)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", p.socket, "kill-server").Run() })

	p.waitFor("6 of 6")
	p.keys("o")
	p.waitFor("Filter by official")
	p.tmux("send-keys", "-t", "e2e", "-l", "Мирзиёев")
	p.waitFor("Shavkat Mirziyoyev")
	p.keys("Enter")
	p.waitFor("official: Shavkat Mirziyoyev")
	p.keys("c")
	p.waitFor("card 1 of 4")
	p.tmux("resize-window", "-t", "e2e", "-x", "150", "-y", "40")
	p.waitFor("Мирзиёев, Шавкат Мирзиёев") // the profile card, widened
	p.keys("C-z")
	time.Sleep(200 * time.Millisecond)
	p.keys("Escape")
	p.waitFor("6 of 6")
	p.keys("q")
	p.waitFor("SSH-EXIT=0")

	// The server still answers, and still refuses strangers.
	out, err := exec.Command("ssh", append(sshArgs(ts.addr, key), "list", "--official", "mirz")...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "2025-07-24-tokayev-mirziyoyev-call") {
		t.Errorf("after the session: %v\n%s", err, out)
	}
	out, err = exec.Command("ssh", append(sshArgs(ts.addr, stranger), "list")...).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "Permission denied") {
		t.Errorf("a stranger's key: %v\n%s", err, out)
	}
}
