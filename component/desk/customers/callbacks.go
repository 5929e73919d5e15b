package customers

import (
	"fmt"
	"time"

	"switchboard/component/desk/callback"
	"switchboard/component/desk/core"
	"switchboard/routing/hours"
	"switchboard/store"
)

// callbackLine takes the phone number, then the time.
func (d *Desk) callbackLine(c *core.Conv, st *core.Step, text string) {
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
	next := core.Opens(s, check)
	if at.IsZero() {
		return fmt.Sprintf(`We are closed now; we open again %s. Please choose a time then, like "tomorrow 10:00".`, next)
	}
	return fmt.Sprintf("We are closed at %s; we are open again %s. Please choose another time.", at.In(s.Zone).Format("15:04"), next)
}

// callbackPlanned: the call back is complete; it becomes a work item of
// its queue, routed when due.
func (d *Desk) callbackPlanned(c *core.Conv, st *core.Step, at time.Time) {
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
	if c.Rec.Status == core.Dialog {
		d.ToQueue(c, st, lv.Queue)
	} else if c.Scheduled(st.Now) {
		d.Router.Remove(c.Rec.ID) // asked for while queued: out of routing until due
	}
	if c.Scheduled(st.Now) {
		d.After(at.Sub(st.Now), core.TimerCallback, c.Rec.ID, "")
	}
}
