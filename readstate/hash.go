package readstate

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/brief-tools/brief/store"
)

// Hash gives a briefing's content hash: 24 hex digits of SHA-256 over
// everything a reader is shown (every field of the frontmatter and the
// body as Corpus.Body gives it), but not its id nor its file's name or
// place, so that a briefing renamed without other change keeps its hash.
func Hash(b *store.Briefing, body string) string {
	h := sha256.New()
	w := fieldWriter{h: h}
	w.str("title", b.Title)
	w.str("date", b.Date.String())
	w.str("season", b.Date.Season)
	w.str("basis", string(b.Dating.Basis))
	w.str("dating-note", b.Dating.Note)
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
	w.int("figures", len(b.Figures))
	for _, f := range b.Figures {
		w.str("label", f.Label)
		w.str("value", f.Value)
		w.str("note", f.Note)
	}
	w.int("sources", len(b.Sources))
	for _, s := range b.Sources {
		w.str("outlet", s.Outlet)
		w.str("title", s.Title)
		w.str("url", s.URL)
		w.str("lang", s.Lang)
		w.str("published", s.Published.String())
	}
	w.str("status", b.Status)
	w.int("extra", len(b.Extra))
	for _, f := range b.Extra {
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
// server can share one between the sessions on a snapshot.
type Hashes struct {
	c  *store.Corpus
	mu sync.Mutex
	m  map[*store.Briefing]string
}

// NewHashes gives the content hashes of c's briefings, computed as they
// are asked for.
func NewHashes(c *store.Corpus) *Hashes {
	return &Hashes{c: c, m: make(map[*store.Briefing]string, len(c.Briefings()))}
}

// Of gives b's content hash; b must be one of the corpus' briefings.
func (h *Hashes) Of(b *store.Briefing) (string, error) {
	h.mu.Lock()
	sum, ok := h.m[b]
	h.mu.Unlock()
	if ok {
		return sum, nil
	}
	body, _, err := h.c.Body(b)
	if err != nil {
		return "", err
	}
	sum = Hash(b, body)
	h.mu.Lock()
	h.m[b] = sum
	h.mu.Unlock()
	return sum, nil
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
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(bs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(bs) {
					return
				}
				sums[i], errs[i] = h.Of(bs[i])
			}
		}()
	}
	wg.Wait()
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
