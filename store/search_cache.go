package store

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The free-text index is saved beside the index cache, so that loading
// (which every command does) never reads it: only a text query or
// PrepareSearch does. It is a manifest (the index cache's path with
// textCacheSuffix) listing segment files beside it (the manifest's name,
// "-", a unique part, ".seg"). A segment file never changes once written:
// a change to the folder adds a small segment and a new manifest, and a
// merge writes one segment for several; the files no manifest lists any
// more are removed. Like the index cache, the saved index is written by
// one build and trusted by no other, and it never decides alone what is up
// to date: each segment lists the files it indexed with their size and
// modification time, and a file that differs is indexed again (see
// openTextIndex).
//
// Manifest format: textCacheMagic, then in the cache codec the build
// stamp, the number of segments and each one's file name.

// textCacheMagic starts every manifest; bump its version when the
// manifest's format changes (segMagic covers the segments').
const textCacheMagic = "brief-text-v3\n"

// textCacheSuffix names the manifest after the index cache.
const textCacheSuffix = ".text"

// orphanAge is how old a segment file no manifest lists must be before it
// is removed: younger, it may be another process's, about to be listed.
const orphanAge = 10 * time.Minute

// readTextCache opens the segments the manifest at path lists; nil when
// there is no usable index.
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
	names := make([]string, n)
	for i := range names {
		names[i] = d.str()
	}
	if d.err != nil || len(d.s) != 0 {
		return nil
	}
	var segments []*segment
	for _, name := range names {
		var s *segment
		var err error
		if isSegmentName(path, name) {
			s, err = openSegment(filepath.Join(filepath.Dir(path), name), stamp)
		}
		if s == nil || err != nil {
			for _, s := range segments {
				s.close()
			}
			return nil
		}
		segments = append(segments, s)
	}
	return segments
}

// isSegmentName reports whether name is a segment file of the manifest at
// path: beside it, never elsewhere.
func isSegmentName(path, name string) bool {
	prefix := filepath.Base(path) + "-"
	return strings.HasPrefix(name, prefix) && strings.HasSuffix(name, ".seg") && !strings.ContainsAny(name, `/\`)
}

// writeTextManifest lists the segments at path, atomically, and removes
// the segment files that no longer serve: those the previous manifest
// listed and this one does not, and old ones no manifest lists.
func writeTextManifest(path, stamp string, segments []*segment, replaced []string) error {
	var e encoder
	e.buf.WriteString(textCacheMagic)
	e.str(stamp)
	e.int(len(segments))
	var names []string
	for _, s := range segments {
		if s.name == "" {
			return fmt.Errorf("free-text index cache: a segment is not saved")
		}
		e.str(s.name)
		names = append(names, s.name)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".text-manifest-*")
	if err != nil {
		return fmt.Errorf("free-text index cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(e.buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("free-text index cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("free-text index cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("free-text index cache: %w", err)
	}
	// Files open elsewhere stay readable there until closed (on Unix);
	// where removing them fails, a later write tries again.
	for _, name := range replaced {
		if !slices.Contains(names, name) && isSegmentName(path, name) {
			os.Remove(filepath.Join(dir, name))
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	part := "." + filepath.Base(path) + "-part-" // left by a build that was killed
	for _, entry := range entries {
		name := entry.Name()
		if !isSegmentName(path, name) && !strings.HasPrefix(name, part) || slices.Contains(names, name) {
			continue
		}
		if info, err := entry.Info(); err == nil && time.Since(info.ModTime()) > orphanAge {
			os.Remove(filepath.Join(dir, name))
		}
	}
	return nil
}
