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

// CallZone is the zone a call back's time is read in: the queue's
// business hours', else the entry point's, else the desk's.
func (d *Desk) CallZone(c *Conv, queue string) *time.Location {
	if s := d.Cfg.QueueHours(queue); s != nil {
		return s.Zone
	}
	if s := d.Cfg.EntryHours(c.Rec.Entry); s != nil {
		return s.Zone
	}
	return time.Local
}

// callbackLine takes the phone number, then the time.
func (d *Desk) callbackLine(c *Conv, st *Step, text string) {
	lv := c.Rec.Leaving
	zone := d.CallZone(c, lv.Queue)
	switch lv.Step {
	case "phone":
		phone, err := callback.Phone(text)
		if err != nil {
			st.Tell(err.Error())
			return
		}
		c.Rec.Callback = &store.Callback{Phone: phone}
		lv.Step = "time"
		st.Tell(fmt.Sprintf(`When should we call %s? Write "now", a time today like "14:30", or "tomorrow 10:00" (%s time).`, phone, hours.ZoneName(zone, st.Now)))
	case "time":
		at, err := callback.Time(text, st.Now, zone)
		if err != nil {
			st.Tell(err.Error())
			return
		}
		if s := d.Cfg.QueueHours(lv.Queue); s != nil {
			check := at
			if check.IsZero() {
				check = st.Now
			}
			if !s.Open(check) {
				st.Tell(d.closedAt(s, at, check, st.Now))
				return
			}
		}
		d.callbackPlanned(c, st, at)
	}
}

// closedAt answers a call back time out of hours.
func (d *Desk) closedAt(s *hours.Schedule, at, check, now time.Time) string {
	next := Opens(s, check)
	if at.IsZero() {
		return fmt.Sprintf(`We are closed now; we open again %s. Please choose a time then, like "tomorrow 10:00".`, next)
	}
	return fmt.Sprintf("We are closed at %s; we are open again %s. Please choose another time.", at.In(s.Zone).Format("15:04"), next)
}

// callbackPlanned: the call back is complete; it becomes a work item of
// its queue, routed when due.
func (d *Desk) callbackPlanned(c *Conv, st *Step, at time.Time) {
	lv := c.Rec.Leaving
	c.Rec.Leaving = nil
	c.Rec.Kind = store.KindCallback
	cb := c.Rec.Callback
	cb.At = at
	when := "as soon as an agent is free"
	detail := cb.Phone + " now"
	if !at.IsZero() {
		when = hours.Describe(at, st.Now, d.CallZone(c, lv.Queue))
		detail = cb.Phone + " at " + at.Format(time.RFC3339)
	}
	st.Event(c.Rec.Customer, "callback", detail)
	st.Tell(fmt.Sprintf(`Thank you. We will call you on %s %s. Write "cancel" to call it off.`, cb.Phone, when))
	if c.Rec.Status == Dialog {
		d.ToQueue(c, st, lv.Queue)
	} else if c.Scheduled(st.Now) {
		d.Router.Remove(c.Rec.ID) // asked for while queued: out of routing until due
	}
	if c.Scheduled(st.Now) {
		d.After(at.Sub(st.Now), TimerCallback, c.Rec.ID, "")
	}
}

// Scheduled reports whether c is a planned call back not due yet: queued,
// out of routing.
func (c *Conv) Scheduled(now time.Time) bool {
	return c.Rec.Status == Queued && c.Rec.Kind == store.KindCallback && c.Rec.Callback != nil && c.Rec.Callback.At.After(now)
}

// CallbackDue routes a planned call back that is due.
func (d *Desk) CallbackDue(id uint64) {
	c := d.Convs[id]
	now := d.Now()
	if c == nil || c.Rec.Status != Queued || c.Rec.Callback == nil || d.Router.Waiting(id) {
		return
	}
	if c.Scheduled(now) {
		d.After(c.Rec.Callback.At.Sub(now), TimerCallback, id, "") // moved since
		return
	}
	st := d.Step(c)
	st.Same = true
	st.Event("desk", "callback-due", c.Rec.Callback.Phone)
	st.Commit()
	if c.Room.Ready {
		d.Router.Enqueue(&c.Route)
		d.RouteSoon = true
	}
}

func cmdCalled(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if c.Rec.Kind != store.KindCallback || c.Rec.Callback == nil {
		return "This conversation is not a call back."
	}
	c.Rec.Callback.Attempts++
	outcome := args
	if outcome == "" {
		outcome = "called"
	}
	st := d.Step(c)
	st.Event(x.jid, "called", fmt.Sprintf("attempt %d: %s", c.Rec.Callback.Attempts, truncate(outcome, 200)))
	st.Commit()
	return fmt.Sprintf("Attempt %d recorded (%s). /close when it is done.", c.Rec.Callback.Attempts, truncate(outcome, 200))
}
