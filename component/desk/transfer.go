package desk

import (
	"fmt"
	"slices"
	"strings"
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
	case slices.Contains(handling, c.rec.Status):
	case c.rec.Status == queued || c.rec.Status == offered:
		if c.rec.Agent != "" {
			return "A transfer is under way already."
		}
		return "The conversation is waiting in queue " + c.route.Queue + "; nobody has it to transfer."
	default:
		return "The conversation is " + c.rec.Status + "."
	}
	var detail, answer string
	switch {
	case d.router.Queue(target) != nil:
		detail = "to queue " + target + " from " + c.route.Queue
		c.route.Queue = target
		answer = fmt.Sprintf("Transferring to queue %s. %s keeps the conversation until the new agent joins.", target, d.agentName(c.rec.Agent))
	case strings.Contains(target, "@"):
		a, ok := d.roster.Get(target)
		if !ok {
			return fmt.Sprintf("%s is not one of the desk's agents.", truncate(target, 64))
		}
		if target == c.rec.Agent {
			return d.agentName(target) + " has the conversation already."
		}
		if !d.router.CanTake(target) {
			return fmt.Sprintf("%s cannot take it now (%s, %d of %d conversations). Try /transfer QUEUE, or /invite to consult.",
				d.agentName(target), d.presence.State(target), d.router.Load(target), a.MaxChats)
		}
		c.route.Agent = target
		detail = "to " + target
		answer = fmt.Sprintf("Transferring to %s. You keep the conversation until they join.", d.agentName(target))
	default:
		return fmt.Sprintf("There is no queue or agent %q. Queues: %s.", truncate(target, 32), strings.Join(d.queueNames(), ", "))
	}
	st := d.step(c)
	d.transition(c, st, queued, why{actor: x.jid, action: "transfer", detail: detail})
	st.commit()
	return answer
}

func (d *Desk) queueNames() []string {
	names := make([]string, 0, len(d.cfg.Queues))
	for _, q := range d.cfg.Queues {
		names = append(names, q.Name)
	}
	return slices.Sorted(slices.Values(names))
}
