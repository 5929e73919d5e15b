package desk

import (
	"fmt"
	"strconv"
	"strings"

	"switchboard/component/desk/agents"
	"switchboard/component/desk/command"
	"switchboard/component/wire"
)

// XEP-0050 ad-hoc commands on the desk's JID, for clients with a command
// menu (Gajim, Psi, Conversations): the agents' chat commands, and for
// desk admins adding and removing agents. Forms are XEP-0004.

// adhocCommand is one command node.
type adhocCommand struct {
	node, name string
	who        command.Who
	// form, when set, is asked for first; run gets what was submitted.
	form *wire.DataForm
	run  func(d *Desk, jid string, f *wire.Form) (adhocResult, error)
}

// adhocResult is what a completed command shows: a result form or a note.
type adhocResult struct {
	form *wire.DataForm
	note string
}

func resultForm(title, text string) adhocResult {
	return adhocResult{form: &wire.DataForm{Type: "result", Title: title, Text: text}}
}

func note(text string) adhocResult { return adhocResult{note: text} }

var adhocCommands []adhocCommand

func init() {
	chat := func(name string) func(d *Desk, jid string, f *wire.Form) (adhocResult, error) {
		return func(d *Desk, jid string, f *wire.Form) (adhocResult, error) {
			cmd, _ := command.Lookup(agentCommands, name)
			return note(cmd.Run(cmdCtx{d: d, jid: jid}, strings.TrimSpace(f.Value("reason")))), nil
		}
	}
	adhocCommands = []adhocCommand{
		{node: "status", name: "Desk status", run: func(d *Desk, _ string, _ *wire.Form) (adhocResult, error) {
			return resultForm("Desk status", d.queueText()), nil
		}},
		{node: "conversations", name: "My conversations", run: func(d *Desk, jid string, _ *wire.Form) (adhocResult, error) {
			return resultForm("My conversations", d.agentStatus(jid)), nil
		}},
		{node: "pause", name: "Pause (take no new conversations)", run: chat("pause"),
			form: &wire.DataForm{Type: "form", Title: "Pause", Instructions: "Take no new conversations until you are ready again.",
				Fields: []wire.FieldSpec{{Var: "reason", Type: "text-single", Label: "Reason (optional)"}}}},
		{node: "ready", name: "Ready (take conversations again)", run: chat("ready")},
		{node: "floor", name: "The floor (supervisors)", who: command.Supervisors, run: func(d *Desk, jid string, _ *wire.Form) (adhocResult, error) {
			return resultForm("The floor", cmdFloor(d, cmdCtx{jid: jid}, "")), nil
		}},
		{node: "join", name: "Join a conversation (supervisors)", who: command.Supervisors, run: func(d *Desk, jid string, f *wire.Form) (adhocResult, error) {
			return note(cmdJoin(d, cmdCtx{jid: jid}, strings.TrimSpace(f.Value("conversation")))), nil
		},
			form: &wire.DataForm{Type: "form", Title: "Join a conversation", Instructions: "Step into its room unseen by the customer.",
				Fields: []wire.FieldSpec{{Var: "conversation", Type: "text-single", Label: "Conversation (N or case-N)", Required: true}}}},
		{node: "add-agent", name: "Add or change an agent", who: command.Admins, run: adhocSetAgent,
			form: &wire.DataForm{Type: "form", Title: "Add or change an agent", Instructions: "Effective at once and kept across restarts, ahead of the config file.",
				Fields: []wire.FieldSpec{
					{Var: "jid", Type: "jid-single", Label: "JID", Required: true},
					{Var: "name", Type: "text-single", Label: "Name"},
					{Var: "skills", Type: "text-single", Label: "Skills (skill=level, comma-separated)"},
					{Var: "languages", Type: "text-single", Label: "Languages (comma-separated)"},
					{Var: "max_chats", Type: "text-single", Label: "Conversations at once", Value: "3"},
				}}},
		{node: "remove-agent", name: "Remove an agent", who: command.Admins, run: adhocRemoveAgent,
			form: &wire.DataForm{Type: "form", Title: "Remove an agent", Instructions: "An agent who still has conversations is not removed.",
				Fields: []wire.FieldSpec{{Var: "jid", Type: "jid-single", Label: "JID", Required: true}}}},
	}
}

