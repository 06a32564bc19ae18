package store

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"sync"
)

// Official is one person from the officials registry.
type Official struct {
	ID      string
	Name    string
	Country string
	Roles   []Role
	Aliases []string

	keys  []string // folded id, name and aliases
	words string   // the same, joined by spaces
}

// Role is a post an official held, over a period whose ends may be unknown.
type Role struct {
	Title string
	From  Date // zero when the start is not known
	To    Date // zero while the role is held, or when its end is not known
	Note  string
}

// Period gives the role's dates for cards: "since Dec 2016",
// "Sep 2023 – Feb 2025", "until 2019" or "" when neither end is known.
func (r Role) Period() string {
	switch {
	case !r.From.IsZero() && !r.To.IsZero():
		return r.From.Short() + " – " + r.To.Short()
	case !r.From.IsZero():
		return "since " + r.From.Short()
	case !r.To.IsZero():
		return "until " + r.To.Short()
	}
	return ""
}

// RoleOn gives the role the official held on d: the latest-starting role
// whose period may include d. ok is false when no role fits.
func (o *Official) RoleOn(d Date) (role Role, ok bool) {
	for _, r := range o.Roles {
		if d.Overlaps(r.From, r.To) && (!ok || r.From.Compare(role.From) >= 0) {
			role, ok = r, true
		}
	}
	return role, ok
}

// CurrentRole gives the official's latest role: the latest-starting role
// that has not ended, or, when every role has ended, the one that ended
// last (a speaker who was acting president for a while meanwhile is shown
// as speaker, the post held longer).
func (o *Official) CurrentRole() (Role, bool) {
	if len(o.Roles) == 0 {
		return Role{}, false
	}
	latest := o.Roles[0]
	for _, r := range o.Roles[1:] {
		if r.isLaterThan(latest) {
			latest = r
		}
	}
	return latest, true
}

// isLaterThan reports whether r is a later role than other: one still held
// is later than one that has ended; of two held, the later start; of two
// ended, the later end, then the later start.
func (r Role) isLaterThan(other Role) bool {
	held, otherHeld := r.To.IsZero(), other.To.IsZero()
	switch {
	case held != otherHeld:
		return held
	case !held:
		if c := r.To.Compare(other.To); c != 0 {
			return c > 0
		}
	}
	return r.From.Compare(other.From) > 0
}

// Registry is the set of known officials, searchable under every spelling.
type Registry struct {
	officials []*Official
	byKey     map[string]*Official // folded id, name or alias
}

// Officials lists the registry in file order.
func (r *Registry) Officials() []*Official {
	if r == nil {
		return nil
	}
	return r.officials
}

// Lookup finds the official whose id, name or an alias equals name, ignoring
// case, diacritics and punctuation. It returns nil when none does.
func (r *Registry) Lookup(name string) *Official {
	if r == nil {
		return nil
	}
	return r.byKey[Fold(name)]
}

// Search finds the officials a reader may mean by query: the one official
// it names exactly, or else every official with a name or alias in which
// query starts a word ("mirz" finds Mirziyoyev, "jomart" finds Tokayev).
func (r *Registry) Search(query string) []*Official {
	if r == nil {
		return nil
	}
	q := Fold(query)
	if q == "" {
		return nil
	}
	if o := r.byKey[q]; o != nil {
		return []*Official{o}
	}
	var found []*Official
	for _, o := range r.officials {
		if o.matches(q) {
			found = append(found, o)
		}
	}
	return found
}

// matches reports whether the folded query starts a word of one of the
// official's folded names.
func (o *Official) matches(q string) bool {
	for _, k := range o.keys {
		if wordPrefix(k, q) {
			return true
		}
	}
	return false
}

// wordPrefix reports whether q occurs in s at the start of a word.
func wordPrefix(s, q string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], q)
		if j < 0 {
			return false
		}
		if at := i + j; at == 0 || s[at-1] == ' ' {
			return true
		}
		i += j + 1
		if i >= len(s) {
			return false
		}
	}
}

var officialIDPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`) })

// LoadRegistry reads an officials registry: a YAML list of officials. It
// returns the officials it could read and a Problem for everything wrong
// with the file; an unreadable file gives an empty registry and one error.
func LoadRegistry(fsys fs.FS, path string) (*Registry, []Problem) {
	ps := &problems{path: path}
	reg := &Registry{byKey: map[string]*Official{}}
	data, err := fs.ReadFile(fsys, path)
	if err != nil {
		ps.errorf(0, "cannot read the officials registry: %v", err)
		return reg, ps.list
	}
	data = cleanRaw(data, ps, 1)
	list, err := parseYAML(data, 0, nil)
	if err != nil {
		line, msg := yamlErrorLine(err)
		ps.errorf(line, "YAML syntax error: %s", msg)
		return reg, ps.list
	}
	if !list.exists() {
		ps.warnf(0, "the officials registry is empty")
		return reg, ps.list
	}
	if list.kind() != listNode {
		ps.errorf(list.line(), "the officials registry must be a list of officials, one '- id: ...' each")
		return reg, ps.list
	}
	for j := range list.len() {
		item := list.child(j)
		o := decodeOfficial(item, ps)
		if o == nil {
			continue
		}
		if other, dup := reg.byKey[Fold(o.ID)]; dup && other.ID == o.ID {
			ps.errorf(item.line(), "official id %q is used twice", o.ID)
			continue
		}
		reg.add(o, ps, item.line())
	}
	return reg, ps.list
}

// add indexes the official under each of its names, warning when a name
// already belongs to someone else.
func (r *Registry) add(o *Official, ps *problems, line int) {
	r.officials = append(r.officials, o)
	seen := map[string]bool{}
	for _, name := range append([]string{o.ID, o.Name}, o.Aliases...) {
		k := Fold(name)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		o.keys = append(o.keys, k)
		if other := r.byKey[k]; other != nil && other != o {
			ps.warnf(line, "alias %q of %s is also a name of %s; it finds %s", name, o.ID, other.ID, other.ID)
			continue
		}
		r.byKey[k] = o
	}
	o.words = strings.Join(o.keys, " ")
}

func decodeOfficial(n node, ps *problems) *Official {
	if n.kind() != mapNode {
		ps.errorf(n.line(), "each official must be a mapping with id, name, country, roles and aliases")
		return nil
	}
	o := &Official{}
	for i := 0; i+1 < n.len(); i += 2 {
		k, v := n.child(i), n.child(i+1)
		switch k.value() {
		case "id":
			o.ID = scalarText(v, ps, "id")
		case "name":
			o.Name = cleanScalar(v, ps, "name", strictField)
		case "country":
			o.Country = cleanScalar(v, ps, "country", strictField)
		case "aliases":
			o.Aliases = cleanList(v, ps, "aliases")
		case "roles":
			o.Roles = decodeRoles(v, ps)
		default:
			ps.warnf(k.line(), "unknown key %q in an official (known: id, name, country, roles, aliases)", k.value())
		}
	}
	switch {
	case o.ID == "":
		ps.errorf(n.line(), "official has no id")
		return nil
	case !officialIDPattern().MatchString(o.ID):
		ps.errorf(n.line(), "official id %q must be lowercase letters, digits and '-'", o.ID)
		return nil
	case o.Name == "":
		ps.errorf(n.line(), "official %q has no name", o.ID)
		return nil
	case o.Country == "":
		ps.warnf(n.line(), "official %q has no country", o.ID)
	}
	return o
}

func decodeRoles(n node, ps *problems) []Role {
	if n.kind() != listNode {
		ps.errorf(n.line(), "roles must be a list of mappings with title, from, to and note")
		return nil
	}
	var roles []Role
	for j := range n.len() {
		item := n.child(j)
		if item.kind() != mapNode {
			ps.errorf(item.line(), "a role must be a mapping with title, from, to and note")
			continue
		}
		var r Role
		for i := 0; i+1 < item.len(); i += 2 {
			k, v := item.child(i), item.child(i+1)
			switch k.value() {
			case "title":
				r.Title = cleanText(scalarText(v, ps, "title"), v.line(), "role title", ps, strictField)
			case "from", "to":
				d, err := ParseDate(scalarText(v, ps, k.value()))
				if err != nil {
					ps.errorf(v.line(), "role %s: %v", k.value(), err)
					continue
				}
				if k.value() == "from" {
					r.From = d
				} else {
					r.To = d
				}
			case "note":
				r.Note = cleanText(scalarText(v, ps, "note"), v.line(), "role note", ps, textField)
			default:
				ps.warnf(k.line(), "unknown key %q in a role (known: title, from, to, note)", k.value())
			}
		}
		if r.Title == "" {
			ps.errorf(item.line(), "role has no title")
			continue
		}
		if !r.From.IsZero() && !r.To.IsZero() && r.To.Compare(r.From) < 0 {
			ps.errorf(item.line(), "role %q ends (%s) before it starts (%s)", r.Title, r.To, r.From)
			continue
		}
		roles = append(roles, r)
	}
	return roles
}

// yamlErrorLine pulls the line number out of a yaml.v3 error message
// ("yaml: line 3: did not find expected key").
func yamlErrorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		if yamlParserErrors[msg] {
			line++ // yaml.v3 counts lines from 0 in its parser's errors
		}
		return line, msg
	}
	return 0, msg
}

// yamlParserErrors are the messages of yaml.v3's parser, as opposed to its
// scanner: yaml.v3 adds 1 to the line of a scanner error only, so a parser
// error's "line N" is the 0-based line.
var yamlParserErrors = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found duplicate %TAG directive":         true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// Surname gives the last word of the official's name, for narrow columns.
func (o *Official) Surname() string {
	name := strings.TrimSpace(o.Name)
	if i := strings.LastIndexAny(name, " "); i >= 0 {
		return name[i+1:]
	}
	return name
}
