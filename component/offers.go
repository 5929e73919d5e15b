package component

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"switchboard/component/wire"
	"switchboard/routing"
	"switchboard/store"
)

// routingConv is what routing needs to know of c.
func (d *Desk) routingConv(c *conv) routing.Conversation {
	return routing.Conversation{ID: c.rec.ID, Queue: c.rec.Queue, Priority: c.rec.Priority,
		Since: c.rec.Queued, Language: c.rec.Language, Needs: c.rec.Needs, Agent: c.transferTo, Prefer: c.prefer}
}

// route offers waiting conversations to free agents.
func (d *Desk) route() {
	if !d.connected {
		return
	}
	start := time.Now()
	offers := d.router.Dispatch(d.now())
	d.metrics.routingSeconds.Observe(time.Since(start).Seconds())
	for _, o := range offers {
		d.offer(o)
	}
}

// offer invites an agent into a conversation's room.
func (d *Desk) offer(o routing.Offer) {
	c := d.convs[o.Conversation]
	if c == nil {
		d.router.Remove(o.Conversation)
		return
	}
	if o.Agent == c.rec.Agent {
		// A transfer that came back to the agent handing it over: the
		// offer's capacity is theirs already.
		d.router.Accept(c.rec.ID, o.Agent)
		d.router.Release(o.Agent, d.now())
		d.transferBack(c, "nobody else can take it")
		return
	}
	reason := d.router.Explain(o, d.now()).String()
	c.offerReason = reason
	c.rec.Status = store.StatusOffered
	c.rec.Offered = o.Agent
	st := d.step(c)
	st.event("desk", "offered", o.Agent+"; "+reason)
	st.send(
		d.setAffiliation(c, o.Agent, "member"),
		d.invite(c, o.Agent, fmt.Sprintf("New conversation %s%d from %s (queue %s)", d.cfg.XMPP.RoomPrefix, c.rec.ID, c.rec.Customer, c.rec.Queue)),
		d.deskChat(o.Agent, d.offerSummary(c)),
	)
	st.commit()
	q := d.router.Queue(o.Queue)
	timeout := 30 * time.Second
	if q != nil {
		timeout = q.OfferTimeout
	}
	id, agent := c.rec.ID, o.Agent
	c.offerTimer = time.AfterFunc(timeout, func() {
		d.post(func() { d.offerLapsed(id, agent, "offer-timeout", "") })
	})
	if c.inRoom(agent) {
		// In the room already (invited to consult, or handing a transfer
		// back): being there is accepting.
		d.agentJoined(c, agent)
	}
}

func (d *Desk) offerSummary(c *conv) string {
	var b strings.Builder
	fmt.Fprintf(&b, "New conversation for you: %s%d in queue %s, waiting %s.\n", d.cfg.XMPP.RoomPrefix, c.rec.ID, c.rec.Queue, d.now().Sub(c.rec.Queued).Truncate(time.Second))
	fmt.Fprintf(&b, "Customer: %s", c.rec.Customer)
	if c.rec.Client.Name != "" {
		fmt.Fprintf(&b, " (%s %s)", c.rec.Client.Name, c.rec.Client.Version)
	}
	for _, k := range slices.Sorted(maps.Keys(c.rec.Answers)) {
		fmt.Fprintf(&b, "\n%s: %s", k, c.rec.Answers[k])
	}
	fmt.Fprintf(&b, "\nJoin %s to take it (you were invited), or decline the invitation.", c.room.jid)
	return b.String()
}

// declined handles an agent's declined invitation.
func (d *Desk) declined(c *conv, agent, reason string) {
	detail := ""
	if reason != "" {
		detail = reason
	}
	d.offerLapsed(c.rec.ID, agent, "declined", detail)
}

// offerLapsed ends an offer that was declined or timed out and routes the
// conversation again.
func (d *Desk) offerLapsed(id uint64, agent, action, detail string) {
	c := d.convs[id]
	if c == nil || c.rec.Status != store.StatusOffered || c.rec.Offered != agent {
		return
	}
	if c.offerTimer != nil {
		c.offerTimer.Stop()
		c.offerTimer = nil
	}
	d.router.Reject(id, agent)
	c.rec.Status = store.StatusQueued
	c.rec.Offered = ""
	if !slices.Contains(c.rec.Rejected, agent) {
		c.rec.Rejected = append(c.rec.Rejected, agent)
	}
	result := "declined"
	if action == "offer-timeout" {
		result = "timeout"
	}
	d.metrics.offers.WithLabelValues(result).Inc()
	st := d.step(c)
	st.event(agent, action, detail)
	st.send(d.setAffiliation(c, agent, "none"))
	if action == "offer-timeout" {
		st.send(d.deskChat(agent, fmt.Sprintf("The offer of %s%d timed out and went to someone else.", d.cfg.XMPP.RoomPrefix, id)))
	}
	st.commit()
	if c.transferTo == agent && c.rec.Agent != "" {
		why := d.agentName(agent) + " declined"
		if action == "offer-timeout" {
			why = d.agentName(agent) + " did not answer"
		}
		d.transferBack(c, why)
	}
	d.route()
}

