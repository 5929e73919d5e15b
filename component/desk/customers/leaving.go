package customers

import (
	"fmt"
	"strings"

	"switchboard/component/desk/core"
	"switchboard/component/texts"
	"switchboard/store"
)

// Leaving a message or asking for a call back (a dialog's action
// "message" or "callback", or "message" and "callback" written while
// queued): the desk takes the customer's next lines step by step
// (rec.Leaving, so that a restart goes on where it was), then the
// conversation becomes a work item of that kind for the queue named with
// the action. A message is the customer's lines until "done" or a pause;
// a call back is a phone number and a time (callbacks.go).

// startLeaving begins a message or a call back request for queue.
func (d *Desk) startLeaving(c *core.Conv, st *core.Step, kind, queue string) {
	c.Rec.Leaving = &store.Leaving{Kind: kind, Queue: queue}
	st.Event(c.Rec.Customer, "leaving-"+kind, "queue "+queue)
	switch kind {
	case store.KindMessage:
		c.Rec.Leaving.Step = "text"
		st.Say(texts.MessagePrompt, nil)
	case store.KindCallback:
		c.Rec.Leaving.Step = "phone"
		st.Say(texts.CallbackPhone, nil)
	}
}

// leavingLine takes one line of a message or a call back request.
func (d *Desk) leavingLine(c *core.Conv, l core.Line) {
	lv := c.Rec.Leaving
	st := d.Step(c)
	st.Received(l)
	text := strings.TrimSpace(l.Body)
	switch {
	case d.Is(c, text, texts.WordCancel):
		c.Rec.Leaving = nil
		st.Event(c.Rec.Customer, "leaving-cancelled", lv.Kind)
		if c.Rec.Status == core.Dialog {
			d.Transition(c, st, core.Abandoned, core.Why{Actor: c.Rec.Customer, Detail: "left without a " + kindWord(lv.Kind), Tell: texts.NothingLeft})
		} else {
			st.Say(texts.KeepYourPlace, nil)
		}
	case lv.Kind == store.KindMessage:
		d.messageLine(c, st, text)
	case lv.Kind == store.KindCallback:
		d.callbackLine(c, st, text)
	}
	st.Commit()
}

func kindWord(kind string) string {
	if kind == store.KindCallback {
		return "call back"
	}
	return kind
}

// messageLine takes a line of a message: "done" ends it.
func (d *Desk) messageLine(c *core.Conv, st *core.Step, text string) {
	lv := c.Rec.Leaving
	if d.Is(c, text, texts.WordDone) {
		if lv.Lines == 0 {
			st.Say(texts.MessageEmpty, nil)
			return
		}
		d.messageLeft(c, st, "done")
		return
	}
	lv.Lines++
	d.After(core.MessagePause, core.TimerPause, c.Rec.ID, "")
}

// PauseDue ends a message whose customer paused.
func (d *Desk) PauseDue(id uint64) {
	c := d.Convs[id]
	if c == nil || c.Rec.Leaving == nil || c.Rec.Leaving.Kind != store.KindMessage || c.Rec.Leaving.Lines == 0 {
		return
	}
	if wait := c.LastCustomer.Add(core.MessagePause).Sub(d.Now()); wait > 0 {
		d.After(wait, core.TimerPause, id, "") // another line came since
		return
	}
	st := d.Step(c)
	d.messageLeft(c, st, "pause")
	st.Commit()
}

// messageLeft: the message is complete; it becomes a work item of its
// queue.
func (d *Desk) messageLeft(c *core.Conv, st *core.Step, how string) {
	lv := c.Rec.Leaving
	c.Rec.Leaving = nil
	c.Rec.Kind = store.KindMessage
	st.Event(c.Rec.Customer, "message-left", fmt.Sprintf("%d lines (%s), queue %s", lv.Lines, how, lv.Queue))
	st.Say(texts.MessageRecorded, texts.A{"when": d.AnswerWhen(lv.Queue, st.Now, d.Lang(c))})
	if c.Rec.Status == core.Dialog {
		d.ToQueue(c, st, lv.Queue)
	}
}
