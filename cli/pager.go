package cli

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/brief-tools/brief/render/sanitize"
)

// pagerCommand gives the pager to run, as a shell command line: $PAGER,
// else "less -R"; ok is false when paging is off ($PAGER empty or "cat")
// or the pager cannot be found.
func (a *app) pagerCommand() (cmdline string, ok bool) {
	cmdline, set := a.lookupEnv("PAGER")
	if !set {
		cmdline = "less -R"
	}
	cmdline = strings.TrimSpace(cmdline)
	fields := strings.Fields(cmdline)
	if len(fields) == 0 || cmdline == "cat" {
		return "", false
	}
	if _, err := exec.LookPath(fields[0]); err != nil {
		if set {
			fmt.Fprintf(a.errOut, "brief: the pager %q (PAGER) cannot be run: %v; printing instead\n", cmdline, unwrapExec(err))
		}
		return "", false
	}
	return cmdline, true
}

// lookupEnv is os.LookupEnv through Env.Getenv: a variable set to ""
// cannot be told from one unset, except through LookupEnv when Getenv is
// the process' own.
func (a *app) lookupEnv(key string) (string, bool) {
	v := a.env.Getenv(key)
	if v != "" {
		return v, true
	}
	if a.env.LookupEnv != nil {
		return a.env.LookupEnv(key)
	}
	return "", false
}

// printPaged prints text, through the pager when it is longer than the
// terminal, as git does: only on a terminal, never over SSH, never with
// --no-pager. Everything the pager gets passes the sanitizer.
func (a *app) printPaged(text string, noPager, hyperlinks bool) error {
	long := a.env.Height > 0 && strings.Count(text, "\n") >= a.env.Height
	if noPager || !long || !a.env.Terminal || a.fixed != nil {
		if hyperlinks { // the terminal's own: links kept, in their strict form
			w := sanitize.NewLinkWriter(a.env.Stdout)
			fmt.Fprint(w, text)
			return w.Flush()
		}
		fmt.Fprint(a.out, text)
		return nil
	}
	cmdline, ok := a.pagerCommand()
	if !ok {
		fmt.Fprint(a.out, text)
		return nil
	}
	cmd := exec.Command("sh", "-c", cmdline)
	cmd.Stdout, cmd.Stderr = a.env.Stdout, a.env.Stderr
	cmd.Env = os.Environ()
	if _, set := a.lookupEnv("LESS"); !set {
		// As git does: quit when it fits, keep colours, leave the text on
		// the screen.
		cmd.Env = append(cmd.Env, "LESS=FRX")
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("pager: %w", err)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(a.errOut, "brief: the pager %q cannot be run: %v; printing instead\n", cmdline, unwrapExec(err))
		fmt.Fprint(a.out, text)
		return nil
	}
	w := sanitize.NewWriter(stdin, true)
	_, _ = io.WriteString(w, text) // the reader may quit before the end
	_ = w.Flush()
	_ = stdin.Close()
	_ = cmd.Wait() // the pager's exit says nothing about the briefing
	return nil
}

func unwrapExec(err error) error {
	if e, ok := err.(*exec.Error); ok {
		return e.Err
	}
	return err
}
