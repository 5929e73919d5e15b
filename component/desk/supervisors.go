package desk

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/component/desk/view"
)

// Supervisors (desk.supervisors, and the admins) watch the floor from a
// chat with the desk, step into a conversation's room as silent
// consultants, and take a conversation over or hand it to an agent.

func (d *Desk) isSupervisor(jid string) bool { return slices.Contains(d.cfg.Supervisors(), jid) }

func cmdFloor(d *Desk, x cmdCtx, args string) string {
	now := d.now()
	page := 1
	if args != "" {
		n, err := strconv.Atoi(args)
		if err != nil || n < 1 || n > 1000 {
			return "usage: floor [PAGE]"
		}
		page = n
	}
	var agents []view.Agent
	for _, j := range d.roster.JIDs() {
		a, _ := d.roster.Get(j)
		v := view.Agent{Name: d.agentName(j), State: string(d.presence.State(j)), Load: d.router.Load(j), MaxChats: a.MaxChats}
		if since := d.router.IdleSince(j); !since.IsZero() {
			v.Idle, v.Idling = now.Sub(since), true
		}
		agents = append(agents, v)
	}
	var ids []uint64
	for id, c := range d.convs {
		if slices.Contains(handling, c.rec.Status) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	pages := max(1, (len(ids)+view.FloorPage-1)/view.FloorPage)
	if page > pages {
		return fmt.Sprintf("There are %d pages.", pages)
	}
	var open []view.Open
	for _, id := range ids[min(len(ids), (page-1)*view.FloorPage):min(len(ids), page*view.FloorPage)] {
		c := d.convs[id]
		o := view.Open{Name: d.convName(c), Agent: d.agentName(c.rec.Agent), Queue: c.route.Queue, Age: now.Sub(c.rec.Created)}
		if !c.waitingSince.IsZero() {
			o.CustomerWaiting, o.Waiting = now.Sub(c.waitingSince), true
		}
		open = append(open, o)
	}
	return view.Floor(d.floorQueues(now), agents, open, len(ids), page, pages)
}

// floorQueues is what waits in each queue, with the longest wait.
func (d *Desk) floorQueues(now time.Time) []view.Queue {
	lengths := d.router.QueueLength()
	oldest := d.router.OldestWait(now)
	var out []view.Queue
	for _, q := range d.cfg.Queues {
		w, ok := oldest[q.Name]
		out = append(out, view.Queue{Name: q.Name, Waiting: lengths[q.Name], Oldest: w, HasOldest: ok})
	}
	return out
}

func cmdJoin(d *Desk, x cmdCtx, args string) string {
	id, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(args), d.cfg.XMPP.RoomPrefix), 10, 64)
	if err != nil {
		return "usage: join N (a conversation's number, or " + d.cfg.XMPP.RoomPrefix + "N)"
	}
	c := d.convs[id]
	switch {
	case c == nil || !c.rec.Open():
		return fmt.Sprintf("There is no open conversation %d.", id)
	case c.room.JID == "":
		return fmt.Sprintf("%s is still in the dialog: it has no room yet.", d.convName(c))
	case c.room.Has(x.jid):
		return fmt.Sprintf("You are in %s already.", c.room.JID)
	}
	if c.room.Consultants == nil {
		c.room.Consultants = map[string]bool{}
	}
	c.room.Consultants[x.jid] = true
	st := d.step(c)
	st.same = true
	st.event(x.jid, "supervisor-join", "")
	st.send(
		d.setAffiliation(c, x.jid, "member"),
		d.invite(c, x.jid, fmt.Sprintf("Supervising %s (%s)", d.convName(c), c.rec.Customer)),
	)
	st.commit()
	return fmt.Sprintf("Invited you into %s. The customer does not see who is in the room and gets nothing you write there; in the room, /takeover takes the conversation and /assign JID hands it to an agent.", c.room.JID)
}

func cmdTakeover(d *Desk, x cmdCtx, _ string) string {
	c := x.c
	if c.rec.Agent == x.jid {
		return "You have this conversation already."
	}
	if !c.rec.Open() {
		return "The conversation is " + c.rec.Status + "."
	}
	if c.rec.Status == offered {
		return "It is being offered to " + d.offeredNames(c) + " right now; try again in a moment."
	}
	st := d.step(c)
	if slices.Contains(handling, c.rec.Status) {
		c.route.Agent = x.jid
		d.transition(c, st, queued, why{actor: x.jid, action: "transfer", detail: "taken over by " + x.jid})
	}
	if c.room.Consultants != nil {
		delete(c.room.Consultants, x.jid)
	}
	d.transition(c, st, open, why{actor: x.jid, action: "takeover", agent: x.jid, detail: "by a supervisor"})
	st.commit()
	return ""
}

func cmdAssign(d *Desk, x cmdCtx, args string) string {
	c := x.c
	target := strings.ToLower(strings.TrimSpace(args))
	if !strings.Contains(target, "@") {
		return "usage: /assign JID (an agent of the desk)"
	}
	if !d.roster.Is(target) {
		return fmt.Sprintf("%s is not one of the desk's agents.", truncate(target, 64))
	}
	switch {
	case slices.Contains(handling, c.rec.Status):
		return cmdTransfer(d, x, target)
	case c.rec.Status == queued && c.rec.Agent == "":
		c.route.Agent = target
		d.router.Enqueue(&c.route)
		d.routeSoon = true
		st := d.step(c)
		st.event(x.jid, "assign", "to "+target)
		st.commit()
		return fmt.Sprintf("%s is offered it next, when they can take it.", d.agentName(target))
	case c.rec.Status == offered:
		return "It is being offered to " + d.offeredNames(c) + " right now; try again in a moment."
	}
	return "The conversation is " + c.rec.Status + "."
}

// offeredNames names the agents holding c's offer.
func (d *Desk) offeredNames(c *conv) string {
	var names []string
	for _, a := range c.offeredTo() {
		names = append(names, d.agentName(a))
	}
	return strings.Join(names, ", ")
}
