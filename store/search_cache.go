package store

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// The free-text index is saved beside the index cache, in a file of its
// own, so that loading (which every command does) never reads it: only a
// text query or PrepareSearch does. Like the index cache it is written by
// one build and trusted by no other, and it never decides on its own what
// is up to date: each segment lists the files it indexed with their size
// and modification time, and a file that differs is indexed again (see
// openTextIndex).
//
// Format: textCacheMagic, then the head's length as 8 bytes little endian,
// the head, and the positions of every segment, end to end. The head
// holds the build stamp, the number of segments, and for each its number
// of documents, its strings docs, terms, termEnds, post, postEnds and
// posEnds (each a varint length and its bytes), and where its positions
// start and how long they are. Opening reads the head only, and takes its
// strings as slices of it: no copy, no decoding beyond checking the
// offsets. The positions stay in the file, read when a phrase needs them.

// textCacheMagic starts every saved free-text index; bump its version when
// folding, the fields indexed or the encoding change.
const textCacheMagic = "brief-text-v1\n"

// textCacheSuffix names the free-text index's file after the index cache's.
const textCacheSuffix = ".text"

// readTextCache opens the segments saved at path; nil when there is no
// usable file. The segments' positions are read from the file, which
// stays open as long as they are used.
func readTextCache(path, stamp string) []*segment {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	segments, err := readTextSegments(f, stamp)
	if err != nil {
		f.Close()
		return nil
	}
	return segments
}

func readTextSegments(f *os.File, stamp string) ([]*segment, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	var fixed [len(textCacheMagic) + 8]byte
	if _, err := io.ReadFull(f, fixed[:]); err != nil {
		return nil, err
	}
	headLen := int64(binary.LittleEndian.Uint64(fixed[len(textCacheMagic):]))
	start := int64(len(fixed))
	if string(fixed[:len(textCacheMagic)]) != textCacheMagic || headLen < 0 || headLen > info.Size()-start {
		return nil, errCorrupt
	}
	var b strings.Builder
	b.Grow(int(headLen))
	if _, err := io.CopyN(&b, f, headLen); err != nil {
		return nil, err
	}
	region, regionSize := start+headLen, info.Size()-start-headLen
	d := decoder{s: b.String()}
	if d.str() != stamp {
		return nil, errCorrupt
	}
	n := d.count()
	var segments []*segment
	for range n {
		s := &segment{ndocs: d.count(), docs: d.str(), terms: d.str(), termEnds: d.str(), post: d.str(), postEnds: d.str(), posEnds: d.str()}
		off, size := int64(d.int()), int64(d.int())
		if d.err != nil || off < 0 || size < 0 || off+size > regionSize {
			return nil, errCorrupt
		}
		s.positions = positionSource{file: f, base: region + off, size: size}
		if !s.valid() {
			return nil, errCorrupt
		}
		segments = append(segments, s)
	}
	if d.err != nil || len(d.s) != 0 {
		return nil, errCorrupt
	}
	return segments, nil
}

// valid checks that a segment's offsets stay inside its strings, so that
// a damaged file cannot make a query slice out of range. (Damaged
// postings only give wrong documents, which queries bound.)
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
	return check(s.termEnds, int64(len(s.terms))) && check(s.postEnds, int64(len(s.post))) && check(s.posEnds, s.positions.len())
}

// writeTextCache replaces the saved index at path, atomically. The
// segments then read their positions from the new file.
func writeTextCache(path, stamp string, segments []*segment) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("free-text index cache: %w", err)
		}
	}()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".text-*")
	if err != nil {
		return err
	}
	keep := false
	defer func() {
		if !keep {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	var head encoder
	head.str(stamp)
	head.int(len(segments))
	off := int64(0)
	for _, s := range segments {
		head.int(s.ndocs)
		for _, part := range [...]string{s.docs, s.terms, s.termEnds, s.post, s.postEnds, s.posEnds} {
			head.str(part)
		}
		head.int(int(off))
		head.int(int(s.positions.len()))
		off += s.positions.len()
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	w.WriteString(textCacheMagic)
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(head.buf.Len()))
	w.Write(n[:])
	w.Write(head.buf.Bytes())
	for _, s := range segments {
		if s.positions.file == nil {
			w.WriteString(s.positions.mem)
			continue
		}
		if _, err := io.Copy(w, io.NewSectionReader(s.positions.file, s.positions.base, s.positions.size)); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// Read the positions from the file just written (the same file
	// whatever replaces the path later), and free them from memory.
	keep = true
	base := int64(len(textCacheMagic)+8) + int64(head.buf.Len())
	for _, s := range segments {
		size := s.positions.len()
		s.positions = positionSource{file: tmp, base: base, size: size}
		base += size
	}
	return nil
}