// agentJoined handles an agent entering a conversation's room: joining an
// offered room accepts the offer.
func (d *Desk) agentJoined(c *conv, agent string) {
	switch c.rec.Status {
	case store.StatusOffered, store.StatusQueued:
		if agent != c.rec.Agent {
			break
		}
		fallthrough // the agent handing it over, back in the room
	default:
		// A colleague, or the assigned agent coming back: rooms keep no
		// history, so the desk recaps the conversation.
		d.send(d.notice(c, d.recap(c, "for "+d.agentName(agent))))
		return
	}
	if c.rec.Offered == agent {
		d.router.Accept(c.rec.ID, agent)
	} else {
		// An invitation from before a restart, still good: take it, and
		// withdraw any offer made since.
		if c.rec.Offered != "" {
			d.router.Reject(c.rec.ID, c.rec.Offered)
		}
		d.router.Remove(c.rec.ID)
		d.router.Assigned(agent)
	}
	if c.offerTimer != nil {
		c.offerTimer.Stop()
		c.offerTimer = nil
	}
	now := d.now()
	d.metrics.offers.WithLabelValues("accepted").Inc()
	prev := c.rec.Agent
	if prev == "" {
		d.metrics.waitSeconds.WithLabelValues(c.rec.Queue).Observe(now.Sub(c.rec.Queued).Seconds())
	} else {
		d.router.Release(prev, now) // a transfer: the agent handing over is free
	}
	c.rec.Status = store.StatusOpen
	c.rec.Agent = agent
	c.rec.Offered = ""
	c.transferTo, c.transferFrom, c.prefer = "", "", ""
	name := d.agentName(agent)
	st := d.step(c)
	reason := c.offerReason
	c.offerReason = "" // written below; a long ranking need not stay in memory
	if reason == "" {
		reason = "joined from an earlier invitation"
	}
	if prev != "" {
		reason = "transfer from " + prev + "; " + reason
	}
	st.event(agent, "assigned", reason)
	st.tell(fmt.Sprintf("You are now chatting with %s.", name))
	st.send(d.notice(c, d.recap(c, "for "+name)))
	took := "is now handling this conversation"
	if prev != "" {
		took = "took this conversation over from " + d.agentName(prev)
	}
	st.send(d.notice(c, fmt.Sprintf("%s %s. Everything you write here reaches the customer, except lines starting with %s and /commands.", name, took, d.cfg.Desk.PrivatePrefix)))
	st.commit()
}

func (d *Desk) agentName(jid string) string {
	if a, ok := d.agents[jid]; ok && a.Name != "" {
		return a.Name
	}
	return wire.Local(jid)
}

// end closes or abandons a conversation: the customer is told, the room is
// destroyed and the agent freed.
func (d *Desk) end(c *conv, st *step, status, actor, resolution, goodbye string) {
	wasQueued := d.router.Waiting(c.rec.ID)
	d.router.Remove(c.rec.ID)
	if c.offerTimer != nil {
		c.offerTimer.Stop()
		c.offerTimer = nil
	}
	if c.rec.Offered != "" {
		st.send(d.setAffiliation(c, c.rec.Offered, "none"))
	}
	c.rec.Status = status
	c.rec.Closed = st.now
	c.rec.Resolution = resolution
	c.rec.Offered = ""
	st.event(actor, status, resolution)
	if goodbye != "" {
		st.tell(goodbye)
	}
	if c.rec.Agent != "" {
		d.router.Release(c.rec.Agent, st.now)
	}
	c.transferTo, c.transferFrom, c.prefer = "", "", ""
	d.metrics.outcomes.WithLabelValues(status).Inc()
	if c.rec.Agent != "" || wasQueued {
		// Capacity freed up: route once this event is done.
		d.routeSoon = true
	}
	if !c.rec.ReopenUntil.IsZero() {
		// The customer may still rate or come back: the room stays.
		if c.room.jid != "" {
			st.send(d.notice(c, fmt.Sprintf("Conversation %s: %s. The customer can reopen it until %s; the room stays until then.", status, resolution, c.rec.ReopenUntil.Format("15:04"))))
		}
		d.holdUntil(c.rec.ID, c.rec.ReopenUntil)
		return
	}
	if c.room.jid != "" {
		st.send(d.notice(c, "Conversation "+status+": "+resolution))
	}
	st.send(d.forget(c, "conversation "+status)...)
}

// forget drops a conversation that has ended from the desk's memory and
// renders what takes the desk out of its room.
func (d *Desk) forget(c *conv, why string) []string {
	var out []string
	if c.room.jid != "" {
		switch {
		case !c.room.joined && c.rec.Room == "":
			// Never created.
		case d.cfg.Desk.KeepRooms:
			if !c.room.joined {
				break
			}
			out = append(out, d.leaveRoom(c))
		default:
			out = append(out, d.destroyRoom(c, why))
		}
	}
	delete(d.byCustomer, c.customerKey())
	delete(d.byRoom, c.room.jid)
	d.occupants.Delete(c.room.jid + "/" + c.room.nick)
	delete(d.convs, c.rec.ID)
	return out
}

// overflow moves a conversation that waited past max_wait.
func (d *Desk) overflow(id uint64) {
	c := d.convs[id]
	if c == nil || c.overflowed {
		return
	}
	c.overflowed = true
	q := d.router.Queue(c.rec.Queue)
	st := d.step(c)
	if q != nil && q.Overflow != "" && q.Overflow != "message" && d.router.Queue(q.Overflow) != nil {
		from := c.rec.Queue
		c.rec.Queue = q.Overflow
		d.router.Enqueue(d.routingConv(c))
		st.event("desk", "overflow", from+" → "+q.Overflow)
		st.commit()
		d.route()
		return
	}
	st.event("desk", "max-wait", "nobody free within "+q.MaxWait.String())
	st.tell("Sorry for the wait: all our agents are still busy. You keep your place in the queue.")
	st.commit()
}
