package draft

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	readability "github.com/go-shiori/go-readability"
)

// HTML reads a saved web page: go-readability finds the article's main
// text, title, site name, language and publication date offline; the
// text's lines then go through the same line filter as plain text, and
// each line is traced back to its line in the page where it can be.
func HTML(file string, data []byte, pageURL string) (*Text, error) {
	var u *url.URL
	if pageURL != "" {
		if p, err := url.Parse(pageURL); err == nil {
			u = p
		}
	}
	art, err := readability.FromReader(bytes.NewReader(data), u)
	if err != nil {
		return nil, fmt.Errorf("cannot find an article in the page: %w", err)
	}
	t := &Text{File: file, URL: pageURL}
	t.Meta = Meta{Title: cleanLine(art.Title), Site: cleanLine(art.SiteName), Lang: langCode(art.Language)}
	if art.PublishedTime != nil {
		t.Meta.Published = art.PublishedTime.Format("2006-01-02")
	}
	if t.URL == "" {
		t.URL = canonicalURL(data)
	}
	page := string(data)
	for _, raw := range strings.Split(art.TextContent, "\n") {
		line := cleanLine(raw)
		if line == "" {
			t.Lines = append(t.Lines, Line{N: 0})
			continue
		}
		t.Lines = append(t.Lines, Line{N: lineOf(page, line), Text: line})
	}
	t.classify()
	return t, nil
}

// langCode keeps the language part of a page's lang attribute ("ru-RU").
func langCode(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	if len(s) != 2 {
		return ""
	}
	return s
}

// canonicalURL finds the address a page gives for itself.
func canonicalURL(data []byte) string {
	s := string(data[:min(len(data), 64<<10)])
	for _, key := range []string{`rel="canonical" href="`, `property="og:url" content="`} {
		if i := strings.Index(s, key); i >= 0 {
			rest := s[i+len(key):]
			if j := strings.IndexByte(rest, '"'); j > 0 && isURL(rest[:j]) {
				return rest[:j]
			}
		}
	}
	return ""
}

// lineOf gives the page line that holds the start of a text line, or 0
// when markup or entities hide it.
func lineOf(page, line string) int {
	probe := line
	if r := []rune(probe); len(r) > 24 {
		probe = string(r[:24])
	}
	i := strings.Index(page, probe)
	if i < 0 {
		return 0
	}
	return strings.Count(page[:i], "\n") + 1
}
