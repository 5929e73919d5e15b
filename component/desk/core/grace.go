package core

import (
	"fmt"
	"slices"
	"time"

	"switchboard/component/texts"
)

// Agents who drop: an agent who has a conversation and leaves its room
// (a client going offline leaves every room) has desk.agent_grace to come
// back. Back in time: nothing changes. Not back: the conversation goes
// back to its queue ahead of everyone who came after it, the customer is
// told they keep their place, the agent's membership of the room is taken
// back, and the next agent gets the recap. When the agent left is in the
// record (AgentAway), so that a restart keeps the clock.

const actionDropped = "agent-dropped"

// AgentLeft: the agent handling c is no longer in its room.
func (d *Desk) AgentLeft(c *Conv, agent string) {
	st := d.Step(c)
	st.Event(agent, "left-room", "")
	if c.Rec.AgentAway.IsZero() {
		c.Rec.AgentAway = st.Now
	}
	st.Commit()
	d.armGrace(c)
}

// armGrace sets the grace timer of c's absent agent.
func (d *Desk) armGrace(c *Conv) {
	d.After(c.Rec.AgentAway.Add(d.Cfg.Desk.AgentGrace).Sub(d.Now()), TimerGrace, c.Rec.ID, c.Rec.Agent)
}

// agentBack: the agent handling c is in its room again.
func (d *Desk) agentBack(c *Conv) {
	if c.Rec.AgentAway.IsZero() {
		return
	}
	st := d.Step(c)
	c.Rec.AgentAway = time.Time{}
	st.Event(c.Rec.Agent, "agent-back", "")
	st.Commit()
}

// CheckAgentPresent looks, once the desk is back in c's room after a
// restart or a reconnect, whether its agent is there.
func (d *Desk) CheckAgentPresent(c *Conv) {
	if c.Rec.Agent == "" || !slices.Contains(Handling, c.Rec.Status) {
		return
	}
	if c.Room.Has(c.Rec.Agent) {
		d.agentBack(c)
		return
	}
	if c.Rec.AgentAway.IsZero() {
		d.AgentLeft(c, c.Rec.Agent)
		return
	}
	d.armGrace(c)
}

// GraceDue handles the grace timer of conversation id's agent.
func (d *Desk) GraceDue(id uint64, agent string) {
	c := d.Convs[id]
	if c == nil || c.Rec.Agent != agent || c.Rec.AgentAway.IsZero() || !slices.Contains(Handling, c.Rec.Status) || c.Room.Has(agent) || !c.Room.Ready {
		return
	}
	grace := d.Cfg.Desk.AgentGrace
	if wait := c.Rec.AgentAway.Add(grace).Sub(d.Now()); wait > 0 {
		d.After(wait, TimerGrace, id, agent) // away again since the timer was set
		return
	}
	st := d.Step(c)
	d.Transition(c, st, Queued, Why{Actor: "desk", Action: actionDropped, Agent: agent, Detail: fmt.Sprintf("%s was gone for %s", d.AgentName(agent), grace)})
	st.Commit()
}

// dropped: the agent did not come back within the grace. The
// conversation waits again in its place; the agent is free of it.
func (d *Desk) dropped(c *Conv, st *Step, w Why) {
	agent, name := c.Rec.Agent, d.AgentName(c.Rec.Agent)
	d.Router.Release(agent, st.Now)
	c.HeldSince = time.Time{}
	c.Rec.Agent, c.Rec.AgentAway, c.Rec.TransferFrom = "", time.Time{}, ""
	c.Route.Agent, c.Route.Prefer = "", ""
	d.Metrics.Dropped.Inc()
	st.Event(w.Actor, w.Action, w.Detail)
	st.Send(d.SetAffiliation(c, agent, "none"))
	st.Send(d.Note(c, texts.Dropped, texts.A{"agent": name, "grace": d.Cfg.Desk.AgentGrace.String(), "queue": c.Route.Queue}))
	st.Say(texts.AgentDropped, texts.A{"agent": name})
	d.Router.Enqueue(&c.Route)
	d.RouteSoon = true
}
