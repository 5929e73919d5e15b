package core

import (
	"slices"
	"strings"
	"time"

	"switchboard/component/desk/view"
	"switchboard/component/texts"
	"switchboard/store"
)

// A conversation's life: the statuses it goes through and the moves
// allowed between them. Every change of status goes through transition,
// which does each move's side effects exactly once.
//
//	dialog → Queued → Offered → Open ⇄ Pending ⇄ Resolved → Closed
//	           ↑ ↖______↙ ↘_____↗ |                        |
//	           └── transfer ───────┘      reopen ←──────────┘
//
// and any status but Closed → Abandoned (or Closed).
const (
	Dialog    = store.StatusDialog
	Queued    = store.StatusQueued
	Offered   = store.StatusOffered
	Open      = store.StatusOpen
	Pending   = store.StatusPending
	Resolved  = store.StatusResolved
	Closed    = store.StatusClosed
	Abandoned = store.StatusAbandoned
)

// Statuses lists every status, in the order of a conversation's life.
var Statuses = []string{Dialog, Queued, Offered, Open, Pending, Resolved, Closed, Abandoned}

// Kinds lists every kind of conversation.
var Kinds = []string{store.KindChat, store.KindCallback, store.KindMessage}

// Handling are the statuses in which an agent has the conversation.
var Handling = []string{Open, Pending, Resolved}

// moves are the allowed changes of status.
var moves = map[string][]string{
	Dialog:    {Queued, Closed, Abandoned},
	Queued:    {Offered, Open, Pending, Resolved, Closed, Abandoned},
	Offered:   {Queued, Open, Pending, Resolved, Closed, Abandoned},
	Open:      {Pending, Resolved, Queued, Closed, Abandoned},
	Pending:   {Open, Resolved, Queued, Closed, Abandoned},
	Resolved:  {Open, Pending, Queued, Closed, Abandoned},
	Closed:    {Open, Queued},
	Abandoned: {},
}

// allowed reports whether a conversation may go from one status to
// another.
func allowed(from, to string) bool { return slices.Contains(moves[from], to) }

// Why says who changes a conversation's status and what for: the timeline
// event and the agent the move is about.
type Why struct {
	Actor, Action, Detail string
	Agent                 string // offered to, joined, declined
	// Tell is what the customer is told when it ends, with Args.
	Tell texts.Key
	Args texts.A
	// Reason is why a transfer was called off, for the room.
	Reason string
}

// Transition moves c to status to as part of step st, with every side
// effect of the move: the router (the router alone counts an agent's
// load), timers, the room, metrics, the timeline, and the notices to the
// customer and the agents. It reports whether the move was allowed.
func (d *Desk) Transition(c *Conv, st *Step, to string, w Why) bool {
	from := c.Rec.Status
	if !allowed(from, to) {
		d.Log.Error("refused a status change the lifecycle does not allow", "conversation", c.Rec.ID, "from", from, "to", to, "action", w.Action)
		return false
	}
	c.Rec.Status = to
	if from == Offered {
		c.OfferUntil = time.Time{}
	}
	switch {
	case to == Closed || to == Abandoned:
		d.ended(c, st, w)
	case to == Offered:
		d.offered(c, st, w)
	case to == Queued && from == Offered:
		d.lapsed(c, st, w)
	case to == Queued && slices.Contains(Handling, from) && w.Action == actionDropped:
		d.dropped(c, st, w)
	case to == Queued && slices.Contains(Handling, from):
		d.transferred(c, st, from, w)
	case to == Queued: // from the dialog, or reopened
		d.queued(c, st, from, w)
	case slices.Contains(Handling, to) && (from == Queued || from == Offered) && w.Agent != "":
		d.accepted(c, st, w)
	case slices.Contains(Handling, to) && (from == Queued || from == Offered):
		d.handedBack(c, st, w)
	case to == Open && from == Closed:
		d.reopened(c, st, w)
	default: // between open, pending and resolved
		st.Event(w.Actor, w.Action, from+" → "+to)
	}
	return true
}

// queued: the conversation waits in its queue, from the dialog or
// reopened. Routing takes it once its room is ready.
func (d *Desk) queued(c *Conv, st *Step, from string, w Why) {
	c.Route.Since = st.Now
	c.Rec.DialogNode = ""
	if from == Closed {
		d.Metrics.Reopened.Inc()
		c.Route.Prefer = c.Rec.Agent
		c.Rec.Agent = ""
		c.Rec.Overflowed = false
	}
	st.Event(w.Actor, w.Action, w.Detail)
	if c.Room.Ready && !c.Scheduled(st.Now) {
		d.Router.Enqueue(&c.Route)
		d.RouteSoon = true
	} else if c.Room.Ready {
		// A call back waits out of routing until it is due.
	} else if !c.Room.Joined && d.Online {
		st.Send(d.JoinRoom(c))
	} else if c.Room.JID == "" {
		d.JoinRoom(c) // registers the room; the presence goes out on connect
	}
}

