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

// checkHours follows the queues' business hours; it runs on start, on
// reload and every tick.
func (d *Desk) checkHours(now time.Time) {
	for _, q := range d.cfg.Queues {
		closed := !d.cfg.QueueHours(q.Name).Open(now)
		if closed == d.router.Closed(q.Name) {
			continue
		}
		d.router.SetClosed(q.Name, closed, now)
		if closed {
			d.log.Info("queue closed: out of its business hours", "queue", q.Name, "hours", q.Hours)
			continue
		}
		d.log.Info("queue opened", "queue", q.Name, "hours", q.Hours)
		d.routeSoon = true
	}
}

// opens says when s opens next, for a customer: "tomorrow at 09:00
// (Europe/Berlin)"; "later" when it does not within a year.
func opens(s *hours.Schedule, now time.Time) string {
	if at, ok := s.Next(now); ok {
		return s.Describe(at, now)
	}
	return "later"
}

// queueClosed returns, for a queue out of its business hours, when it
// opens; "" while it is open.
func (d *Desk) queueClosed(queue string, now time.Time) string {
	s := d.cfg.QueueHours(queue)
	if s.Open(now) {
		return ""
	}
	return opens(s, now)
}

// entryClosed returns, for an entry point out of its business hours, when
// it opens; "" while it is open.
func (d *Desk) entryClosed(entry string, now time.Time) string {
	s := d.cfg.EntryHours(entry)
	if s.Open(now) {
		return ""
	}
	return opens(s, now)
}

// startDialog begins c's dialog: at its start, or out of hours at its
// "closed" node (or with word of when the desk opens).
func (d *Desk) startDialog(c *conv, st *step) dialog.Reply {
	dlg := d.cfg.Dialogs[d.entryDialog(c.rec.Entry)]
	when := d.entryClosed(c.rec.Entry, st.now)
	if when == "" {
		return dlg.Start(&c.dialog)
	}
	st.event("desk", "out-of-hours", "entry "+c.rec.Entry+" opens "+when)
	if dlg.Nodes[dialog.ClosedNode] != nil {
		return dlg.StartAt(&c.dialog, dialog.ClosedNode)
	}
	st.tell(fmt.Sprintf("We are closed now; we open again %s. You can write to us all the same.", when))
	return dlg.Start(&c.dialog)
}
