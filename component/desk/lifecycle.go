package desk

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"switchboard/component/desk/view"
	"switchboard/store"
)

// A conversation's life: the statuses it goes through and the moves
// allowed between them. Every change of status goes through transition,
// which does each move's side effects exactly once.
//
//	dialog → queued → offered → open ⇄ pending ⇄ resolved → closed
//	           ↑ ↖______↙ ↘_____↗ |                        |
//	           └── transfer ───────┘      reopen ←──────────┘
//
// and any status but closed → abandoned (or closed).
const (
	dialogS   = store.StatusDialog
	queued    = store.StatusQueued
	offered   = store.StatusOffered
	open      = store.StatusOpen
	pending   = store.StatusPending
	resolved  = store.StatusResolved
	closed    = store.StatusClosed
	abandoned = store.StatusAbandoned
)

// Statuses lists every status, in the order of a conversation's life.
var Statuses = []string{dialogS, queued, offered, open, pending, resolved, closed, abandoned}

// Kinds lists every kind of conversation.
var Kinds = []string{store.KindChat, store.KindCallback, store.KindMessage}

// handling are the statuses in which an agent has the conversation.
var handling = []string{open, pending, resolved}

// moves are the allowed changes of status.
var moves = map[string][]string{
	dialogS:   {queued, closed, abandoned},
	queued:    {offered, open, pending, resolved, closed, abandoned},
	offered:   {queued, open, pending, resolved, closed, abandoned},
	open:      {pending, resolved, queued, closed, abandoned},
	pending:   {open, resolved, queued, closed, abandoned},
	resolved:  {open, pending, queued, closed, abandoned},
	closed:    {open, queued},
	abandoned: {},
}

// allowed reports whether a conversation may go from one status to
// another.
func allowed(from, to string) bool { return slices.Contains(moves[from], to) }

// why says who changes a conversation's status and what for: the timeline
// event and the agent the move is about.
type why struct {
	actor, action, detail string
	agent                 string // offered to, joined, declined
	tell                  string // what the customer is told, when ending
}

// transition moves c to status to as part of step st, with every side
// effect of the move: the router (the router alone counts an agent's
// load), timers, the room, metrics, the timeline, and the notices to the
// customer and the agents. It reports whether the move was allowed.
func (d *Desk) transition(c *conv, st *step, to string, w why) bool {
	from := c.rec.Status
	if !allowed(from, to) {
		d.log.Error("refused a status change the lifecycle does not allow", "conversation", c.rec.ID, "from", from, "to", to, "action", w.action)
		return false
	}
	c.rec.Status = to
	if from == offered {
		c.offerUntil = time.Time{}
	}
	switch {
	case to == closed || to == abandoned:
		d.ended(c, st, w)
	case to == offered:
		d.offered(c, st, w)
	case to == queued && from == offered:
		d.lapsed(c, st, w)
	case to == queued && slices.Contains(handling, from) && w.action == actionDropped:
		d.dropped(c, st, w)
	case to == queued && slices.Contains(handling, from):
		d.transferred(c, st, from, w)
	case to == queued: // from the dialog, or reopened
		d.queued(c, st, from, w)
	case slices.Contains(handling, to) && (from == queued || from == offered) && w.agent != "":
		d.accepted(c, st, w)
	case slices.Contains(handling, to) && (from == queued || from == offered):
		d.handedBack(c, st, w)
	case to == open && from == closed:
		d.reopened(c, st, w)
	default: // between open, pending and resolved
		st.event(w.actor, w.action, from+" → "+to)
	}
	return true
}

// queued: the conversation waits in its queue, from the dialog or
// reopened. Routing takes it once its room is ready.
func (d *Desk) queued(c *conv, st *step, from string, w why) {
	c.route.Since = st.now
	c.rec.DialogNode = ""
	if from == closed {
		d.metrics.reopened.Inc()
		c.route.Prefer = c.rec.Agent
		c.rec.Agent = ""
		c.rec.Overflowed = false
	}
	st.event(w.actor, w.action, w.detail)
	if c.room.Ready && !c.scheduled(st.now) {
		d.router.Enqueue(&c.route)
		d.routeSoon = true
	} else if c.room.Ready {
		// A call back waits out of routing until it is due.
	} else if !c.room.Joined && d.connected {
		st.send(d.joinRoom(c))
	} else if c.room.JID == "" {
		d.joinRoom(c) // registers the room; the presence goes out on connect
	}
}

