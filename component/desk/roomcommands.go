package desk

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"switchboard/component/desk/command"
	"switchboard/component/desk/view"
	"switchboard/store"
)

// roomCommands run in a conversation's room, by agents only. Their answers
// are posted in the room and never reach the customer; each writes a
// timeline event.
var roomCommands []cmd

func init() {
	roomCommands = []cmd{
		{Name: "note", Usage: "TEXT", Help: "a private note, like " + "//TEXT", Run: on(cmdNote)},
		{Name: "status", Usage: "[open|pending|resolved]", Help: "show or set the conversation's status", Run: on(cmdStatus)},
		{Name: "todo", Usage: "TEXT", Help: "add an action item", Run: on(cmdTodo)},
		{Name: "done", Usage: "N", Help: "tick off action item N", Run: on(cmdDone)},
		{Name: "todos", Help: "list the action items", Run: on(cmdTodos)},
		{Name: "tag", Usage: "[TAG]", Help: "tag the conversation (without TAG: list its tags)", Run: on(cmdTag)},
		{Name: "transfer", Usage: "QUEUE|JID", Help: "hand the conversation to another queue or agent; you stay until they join", Who: command.Assigned, Run: on(cmdTransfer)},
		{Name: "invite", Usage: "JID", Help: "ask a colleague in to consult; the customer does not see them", Run: on(cmdInvite)},
		{Name: "reply", Usage: "NAME [name=value …]", Help: "send the customer a canned reply, its {placeholders} filled", Run: on(cmdReply)},
		{Name: "replies", Usage: "[PREFIX]", Help: "list the canned replies", Run: on(cmdReplies)},
		{Name: "takeover", Help: "take the conversation yourself", Who: command.Supervisors, Run: on(cmdTakeover)},
		{Name: "assign", Usage: "JID", Help: "hand the conversation to an agent", Who: command.Supervisors, Run: on(cmdAssign)},
		{Name: "called", Usage: "[outcome]", Help: "record an attempt to call a call back's customer", Run: on(cmdCalled)},
		{Name: "history", Help: "this customer's earlier conversations", Run: on(cmdHistory)},
		{Name: "close", Usage: "[resolution]", Help: "close the conversation and tell the customer", Who: command.Assigned, Run: on(cmdClose)},
		{Name: "help", Help: "this list", Run: on(func(d *Desk, x cmdCtx, _ string) string {
			d.commandEvent(x, "/help")
			return command.Help(roomCommands, "/") + "\nEvery command also works with ! instead of / (for clients that keep /commands to themselves). Lines starting with " + d.cfg.Desk.PrivatePrefix + " are private notes."
		})},
	}
}

// isBangCommand reports whether body is a room command written with "!"
// instead of "/": many clients (profanity, Gajim) take "/close" and the
// like for their own commands, so "!close" is accepted too, but only for a
// known command, so that an agent's "!!" still reaches the customer.
func isBangCommand(body string) bool {
	if !strings.HasPrefix(body, "!") {
		return false
	}
	name, _ := command.Split(body[1:])
	_, err := command.Lookup(roomCommands, name)
	return err == nil
}

// mayCommand reports whether jid may run room commands at all.
func (d *Desk) mayCommand(jid string) bool {
	isAgent := d.roster.Is(jid)
	return isAgent || d.isAdmin(jid) || d.isSupervisor(jid)
}

func (d *Desk) isAdmin(jid string) bool { return slices.Contains(d.cfg.Desk.Admins, jid) }

// allowed reports whether jid may run cmd in the room of c.
func (d *Desk) allowed(who command.Who, jid string, c *conv) bool {
	switch who {
	case command.Assigned:
		return d.isAdmin(jid) || (c != nil && c.rec.Agent == jid)
	case command.Admins:
		return d.isAdmin(jid)
	case command.Supervisors:
		return d.isSupervisor(jid)
	}
	return d.mayCommand(jid)
}

// roomCommand runs a /command (or !command) posted in a room.
func (d *Desk) roomCommand(c *conv, real, nick, body string) {
	name, args := command.Split(body[1:])
	if !d.mayCommand(real) {
		d.refuse(c, real, nick, name, "not an agent", "Only agents can run commands here.")
		return
	}
	cmd, err := command.Lookup(roomCommands, name)
	if err != nil {
		// IRC-style clients send "//text" as "/text": say how to write a
		// note that survives them.
		d.send(d.notice(c, err.Error()+": nothing was sent to the customer. /help lists the commands; for a private note write /note TEXT or !note TEXT (some clients turn // into /)."))
		return
	}
	if !d.allowed(cmd.Who, real, c) {
		d.refuse(c, real, nick, cmd.Name, "not allowed", fmt.Sprintf("Only %s can run /%s.", cmd.Who, cmd.Name))
		return
	}
	if answer := cmd.Run(cmdCtx{d: d, jid: real, c: c}, args); answer != "" {
		d.send(d.notice(c, answer))
	}
}

// refuse records a command someone may not run and tells the room.
func (d *Desk) refuse(c *conv, real, nick, name, why, answer string) {
	d.metrics.badInput.WithLabelValues("not_agent_command").Inc()
	st := d.step(c)
	st.same = true
	st.event(actorOr(real, nick), "refused-command", "/"+truncate(name, 32)+": "+why)
	st.send(d.notice(c, answer))
	st.commit()
}

// commandEvent records a command that changes nothing but the timeline.
func (d *Desk) commandEvent(x cmdCtx, detail string) {
	st := d.step(x.c)
	st.same = true
	st.event(x.jid, "command", detail)
	st.commit()
}

func cmdNote(d *Desk, x cmdCtx, args string) string {
	if args == "" {
		return "usage: /note TEXT"
	}
	st := d.step(x.c)
	st.same = true
	st.message(x.jid, args, "", true)
	st.event(x.jid, "note", "")
	st.commit()
	return ""
}

