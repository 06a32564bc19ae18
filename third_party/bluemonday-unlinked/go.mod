// Not bluemonday: brief's stand-in for it, so that bluemonday and the CSS
// parsers it imports (2.4 ms of package initialisation in every run) are
// not linked into brief. See doc.go, and the replace directive in brief's
// go.mod.
module github.com/microcosm-cc/bluemonday

go 1.22
