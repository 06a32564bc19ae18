package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/brief-tools/brief/store"
)

// A program opens the folder once, takes the current snapshot, and takes
// each new one from its subscription. (A reader does this in a command
// that waits on the channel; see CorpusSource.)
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "briefs")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "talks.md")
	os.WriteFile(file, []byte("---\ntitle: Talks in Astana\ndate: 2024-02-19\nofficials: [Tokayev]\n---\n\nThey talked.\n"), 0o644)

	src, err := store.Open(store.Dir(dir), store.OpenOptions{Options: store.Options{Name: dir}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer src.Close()
	updates, cancel := src.Subscribe()
	defer cancel()
	c := src.Current()
	fmt.Println(c.Generation(), c.ByID("talks").Title)

	// An editor saves the file: a temporary file renamed over it.
	os.WriteFile(file+".tmp", []byte("---\ntitle: Talks in Astana, day two\ndate: 2024-02-20\nofficials: [Tokayev]\n---\n\nThey talked again.\n"), 0o644)
	os.Rename(file+".tmp", file)

	c = <-updates // within a second
	b := c.ByID("talks")
	body, _, _ := c.Body(b)
	fmt.Println(c.Generation(), b.Title, "|", strings.TrimSpace(body))
	// Output:
	// 1 Talks in Astana
	// 2 Talks in Astana, day two | They talked again.
}
