package agents

import (
	"maps"
	"slices"

	"switchboard/component/wire"
	"switchboard/routing"
	"switchboard/store"
)

// Roster is every agent of the desk.
type Roster struct {
	agents   map[string]routing.Agent
	runtime  map[string]bool // profile from the store, ahead of the file
	removed  map[string]bool // removed at runtime, though the file may list them
	approved map[string]bool // approved the desk's presence subscription
}

// New makes a roster of the config file's agents.
func New(file []routing.Agent) *Roster {
	r := &Roster{agents: map[string]routing.Agent{}, runtime: map[string]bool{}, removed: map[string]bool{}, approved: map[string]bool{}}
	for _, a := range file {
		r.agents[a.JID] = a
	}
	return r
}

// Get returns the agent jid.
func (r *Roster) Get(jid string) (routing.Agent, bool) {
	a, ok := r.agents[jid]
	return a, ok
}

// Is reports whether jid is an agent.
func (r *Roster) Is(jid string) bool {
	_, ok := r.agents[jid]
	return ok
}

// Len is the number of agents.
func (r *Roster) Len() int { return len(r.agents) }

// JIDs lists the agents, sorted.
func (r *Roster) JIDs() []string { return slices.Sorted(maps.Keys(r.agents)) }

// Name is what the desk calls an agent: their name, else their JID's
// local part.
func (r *Roster) Name(jid string) string {
	if a, ok := r.agents[jid]; ok && a.Name != "" {
		return a.Name
	}
	return wire.Local(jid)
}

// Runtime reports whether jid's profile was set at runtime.
func (r *Roster) Runtime(jid string) bool { return r.runtime[jid] }

// Approved reports whether jid approved the desk's subscription.
func (r *Roster) Approved(jid string) bool { return r.approved[jid] }

// Approve records an agent's answer to the desk's subscription request;
// it reports whether that changed anything.
func (r *Roster) Approve(jid string, approved bool) bool {
	if !r.Is(jid) || r.approved[jid] == approved {
		return false
	}
	r.approved[jid] = approved
	return true
}

// Set adds or changes an agent at runtime, ahead of the file; it reports
// whether the agent is new.
func (r *Roster) Set(a routing.Agent) (created bool) {
	_, exists := r.agents[a.JID]
	r.agents[a.JID] = a
	r.runtime[a.JID] = true
	delete(r.removed, a.JID)
	return !exists
}

// Remove takes an agent out at runtime, also one the file lists.
func (r *Roster) Remove(jid string) {
	delete(r.agents, jid)
	delete(r.runtime, jid)
	r.removed[jid] = true
}

// ApplyStored lays what the store keeps of agents over the file's, at
// start-up: removals and runtime profiles, approvals and pauses. It
// returns the agents removed and those set, for routing.
func (r *Roster) ApplyStored(recs []*store.Agent) (removed []string, set []routing.Agent) {
	for _, rec := range recs {
		switch {
		case rec.Removed:
			delete(r.agents, rec.JID)
			r.removed[rec.JID] = true
			removed = append(removed, rec.JID)
		case rec.Profile != nil:
			a := routing.Agent{JID: rec.JID, Name: rec.Profile.Name, Skills: rec.Profile.Skills, Languages: rec.Profile.Languages, MaxChats: rec.Profile.MaxChats}
			r.agents[a.JID] = a
			r.runtime[a.JID] = true
			set = append(set, a)
		}
		r.approved[rec.JID] = rec.Approved
	}
	return removed, set
}

// Reload lays a new file's agents under those changed at runtime, which
// win, as at start-up. It returns the agents that are gone and those that
// are new, and every agent as it is now, sorted.
func (r *Roster) Reload(file []routing.Agent) (gone, added []string, now []routing.Agent) {
	want := map[string]routing.Agent{}
	for _, a := range file {
		if !r.removed[a.JID] {
			want[a.JID] = a
		}
	}
	for j := range r.runtime {
		want[j] = r.agents[j]
	}
	for _, j := range r.JIDs() {
		if _, ok := want[j]; !ok {
			delete(r.agents, j)
			gone = append(gone, j)
		}
	}
	for _, j := range slices.Sorted(maps.Keys(want)) {
		if _, ok := r.agents[j]; !ok {
			added = append(added, j)
		}
		r.agents[j] = want[j]
		now = append(now, want[j])
	}
	return gone, added, now
}
