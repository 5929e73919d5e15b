package routing

import (
	"cmp"
	"slices"
	"time"
)

// DefaultAging is how much waiting one priority level is worth.
const DefaultAging = time.Minute

type agentState struct {
	Agent
	load     int       // open conversations plus outstanding offers
	idleFrom time.Time // when its last conversation ended, or it was added
	lastPick uint64    // round-robin counter value when last picked
}

// waiting is a conversation in a queue. The router reads the
// conversation through its pointer, so that what the owner learns while
// it waits (a feature the customer used, a decline) counts at once.
type waiting struct {
	*Conversation
	key     time.Time // Since, moved earlier by priority
	offered []string  // agents holding the current offer (several: ring-all)
}

func (w *waiting) rejected(jid string) bool { return slices.Contains(w.Rejected, jid) }

// Router holds the queues, the agents' load and the waiting conversations.
// It is not safe for concurrent use: one goroutine owns it.
type Router struct {
	Aging time.Duration

	avail   Availability
	queues  map[string]*Queue
	agents  map[string]*agentState
	order   []*agentState // by JID, for stable results
	waiting []*waiting    // by key, then ID
	byID    map[uint64]*waiting
	picks   uint64
	closed  map[string]bool      // queues out of their business hours
	opened  map[string]time.Time // when each queue last opened
}

// New returns a router over the given queues and agents.
func New(avail Availability, queues []Queue, agents []Agent, now time.Time) *Router {
	r := &Router{Aging: DefaultAging, avail: avail, queues: map[string]*Queue{}, agents: map[string]*agentState{}, byID: map[uint64]*waiting{}, closed: map[string]bool{}, opened: map[string]time.Time{}}
	for i := range queues {
		q := queues[i]
		r.queues[q.Name] = &q
	}
	for _, a := range agents {
		r.SetAgent(a, now)
	}
	return r
}

// SetAgent adds an agent or changes its skills, languages and capacity.
func (r *Router) SetAgent(a Agent, now time.Time) {
	if s := r.agents[a.JID]; s != nil {
		s.Agent = a
		return
	}
	s := &agentState{Agent: a, idleFrom: now}
	r.agents[a.JID] = s
	i, _ := slices.BinarySearchFunc(r.order, a.JID, func(x *agentState, j string) int { return cmp.Compare(x.JID, j) })
	r.order = slices.Insert(r.order, i, s)
}

// RemoveAgent forgets an agent; its conversations stay where they are.
func (r *Router) RemoveAgent(jid string) {
	delete(r.agents, jid)
	r.order = slices.DeleteFunc(r.order, func(s *agentState) bool { return s.JID == jid })
}

// SetQueues replaces the queues' definitions (a reloaded configuration);
// waiting conversations keep their places.
func (r *Router) SetQueues(queues []Queue) {
	r.queues = map[string]*Queue{}
	for i := range queues {
		q := queues[i]
		r.queues[q.Name] = &q
	}
}

// SetClosed takes a queue out of routing while it is out of its business
// hours (its conversations keep their places and do not overflow), or
// puts it back at now: max_wait counts from then for whoever waited
// through the closed hours.
func (r *Router) SetClosed(queue string, closed bool, now time.Time) {
	if closed {
		r.closed[queue] = true
	} else if r.closed[queue] {
		delete(r.closed, queue)
		r.opened[queue] = now
	}
}

// Closed reports whether a queue is out of its business hours.
func (r *Router) Closed(queue string) bool { return r.closed[queue] }

// Queue returns the named queue, or nil.
func (r *Router) Queue(name string) *Queue { return r.queues[name] }

// Agent returns the named agent, or nil.
func (r *Router) Agent(jid string) *Agent {
	if s := r.agents[jid]; s != nil {
		return &s.Agent
	}
	return nil
}

// Load returns the agent's open conversations plus outstanding offers.
func (r *Router) Load(jid string) int {
	if s := r.agents[jid]; s != nil {
		return s.load
	}
	return 0
}

// CanTake reports whether an agent can take one more conversation now:
// known, routable and below their capacity. It is the one answer to that
// question, for routing and for the desk.
func (r *Router) CanTake(jid string) bool {
	s := r.agents[jid]
	return s != nil && r.free(s)
}

func (r *Router) free(s *agentState) bool { return s.load < s.MaxChats && r.avail.Routable(s.JID) }

// Assigned records that an agent holds a conversation that routing did not
// offer just now (one resumed after a restart).
func (r *Router) Assigned(jid string) {
	if s := r.agents[jid]; s != nil {
		s.load++
	}
}

// IdleSince returns when the agent's last conversation ended (zero when
// none has, or for an unknown agent).
func (r *Router) IdleSince(jid string) time.Time {
	if s := r.agents[jid]; s != nil {
		return s.idleFrom
	}
	return time.Time{}
}

// Release records that an agent's conversation ended at now.
func (r *Router) Release(jid string, now time.Time) {
	if s := r.agents[jid]; s != nil {
		if s.load > 0 {
			s.load--
		}
		s.idleFrom = now
	}
}

// Enqueue adds a conversation to its queue, or puts it in its place again
// after its queue, priority or time queued changed (an outstanding offer
// is withdrawn). The router keeps c, not a copy: its owner changes it only
// on the router's goroutine.
func (r *Router) Enqueue(c *Conversation) {
	if r.byID[c.ID] != nil {
		r.Remove(c.ID)
	}
	w := &waiting{Conversation: c, key: r.key(c)}
	i, _ := slices.BinarySearchFunc(r.waiting, w, compareWaiting)
	r.waiting = slices.Insert(r.waiting, i, w)
	r.byID[c.ID] = w
}