// offered: routing chose an agent (its load counts the offer already);
// they get an invitation and a summary, and offer_timeout to join.
func (d *Desk) offered(c *conv, st *step, w why) {
	c.rec.Offered = w.agent
	to := w.agent
	if len(c.rec.Ringing) > 1 {
		to = strings.Join(c.rec.Ringing, ", ")
	}
	st.event(w.actor, w.action, to+"; "+w.detail)
	for _, a := range c.offeredTo() {
		st.send(
			d.setAffiliation(c, a, "member"),
			d.invite(c, a, fmt.Sprintf("New conversation %s from %s (queue %s)", d.convName(c), c.rec.Customer, c.route.Queue)),
			d.deskChat(a, view.Offer(d.viewOf(c), st.now.Sub(c.route.Since), c.room.JID)),
		)
	}
	timeout := 30 * time.Second
	if q := d.router.Queue(c.route.Queue); q != nil {
		timeout = q.OfferTimeout
	}
	c.offerUntil = d.after(timeout, timerOffer, c.rec.ID, w.agent)
}

// lapsed: the agent declined or let the offer time out; the conversation
// waits again, and is not offered to them again unless nobody else can
// take it. A transfer to them is called off.
func (d *Desk) lapsed(c *conv, st *step, w why) {
	agent := w.agent
	named := c.route.Agent == agent
	ring := c.offeredTo()
	if len(ring) == 0 {
		ring = []string{agent}
	}
	c.rec.Offered, c.rec.Ringing = "", nil
	result := "declined"
	if w.action == "offer-timeout" {
		result = "timeout"
	}
	for _, a := range ring {
		d.lapseFor(c, st, a, result, w)
	}
	if named && c.rec.Agent != "" {
		reason := d.agentName(agent) + " declined"
		if result == "timeout" {
			reason = d.agentName(agent) + " did not answer"
		}
		c.rec.Status = c.handlingStatus()
		d.handedBack(c, st, why{actor: "desk", action: "transfer-cancelled", detail: reason})
		return
	}
	d.routeSoon = true
}

// lapseFor ends agent's part in c's offer: not offered it again unless
// nobody else can take it, out of the room's members, told when it timed
// out.
func (d *Desk) lapseFor(c *conv, st *step, agent, result string, w why) {
	d.router.Reject(c.rec.ID, agent)
	d.metrics.offers.WithLabelValues(result).Inc()
	st.event(agent, w.action, w.detail)
	st.send(d.setAffiliation(c, agent, "none"))
	if result == "timeout" {
		st.send(d.deskChat(agent, fmt.Sprintf("The offer of %s timed out and went to someone else.", d.convName(c))))
	}
}

// transferred: the agent handed the conversation back to routing, to
// another queue or a named agent; they keep it until the new one joins.
func (d *Desk) transferred(c *conv, st *step, from string, w why) {
	c.rec.TransferFrom = from
	c.rec.Transfers++
	st.event(w.actor, w.action, w.detail)
	d.router.Enqueue(&c.route)
	if c.route.Agent == "" {
		// Not back to the agent who is handing it over, unless nobody
		// else qualifies.
		d.router.Reject(c.rec.ID, c.rec.Agent)
	}
	d.routeSoon = true
}

// handedBack: a transfer ended without a new agent: the one who started
// it keeps the conversation, in the status it had.
func (d *Desk) handedBack(c *conv, st *step, w why) {
	d.router.Remove(c.rec.ID)
	c.rec.Offered, c.rec.Ringing, c.rec.TransferFrom, c.route.Agent = "", nil, "", ""
	st.event(w.actor, w.action, w.detail)
	st.send(d.notice(c, fmt.Sprintf("Transfer cancelled (%s): %s keeps the conversation.", w.detail, d.agentName(c.rec.Agent))))
}

