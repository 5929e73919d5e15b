package workroom

import (
	"fmt"
	"slices"
	"strings"

	"switchboard/component/desk/command"
	"switchboard/component/desk/core"
)

// cmdTransfer puts a conversation back into routing, to another queue or
// to a named agent, keeping its record, room and history. The current
// agent keeps it until the new one joins; the record's agent changes then.
func cmdTransfer(d *Desk, x cmdCtx, args string) string {
	c := x.c
	target := strings.ToLower(strings.TrimSpace(args))
	if target == "" {
		return "usage: /transfer QUEUE|JID (queues: " + strings.Join(d.queueNames(), ", ") + ")"
	}
	switch {
	case slices.Contains(core.Handling, c.Rec.Status):
	case c.Rec.Status == core.Queued || c.Rec.Status == core.Offered:
		if c.Rec.Agent != "" {
			return "A transfer is under way already."
		}
		return "The conversation is waiting in queue " + c.Route.Queue + "; nobody has it to transfer."
	default:
		return "The conversation is " + c.Rec.Status + "."
	}
	var detail, answer string
	switch {
	case d.Router.Queue(target) != nil:
		detail = "to queue " + target + " from " + c.Route.Queue
		c.Route.Queue = target
		answer = fmt.Sprintf("Transferring to queue %s. %s keeps the conversation until the new agent joins.", target, d.AgentName(c.Rec.Agent))
	case strings.Contains(target, "@"):
		a, ok := d.Roster.Get(target)
		if !ok {
			return fmt.Sprintf("%s is not one of the desk's agents.", command.Truncate(target, 64))
		}
		if target == c.Rec.Agent {
			return d.AgentName(target) + " has the conversation already."
		}
		if !d.Router.CanTake(target) {
			return fmt.Sprintf("%s cannot take it now (%s, %d of %d conversations). Try /transfer QUEUE, or /invite to consult.",
				d.AgentName(target), d.Presence.State(target), d.Router.Load(target), a.MaxChats)
		}
		c.Route.Agent = target
		detail = "to " + target
		answer = fmt.Sprintf("Transferring to %s. You keep the conversation until they join.", d.AgentName(target))
	default:
		return fmt.Sprintf("There is no queue or agent %q. Queues: %s.", command.Truncate(target, 32), strings.Join(d.queueNames(), ", "))
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
