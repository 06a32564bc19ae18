package readstate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/brief-tools/brief/internal/parallel"
	"github.com/brief-tools/brief/store"
)

// Hash gives a briefing's content hash: 24 hex digits of SHA-256 over
// everything a reader is shown (every field of the frontmatter and the
// body as Corpus.Body gives it), but not its id nor its file's name or
// place, so that a briefing renamed without other change keeps its hash.
func Hash(b *store.Briefing, body string) string {
	h := sha256.New()
	w := fieldWriter{h: h}
	d := b.Details()
	w.str("title", b.Title)
	w.str("date", b.Date.String())
	w.str("season", b.Date.Season)
	w.str("basis", string(d.Dating.Basis))
	w.str("dating-note", d.Dating.Note)
	w.str("kind", b.Kind)
	w.str("location", b.Location)
	w.list("countries", b.Countries)
	w.list("topics", b.Topics)
	names := make([]string, len(b.Officials))
	for i, o := range b.Officials {
		names[i] = o.Name
	}
	w.list("officials", names)
	w.str("summary", b.Summary)
	w.int("figures", len(d.Figures))
	for _, f := range d.Figures {
		w.str("label", f.Label)
		w.str("value", f.Value)
		w.str("note", f.Note)
	}
	w.int("sources", len(d.Sources))
	for _, s := range d.Sources {
		w.str("outlet", s.Outlet)
		w.str("title", s.Title)
		w.str("url", s.URL)
		w.str("lang", s.Lang)
		w.str("published", s.Published.String())
	}
	w.str("status", b.Status)
	w.int("extra", len(d.Extra))
	for _, f := range d.Extra {
		w.str("key", f.Key)
		w.str("value", f.Value)
	}
	w.str("body", body)
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// fieldWriter feeds named, length-prefixed values to a hash, so that no
// two different briefings feed the same bytes.
type fieldWriter struct{ h hash.Hash }

func (w fieldWriter) str(name, v string) {
	w.h.Write([]byte(name + " " + strconv.Itoa(len(v)) + ":"))
	w.h.Write([]byte(v))
}

func (w fieldWriter) int(name string, n int) { w.str(name, strconv.Itoa(n)) }

func (w fieldWriter) list(name string, vs []string) {
	w.int(name, len(vs))
	for _, v := range vs {
		w.str("item", v)
	}
}

// Hashes gives the content hashes of one corpus snapshot's briefings,
// each computed once (it reads the body), safe for concurrent use: an SSH
// server can share one between the sessions on a snapshot. With a cache
// (NewCachedHashes), hashes computed by an earlier run are taken again
// for files whose size and modification time have not changed.
type Hashes struct {
	c  *store.Corpus
	mu sync.Mutex
	m  map[*store.Briefing]string

	// The cache, when there is one: the folder the corpus was read from,
	// the cache file, what it held, and whether a hash was added since.
	root, cachePath string
	cache           map[string]cachedHash
	loaded, dirty   bool
}

// cachedHash is one file's hash as the cache keeps it.
type cachedHash struct {
	size, modTime int64
	hash          string
}

// NewHashes gives the content hashes of c's briefings, computed as they
// are asked for.
func NewHashes(c *store.Corpus) *Hashes {
	return &Hashes{c: c, m: make(map[*store.Briefing]string, len(c.Briefings()))}
}

// NewCachedHashes is NewHashes for a corpus read from the folder root,
// with the hashes of earlier runs kept in the file cachePath (outside the
// folder: the user's cache folder), keyed by each file's path, size and
// modification time and by brief's build. Save writes it.
func NewCachedHashes(c *store.Corpus, root, cachePath string) *Hashes {
	h := NewHashes(c)
	h.root, h.cachePath = root, cachePath
	return h
}

// Of gives b's content hash; b must be one of the corpus' briefings.
func (h *Hashes) Of(b *store.Briefing) (string, error) {
	h.mu.Lock()
	sum, ok := h.m[b]
	if !ok && h.cachePath != "" && !h.loaded {
		h.cache, h.loaded = readHashCache(h.cachePath), true
	}
	h.mu.Unlock()
	if ok {
		return sum, nil
	}
	var stamp cachedHash
	if h.cachePath != "" {
		if info, err := os.Stat(filepath.Join(h.root, filepath.FromSlash(b.Path))); err == nil {
			stamp = cachedHash{size: info.Size(), modTime: info.ModTime().UnixNano()}
			h.mu.Lock()
			c, ok := h.cache[b.Path]
			h.mu.Unlock()
			if ok && c.size == stamp.size && c.modTime == stamp.modTime {
				h.remember(b, c.hash, cachedHash{})
				return c.hash, nil
			}
		}
	}
	body, _, err := h.c.Body(b)
	if err != nil {
		return "", err
	}
	sum = Hash(b, body)
	if stamp.modTime != 0 {
		stamp.hash = sum
	}
	h.remember(b, sum, stamp)
	return sum, nil
}

// remember keeps b's hash, and in the cache when stamp is set.
func (h *Hashes) remember(b *store.Briefing, sum string, stamp cachedHash) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.m[b] = sum
	if stamp.hash != "" {
		if h.cache == nil {
			h.cache = map[string]cachedHash{}
		}
		h.cache[b.Path] = stamp
		h.dirty = true
	}
}

