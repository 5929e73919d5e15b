package desk

import (
	"fmt"
	"time"

	"switchboard/routing/dialog"
	"switchboard/routing/hours"
)

// Business hours ([hours.NAME]; hours = "NAME" on an entry point or a
// queue). A queue out of hours leaves routing: its conversations keep
// their places, nobody is offered one and nothing overflows, and whoever
// queues there is told when it opens. An entry point out of hours says
// when it opens in its presence, and a customer who writes then starts at
// the dialog's "closed" node, or is told when it opens before the menu.

// CheckHours follows the queues' business hours; it runs on start, on
// reload and every tick.
func (d *Desk) CheckHours(now time.Time) {
	for _, q := range d.Cfg.Queues {
		closed := !d.Cfg.QueueHours(q.Name).Open(now)
		if closed == d.Router.Closed(q.Name) {
			continue
		}
		d.Router.SetClosed(q.Name, closed, now)
		if closed {
			d.Log.Info("queue closed: out of its business hours", "queue", q.Name, "hours", q.Hours)
			continue
		}
		d.Log.Info("queue opened", "queue", q.Name, "hours", q.Hours)
		d.RouteSoon = true
	}
}

// Opens says when s Opens next, for a customer: "tomorrow at 09:00
// (Europe/Berlin)"; "later" when it does not within a year.
func Opens(s *hours.Schedule, now time.Time) string {
	if at, ok := s.Next(now); ok {
		return s.Describe(at, now)
	}
	return "later"
}

// QueueClosed returns, for a queue out of its business hours, when it
// opens; "" while it is open.
func (d *Desk) QueueClosed(queue string, now time.Time) string {
	s := d.Cfg.QueueHours(queue)
	if s.Open(now) {
		return ""
	}
	return Opens(s, now)
}

// EntryClosed returns, for an entry point out of its business hours, when
// it opens; "" while it is open.
func (d *Desk) EntryClosed(entry string, now time.Time) string {
	s := d.Cfg.EntryHours(entry)
	if s.Open(now) {
		return ""
	}
	return Opens(s, now)
}

// startDialog begins c's dialog: at its start, or out of hours at its
// "closed" node (or with word of when the desk opens).
func (d *Desk) startDialog(c *Conv, st *Step) dialog.Reply {
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
