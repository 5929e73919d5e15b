package workroom

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"switchboard/component/desk/command"
	"switchboard/component/desk/core"
	"switchboard/component/desk/view"
	"switchboard/component/texts"
	"switchboard/store"
)

// roomCommands run in a conversation's room, by agents only. Their answers
// are posted in the room and never reach the customer; each writes a
// timeline event.
var roomCommands []cmd

func init() {
	roomCommands = []cmd{
		{Name: "note", Usage: "TEXT", Help: texts.HelpNote, Run: on(cmdNote)},
		{Name: "status", Usage: "[open|pending|resolved]", Help: texts.HelpStatus, Run: on(cmdStatus)},
		{Name: "todo", Usage: "TEXT", Help: texts.HelpTodo, Run: on(cmdTodo)},
		{Name: "done", Usage: "N", Help: texts.HelpDone, Run: on(cmdDone)},
		{Name: "todos", Help: texts.HelpTodos, Run: on(cmdTodos)},
		{Name: "tag", Usage: "[TAG]", Help: texts.HelpTag, Run: on(cmdTag)},
		{Name: "transfer", Usage: "QUEUE|JID", Help: texts.HelpTransfer, Who: command.Assigned, Run: on(cmdTransfer)},
		{Name: "invite", Usage: "JID", Help: texts.HelpInvite, Run: on(cmdInvite)},
		{Name: "reply", Usage: "NAME [name=value …]", Help: texts.HelpReply, Run: on(cmdReply)},
		{Name: "replies", Usage: "[PREFIX]", Help: texts.HelpReplies, Run: on(cmdReplies)},
		{Name: "takeover", Help: texts.HelpTakeover, Who: command.Supervisors, Run: on(cmdTakeover)},
		{Name: "assign", Usage: "JID", Help: texts.HelpAssign, Who: command.Supervisors, Run: on(cmdAssign)},
		{Name: "called", Usage: "[outcome]", Help: texts.HelpCalled, Run: on(cmdCalled)},
		{Name: "history", Help: texts.HelpHistory, Run: on(cmdHistory)},
		{Name: "link", Usage: "CUSTOMER", Help: texts.HelpLink, Run: on(cmdLink)},
		{Name: "via", Usage: "CHANNEL", Help: texts.HelpVia, Who: command.Assigned, Run: on(cmdVia)},
		{Name: "close", Usage: "[resolution]", Help: texts.HelpClose, Who: command.Assigned, Run: on(cmdClose)},
		{Name: "help", Help: texts.HelpHelp, Run: on(func(d *Desk, x cmdCtx, _ string) string {
			d.commandEvent(x, "/help")
			return command.Help(roomCommands, "/", d.Staff()) + "\n" + d.t(texts.HelpBang, texts.A{"prefix": d.Cfg.Desk.PrivatePrefix})
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
		d.refuse(c, real, nick, name, "not an agent", d.t(texts.AgentsOnly, nil))
		return
	}
	cmd, err := command.Lookup(roomCommands, name)
	if err != nil {
		// IRC-style clients send "//text" as "/text": say how to write a
		// note that survives them.
		d.Send(d.Note(c, texts.CommandNotSent, texts.A{"error": command.Describe(err, d.Staff())}))
		return
	}
	if !d.Allowed(cmd.Who, real, c) {
		d.refuse(c, real, nick, cmd.Name, "not allowed", d.t(texts.OnlyWho, texts.A{"who": d.t(cmd.Who.Text(), nil), "command": cmd.Name}))
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
		return d.t(texts.Usage, texts.A{"usage": "/note TEXT"})
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
		a := texts.A{"name": d.ConvName(c), "status": c.Rec.Status, "queue": c.Route.Queue}
		if c.Rec.Agent != "" {
			a["agent"] = d.AgentName(c.Rec.Agent)
			return d.t(texts.StatusShowAgent, a)
		}
		return d.t(texts.StatusShow, a)
	}
	switch args = strings.ToLower(args); args {
	case store.StatusOpen, store.StatusPending, store.StatusResolved:
	default:
		return d.t(texts.Usage, texts.A{"usage": "/status [open|pending|resolved]"})
	}
	if !d.Allowed(command.Assigned, x.jid, c) {
		d.refuse(c, x.jid, "", "status", "not allowed", d.t(texts.StatusNotAllowed, nil))
		return ""
	}
	switch c.Rec.Status {
	case store.StatusOpen, store.StatusPending, store.StatusResolved:
	default:
		return d.t(texts.StatusNotYet, texts.A{"status": c.Rec.Status})
	}
	if c.Rec.Status == args {
		return d.t(texts.StatusAlready, texts.A{"status": args})
	}
	st := d.Step(c)
	d.Transition(c, st, args, core.Why{Actor: x.jid, Action: "status"})
	st.Commit()
	return d.t(texts.StatusSet, texts.A{"status": args})
}

// maxTodos bounds a conversation's action items, and maxTags its tags.
const (
	maxTodos = 100
	maxTags  = 32
)

func cmdTodo(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if args == "" {
		return d.t(texts.Usage, texts.A{"usage": "/todo TEXT"})
	}
	if len(c.Rec.Todos) >= maxTodos {
		return d.t(texts.TodosFull, texts.A{"n": maxTodos})
	}
	text := command.Truncate(args, 500)
	c.Rec.Todos = append(c.Rec.Todos, store.Todo{Text: text})
	n := len(c.Rec.Todos)
	st := d.Step(c)
	st.Event(x.jid, "todo", fmt.Sprintf("#%d %s", n, text))
	st.Commit()
	return d.t(texts.TodoAdded, texts.A{"n": n, "text": text})
}

func cmdDone(d *Desk, x cmdCtx, args string) string {
	c := x.c
	n, err := strconv.Atoi(strings.TrimPrefix(args, "#"))
	if err != nil || n < 1 || n > len(c.Rec.Todos) {
		if len(c.Rec.Todos) == 0 {
			return d.t(texts.TodosNoneYet, nil)
		}
		return d.t(texts.DoneRange, texts.A{"n": len(c.Rec.Todos)})
	}
	t := &c.Rec.Todos[n-1]
	if t.Done {
		return d.t(texts.DoneAlready, texts.A{"n": n, "text": t.Text})
	}
	t.Done = true
	st := d.Step(c)
	st.Event(x.jid, "done", fmt.Sprintf("#%d %s", n, t.Text))
	st.Commit()
	return d.t(texts.DoneOK, texts.A{"n": n, "text": t.Text})
}

func cmdTodos(d *Desk, x cmdCtx, _ string) string {
	d.commandEvent(x, "/todos")
	return view.Todos(d.Staff(), x.c.Rec.Todos)
}

func cmdTag(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if args == "" {
		d.commandEvent(x, "/tag")
		if len(c.Rec.Tags) == 0 {
			return d.t(texts.TagsNone, nil)
		}
		return d.t(texts.TagsList, texts.A{"tags": strings.Join(c.Rec.Tags, ", ")})
	}
	tag := strings.ToLower(command.Truncate(strings.Join(strings.Fields(args), "-"), 40))
	if slices.Contains(c.Rec.Tags, tag) {
		return d.t(texts.TagAlready, texts.A{"tag": tag})
	}
	if len(c.Rec.Tags) >= maxTags {
		return d.t(texts.TagsFull, texts.A{"n": maxTags})
	}
	c.Rec.Tags = append(c.Rec.Tags, tag)
	st := d.Step(c)
	st.Event(x.jid, "tag", tag)
	st.Commit()
	return d.t(texts.Tagged, texts.A{"tag": tag})
}

func cmdInvite(d *Desk, x cmdCtx, args string) string {
	c := x.c
	jid := strings.ToLower(strings.TrimSpace(args))
	if jid == "" {
		return d.t(texts.Usage, texts.A{"usage": "/invite JID"})
	}
	if !d.MayCommand(jid) {
		return d.t(texts.NotAnAgent, texts.A{"jid": command.Truncate(jid, 64)})
	}
	if !c.Rec.Open() {
		return d.t(texts.ConversationIs, texts.A{"status": c.Rec.Status})
	}
	if c.Room.Has(jid) {
		return d.t(texts.AlreadyHere, texts.A{"agent": d.AgentName(jid)})
	}
	st := d.Step(c)
	st.Same = true
	st.Event(x.jid, "invite", jid)
	st.Send(
		d.SetAffiliation(c, jid, "member"),
		d.Invite(c, jid, d.t(texts.InviteReason, texts.A{"agent": d.AgentName(x.jid), "name": d.ConvName(c), "customer": c.Rec.Customer})),
	)
	st.Commit()
	return d.t(texts.Invited, texts.A{"agent": d.AgentName(jid)})
}

func cmdClose(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if !c.Rec.Open() {
		return d.t(texts.AlreadyStatus, texts.A{"status": c.Rec.Status})
	}
	resolution := args
	if resolution == "" {
		resolution = "closed by " + d.AgentName(x.jid)
	}
	d.CloseOut(c, x.jid, resolution)
	return ""
}
