package routing

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Choosing agents: which free agent each waiting conversation is offered
// to, by the candidate filter and the queue's strategy.

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
