package workroom

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"switchboard/component/desk/command"
	"switchboard/component/desk/core"
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
			return command.Help(roomCommands, "/") + "\nEvery command also works with ! instead of / (for clients that keep /commands to themselves). Lines starting with " + d.Cfg.Desk.PrivatePrefix + " are private notes."
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

// roomCommand runs a /command (or !command) posted in a room.
func (d *Desk) roomCommand(c *core.Conv, real, nick, body string) {
	name, args := command.Split(body[1:])
	if !d.MayCommand(real) {
		d.refuse(c, real, nick, name, "not an agent", "Only agents can run commands here.")
		return
	}
	cmd, err := command.Lookup(roomCommands, name)
	if err != nil {
		// IRC-style clients send "//text" as "/text": say how to write a
		// note that survives them.
		d.Send(d.Notice(c, err.Error()+": nothing was sent to the customer. /help lists the commands; for a private note write /note TEXT or !note TEXT (some clients turn // into /)."))
		return
	}
	if !d.Allowed(cmd.Who, real, c) {
		d.refuse(c, real, nick, cmd.Name, "not allowed", fmt.Sprintf("Only %s can run /%s.", cmd.Who, cmd.Name))
		return
	}
	if answer := cmd.Run(cmdCtx{d: d, jid: real, c: c}, args); answer != "" {
		d.Send(d.Notice(c, answer))
	}
}

// refuse records a command someone may not run and tells the room.
func (d *Desk) refuse(c *core.Conv, real, nick, name, why, answer string) {
	d.Metrics.BadInput.WithLabelValues("not_agent_command").Inc()
	st := d.Step(c)
	st.Same = true
	st.Event(actorOr(real, nick), "refused-command", "/"+command.Truncate(name, 32)+": "+why)
	st.Send(d.Notice(c, answer))
	st.Commit()
}

// commandEvent records a command that changes nothing but the timeline.
func (d *Desk) commandEvent(x cmdCtx, detail string) {
	st := d.Step(x.c)
	st.Same = true
	st.Event(x.jid, "command", detail)
	st.Commit()
}

func cmdNote(d *Desk, x cmdCtx, args string) string {
	if args == "" {
		return "usage: /note TEXT"
	}
	st := d.Step(x.c)
	st.Same = true
	st.Message(x.jid, args, "", true)
	st.Event(x.jid, "note", "")
	st.Commit()
	return ""
}

func cmdStatus(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if args == "" {
		d.commandEvent(x, "/status")
		s := fmt.Sprintf("%s is %s, queue %s", d.ConvName(c), c.Rec.Status, c.Route.Queue)
		if c.Rec.Agent != "" {
			s += ", handled by " + d.AgentName(c.Rec.Agent)
		}
		return s + "."
	}
	switch args = strings.ToLower(args); args {
	case store.StatusOpen, store.StatusPending, store.StatusResolved:
	default:
		return "usage: /status [open|pending|resolved]"
	}
	if !d.Allowed(command.Assigned, x.jid, c) {
		d.refuse(c, x.jid, "", "status", "not allowed", "Only the assigned agent or an admin can change the status.")
		return ""
	}
	switch c.Rec.Status {
	case store.StatusOpen, store.StatusPending, store.StatusResolved:
	default:
		return fmt.Sprintf("The conversation is %s; its status changes once an agent has it.", c.Rec.Status)
	}
	if c.Rec.Status == args {
		return "The conversation is " + args + " already."
	}
	st := d.Step(c)
	d.Transition(c, st, args, core.Why{Actor: x.jid, Action: "status"})
	st.Commit()
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
	if len(c.Rec.Todos) >= maxTodos {
		return fmt.Sprintf("This conversation has %d action items already.", maxTodos)
	}
	text := command.Truncate(args, 500)
	c.Rec.Todos = append(c.Rec.Todos, store.Todo{Text: text})
	n := len(c.Rec.Todos)
	st := d.Step(c)
	st.Event(x.jid, "todo", fmt.Sprintf("#%d %s", n, text))
	st.Commit()
	return fmt.Sprintf("Action item #%d: %s", n, text)
}

