package storetest

import (
	"io/fs"
	"math"
	"os"
	"strings"
	"sync"
)

// Gate serves a folder of briefings as an fs.FS that holds back the
// briefing files beyond the first few of the walk until Free or Release
// lets them through: a CorpusSource that streams its first load
// (OpenOptions.FirstScreen) then shows a partial snapshot for as long as
// a test needs to look at it. Release it before closing the source,
// which waits for the load.
type Gate struct {
	fsys  fs.FS
	pos   map[string]int // each briefing file's place in the walk
	mu    sync.Mutex
	cond  *sync.Cond
	limit int // files at places below it go through
}

// NewGate serves dir, letting the first free briefing files of the walk
// (folder by folder, in name order) through.
func NewGate(dir string, free int) *Gate {
	g := &Gate{fsys: os.DirFS(dir), pos: map[string]int{}, limit: free}
	g.cond = sync.NewCond(&g.mu)
	_ = fs.WalkDir(g.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			g.pos[p] = len(g.pos)
		}
		return err
	})
	return g
}

// Open opens a file, waiting until it is let through if it is a briefing
// held back.
func (g *Gate) Open(name string) (fs.File, error) {
	if p, ok := g.pos[name]; ok {
		g.mu.Lock()
		for p >= g.limit {
			g.cond.Wait()
		}
		g.mu.Unlock()
	}
	return g.fsys.Open(name)
}

// ReadDir lists a folder, never waiting.
func (g *Gate) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(g.fsys, name) }

// Stat describes a file, never waiting.
func (g *Gate) Stat(name string) (fs.FileInfo, error) { return fs.Stat(g.fsys, name) }

// Free lets the first n briefing files of the walk through.
func (g *Gate) Free(n int) {
	g.mu.Lock()
	g.limit = max(g.limit, n)
	g.mu.Unlock()
	g.cond.Broadcast()
}

// Release lets every file through, now and from now on.
func (g *Gate) Release() { g.Free(math.MaxInt) }
