package readstate

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strings"
)

// BuiltinCorpus is the corpus key of the built-in briefings.
const BuiltinCorpus = "builtin"

// CorpusKey names a corpus' state file: BuiltinCorpus for folder "", else
// a hash of the folder's absolute path (the same folder reached by
// another path is another corpus; two folders never share a state).
func CorpusKey(folder string) string {
	if folder == "" {
		return BuiltinCorpus
	}
	if abs, err := filepath.Abs(folder); err == nil {
		folder = abs
	}
	sum := sha256.Sum256([]byte(filepath.Clean(folder)))
	return "dir-" + hex.EncodeToString(sum[:8])
}

// LocalDir gives where a local reader's state lives, from the environment
// read by getenv: $XDG_STATE_HOME/brief, else $HOME/.local/state/brief (a
// relative XDG_STATE_HOME is ignored, as the XDG specification says).
func LocalDir(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "brief"), nil
	}
	if home := getenv("HOME"); filepath.IsAbs(home) {
		return filepath.Join(home, ".local", "state", "brief"), nil
	}
	return "", errors.New("no state folder: set HOME or XDG_STATE_HOME")
}

// FilePath gives the state file of reader for corpus under dir:
// dir/CORPUS.state for the local reader (reader ""), else
// dir/READER/CORPUS.state with the reader's id made safe for a file name
// (ReaderName).
func FilePath(dir, reader, corpus string) (string, error) {
	if dir == "" {
		return "", errors.New("no state folder")
	}
	name := ReaderName(corpus)
	if name == "" {
		return "", errors.New("no corpus key")
	}
	if reader == "" {
		return filepath.Join(dir, name+".state"), nil
	}
	r := ReaderName(reader)
	if r == "" {
		return "", errors.New("empty reader id")
	}
	return filepath.Join(dir, r, name+".state"), nil
}

// ReaderName makes a reader id (such as an SSH key fingerprint,
// "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8") safe as a file
// name, one to one: ASCII letters, digits, '-' and '.' stay, every other
// byte becomes '_' and two hex digits ("SHA256_3anThbg…"), and a leading
// '.' is escaped too (no hidden files, no ".."). A name that would be
// longer than 100 bytes is "_h" and the id's SHA-256 instead (which no
// escaped name can be: '_' is always followed by two hex digits there).
func ReaderName(id string) string {
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' && i > 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('_')
		b.WriteString(hex.EncodeToString([]byte{c}))
	}
	if b.Len() > 100 {
		sum := sha256.Sum256([]byte(id))
		return "_h" + hex.EncodeToString(sum[:])
	}
	return b.String()
}
