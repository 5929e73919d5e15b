package desk

import (
	"fmt"
	"slices"
	"time"
)

// Customer timeout (desk.customer_timeout): a customer silent in the
// dialog that long is told and the conversation is abandoned; in an open
// conversation, a customer silent that long after the agent's last answer
// has left: it is closed ("customer left"), the agent freed, and writing
// again within reopen_window reopens it with the same agent. Queued
// customers wait and never time out. One timer per conversation: when it
// fires early (there was news since), it is set again for the new
// deadline.

const customerLeft = "customer left"

func (d *Desk) customerActive(c *conv) {
	c.lastCustomer = d.now()
	d.armTimeout(c)
}

func (d *Desk) agentSpoke(c *conv) {
	c.lastAgent = d.now()
	d.armTimeout(c)
}

func (d *Desk) armTimeout(c *conv) {
	if t := d.cfg.Desk.CustomerTimeout; t > 0 && !c.timeoutArmed {
		c.timeoutArmed = true
		d.after(t, timerCustomer, c.rec.ID, "")
	}
}

// timeoutDue handles a conversation's customer-timeout timer.
func (d *Desk) timeoutDue(id uint64) {
	c := d.convs[id]
	if c == nil {
		return
	}
	c.timeoutArmed = false
	t := d.cfg.Desk.CustomerTimeout
	if t <= 0 {
		return
	}
	now := d.now()
	var since time.Time
	switch {
	case c.rec.Status == dialogS:
		since = c.lastCustomer
	case slices.Contains(handling, c.rec.Status) && c.lastAgent.After(c.lastCustomer):
		since = c.lastAgent
	default:
		return // waiting, or the agent has the last word to say
	}
	if wait := since.Add(t).Sub(now); wait > 0 {
		c.timeoutArmed = true
		d.after(wait, timerCustomer, id, "")
		return
	}
	if c.rec.Status == dialogS {
		st := d.step(c)
		d.transition(c, st, abandoned, why{actor: "desk", action: "timeout", detail: "silent in the dialog for " + t.String(),
			tell: fmt.Sprintf("We have not heard from you for %s, so we closed this conversation. Write again any time to start a new one.", t)})
		st.commit()
		return
	}
	d.closeOut(c, "desk", customerLeft)
}