// accepted: an agent joined the room. Joining an offered room accepts the
// offer; an invitation from before a restart still counts, and any offer
// made since is withdrawn. A transfer ends here: the agent handing over
// is free.
func (d *Desk) accepted(c *conv, st *step, w why) {
	agent := w.agent
	ringing := len(c.rec.Ringing) > 1 || len(c.stale) > 1
	others := slices.DeleteFunc(slices.Concat(c.offeredTo(), c.stale), func(a string) bool { return a == agent })
	slices.Sort(others)
	others = slices.Compact(others)
	c.stale = nil
	if !c.isOffered(agent) || !d.router.Accept(c.rec.ID, agent) {
		d.router.Remove(c.rec.ID) // withdraws an offer made since
		d.router.Assigned(agent)
	}
	for _, o := range others {
		st.send(d.setAffiliation(c, o, "none"))
		if ringing {
			// Ring-all: the others' invitations are withdrawn.
			st.send(d.deskChat(o, fmt.Sprintf("%s took %s; its invitation is withdrawn.", d.agentName(agent), d.convName(c))))
		}
	}
	c.rec.Ringing = nil
	d.metrics.offers.WithLabelValues("accepted").Inc()
	prev := c.rec.Agent
	if prev == "" && c.rec.Assigned.IsZero() {
		d.metrics.waitSeconds.WithLabelValues(c.route.Queue).Observe(st.now.Sub(c.route.Since).Seconds())
		d.learnWaited(c, st.now, false)
	} else if prev != "" {
		d.router.Release(prev, st.now)
	}
	c.rec.Agent, c.rec.Offered, c.rec.TransferFrom = agent, "", ""
	c.rec.Leaving = nil // a call back being asked for in the queue: the agent is here now
	c.heldSince = st.now
	if c.rec.Assigned.IsZero() {
		c.rec.Assigned = st.now
	}
	c.route.Agent, c.route.Prefer = "", ""
	reason := w.detail
	if prev != "" {
		reason = "transfer from " + prev + "; " + reason
	}
	st.event(agent, w.action, reason)
	name := d.agentName(agent)
	st.tell(fmt.Sprintf("You are now chatting with %s.", name))
	st.send(d.notice(c, d.recap(c, "for "+name)))
	took := "is now handling this conversation"
	if prev != "" {
		took = "took this conversation over from " + d.agentName(prev)
	}
	st.send(d.notice(c, fmt.Sprintf("%s %s. Everything you write here reaches the customer, except lines starting with %s and /commands.", name, took, d.cfg.Desk.PrivatePrefix)))
}

// reopened: the customer came back within the reopen window to an agent
// who is still in the room and free.
func (d *Desk) reopened(c *conv, st *step, w why) {
	d.metrics.reopened.Inc()
	d.router.Assigned(c.rec.Agent)
	c.heldSince = st.now
	st.event(w.actor, w.action, w.detail)
}

// ended: the conversation is closed or abandoned. The customer is told,
// whoever had it or was offered it is free, and the room goes, unless the
// customer may still rate or reopen it (ReopenUntil).
func (d *Desk) ended(c *conv, st *step, w why) {
	wasQueued := d.router.Waiting(c.rec.ID)
	d.router.Remove(c.rec.ID)
	for _, a := range c.offeredTo() {
		st.send(d.setAffiliation(c, a, "none"))
	}
	c.rec.Ringing = nil
	status := c.rec.Status
	c.rec.Closed = st.now
	c.rec.Resolution = w.detail
	c.rec.Offered, c.rec.TransferFrom = "", ""
	c.route.Agent, c.route.Prefer = "", ""
	st.event(w.actor, status, w.detail)
	if w.tell != "" {
		st.tell(w.tell)
	}
	if c.rec.Agent != "" {
		d.router.Release(c.rec.Agent, st.now)
		d.learnHandled(c, st.now)
	} else if wasQueued {
		d.learnWaited(c, st.now, true)
	}
	d.metrics.outcomes.WithLabelValues(status).Inc()
	if c.rec.Agent != "" || wasQueued {
		d.routeSoon = true // capacity freed up
	}
	if !c.rec.ReopenUntil.IsZero() {
		if c.room.JID != "" {
			st.send(d.notice(c, fmt.Sprintf("Conversation %s: %s. The customer can reopen it until %s; the room stays until then.", status, w.detail, c.rec.ReopenUntil.Format("15:04"))))
		}
		d.after(c.rec.ReopenUntil.Sub(st.now), timerWindow, c.rec.ID, "")
		return
	}
	if c.room.JID != "" {
		st.send(d.notice(c, "Conversation "+status+": "+w.detail))
	}
	st.send(d.forget(c, "conversation "+status)...)
}
