package server

import (
	"fmt"
	"github.com/brief-tools/brief/store"
	"os"
	"path/filepath"
	"time"
)

// Bounds on what one session may ask of the server, whatever its client
// sends.
const (
	// MaxWidth and MaxHeight bound the window the reader is drawn for: a
	// larger terminal gets a frame of this size.
	MaxWidth, MaxHeight = 500, 200
	// maxEnv is how many environment variables a session may set, each
	// of at most maxEnvBytes (name and value); more are refused.
	maxEnv, maxEnvBytes = 32, 1024
	// maxCommandBytes bounds a lookup's command line.
	maxCommandBytes = 4096
)

// Config says how to serve.
type Config struct {
	// Name is what readers see the corpus called, never its folder's
	// path ("" keeps the corpus' own name).
	Name string
	// Listen is the address to listen on (":23234").
	Listen string
	// HostKeyPath is the server's private host key, generated with mode
	// 0600 on first start and reused afterwards.
	HostKeyPath string
	// AuthorizedKeysPath lists the readers' public keys, one per line as in
	// OpenSSH; changes apply to the next connection.
	AuthorizedKeysPath string
	// AllowAnonymous lets anyone in, with any key or none.
	AllowAnonymous bool
	// IdleTimeout closes a session when the reader has pressed no key for
	// this long (0: never).
	IdleTimeout time.Duration
	// MaxSession closes a session after this long, however busy (0: never).
	MaxSession time.Duration
	// MaxSessions caps the sessions open at once, overall and from one
	// address (0: no cap).
	MaxSessions, MaxPerAddress int
	// AuthTimeout bounds how long a connection may stay unauthenticated,
	// and how long it may stay open with no session after its last one
	// (0: no bound).
	AuthTimeout time.Duration
	// MaxUnauthenticated caps the connections still logging in at once,
	// from every address together (0: no cap).
	MaxUnauthenticated int
	// RatePerMinute caps new connections per address per minute, with
	// bursts up to the same number (0: no limit).
	RatePerMinute int
	// Banner is shown to readers before they authenticate.
	Banner string
	// ShutdownTimeout bounds how long stopping waits for sessions to end.
	ShutdownTimeout time.Duration
	// StateDir, when set, keeps each reader's reading state (read, marks,
	// positions), per key fingerprint; anonymous readers get none.
	StateDir string
	// Folder is the briefing folder served ("" for the built-in corpus):
	// it names the corpus in the readers' states.
	Folder string
	// Source, when set, is followed: each session gets the newest
	// snapshot, and an open reader takes each new one as it comes.
	Source *store.CorpusSource
	// ShowProblems lets readers see, in the reader's problems view, the
	// names of files that failed to load and why; by default they see
	// counts and briefing ids only.
	ShowProblems bool
}

// Defaults gives the configuration `brief serve` starts from.
func Defaults() Config {
	return Config{
		Listen:             ":23234",
		HostKeyPath:        defaultHostKeyPath(),
		IdleTimeout:        30 * time.Minute,
		MaxSession:         8 * time.Hour,
		MaxSessions:        500,
		MaxPerAddress:      20,
		AuthTimeout:        30 * time.Second,
		MaxUnauthenticated: 256,
		RatePerMinute:      30,
		ShutdownTimeout:    10 * time.Second,
	}
}

// defaultHostKeyPath is under the user's data folder
// ($XDG_DATA_HOME/brief, else ~/.local/share/brief).
func defaultHostKeyPath() string {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return filepath.Join(".", "brief_host_ed25519")
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "brief", "ssh_host_ed25519")
}

// check reports a configuration that cannot work.
func (c Config) check() error {
	switch {
	case c.Listen == "":
		return fmt.Errorf("no address to listen on")
	case c.HostKeyPath == "":
		return fmt.Errorf("no host key path")
	case c.AuthorizedKeysPath == "" && !c.AllowAnonymous:
		return fmt.Errorf("no --authorized-keys file: give one, or --allow-anonymous to let anyone in")
	case c.IdleTimeout < 0, c.MaxSession < 0, c.AuthTimeout < 0, c.MaxSessions < 0, c.MaxPerAddress < 0, c.RatePerMinute < 0, c.MaxUnauthenticated < 0, c.ShutdownTimeout < 0:
		return fmt.Errorf("limits cannot be negative")
	}
	return nil
}
