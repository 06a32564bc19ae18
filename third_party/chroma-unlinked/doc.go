// Package chroma is not the syntax highlighter github.com/alecthomas/chroma:
// it is brief's stand-in for it, declaring only what
// github.com/charmbracelet/glamour/ansi compiles against, with no lexers,
// no styles and no highlighting. brief's go.mod replaces chroma with this
// module.
//
// Why: glamour imports chroma's lexers and styles unconditionally, and
// their package initialisation (parsing some 250 lexers and 70 styles
// from embedded XML) took 20-25 ms of every brief command's start-up,
// against 2 ms for a minimal Go program, though brief never highlights:
// a briefing's text is untrusted and chroma's lexers can be made to run
// for minutes, or forever, on a short code block (see
// render/markdown/codeblock_test.go). render/markdown draws code blocks
// as plain text, with no Chroma style and no theme, so glamour never
// calls into this package.
//
// If something does (a style with a chroma theme, or a glamour version
// that highlights another way), quick.Highlight returns an error saying
// highlighting is not built in, and the rendering fails with it. A
// glamour version that uses more of chroma's API does not compile: add
// it here only if it, too, can do without highlighting.
package chroma

// TokenType is the type of a highlighted token.
type TokenType int

// The token types glamour's code block style names.
const (
	Background TokenType = -1 - iota
	Error
	Text
	Comment
	CommentPreproc
	Keyword
	KeywordReserved
	KeywordNamespace
	KeywordType
	Operator
	Punctuation
	Name
	NameBuiltin
	NameTag
	NameAttribute
	NameClass
	NameConstant
	NameDecorator
	NameException
	NameFunction
	NameOther
	Literal
	LiteralNumber
	LiteralDate
	LiteralString
	LiteralStringEscape
	GenericDeleted
	GenericEmph
	GenericInserted
	GenericStrong
	GenericSubheading
)

// StyleEntries map token types to style descriptions ("#ff0000 bold").
type StyleEntries map[TokenType]string

// Style is a named set of StyleEntries, kept as given: nothing here
// parses or uses it.
type Style struct {
	Name    string
	Entries StyleEntries
}

// MustNewStyle makes a Style of its entries.
func MustNewStyle(name string, entries StyleEntries) *Style {
	return &Style{Name: name, Entries: entries}
}
