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
	a, _ := d.roster.Get(jid)
	v := AgentInfo{Agent: a, Runtime: d.roster.Runtime(jid), State: string(d.presence.State(jid)), Load: d.router.Load(jid)}
	v.JID = jid
	_, v.Reason = d.presence.Paused(jid)
	return v
}

// checkAgent turns a change into a routing agent, or says what is wrong
// (an InvalidAgent): the config file's rules apply.
func (d *Desk) checkAgent(ch AgentChange) (routing.Agent, error) { return agents.Check(d.cfg, ch) }

// setAgent adds or changes an agent at runtime: effective at once, kept in
// the store ahead of the config file. then learns how the write went. It
// runs on the actor.
func (d *Desk) setAgent(a routing.Agent, then func(error)) (created bool) {
	created = d.roster.Set(a)
	d.router.SetAgent(a, d.now())
	profile := &store.AgentProfile{Name: a.Name, Skills: maps.Clone(a.Skills), Languages: slices.Clone(a.Languages), MaxChats: a.MaxChats}
	var out []string
	if created {
		// Ask the new agent for their presence, as at start-up.
		out = agents.Greeting(d.deskJID(), a.JID, d.roster.Approved(a.JID))
	}
	d.writeAgent(a.JID, func(r *store.Agent) { r.Profile, r.Removed = profile, false }, then, out...)
	d.log.Info("agent set at runtime", "agent", a.JID, "created", created)
	d.routeSoon = true
	return created
}

// removeAgent takes an agent out of the desk at runtime. An agent who
// still has conversations is not removed: they are named in the error.
func (d *Desk) removeAgent(jid string, then func(error)) error {
	if !d.roster.Is(jid) {
		return ErrNoAgent
	}
	var busy []string
	for _, c := range d.conversationsOf(jid) {
		busy = append(busy, d.convName(c))
	}
	if len(busy) > 0 {
		return fmt.Errorf("%w: %s", ErrAgentBusy, strings.Join(busy, ", "))
	}
	d.roster.Remove(jid)
	d.router.RemoveAgent(jid)
	d.presence.Forget(jid)
	d.writeAgent(jid, func(r *store.Agent) { r.Profile, r.Removed, r.Paused = nil, true, false },
		then, agents.Unsubscribe(d.deskJID(), jid))
	d.log.Info("agent removed at runtime", "agent", jid)
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
	removed, set := d.roster.ApplyStored(recs)
	for _, j := range removed {
		d.router.RemoveAgent(j)
	}
	for _, a := range set {
		d.router.SetAgent(a, d.now())
	}
}
