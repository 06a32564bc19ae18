package sanitize

import (
	"net/url"
	"strings"
)

// Hyperlink limits.
const (
	// MaxHyperlinkURI is the longest address a hyperlink may carry.
	MaxHyperlinkURI = 2048
	// maxLinkID bounds the id parameter of a hyperlink.
	maxLinkID = 64
	// maxOSC8 bounds the payload of an OSC 8 the filter collects:
	// "8;id=" and an id, ';', and an address.
	maxOSC8 = len("8;id=") + maxLinkID + 1 + MaxHyperlinkURI
)

// linkClose ends a hyperlink.
const linkClose = "\x1b]8;;\x1b\\"

// HyperlinkAllowed reports whether uri may be the target of a hyperlink:
// an absolute http or https address with a host and no user name or
// password, or a mailto address; printable ASCII only (no space, no control
// character, nothing outside ASCII: percent-encode it), at most
// MaxHyperlinkURI bytes.
func HyperlinkAllowed(uri string) bool {
	if uri == "" || len(uri) > MaxHyperlinkURI {
		return false
	}
	for i := 0; i < len(uri); i++ {
		if uri[i] <= ' ' || uri[i] >= del {
			return false
		}
	}
	u, err := url.Parse(uri)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != "" && u.User == nil && u.Opaque == ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

// Hyperlink wraps text in an OSC 8 hyperlink to uri, in the strict form
// TerminalWithLinks lets through, when HyperlinkAllowed(uri); otherwise it
// returns text alone. text must not itself hold hyperlinks or newlines.
func Hyperlink(uri, text string) string {
	if !HyperlinkAllowed(uri) {
		return text
	}
	return "\x1b]8;;" + uri + "\x1b\\" + text + linkClose
}

// validOSC8 checks an OSC payload (the bytes between ESC ] and ST) as a
// hyperlink: "8;;" closes one; "8;" then no parameter or an id of up to 64
// letters, digits, '.', '_' or '-', then ';' and an allowed address opens
// one.
func validOSC8(p []byte) (open, ok bool) {
	s := string(p)
	if !strings.HasPrefix(s, "8;") {
		return false, false
	}
	params, uri, found := strings.Cut(s[2:], ";")
	if !found {
		return false, false
	}
	if uri == "" {
		return false, params == ""
	}
	if params != "" {
		id, isID := strings.CutPrefix(params, "id=")
		if !isID || id == "" || len(id) > maxLinkID {
			return false, false
		}
		for i := 0; i < len(id); i++ {
			c := id[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
				return false, false
			}
		}
	}
	return true, HyperlinkAllowed(uri)
}

// collect adds a byte of a collected OSC string.
func (f *filter) collect(b byte) {
	switch {
	case f.candBad:
	case b < ' ' || b == del || len(f.osc) == maxOSC8:
		f.candBad = true
	default:
		f.osc = append(f.osc, b)
	}
}

// dropCand drops the collected OSC string in progress, if any.
func (f *filter) dropCand() {
	if f.cand {
		f.cand, f.candEsc = false, false
		f.badSeq("OSC string")
	}
}

// endHyperlink ends a collected OSC string at ST: an allowed hyperlink
// passes unchanged, anything else is dropped whole.
func (f *filter) endHyperlink() {
	f.cand = false
	open, ok := validOSC8(f.osc)
	switch {
	case f.candBad || !ok:
		f.badSeq("OSC string")
		return
	case !open && !f.linkOpen:
		f.badSeq("hyperlink closed but not open")
		return
	}
	f.linkOpen = open
	if !f.lazy {
		f.out = append(f.out, esc, ']')
		f.out = append(f.out, f.osc...)
		f.out = append(f.out, esc, '\\')
	}
}

// closeLink closes an open hyperlink before offset i.
func (f *filter) closeLink(i int, reason string) {
	if !f.linkOpen {
		return
	}
	f.linkOpen = false
	f.bad(i, reason)
	f.emit(linkClose)
}
