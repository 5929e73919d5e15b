package component

import (
	"fmt"
	"strings"

	"switchboard/store"
)

// roomCommands run in a conversation's room, by agents only. Their answers
// are posted in the room and never reach the customer.
var roomCommands []command

func init() {
	roomCommands = []command{
		{name: "note", usage: "TEXT", help: "a private note, like " + "//TEXT", run: cmdNote},
		{name: "status", usage: "[open|pending|resolved]", help: "show or set the conversation's status", run: cmdStatus},
		{name: "close", usage: "[resolution]", help: "close the conversation and tell the customer", run: cmdClose},
		{name: "help", help: "this list", run: func(d *Desk, x cmdCtx, _ string) string {
			return helpText(roomCommands, "/") + "\nEvery command also works with ! instead of / (for clients that keep /commands to themselves). Lines starting with " + d.cfg.Desk.PrivatePrefix + " are private notes."
		}},
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
	name, _ := splitCommand(body[1:])
	_, err := lookup(roomCommands, name)
	return err == nil
}

// roomCommand runs a /command (or !command) posted in a room.
func (d *Desk) roomCommand(c *conv, real, nick, body string) {
	name, args := splitCommand(body[1:])
	if _, isAgent := d.agents[real]; !isAgent {
		d.metrics.badInput.WithLabelValues("not_agent_command").Inc()
		st := d.step(c)
		st.event(actorOr(real, nick), "refused-command", "/"+truncate(name, 32)+": not an agent")
		st.send(d.notice(c, "Only agents can run commands here."))
		st.commit()
		return
	}
	cmd, err := lookup(roomCommands, name)
	if err != nil {
		// IRC-style clients send "//text" as "/text": say how to write a
		// note that survives them.
		d.send(d.notice(c, err.Error()+": nothing was sent to the customer. /help lists the commands; for a private note write /note TEXT or !note TEXT (some clients turn // into /)."))
		return
	}
	if answer := cmd.run(d, cmdCtx{jid: real, c: c}, args); answer != "" {
		d.send(d.notice(c, answer))
	}
}

func cmdNote(d *Desk, x cmdCtx, args string) string {
	if args == "" {
		return "usage: /note TEXT"
	}
	st := d.step(x.c)
	st.message(x.jid, args, "", true)
	st.event(x.jid, "note", "")
	st.commit()
	return ""
}

func cmdStatus(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if args == "" {
		s := fmt.Sprintf("%s%d is %s, queue %s", d.cfg.XMPP.RoomPrefix, c.rec.ID, c.rec.Status, c.rec.Queue)
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
	switch c.rec.Status {
	case store.StatusOpen, store.StatusPending, store.StatusResolved:
	default:
		return fmt.Sprintf("The conversation is %s; its status changes once an agent has it.", c.rec.Status)
	}
	from := c.rec.Status
	c.rec.Status = args
	st := d.step(c)
	st.event(x.jid, "status", from+" → "+args)
	st.commit()
	return "Status: " + args + "."
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
	st := d.step(c)
	d.end(c, st, store.StatusClosed, x.jid, resolution, "This conversation has been closed. Thank you for contacting us! Write again any time.")
	st.commit()
	return ""
}
