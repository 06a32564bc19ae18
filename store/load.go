package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// RegistryFile is the name of the officials registry at the top of a
// briefing folder.
const RegistryFile = "officials.yaml"

// Options tune Load.
type Options struct {
	// Name names the corpus for headers and messages ("built-in", a path).
	Name string
	// Registry is used when the folder has no officials.yaml of its own.
	Registry *Registry
	// Full reads and checks every body too, as `brief check` does; by
	// default bodies are read only when opened.
	Full bool
	// CachePath, when set, is where the index cache for this folder lives:
	// a file outside the folder (the folder is never written to). Files
	// whose size and modification time match the cache are not read again.
	// Full loads neither use nor write it.
	CachePath string
}

// Load reads every briefing in fsys. A file that cannot be used is
// reported in the corpus' Problems and every other briefing still loads:
// Loaded + Rejected always equals Seen. Load returns an error only when the
// folder itself cannot be read.
func Load(fsys fs.FS, opts Options) (*Corpus, error) {
	// Read the index cache while the folder is walked.
	var stamp string
	cached := make(chan *cache, 1)
	if opts.CachePath != "" && !opts.Full {
		stamp = buildStamp()
		go func() { cached <- readCache(opts.CachePath, stamp) }()
	} else {
		cached <- nil
	}
	w, err := findBriefings(fsys)
	old := <-cached
	if err != nil {
		return nil, err
	}
	files, entries := w.files, w.entries
	c := &Corpus{Name: opts.Name, fsys: fsys, registry: opts.Registry}
	if stamp != "" {
		c.textCachePath, c.stamp = opts.CachePath+textCacheSuffix, stamp
	}
	c.problems = append(c.problems, w.problems...)
	if _, err := fs.Stat(fsys, RegistryFile); err == nil {
		reg, ps := LoadRegistry(fsys, RegistryFile)
		c.registry, c.problems = reg, append(c.problems, ps...)
	}
	results, infos, fresh := parseAll(fsys, files, entries, opts.Full, old, stamp != "")
	if stamp != "" && (fresh > 0 || old == nil || len(old.files) != len(files)) {
		_ = writeCache(opts.CachePath, stamp, files, infos, results) // a cache is only a speed-up
	}
	c.seen, c.rejected = len(files)+w.refused, w.refused
	byID := make(map[string]*Briefing, len(files))
	known := map[string]*Official{}
	for i, r := range results {
		c.problems = append(c.problems, r.problems...)
		b := r.briefing
		if b == nil {
			c.rejected++
			continue
		}
		if infos != nil && infos[i] != nil {
			b.size, b.modTime = infos[i].Size(), infos[i].ModTime().UnixNano()
		}
		if first, dup := byID[b.ID]; dup {
			c.problems = append(c.problems, Problem{Path: b.Path, Line: b.idLine, Severity: Error,
				Message: fmt.Sprintf("duplicate id %q: %s already uses it; give one of them another id", b.ID, first.Path)})
			c.rejected++
			continue
		}
		byID[b.ID] = b
		c.resolveOfficials(b, known)
		c.briefings = append(c.briefings, b)
	}
	c.byID = byID
	sortProblems(c.problems)
	c.index()
	return c, nil
}

// parsed is what one worker learned of one file.
type parsed struct {
	briefing *Briefing
	problems []Problem
}

// parseAll reads and parses the files on every core, keeping file order.
// With stat, it also gives each file's info (for the index cache), and
// takes from old the files that have not changed. fresh counts the files
// actually read.
func parseAll(fsys fs.FS, files []string, entries []fs.DirEntry, full bool, old *cache, stat bool) (results []parsed, infos []fs.FileInfo, fresh int) {
	results = make([]parsed, len(files))
	if stat {
		infos = make([]fs.FileInfo, len(files))
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(files)/16))
	var next, read atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf, a := make([]byte, 16<<10), &arena{}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(files) {
					return
				}
				if stat {
					infos[i] = fileInfo(fsys, files[i], entries[i])
					if r, ok := old.lookup(files[i], infos[i]); ok {
						results[i] = r
						continue
					}
				}
				read.Add(1)
				results[i], buf = parseFile(fsys, files[i], buf, a, full)
			}
		}()
	}
	wg.Wait()
	return results, infos, int(read.Load())
}

// fileInfo gives a file's size and time, following a symlink; nil when
// they cannot be had (the file is then read, and not cached).
func fileInfo(fsys fs.FS, p string, e fs.DirEntry) fs.FileInfo {
	if e != nil && e.Type()&fs.ModeSymlink == 0 {
		if info, err := e.Info(); err == nil {
			return info
		}
	}
	if info, err := fs.Stat(fsys, p); err == nil {
		return info
	}
	return nil
}

// parseFile reads as much of one file as its frontmatter needs (all of it
// when full) and parses it. buf is scratch space, returned for reuse.
func parseFile(fsys fs.FS, p string, buf []byte, a *arena, full bool) (parsed, []byte) {
	ps := &problems{path: p}
	data, buf, err := readHead(fsys, p, buf, full)
	if err != nil {
		ps.errorf(0, "%v", err)
		return parsed{problems: ps.list}, buf
	}
	fm, _, line, err := findFrontmatter(data, true)
	if err != nil {
		ps.errorf(line, "%v", err)
		return parsed{problems: ps.list}, buf
	}
	b := parseBriefing(p, fm, ps, a)
	if b != nil && full {
		checkBody(data[fm.bodyOffset:], fm.bodyLine, ps)
	}
	return parsed{briefing: b, problems: ps.list}, buf
}

