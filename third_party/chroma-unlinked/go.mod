// Not chroma: brief's stand-in for it, so that chroma's lexers and styles
// (20 ms of package initialisation in every run) are not linked into
// brief. See doc.go, and the replace directive in brief's go.mod.
module github.com/alecthomas/chroma/v2

go 1.22
