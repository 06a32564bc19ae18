// Package dossiertest checks HTML dossiers in tests: that a page holds
// only the elements and attributes the dossier's template writes, so that
// nothing from a briefing became markup.
package dossiertest

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// elements are the elements a dossier may hold.
var elements = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true,
	"section": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"dl": true, "dt": true, "dd": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"p": true, "strong": true, "em": true, "span": true, "div": true, "ul": true, "ol": true, "li": true,
	"a": true, "br": true, "sup": true, "pre": true, "code": true, "blockquote": true, "del": true, "hr": true,
}

// attributes are the attributes a dossier may hold, with the values each
// may take.
var attributes = map[string]*regexp.Regexp{
	"lang":    regexp.MustCompile(`^en$`),
	"charset": regexp.MustCompile(`^utf-8$`),
	"name":    regexp.MustCompile(`^(viewport|generator)$`),
	"content": regexp.MustCompile(`^(width=device-width, initial-scale=1|brief)$`),
	"dir":     regexp.MustCompile(`^auto$`),
	"class":   regexp.MustCompile(`^(cover|briefing|meta|id|dating|summary|note|draft|card|figure-value|text|sources|links|url|ref|n|image)$`),
	"id":      regexp.MustCompile(`^b[0-9]+$`),
	"href":    regexp.MustCompile(`^(#b[0-9]+|https?://[^\s"'<>]+|mailto:[^\s"'<>]+)$`),
	// goldmark's table alignment
	"style": regexp.MustCompile(`^text-align:(left|right|center)$`),
}

// CheckHTML reports the first element, attribute or value in page that a
// dossier does not write, any script, and any resource the page would
// fetch.
func CheckHTML(page string) error {
	z := html.NewTokenizer(strings.NewReader(page))
	styles := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				if styles != 1 {
					return fmt.Errorf("%d style elements, want the one in the head", styles)
				}
				return nil
			}
			return z.Err()
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if !elements[tag] {
				return fmt.Errorf("element <%s> is not one a dossier writes", tag)
			}
			for {
				key, val, more := z.TagAttr()
				if len(key) > 0 {
					re, ok := attributes[string(key)]
					if !ok {
						return fmt.Errorf("<%s> has the attribute %s=%q, which a dossier does not write", tag, key, val)
					}
					if !re.Match(val) {
						return fmt.Errorf("<%s %s=%q>: a value a dossier does not write", tag, key, val)
					}
				}
				if !more {
					break
				}
			}
			if tag == "style" {
				styles++
				z.Next()
				css := strings.ToLower(string(z.Text()))
				for _, bad := range []string{"url(", "@import", "expression(", "</"} {
					if strings.Contains(css, bad) {
						return fmt.Errorf("the style sheet holds %q", bad)
					}
				}
			}
		case html.CommentToken:
			// goldmark's "raw HTML omitted" notes carry no briefing text.
			if c := string(z.Text()); strings.TrimSpace(c) != "raw HTML omitted" {
				return fmt.Errorf("a comment %q", c)
			}
		}
	}
}

// VisibleText gives the text of an HTML page as a browser shows it: its
// text without the style sheet and the title.
func VisibleText(page string) string {
	z := html.NewTokenizer(strings.NewReader(page))
	var b strings.Builder
	hidden := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			name, _ := z.TagName()
			hidden = string(name) == "style" || string(name) == "title"
		case html.EndTagToken:
			hidden = false
		case html.TextToken:
			if !hidden {
				b.Write(z.Text())
			}
		}
	}
}
