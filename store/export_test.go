package store

import (
	"fmt"
	"slices"
)

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

// NewCompacter parses each of files (whole file contents) and gives a
// function that compacts a copy of every briefing parsed, as a loading
// worker does, with a new interner and packer on each call (as a cold
// load has): how many were compacted.
func NewCompacter(files [][]byte) func() int {
	type parsed struct {
		b   Briefing
		dec decoding
	}
	var all []parsed
	for i, data := range files {
		fm, _, _, err := findFrontmatter(data, true)
		if err != nil {
			continue
		}
		a := &arena{}
		b := parseBriefing(fmt.Sprintf("f%d.md", i), fm, &problems{}, a)
		if b == nil {
			continue
		}
		dec := decoding{details: a.dec.details, figs: slices.Clone(a.dec.figs), srcs: slices.Clone(a.dec.srcs),
			nFigs: a.dec.nFigs, nSrcs: a.dec.nSrcs, lines: slices.Clone(a.dec.lines)}
		dec.details.Extra = slices.Clone(dec.details.Extra)
		all = append(all, parsed{b: *b, dec: dec})
	}
	return func() int {
		var in interner
		var p packer
		for i := range all {
			b := all[i].b
			compactDecoded(&b, &all[i].dec, &in, &p)
		}
		return len(all)
	}
}
