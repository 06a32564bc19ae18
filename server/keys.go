package server

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// authorizedKey is one line of an authorized_keys file: a key and the
// options brief honours.
type authorizedKey struct {
	key  gossh.PublicKey
	line int
	// from lists the address patterns the key may log in from ("" none
	// given: any); a pattern starting with ! refuses.
	from []string
	// expires is when the key stops working (zero: never).
	expires time.Time
	// noPty gives the key lookups only: no terminal, so no reader.
	noPty bool
}

// permits reports whether the line lets its key log in from addr at now.
func (k *authorizedKey) permits(addr string, now time.Time) bool {
	if !k.expires.IsZero() && !now.Before(k.expires) {
		return false
	}
	return k.from == nil || matchFrom(k.from, addr)
}

// authorizedKeys is an authorized_keys file. Logins read it again when it
// looks changed (another file, another size or time); refresh reads it
// whatever it looks like and tells, by its content, whether it changed.
type authorizedKeys struct {
	path string
	// unusable is told about each line that is skipped, with why.
	unusable func(line int, err error)

	mu      sync.Mutex
	info    os.FileInfo // of the file as last read
	sum     [sha256.Size]byte
	entries []authorizedKey
	err     error // why the file cannot be read; then no key is allowed
}

// lineError is a line of the file that cannot be used as it is.
type lineError struct {
	line int
	err  error
}

func (e lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }

// errUnsupported marks an option brief does not honour.
var errUnsupported = errors.New("option not supported by brief serve")

// load reads the file for the server's start: an option brief does not
// honour is an error naming its line (a key meant to be restricted must
// not log in unrestricted); a line that is not a key is skipped.
func (a *authorizedKeys) load() error {
	data, info, err := a.read()
	if err != nil {
		return err
	}
	entries, bad := parseAuthorizedKeys(data)
	for _, e := range bad {
		if errors.Is(e.err, errUnsupported) {
			return fmt.Errorf("authorized keys %s: %w", a.path, e)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.keep(data, info, entries, bad)
	return nil
}

func (a *authorizedKeys) read() ([]byte, os.FileInfo, error) {
	info, err := os.Stat(a.path)
	if err != nil {
		return nil, nil, fmt.Errorf("authorized keys: %w", err)
	}
	data, err := os.ReadFile(a.path)
	if err != nil {
		return nil, nil, fmt.Errorf("authorized keys: %w", err)
	}
	return data, info, nil
}

// keep makes entries the file's keys; a.mu is held.
func (a *authorizedKeys) keep(data []byte, info os.FileInfo, entries []authorizedKey, bad []lineError) {
	a.info, a.sum, a.entries, a.err = info, sha256.Sum256(data), entries, nil
	if a.unusable != nil {
		for _, e := range bad {
			a.unusable(e.line, e.err)
		}
	}
}

// refresh reads the file again and reports whether its keys changed. A
// file that can no longer be read lets no one in.
func (a *authorizedKeys) refresh() (changed bool) {
	data, info, err := a.read()
	a.mu.Lock()
	defer a.mu.Unlock()
	if err != nil {
		changed = a.err == nil
		a.info, a.entries, a.err = nil, nil, err
		return changed
	}
	if a.err == nil && sha256.Sum256(data) == a.sum {
		a.info = info
		return false
	}
	entries, bad := parseAuthorizedKeys(data)
	a.keep(data, info, entries, bad)
	return true
}

// lookup gives the line that lets key log in from addr now; err says the
// file cannot be read.
func (a *authorizedKeys) lookup(key gossh.PublicKey, addr string, now time.Time) (*authorizedKey, error) {
	a.mu.Lock()
	info, err := os.Stat(a.path)
	stale := err != nil || a.info == nil || !os.SameFile(a.info, info) || info.Size() != a.info.Size() || !info.ModTime().Equal(a.info.ModTime())
	a.mu.Unlock()
	if stale {
		a.refresh()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return nil, a.err
	}
	want := key.Marshal()
	for i := range a.entries {
		e := &a.entries[i]
		if bytes.Equal(e.key.Marshal(), want) && e.permits(addr, now) {
			return e, nil
		}
	}
	return nil, nil
}

// parseAuthorizedKeys reads an authorized_keys file. Blank lines and
// comments are skipped; so is, with its reason, every line that is not a
// key or asks for an option brief does not honour.
func parseAuthorizedKeys(data []byte) (entries []authorizedKey, bad []lineError) {
	for n, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, _, options, rest, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			bad = append(bad, lineError{n + 1, errors.New("not a public key")})
			continue
		}
		if len(bytes.TrimSpace(rest)) > 0 {
			bad = append(bad, lineError{n + 1, errors.New("more than one key on the line")})
			continue
		}
		e := authorizedKey{key: key, line: n + 1}
		if err := e.apply(options); err != nil {
			bad = append(bad, lineError{n + 1, err})
			continue
		}
		entries = append(entries, e)
	}
	return entries, bad
}

