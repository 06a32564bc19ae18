package cli

import (
	"fmt"
	"strconv"

	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	"github.com/spf13/cobra"
)

// personOut is an official as JSON.
type personOut struct {
	ID         string    `json:"id,omitempty"`
	Name       string    `json:"name"`
	Country    string    `json:"country,omitempty"`
	Role       string    `json:"role,omitempty"`
	Roles      []roleOut `json:"roles"`
	Aliases    []string  `json:"aliases"`
	Events     int       `json:"events"`
	First      string    `json:"first,omitempty"`
	Last       string    `json:"last,omitempty"`
	InRegistry bool      `json:"in_registry"`
}

type roleOut struct {
	Title string `json:"title"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
	Note  string `json:"note,omitempty"`
}

func (a *app) officialsCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "officials",
		Short:   "List the officials: role, country and number of events",
		Example: "  brief officials\n  brief officials --format json | jq -r '.[] | select(.events > 1) | .name'",
		Args:    args(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch format {
			case "table", "json":
			default:
				return UsageError{fmt.Errorf("--format %q: use table or json", format)}
			}
			c, err := a.load(a.folder(), false)
			if err != nil {
				return err
			}
			a.warnRejected(c)
			people := c.People()
			if format == "json" {
				out := make([]personOut, len(people))
				for i, p := range people {
					out[i] = personJSON(p)
				}
				return writeJSON(a.env.Stdout, out, true)
			}
			if !a.env.Terminal {
				for _, p := range people {
					o := personJSON(p)
					writeTSV(a.env.Stdout, p.Key(), o.Name, roleShown(p), o.Country, strconv.Itoa(o.Events))
				}
				return nil
			}
			th := a.styles()
			cols := []column{
				{title: "ID", style: th.Faint}, // never cut: it is what --official takes
				{title: "NAME", min: 12, flex: 2, style: th.Official},
				{title: "ROLE", min: 12, flex: 3, drop: 2, style: th.Text},
				{title: "COUNTRY", min: 7, flex: 1, drop: 1, style: th.Muted},
				{title: "EVENTS", style: th.Accent},
			}
			cells := make([][]string, len(people))
			for i, p := range people {
				o := personJSON(p)
				id := o.ID
				if !o.InRegistry {
					id = "-"
				}
				cells[i] = []string{id, sanitize.Line(o.Name), sanitize.Line(roleShown(p)), sanitize.Line(o.Country), strconv.Itoa(o.Events)}
			}
			fmt.Fprint(a.out, renderTable(cols, cells, a.env.Width, th.Heading))
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table or json")
	return cmd
}

// roleShown gives the role a list shows for p: its title, and for a role
// that has ended, "former" and its dates ("former President of Kazakhstan
// (24 Apr 1990 – 20 Mar 2019)"), so that no one takes it for a post held now.
func roleShown(p store.Person) string {
	if p.Official == nil {
		return ""
	}
	role, ok := p.Official.CurrentRole()
	if !ok || role.To.IsZero() {
		return role.Title
	}
	return "former " + role.Title + " (" + role.Period() + ")"
}

func personJSON(p store.Person) personOut {
	out := personOut{Name: p.Name, Events: p.Events, Roles: []roleOut{}, Aliases: []string{}}
	if o := p.Official; o != nil {
		out.ID, out.Country, out.InRegistry = o.ID, o.Country, true
		out.Aliases = nonNil(o.Aliases)
		if role, ok := o.CurrentRole(); ok {
			out.Role = role.Title
		}
		for _, r := range o.Roles {
			out.Roles = append(out.Roles, roleOut{Title: r.Title, From: r.From.String(), To: r.To.String(), Note: r.Note})
		}
	}
	if p.First != nil {
		out.First, out.Last = p.First.Date.String(), p.Last.Date.String()
	}
	return out
}
