package component

import (
	"fmt"
	"slices"
	"strings"

	"switchboard/store"
)

// cmdTransfer puts a conversation back into routing, to another queue or
// to a named agent, keeping its record, room and history. The current
// agent keeps it until the new one joins; the record's agent changes then.
func cmdTransfer(d *Desk, x cmdCtx, args string) string {
	c := x.c
	target := strings.ToLower(strings.TrimSpace(args))
	if target == "" {
		return "usage: /transfer QUEUE|JID (queues: " + strings.Join(d.queueNames(), ", ") + ")"
	}
	switch c.rec.Status {
	case store.StatusOpen, store.StatusPending, store.StatusResolved:
	case store.StatusQueued, store.StatusOffered:
		if c.rec.Agent != "" {
			return "A transfer is under way already."
		}
		return "The conversation is waiting in queue " + c.rec.Queue + "; nobody has it to transfer."
	default:
		return "The conversation is " + c.rec.Status + "."
	}
	rc := d.routingConv(c)
	var detail, answer string
	switch {
	case d.router.Queue(target) != nil:
		from := c.rec.Queue
		c.rec.Queue = target
		rc.Queue = target
		detail = "to queue " + target + " from " + from
		answer = fmt.Sprintf("Transferring to queue %s. %s keeps the conversation until the new agent joins.", target, d.agentName(c.rec.Agent))
	case strings.Contains(target, "@"):
		a, ok := d.agents[target]
		if !ok {
			return fmt.Sprintf("%s is not one of the desk's agents.", truncate(target, 64))
		}
		if target == c.rec.Agent {
			return d.agentName(target) + " has the conversation already."
		}
		if !d.presence.Routable(target) || d.router.Load(target) >= a.MaxChats {
			return fmt.Sprintf("%s cannot take it now (%s, %d of %d conversations). Try /transfer QUEUE, or /invite to consult.",
				d.agentName(target), d.presence.State(target), d.router.Load(target), a.MaxChats)
		}
		rc.Agent = target
		c.transferTo = target
		detail = "to " + target
		answer = fmt.Sprintf("Transferring to %s. You keep the conversation until they join.", d.agentName(target))
	default:
		return fmt.Sprintf("There is no queue or agent %q. Queues: %s.", truncate(target, 32), strings.Join(d.queueNames(), ", "))
	}
	c.transferFrom = c.rec.Status
	c.rec.Status = store.StatusQueued
	st := d.step(c)
	st.event(x.jid, "transfer", detail)
	st.commit()
	d.router.Enqueue(rc)
	if rc.Agent == "" {
		// Not back to the agent who is handing it over, unless nobody else
		// qualifies.
		d.router.Reject(c.rec.ID, c.rec.Agent)
	}
	d.routeSoon = true
	return answer
}

// transferBack ends a transfer that routing handed back to the agent who
// started it: nobody else could take it.
func (d *Desk) transferBack(c *conv, why string) {
	d.router.Remove(c.rec.ID)
	c.rec.Status = c.transferFrom
	if c.rec.Status == "" {
		c.rec.Status = store.StatusOpen
	}
	c.rec.Offered = ""
	c.transferTo, c.transferFrom = "", ""
	st := d.step(c)
	st.event("desk", "transfer-cancelled", why)
	st.send(d.notice(c, fmt.Sprintf("Transfer cancelled (%s): %s keeps the conversation.", why, d.agentName(c.rec.Agent))))
	st.commit()
}

func (d *Desk) queueNames() []string {
	names := make([]string, 0, len(d.cfg.Queues))
	for _, q := range d.cfg.Queues {
		names = append(names, q.Name)
	}
	return slices.Sorted(slices.Values(names))
}