// apply sets the options of a line.
func (e *authorizedKey) apply(options []string) error {
	restrict, pty := false, false
	for _, o := range options {
		name, value, hasValue := strings.Cut(o, "=")
		name = strings.ToLower(name)
		if hasValue {
			v, ok := unquoteOption(value)
			if !ok {
				return fmt.Errorf("option %s: the value must be in double quotes", name)
			}
			value = v
		}
		switch {
		case name == "from" && hasValue:
			e.from = strings.Split(value, ",")
			for _, p := range e.from {
				if strings.TrimPrefix(p, "!") == "" {
					return fmt.Errorf("option from: an empty pattern")
				}
			}
		case name == "expiry-time" && hasValue:
			t, err := parseExpiry(value)
			if err != nil {
				return fmt.Errorf("option expiry-time: %w", err)
			}
			e.expires = t
		case name == "restrict" && !hasValue:
			restrict = true
		case name == "no-pty" && !hasValue:
			e.noPty = true
		case name == "pty" && !hasValue:
			pty = true
		case !hasValue && (name == "no-port-forwarding" || name == "no-agent-forwarding" || name == "no-x11-forwarding" || name == "no-user-rc"):
			// brief serve never forwards anything nor runs an rc file.
		default:
			return fmt.Errorf("%s: %w", clean(name), errUnsupported)
		}
	}
	if restrict && !pty {
		e.noPty = true
	}
	return nil
}

// unquoteOption takes the double quotes off an option's value.
func unquoteOption(v string) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", false
	}
	return strings.ReplaceAll(v[1:len(v)-1], `\"`, `"`), true
}

// parseExpiry reads an expiry-time value, YYYYMMDD[HHMM[SS]], in local
// time unless it ends in Z, as OpenSSH does.
func parseExpiry(v string) (time.Time, error) {
	loc := time.Local
	if s, ok := strings.CutSuffix(v, "Z"); ok {
		v, loc = s, time.UTC
	}
	for _, layout := range []string{"20060102", "200601021504", "20060102150405"} {
		if len(v) == len(layout) {
			if t, err := time.ParseInLocation(layout, v, loc); err == nil {
				return t, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("%q is not YYYYMMDD[HHMM[SS]]", clean(v))
}

// matchFrom reports whether addr matches a from= list: a negated pattern
// that matches refuses, else any pattern that matches allows. Patterns are
// addresses with * and ? wildcards, or CIDR ranges; host names are never
// looked up, so only addresses can match.
func matchFrom(patterns []string, addr string) bool {
	ip := net.ParseIP(addr)
	allowed := false
	for _, p := range patterns {
		neg := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(p, "!")
		var hit bool
		if _, network, err := net.ParseCIDR(p); err == nil {
			hit = ip != nil && network.Contains(ip)
		} else {
			hit, _ = path.Match(p, addr)
		}
		if hit && neg {
			return false
		}
		allowed = allowed || hit
	}
	return allowed
}