// hashCacheMagic starts a hash cache; the build stamp follows it.
const hashCacheMagic = "brief-hashes-v1"

// readHashCache reads a hash cache; one that is missing, damaged or
// written by another build of brief is none.
func readHashCache(path string) map[string]cachedHash {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	head, rest, _ := strings.Cut(string(data), "\n")
	if stamp := store.BuildStamp(); stamp == "" || head != hashCacheMagic+" "+stamp {
		return nil
	}
	out := make(map[string]cachedHash, strings.Count(rest, "\n"))
	for rest != "" {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil
		}
		p, err1 := strconv.Unquote(f[0])
		size, err2 := strconv.ParseInt(f[1], 10, 64)
		mod, err3 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || !isHash(f[3]) {
			return nil
		}
		out[p] = cachedHash{size: size, modTime: mod, hash: f[3]}
	}
	return out
}

// Save writes the hashes computed into the cache, when there is one and
// something was added; a cache that cannot be written only makes the
// next run slower, and the error says why.
func (h *Hashes) Save() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	stamp := store.BuildStamp()
	if h.cachePath == "" || !h.dirty || stamp == "" {
		return nil
	}
	var b strings.Builder
	b.WriteString(hashCacheMagic + " " + stamp + "\n")
	paths := make([]string, 0, len(h.cache))
	for p := range h.cache {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		c := h.cache[p]
		fmt.Fprintf(&b, "%s\t%d\t%d\t%s\n", strconv.Quote(p), c.size, c.modTime, c.hash)
	}
	if err := os.MkdirAll(filepath.Dir(h.cachePath), 0o700); err != nil {
		return fmt.Errorf("hash cache: %w", err)
	}
	if err := writeAtomic(h.cachePath, []byte(b.String())); err != nil {
		return fmt.Errorf("hash cache: %w", err)
	}
	h.dirty = false
	return nil
}

// Known gives b's content hash when it was computed already, else "".
func (h *Hashes) Known(b *store.Briefing) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.m[b]
}

// All computes every briefing's content hash, on every core, and gives
// them by id. A briefing whose body cannot be read is left out, with its
// error.
func (h *Hashes) All() (map[string]string, []error) {
	bs := h.c.Briefings()
	sums := make([]string, len(bs))
	errs := make([]error, len(bs))
	parallel.Each(len(bs), 0, func(i int) { sums[i], errs[i] = h.Of(bs[i]) })
	out := make(map[string]string, len(bs))
	var failed []error
	for i, b := range bs {
		if errs[i] != nil {
			failed = append(failed, errs[i])
			continue
		}
		out[b.ID] = sums[i]
	}
	return out, failed
}
