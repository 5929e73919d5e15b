package desk

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/component/desk/core"
	"switchboard/component/desk/view"
	"switchboard/component/texts"
)

// Supervisors (desk.supervisors, and the admins) watch the floor from a
// chat with the desk, step into a conversation's room as silent
// consultants, and take a conversation over or hand it to an agent.

func cmdFloor(d *Desk, x cmdCtx, args string) string {
	now := d.Now()
	page := 1
	if args != "" {
		n, err := strconv.Atoi(args)
		if err != nil || n < 1 || n > 1000 {
			return d.Staff().Get(texts.Usage, texts.A{"usage": "floor [PAGE]"})
		}
		page = n
	}
	var agents []view.Agent
	for _, j := range d.Roster.JIDs() {
		a, _ := d.Roster.Get(j)
		v := view.Agent{Name: d.AgentName(j), State: d.State(j), Load: d.Router.Load(j), MaxChats: a.MaxChats}
		if since := d.Router.IdleSince(j); !since.IsZero() {
			v.Idle, v.Idling = now.Sub(since), true
		}
		agents = append(agents, v)
	}
	var ids []uint64
	for id, c := range d.Convs {
		if slices.Contains(core.Handling, c.Rec.Status) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	pages := max(1, (len(ids)+view.FloorPage-1)/view.FloorPage)
	if page > pages {
		return d.Staff().Get(texts.FloorPages, texts.A{"n": pages})
	}
	var open []view.Open
	for _, id := range ids[min(len(ids), (page-1)*view.FloorPage):min(len(ids), page*view.FloorPage)] {
		c := d.Convs[id]
		o := view.Open{Name: d.ConvName(c), Agent: d.AgentName(c.Rec.Agent), Queue: c.Route.Queue, Age: now.Sub(c.Rec.Created)}
		if !c.WaitingSince.IsZero() {
			o.CustomerWaiting, o.Waiting = now.Sub(c.WaitingSince), true
		}
		open = append(open, o)
	}
	return view.Floor(d.Staff(), d.floorQueues(now), agents, open, len(ids), page, pages)
}

// floorQueues is what waits in each queue, with the longest wait.
func (d *Desk) floorQueues(now time.Time) []view.Queue {
	lengths := d.Router.QueueLength()
	oldest := d.Router.OldestWait(now)
	var out []view.Queue
	for _, q := range d.Cfg.Queues {
		w, ok := oldest[q.Name]
		out = append(out, view.Queue{Name: q.Name, Waiting: lengths[q.Name], Oldest: w, HasOldest: ok})
	}
	return out
}

func cmdJoin(d *Desk, x cmdCtx, args string) string {
	id, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(args), d.Cfg.XMPP.RoomPrefix), 10, 64)
	if err != nil {
		return d.Staff().Get(texts.JoinUsage, texts.A{"prefix": d.Cfg.XMPP.RoomPrefix})
	}
	c := d.Convs[id]
	switch {
	case c == nil || !c.Rec.Open():
		return d.Staff().Get(texts.JoinNone, texts.A{"n": id})
	case c.Room.JID == "":
		return d.Staff().Get(texts.JoinNoRoom, texts.A{"name": d.ConvName(c)})
	case c.Room.Has(x.jid):
		return d.Staff().Get(texts.JoinHere, texts.A{"room": c.Room.JID})
	}
	if c.Room.Consultants == nil {
		c.Room.Consultants = map[string]bool{}
	}
	c.Room.Consultants[x.jid] = true
	st := d.Step(c)
	st.Same = true
	st.Event(x.jid, "supervisor-join", "")
	st.Send(
		d.SetAffiliation(c, x.jid, "member"),
		d.Invite(c, x.jid, d.Staff().Get(texts.JoinReason, texts.A{"name": d.ConvName(c), "customer": c.Rec.Customer})),
	)
	st.Commit()
	return d.Staff().Get(texts.Joined, texts.A{"room": c.Room.JID})
}
