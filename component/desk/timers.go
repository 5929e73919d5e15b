package desk

import (
	"container/heap"
	"time"
)

// timerKind is what a deadline is for.
type timerKind int

const (
	timerOffer    timerKind = iota // an offer's offer_timeout
	timerWindow                    // a closed conversation's reopen window
	timerRoomJoin                  // joining a room again after a failure
	timerRoute                     // routing after the agents' presence came in
	timerReply                     // a customer's line waiting for an answer (replytime.go)
	timerCustomer                  // a silent customer (timeout.go)
	timerGrace                     // an agent gone from their conversation's room (grace.go)
	timerPause                     // a customer leaving a message paused (leaving.go)
	timerCallback                  // a planned call back is due (callbacks.go)
)

func (k timerKind) String() string {
	switch k {
	case timerOffer:
		return "offer-timeout"
	case timerWindow:
		return "reopen-window"
	case timerRoomJoin:
		return "room-join"
	case timerRoute:
		return "route"
	case timerReply:
		return "reply-time"
	case timerCustomer:
		return "customer-timeout"
	case timerGrace:
		return "agent-grace"
	case timerPause:
		return "message-pause"
	case timerCallback:
		return "callback-due"
	}
	return "unknown"
}

// timer is one deadline of a conversation. Timers are not cancelled: the
// handler of each checks that what it was set for still holds.
type timer struct {
	at    time.Time
	kind  timerKind
	id    uint64 // the conversation
	agent string // the agent an offer went to
}

// timers is a min-heap of deadlines, read by the actor's loop: one real
// timer stands for all of them, and a test moves a fake clock and calls
// fire.
type timers []timer

func (t timers) Len() int           { return len(t) }
func (t timers) Less(i, j int) bool { return t[i].at.Before(t[j].at) }
func (t timers) Swap(i, j int)      { t[i], t[j] = t[j], t[i] }
func (t *timers) Push(x any)        { *t = append(*t, x.(timer)) }
func (t *timers) Pop() any {
	old := *t
	x := old[len(old)-1]
	*t = old[:len(old)-1]
	return x
}

// next returns the earliest deadline.
func (t timers) next() (time.Time, bool) {
	if len(t) == 0 {
		return time.Time{}, false
	}
	return t[0].at, true
}

// after sets a deadline wait from now and returns it.
func (d *Desk) after(wait time.Duration, kind timerKind, id uint64, agent string) time.Time {
	at := d.now().Add(max(wait, 0))
	heap.Push(&d.timers, timer{at: at, kind: kind, id: id, agent: agent})
	return at
}

// fire handles every deadline that has come by now.
func (d *Desk) fire(now time.Time) {
	for len(d.timers) > 0 && !d.timers[0].at.After(now) {
		d.handle(evTimer(heap.Pop(&d.timers).(timer)))
	}
}

// timer handles a deadline that came.
func (d *Desk) timer(t evTimer) {
	switch t.kind {
	case timerOffer:
		if c := d.convs[t.id]; c != nil && c.offerUntil.Equal(t.at) {
			// The offer's first agent now: under ring-all the one it was
			// set for may have declined since.
			d.offerLapsed(t.id, c.rec.Offered, "offer-timeout", "")
		}
	case timerWindow:
		d.windowEnded(t.id)
	case timerRoomJoin:
		if c := d.convs[t.id]; c != nil && !c.room.Joined && d.connected {
			d.send(d.joinRoom(c))
		}
	case timerRoute:
		d.routeSoon = true
	case timerReply:
		d.replyDue(t.id)
	case timerCustomer:
		d.timeoutDue(t.id)
	case timerGrace:
		d.graceDue(t.id, t.agent)
	case timerPause:
		d.pauseDue(t.id)
	case timerCallback:
		d.callbackDue(t.id)
	}
}
