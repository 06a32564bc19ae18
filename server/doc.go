// Package server serves brief over SSH with wish: a reader who connects
// with a terminal gets the full reader, each session with its own renderer,
// theme and window size; a command without a terminal gets the same
// read-only lookups as the local command line (list, show, card,
// officials), as plain text.
//
// Access is by public key against an authorized_keys file that is re-read
// when it changes; anonymous access must be asked for. Limits bound what a
// session may cost: an idle timeout on the reader's own keystrokes, a
// maximum session length, caps on sessions overall and per address, a
// deadline for authenticating and a per-address rate limit on new
// connections. A panic ends only its session; a SIGTERM tells every reader
// the server is going away before it stops.
package server
