package store

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// The free-text index is saved beside the index cache, in a file of its
// own, so that loading (which every command does) never reads it: only a
// text query or PrepareSearch does. Like the index cache it is written by
// one build and trusted by no other, and it never decides on its own what
// is up to date: each segment lists the files it indexed with their size
// and modification time, and a file that differs is indexed again (see
// openTextIndex).
//
// Format, after textCacheMagic: the build stamp, the number of segments,
// and for each segment its number of documents and its six strings (docs,
// terms, termEnds, post, postEnds), each as a varint length and its bytes.
// Loading takes the strings as slices of the file's bytes: no copy, no
// decoding beyond checking the offsets.

// textCacheMagic starts every saved free-text index; bump its version when
// folding, the fields indexed or the encoding change.
const textCacheMagic = "brief-text-v1\n"

// textCacheSuffix names the free-text index's file after the index cache's.
const textCacheSuffix = ".text"

// readTextCache reads the segments saved at path; nil when there is no
// usable file.
func readTextCache(path, stamp string) []*segment {
	data, err := readString(path)
	if err != nil {
		return nil
	}
	d := decoder{s: data}
	if d.fixed(len(textCacheMagic)) != textCacheMagic || d.str() != stamp {
		return nil
	}
	n := d.count()
	var segments []*segment
	for range n {
		s := &segment{ndocs: d.count(), docs: d.str(), terms: d.str(), termEnds: d.str(), post: d.str(), postEnds: d.str()}
		if d.err != nil || !s.valid() {
			return nil
		}
		segments = append(segments, s)
	}
	if d.err != nil || len(d.s) != 0 {
		return nil
	}
	return segments
}

// valid checks that a segment's offsets stay inside its strings, so that
// a damaged file cannot make a query slice out of range. (Damaged
// postings only give wrong documents, which queries bound.)
func (s *segment) valid() bool {
	if len(s.termEnds)%4 != 0 || len(s.postEnds) != len(s.termEnds) {
		return false
	}
	check := func(ends string, limit int) bool {
		last := uint32(0)
		for i := range len(ends) / 4 {
			e := le32(ends, i)
			if e < last {
				return false
			}
			last = e
		}
		return int(last) == limit
	}
	return check(s.termEnds, len(s.terms)) && check(s.postEnds, len(s.post))
}

// writeTextCache replaces the saved index at path, atomically.
func writeTextCache(path, stamp string, segments []*segment) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("free-text index cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".text-*")
	if err != nil {
		return fmt.Errorf("free-text index cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	var e encoder
	e.buf.WriteString(textCacheMagic)
	e.str(stamp)
	e.int(len(segments))
	for _, s := range segments {
		e.int(s.ndocs)
		e.str(s.docs)
		for _, part := range [...]string{s.terms, s.termEnds, s.post, s.postEnds} {
			e.int(len(part))
			if _, err := w.Write(e.buf.Bytes()); err != nil {
				tmp.Close()
				return fmt.Errorf("free-text index cache: %w", err)
			}
			e.buf.Reset()
			if _, err := w.WriteString(part); err != nil {
				tmp.Close()
				return fmt.Errorf("free-text index cache: %w", err)
			}
		}
	}
	if _, err := w.Write(e.buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("free-text index cache: %w", err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("free-text index cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("free-text index cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("free-text index cache: %w", err)
	}
	return nil
}
