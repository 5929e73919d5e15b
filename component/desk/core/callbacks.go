package core

import (
	"time"

	"switchboard/store"
)

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
