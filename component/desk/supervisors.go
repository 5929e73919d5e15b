package desk

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Supervisors (desk.supervisors, and the admins) watch the floor from a
// chat with the desk, step into a conversation's room as silent
// consultants, and take a conversation over or hand it to an agent.

func (d *Desk) isSupervisor(jid string) bool { return slices.Contains(d.cfg.Supervisors(), jid) }

// floorPage is how many open conversations one page of "floor" lists: a
// phone's screen.
const floorPage = 8

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
	var b strings.Builder
	lengths := d.router.QueueLength()
	oldest := d.router.OldestWait(now)
	b.WriteString("Queues:")
	for _, q := range d.cfg.Queues {
		fmt.Fprintf(&b, "\n  %s: %d waiting", q.Name, lengths[q.Name])
		if w, ok := oldest[q.Name]; ok && lengths[q.Name] > 0 {
			fmt.Fprintf(&b, ", oldest %s", w.Round(time.Second))
		}
	}
	b.WriteString("\nAgents:")
	for _, j := range d.roster.JIDs() {
		a, _ := d.roster.Get(j)
		fmt.Fprintf(&b, "\n  %s: %s, %d/%d", d.agentName(j), d.presence.State(j), d.router.Load(j), a.MaxChats)
		if d.router.Load(j) == 0 {
			if since := d.router.IdleSince(j); !since.IsZero() {
				fmt.Fprintf(&b, ", idle %s", now.Sub(since).Round(time.Second))
			}
		}
	}
	var ids []uint64
	for id, c := range d.convs {
		if slices.Contains(handling, c.rec.Status) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	pages := max(1, (len(ids)+floorPage-1)/floorPage)
	if page > pages {
		return fmt.Sprintf("There are %d pages.", pages)
	}
	fmt.Fprintf(&b, "\nOpen conversations: %d", len(ids))
	if pages > 1 {
		fmt.Fprintf(&b, " (page %d of %d)", page, pages)
	}
	for _, id := range ids[min(len(ids), (page-1)*floorPage):min(len(ids), page*floorPage)] {
		c := d.convs[id]
		fmt.Fprintf(&b, "\n  %s: %s, %s, for %s", d.convName(c), d.agentName(c.rec.Agent), c.route.Queue, now.Sub(c.rec.Created).Round(time.Second))
		if !c.waitingSince.IsZero() {
			fmt.Fprintf(&b, ", customer waiting %s", now.Sub(c.waitingSince).Round(time.Second))
		}
	}
	if page < pages {
		fmt.Fprintf(&b, "\n\"floor %d\" for the next page.", page+1)
	}
	b.WriteString("\n\"join N\" to step into conversation N.")
	return b.String()
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
	case c.room.jid == "":
		return fmt.Sprintf("%s is still in the dialog: it has no room yet.", d.convName(c))
	case c.inRoom(x.jid):
		return fmt.Sprintf("You are in %s already.", c.room.jid)
	}
	if c.room.consultants == nil {
		c.room.consultants = map[string]bool{}
	}
	c.room.consultants[x.jid] = true
	st := d.step(c)
	st.same = true
	st.event(x.jid, "supervisor-join", "")
	st.send(
		d.setAffiliation(c, x.jid, "member"),
		d.invite(c, x.jid, fmt.Sprintf("Supervising %s (%s)", d.convName(c), c.rec.Customer)),
	)
	st.commit()
	return fmt.Sprintf("Invited you into %s. The customer does not see who is in the room and gets nothing you write there; in the room, /takeover takes the conversation and /assign JID hands it to an agent.", c.room.jid)
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
	if c.room.consultants != nil {
		delete(c.room.consultants, x.jid)
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
