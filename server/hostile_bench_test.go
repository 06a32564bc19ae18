//go:build unix

package server

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// BenchmarkHostileReaders runs `brief serve` as its own process and does
// to it what issue 8 found broken, reporting what each costs the server:
//
//	go test -run '^$' -bench HostileReaders -benchtime 1x ./server/
//
// Memory is the server's resident set; CPU its user and system time; both
// read from /proc.
func BenchmarkHostileReaders(b *testing.B) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		b.Skip("needs /proc")
	}
	dir := b.TempDir()
	reader := newSigner(b)
	keys := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(keys, gossh.MarshalAuthorizedKey(reader.PublicKey()), 0o600); err != nil {
		b.Fatal(err)
	}
	sv := serve(b, dir, keys, "BRIEF_SSH_RATE=0", "BRIEF_SSH_MAX_PER_ADDRESS=0")
	pid := sv.cmd.Process.Pid
	dial := func() *gossh.Client {
		c, err := gossh.Dial("tcp", sv.addr, &gossh.ClientConfig{User: "r", Auth: []gossh.AuthMethod{gossh.PublicKeys(reader)},
			HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	lookup := func() {
		c := dial()
		defer c.Close()
		s, _ := c.NewSession()
		_ = s.Run("officials")
	}
	for range b.N {
		lookup()
		time.Sleep(200 * time.Millisecond)
		idleRSS := rssOf(pid)
		b.ReportMetric(float64(idleRSS)/(1<<20), "idle-MB")

		fmt.Fprintln(os.Stderr, time.Now().Format("15:04:05.000"), "One 10000x10000 terminal.")
		// One 10000x10000 terminal.
		c := dial()
		s, _ := c.NewSession()
		in, _ := s.StdinPipe()
		out := &syncBuffer{}
		s.Stdout = out
		_ = s.RequestPty("xterm-256color", 10000, 10000, gossh.TerminalModes{})
		_ = s.Shell()
		io.WriteString(in, "\x1b[?62c")
		out.waitBeyond(20000, 10*time.Second)
		time.Sleep(500 * time.Millisecond)
		b.ReportMetric(float64(rssOf(pid)-idleRSS)/(1<<20), "huge-window-MB-above-idle")
		b.ReportMetric(float64(out.Len())/(1<<10), "huge-window-first-frame-KB")

		fmt.Fprintln(os.Stderr, time.Now().Format("15:04:05.000"), "A 1 MB bracketed paste")
		// A 1 MB bracketed paste into the text filter, then quit.
		cpu := cpuOf(pid)
		io.WriteString(in, "/")
		io.WriteString(in, "\x1b[200~"+strings.Repeat("railway ", 1<<17)+"\x1b[201~")
		io.WriteString(in, "\x03") // ctrl+c
		_ = s.Wait()
		c.Close()
		b.ReportMetric(cpuOf(pid)-cpu, "paste-1MB-cpu-s")

		fmt.Fprintln(os.Stderr, time.Now().Format("15:04:05.000"), "4,000 env requests")
		// 4,000 env requests of 200 KB on one channel.
		c = dial()
		s, _ = c.NewSession()
		value := strings.Repeat("e", 200<<10)
		accepted := 0
		for i := range 4000 {
			if s.Setenv(fmt.Sprint("E", i), value) == nil {
				accepted++
			}
		}
		time.Sleep(200 * time.Millisecond)
		b.ReportMetric(float64(rssOf(pid)-idleRSS)/(1<<20), "env-flood-MB-above-idle")
		b.ReportMetric(float64(accepted), "env-accepted")
		c.Close()

		fmt.Fprintln(os.Stderr, time.Now().Format("15:04:05.000"), "A 250 KB command.")
		// A 250 KB command.
		cpu = cpuOf(pid)
		c = dial()
		s, _ = c.NewSession()
		_ = s.Run("list " + strings.Repeat("a", 250<<10))
		c.Close()
		b.ReportMetric(cpuOf(pid)-cpu, "command-250KB-cpu-s")

		fmt.Fprintln(os.Stderr, time.Now().Format("15:04:05.000"), "200 crafted connections")
		// 200 crafted connections: pty + exec + window changes; window
		// changes after quitting the reader; connections left without a
		// session.
		time.Sleep(300 * time.Millisecond)
		fds0 := fdsOf(pid)
		for i := range 200 {
			c := dial()
			s, _ := c.NewSession()
			switch i % 3 {
			case 0:
				_ = s.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
				_ = s.Start("officials")
				for range 20 {
					_ = s.WindowChange(24, 81)
				}
				_ = s.Wait()
			case 1:
				in, _ := s.StdinPipe()
				s.Stdout = io.Discard
				_ = s.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
				_ = s.Shell()
				io.WriteString(in, "\x1b[?62cq")
				for range 20 {
					_ = s.WindowChange(25, 81)
				}
				_ = s.Wait()
			}
			c.Close()
		}
		deadline := time.Now().Add(10 * time.Second)
		for fdsOf(pid) > fds0 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		b.ReportMetric(float64(fds0), "fds-before")
		b.ReportMetric(float64(fdsOf(pid)), "fds-after-200-crafted")

		fmt.Fprintln(os.Stderr, time.Now().Format("15:04:05.000"), "Removing a key ends")
		// Removing a key ends its connections.
		c = dial()
		s, _ = c.NewSession()
		s.Stdout = io.Discard
		_ = s.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
		_ = s.Shell()
		time.Sleep(500 * time.Millisecond)
		ended := make(chan struct{})
		go func() { _ = c.Wait(); close(ended) }()
		_ = os.WriteFile(keys, gossh.MarshalAuthorizedKey(newSigner(b).PublicKey()), 0o600)
		removed := time.Now()
		select {
		case <-ended:
			b.ReportMetric(time.Since(removed).Seconds(), "revoke-s")
		case <-time.After(30 * time.Second):
			b.ReportMetric(30, "revoke-s")
		}
		_ = os.WriteFile(keys, gossh.MarshalAuthorizedKey(reader.PublicKey()), 0o600)
		time.Sleep(1500 * time.Millisecond)
	}
}

// procField reads a number from /proc/pid/status ("VmRSS:").
func rssOf(pid int) int64 {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuOf gives the user and system CPU seconds a process has used.
func cpuOf(pid int) float64 {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(data[i+2:]))
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / 100 // clock ticks; 100 a second on Linux
}

func fdsOf(pid int) int {
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	return len(fds)
}
