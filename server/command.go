package server

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/brief-tools/brief/briefs"
	"github.com/brief-tools/brief/cli"
	"github.com/charmbracelet/log"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Command builds `brief serve`. open opens the corpus the way every
// command does (--dir, BRIEF_DIR, the configuration's dir, or the
// built-in one); the server follows it as the folder changes.
func Command(open cli.OpenFunc, version string) *cobra.Command {
	cfg := Defaults()
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the reader and the lookups over SSH",
		Long: `Serve brief over SSH: a reader who connects with a terminal gets the full
reader, and a command without one (ssh host list --official saidov) gets the
lookups as plain text.

Readers log in with a public key listed in --authorized-keys, re-read when it
changes. Every flag can also be set by its environment variable.`,
		Example: `  brief serve --authorized-keys ~/.config/brief/authorized_keys
  ssh -p 23234 localhost                      # the reader
  ssh -p 23234 localhost list --official saidov`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := fromEnvironment(cmd.Flags()); err != nil {
				return err
			}
			// Readers see a label, never the server's path.
			label := func(folder string) string {
				switch {
				case cfg.Name != "":
					return cfg.Name
				case folder == "":
					return briefs.Name
				}
				return filepath.Base(filepath.Clean(folder))
			}
			src, folder, err := open(label)
			if err != nil {
				return err
			}
			defer src.Close()
			c := src.Current()
			if n := c.Rejected(); n > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "brief: %d briefings could not be loaded; run 'brief check' to see why\n", n)
			}
			cfg.Folder, cfg.Name, cfg.Source = folder, c.Name, src
			logger := log.NewWithOptions(os.Stderr, log.Options{ReportTimestamp: true, Prefix: "brief"})
			logger.Info("following the folder", "how", src.Watch().String())
			srv, err := New(cfg, c, logger, version)
			if err != nil {
				return err
			}
			return srv.ListenAndServe(cmd.Context())
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Listen, "listen", cfg.Listen, "address to listen on ($BRIEF_SSH_LISTEN)")
	f.StringVar(&cfg.HostKeyPath, "host-key", cfg.HostKeyPath, "the server's host key, made on first start ($BRIEF_SSH_HOST_KEY)")
	f.StringVar(&cfg.AuthorizedKeysPath, "authorized-keys", "", "readers' public keys, one per line ($BRIEF_SSH_AUTHORIZED_KEYS)")
	f.BoolVar(&cfg.AllowAnonymous, "allow-anonymous", false, "let anyone in, with no key ($BRIEF_SSH_ALLOW_ANONYMOUS)")
	f.DurationVar(&cfg.IdleTimeout, "idle-timeout", cfg.IdleTimeout, "close a session after this long without a key pressed; 0 never ($BRIEF_SSH_IDLE_TIMEOUT)")
	f.DurationVar(&cfg.MaxSession, "max-session", cfg.MaxSession, "close a session after this long; 0 never ($BRIEF_SSH_MAX_SESSION)")
	f.IntVar(&cfg.MaxSessions, "max-sessions", cfg.MaxSessions, "sessions open at once; 0 no cap ($BRIEF_SSH_MAX_SESSIONS)")
	f.IntVar(&cfg.MaxPerAddress, "max-per-address", cfg.MaxPerAddress, "sessions open at once from one address; 0 no cap ($BRIEF_SSH_MAX_PER_ADDRESS)")
	f.DurationVar(&cfg.AuthTimeout, "auth-timeout", cfg.AuthTimeout, "time allowed to log in, and to stay connected with no session; 0 no limit ($BRIEF_SSH_AUTH_TIMEOUT)")
	f.IntVar(&cfg.MaxUnauthenticated, "max-unauthenticated", cfg.MaxUnauthenticated, "connections still logging in at once; 0 no cap ($BRIEF_SSH_MAX_UNAUTHENTICATED)")
	f.IntVar(&cfg.RatePerMinute, "rate", cfg.RatePerMinute, "new connections per address per minute; 0 no limit ($BRIEF_SSH_RATE)")
	f.StringVar(&cfg.Banner, "banner", "", "text shown before login ($BRIEF_SSH_BANNER)")
	f.StringVar(&cfg.Name, "name", "", "what readers see the briefings called; default the folder's name, never its path ($BRIEF_SSH_NAME)")
	f.StringVar(&cfg.StateDir, "state-dir", "", "keep each reader's reading state (read, marks, positions) here, per key; none when empty ($BRIEF_SSH_STATE_DIR)")
	f.BoolVar(&cfg.ShowProblems, "show-problems", false, "show readers the names of files that failed to load and why ($BRIEF_SSH_SHOW_PROBLEMS)")
	f.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", cfg.ShutdownTimeout, "how long stopping waits for sessions ($BRIEF_SSH_SHUTDOWN_TIMEOUT)")
	return cmd
}

// envName gives a flag's environment variable: --idle-timeout is
// BRIEF_SSH_IDLE_TIMEOUT.
func envName(flag string) string {
	name := "BRIEF_SSH_"
	for _, r := range flag {
		if r == '-' {
			r = '_'
		} else if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		name += string(r)
	}
	return name
}

// fromEnvironment sets each flag not given on the command line from its
// environment variable.
func fromEnvironment(f *pflag.FlagSet) error {
	var err error
	f.VisitAll(func(fl *pflag.Flag) {
		if fl.Changed || err != nil {
			return
		}
		v := os.Getenv(envName(fl.Name))
		if v == "" { // unset and empty alike leave the default
			return
		}
		if e := f.Set(fl.Name, v); e != nil {
			err = fmt.Errorf("%s=%q: %w", envName(fl.Name), v, e)
		}
	})
	return err
}
