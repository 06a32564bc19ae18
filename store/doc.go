// Package store holds brief's briefing model: it finds briefing files in any
// fs.FS, parses and validates their frontmatter, resolves officials through
// the registry, and answers queries over the loaded corpus.
//
// The store only reads. It never writes to the briefing folder, and it has no
// terminal imports: everything it returns is plain data, cleaned of control
// characters at load time, with every problem reported as a Problem that
// names the file, the line and the reason.
package store