// offered: routing chose an agent (its load counts the offer already);
// they get an invitation and a summary, and offer_timeout to join.
func (d *Desk) offered(c *Conv, st *Step, w Why) {
	c.Rec.Offered = w.Agent
	to := w.Agent
	if len(c.Rec.Ringing) > 1 {
		to = strings.Join(c.Rec.Ringing, ", ")
	}
	st.Event(w.Actor, w.Action, to+"; "+w.Detail)
	for _, a := range c.OfferedTo() {
		st.Send(
			d.SetAffiliation(c, a, "member"),
			d.Invite(c, a, d.Staff().Get(texts.OfferInvitation, texts.A{"name": d.ConvName(c), "customer": c.Rec.Customer, "queue": c.Route.Queue})),
			d.DeskChat(a, view.Offer(d.Staff(), d.ViewOf(c), st.Now.Sub(c.Route.Since), c.Room.JID)),
		)
	}
	timeout := 30 * time.Second
	if q := d.Router.Queue(c.Route.Queue); q != nil {
		timeout = q.OfferTimeout
	}
	c.OfferUntil = d.After(timeout, TimerOffer, c.Rec.ID, w.Agent)
}

// lapsed: the agent declined or let the offer time out; the conversation
// waits again, and is not offered to them again unless nobody else can
// take it. A transfer to them is called off.
func (d *Desk) lapsed(c *Conv, st *Step, w Why) {
	agent := w.Agent
	named := c.Route.Agent == agent
	ring := c.OfferedTo()
	if len(ring) == 0 {
		ring = []string{agent}
	}
	c.Rec.Offered, c.Rec.Ringing = "", nil
	result := "declined"
	if w.Action == "offer-timeout" {
		result = "timeout"
	}
	for _, a := range ring {
		d.lapseFor(c, st, a, result, w)
	}
	if named && c.Rec.Agent != "" {
		reason, key := d.AgentName(agent)+" declined", texts.TransferDeclined
		if result == "timeout" {
			reason, key = d.AgentName(agent)+" did not answer", texts.TransferNoAnswer
		}
		c.Rec.Status = c.HandlingStatus()
		d.handedBack(c, st, Why{Actor: "desk", Action: "transfer-cancelled", Detail: reason, Reason: d.Staff().Get(key, texts.A{"agent": d.AgentName(agent)})})
		return
	}
	d.RouteSoon = true
}

// lapseFor ends agent's part in c's offer: not offered it again unless
// nobody else can take it, out of the room's members, told when it timed
// out.
func (d *Desk) lapseFor(c *Conv, st *Step, agent, result string, w Why) {
	d.Router.Reject(c.Rec.ID, agent)
	d.Metrics.Offers.WithLabelValues(result).Inc()
	st.Event(agent, w.Action, w.Detail)
	st.Send(d.SetAffiliation(c, agent, "none"))
	if result == "timeout" {
		st.Send(d.DeskChat(agent, d.Staff().Get(texts.OfferTimedOut, texts.A{"name": d.ConvName(c)})))
	}
}

// transferred: the agent handed the conversation back to routing, to
// another queue or a named agent; they keep it until the new one joins.
func (d *Desk) transferred(c *Conv, st *Step, from string, w Why) {
	c.Rec.TransferFrom = from
	c.Rec.Transfers++
	st.Event(w.Actor, w.Action, w.Detail)
	d.Router.Enqueue(&c.Route)
	if c.Route.Agent == "" {
		// Not back to the agent who is handing it over, unless nobody
		// else qualifies.
		d.Router.Reject(c.Rec.ID, c.Rec.Agent)
	}
	d.RouteSoon = true
}

// handedBack: a transfer ended without a new agent: the one who started
// it keeps the conversation, in the status it had.
func (d *Desk) handedBack(c *Conv, st *Step, w Why) {
	d.Router.Remove(c.Rec.ID)
	c.Rec.Offered, c.Rec.Ringing, c.Rec.TransferFrom, c.Route.Agent = "", nil, "", ""
	st.Event(w.Actor, w.Action, w.Detail)
	st.Send(d.Note(c, texts.TransferCancelled, texts.A{"reason": w.Reason, "agent": d.AgentName(c.Rec.Agent)}))
}

