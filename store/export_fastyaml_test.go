package store

// NewFrontmatterParser gives a function that splits and parses the
// frontmatter of a file (whole file contents) as a loading worker's fast
// path does: plainFrontmatter, then the fast YAML parser. It reports
// whether both answered.
func NewFrontmatterParser() func(data []byte) bool {
	a := &arena{inPlace: true}
	return func(data []byte) bool {
		a.reset(1)
		if _, ok := plainFrontmatter(data, a); !ok {
			return false
		}
		_, ok := parseSimpleLines(a)
		return ok
	}
}

// NewFrontmatterSplitter gives a function that only splits the
// frontmatter of a file (whole file contents) with plainFrontmatter,
// reporting whether it did.
func NewFrontmatterSplitter() func(data []byte) bool {
	a := &arena{inPlace: true}
	return func(data []byte) bool {
		a.reset(1)
		_, ok := plainFrontmatter(data, a)
		return ok
	}
}
