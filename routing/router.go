package routing

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
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
	closed  map[string]bool // queues out of their business hours
}

// New returns a router over the given queues and agents.
func New(avail Availability, queues []Queue, agents []Agent, now time.Time) *Router {
	r := &Router{Aging: DefaultAging, avail: avail, queues: map[string]*Queue{}, agents: map[string]*agentState{}, byID: map[uint64]*waiting{}, closed: map[string]bool{}}
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
// puts it back.
func (r *Router) SetClosed(queue string, closed bool) {
	if closed {
		r.closed[queue] = true
	} else {
		delete(r.closed, queue)
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
func (r *Router) Before(a, b *Conversation) bool {
	return compareWaiting(&waiting{Conversation: a, key: r.key(a)}, &waiting{Conversation: b, key: r.key(b)}) < 0
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
		if q != nil && q.MaxWait > 0 && len(w.offered) == 0 && !r.closed[w.Queue] && now.Sub(w.Since) >= q.MaxWait {
			out = append(out, w.ID)
		}
	}
	return out
}

// Dispatch offers as many waiting conversations as free agents can take,
// oldest (priority-adjusted) first.
func (r *Router) Dispatch(now time.Time) []Offer {
	free := make([]*agentState, 0, 8)
	for _, s := range r.order {
		if r.free(s) {
			free = append(free, s)
		}
	}
	if len(free) == 0 {
		return nil
	}
	// Which queues can any free agent serve at all? Saves looking at every
	// waiting conversation of a queue nobody free can take.
	serves := make(map[string]bool, len(r.queues))
	for name, q := range r.queues {
		if r.closed[name] {
			continue
		}
		for _, s := range free {
			if HasSkills(s.Skills, q.Skills) {
				serves[name] = true
				break
			}
		}
	}
	var offers []Offer
	for _, w := range r.waiting {
		if len(free) == 0 {
			break
		}
		if len(w.offered) > 0 || (!serves[w.Queue] && w.Agent == "") || r.closed[w.Queue] {
			continue
		}
		q := r.queues[w.Queue]
		if q == nil {
			continue
		}
		best := r.pick(q, w, free, now)
		if best == nil {
			continue
		}
		ring := []*agentState{best}
		if q.Strategy == RingAll && w.Agent == "" {
			ring = r.ringAll(q, w, free, best, now)
		}
		o := Offer{Conversation: w.ID, Queue: w.Queue, Agent: best.JID}
		for _, s := range ring {
			w.offered = append(w.offered, s.JID)
			s.load++
			r.picks++
			s.lastPick = r.picks
			if s != best {
				o.Also = append(o.Also, s.JID)
			}
		}
		offers = append(offers, o)
		free = slices.DeleteFunc(free, func(s *agentState) bool { return s.load >= s.MaxChats })
	}
	return offers
}

// ringAll returns everyone a ring-all offer of w goes to: best (the pick)
// and every other free candidate who has not turned it down, ranked as
// longest-idle would; when best is one who turned it down, them alone.
func (r *Router) ringAll(q *Queue, w *waiting, free []*agentState, best *agentState, now time.Time) []*agentState {
	ring := []*agentState{best}
	if w.rejected(best.JID) {
		return ring
	}
	for _, s := range free {
		if s != best && r.skip(q, w, s) == "" && !w.rejected(s.JID) {
			ring = append(ring, s)
		}
	}
	slices.SortStableFunc(ring[1:], func(a, b *agentState) int {
		if r.better(q, a, b, now) {
			return -1
		}
		if r.better(q, b, a, now) {
			return 1
		}
		return 0
	})
	return ring
}

// pick returns the best free candidate for w, or nil.
func (r *Router) pick(q *Queue, w *waiting, free []*agentState, now time.Time) *agentState {
	if w.Agent != "" {
		for _, s := range free {
			if s.JID == w.Agent {
				return s
			}
		}
		return nil
	}
	if w.Prefer != "" && !w.rejected(w.Prefer) {
		for _, s := range free {
			if s.JID == w.Prefer && r.skip(q, w, s) == "" {
				return s
			}
		}
	}
	var best, bestRejected *agentState
	for _, s := range free {
		if r.skip(q, w, s) != "" {
			continue
		}
		if w.rejected(s.JID) {
			if bestRejected == nil || r.better(q, s, bestRejected, now) {
				bestRejected = s
			}
			continue
		}
		if best == nil || r.better(q, s, best, now) {
			best = s
		}
	}
	if best == nil && bestRejected != nil && r.othersQualify(q, w) {
		// Someone who has not turned it down could take it once free: wait.
		return nil
	}
	if best == nil {
		return bestRejected
	}
	return best
}

// othersQualify reports whether an agent who has not rejected w could take
// it but for a full load.
func (r *Router) othersQualify(q *Queue, w *waiting) bool {
	for _, s := range r.order {
		if w.rejected(s.JID) {
			continue
		}
		why := r.skip(q, w, s)
		if why == "" || strings.HasPrefix(why, "full ") {
			return true
		}
	}
	return false
}

// skip returns why agent s cannot take w, or "".
func (r *Router) skip(q *Queue, w *waiting, s *agentState) string {
	if !r.avail.Routable(s.JID) {
		return "not available"
	}
	if s.load >= s.MaxChats {
		return fmt.Sprintf("full %d/%d", s.load, s.MaxChats)
	}
	for skill, min := range q.Skills {
		if s.Skills[skill] < min {
			return fmt.Sprintf("no skill %s≥%d", skill, min)
		}
	}
	if q.MatchLanguage && w.Language != "" && !speaks(s.Languages, w.Language) {
		return "does not speak " + w.Language
	}
	if len(q.RequireFeatures) > 0 && !r.avail.Supports(s.JID, q.RequireFeatures) {
		return "client lacks " + strings.Join(q.RequireFeatures, " ")
	}
	if len(w.Needs) > 0 && !r.avail.Supports(s.JID, w.Needs) {
		return "client lacks " + strings.Join(w.Needs, " ")
	}
	return ""
}

// better reports whether a ranks before b under the queue's strategy.
func (r *Router) better(q *Queue, a, b *agentState, now time.Time) bool {
	switch q.Strategy {
	case LeastBusy:
		if a.load != b.load {
			return a.load < b.load
		}
	case RoundRobin:
		if a.lastPick != b.lastPick {
			return a.lastPick < b.lastPick
		}
	case BestSkill:
		if sa, sb := skillScore(a, q), skillScore(b, q); sa != sb {
			return sa > sb
		}
	}
	if !a.idleFrom.Equal(b.idleFrom) {
		return a.idleFrom.Before(b.idleFrom)
	}
	if a.load != b.load {
		return a.load < b.load
	}
	return a.JID < b.JID
}

// HasSkills reports whether skills meet every minimum level in min.
func HasSkills(skills, min map[string]int) bool {
	for skill, level := range min {
		if skills[skill] < level {
			return false
		}
	}
	return true
}

func skillScore(s *agentState, q *Queue) int {
	n := 0
	for skill := range q.Skills {
		n += s.Skills[skill]
	}
	return n
}

// speaks reports whether langs covers lang ("en" covers "en-GB").
func speaks(langs []string, lang string) bool {
	lang = strings.ToLower(lang)
	for _, l := range langs {
		l = strings.ToLower(l)
		if l == lang || strings.HasPrefix(lang, l+"-") || strings.HasPrefix(l, lang+"-") {
			return true
		}
	}
	return false
}
