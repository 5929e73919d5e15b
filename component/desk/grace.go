package desk

import (
	"fmt"
	"slices"
	"time"
)

// Agents who drop: an agent who has a conversation and leaves its room
// (a client going offline leaves every room) has desk.agent_grace to come
// back. Back in time: nothing changes. Not back: the conversation goes
// back to its queue ahead of everyone who came after it, the customer is
// told they keep their place, the agent's membership of the room is taken
// back, and the next agent gets the recap. When the agent left is in the
// record (AgentAway), so that a restart keeps the clock.

const actionDropped = "agent-dropped"

// agentLeft: the agent handling c is no longer in its room.
func (d *Desk) agentLeft(c *conv, agent string) {
	st := d.step(c)
	st.event(agent, "left-room", "")
	if c.rec.AgentAway.IsZero() {
		c.rec.AgentAway = st.now
	}
	st.commit()
	d.armGrace(c)
}

// armGrace sets the grace timer of c's absent agent.
func (d *Desk) armGrace(c *conv) {
	d.after(c.rec.AgentAway.Add(d.cfg.Desk.AgentGrace).Sub(d.now()), timerGrace, c.rec.ID, c.rec.Agent)
}

// agentBack: the agent handling c is in its room again.
func (d *Desk) agentBack(c *conv) {
	if c.rec.AgentAway.IsZero() {
		return
	}
	st := d.step(c)
	c.rec.AgentAway = time.Time{}
	st.event(c.rec.Agent, "agent-back", "")
	st.commit()
}

// checkAgentPresent looks, once the desk is back in c's room after a
// restart or a reconnect, whether its agent is there.
func (d *Desk) checkAgentPresent(c *conv) {
	if c.rec.Agent == "" || !slices.Contains(handling, c.rec.Status) {
		return
	}
	if c.room.Has(c.rec.Agent) {
		d.agentBack(c)
		return
	}
	if c.rec.AgentAway.IsZero() {
		d.agentLeft(c, c.rec.Agent)
		return
	}
	d.armGrace(c)
}

// graceDue handles the grace timer of conversation id's agent.
func (d *Desk) graceDue(id uint64, agent string) {
	c := d.convs[id]
	if c == nil || c.rec.Agent != agent || c.rec.AgentAway.IsZero() || !slices.Contains(handling, c.rec.Status) || c.room.Has(agent) || !c.room.Ready {
		return
	}
	grace := d.cfg.Desk.AgentGrace
	if wait := c.rec.AgentAway.Add(grace).Sub(d.now()); wait > 0 {
		d.after(wait, timerGrace, id, agent) // away again since the timer was set
		return
	}
	st := d.step(c)
	d.transition(c, st, queued, why{actor: "desk", action: actionDropped, agent: agent, detail: fmt.Sprintf("%s was gone for %s", d.agentName(agent), grace)})
	st.commit()
}

// dropped: the agent did not come back within the grace. The
// conversation waits again in its place; the agent is free of it.
func (d *Desk) dropped(c *conv, st *step, w why) {
	agent, name := c.rec.Agent, d.agentName(c.rec.Agent)
	d.router.Release(agent, st.now)
	c.heldSince = time.Time{}
	c.rec.Agent, c.rec.AgentAway, c.rec.TransferFrom = "", time.Time{}, ""
	c.route.Agent, c.route.Prefer = "", ""
	d.metrics.dropped.Inc()
	st.event(w.actor, w.action, w.detail)
	st.send(d.setAffiliation(c, agent, "none"))
	st.send(d.notice(c, fmt.Sprintf("%s: the conversation is back in queue %s, ahead of everyone who came after it; the next agent gets the recap.", w.detail, c.route.Queue)))
	st.tell(fmt.Sprintf("%s had to leave; you keep your place, and the next agent will see everything you wrote.", name))
	d.router.Enqueue(&c.route)
	d.routeSoon = true
}