func adhocSetAgent(d *Desk, _ string, f *wire.Form) (adhocResult, error) {
	skills, err := agents.ParseSkills(f.Value("skills"))
	if err != nil {
		return adhocResult{}, err
	}
	in := AgentChange{JID: strings.TrimSpace(f.Value("jid")), Name: strings.TrimSpace(f.Value("name")), Skills: skills}
	for _, l := range strings.Split(f.Value("languages"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			in.Languages = append(in.Languages, l)
		}
	}
	if s := strings.TrimSpace(f.Value("max_chats")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return adhocResult{}, fmt.Errorf("max_chats: %q is not a number", truncate(s, 20))
		}
		in.MaxChats = &n
	}
	a, err := d.checkAgent(in)
	if err != nil {
		return adhocResult{}, err
	}
	verb := "Changed"
	if d.setAgent(a, nil) {
		verb = "Added"
	}
	return note(fmt.Sprintf("%s agent %s (%s): %s, up to %d conversations.", verb, a.Name, a.JID, agents.SkillList(a), a.MaxChats)), nil
}

func adhocRemoveAgent(d *Desk, _ string, f *wire.Form) (adhocResult, error) {
	jid := strings.ToLower(strings.TrimSpace(f.Value("jid")))
	if err := d.removeAgent(jid, nil); err != nil {
		return adhocResult{}, fmt.Errorf("%s: %w", truncate(jid, 64), err)
	}
	return note("Removed agent " + jid + "."), nil
}

// mayAdhoc reports whether jid may run c.
func (d *Desk) mayAdhoc(c *adhocCommand, jid string) bool {
	switch c.who {
	case command.Admins:
		return d.IsAdmin(jid)
	case command.Supervisors:
		return d.IsSupervisor(jid)
	}
	isAgent := d.Roster.Is(jid)
	if c.node == "status" {
		return isAgent || d.IsAdmin(jid)
	}
	return isAgent
}

// adhocItems answers disco#items on the commands node: the commands the
// requester may run. It runs on the actor.
func (d *Desk) adhocItems(from, to, id string) {
	var items []wire.Item
	if to == d.DeskJID() {
		for i := range adhocCommands {
			c := &adhocCommands[i]
			if d.mayAdhoc(c, wire.Bare(from)) {
				items = append(items, wire.Item{JID: to, Node: c.node, Name: c.name})
			}
		}
	}
	d.Send(wire.DiscoItems(to, from, id, wire.NSCommands, items))
}

// adhoc runs an ad-hoc command. It runs on the actor.
func (d *Desk) adhoc(from, to, id string, cmd wire.Command) {
	fail := func(e wire.StanzaError) { d.Send(wire.IQError(to, from, id, e)) }
	var c *adhocCommand
	for i := range adhocCommands {
		if adhocCommands[i].node == cmd.Node {
			c = &adhocCommands[i]
		}
	}
	if to != d.DeskJID() || c == nil {
		fail(wire.ErrNotFound.With("No such command."))
		return
	}
	bare := wire.Bare(from)
	if !d.mayAdhoc(c, bare) {
		d.Metrics.BadInput.WithLabelValues("not_agent_command").Inc()
		fail(wire.ErrForbidden.With("Only " + map[command.Who]string{command.Admins: "desk admins", command.Anyone: "agents", command.Supervisors: "supervisors"}[c.who] + " can run this command."))
		return
	}
	session := cmd.SessionID
	if session == "" {
		session = wire.NewID("cmd")
	}
	r := wire.CommandReply{Node: c.node, SessionID: truncate(session, 64)}
	switch {
	case cmd.Action == "cancel":
		r.Status = "canceled"
		d.Send(r.Command(to, from, id))
		return
	case c.form != nil && (cmd.Form == nil || cmd.Form.Type != "submit"):
		r.Status, r.Form = "executing", c.form
		d.Send(r.Command(to, from, id))
		return
	}
	result, err := c.run(d, bare, cmd.Form)
	if err != nil {
		d.Metrics.BadInput.WithLabelValues("bad_command").Inc()
		fail(wire.ErrBadRequest.With(err.Error()))
		return
	}
	r.Status, r.Form, r.Note = "completed", result.form, result.note
	d.Send(r.Command(to, from, id))
}
