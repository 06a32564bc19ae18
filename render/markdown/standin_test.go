package markdown

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/microcosm-cc/bluemonday"
)

// TestGlamourNeverSanitizesHTML: brief links a stand-in for bluemonday
// (third_party/bluemonday-unlinked) whose Sanitize gives a fixed marker
// in place of any HTML. prepare replaces every HTML node before glamour
// sees it, so the marker never shows.
func TestGlamourNeverSanitizesHTML(t *testing.T) {
	marker := bluemonday.StrictPolicy().Sanitize("<b>text</b>")
	if marker == "" || strings.Contains(marker, "text") {
		t.Fatalf("the stand-in for bluemonday is not linked: Sanitize gave %q", marker)
	}
	bodies := []string{"<div>x</div>", "a <b>b</b> c", "<!-- c -->", "- <i>x</i>\n- y",
		"| a |\n| - |\n| <b>c</b> |", "> <span>q</span>\n>\n> <div>\nr\n</div>", "Term\n: <b>def</b>"}
	for _, tc := range htmlBodies {
		bodies = append(bodies, tc.body)
	}
	for _, body := range bodies {
		doc := render(t, body, 60)
		if strings.Contains(ansi.Strip(doc.Text), marker) {
			t.Errorf("glamour sanitized HTML in %q:\n%s", body, ansi.Strip(doc.Text))
		}
	}
}
