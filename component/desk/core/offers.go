package core

import (
	"fmt"
	"slices"
	"time"

	"switchboard/component/texts"
	"switchboard/routing"
	"switchboard/store"
)

// Offers: routing picks agents for waiting conversations, the desk offers
// them, and an agent takes one by joining its room.

// PresenceSettle is how long routing waits after connecting for the
// agents' presence.
const PresenceSettle = 2 * time.Second

// Route offers waiting conversations to free agents.
func (d *Desk) Route() {
	if !d.Online || d.Now().Before(d.Settled) {
		return
	}
	start := time.Now()
	offers := d.Router.Dispatch(d.Now())
	d.Metrics.RoutingSeconds.Observe(time.Since(start).Seconds())
	for _, o := range offers {
		d.offer(o)
	}
}

// offer invites an agent into a conversation's room. This is the one
// place an offer is made.
func (d *Desk) offer(o routing.Offer) {
	c := d.Convs[o.Conversation]
	if c == nil {
		d.Router.Remove(o.Conversation)
		return
	}
	st := d.Step(c)
	if o.Agent == c.Rec.Agent {
		// A transfer that came back to the agent handing it over: nobody
		// else can take it.
		d.Transition(c, st, c.HandlingStatus(), Why{Actor: "desk", Action: "transfer-cancelled", Detail: "nobody else can take it", Reason: d.Staff().Get(texts.TransferNobody, nil)})
		st.Commit()
		return
	}
	reason := d.Router.Explain(o, d.Now()).String()
	c.OfferReason = reason
	c.Rec.Ringing = nil
	if len(o.Also) > 0 {
		c.Rec.Ringing = append([]string{o.Agent}, o.Also...)
	}
	d.Transition(c, st, Offered, Why{Actor: "desk", Action: "offered", Agent: o.Agent, Detail: reason})
	st.Commit()
	for _, a := range c.OfferedTo() {
		if c.Room.Has(a) {
			// In the room already (invited to consult, or back after a
			// restart): being there is accepting.
			d.AgentJoined(c, a)
			return
		}
	}
}

// OfferLapsed ends an offer that was declined or timed out and routes the
// conversation again.
func (d *Desk) OfferLapsed(id uint64, agent, action, detail string) {
	c := d.Convs[id]
	if c == nil || c.Rec.Status != Offered || !c.IsOffered(agent) {
		return
	}
	st := d.Step(c)
	if ring := c.OfferedTo(); len(ring) > 1 && action != "offer-timeout" {
		// One of a ring-all offer's agents declined: the others keep it.
		d.lapseFor(c, st, agent, "declined", Why{Action: action, Detail: detail})
		c.Rec.Ringing = slices.DeleteFunc(slices.Clone(ring), func(a string) bool { return a == agent })
		c.Rec.Offered = c.Rec.Ringing[0]
		st.Commit()
		return
	}
	c.OfferReason = ""
	d.Transition(c, st, Queued, Why{Action: action, Agent: agent, Detail: detail})
	st.Commit()
}

// AgentJoined handles an agent entering a conversation's room: joining an
// offered room accepts the offer. A colleague, or the agent who has it
// coming back, gets a recap: rooms keep no history.
func (d *Desk) AgentJoined(c *Conv, agent string) {
	if (c.Rec.Status != Offered && c.Rec.Status != Queued) || agent == c.Rec.Agent {
		d.Send(d.Notice(c, d.Recap(c, "for "+d.AgentName(agent))))
		if agent == c.Rec.Agent {
			d.agentBack(c)
		}
		return
	}
	reason := c.OfferReason
	c.OfferReason = "" // written below; a long ranking need not stay in memory
	if reason == "" || !c.IsOffered(agent) {
		reason = "joined from an earlier invitation"
	}
	st := d.Step(c)
	d.Transition(c, st, Open, Why{Action: "assigned", Agent: agent, Detail: reason})
	st.Commit()
}

func (d *Desk) AgentName(jid string) string { return d.Roster.Name(jid) }

// Overflow moves a conversation that waited past max_wait: into the
// queue's Overflow queue, or, without one, it is told it keeps its place.
// It happens once per conversation, restarts included.
func (d *Desk) Overflow(id uint64) {
	c := d.Convs[id]
	if c == nil || c.Rec.Overflowed {
		return
	}
	c.Rec.Overflowed = true
	q := d.Router.Queue(c.Route.Queue)
	st := d.Step(c)
	if q != nil && q.Overflow == "message" {
		if c.Rec.Kind == store.KindChat {
			d.KeepAsMessage(c, st, fmt.Sprintf("overflow: nobody free within %s", q.MaxWait))
		}
		st.Commit()
		return
	}
	if q != nil && q.Overflow != "" && q.Overflow != "message" && d.Router.Queue(q.Overflow) != nil {
		from := c.Route.Queue
		c.Route.Queue = q.Overflow
		d.Router.Enqueue(&c.Route)
		st.Event("desk", "overflow", from+" → "+q.Overflow)
		st.Commit()
		d.RouteSoon = true
		return
	}
	wait := "its max_wait"
	if q != nil {
		wait = q.MaxWait.String()
	}
	st.Event("desk", "max-wait", "nobody free within "+wait)
	st.Say(texts.StillBusy, nil)
	st.Commit()
}
