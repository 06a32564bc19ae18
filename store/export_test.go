package store

// SearchIndexSize gives the bytes the corpus' free-text index holds, for
// benchmarks.
func SearchIndexSize(c *Corpus) int { return c.textIndex().size() }
