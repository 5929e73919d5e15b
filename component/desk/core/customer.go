package core

import (
	"fmt"

	"switchboard/component/wire"
	"switchboard/store"
)

// Line is one message a customer wrote, as the desk accepted it: the
// receipt (XEP-0184) goes out with the step that records it.
type Line struct {
	Body, URL string
	Receipt   string // rendered, or "" when none was asked for
	// Also are writes that belong with the line (a channel's key of the
	// message, a file's metadata), in the step that records it; Done
	// learns when that step is durable (a channel's acknowledgement).
	Also []func(*store.Tx) error
	Done func(error)
}

// Chat renders a Chat message from an entry point.
func (d *Desk) Chat(entry, to, body string) string {
	return wire.Message{From: entry + "@" + d.Cfg.XMPP.Domain, To: to, Type: "chat", Body: body}.String()
}

// MessageError renders a stanza error in reply to a message.
func (d *Desk) MessageError(s *wire.Stanza, e wire.StanzaError) string {
	return wire.MessageError(s.To, s.From, s.ID, e)
}

// Tell sends the customer a message from the desk and records it.
// A customer whose channel carries nothing back (a voicemail) is told
// nothing, and nothing is recorded.
func (st *Step) Tell(body string) {
	if !st.d.Answerable(st.c) {
		return
	}
	st.Message("desk", body, "", false)
	st.ToCustomer(body, "")
}

// ToQueue hands a conversation from the dialog to a queue; its room is
// opened, and routing takes it once the room is ready.
func (d *Desk) ToQueue(c *Conv, st *Step, queue string) {
	c.Route.Queue = queue
	if c.Route.Since.IsZero() {
		c.Route.Since = st.Now
	}
	d.Transition(c, st, Queued, Why{Actor: "desk", Action: "queued", Detail: fmt.Sprintf("queue %s, priority %d", queue, c.Route.Priority)})
}

// Position is c's place in its queue: those waiting before it, priority
// and aging counted, those whose rooms are not ready yet included.
func (d *Desk) Position(c *Conv) int {
	pos := d.Router.Ahead(&c.Route) + 1
	for _, o := range d.Convs {
		if o != c && o.Rec.Status == Queued && o.Route.Queue == c.Route.Queue && !d.Router.Waiting(o.Rec.ID) && !o.Scheduled(d.Now()) && d.Router.Before(&o.Route, &c.Route) {
			pos++
		}
	}
	return pos
}
