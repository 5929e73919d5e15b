package desk

import (
	"container/heap"
	"time"

	"switchboard/component/desk/core"
)

// fire handles every deadline that has come by now.
func (d *Desk) fire(now time.Time) {
	for len(d.Timers) > 0 && !d.Timers[0].At.After(now) {
		d.handle(core.EvTimer(heap.Pop(&d.Timers).(core.Timer)))
	}
}

// timer handles a deadline that came.
func (d *Desk) timer(t core.EvTimer) {
	switch t.Kind {
	case core.TimerOffer:
		if c := d.Convs[t.ID]; c != nil && c.OfferUntil.Equal(t.At) {
			// The offer's first agent now: under ring-all the one it was
			// set for may have declined since.
			d.OfferLapsed(t.ID, c.Rec.Offered, "offer-timeout", "")
		}
	case core.TimerWindow:
		d.WindowEnded(t.ID)
	case core.TimerRoomJoin:
		if c := d.Convs[t.ID]; c != nil && !c.Room.Joined && d.Online {
			d.Send(d.JoinRoom(c))
		}
	case core.TimerRoute:
		d.RouteSoon = true
	case core.TimerReply:
		d.ReplyDue(t.ID)
	case core.TimerCustomer:
		d.TimeoutDue(t.ID)
	case core.TimerGrace:
		d.GraceDue(t.ID, t.Agent)
	case core.TimerPause:
		d.cust.PauseDue(t.ID)
	case core.TimerCallback:
		d.CallbackDue(t.ID)
	}
}
