package tui

import (
	"fmt"
	"time"

	"github.com/brief-tools/brief/render/dossier"
	"github.com/brief-tools/brief/render/sanitize"
	"github.com/brief-tools/brief/store"
	tea "github.com/charmbracelet/bubbletea"
)

// maxExport bounds how many briefings e puts in one dossier: a dossier is
// for a meeting, not the archive.
const maxExport = 500

// exportCmd writes the briefings on screen as a dossier, off the event
// loop (it reads every body), and says where it went.
func exportCmd(ctx *shared, shown []*store.Briefing, fs filters) tea.Cmd {
	if ctx.export == nil {
		return nil
	}
	switch {
	case len(shown) == 0:
		ctx.say("Nothing to export: no briefing matches these filters.")
		return nil
	case len(shown) > maxExport:
		ctx.say(fmt.Sprintf("%d briefings are too many for a dossier (at most %d): filter them first.", len(shown), maxExport))
		return nil
	}
	c, write := ctx.corpus, ctx.export
	bs := append([]*store.Briefing(nil), shown...)
	var selection []string
	for _, f := range fs {
		switch f.kind {
		case officialFilter:
			selection = append(selection, "official: "+f.label)
		case topicFilter:
			selection = append(selection, "topic: "+f.label)
		case textFilter:
			selection = append(selection, "text: "+f.label)
		default:
			selection = append(selection, f.label)
		}
	}
	ctx.say(fmt.Sprintf("Writing a dossier of %s…", count(len(bs), "briefing", "briefings")))
	return func() tea.Msg {
		entries, err := dossier.Collect(c, bs, nil) // private notes stay out of what is shared
		if err != nil {
			return StatusMsg("Could not export: " + sanitize.Line(err.Error()))
		}
		where, err := write(dossier.Dossier{Selection: selection, Corpus: c.Name, Made: time.Now(), Entries: entries})
		if err != nil {
			return StatusMsg("Could not export: " + sanitize.Line(err.Error()))
		}
		return StatusMsg(fmt.Sprintf("Dossier of %s written to %s", count(len(bs), "briefing", "briefings"), sanitize.Line(where)))
	}
}
