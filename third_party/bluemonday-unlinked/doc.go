// Package bluemonday is not the HTML sanitizer
// github.com/microcosm-cc/bluemonday: it is brief's stand-in for it,
// declaring only what github.com/charmbracelet/glamour/ansi compiles
// against, and sanitizing nothing. brief's go.mod replaces bluemonday with
// this module.
//
// Why: glamour builds a bluemonday policy for every rendering, to strip
// the tags from a body's raw HTML, and linking bluemonday brings its CSS
// handlers and the CSS parsers github.com/aymerick/douceur and
// github.com/gorilla/css, whose package initialisation (building their
// tables and compiling regular expressions) took about 2.4 ms of every
// brief command's start-up, a third of the whole. brief does not need
// them: render/markdown replaces every HTML block and inline HTML node
// with the text a reader should see of it (tags removed, character
// references decoded, scripts, styles and the like dropped) before glamour
// renders, so glamour never calls into this package.
//
// If something does (a glamour version that handles another node as
// HTML, or a change that stops render/markdown from replacing HTML),
// Sanitize, which cannot return an error, fails visibly: whatever it is
// given, it returns the marker "[HTML not shown]", which the reader sees
// in place of the HTML, and which render/markdown's tests look for. A glamour version that uses more of
// bluemonday's API does not compile: add it here only if it, too, can do
// without sanitizing.
package bluemonday

// notShown is what Sanitize gives in place of any HTML.
const notShown = "[HTML not shown]"

// Policy stands for a sanitizing policy; it has no rules.
type Policy struct{}

// StrictPolicy gives a Policy.
func StrictPolicy() *Policy { return &Policy{} }

// Sanitize gives "[HTML not shown]", whatever s is: this package
// sanitizes nothing, and shows nothing of what it is given.
func (*Policy) Sanitize(s string) string { return notShown }
