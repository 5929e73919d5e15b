package component

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"switchboard/component/wire"
	"switchboard/routing"
	"switchboard/store"
)

// AgentView is an agent as the HTTP API and the CLI show it.
type AgentView struct {
	JID       string         `json:"jid"`
	Name      string         `json:"name"`
	Skills    map[string]int `json:"skills"`
	Languages []string       `json:"languages"`
	MaxChats  int            `json:"max_chats"`
	// Source is "config" for an agent as the config file has it, and
	// "runtime" for one added or changed through the API or an ad-hoc
	// command (kept in the store, ahead of the file).
	Source string `json:"source"`
	State  string `json:"state"`
	Reason string `json:"pause_reason,omitempty"`
	Load   int    `json:"load"`
}

// AgentInput is the body of PUT /api/v1/agents/{jid}.
type AgentInput struct {
	Name      string         `json:"name"`
	Skills    map[string]int `json:"skills"`
	Languages []string       `json:"languages"`
	MaxChats  *int           `json:"max_chats"`
}

// agentView describes one agent. It runs on the actor.
func (d *Desk) agentView(jid string) AgentView {
	a := d.agents[jid]
	v := AgentView{JID: jid, Name: a.Name, Skills: a.Skills, Languages: a.Languages, MaxChats: a.MaxChats,
		Source: "config", State: string(d.presence.State(jid)), Load: d.router.Load(jid)}
	if d.runtimeAgents[jid] {
		v.Source = "runtime"
	}
	if v.Skills == nil {
		v.Skills = map[string]int{}
	}
	if v.Languages == nil {
		v.Languages = []string{}
	}
	_, v.Reason = d.presence.Paused(jid)
	return v
}

// checkAgent turns input into a routing agent, or says what is wrong.
func (d *Desk) checkAgent(jid string, in AgentInput) (routing.Agent, error) {
	a := routing.Agent{JID: jid, Name: in.Name, Skills: in.Skills, Languages: in.Languages}
	if in.MaxChats != nil {
		a.MaxChats = *in.MaxChats
	}
	errs := d.cfg.CheckAgent(&a, in.MaxChats != nil)
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Msg
		}
		return a, fmt.Errorf("%s", strings.Join(msgs, "; "))
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
	d.router.SetAgent(a, d.now())
	profile := &store.AgentProfile{Name: a.Name, Skills: maps.Clone(a.Skills), Languages: slices.Clone(a.Languages), MaxChats: a.MaxChats}
	var out []string
	if !exists {
		// Ask the new agent for their presence, as at start-up.
		out = append(out, wire.Presence{From: d.deskJID(), To: a.JID, Type: "subscribe"}.String(),
			wire.Presence{From: d.deskJID(), To: a.JID, Status: "switchboard desk"}.String())
	}
	d.writeThen(func(tx *store.Tx) error {
		r, err := tx.Agent(a.JID)
		if err != nil {
			return err
		}
		r.Profile, r.Removed = profile, false
		return tx.PutAgent(r)
	}, then, out...)
	d.log.Info("agent set at runtime", "agent", a.JID, "created", !exists)
	d.routeSoon = true
	return !exists
}

// removeAgent takes an agent out of the desk at runtime. An agent who
// still has conversations is not removed: they are named in the error.
func (d *Desk) removeAgent(jid string, then func(error)) error {
	if _, ok := d.agents[jid]; !ok {
		return errNoAgent
	}
	var busy []string
	for _, c := range d.conversationsOf(jid) {
		busy = append(busy, d.convName(c))
	}
	if len(busy) > 0 {
		return fmt.Errorf("%w: %s", errAgentBusy, strings.Join(busy, ", "))
	}
	delete(d.agents, jid)
	delete(d.runtimeAgents, jid)
	d.router.RemoveAgent(jid)
	d.presence.Forget(jid)
	d.writeThen(func(tx *store.Tx) error {
		r, err := tx.Agent(jid)
		if err != nil {
			return err
		}
		r.Profile, r.Removed, r.Paused = nil, true, false
		return tx.PutAgent(r)
	}, then, wire.Presence{From: d.deskJID(), To: jid, Type: "unsubscribe"}.String())
	d.log.Info("agent removed at runtime", "agent", jid)
	return nil
}

var (
	errNoAgent   = fmt.Errorf("no such agent")
	errAgentBusy = fmt.Errorf("the agent still has conversations; close or transfer them first")
)

// applyStoredAgents lays the agents changed at runtime over the config
// file's, at start-up.
func (d *Desk) applyStoredAgents(agents []*store.Agent) {
	for _, r := range agents {
		switch {
		case r.Removed:
			delete(d.agents, r.JID)
			d.router.RemoveAgent(r.JID)
		case r.Profile != nil:
			a := routing.Agent{JID: r.JID, Name: r.Profile.Name, Skills: r.Profile.Skills, Languages: r.Profile.Languages, MaxChats: r.Profile.MaxChats}
			d.agents[a.JID] = a
			d.runtimeAgents[a.JID] = true
			d.router.SetAgent(a, d.now())
		}
	}
}
