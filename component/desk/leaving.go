package desk

import (
	"fmt"
	"strings"
	"time"

	"switchboard/store"
)

// Leaving a message or asking for a call back (a dialog's action
// "message" or "callback", or "message" and "callback" written while
// queued): the desk takes the customer's next lines step by step
// (rec.Leaving, so that a restart goes on where it was), then the
// conversation becomes a work item of that kind for the queue named with
// the action. A message is the customer's lines until "done" or a pause;
// a call back is a phone number and a time (callbacks.go).

// messagePause is how long a customer leaving a message may pause before
// the message counts as finished.
const messagePause = time.Minute

// startLeaving begins a message or a call back request for queue.
func (d *Desk) startLeaving(c *conv, st *step, kind, queue string) {
	c.rec.Leaving = &store.Leaving{Kind: kind, Queue: queue}
	st.event(c.rec.Customer, "leaving-"+kind, "queue "+queue)
	switch kind {
	case store.KindMessage:
		c.rec.Leaving.Step = "text"
		st.tell(`Please write your message; several lines are fine. Write "done" when you have finished (or just pause for a minute), or "cancel" to leave without one.`)
	case store.KindCallback:
		c.rec.Leaving.Step = "phone"
		st.tell(`What number should we call you on? Please write it in international format, like +49 30 1234567 (or "cancel").`)
	}
}

// leavingLine takes one line of a message or a call back request.
func (d *Desk) leavingLine(c *conv, l line) {
	lv := c.rec.Leaving
	st := d.step(c)
	st.received(l)
	text := strings.TrimSpace(l.body)
	switch {
	case strings.EqualFold(text, "cancel"):
		c.rec.Leaving = nil
		st.event(c.rec.Customer, "leaving-cancelled", lv.Kind)
		if c.rec.Status == dialogS {
			d.transition(c, st, abandoned, why{actor: c.rec.Customer, detail: "left without a " + kindWord(lv.Kind), tell: "All right: nothing was left. Write again any time."})
		} else {
			st.tell("All right. You keep your place in the queue.")
		}
	case lv.Kind == store.KindMessage:
		d.messageLine(c, st, text)
	case lv.Kind == store.KindCallback:
		d.callbackLine(c, st, text)
	}
	st.commit()
}

func kindWord(kind string) string {
	if kind == store.KindCallback {
		return "call back"
	}
	return kind
}

// messageLine takes a line of a message: "done" ends it.
func (d *Desk) messageLine(c *conv, st *step, text string) {
	lv := c.rec.Leaving
	if strings.EqualFold(text, "done") {
		if lv.Lines == 0 {
			st.tell(`Your message is empty: please write it, then "done" (or "cancel").`)
			return
		}
		d.messageLeft(c, st, "done")
		return
	}
	lv.Lines++
	d.after(messagePause, timerPause, c.rec.ID, "")
}

// pauseDue ends a message whose customer paused.
func (d *Desk) pauseDue(id uint64) {
	c := d.convs[id]
	if c == nil || c.rec.Leaving == nil || c.rec.Leaving.Kind != store.KindMessage || c.rec.Leaving.Lines == 0 {
		return
	}
	if wait := c.lastCustomer.Add(messagePause).Sub(d.now()); wait > 0 {
		d.after(wait, timerPause, id, "") // another line came since
		return
	}
	st := d.step(c)
	d.messageLeft(c, st, "pause")
	st.commit()
}

// messageLeft: the message is complete; it becomes a work item of its
// queue.
func (d *Desk) messageLeft(c *conv, st *step, how string) {
	lv := c.rec.Leaving
	c.rec.Leaving = nil
	c.rec.Kind = store.KindMessage
	st.event(c.rec.Customer, "message-left", fmt.Sprintf("%d lines (%s), queue %s", lv.Lines, how, lv.Queue))
	st.tell(fmt.Sprintf("Thank you: your message is recorded. An agent will answer you here %s; you may close your chat, the answer will wait for you.", d.answerWhen(lv.Queue, st.now)))
	if c.rec.Status == dialogS {
		d.toQueue(c, st, lv.Queue)
	}
}

// answerWhen says when a queue's agents can answer: "as soon as one is
// free", or when it opens.
func (d *Desk) answerWhen(queue string, now time.Time) string {
	if when := d.queueClosed(queue, now); when != "" {
		return "when we open again " + when
	}
	return "as soon as one is free"
}

// keepAsMessage turns a queued conversation into a message (the customer
// wrote "message", or it waited past max_wait with overflow = "message"):
// it keeps its place; the customer need not stay.
func (d *Desk) keepAsMessage(c *conv, st *step, why string) {
	c.rec.Kind = store.KindMessage
	st.event("desk", "message-left", why)
	st.tell(fmt.Sprintf("Your conversation is kept as a message: write anything you want to add, and an agent will answer you here %s. You may close your chat; the answer will wait for you.", d.answerWhen(c.route.Queue, st.now)))
}
