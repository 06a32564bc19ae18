package store

import (
	"math/bits"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// textIndex is an inverted index of the words free-text queries search:
// every folded word of the corpus, sorted, with the briefings that have
// it. A word prefix is a range of the sorted words, so a query word costs
// two binary searches and the union of a few posting lists, whatever the
// corpus' size.
type textIndex struct {
	words    []string  // sorted, unique
	postings [][]int32 // for each word, the positions of its briefings, ascending
}

// search holds what free-text queries need, built once on demand: each
// briefing's folded words, then the index.
type search struct {
	wordsOnce sync.Once
	once      sync.Once
	index     atomic.Pointer[textIndex]
}

// ensureWords folds every briefing's searchable text, on every core, the
// first time a query or the index needs it. Loading does not pay for it.
func (c *Corpus) ensureWords() {
	c.search.wordsOnce.Do(func() {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range max(1, min(runtime.GOMAXPROCS(0), len(c.briefings)/64)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= len(c.briefings) {
						return
					}
					c.briefings[i].words = buildWords(c.briefings[i])
				}
			}()
		}
		wg.Wait()
	})
}

// PrepareSearch builds the free-text index, once; until it is built,
// queries scan every briefing instead (a few milliseconds per 10,000). The
// reader calls it in the background after its first frame. It is safe to
// call from several goroutines.
func (c *Corpus) PrepareSearch() {
	c.search.once.Do(func() {
		c.ensureWords()
		c.search.index.Store(c.buildTextIndex())
	})
}

// SearchReady reports whether PrepareSearch has built the index.
func (c *Corpus) SearchReady() bool { return c.readyIndex() != nil }

// readyIndex gives the index if it has been built, without waiting.
func (c *Corpus) readyIndex() *textIndex { return c.search.index.Load() }

func (c *Corpus) buildTextIndex() *textIndex {
	post := map[string][]int32{}
	for i, b := range c.briefings {
		add := func(words string) {
			for len(words) > 0 {
				end := strings.IndexByte(words, ' ')
				if end < 0 {
					end = len(words)
				}
				w := words[:end]
				if l := post[w]; len(l) == 0 || l[len(l)-1] != int32(i) {
					post[w] = append(l, int32(i))
				}
				words = words[min(end+1, len(words)):]
			}
		}
		add(b.words)
		for _, ref := range b.Officials {
			if ref.Official != nil {
				add(ref.Official.words)
			}
		}
	}
	idx := &textIndex{words: make([]string, 0, len(post))}
	for w := range post {
		idx.words = append(idx.words, w)
	}
	slices.Sort(idx.words)
	idx.postings = make([][]int32, len(idx.words))
	for i, w := range idx.words {
		idx.postings[i] = post[w]
	}
	return idx
}

// bitset marks briefings by position.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (s bitset) set(i int32) { s[i/64] |= 1 << (uint(i) % 64) }

// matching marks the briefings with a word starting with prefix.
func (idx *textIndex) matching(prefix string, n int) bitset {
	lo := sort.SearchStrings(idx.words, prefix)
	hi := lo + sort.Search(len(idx.words)-lo, func(i int) bool { return !strings.HasPrefix(idx.words[lo+i], prefix) })
	s := newBitset(n)
	for _, list := range idx.postings[lo:hi] {
		for _, i := range list {
			s.set(i)
		}
	}
	return s
}

// lookup gives the positions of the briefings having every word, in
// order.
func (idx *textIndex) lookup(words []string, n int) []int {
	var all bitset
	for _, w := range words {
		s := idx.matching(w, n)
		if all == nil {
			all = s
			continue
		}
		for i := range all {
			all[i] &= s[i]
		}
	}
	var out []int
	for i, word := range all {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			out = append(out, i*64+b)
			word &= word - 1
		}
	}
	return out
}
