package desk

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"switchboard/component/desk/agents"
	"switchboard/routing"
	"switchboard/store"
)

// AgentInfo, AgentChange and InvalidAgent are the API's view of agents
// (component/desk/agents).
type (
	AgentInfo    = agents.Info
	AgentChange  = agents.Change
	InvalidAgent = agents.Invalid
)

// agentInfo describes one agent.
func (d *Desk) agentInfo(jid string) AgentInfo {
	a, _ := d.Roster.Get(jid)
	v := AgentInfo{Agent: a, Runtime: d.Roster.Runtime(jid), State: string(d.Presence.State(jid)), Load: d.Router.Load(jid)}
	v.JID = jid
	_, v.Reason = d.Presence.Paused(jid)
	return v
}

// checkAgent turns a change into a routing agent, or says what is wrong
// (an InvalidAgent): the config file's rules apply.
func (d *Desk) checkAgent(ch AgentChange) (routing.Agent, error) { return agents.Check(d.Cfg, ch) }

// setAgent adds or changes an agent at runtime: effective at once, kept in
// the store ahead of the config file. then learns how the write went. It
// runs on the actor.
func (d *Desk) setAgent(a routing.Agent, then func(error)) (created bool) {
	created = d.Roster.Set(a)
	d.Router.SetAgent(a, d.Now())
	profile := &store.AgentProfile{Name: a.Name, Skills: maps.Clone(a.Skills), Languages: slices.Clone(a.Languages), MaxChats: a.MaxChats}
	var out []string
	if created {
		// Ask the new agent for their presence, as at start-up.
		out = agents.Greeting(d.DeskJID(), a.JID, d.Roster.Approved(a.JID))
	}
	d.writeAgent(a.JID, func(r *store.Agent) { r.Profile, r.Removed = profile, false }, then, out...)
	d.Log.Info("agent set at runtime", "agent", a.JID, "created", created)
	d.RouteSoon = true
	return created
}

// removeAgent takes an agent out of the desk at runtime. An agent who
// still has conversations is not removed: they are named in the error.
func (d *Desk) removeAgent(jid string, then func(error)) error {
	if !d.Roster.Is(jid) {
		return ErrNoAgent
	}
	var busy []string
	for _, c := range d.conversationsOf(jid) {
		busy = append(busy, d.ConvName(c))
	}
	if len(busy) > 0 {
		return fmt.Errorf("%w: %s", ErrAgentBusy, strings.Join(busy, ", "))
	}
	d.Roster.Remove(jid)
	d.Router.RemoveAgent(jid)
	d.Presence.Forget(jid)
	d.writeAgent(jid, func(r *store.Agent) { r.Profile, r.Removed, r.Paused = nil, true, false },
		then, agents.Unsubscribe(d.DeskJID(), jid))
	d.Log.Info("agent removed at runtime", "agent", jid)
	return nil
}

// The errors of removing an agent.
var (
	ErrNoAgent   = agents.ErrNoAgent
	ErrAgentBusy = agents.ErrBusy
)

// applyStoredAgents lays the agents changed at runtime over the config
// file's, at start-up.
func (d *Desk) applyStoredAgents(recs []*store.Agent) {
	removed, set := d.Roster.ApplyStored(recs)
	for _, j := range removed {
		d.Router.RemoveAgent(j)
	}
	for _, a := range set {
		d.Router.SetAgent(a, d.Now())
	}
}
