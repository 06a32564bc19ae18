package store

// SearchIndexSize gives the bytes the corpus' free-text index holds, for
// benchmarks.
func SearchIndexSize(c *Corpus) int { return c.textIndex().size() }

// SetSearchFlushBytes makes the index's builders save parts to disk once
// they hold n bytes, so that tests can see parts merged.
func SetSearchFlushBytes(c *Corpus, n int) { c.search.flushBytes = n }

// SourceStats gives how many walks of the whole folder a CorpusSource
// made, how many files it read, and how many snapshots it made.
func SourceStats(s *CorpusSource) (walks, reads, snapshots int) {
	return int(s.stats.walks.Load()), int(s.stats.reads.Load()), int(s.stats.snapshots.Load())
}
