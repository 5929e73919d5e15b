package presence

import (
	"slices"
	"sort"
	"time"
)

// Show is an XMPP availability: "" (plain available), chat, away, xa, dnd.
type Show string

// The values of Show.
const (
	ShowAvailable Show = ""
	ShowChat      Show = "chat"
	ShowAway      Show = "away"
	ShowXA        Show = "xa"
	ShowDND       Show = "dnd"
)

// State is an agent's availability as the desk reports it.
type State string

// The states of an agent.
const (
	StateAvailable State = "available" // routable
	StateAway      State = "away"      // online but its show is not routable
	StatePaused    State = "paused"    // online, but said pause
	StateOffline   State = "offline"   // no resource online
)

// States lists every State, for metrics.
var States = []State{StateAvailable, StateAway, StatePaused, StateOffline}

// Resource is one connected client of an agent.
type Resource struct {
	Show     Show
	Priority int
	Caps     string   // XEP-0115 ver, if the presence carried one
	Features []string // sorted disco features, once known
}

type agent struct {
	resources map[string]*Resource
	paused    bool
	reason    string
	since     time.Time
}

// Tracker holds the presence of every agent. It is not safe for concurrent
// use: one goroutine owns it.
type Tracker struct {
	agents     map[string]*agent
	unroutable map[Show]bool
}

// New returns a tracker in which the given shows make an agent unroutable.
// With none given, away, xa and dnd do.
func New(unroutable ...Show) *Tracker {
	if len(unroutable) == 0 {
		unroutable = []Show{ShowAway, ShowXA, ShowDND}
	}
	t := &Tracker{agents: map[string]*agent{}, unroutable: map[Show]bool{}}
	for _, s := range unroutable {
		t.unroutable[s] = true
	}
	return t
}

// SetUnroutable changes which shows make an agent unroutable (a reloaded
// configuration); with none given, away, xa and dnd do.
func (t *Tracker) SetUnroutable(unroutable ...Show) {
	if len(unroutable) == 0 {
		unroutable = []Show{ShowAway, ShowXA, ShowDND}
	}
	t.unroutable = map[Show]bool{}
	for _, s := range unroutable {
		t.unroutable[s] = true
	}
}

func (t *Tracker) get(bare string) *agent {
	a := t.agents[bare]
	if a == nil {
		a = &agent{resources: map[string]*Resource{}}
		t.agents[bare] = a
	}
	return a
}

// Available records that resource of agent bare is online with show and
// priority, and caps (may be empty). It reports whether the agent's state
// changed, and whether the resource's caps are new so its features should
// be looked up.
func (t *Tracker) Available(bare, resource string, show Show, priority int, caps string) (changed, newCaps bool) {
	a := t.get(bare)
	before := t.state(a)
	r := a.resources[resource]
	if r == nil {
		r = &Resource{}
		a.resources[resource] = r
	}
	r.Show, r.Priority = show, priority
	if caps != r.Caps || caps == "" && r.Features == nil {
		newCaps = true
		r.Caps, r.Features = caps, nil
	}
	return t.state(a) != before, newCaps
}

// Unavailable records that a resource went offline; an empty resource takes
// every resource of the agent offline.
func (t *Tracker) Unavailable(bare, resource string) (changed bool) {
	a := t.agents[bare]
	if a == nil {
		return false
	}
	before := t.state(a)
	if resource == "" {
		clear(a.resources)
	} else {
		delete(a.resources, resource)
	}
	return t.state(a) != before
}

// SetFeatures records the disco features of one resource.
func (t *Tracker) SetFeatures(bare, resource string, features []string) {
	a := t.agents[bare]
	if a == nil || a.resources[resource] == nil {
		return
	}
	f := slices.Clone(features)
	sort.Strings(f)
	a.resources[resource].Features = f
}

// Pause takes an agent out of routing until Ready.
func (t *Tracker) Pause(bare, reason string, now time.Time) (changed bool) {
	a := t.get(bare)
	before := t.state(a)
	a.paused, a.reason, a.since = true, reason, now
	return t.state(a) != before
}

// Ready puts a paused agent back into routing.
func (t *Tracker) Ready(bare string) (changed bool) {
	a := t.get(bare)
	before := t.state(a)
	a.paused, a.reason = false, ""
	return t.state(a) != before
}

// Paused reports whether the agent paused, with the reason given.
func (t *Tracker) Paused(bare string) (bool, string) {
	a := t.agents[bare]
	if a == nil {
		return false, ""
	}
	return a.paused, a.reason
}

// Forget drops everything known about an agent (removed from the desk).
func (t *Tracker) Forget(bare string) { delete(t.agents, bare) }

// Reset takes every resource offline (the connection to the server was
// lost, so nothing known about presence is current). Pauses stay.
func (t *Tracker) Reset() {
	for _, a := range t.agents {
		clear(a.resources)
	}
}

// State returns the agent's state.
func (t *Tracker) State(bare string) State {
	a := t.agents[bare]
	if a == nil {
		return StateOffline
	}
	return t.state(a)
}

func (t *Tracker) state(a *agent) State {
	if len(a.resources) == 0 {
		return StateOffline
	}
	if a.paused {
		return StatePaused
	}
	for _, r := range a.resources {
		if t.routable(r) {
			return StateAvailable
		}
	}
	return StateAway
}

func (t *Tracker) routable(r *Resource) bool {
	return r.Priority >= 0 && !t.unroutable[r.Show]
}

// Routable reports whether the agent may be offered a conversation now.
func (t *Tracker) Routable(bare string) bool {
	return t.State(bare) == StateAvailable
}

// Supports reports whether one routable resource of the agent has every
// feature in needs. Features of a resource not yet discovered count as
// missing, so a conversation that needs nothing never waits for discovery.
func (t *Tracker) Supports(bare string, needs []string) bool {
	a := t.agents[bare]
	if a == nil || a.paused {
		return false
	}
	for _, r := range a.resources {
		if t.routable(r) && hasAll(r.Features, needs) {
			return true
		}
	}
	return false
}

// Best returns the resource that counts for the agent: the routable one
// with the highest priority (then the most available show), or "".
func (t *Tracker) Best(bare string) string {
	a := t.agents[bare]
	if a == nil {
		return ""
	}
	best, bestR := "", (*Resource)(nil)
	for name, r := range a.resources {
		if bestR == nil || better(r, bestR) || !better(bestR, r) && name < best {
			best, bestR = name, r
		}
	}
	return best
}

var showRank = map[Show]int{ShowChat: 0, ShowAvailable: 1, ShowAway: 2, ShowXA: 3, ShowDND: 4}

func better(a, b *Resource) bool {
	if a.Priority != b.Priority {
		return a.Priority > b.Priority
	}
	return showRank[a.Show] < showRank[b.Show]
}

// Resources returns a copy of the agent's resources.
func (t *Tracker) Resources(bare string) map[string]Resource {
	out := map[string]Resource{}
	if a := t.agents[bare]; a != nil {
		for k, r := range a.resources {
			out[k] = *r
		}
	}
	return out
}

// Count returns how many of the given agents are in each state.
func (t *Tracker) Count(agents []string) map[State]int {
	n := map[State]int{}
	for _, s := range States {
		n[s] = 0
	}
	for _, a := range agents {
		n[t.State(a)]++
	}
	return n
}

func hasAll(have, needs []string) bool {
	for _, n := range needs {
		if _, ok := slices.BinarySearch(have, n); !ok {
			return false
		}
	}
	return true
}
