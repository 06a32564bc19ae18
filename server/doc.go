// Package server serves brief over SSH with wish: a reader who connects
// with a terminal gets the full reader, each session with its own lipgloss
// renderer, colour profile, theme and window size; a command without a
// terminal gets the same read-only lookups as the local command line
// (list, show, card, officials), as plain text. The corpus is loaded once
// and shared read-only; so is a cache of finished renderings, keyed by
// everything that shapes them (width, theme, colour profile).
//
// Access is by public key against an authorized_keys file that is re-read
// when it changes; anonymous access must be asked for. Who a reader is
// comes from the key their session logged in with, never from what the
// key callback saw. Limits bound what a session may cost: an idle timeout
// on the reader's own keystrokes, a maximum session length, caps on
// sessions overall and per address, a deadline for logging in (and for a
// connection left with no session), a cap on connections logging in at
// once, and a per-address rate limit on new connections. A reader turned
// away is told why in one line.
//
// The server stays up: every reader runs under a guard that recovers
// panics in the model and its commands (ending only that session) and
// drops tea.Suspend and tea.Exec, which would act on the server's own
// process; a client that stops reading is cut off when told to stop; on
// SIGTERM every reader is told the server is going away before it stops.
// Everything from a client that reaches the log is sanitized.
package server