func cmdStatus(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if args == "" {
		d.commandEvent(x, "/status")
		s := fmt.Sprintf("%s is %s, queue %s", d.convName(c), c.rec.Status, c.route.Queue)
		if c.rec.Agent != "" {
			s += ", handled by " + d.agentName(c.rec.Agent)
		}
		return s + "."
	}
	switch args = strings.ToLower(args); args {
	case store.StatusOpen, store.StatusPending, store.StatusResolved:
	default:
		return "usage: /status [open|pending|resolved]"
	}
	if !d.allowed(command.Assigned, x.jid, c) {
		d.refuse(c, x.jid, "", "status", "not allowed", "Only the assigned agent or an admin can change the status.")
		return ""
	}
	switch c.rec.Status {
	case store.StatusOpen, store.StatusPending, store.StatusResolved:
	default:
		return fmt.Sprintf("The conversation is %s; its status changes once an agent has it.", c.rec.Status)
	}
	if c.rec.Status == args {
		return "The conversation is " + args + " already."
	}
	st := d.step(c)
	d.transition(c, st, args, why{actor: x.jid, action: "status"})
	st.commit()
	return "Status: " + args + "."
}

// maxTodos bounds a conversation's action items, and maxTags its tags.
const (
	maxTodos = 100
	maxTags  = 32
)

func cmdTodo(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if args == "" {
		return "usage: /todo TEXT"
	}
	if len(c.rec.Todos) >= maxTodos {
		return fmt.Sprintf("This conversation has %d action items already.", maxTodos)
	}
	text := truncate(args, 500)
	c.rec.Todos = append(c.rec.Todos, store.Todo{Text: text})
	n := len(c.rec.Todos)
	st := d.step(c)
	st.event(x.jid, "todo", fmt.Sprintf("#%d %s", n, text))
	st.commit()
	return fmt.Sprintf("Action item #%d: %s", n, text)
}

func cmdDone(d *Desk, x cmdCtx, args string) string {
	c := x.c
	n, err := strconv.Atoi(strings.TrimPrefix(args, "#"))
	if err != nil || n < 1 || n > len(c.rec.Todos) {
		if len(c.rec.Todos) == 0 {
			return "There are no action items; add one with /todo TEXT."
		}
		return fmt.Sprintf("usage: /done N, with N from 1 to %d (see /todos)", len(c.rec.Todos))
	}
	t := &c.rec.Todos[n-1]
	if t.Done {
		return fmt.Sprintf("#%d is done already: %s", n, t.Text)
	}
	t.Done = true
	st := d.step(c)
	st.event(x.jid, "done", fmt.Sprintf("#%d %s", n, t.Text))
	st.commit()
	return fmt.Sprintf("Done: #%d %s", n, t.Text)
}

func cmdTodos(d *Desk, x cmdCtx, _ string) string {
	d.commandEvent(x, "/todos")
	return view.Todos(x.c.rec.Todos)
}

func cmdTag(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if args == "" {
		d.commandEvent(x, "/tag")
		if len(c.rec.Tags) == 0 {
			return "No tags."
		}
		return "Tags: " + strings.Join(c.rec.Tags, ", ")
	}
	tag := strings.ToLower(truncate(strings.Join(strings.Fields(args), "-"), 40))
	if slices.Contains(c.rec.Tags, tag) {
		return "Already tagged " + tag + "."
	}
	if len(c.rec.Tags) >= maxTags {
		return fmt.Sprintf("This conversation has %d tags already.", maxTags)
	}
	c.rec.Tags = append(c.rec.Tags, tag)
	st := d.step(c)
	st.event(x.jid, "tag", tag)
	st.commit()
	return "Tagged " + tag + "."
}

func cmdHistory(d *Desk, x cmdCtx, _ string) string {
	c := x.c
	d.commandEvent(x, "/history")
	// The records as the desk last accepted them: a change not yet
	// committed counts.
	var list []view.Earlier
	_ = d.store.ViewApplied(func(tx *store.Tx) error {
		stored, _, err := tx.List(store.Filter{Customer: c.rec.Customer}, 0, 20)
		for _, o := range stored {
			if r, err := d.record(tx, o.ID); err == nil && r.ID != c.rec.ID {
				list = append(list, d.earlierOf(r))
			}
		}
		return err
	})
	return view.History(c.rec.Customer, list)
}

func cmdInvite(d *Desk, x cmdCtx, args string) string {
	c := x.c
	jid := strings.ToLower(strings.TrimSpace(args))
	if jid == "" {
		return "usage: /invite JID"
	}
	if !d.mayCommand(jid) {
		return fmt.Sprintf("%s is not one of the desk's agents.", truncate(jid, 64))
	}
	if !c.rec.Open() {
		return "The conversation is " + c.rec.Status + "."
	}
	if c.room.Has(jid) {
		return d.agentName(jid) + " is here already."
	}
	st := d.step(c)
	st.same = true
	st.event(x.jid, "invite", jid)
	st.send(
		d.setAffiliation(c, jid, "member"),
		d.invite(c, jid, fmt.Sprintf("%s asks you to look at %s (%s)", d.agentName(x.jid), d.convName(c), c.rec.Customer)),
	)
	st.commit()
	return fmt.Sprintf("Invited %s. The customer does not see who is in this room.", d.agentName(jid))
}

func cmdClose(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if !c.rec.Open() {
		return "The conversation is already " + c.rec.Status + "."
	}
	resolution := args
	if resolution == "" {
		resolution = "closed by " + d.agentName(x.jid)
	}
	d.closeOut(c, x.jid, resolution)
	return ""
}
