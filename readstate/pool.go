package readstate

import (
	"sync"
)

// A Pool opens the states of many readers under one folder (an SSH
// server's --state-dir) and shares one Store between the sessions of one
// reader on one corpus, so that they see each other's changes at once and
// the state is held in memory once. Safe for concurrent use.
type Pool struct {
	dir  string
	opts Options
	mu   sync.Mutex
	open map[string]*pooled
}

type pooled struct {
	st   *Store
	refs int
}

// NewPool gives a pool of states under dir.
func NewPool(dir string, opts Options) *Pool {
	return &Pool{dir: dir, opts: opts, open: map[string]*pooled{}}
}

// Open gives the state of reader (such as a key's fingerprint) for
// corpus (CorpusKey), and the function to call when the session ends: the
// last session of a reader to end writes and closes the state.
func (p *Pool) Open(reader, corpus string) (*Store, func() error, error) {
	path, err := FilePath(p.dir, reader, corpus)
	if err != nil {
		return nil, nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.open[path]
	if !ok {
		st, err := OpenFile(path, p.opts)
		if err != nil {
			return nil, nil, err
		}
		e = &pooled{st: st}
		p.open[path] = e
	} else {
		_, _ = e.st.Refresh() // another process may have written since
	}
	e.refs++
	var once sync.Once
	release := func() error {
		var err error
		once.Do(func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			e.refs--
			if e.refs > 0 {
				err = e.st.Flush()
				return
			}
			delete(p.open, path)
			err = e.st.Close()
		})
		return err
	}
	return e.st, release, nil
}

// Close writes and closes every state still open.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var first error
	for path, e := range p.open {
		if err := e.st.Close(); err != nil && first == nil {
			first = err
		}
		delete(p.open, path)
	}
	return first
}
