package core

import (
	"time"

	"switchboard/component/texts"
	"switchboard/store"
)

// MessagePause is how long a customer leaving a message may pause before
// the message counts as finished.
const MessagePause = time.Minute

// AnswerWhen says when a queue's agents can answer: "as soon as one is
// free", or when it opens.
func (d *Desk) AnswerWhen(queue string, now time.Time, l *texts.Lang) string {
	if when := d.QueueClosed(queue, now, l); when != "" {
		return l.Get(texts.AnswerWhenOpen, texts.A{"opens": when})
	}
	return l.Get(texts.AnswerWhenFree, nil)
}

// KeepAsMessage turns a queued conversation into a message (the customer
// wrote "message", or it waited past max_wait with overflow = "message"):
// it keeps its place; the customer need not stay.
func (d *Desk) KeepAsMessage(c *Conv, st *Step, why string) {
	c.Rec.Kind = store.KindMessage
	st.Event("desk", "message-left", why)
	st.Say(texts.KeptAsMessage, texts.A{"when": d.AnswerWhen(c.Route.Queue, st.Now, d.Lang(c))})
}
