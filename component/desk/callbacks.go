package desk

import (
	"fmt"
	"time"

	"switchboard/component/desk/callback"
	"switchboard/routing/hours"
	"switchboard/store"
)

// Call backs: a phone number (E.164, asked again until it is one) and a
// time ("now", "14:30", "tomorrow 10:00"; not past, and within the
// queue's business hours). A planned call waits out of routing until it
// is due (a timer, set again after a restart), then is routed ahead of
// everyone who came after it asked; the agent's room shows the number,
// the time and the dialog's answers; /called records each attempt and
// /close ends it.

// callZone is the zone a call back's time is read in: the queue's
// business hours', else the entry point's, else the desk's.
func (d *Desk) callZone(c *conv, queue string) *time.Location {
	if s := d.cfg.QueueHours(queue); s != nil {
		return s.Zone
	}
	if s := d.cfg.EntryHours(c.rec.Entry); s != nil {
		return s.Zone
	}
	return time.Local
}

// callbackLine takes the phone number, then the time.
func (d *Desk) callbackLine(c *conv, st *step, text string) {
	lv := c.rec.Leaving
	zone := d.callZone(c, lv.Queue)
	switch lv.Step {
	case "phone":
		phone, err := callback.Phone(text)
		if err != nil {
			st.tell(err.Error())
			return
		}
		c.rec.Callback = &store.Callback{Phone: phone}
		lv.Step = "time"
		st.tell(fmt.Sprintf(`When should we call %s? Write "now", a time today like "14:30", or "tomorrow 10:00" (%s time).`, phone, hours.ZoneName(zone, st.now)))
	case "time":
		at, err := callback.Time(text, st.now, zone)
		if err != nil {
			st.tell(err.Error())
			return
		}
		if s := d.cfg.QueueHours(lv.Queue); s != nil {
			check := at
			if check.IsZero() {
				check = st.now
			}
			if !s.Open(check) {
				st.tell(d.closedAt(s, at, check, st.now))
				return
			}
		}
		d.callbackPlanned(c, st, at)
	}
}

// closedAt answers a call back time out of hours.
func (d *Desk) closedAt(s *hours.Schedule, at, check, now time.Time) string {
	next := opens(s, check)
	if at.IsZero() {
		return fmt.Sprintf(`We are closed now; we open again %s. Please choose a time then, like "tomorrow 10:00".`, next)
	}
	return fmt.Sprintf("We are closed at %s; we are open again %s. Please choose another time.", at.In(s.Zone).Format("15:04"), next)
}

// callbackPlanned: the call back is complete; it becomes a work item of
// its queue, routed when due.
func (d *Desk) callbackPlanned(c *conv, st *step, at time.Time) {
	lv := c.rec.Leaving
	c.rec.Leaving = nil
	c.rec.Kind = store.KindCallback
	cb := c.rec.Callback
	cb.At = at
	when := "as soon as an agent is free"
	detail := cb.Phone + " now"
	if !at.IsZero() {
		when = hours.Describe(at, st.now, d.callZone(c, lv.Queue))
		detail = cb.Phone + " at " + at.Format(time.RFC3339)
	}
	st.event(c.rec.Customer, "callback", detail)
	st.tell(fmt.Sprintf(`Thank you. We will call you on %s %s. Write "cancel" to call it off.`, cb.Phone, when))
	if c.rec.Status == dialogS {
		d.toQueue(c, st, lv.Queue)
	} else if c.scheduled(st.now) {
		d.router.Remove(c.rec.ID) // asked for while queued: out of routing until due
	}
	if c.scheduled(st.now) {
		d.after(at.Sub(st.now), timerCallback, c.rec.ID, "")
	}
}

// scheduled reports whether c is a planned call back not due yet: queued,
// out of routing.
func (c *conv) scheduled(now time.Time) bool {
	return c.rec.Status == queued && c.rec.Kind == store.KindCallback && c.rec.Callback != nil && c.rec.Callback.At.After(now)
}

// callbackDue routes a planned call back that is due.
func (d *Desk) callbackDue(id uint64) {
	c := d.convs[id]
	now := d.now()
	if c == nil || c.rec.Status != queued || c.rec.Callback == nil || d.router.Waiting(id) {
		return
	}
	if c.scheduled(now) {
		d.after(c.rec.Callback.At.Sub(now), timerCallback, id, "") // moved since
		return
	}
	st := d.step(c)
	st.same = true
	st.event("desk", "callback-due", c.rec.Callback.Phone)
	st.commit()
	if c.room.Ready {
		d.router.Enqueue(&c.route)
		d.routeSoon = true
	}
}

func cmdCalled(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if c.rec.Kind != store.KindCallback || c.rec.Callback == nil {
		return "This conversation is not a call back."
	}
	c.rec.Callback.Attempts++
	outcome := args
	if outcome == "" {
		outcome = "called"
	}
	st := d.step(c)
	st.event(x.jid, "called", fmt.Sprintf("attempt %d: %s", c.rec.Callback.Attempts, truncate(outcome, 200)))
	st.commit()
	return fmt.Sprintf("Attempt %d recorded (%s). /close when it is done.", c.rec.Callback.Attempts, truncate(outcome, 200))
}
