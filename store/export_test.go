package store

// SearchIndexSize gives the bytes the corpus' free-text index holds, for
// benchmarks.
func SearchIndexSize(c *Corpus) int { return c.textIndex().size() }

// SetSearchFlushBytes makes the index's builders save parts to disk once
// they hold n bytes, so that tests can see parts merged.
func SetSearchFlushBytes(c *Corpus, n int) { c.search.flushBytes = n }
