package core

import (
	"container/heap"
	"time"
)

// TimerKind is what a deadline is for.
type TimerKind int

const (
	TimerOffer    TimerKind = iota // an offer's offer_timeout
	TimerWindow                    // a closed conversation's reopen window
	TimerRoomJoin                  // joining a room again after a failure
	TimerRoute                     // routing after the agents' presence came in
	TimerReply                     // a customer's line waiting for an answer (replytime.go)
	TimerCustomer                  // a silent customer (timeout.go)
	TimerGrace                     // an agent gone from their conversation's room (grace.go)
	TimerPause                     // a customer leaving a message paused (leaving.go)
	TimerCallback                  // a planned call back is due (callbacks.go)
)

func (k TimerKind) String() string {
	switch k {
	case TimerOffer:
		return "offer-timeout"
	case TimerWindow:
		return "reopen-window"
	case TimerRoomJoin:
		return "room-join"
	case TimerRoute:
		return "route"
	case TimerReply:
		return "reply-time"
	case TimerCustomer:
		return "customer-timeout"
	case TimerGrace:
		return "agent-grace"
	case TimerPause:
		return "message-pause"
	case TimerCallback:
		return "callback-due"
	}
	return "unknown"
}

// Timer is one deadline of a conversation. Timers are not cancelled: the
// handler of each checks that what it was set for still holds.
type Timer struct {
	At    time.Time
	Kind  TimerKind
	ID    uint64 // the conversation
	Agent string // the agent an offer went to
}

// Timers is a min-heap of deadlines, read by the actor's loop: one real
// timer stands for all of them, and a test moves a fake clock and calls
// fire.
type Timers []Timer

func (t Timers) Len() int { return len(t) }

func (t Timers) Less(i, j int) bool { return t[i].At.Before(t[j].At) }

func (t Timers) Swap(i, j int) { t[i], t[j] = t[j], t[i] }

func (t *Timers) Push(x any) { *t = append(*t, x.(Timer)) }

func (t *Timers) Pop() any {
	old := *t
	x := old[len(old)-1]
	*t = old[:len(old)-1]
	return x
}

// Next returns the earliest deadline.
func (t Timers) Next() (time.Time, bool) {
	if len(t) == 0 {
		return time.Time{}, false
	}
	return t[0].At, true
}

// After sets a deadline wait from now and returns it.
func (d *Desk) After(wait time.Duration, kind TimerKind, id uint64, agent string) time.Time {
	at := d.Now().Add(max(wait, 0))
	heap.Push(&d.Timers, Timer{At: at, Kind: kind, ID: id, Agent: agent})
	return at
}
