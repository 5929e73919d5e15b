package component

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"switchboard/component/wire"
	"switchboard/routing"
)

// XEP-0050 ad-hoc commands on the desk's JID, for clients with a command
// menu (Gajim, Psi, Conversations): the agents' chat commands, and for
// desk admins adding and removing agents. Forms are XEP-0004.

// adhocCommand is one command node.
type adhocCommand struct {
	node, name string
	who        who
	// form, when set, is asked for first; run gets what was submitted.
	form string
	run  func(d *Desk, jid string, f *wire.Form) (result string, err error)
}

var adhocCommands []adhocCommand

func init() {
	chat := func(name string) func(d *Desk, jid string, f *wire.Form) (string, error) {
		return func(d *Desk, jid string, f *wire.Form) (string, error) {
			cmd, _ := lookup(agentCommands, name)
			return note(cmd.run(d, cmdCtx{jid: jid}, strings.TrimSpace(f.Value("reason")))), nil
		}
	}
	adhocCommands = []adhocCommand{
		{node: "status", name: "Desk status", run: func(d *Desk, _ string, _ *wire.Form) (string, error) {
			return resultForm("Desk status", d.queueText()), nil
		}},
		{node: "conversations", name: "My conversations", run: func(d *Desk, jid string, _ *wire.Form) (string, error) {
			return resultForm("My conversations", d.agentStatus(jid)), nil
		}},
		{node: "pause", name: "Pause (take no new conversations)", run: chat("pause"),
			form: formStart("Pause", "Take no new conversations until you are ready again.") +
				"<field var='reason' type='text-single' label='Reason (optional)'/></x>"},
		{node: "ready", name: "Ready (take conversations again)", run: chat("ready")},
		{node: "add-agent", name: "Add or change an agent", who: admins, run: adhocSetAgent,
			form: formStart("Add or change an agent", "Effective at once and kept across restarts, ahead of the config file.") +
				"<field var='jid' type='jid-single' label='JID'><required/></field>" +
				"<field var='name' type='text-single' label='Name'/>" +
				"<field var='skills' type='text-single' label='Skills (skill=level, comma-separated)'/>" +
				"<field var='languages' type='text-single' label='Languages (comma-separated)'/>" +
				"<field var='max_chats' type='text-single' label='Conversations at once'><value>3</value></field></x>"},
		{node: "remove-agent", name: "Remove an agent", who: admins, run: adhocRemoveAgent,
			form: formStart("Remove an agent", "An agent who still has conversations is not removed.") +
				"<field var='jid' type='jid-single' label='JID'><required/></field></x>"},
	}
}

func formStart(title, instructions string) string {
	return "<x xmlns='" + wire.NSForm + "' type='form'><title>" + wire.Escape(title) + "</title><instructions>" + wire.Escape(instructions) + "</instructions>"
}

func resultForm(title, text string) string {
	var b strings.Builder
	b.WriteString("<x xmlns='" + wire.NSForm + "' type='result'><title>" + wire.Escape(title) + "</title><field var='text' type='text-multi'>")
	for _, line := range strings.Split(text, "\n") {
		b.WriteString("<value>" + wire.Escape(line) + "</value>")
	}
	b.WriteString("</field></x>")
	return b.String()
}

func note(text string) string { return "<note type='info'>" + wire.Escape(text) + "</note>" }

func adhocSetAgent(d *Desk, _ string, f *wire.Form) (string, error) {
	skills, err := parseSkills(f.Value("skills"))
	if err != nil {
		return "", err
	}
	in := AgentInput{Name: strings.TrimSpace(f.Value("name")), Skills: skills}
	for _, l := range strings.Split(f.Value("languages"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			in.Languages = append(in.Languages, l)
		}
	}
	if s := strings.TrimSpace(f.Value("max_chats")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return "", fmt.Errorf("max_chats: %q is not a number", truncate(s, 20))
		}
		in.MaxChats = &n
	}
	a, err := d.checkAgent(strings.TrimSpace(f.Value("jid")), in)
	if err != nil {
		return "", err
	}
	verb := "Changed"
	if d.setAgent(a, nil) {
		verb = "Added"
	}
	return note(fmt.Sprintf("%s agent %s (%s): %s, up to %d conversations.", verb, a.Name, a.JID, skillList(a), a.MaxChats)), nil
}

