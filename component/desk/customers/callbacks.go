package customers

import (
	"errors"
	"strings"
	"time"

	"switchboard/component/desk/callback"
	"switchboard/component/desk/core"
	"switchboard/component/texts"
	"switchboard/routing/hours"
	"switchboard/store"
)

// callbackLine takes the phone number, then the time.
func (d *Desk) callbackLine(c *core.Conv, st *core.Step, text string) {
	lv := c.Rec.Leaving
	zone := d.CallZone(c, lv.Queue)
	l := d.Lang(c)
	switch lv.Step {
	case "phone":
		phone, err := callback.Phone(text)
		if err != nil {
			st.Say(texts.CallbackBadPhone, nil)
			return
		}
		c.Rec.Callback = &store.Callback{Phone: phone}
		st.Typed("tel:" + phone)
		lv.Step = "time"
		st.Say(texts.CallbackTime, texts.A{"phone": phone, "zone": texts.ZoneName(zone, st.Now)})
	case "time":
		words := callback.Words{Now: strings.ToLower(l.Get(texts.WordNow, nil)), Today: strings.ToLower(l.Get(texts.WordToday, nil)),
			Tomorrow: strings.ToLower(l.Get(texts.WordTomorrow, nil)), At: strings.ToLower(l.Get(texts.WordAt, nil))}
		at, err := callback.Time(text, st.Now, zone, words)
		var past *callback.PastError
		switch {
		case errors.As(err, &past):
			st.Say(texts.CallbackPast, texts.A{"time": l.Clock(time.Date(2000, 1, 1, past.Hour, past.Minute, 0, 0, time.UTC))})
			return
		case err != nil:
			st.Say(texts.CallbackBadTime, nil)
			return
		}
		if s := d.Cfg.QueueHours(lv.Queue); s != nil {
			check := at
			if check.IsZero() {
				check = st.Now
			}
			if !s.Open(check) {
				d.closedAt(c, st, s, at, check)
				return
			}
		}
		d.callbackPlanned(c, st, at)
	}
}

// closedAt answers a call back time out of hours.
func (d *Desk) closedAt(c *core.Conv, st *core.Step, s *hours.Schedule, at, check time.Time) {
	l := d.Lang(c)
	next := core.Opens(s, check, l)
	if at.IsZero() {
		st.Say(texts.CallbackClosedNow, texts.A{"opens": next})
		return
	}
	st.Say(texts.CallbackClosedAt, texts.A{"time": l.Clock(at.In(s.Zone)), "opens": next})
}

// callbackPlanned: the call back is complete; it becomes a work item of
// its queue, routed when due.
func (d *Desk) callbackPlanned(c *core.Conv, st *core.Step, at time.Time) {
	lv := c.Rec.Leaving
	c.Rec.Leaving = nil
	c.Rec.Kind = store.KindCallback
	cb := c.Rec.Callback
	cb.At = at
	when := d.Lang(c).Get(texts.CallbackWhenFree, nil)
	detail := cb.Phone + " now"
	if !at.IsZero() {
		when = d.Lang(c).When(at, st.Now, d.CallZone(c, lv.Queue))
		detail = cb.Phone + " at " + at.Format(time.RFC3339)
	}
	st.Event(c.Rec.Customer, "callback", detail)
	st.Say(texts.CallbackPlanned, texts.A{"phone": cb.Phone, "when": when})
	if c.Rec.Status == core.Dialog {
		d.ToQueue(c, st, lv.Queue)
	} else if c.Scheduled(st.Now) {
		d.Router.Remove(c.Rec.ID) // asked for while queued: out of routing until due
	}
	if c.Scheduled(st.Now) {
		d.After(at.Sub(st.Now), core.TimerCallback, c.Rec.ID, "")
	}
}
