package routing

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Explain ranks every agent for the offer of conversation id to chosen, for
// the timeline. Call it right after Dispatch, before the state changes.
func (r *Router) Explain(o Offer, now time.Time) Reason {
	w := r.byID[o.Conversation]
	q := r.queues[o.Queue]
	reason := Reason{}
	if q == nil || w == nil {
		return reason
	}
	reason.Strategy = q.Strategy
	switch {
	case w.Agent == o.Agent:
		reason.Note = "transfer to a named agent"
	case w.Prefer == o.Agent:
		reason.Note = "preferred: handled this conversation before"
	}
	var ranked []*agentState
	var skipped []Verdict
	for _, s := range r.order {
		if s.JID == o.Agent {
			continue
		}
		// The chosen agent's load already counts this offer; others' do not.
		if why := r.skip(q, w, s); why != "" {
			skipped = append(skipped, Verdict{Agent: s.JID, Why: "skipped: " + why})
			continue
		}
		ranked = append(ranked, s)
	}
	sort.SliceStable(ranked, func(i, j int) bool { return r.better(q, ranked[i], ranked[j], now) })
	if c := r.agents[o.Agent]; c != nil {
		reason.Candidates = append(reason.Candidates, Verdict{Agent: c.JID, Chosen: true, Rank: 1, Why: r.describe(q, c, w, now, 1)})
	}
	for i, s := range ranked {
		v := Verdict{Agent: s.JID, Rank: i + 2, Why: r.describe(q, s, w, now, 0)}
		if w.rejected(s.JID) {
			v.Why += ", declined before"
		}
		reason.Candidates = append(reason.Candidates, v)
	}
	reason.Candidates = append(reason.Candidates, skipped...)
	return reason
}

func (r *Router) describe(q *Queue, s *agentState, w *waiting, now time.Time, pending int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "idle %s, load %d/%d", now.Sub(s.idleFrom).Truncate(time.Second), s.load-pending, s.MaxChats)
	if q.Strategy == BestSkill {
		fmt.Fprintf(&b, ", skill %d", skillScore(s, q))
	}
	if q.MatchLanguage && w.Language != "" {
		b.WriteString(", speaks " + w.Language)
	}
	if w.rejected(s.JID) && pending > 0 {
		b.WriteString(", declined before but nobody else qualifies")
	}
	return b.String()
}
