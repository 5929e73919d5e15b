package core

import (
	"fmt"
	"time"

	"switchboard/component/texts"
	"switchboard/store"
)

// Reply-time reminders: a customer's line in an open conversation that no
// agent answers within the queue's first_reply (before the first answer)
// or reply (after it) gets the agent reminded in the room; at twice that,
// the supervisors get a chat with the conversation and how to step in.

// replyLimit is how long c's customer may wait for the next answer; 0 for
// no reminder.
func (d *Desk) replyLimit(c *Conv) (time.Duration, string) {
	rt := d.Cfg.ReplyTimes[c.Route.Queue]
	if c.Rec.FirstReply.IsZero() {
		return rt.First, "first_reply"
	}
	return rt.Later, "reply"
}

// CustomerWaits notes a customer's line in an open conversation: the
// first one since the agent's last answer starts the clock.
func (d *Desk) CustomerWaits(c *Conv, at time.Time) {
	if !c.WaitingSince.IsZero() || c.Rec.Status != store.StatusOpen || c.Rec.Agent == "" {
		return
	}
	c.WaitingSince, c.ReplyStage = at, 0
	if limit, _ := d.replyLimit(c); limit > 0 {
		d.After(at.Add(limit).Sub(d.Now()), TimerReply, c.Rec.ID, "")
	}
}

// AgentAnswered stops the clock; it reports whether this is the
// conversation's first answer (the step then records its time).
func (d *Desk) AgentAnswered(c *Conv) bool {
	c.WaitingSince, c.ReplyStage = time.Time{}, 0
	if c.Rec.FirstReply.IsZero() {
		c.Rec.FirstReply = d.Now()
		return true
	}
	return false
}

// ReplyDue handles a reminder's deadline.
func (d *Desk) ReplyDue(id uint64) {
	c := d.Convs[id]
	if c == nil || c.WaitingSince.IsZero() || c.Rec.Status != store.StatusOpen {
		return
	}
	limit, kind := d.replyLimit(c)
	if limit <= 0 {
		return
	}
	waited := d.Now().Sub(c.WaitingSince)
	what := d.Staff().Get(texts.ReplyNext, nil)
	if kind == "first_reply" {
		what = d.Staff().Get(texts.ReplyFirst, nil)
	}
	switch {
	case c.ReplyStage == 0 && waited >= limit:
		c.ReplyStage = 1
		st := d.Step(c)
		st.Same = true
		st.Event("desk", "sla-warning", fmt.Sprintf("%s: waited %s", kind, waited.Round(time.Second)))
		st.Send(d.Note(c, texts.ReplyWaited, texts.A{"waited": waited.Round(time.Second), "what": what}))
		st.Commit()
		d.After(c.WaitingSince.Add(2*limit).Sub(d.Now()), TimerReply, id, "")
	case c.ReplyStage == 1 && waited >= 2*limit:
		c.ReplyStage = 2
		d.Metrics.ReplyBreaches.WithLabelValues(c.Route.Queue, kind).Inc()
		st := d.Step(c)
		st.Same = true
		st.Event("desk", "sla-breach", fmt.Sprintf("%s: waited %s", kind, waited.Round(time.Second)))
		body := d.Staff().Get(texts.ReplyBreach, texts.A{"name": d.ConvName(c), "queue": c.Route.Queue, "agent": d.AgentName(c.Rec.Agent),
			"waited": waited.Round(time.Second), "what": what, "room": c.Room.JID})
		for _, s := range d.Cfg.Supervisors() {
			st.Send(d.DeskChat(s, body))
		}
		st.Commit()
	}
}