// key is where c goes in its queue: the time it was queued, moved
// earlier by its priority times the queue's aging.
func (r *Router) key(c *Conversation) time.Time {
	aging := r.Aging
	if q := r.queues[c.Queue]; q != nil && q.Aging > 0 {
		aging = q.Aging
	}
	return c.Since.Add(-time.Duration(c.Priority) * aging)
}

// Before reports whether a comes before b in the order of a queue.
func (r *Router) Before(a, b *Conversation) bool { return r.Compare(a, b) < 0 }

// Compare orders two conversations as their queue does (priority and
// aging counted, then by ID): -1, 0 or +1, for sorting.
func (r *Router) Compare(a, b *Conversation) int {
	return compareWaiting(&waiting{Conversation: a, key: r.key(a)}, &waiting{Conversation: b, key: r.key(b)})
}

// Ahead returns how many conversations waiting in c's queue come before
// c, placed as it would be now (priority and aging included).
func (r *Router) Ahead(c *Conversation) int {
	n := 0
	for _, w := range r.waiting {
		if w.Queue == c.Queue && w.ID != c.ID && r.Before(w.Conversation, c) {
			n++
		}
	}
	return n
}

func compareWaiting(a, b *waiting) int {
	if c := a.key.Compare(b.key); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// Remove takes a conversation out of routing (assigned, cancelled, closed).
// An outstanding offer's capacity is given back.
func (r *Router) Remove(id uint64) {
	w := r.byID[id]
	if w == nil {
		return
	}
	delete(r.byID, id)
	i, found := slices.BinarySearchFunc(r.waiting, w, compareWaiting)
	if found {
		r.waiting = slices.Delete(r.waiting, i, i+1)
	}
	for _, a := range w.offered {
		r.unload(a)
	}
}

// unload gives back the capacity an offer to agent held.
func (r *Router) unload(agent string) {
	if s := r.agents[agent]; s != nil && s.load > 0 {
		s.load--
	}
}

// Accept turns the outstanding offer of id into an assignment: the
// conversation leaves the queue and the agent keeps the capacity (the
// others a ring-all offer went to get theirs back).
func (r *Router) Accept(id uint64, agent string) bool {
	w := r.byID[id]
	if w == nil || !slices.Contains(w.offered, agent) {
		return false
	}
	w.offered = slices.DeleteFunc(w.offered, func(a string) bool { return a == agent })
	r.Remove(id)
	return true
}

// Reject records that agent declined or let the offer of id time out (in
// the conversation's Rejected): the conversation waits again and that
// agent is not offered it again unless nobody else qualifies.
func (r *Router) Reject(id uint64, agent string) {
	w := r.byID[id]
	if w == nil {
		return
	}
	if !w.rejected(agent) {
		w.Rejected = append(w.Rejected, agent)
	}
	if w.Agent == agent {
		w.Agent = ""
	}
	if i := slices.Index(w.offered, agent); i >= 0 {
		w.offered = slices.Delete(w.offered, i, i+1)
		r.unload(agent)
	}
}

// Offered returns the agents holding the offer of id: one, several under
// ring-all, or none.
func (r *Router) Offered(id uint64) []string {
	if w := r.byID[id]; w != nil {
		return slices.Clone(w.offered)
	}
	return nil
}

// Waiting reports whether id is in a queue (offered or not).
func (r *Router) Waiting(id uint64) bool { return r.byID[id] != nil }

// Position returns the 1-based place of id among the conversations of its
// queue that wait for an offer, and the queue's length.
func (r *Router) Position(id uint64) (pos, length int) {
	w := r.byID[id]
	if w == nil {
		return 0, 0
	}
	for _, o := range r.waiting {
		if o.Queue != w.Queue {
			continue
		}
		length++
		if o == w {
			pos = length
		}
	}
	return pos, length
}

// QueueLength returns how many conversations wait in each queue.
func (r *Router) QueueLength() map[string]int {
	n := make(map[string]int, len(r.queues))
	for q := range r.queues {
		n[q] = 0
	}
	for _, w := range r.waiting {
		n[w.Queue]++
	}
	return n
}

// Slots returns the chat slots serving a queue: those of the routable
// agents with its skills, and how many of them are free now. It is what
// the wait estimate counts as the queue's servers.
func (r *Router) Slots(queue string) (slots, free int) {
	q := r.queues[queue]
	if q == nil || r.closed[queue] {
		return 0, 0
	}
	for _, s := range r.order {
		if !r.avail.Routable(s.JID) || !HasSkills(s.Skills, q.Skills) {
			continue
		}
		slots += s.MaxChats
		free += max(s.MaxChats-s.load, 0)
	}
	return slots, free
}

// OldestWait returns, per queue, how long its longest-waiting
// conversation has waited at now (0 for an empty queue).
func (r *Router) OldestWait(now time.Time) map[string]time.Duration {
	out := make(map[string]time.Duration, len(r.queues))
	for q := range r.queues {
		out[q] = 0
	}
	for _, w := range r.waiting {
		if d := now.Sub(w.Since); d > out[w.Queue] {
			out[w.Queue] = d
		}
	}
	return out
}

// Expired returns the conversations that have waited longer than their
// queue's max_wait without an outstanding offer.
func (r *Router) Expired(now time.Time) []uint64 {
	var out []uint64
	for _, w := range r.waiting {
		q := r.queues[w.Queue]
		if q != nil && q.MaxWait > 0 && len(w.offered) == 0 && !r.closed[w.Queue] && now.Sub(later(w.Since, r.opened[w.Queue])) >= q.MaxWait {
			out = append(out, w.ID)
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
