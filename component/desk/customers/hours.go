package customers

import (
	"fmt"

	"switchboard/component/desk/core"
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
	dlg := d.Cfg.Dialogs[d.EntryDialog(c.Rec.Entry)]
	when := d.EntryClosed(c.Rec.Entry, st.Now)
	if when == "" {
		return dlg.Start(&c.Dialog)
	}
	st.Event("desk", "out-of-hours", "entry "+c.Rec.Entry+" opens "+when)
	if dlg.Nodes[dialog.ClosedNode] != nil {
		return dlg.StartAt(&c.Dialog, dialog.ClosedNode)
	}
	st.Tell(fmt.Sprintf("We are closed now; we open again %s. You can write to us all the same.", when))
	return dlg.Start(&c.Dialog)
}