// accepted: an agent joined the room. Joining an offered room accepts the
// offer; an invitation from before a restart still counts, and any offer
// made since is withdrawn. A transfer ends here: the agent handing over
// is free.
func (d *Desk) accepted(c *Conv, st *Step, w Why) {
	agent := w.Agent
	ringing := len(c.Rec.Ringing) > 1 || len(c.Stale) > 1
	others := slices.DeleteFunc(slices.Concat(c.OfferedTo(), c.Stale), func(a string) bool { return a == agent })
	slices.Sort(others)
	others = slices.Compact(others)
	c.Stale = nil
	if !c.IsOffered(agent) || !d.Router.Accept(c.Rec.ID, agent) {
		d.Router.Remove(c.Rec.ID) // withdraws an offer made since
		d.Router.Assigned(agent)
	}
	for _, o := range others {
		st.Send(d.SetAffiliation(c, o, "none"))
		if ringing {
			// Ring-all: the others' invitations are withdrawn.
			st.Send(d.DeskChat(o, d.Staff().Get(texts.OfferWithdrawn, texts.A{"agent": d.AgentName(agent), "name": d.ConvName(c)})))
		}
	}
	c.Rec.Ringing = nil
	d.Metrics.Offers.WithLabelValues("accepted").Inc()
	prev := c.Rec.Agent
	if prev == "" && c.Rec.Assigned.IsZero() {
		d.Metrics.WaitSeconds.WithLabelValues(c.Route.Queue).Observe(st.Now.Sub(c.Route.Since).Seconds())
		d.LearnWaited(c, st.Now, false)
	} else if prev != "" {
		d.Router.Release(prev, st.Now)
	}
	c.Rec.Agent, c.Rec.Offered, c.Rec.TransferFrom = agent, "", ""
	c.Rec.Leaving = nil // a call back being asked for in the queue: the agent is here now
	c.HeldSince = st.Now
	if c.Rec.Assigned.IsZero() {
		c.Rec.Assigned = st.Now
	}
	c.Route.Agent, c.Route.Prefer = "", ""
	reason := w.Detail
	if prev != "" {
		reason = "transfer from " + prev + "; " + reason
	}
	st.Event(agent, w.Action, reason)
	name := d.AgentName(agent)
	st.Say(texts.NowChatting, texts.A{"agent": name})
	st.Send(d.Notice(c, d.Recap(c, d.Staff().Get(texts.RecapFor, texts.A{"agent": name}))))
	if prev != "" {
		st.Send(d.Note(c, texts.TookOver, texts.A{"agent": name, "previous": d.AgentName(prev), "prefix": d.Cfg.Desk.PrivatePrefix}))
	} else {
		st.Send(d.Note(c, texts.Handling, texts.A{"agent": name, "prefix": d.Cfg.Desk.PrivatePrefix}))
	}
}

// reopened: the customer came back within the reopen window to an agent
// who is still in the room and free.
func (d *Desk) reopened(c *Conv, st *Step, w Why) {
	d.Metrics.Reopened.Inc()
	d.Router.Assigned(c.Rec.Agent)
	c.HeldSince = st.Now
	st.Event(w.Actor, w.Action, w.Detail)
}

// ended: the conversation is closed or abandoned. The customer is told,
// whoever had it or was offered it is free, and the room goes, unless the
// customer may still rate or reopen it (ReopenUntil).
func (d *Desk) ended(c *Conv, st *Step, w Why) {
	wasQueued := d.Router.Waiting(c.Rec.ID)
	d.Router.Remove(c.Rec.ID)
	for _, a := range c.OfferedTo() {
		st.Send(d.SetAffiliation(c, a, "none"))
	}
	c.Rec.Ringing = nil
	status := c.Rec.Status
	c.Rec.Closed = st.Now
	c.Rec.Resolution = w.Detail
	c.Rec.Offered, c.Rec.TransferFrom = "", ""
	c.Route.Agent, c.Route.Prefer = "", ""
	st.Event(w.Actor, status, w.Detail)
	if w.Tell != "" {
		st.Say(w.Tell, w.Args)
	}
	if c.Rec.Agent != "" {
		d.Router.Release(c.Rec.Agent, st.Now)
		d.learnHandled(c, st.Now)
	} else if wasQueued {
		d.LearnWaited(c, st.Now, true)
	}
	d.Metrics.Outcomes.WithLabelValues(status).Inc()
	if c.Rec.Agent != "" || wasQueued {
		d.RouteSoon = true // capacity freed up
	}
	if !c.Rec.ReopenUntil.IsZero() {
		if c.Room.JID != "" {
			st.Send(d.Note(c, texts.EndedHeld, texts.A{"status": status, "resolution": w.Detail, "until": d.Staff().Clock(c.Rec.ReopenUntil)}))
		}
		d.After(c.Rec.ReopenUntil.Sub(st.Now), TimerWindow, c.Rec.ID, "")
		return
	}
	if c.Room.JID != "" {
		st.Send(d.Note(c, texts.Ended, texts.A{"status": status, "resolution": w.Detail}))
	}
	st.Send(d.forget(c, "conversation "+status)...)
}
