package desk

import (
	"fmt"
	"time"

	"switchboard/store"
)

// Reply-time reminders: a customer's line in an open conversation that no
// agent answers within the queue's first_reply (before the first answer)
// or reply (after it) gets the agent reminded in the room; at twice that,
// the supervisors get a chat with the conversation and how to step in.

// replyLimit is how long c's customer may wait for the next answer; 0 for
// no reminder.
func (d *Desk) replyLimit(c *conv) (time.Duration, string) {
	rt := d.cfg.ReplyTimes[c.route.Queue]
	if c.rec.FirstReply.IsZero() {
		return rt.First, "first_reply"
	}
	return rt.Later, "reply"
}

// customerWaits notes a customer's line in an open conversation: the
// first one since the agent's last answer starts the clock.
func (d *Desk) customerWaits(c *conv, at time.Time) {
	if !c.waitingSince.IsZero() || c.rec.Status != store.StatusOpen || c.rec.Agent == "" {
		return
	}
	c.waitingSince, c.replyStage = at, 0
	if limit, _ := d.replyLimit(c); limit > 0 {
		d.after(at.Add(limit).Sub(d.now()), timerReply, c.rec.ID, "")
	}
}

// agentAnswered stops the clock; it reports whether this is the
// conversation's first answer (the step then records its time).
func (d *Desk) agentAnswered(c *conv) bool {
	c.waitingSince, c.replyStage = time.Time{}, 0
	if c.rec.FirstReply.IsZero() {
		c.rec.FirstReply = d.now()
		return true
	}
	return false
}

// replyDue handles a reminder's deadline.
func (d *Desk) replyDue(id uint64) {
	c := d.convs[id]
	if c == nil || c.waitingSince.IsZero() || c.rec.Status != store.StatusOpen {
		return
	}
	limit, kind := d.replyLimit(c)
	if limit <= 0 {
		return
	}
	waited := d.now().Sub(c.waitingSince)
	what := "an answer"
	if kind == "first_reply" {
		what = "a first answer"
	}
	switch {
	case c.replyStage == 0 && waited >= limit:
		c.replyStage = 1
		st := d.step(c)
		st.same = true
		st.event("desk", "sla-warning", fmt.Sprintf("%s: waited %s", kind, waited.Round(time.Second)))
		st.send(d.notice(c, fmt.Sprintf("The customer has waited %s for %s.", waited.Round(time.Second), what)))
		st.commit()
		d.after(c.waitingSince.Add(2*limit).Sub(d.now()), timerReply, id, "")
	case c.replyStage == 1 && waited >= 2*limit:
		c.replyStage = 2
		d.metrics.replyBreaches.WithLabelValues(c.route.Queue, kind).Inc()
		st := d.step(c)
		st.same = true
		st.event("desk", "sla-breach", fmt.Sprintf("%s: waited %s", kind, waited.Round(time.Second)))
		body := fmt.Sprintf("%s (queue %s, %s): the customer has waited %s for %s. Its room is %s.",
			d.convName(c), c.route.Queue, d.agentName(c.rec.Agent), waited.Round(time.Second), what, c.room.JID)
		for _, s := range d.cfg.Supervisors() {
			st.send(d.deskChat(s, body))
		}
		st.commit()
	}
}
