package core

import (
	"fmt"
	"time"

	"switchboard/store"
)

// MessagePause is how long a customer leaving a message may pause before
// the message counts as finished.
const MessagePause = time.Minute

// AnswerWhen says when a queue's agents can answer: "as soon as one is
// free", or when it opens.
func (d *Desk) AnswerWhen(queue string, now time.Time) string {
	if when := d.QueueClosed(queue, now); when != "" {
		return "when we open again " + when
	}
	return "as soon as one is free"
}

// KeepAsMessage turns a queued conversation into a message (the customer
// wrote "message", or it waited past max_wait with overflow = "message"):
// it keeps its place; the customer need not stay.
func (d *Desk) KeepAsMessage(c *Conv, st *Step, why string) {
	c.Rec.Kind = store.KindMessage
	st.Event("desk", "message-left", why)
	st.Tell(fmt.Sprintf("Your conversation is kept as a message: write anything you want to add, and an agent will answer you here %s. You may close your chat; the answer will wait for you.", d.AnswerWhen(c.Route.Queue, st.Now)))
}
