package core

import (
	"slices"
	"time"

	"switchboard/component/texts"
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

func (d *Desk) CustomerActive(c *Conv) {
	c.LastCustomer = d.Now()
	d.ArmTimeout(c)
}

func (d *Desk) AgentSpoke(c *Conv) {
	c.LastAgent = d.Now()
	d.ArmTimeout(c)
}

func (d *Desk) ArmTimeout(c *Conv) {
	if t := d.Cfg.Desk.CustomerTimeout; t > 0 && !c.TimeoutArmed {
		c.TimeoutArmed = true
		d.After(t, TimerCustomer, c.Rec.ID, "")
	}
}

// TimeoutDue handles a conversation's customer-timeout timer.
func (d *Desk) TimeoutDue(id uint64) {
	c := d.Convs[id]
	if c == nil {
		return
	}
	c.TimeoutArmed = false
	t := d.Cfg.Desk.CustomerTimeout
	if t <= 0 {
		return
	}
	now := d.Now()
	var since time.Time
	switch {
	case c.Rec.Status == Dialog:
		since = c.LastCustomer
	case slices.Contains(Handling, c.Rec.Status) && c.LastAgent.After(c.LastCustomer):
		since = c.LastAgent
	default:
		return // waiting, or the agent has the last word to say
	}
	if wait := since.Add(t).Sub(now); wait > 0 {
		c.TimeoutArmed = true
		d.After(wait, TimerCustomer, id, "")
		return
	}
	if c.Rec.Status == Dialog {
		st := d.Step(c)
		d.Transition(c, st, Abandoned, Why{Actor: "desk", Action: "timeout", Detail: "silent in the dialog for " + t.String(),
			Tell: texts.TimedOut, Args: texts.A{"duration": d.Lang(c).Span(t)}})
		st.Commit()
		return
	}
	d.CloseOut(c, "desk", customerLeft)
}
