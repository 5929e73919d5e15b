package workroom

import (
	"slices"
	"strings"

	"switchboard/component/desk/command"
	"switchboard/component/desk/core"
	"switchboard/component/texts"
)

// cmdTransfer puts a conversation back into routing, to another queue or
// to a named agent, keeping its record, room and history. The current
// agent keeps it until the new one joins; the record's agent changes then.
func cmdTransfer(d *Desk, x cmdCtx, args string) string {
	c := x.c
	target := strings.ToLower(strings.TrimSpace(args))
	if target == "" {
		return d.t(texts.Usage, texts.A{"usage": "/transfer QUEUE|JID (" + strings.Join(d.queueNames(), ", ") + ")"})
	}
	switch {
	case slices.Contains(core.Handling, c.Rec.Status):
	case c.Rec.Status == core.Queued || c.Rec.Status == core.Offered:
		if c.Rec.Agent != "" {
			return d.t(texts.TransferUnderWay, nil)
		}
		return d.t(texts.TransferWaiting, texts.A{"queue": c.Route.Queue})
	default:
		return d.t(texts.ConversationIs, texts.A{"status": c.Rec.Status})
	}
	var detail, answer string
	switch {
	case d.Router.Queue(target) != nil:
		detail = "to queue " + target + " from " + c.Route.Queue
		c.Route.Queue = target
		answer = d.t(texts.TransferQueue, texts.A{"queue": target, "agent": d.AgentName(c.Rec.Agent)})
	case strings.Contains(target, "@"):
		a, ok := d.Roster.Get(target)
		if !ok {
			return d.t(texts.NotAnAgent, texts.A{"jid": command.Truncate(target, 64)})
		}
		if target == c.Rec.Agent {
			return d.t(texts.TransferHasIt, texts.A{"agent": d.AgentName(target)})
		}
		if !d.Router.CanTake(target) {
			return d.t(texts.TransferBusy, texts.A{"agent": d.AgentName(target), "state": d.State(target), "load": d.Router.Load(target), "max": a.MaxChats})
		}
		c.Route.Agent = target
		detail = "to " + target
		answer = d.t(texts.TransferAgent, texts.A{"agent": d.AgentName(target)})
	default:
		return d.t(texts.TransferUnknown, texts.A{"target": command.Truncate(target, 32), "queues": strings.Join(d.queueNames(), ", ")})
	}
	st := d.Step(c)
	d.Transition(c, st, core.Queued, core.Why{Actor: x.jid, Action: "transfer", Detail: detail})
	st.Commit()
	return answer
}

func (d *Desk) queueNames() []string {
	names := make([]string, 0, len(d.Cfg.Queues))
	for _, q := range d.Cfg.Queues {
		names = append(names, q.Name)
	}
	return slices.Sorted(slices.Values(names))
}