// parseSkills reads "billing=7, sales=4".
func parseSkills(s string) (map[string]int, error) {
	skills := map[string]int{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || err != nil || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("skills: write skill=level, e.g. billing=7 (got %q)", truncate(part, 40))
		}
		skills[strings.TrimSpace(k)] = n
	}
	return skills, nil
}

func skillList(a routing.Agent) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(a.Skills)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, a.Skills[k]))
	}
	if len(parts) == 0 {
		return "no skills"
	}
	return strings.Join(parts, ", ")
}

func adhocRemoveAgent(d *Desk, _ string, f *wire.Form) (string, error) {
	jid := strings.ToLower(strings.TrimSpace(f.Value("jid")))
	if err := d.removeAgent(jid, nil); err != nil {
		return "", fmt.Errorf("%s: %w", truncate(jid, 64), err)
	}
	return note("Removed agent " + jid + "."), nil
}

// mayAdhoc reports whether jid may run c.
func (d *Desk) mayAdhoc(c *adhocCommand, jid string) bool {
	if c.who == admins {
		return d.isAdmin(jid)
	}
	_, isAgent := d.agents[jid]
	if c.node == "status" {
		return isAgent || d.isAdmin(jid)
	}
	return isAgent
}

// adhocItems answers disco#items on the commands node: the commands the
// requester may run. It runs on the actor.
func (d *Desk) adhocItems(from, to, id string) {
	var b strings.Builder
	b.WriteString("<query xmlns='" + wire.NSDiscoItems + "' node='" + wire.NSCommands + "'>")
	if to == d.deskJID() {
		for i := range adhocCommands {
			c := &adhocCommands[i]
			if d.mayAdhoc(c, wire.Bare(from)) {
				b.WriteString("<item jid='" + wire.Escape(to) + "' node='" + c.node + "' name='" + wire.Escape(c.name) + "'/>")
			}
		}
	}
	b.WriteString("</query>")
	d.send(wire.IQ(to, from, "result", id, b.String()))
}

// adhoc runs an ad-hoc command. It runs on the actor.
func (d *Desk) adhoc(from, to, id string, cmd wire.Command) {
	fail := func(typ, cond, text string) {
		d.send(wire.IQ(to, from, "error", id, wire.ErrorPayload(typ, cond, text)))
	}
	var c *adhocCommand
	for i := range adhocCommands {
		if adhocCommands[i].node == cmd.Node {
			c = &adhocCommands[i]
		}
	}
	if to != d.deskJID() || c == nil {
		fail("cancel", "item-not-found", "No such command.")
		return
	}
	bare := wire.Bare(from)
	if !d.mayAdhoc(c, bare) {
		d.metrics.badInput.WithLabelValues("not_agent_command").Inc()
		fail("auth", "forbidden", "Only "+map[who]string{admins: "desk admins", anyAgent: "agents"}[c.who]+" can run this command.")
		return
	}
	session := cmd.SessionID
	if session == "" {
		session = newID("cmd")
	}
	head := "<command xmlns='" + wire.NSCommands + "' node='" + c.node + "' sessionid='" + wire.Escape(truncate(session, 64)) + "' status='"
	switch {
	case cmd.Action == "cancel":
		d.send(wire.IQ(to, from, "result", id, head+"canceled'/>"))
		return
	case c.form != "" && (cmd.Form == nil || cmd.Form.Type != "submit"):
		d.send(wire.IQ(to, from, "result", id, head+"executing'><actions execute='complete'><complete/></actions>"+c.form+"</command>"))
		return
	}
	result, err := c.run(d, bare, cmd.Form)
	if err != nil {
		d.metrics.badInput.WithLabelValues("bad_command").Inc()
		fail("modify", "bad-request", err.Error())
		return
	}
	d.send(wire.IQ(to, from, "result", id, head+"completed'>"+result+"</command>"))
}
