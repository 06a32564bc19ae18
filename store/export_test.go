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

// SourceApply makes a CorpusSource take in a change to the files at
// paths as a notification would have it, now, without waiting for the
// folder to settle: for benchmarks of the work one change costs. The
// source must be opened with WatchNone (its loop is then idle).
func SourceApply(s *CorpusSource, paths ...string) {
	pending := map[string]bool{}
	for _, p := range paths {
		pending[p] = true
	}
	s.apply(pending, false)
}

// Observed gives opts with f to see every snapshot a CorpusSource
// publishes during its first load, partial or complete, as it publishes
// it.
func Observed(opts OpenOptions, f func(*Corpus)) OpenOptions {
	opts.observe = f
	return opts
}

// FirstScreenPath gives where the first screen file of the index cache at
// cachePath lives.
func FirstScreenPath(cachePath string) string { return cachePath + firstSuffix }

// SourceIncremental gives how many snapshots a CorpusSource made from the
// last one (source_delta.go) rather than from its whole scan.
func SourceIncremental(s *CorpusSource) int { return int(s.stats.incremental.Load()) }

// NewParser gives a function that parses file contents as a loading
// worker does, reusing its scratch space: whether a briefing was kept.
func NewParser() func(data []byte) bool {
	a := &arena{inPlace: true}
	return func(data []byte) bool {
		return parseData(data, &problems{path: "bench.md"}, a, false).briefing != nil
	}
}
