// Package styles stands in for chroma's style registry (see the chroma
// package here): it holds no styles of its own.
package styles

import "github.com/alecthomas/chroma/v2"

// Registry holds the styles registered by name; glamour registers its own
// here before highlighting.
var Registry = map[string]*chroma.Style{}

// Register adds a style to the Registry under its name.
func Register(style *chroma.Style) *chroma.Style {
	Registry[style.Name] = style
	return style
}
