package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The id index lives beside the index cache (its path plus idsSuffix) and
// says which file holds each id, so that `brief show ID` reads one file
// instead of the whole folder. It is sorted by id and read a few records
// at a time (a binary search through ReadAt), so a lookup costs the same
// at any folder size.
//
// It is trusted only as far as it can be checked: it records each
// folder's modification time when it was written (a file added, removed
// or renamed changes its folder's), and for each id the file's size,
// time and frontmatter checksum. FindCached checks all of them, and that
// the file still gives that id; anything else falls back to a full load.

const (
	idsSuffix = ".ids"
	idsMagic  = "brief-ids-v1\n"
)

// dirStamp is a folder's modification time when it was walked; 0 when it
// was too recent to be trusted (see isRacy) or could not be had.
type dirStamp struct {
	path    string
	modTime int64
}

// idsHeader is what the id index says of the whole folder.
type idsHeader struct {
	stamp          string
	dirs           []dirStamp
	seen, rejected int
}

// idRecord is one id's entry.
type idRecord struct {
	id, path      string
	size, modTime int64
	head          uint32
}

// writeIDs replaces the id index at path, atomically. Files whose stat is
// unknown, reached through a symlink, or racy are left out: looking them
// up falls back to a full load. refused counts the files the walk refused.
func writeIDs(path, stamp string, dirs []dirStamp, files []fileState, refused int) error {
	var recs []idRecord
	rejected, seen := refused, len(files)+refused
	ids := make(map[string]bool, len(files))
	for i := range files {
		f := &files[i]
		b := f.briefing
		if b == nil {
			rejected++
			continue
		}
		if ids[b.ID] {
			rejected++ // a duplicate: Load rejects all but the first
		}
		ids[b.ID] = true
		if !f.stat || f.racy || f.linked {
			continue
		}
		recs = append(recs, idRecord{id: b.ID, path: f.path, size: f.size, modTime: f.modTime, head: b.head})
	}
	slices.SortStableFunc(recs, func(x, y idRecord) int { return strings.Compare(x.id, y.id) })

	var h encoder
	h.str(stamp)
	h.int(len(dirs))
	for _, d := range dirs {
		h.str(d.path)
		h.int64(d.modTime)
	}
	h.int(seen)
	h.int(rejected)

	var out bytes.Buffer
	out.WriteString(idsMagic)
	out.Write(binary.LittleEndian.AppendUint32(nil, uint32(h.buf.Len())))
	out.Write(h.buf.Bytes())
	out.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(recs))))
	var body encoder
	offsets := make([]byte, 0, 4*len(recs))
	for _, r := range recs {
		offsets = binary.LittleEndian.AppendUint32(offsets, uint32(body.buf.Len()))
		body.str(r.id)
		body.str(r.path)
		body.int64(r.size)
		body.int64(r.modTime)
		body.int(int(r.head))
	}
	out.Write(offsets)
	out.Write(body.buf.Bytes())
	return replaceFile(path, out.Bytes())
}

// replaceFile writes data to path through a temporary file and a rename.
func replaceFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".index-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// idsFile is an open id index.
type idsFile struct {
	f       *os.File
	header  idsHeader
	n       int   // records
	offsets int64 // where the offset table starts
	records int64 // where the records start
	size    int64
}

var errIDs = errors.New("id index is damaged")

