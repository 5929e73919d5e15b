package customers

import (
	"switchboard/component/desk/core"
	"switchboard/component/texts"
	"switchboard/routing/dialog"
)

// Business hours ([hours.NAME]; hours = "NAME" on an entry point or a
// queue). A queue out of hours leaves routing: its conversations keep
// their places, nobody is offered one and nothing overflows, and whoever
// queues there is told when it opens. An entry point out of hours says
// when it opens in its presence, and a customer who writes then starts at
// the dialog's "closed" node, or is told when it opens before the menu.

// startDialog begins c's dialog: at its start, or out of hours at its
// "closed" node (or with word of when the desk opens).
func (d *Desk) startDialog(c *core.Conv, st *core.Step) dialog.Reply {
	dlg := d.Cfg.Dialog(d.EntryDialog(c.Rec.Entry), d.Lang(c))
	when := d.EntryClosed(c.Rec.Entry, st.Now, texts.English)
	if when == "" {
		return dlg.Start(&c.Dialog)
	}
	st.Event("desk", "out-of-hours", "entry "+c.Rec.Entry+" opens "+when)
	if dlg.Nodes[dialog.ClosedNode] != nil {
		return dlg.StartAt(&c.Dialog, dialog.ClosedNode)
	}
	st.Say(texts.ClosedWriteAnyway, texts.A{"opens": d.EntryClosed(c.Rec.Entry, st.Now, d.Lang(c))})
	return dlg.Start(&c.Dialog)
}
