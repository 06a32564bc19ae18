// Package briefs holds brief's built-in curated corpus: the briefings on
// Kazakhstan–Uzbekistan relations written from the seed articles, and the
// officials registry they name. Both are embedded in the binary, so brief
// works anywhere with no files beside it.
package briefs

import (
	"embed"
	"io/fs"
)

//go:embed *.md officials.yaml
var files embed.FS

// FS returns the built-in corpus as a read-only file system: Markdown
// briefings at its top, and officials.yaml.
func FS() fs.FS { return files }

// Name is how the built-in corpus is named in headers and messages.
const Name = "built-in briefings"
