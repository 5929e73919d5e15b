package desk

import (
	"fmt"
	"slices"
	"time"

	"switchboard/routing"
	"switchboard/store"
)

// Offers: routing picks agents for waiting conversations, the desk offers
// them, and an agent takes one by joining its room.

// presenceSettle is how long routing waits after connecting for the
// agents' presence.
const presenceSettle = 2 * time.Second

// route offers waiting conversations to free agents.
func (d *Desk) route() {
	if !d.connected || d.now().Before(d.settled) {
		return
	}
	start := time.Now()
	offers := d.router.Dispatch(d.now())
	d.metrics.routingSeconds.Observe(time.Since(start).Seconds())
	for _, o := range offers {
		d.offer(o)
	}
}

// offer invites an agent into a conversation's room. This is the one
// place an offer is made.
func (d *Desk) offer(o routing.Offer) {
	c := d.convs[o.Conversation]
	if c == nil {
		d.router.Remove(o.Conversation)
		return
	}
	st := d.step(c)
	if o.Agent == c.rec.Agent {
		// A transfer that came back to the agent handing it over: nobody
		// else can take it.
		d.transition(c, st, c.handlingStatus(), why{actor: "desk", action: "transfer-cancelled", detail: "nobody else can take it"})
		st.commit()
		return
	}
	reason := d.router.Explain(o, d.now()).String()
	c.offerReason = reason
	c.rec.Ringing = nil
	if len(o.Also) > 0 {
		c.rec.Ringing = append([]string{o.Agent}, o.Also...)
	}
	d.transition(c, st, offered, why{actor: "desk", action: "offered", agent: o.Agent, detail: reason})
	st.commit()
	for _, a := range c.offeredTo() {
		if c.room.Has(a) {
			// In the room already (invited to consult, or back after a
			// restart): being there is accepting.
			d.agentJoined(c, a)
			return
		}
	}
}

// offerLapsed ends an offer that was declined or timed out and routes the
// conversation again.
func (d *Desk) offerLapsed(id uint64, agent, action, detail string) {
	c := d.convs[id]
	if c == nil || c.rec.Status != offered || !c.isOffered(agent) {
		return
	}
	st := d.step(c)
	if ring := c.offeredTo(); len(ring) > 1 && action != "offer-timeout" {
		// One of a ring-all offer's agents declined: the others keep it.
		d.lapseFor(c, st, agent, "declined", why{action: action, detail: detail})
		c.rec.Ringing = slices.DeleteFunc(slices.Clone(ring), func(a string) bool { return a == agent })
		c.rec.Offered = c.rec.Ringing[0]
		st.commit()
		return
	}
	c.offerReason = ""
	d.transition(c, st, queued, why{action: action, agent: agent, detail: detail})
	st.commit()
}

// agentJoined handles an agent entering a conversation's room: joining an
// offered room accepts the offer. A colleague, or the agent who has it
// coming back, gets a recap: rooms keep no history.
func (d *Desk) agentJoined(c *conv, agent string) {
	if (c.rec.Status != offered && c.rec.Status != queued) || agent == c.rec.Agent {
		d.send(d.notice(c, d.recap(c, "for "+d.agentName(agent))))
		if agent == c.rec.Agent {
			d.agentBack(c)
		}
		return
	}
	reason := c.offerReason
	c.offerReason = "" // written below; a long ranking need not stay in memory
	if reason == "" || !c.isOffered(agent) {
		reason = "joined from an earlier invitation"
	}
	st := d.step(c)
	d.transition(c, st, open, why{action: "assigned", agent: agent, detail: reason})
	st.commit()
}

func (d *Desk) agentName(jid string) string { return d.roster.Name(jid) }

// overflow moves a conversation that waited past max_wait: into the
// queue's overflow queue, or, without one, it is told it keeps its place.
// It happens once per conversation, restarts included.
func (d *Desk) overflow(id uint64) {
	c := d.convs[id]
	if c == nil || c.rec.Overflowed {
		return
	}
	c.rec.Overflowed = true
	q := d.router.Queue(c.route.Queue)
	st := d.step(c)
	if q != nil && q.Overflow == "message" {
		if c.rec.Kind == store.KindChat {
			d.keepAsMessage(c, st, fmt.Sprintf("overflow: nobody free within %s", q.MaxWait))
		}
		st.commit()
		return
	}
	if q != nil && q.Overflow != "" && q.Overflow != "message" && d.router.Queue(q.Overflow) != nil {
		from := c.route.Queue
		c.route.Queue = q.Overflow
		d.router.Enqueue(&c.route)
		st.event("desk", "overflow", from+" → "+q.Overflow)
		st.commit()
		d.routeSoon = true
		return
	}
	wait := "its max_wait"
	if q != nil {
		wait = q.MaxWait.String()
	}
	st.event("desk", "max-wait", "nobody free within "+wait)
	st.tell("Sorry for the wait: all our agents are still busy. You keep your place in the queue.")
	st.commit()
}