// readHead reads the start of a file, enough to hold its frontmatter: it
// reads in growing steps until the frontmatter is closed or the file ends.
// The returned data may alias buf.
func readHead(fsys fs.FS, p string, buf []byte, full bool) (data, scratch []byte, err error) {
	if hr, ok := fsys.(headReader); ok && !full {
		buf = buf[:cap(buf)]
		n, size, err := hr.readHead(p, buf)
		switch {
		case err != nil:
			return nil, buf, fmt.Errorf("cannot read: %w", unwrapPathError(err))
		case size > MaxFileSize:
			return nil, buf, fmt.Errorf("file is %.1f MiB, over the %d MiB limit for a briefing", float64(size)/(1<<20), MaxFileSize>>20)
		case int64(n) == size:
			return buf[:n], buf, nil // the whole file
		}
		if _, more, _, _ := findFrontmatter(buf[:n], false); !more {
			return buf[:n], buf, nil // enough for the frontmatter
		}
		// A frontmatter longer than the buffer: read the usual way.
	}
	f, err := fsys.Open(p)
	if err != nil {
		return nil, buf, fmt.Errorf("cannot open: %w", unwrapPathError(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, buf, fmt.Errorf("cannot read: %w", unwrapPathError(err))
	}
	if size := info.Size(); size > MaxFileSize {
		return nil, buf, fmt.Errorf("file is %.1f MiB, over the %d MiB limit for a briefing", float64(size)/(1<<20), MaxFileSize>>20)
	}
	if full && int64(cap(buf)) < info.Size()+1 {
		buf = make([]byte, info.Size()+1)
	}
	size := int(info.Size())
	buf = buf[:cap(buf)]
	n := 0
	for {
		m, err := f.Read(buf[n:])
		n += m
		if n == size || errors.Is(err, io.EOF) || (m == 0 && err == nil) {
			return buf[:n], buf, nil // the whole file
		}
		if err != nil {
			return nil, buf, fmt.Errorf("cannot read: %w", unwrapPathError(err))
		}
		if n > MaxFileSize {
			return nil, buf, fmt.Errorf("file is over the %d MiB limit for a briefing", MaxFileSize>>20)
		}
		if n == len(buf) {
			if !full {
				if _, more, _, _ := findFrontmatter(buf[:n], false); !more {
					return buf[:n], buf, nil // enough for the frontmatter
				}
			}
			grown := make([]byte, 2*len(buf))
			copy(grown, buf)
			buf = grown
		}
	}
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// findBriefings walks fsys for briefing files: every .md file, in sorted
// order, skipping hidden files and folders and never entering a folder
// twice through a symlink loop.
func findBriefings(fsys fs.FS) (*walker, error) {
	w := &walker{fsys: fsys}
	if err := w.walk(".", nil, 0); err != nil {
		return nil, err
	}
	return w, nil
}

type walker struct {
	fsys     fs.FS
	files    []string
	entries  []fs.DirEntry // each file's entry in its folder
	problems []Problem
	walked   []fs.FileInfo // every folder read, so that symlinks never fan out
	refused  int           // briefing files refused without reading them
}

const maxDepth = 64

func (w *walker) walk(dir string, ancestors []fs.FileInfo, depth int) error {
	entries, err := fs.ReadDir(w.fsys, dir)
	if err != nil {
		if dir == "." {
			return fmt.Errorf("cannot read the briefing folder: %w", unwrapPathError(err))
		}
		w.warn(dir, "cannot read folder: %v; its briefings are not loaded", unwrapPathError(err))
		return nil
	}
	if info, err := fs.Stat(w.fsys, dir); err == nil {
		ancestors = append(ancestors, info)
		w.walked = append(w.walked, info)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := path.Join(dir, name)
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			if lr, ok := w.fsys.(interface{ leavesRoot(string) bool }); ok && lr.leavesRoot(p) {
				// Whoever can write the folder must not make brief read,
				// and show, any file its user can.
				if isBriefingName(name) {
					w.problems = append(w.problems, Problem{Path: p, Severity: Error, Message: "symlink leads outside the briefing folder; not read"})
					w.refused++
				} else {
					w.warn(p, "symlink leads outside the briefing folder; not followed")
				}
				continue
			}
			info, err := fs.Stat(w.fsys, p)
			if err != nil {
				if isBriefingName(name) {
					w.add(p, e) // reported as unreadable when parsed
				}
				continue
			}
			isDir = info.IsDir()
			if isDir && loops(info, ancestors) {
				w.warn(p, "symlink loops back to a folder that contains it; not followed")
				continue
			}
			if isDir && loops(info, w.walked) {
				// Symlinks to folders read already would load their
				// briefings again, and chains of them grow exponentially.
				w.warn(p, "symlink leads to a folder already read; not followed")
				continue
			}
		}
		switch {
		case isDir && depth+1 >= maxDepth:
			w.warn(p, "folder nested deeper than %d levels; not read", maxDepth)
		case isDir:
			if err := w.walk(p, ancestors, depth+1); err != nil {
				return err
			}
		case isBriefingName(name):
			w.add(p, e)
		}
	}
	return nil
}

func (w *walker) add(p string, e fs.DirEntry) {
	w.files = append(w.files, p)
	w.entries = append(w.entries, e)
}

func (w *walker) warn(p, format string, args ...any) {
	w.problems = append(w.problems, Problem{Path: p, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}

func isBriefingName(name string) bool {
	return len(name) > 3 && strings.EqualFold(path.Ext(name), ".md")
}

// loops reports whether info is one of the folders being walked.
func loops(info fs.FileInfo, ancestors []fs.FileInfo) bool {
	for _, a := range ancestors {
		if os.SameFile(a, info) {
			return true
		}
	}
	return false
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Path != ps[j].Path {
			return ps[i].Path < ps[j].Path
		}
		return ps[i].Line < ps[j].Line
	})
}