func cmdDone(d *Desk, x cmdCtx, args string) string {
	c := x.c
	n, err := strconv.Atoi(strings.TrimPrefix(args, "#"))
	if err != nil || n < 1 || n > len(c.Rec.Todos) {
		if len(c.Rec.Todos) == 0 {
			return "There are no action items; add one with /todo TEXT."
		}
		return fmt.Sprintf("usage: /done N, with N from 1 to %d (see /todos)", len(c.Rec.Todos))
	}
	t := &c.Rec.Todos[n-1]
	if t.Done {
		return fmt.Sprintf("#%d is done already: %s", n, t.Text)
	}
	t.Done = true
	st := d.Step(c)
	st.Event(x.jid, "done", fmt.Sprintf("#%d %s", n, t.Text))
	st.Commit()
	return fmt.Sprintf("Done: #%d %s", n, t.Text)
}

func cmdTodos(d *Desk, x cmdCtx, _ string) string {
	d.commandEvent(x, "/todos")
	return view.Todos(x.c.Rec.Todos)
}

func cmdTag(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if args == "" {
		d.commandEvent(x, "/tag")
		if len(c.Rec.Tags) == 0 {
			return "No tags."
		}
		return "Tags: " + strings.Join(c.Rec.Tags, ", ")
	}
	tag := strings.ToLower(command.Truncate(strings.Join(strings.Fields(args), "-"), 40))
	if slices.Contains(c.Rec.Tags, tag) {
		return "Already tagged " + tag + "."
	}
	if len(c.Rec.Tags) >= maxTags {
		return fmt.Sprintf("This conversation has %d tags already.", maxTags)
	}
	c.Rec.Tags = append(c.Rec.Tags, tag)
	st := d.Step(c)
	st.Event(x.jid, "tag", tag)
	st.Commit()
	return "Tagged " + tag + "."
}

func cmdHistory(d *Desk, x cmdCtx, _ string) string {
	c := x.c
	d.commandEvent(x, "/history")
	// The records as the desk last accepted them: a change not yet
	// committed counts.
	var list []view.Earlier
	_ = d.Store.ViewApplied(func(tx *store.Tx) error {
		stored, _, err := tx.List(store.Filter{Customer: c.Rec.Customer}, 0, 20)
		for _, o := range stored {
			if r, err := d.Record(tx, o.ID); err == nil && r.ID != c.Rec.ID {
				list = append(list, d.EarlierOf(r))
			}
		}
		return err
	})
	return view.History(c.Rec.Customer, list)
}

func cmdInvite(d *Desk, x cmdCtx, args string) string {
	c := x.c
	jid := strings.ToLower(strings.TrimSpace(args))
	if jid == "" {
		return "usage: /invite JID"
	}
	if !d.MayCommand(jid) {
		return fmt.Sprintf("%s is not one of the desk's agents.", command.Truncate(jid, 64))
	}
	if !c.Rec.Open() {
		return "The conversation is " + c.Rec.Status + "."
	}
	if c.Room.Has(jid) {
		return d.AgentName(jid) + " is here already."
	}
	st := d.Step(c)
	st.Same = true
	st.Event(x.jid, "invite", jid)
	st.Send(
		d.SetAffiliation(c, jid, "member"),
		d.Invite(c, jid, fmt.Sprintf("%s asks you to look at %s (%s)", d.AgentName(x.jid), d.ConvName(c), c.Rec.Customer)),
	)
	st.Commit()
	return fmt.Sprintf("Invited %s. The customer does not see who is in this room.", d.AgentName(jid))
}

func cmdClose(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if !c.Rec.Open() {
		return "The conversation is already " + c.Rec.Status + "."
	}
	resolution := args
	if resolution == "" {
		resolution = "closed by " + d.AgentName(x.jid)
	}
	d.CloseOut(c, x.jid, resolution)
	return ""
}
