package desk

import (
	"maps"
	"slices"
	"strings"

	"switchboard/component/desk/agents"
	"switchboard/component/desk/command"
	"switchboard/component/desk/core"
	"switchboard/component/desk/view"
	"switchboard/component/texts"
	"switchboard/component/wire"
	"switchboard/store"
)

// greetAgents asks every agent for a presence subscription, and probes
// the presence of those who approved it (agents.Greeting).
func (d *Desk) greetAgents() {
	var out []string
	for _, jid := range d.Roster.JIDs() {
		out = append(out, agents.Greeting(d.DeskJID(), jid, d.Roster.Approved(jid))...)
	}
	d.Send(out...)
}

// approval records an agent's answer to the desk's subscription request.
func (d *Desk) approval(jid string, approved bool) {
	if !d.Roster.Approve(jid, approved) {
		return
	}
	d.Log.Info("agent subscription", "agent", jid, "approved", approved)
	var out []string
	if !approved {
		// Revoked, or refused while the desk was away: ask once more.
		out = append(out, agents.Resubscribe(d.DeskJID(), jid))
	}
	d.writeAgent(jid, func(a *store.Agent) { a.Approved = approved }, nil, out...)
}

// agentPresence tracks agents' availability, per resource, and answers
// presence to the desk's JID.
func (d *Desk) agentPresence(s *wire.Stanza) {
	bare := wire.Bare(s.From)
	seen := agents.Handle(d.DeskJID(), s, d.Roster.Is(bare), d.Presence)
	d.Send(seen.Out...)
	if seen.Answer {
		d.approval(bare, seen.Approved)
	}
	if seen.Discover {
		d.discoverAgent(bare, s.From, seen.Caps)
	}
	if seen.Changed {
		d.Log.Info("agent state", "agent", bare, "state", d.Presence.State(bare))
		d.RouteSoon = true
	}
}

// agentCommands are what agents can write to the desk's JID.
var agentCommands []cmd

func init() {
	agentCommands = []cmd{
		{Name: "ready", Help: texts.HelpReady, Run: on(func(d *Desk, x cmdCtx, _ string) string {
			if d.Presence.Ready(x.jid) {
				d.RouteSoon = true
			}
			d.saveAgent(x.jid)
			return d.Staff().Get(texts.AgentReady, texts.A{"state": d.State(x.jid)})
		})},
		{Name: "pause", Usage: "[reason]", Help: texts.HelpPause, Run: on(func(d *Desk, x cmdCtx, args string) string {
			d.Presence.Pause(x.jid, args, d.Now())
			d.saveAgent(x.jid)
			return d.Staff().Get(texts.AgentPaused, nil)
		})},
		{Name: "status", Help: texts.HelpAgentStatus, Run: on(func(d *Desk, x cmdCtx, _ string) string {
			return d.agentStatus(x.jid)
		})},
		{Name: "queue", Help: texts.HelpQueue, Run: on(func(d *Desk, x cmdCtx, _ string) string {
			return d.queueText()
		})},
		{Name: "floor", Usage: "[PAGE]", Help: texts.HelpFloor, Who: command.Supervisors, Run: on(cmdFloor)},
		{Name: "join", Usage: "N", Help: texts.HelpJoin, Who: command.Supervisors, Run: on(cmdJoin)},
		{Name: "help", Help: texts.HelpHelp, Run: on(func(d *Desk, x cmdCtx, _ string) string {
			return command.Help(d.chatCommands(x.jid), "", d.Staff())
		})},
	}
}

// agentMessage answers an agent's chat command.
func (d *Desk) agentMessage(s *wire.Stanza) {
	if s.Type == "error" || s.Type == "groupchat" || s.Type == "headline" {
		return
	}
	if s.MUCUser != nil && s.MUCUser.Decline != nil {
		return // a decline sent straight to the desk: the room tells us too
	}
	body := strings.TrimSpace(s.Body)
	if body == "" {
		return
	}
	bare := wire.Bare(s.From)
	if !d.Roster.Is(bare) && !d.IsSupervisor(bare) {
		d.Metrics.BadInput.WithLabelValues("not_agent").Inc()
		d.Send(d.DeskChat(s.From, d.Staff().Get(texts.AgentsAddress, texts.A{"entry": d.Cfg.Entries[0].Localpart + "@" + d.Cfg.XMPP.Domain})))
		return
	}
	name, args := command.Split(strings.TrimPrefix(body, "/"))
	table := d.chatCommands(bare)
	cmd, err := command.Lookup(table, name)
	var answer string
	switch {
	case err != nil:
		if full, ferr := command.Lookup(agentCommands, name); ferr == nil && full.Who == command.Supervisors {
			d.Metrics.BadInput.WithLabelValues("not_supervisor").Inc()
			answer = d.Staff().Get(texts.SupervisorsOnly, texts.A{"command": full.Name})
		} else {
			answer = command.Describe(err, d.Staff()) + "\n" + command.Help(table, "", d.Staff())
		}
	default:
		answer = cmd.Run(cmdCtx{d: d, jid: bare}, args)
	}
	d.Send(d.DeskChat(s.From, answer))
}

// chatCommands are the chat commands jid may run: an agent's, a
// supervisor's, or both.
func (d *Desk) chatCommands(jid string) []cmd {
	isAgent := d.Roster.Is(jid)
	sup := d.IsSupervisor(jid)
	var out []cmd
	for _, c := range agentCommands {
		if (c.Who == command.Supervisors && sup) || (c.Who != command.Supervisors && (isAgent || c.Name == "help")) {
			out = append(out, c)
		}
	}
	return out
}

// saveAgent records an agent's pause state so that it survives restarts.
func (d *Desk) saveAgent(jid string) {
	paused, reason := d.Presence.Paused(jid)
	now := d.Now()
	d.writeAgent(jid, func(a *store.Agent) { a.Paused, a.Reason, a.Since = paused, reason, now }, nil)
}

// writeAgent changes what the store keeps of an agent; then, when set,
// learns how the write went, and out is sent after it.
func (d *Desk) writeAgent(jid string, change func(*store.Agent), then func(error), out ...string) {
	d.Write(func(tx *store.Tx) error {
		a, err := tx.Agent(jid)
		if err != nil {
			return err
		}
		change(a)
		return tx.PutAgent(a)
	}, then, out...)
}

func (d *Desk) agentStatus(jid string) string {
	_, reason := d.Presence.Paused(jid)
	a, _ := d.Roster.Get(jid)
	var held []view.Held
	for _, c := range d.conversationsOf(jid) {
		held = append(held, view.Held{Name: d.ConvName(c), Status: c.Rec.Status, Customer: c.Rec.Customer, Room: c.Room.JID})
	}
	return view.AgentStatus(d.Staff(), d.State(jid), reason, d.Router.Load(jid), a.MaxChats, held)
}

// conversationsOf lists the open conversations an agent has or is
// offered, oldest first.
func (d *Desk) conversationsOf(jid string) []*core.Conv {
	var out []*core.Conv
	for _, id := range slices.Sorted(maps.Keys(d.Convs)) {
		if c := d.Convs[id]; c.Rec.Open() && (c.Rec.Agent == jid || c.IsOffered(jid)) {
			out = append(out, c)
		}
	}
	return out
}

func (d *Desk) queueText() string {
	return view.Queues(d.Staff(), d.floorQueues(d.Now()), d.cust.StatusText(d.Staff()), d.FailingRooms())
}
