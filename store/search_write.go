package store

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// segMagic starts every saved segment; bump its version when folding, the
// fields indexed or the encoding change.
const segMagic = "brief-seg-v1\n"

// A saved segment's file: segMagic, its postings, its places, its head
// (the build stamp, its number of documents, and its strings docs, terms,
// termEnds, postEnds and posEnds, in the cache codec), then the lengths of
// the postings, the places and the head, 8 bytes little endian each.
const segFooter = 24

// segmentWriter writes a segment word by word, in word order: its
// dictionary to memory, its postings and places to memory or to a segment
// file.
type segmentWriter struct {
	ndocs                       int
	terms                       strings.Builder
	termEnds, postEnds, posEnds []byte
	post, places                sink
	scratch, bitset             []byte
	// file is the segment file being written, tmp the places until they
	// are copied after the postings; nil in memory.
	file, tmp *os.File
	err       error
}

// sink receives a blob: in memory, or through a buffer to a file.
type sink struct {
	mem strings.Builder
	w   *bufio.Writer
	n   int64
}

func (k *sink) write(b []byte) {
	k.n += int64(len(b))
	if k.w != nil {
		k.w.Write(b) // the error sticks in w, checked at flush
		return
	}
	k.mem.Write(b)
}

// newSegmentWriter starts a segment of ndocs documents in memory, or, when
// dir is set, in a new file there whose name starts with base and "-".
func newSegmentWriter(ndocs int, dir, base string) (*segmentWriter, error) {
	w := &segmentWriter{ndocs: ndocs}
	if dir == "" {
		return w, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("free-text index: %w", err)
	}
	f, err := os.CreateTemp(dir, base+"-*.seg")
	if err != nil {
		return nil, fmt.Errorf("free-text index: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".places-*")
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("free-text index: %w", err)
	}
	os.Remove(tmp.Name()) // it needs no name: it is read back through the handle
	w.file, w.tmp = f, tmp
	w.post.w = bufio.NewWriterSize(f, 1<<16)
	w.places.w = bufio.NewWriterSize(tmp, 1<<16)
	w.post.w.WriteString(segMagic)
	return w, nil
}

// add writes one word: its meta list, its list of all documents given as
// uvarint gaps (count documents) or through each when a bitset is
// smaller, and its places.
func (w *segmentWriter) add(word string, meta, list []byte, count int, each func(func(int)), places []byte) {
	w.terms.WriteString(word)
	w.termEnds = appendLE32(w.termEnds, uint32(w.terms.Len()))
	w.scratch = appendUvarint(w.scratch[:0], uint64(len(meta)))
	w.post.write(w.scratch)
	w.post.write(meta)
	if count > 0 {
		if size := (w.ndocs + 7) / 8; size < len(list) {
			w.bitset = append(w.bitset[:0], make([]byte, size+1)...)
			w.bitset[0] = bodyBitset
			each(func(doc int) { w.bitset[1+doc/8] |= 1 << (doc % 8) })
			w.post.write(w.bitset)
		} else {
			w.post.write([]byte{bodyList})
			w.post.write(list)
		}
	}
	w.places.write(places)
	if w.post.n > math.MaxUint32 || w.places.n > math.MaxUint32 || uint64(w.terms.Len()) > math.MaxUint32 {
		w.err = errors.New("free-text index: a segment over 4 GiB")
	}
	w.postEnds = appendLE32(w.postEnds, uint32(w.post.n))
	w.posEnds = appendLE32(w.posEnds, uint32(w.places.n))
}

// finish ends the segment; docs is its encoded document list, stamp the
// build's. A saved segment reads its blobs from its file from then on.
func (w *segmentWriter) finish(docs, stamp string) (*segment, error) {
	s := &segment{
		terms: w.terms.String(), termEnds: string(w.termEnds),
		postEnds: string(w.postEnds), posEnds: string(w.posEnds),
		ndocs: w.ndocs, docs: docs,
	}
	if w.file == nil {
		s.post.mem, s.places.mem = w.post.mem.String(), w.places.mem.String()
		return s, w.err
	}
	err := w.save(s, stamp)
	w.tmp.Close()
	if err != nil {
		w.file.Close()
		os.Remove(w.file.Name())
		return nil, err
	}
	return s, nil
}

// save completes the segment file: the places after the postings, then
// the head and the footer.
func (w *segmentWriter) save(s *segment, stamp string) error {
	if w.err != nil {
		return w.err
	}
	if err := w.post.w.Flush(); err != nil {
		return fmt.Errorf("free-text index: %w", err)
	}
	if err := w.places.w.Flush(); err != nil {
		return fmt.Errorf("free-text index: %w", err)
	}
	out := bufio.NewWriterSize(w.file, 1<<16)
	if _, err := io.Copy(out, io.NewSectionReader(w.tmp, 0, w.places.n)); err != nil {
		return fmt.Errorf("free-text index: %w", err)
	}
	var head encoder
	head.str(stamp)
	head.int(s.ndocs)
	for _, part := range [...]string{s.docs, s.terms, s.termEnds, s.postEnds, s.posEnds} {
		head.str(part)
	}
	out.Write(head.buf.Bytes())
	var footer [segFooter]byte
	binary.LittleEndian.PutUint64(footer[0:], uint64(w.post.n))
	binary.LittleEndian.PutUint64(footer[8:], uint64(w.places.n))
	binary.LittleEndian.PutUint64(footer[16:], uint64(head.buf.Len()))
	out.Write(footer[:])
	if err := out.Flush(); err != nil {
		return fmt.Errorf("free-text index: %w", err)
	}
	s.name = filepath.Base(w.file.Name())
	s.post = blob{file: w.file, base: int64(len(segMagic)), size: w.post.n}
	s.places = blob{file: w.file, base: int64(len(segMagic)) + w.post.n, size: w.places.n}
	return nil
}

// openSegment opens a saved segment; nil when it is missing, damaged or
// from another build.
func openSegment(path, stamp string) (*segment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	s, err := readSegment(f, stamp)
	if err != nil {
		f.Close()
		return nil, err
	}
	s.name = filepath.Base(path)
	return s, nil
}

func readSegment(f *os.File, stamp string) (*segment, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := info.Size()
	if size < int64(len(segMagic))+segFooter {
		return nil, errCorrupt
	}
	magic := make([]byte, len(segMagic))
	var footer [segFooter]byte
	if _, err := f.ReadAt(magic, 0); err != nil {
		return nil, err
	}
	if _, err := f.ReadAt(footer[:], size-segFooter); err != nil {
		return nil, err
	}
	postLen := int64(binary.LittleEndian.Uint64(footer[0:]))
	placesLen := int64(binary.LittleEndian.Uint64(footer[8:]))
	headLen := int64(binary.LittleEndian.Uint64(footer[16:]))
	if string(magic) != segMagic || postLen < 0 || placesLen < 0 || headLen < 0 ||
		postLen > math.MaxUint32 || placesLen > math.MaxUint32 || headLen > size ||
		int64(len(segMagic))+postLen+placesLen+headLen+segFooter != size {
		return nil, errCorrupt
	}
	var b strings.Builder
	b.Grow(int(headLen))
	if _, err := io.Copy(&b, io.NewSectionReader(f, size-segFooter-headLen, headLen)); err != nil {
		return nil, err
	}
	d := decoder{s: b.String()}
	if d.str() != stamp {
		return nil, errCorrupt
	}
	s := &segment{ndocs: d.count(), docs: d.str(), terms: d.str(), termEnds: d.str(), postEnds: d.str(), posEnds: d.str()}
	if d.err != nil || len(d.s) != 0 {
		return nil, errCorrupt
	}
	s.post = blob{file: f, base: int64(len(segMagic)), size: postLen}
	s.places = blob{file: f, base: int64(len(segMagic)) + postLen, size: placesLen}
	if !s.valid() {
		return nil, errCorrupt
	}
	return s, nil
}

// valid checks that a segment's offsets stay inside its strings and
// blobs, so that a damaged file cannot make a query slice out of range.
// (Damaged postings only give wrong documents, which queries bound.)
func (s *segment) valid() bool {
	if len(s.termEnds)%4 != 0 || len(s.postEnds) != len(s.termEnds) || len(s.posEnds) != len(s.termEnds) {
		return false
	}
	check := func(ends string, limit int64) bool {
		last := uint32(0)
		for i := range len(ends) / 4 {
			e := le32(ends, i)
			if e < last {
				return false
			}
			last = e
		}
		return int64(last) == limit
	}
	return check(s.termEnds, int64(len(s.terms))) && check(s.postEnds, s.post.len()) && check(s.posEnds, s.places.len())
}

// close closes a segment's file, if it has one of its own.
func (s *segment) close() {
	if s.post.file != nil && !s.borrowed {
		s.post.file.Close()
	}
}

// borrow gives a segment with the same documents and words, for another
// corpus: it maps them to that corpus' positions afresh (mapDocs), and
// leaves the file to s. The file is closed when neither is used any more.
func (s *segment) borrow() *segment {
	return &segment{
		terms: s.terms, termEnds: s.termEnds, postEnds: s.postEnds, posEnds: s.posEnds,
		post: s.post, places: s.places, ndocs: s.ndocs, docs: s.docs, name: s.name,
		borrowed: true,
	}
}

// mergeInput reads one segment's words in order, for a merge.
type mergeInput struct {
	seg            *segment
	i              int
	post, places   *bufio.Reader
	postBuf, plBuf []byte
}

// next reads word i's postings and places.
func (in *mergeInput) next() error {
	pf, pt := span(in.seg.postEnds, in.i)
	lf, lt := span(in.seg.posEnds, in.i)
	in.postBuf = slices.Grow(in.postBuf[:0], int(pt-pf))[:pt-pf]
	in.plBuf = slices.Grow(in.plBuf[:0], int(lt-lf))[:lt-lf]
	if _, err := io.ReadFull(in.post, in.postBuf); err != nil {
		return fmt.Errorf("free-text index: %w", err)
	}
	if _, err := io.ReadFull(in.places, in.plBuf); err != nil {
		return fmt.Errorf("free-text index: %w", err)
	}
	return nil
}

// mergeSegments merges segments into one of ndocs documents, written by
// w: each part's documents go where its posOf maps them. Every document
// must come from at most one live document of the parts, and each part's
// live documents must keep their order (they do: a file that did not
// change keeps its place among the others).
func mergeSegments(parts []*segment, w *segmentWriter, docs, stamp string) (*segment, error) {
	inputs := make([]*mergeInput, len(parts))
	for k, p := range parts {
		inputs[k] = &mergeInput{
			seg:    p,
			post:   bufio.NewReaderSize(p.post.reader(), 1<<16),
			places: bufio.NewReaderSize(p.places.reader(), 1<<16),
		}
	}
	type metaHit struct {
		doc   int32
		class uint8
	}
	type docHit struct {
		doc    int32
		places []byte // the document's entry in the word's places
	}
	var metas []metaHit
	var hits []docHit
	var from []*mergeInput
	var meta, list, places []byte
	for {
		// The smallest word at the inputs, and the inputs that have it.
		word, found := "", false
		for _, in := range inputs {
			if in.i < in.seg.numTerms() {
				if t := in.seg.term(in.i); !found || t < word {
					word, found = t, true
				}
			}
		}
		if !found {
			break
		}
		from = from[:0]
		for _, in := range inputs {
			if in.i < in.seg.numTerms() && in.seg.term(in.i) == word {
				if err := in.next(); err != nil {
					w.abort()
					return nil, err
				}
				from = append(from, in)
				in.i++
			}
		}
		metas, hits = metas[:0], hits[:0]
		for _, in := range from {
			m0, m1 := splitPostings(in.postBuf)
			eachMeta(in.postBuf[m0:m1], func(doc int, class uint8) {
				if p := in.seg.posOf(doc); p >= 0 {
					metas = append(metas, metaHit{int32(p), class})
				}
			})
			ps, at := in.plBuf, 0
			eachDoc(in.postBuf[m1:], func(doc int) {
				count, next := uvarint(ps, at)
				end := skipUvarints(ps, next, int(count))
				if p := in.seg.posOf(doc); p >= 0 {
					hits = append(hits, docHit{int32(p), ps[at:end]})
				}
				at = end
			})
		}
		if len(from) > 1 {
			slices.SortFunc(metas, func(a, b metaHit) int { return cmp.Compare(a.doc, b.doc) })
			slices.SortFunc(hits, func(a, b docHit) int { return cmp.Compare(a.doc, b.doc) })
		}
		if len(hits) == 0 {
			continue // only in documents that went
		}
		meta, list, places = meta[:0], list[:0], places[:0]
		last := int32(-1)
		for _, m := range metas {
			meta = appendUvarint(meta, uint64(m.doc-last-1)<<2|uint64(m.class))
			last = m.doc
		}
		last = -1
		for _, h := range hits {
			list = appendUvarint(list, uint64(h.doc-last-1))
			places = append(places, h.places...)
			last = h.doc
		}
		w.add(word, meta, list, len(hits), func(f func(int)) {
			for _, h := range hits {
				f(int(h.doc))
			}
		}, places)
	}
	return w.finish(docs, stamp)
}

// abort drops a segment being written.
func (w *segmentWriter) abort() {
	if w.file != nil {
		w.file.Close()
		w.tmp.Close()
		os.Remove(w.file.Name())
	}
}
