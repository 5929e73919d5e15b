package desk

import (
	"fmt"
	"strconv"
	"strings"

	"switchboard/component/desk/agents"
	"switchboard/component/desk/command"
	"switchboard/component/texts"
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

// adhocCommands are the desk's commands, their names and forms in l.
func adhocCommands(l *texts.Lang, prefix string) []adhocCommand {
	chat := func(name string) func(d *Desk, jid string, f *wire.Form) (adhocResult, error) {
		return func(d *Desk, jid string, f *wire.Form) (adhocResult, error) {
			cmd, _ := command.Lookup(agentCommands, name)
			return note(cmd.Run(cmdCtx{d: d, jid: jid}, strings.TrimSpace(f.Value("reason")))), nil
		}
	}
	t := func(k texts.Key) string { return l.Get(k, nil) }
	return []adhocCommand{
		{node: "status", name: t(texts.AdhocStatus), run: func(d *Desk, _ string, _ *wire.Form) (adhocResult, error) {
			return resultForm(t(texts.AdhocStatus), d.queueText()), nil
		}},
		{node: "conversations", name: t(texts.AdhocConversations), run: func(d *Desk, jid string, _ *wire.Form) (adhocResult, error) {
			return resultForm(t(texts.AdhocConversations), d.agentStatus(jid)), nil
		}},
		{node: "pause", name: t(texts.AdhocPause), run: chat("pause"),
			form: &wire.DataForm{Type: "form", Title: t(texts.AdhocPauseTitle), Instructions: t(texts.AdhocPauseText),
				Fields: []wire.FieldSpec{{Var: "reason", Type: "text-single", Label: t(texts.AdhocReason)}}}},
		{node: "ready", name: t(texts.AdhocReady), run: chat("ready")},
		{node: "floor", name: t(texts.AdhocFloor), who: command.Supervisors, run: func(d *Desk, jid string, _ *wire.Form) (adhocResult, error) {
			return resultForm(t(texts.AdhocFloorTitle), cmdFloor(d, cmdCtx{jid: jid}, "")), nil
		}},
		{node: "join", name: t(texts.AdhocJoin), who: command.Supervisors, run: func(d *Desk, jid string, f *wire.Form) (adhocResult, error) {
			return note(cmdJoin(d, cmdCtx{jid: jid}, strings.TrimSpace(f.Value("conversation")))), nil
		},
			form: &wire.DataForm{Type: "form", Title: t(texts.AdhocJoinTitle), Instructions: t(texts.AdhocJoinText),
				Fields: []wire.FieldSpec{{Var: "conversation", Type: "text-single", Label: l.Get(texts.AdhocJoinField, texts.A{"prefix": prefix}), Required: true}}}},
		{node: "add-agent", name: t(texts.AdhocAddAgent), who: command.Admins, run: adhocSetAgent,
			form: &wire.DataForm{Type: "form", Title: t(texts.AdhocAddAgent), Instructions: t(texts.AdhocAddAgentText),
				Fields: []wire.FieldSpec{
					{Var: "jid", Type: "jid-single", Label: "JID", Required: true},
					{Var: "name", Type: "text-single", Label: t(texts.AdhocName)},
					{Var: "skills", Type: "text-single", Label: t(texts.AdhocSkills)},
					{Var: "languages", Type: "text-single", Label: t(texts.AdhocLanguages)},
					{Var: "max_chats", Type: "text-single", Label: t(texts.AdhocMaxChats), Value: "3"},
				}}},
		{node: "remove-agent", name: t(texts.AdhocRemoveAgent), who: command.Admins, run: adhocRemoveAgent,
			form: &wire.DataForm{Type: "form", Title: t(texts.AdhocRemoveAgent), Instructions: t(texts.AdhocRemoveText),
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
	key := texts.AdhocChanged
	if d.setAgent(a, nil) {
		key = texts.AdhocAdded
	}
	list := agents.SkillList(a)
	if len(a.Skills) == 0 {
		list = d.Staff().Get(texts.NoSkills, nil)
	}
	return note(d.Staff().Get(key, texts.A{"name": a.Name, "jid": a.JID, "skills": list, "max": a.MaxChats})), nil
}

func adhocRemoveAgent(d *Desk, _ string, f *wire.Form) (adhocResult, error) {
	jid := strings.ToLower(strings.TrimSpace(f.Value("jid")))
	if err := d.removeAgent(jid, nil); err != nil {
		return adhocResult{}, fmt.Errorf("%s: %w", truncate(jid, 64), err)
	}
	return note(d.Staff().Get(texts.AdhocRemoved, texts.A{"jid": jid})), nil
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
		table := adhocCommands(d.Staff(), d.Cfg.XMPP.RoomPrefix)
		for i := range table {
			c := &table[i]
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
	table := adhocCommands(d.Staff(), d.Cfg.XMPP.RoomPrefix)
	for i := range table {
		if table[i].node == cmd.Node {
			c = &table[i]
		}
	}
	if to != d.DeskJID() || c == nil {
		fail(wire.ErrNotFound.With(d.Staff().Get(texts.AdhocNoSuch, nil)))
		return
	}
	bare := wire.Bare(from)
	if !d.mayAdhoc(c, bare) {
		d.Metrics.BadInput.WithLabelValues("not_agent_command").Inc()
		who := map[command.Who]texts.Key{command.Admins: texts.WhoDeskAdmins, command.Anyone: texts.WhoAgents, command.Supervisors: texts.WhoSupervisors}[c.who]
		fail(wire.ErrForbidden.With(d.Staff().Get(texts.AdhocOnly, texts.A{"who": d.Staff().Get(who, nil)})))
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