// openIDs opens the id index at path and reads its header.
func openIDs(path string) (*idsFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	x := &idsFile{f: f}
	if err := x.readHeader(); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

func (x *idsFile) Close() error { return x.f.Close() }

func (x *idsFile) readHeader() error {
	info, err := x.f.Stat()
	if err != nil {
		return err
	}
	x.size = info.Size()
	pre := make([]byte, len(idsMagic)+4)
	if _, err := x.f.ReadAt(pre, 0); err != nil {
		return errIDs
	}
	if string(pre[:len(idsMagic)]) != idsMagic {
		return errIDs
	}
	hlen := int64(binary.LittleEndian.Uint32(pre[len(idsMagic):]))
	start := int64(len(pre))
	if hlen > x.size-start-4 {
		return errIDs
	}
	hb := make([]byte, hlen+4)
	if _, err := x.f.ReadAt(hb, start); err != nil {
		return errIDs
	}
	d := decoder{s: string(hb[:hlen])}
	x.header.stamp = d.str()
	nd := d.count()
	x.header.dirs = make([]dirStamp, 0, nd)
	for range nd {
		x.header.dirs = append(x.header.dirs, dirStamp{path: d.str(), modTime: d.int64()})
	}
	x.header.seen, x.header.rejected = d.int(), d.int()
	if d.err != nil || len(d.s) != 0 {
		return errIDs
	}
	x.n = int(binary.LittleEndian.Uint32(hb[hlen:]))
	x.offsets = start + hlen + 4
	x.records = x.offsets + 4*int64(x.n)
	if x.n < 0 || x.records > x.size {
		return errIDs
	}
	return nil
}

// record reads the i-th record (in id order).
func (x *idsFile) record(i int) (idRecord, error) {
	var ob [4]byte
	if _, err := x.f.ReadAt(ob[:], x.offsets+4*int64(i)); err != nil {
		return idRecord{}, errIDs
	}
	at := x.records + int64(binary.LittleEndian.Uint32(ob[:]))
	if at >= x.size {
		return idRecord{}, errIDs
	}
	buf := make([]byte, min(1024, x.size-at))
	for {
		n, err := x.f.ReadAt(buf, at)
		if err != nil && !errors.Is(err, io.EOF) {
			return idRecord{}, errIDs
		}
		d := decoder{s: string(buf[:n])}
		r := idRecord{id: d.str(), path: d.str(), size: d.int64(), modTime: d.int64(), head: uint32(d.int())}
		if d.err == nil {
			return r, nil
		}
		if n < len(buf) || len(buf) >= MaxFileSize {
			return idRecord{}, errIDs
		}
		buf = make([]byte, min(2*len(buf), int(x.size-at))) // a long id or path
	}
}

// find gives the record of exactly id, and whether it is there once.
func (x *idsFile) find(id string) (idRecord, bool) {
	lo, hi := 0, x.n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		r, err := x.record(mid)
		if err != nil {
			return idRecord{}, false
		}
		if r.id < id {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo >= x.n {
		return idRecord{}, false
	}
	r, err := x.record(lo)
	if err != nil || r.id != id {
		return idRecord{}, false
	}
	if lo+1 < x.n {
		if next, err := x.record(lo + 1); err != nil || next.id == id {
			return idRecord{}, false // a duplicate id: Load decides which one counts
		}
	}
	return r, true
}

// sameDirs reports whether the folders are as the walk that wrote the
// index found them, and that walk could be trusted.
func sameDirs(fsys fs.FS, dirs []dirStamp) bool {
	if len(dirs) == 0 {
		return false
	}
	for _, d := range dirs {
		info, err := fs.Stat(fsys, d.path)
		if err != nil || d.modTime == 0 || info.ModTime().UnixNano() != d.modTime {
			return false
		}
	}
	return true
}

// idsCurrent reports whether the id index at path was written by this
// build for folders as they are now.
func idsCurrent(path, stamp string, dirs []dirStamp) bool {
	x, err := openIDs(path)
	if err != nil {
		return false
	}
	defer x.Close()
	return x.header.stamp == stamp && slices.Equal(x.header.dirs, dirs)
}

// FindCached finds the briefing with exactly this id through the id index
// kept beside opts.CachePath, reading only its file, as `brief show` and
// `brief card` do at any folder size. It gives a Corpus of that briefing
// alone, resolved against the folder's registry (or opts.Registry), whose
// Seen and Rejected are the folder's as the last full load counted them.
//
// ok is false whenever the index cannot answer for certain: no cache, one
// written by another build, a folder changed since (a file added, removed
// or renamed), the file changed, an id found twice or not at all (a
// prefix, a typo: Load and Lookup then give suggestions). The caller then
// loads the whole folder. One change goes unseen: another file edited in
// place to take the same id, which Load would report as a duplicate.
func FindCached(fsys fs.FS, id string, opts Options) (c *Corpus, b *Briefing, ok bool) {
	if opts.CachePath == "" || opts.Full || id == "" {
		return nil, nil, false
	}
	x, err := openIDs(opts.CachePath + idsSuffix)
	if err != nil {
		return nil, nil, false
	}
	defer x.Close()
	stamp := BuildStamp()
	if stamp == "" || x.header.stamp != stamp || !sameDirs(fsys, x.header.dirs) {
		return nil, nil, false
	}
	r, ok := x.find(id)
	if !ok {
		return nil, nil, false
	}
	info, err := fs.Stat(fsys, r.path)
	if err != nil || !info.Mode().IsRegular() || info.Size() != r.size || info.ModTime().UnixNano() != r.modTime || isRacy(r.modTime, time.Now()) {
		return nil, nil, false
	}
	p, _ := parseFile(fsys, nil, r.path, make([]byte, 16<<10), &arena{}, false)
	b = p.briefing
	if b == nil || b.ID != id || b.head != r.head {
		return nil, nil, false
	}
	b.size, b.modTime, b.Path = r.size, r.modTime, strings.Clone(r.path)
	sc := &scanned{files: []fileState{{path: b.Path, size: r.size, modTime: r.modTime, stat: true, parsed: p}}}
	sc.readRegistry(fsys, opts.Registry, nil)
	c = sc.corpus(opts.Name, fsys)
	c.seen, c.rejected = x.header.seen, x.header.rejected
	return c, b, true
}
