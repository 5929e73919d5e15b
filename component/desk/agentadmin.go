package desk

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"switchboard/component/wire"
	"switchboard/routing"
	"switchboard/store"
)

// AgentInfo is an agent as the desk sees it: the profile routing uses,
// where it comes from, and its state and load now.
type AgentInfo struct {
	routing.Agent
	// Runtime is set for an agent added or changed through the API or an
	// ad-hoc command (kept in the store, ahead of the config file).
	Runtime bool
	State   string
	Reason  string // why the agent paused
	Load    int
}

// AgentChange adds or changes an agent at runtime.
type AgentChange struct {
	JID       string
	Name      string
	Skills    map[string]int
	Languages []string
	MaxChats  *int // nil: the default
}

// agentInfo describes one agent.
func (d *Desk) agentInfo(jid string) AgentInfo {
	v := AgentInfo{Agent: d.agents[jid], Runtime: d.runtimeAgents[jid], State: string(d.presence.State(jid)), Load: d.router.Load(jid)}
	v.JID = jid
	_, v.Reason = d.presence.Paused(jid)
	return v
}

// InvalidAgent says what is wrong with an agent change.
type InvalidAgent string

func (e InvalidAgent) Error() string { return string(e) }

// checkAgent turns a change into a routing agent, or says what is wrong
// (an InvalidAgent): the config file's rules apply.
func (d *Desk) checkAgent(ch AgentChange) (routing.Agent, error) {
	a := routing.Agent{JID: ch.JID, Name: ch.Name, Skills: ch.Skills, Languages: ch.Languages}
	if ch.MaxChats != nil {
		a.MaxChats = *ch.MaxChats
	}
	errs := d.cfg.CheckAgent(&a, ch.MaxChats != nil)
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Msg
		}
		return a, InvalidAgent(strings.Join(msgs, "; "))
	}
	return a, nil
}

// setAgent adds or changes an agent at runtime: effective at once, kept in
// the store ahead of the config file. then learns how the write went. It
// runs on the actor.
func (d *Desk) setAgent(a routing.Agent, then func(error)) (created bool) {
	_, exists := d.agents[a.JID]
	d.agents[a.JID] = a
	d.runtimeAgents[a.JID] = true
	delete(d.removedAgents, a.JID)
	d.router.SetAgent(a, d.now())
	profile := &store.AgentProfile{Name: a.Name, Skills: maps.Clone(a.Skills), Languages: slices.Clone(a.Languages), MaxChats: a.MaxChats}
	var out []string
	if !exists {
		// Ask the new agent for their presence, as at start-up.
		out = d.greeting(a.JID)
	}
	d.writeAgent(a.JID, func(r *store.Agent) { r.Profile, r.Removed = profile, false }, then, out...)
	d.log.Info("agent set at runtime", "agent", a.JID, "created", !exists)
	d.routeSoon = true
	return !exists
}

// removeAgent takes an agent out of the desk at runtime. An agent who
// still has conversations is not removed: they are named in the error.
func (d *Desk) removeAgent(jid string, then func(error)) error {
	if _, ok := d.agents[jid]; !ok {
		return ErrNoAgent
	}
	var busy []string
	for _, c := range d.conversationsOf(jid) {
		busy = append(busy, d.convName(c))
	}
	if len(busy) > 0 {
		return fmt.Errorf("%w: %s", ErrAgentBusy, strings.Join(busy, ", "))
	}
	delete(d.agents, jid)
	delete(d.runtimeAgents, jid)
	d.removedAgents[jid] = true
	d.router.RemoveAgent(jid)
	d.presence.Forget(jid)
	d.writeAgent(jid, func(r *store.Agent) { r.Profile, r.Removed, r.Paused = nil, true, false },
		then, wire.Presence{From: d.deskJID(), To: jid, Type: "unsubscribe"}.String())
	d.log.Info("agent removed at runtime", "agent", jid)
	return nil
}

// The errors of removing an agent.
var (
	ErrNoAgent   = errors.New("no such agent")
	ErrAgentBusy = errors.New("the agent still has conversations; close or transfer them first")
)

// applyStoredAgents lays the agents changed at runtime over the config
// file's, at start-up.
func (d *Desk) applyStoredAgents(agents []*store.Agent) {
	for _, r := range agents {
		switch {
		case r.Removed:
			delete(d.agents, r.JID)
			d.removedAgents[r.JID] = true
			d.router.RemoveAgent(r.JID)
		case r.Profile != nil:
			a := routing.Agent{JID: r.JID, Name: r.Profile.Name, Skills: r.Profile.Skills, Languages: r.Profile.Languages, MaxChats: r.Profile.MaxChats}
			d.agents[a.JID] = a
			d.runtimeAgents[a.JID] = true
			d.router.SetAgent(a, d.now())
		}
	}
}
