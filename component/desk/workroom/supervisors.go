package workroom

import (
	"slices"
	"strings"

	"switchboard/component/desk/command"
	"switchboard/component/desk/core"
	"switchboard/component/texts"
)

func cmdTakeover(d *Desk, x cmdCtx, _ string) string {
	c := x.c
	if c.Rec.Agent == x.jid {
		return d.t(texts.HaveIt, nil)
	}
	if !c.Rec.Open() {
		return d.t(texts.ConversationIs, texts.A{"status": c.Rec.Status})
	}
	if c.Rec.Status == core.Offered {
		return d.t(texts.BeingOffered, texts.A{"agents": d.offeredNames(c)})
	}
	st := d.Step(c)
	if slices.Contains(core.Handling, c.Rec.Status) {
		c.Route.Agent = x.jid
		d.Transition(c, st, core.Queued, core.Why{Actor: x.jid, Action: "transfer", Detail: "taken over by " + x.jid})
	}
	if c.Room.Consultants != nil {
		delete(c.Room.Consultants, x.jid)
	}
	d.Transition(c, st, core.Open, core.Why{Actor: x.jid, Action: "takeover", Agent: x.jid, Detail: "by a supervisor"})
	st.Commit()
	return ""
}

func cmdAssign(d *Desk, x cmdCtx, args string) string {
	c := x.c
	target := strings.ToLower(strings.TrimSpace(args))
	if !strings.Contains(target, "@") {
		return d.t(texts.Usage, texts.A{"usage": "/assign JID"})
	}
	if !d.Roster.Is(target) {
		return d.t(texts.NotAnAgent, texts.A{"jid": command.Truncate(target, 64)})
	}
	switch {
	case slices.Contains(core.Handling, c.Rec.Status):
		return cmdTransfer(d, x, target)
	case c.Rec.Status == core.Queued && c.Rec.Agent == "":
		c.Route.Agent = target
		d.Router.Enqueue(&c.Route)
		d.RouteSoon = true
		st := d.Step(c)
		st.Event(x.jid, "assign", "to "+target)
		st.Commit()
		return d.t(texts.AssignNext, texts.A{"agent": d.AgentName(target)})
	case c.Rec.Status == core.Offered:
		return d.t(texts.BeingOffered, texts.A{"agents": d.offeredNames(c)})
	}
	return d.t(texts.ConversationIs, texts.A{"status": c.Rec.Status})
}

// offeredNames names the agents holding c's offer.
func (d *Desk) offeredNames(c *core.Conv) string {
	var names []string
	for _, a := range c.OfferedTo() {
		names = append(names, d.AgentName(a))
	}
	return strings.Join(names, ", ")
}
