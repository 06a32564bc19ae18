// Package store holds brief's briefing model: it finds briefing files in any
// fs.FS, parses and validates their frontmatter, resolves officials through
// the registry, and answers queries over the loaded corpus. Load reads a
// folder once; a CorpusSource (Open) owns a folder, watches it and
// publishes a new Corpus whenever it changes (see source.go).
//
// The store only reads. It never writes to the briefing folder, and it has no
// terminal imports: everything it returns is plain data, cleaned of control
// characters at load time, with every problem reported as a Problem that
// names the file, the line and the reason.
//
// # Adding a field
//
// A briefing's fields are declared once, in Briefing (briefing.go), or in
// Details for what lists and queries never read (a Briefing keeps its
// Details packed in one string: details.go). A new field is written down
// in four more places, and a test fails, naming the field, until each of
// them carries it:
//
//   - decode.go reads it from the frontmatter (add its key to knownKeys);
//     TestDecoderSetsEveryField decodes a file giving every key (add the key
//     to everyKey in schema_test.go) and fails on a field left unset.
//   - cache.go encodes and decodes it in the index cache (encoder.briefing,
//     decoder.briefing), or, for a field of Details, details.go packs and
//     unpacks it (packDetails, unpacker), and compact.go makes it the
//     briefing's own; bump cacheMagic. TestCacheCarriesEveryField
//     round-trips a briefing with every field set, and
//     TestCacheFormatFollowsTheSchema asks for the new cacheMagic.
//   - cli/json.go carries it in `--format json` (TestJSONCarriesEveryField).
//   - render/card shows it on the card, if a reader sees it
//     (TestCardShowsEveryField).
//
// A field that deliberately stays out of one of them is listed in that
// test's exceptions with the reason. docs/format.md documents the key.
package store
