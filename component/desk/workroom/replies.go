package workroom

import (
	"errors"
	"fmt"
	"maps"
	"strings"

	"switchboard/component/desk/command"
	"switchboard/component/desk/core"
	"switchboard/component/reply"
	"switchboard/component/texts"
	"switchboard/component/wire"
)

// replyVars are the values a reply in conversation c can use: the
// customer, the agent, the dialog's answers; the agent's arguments win.
func (d *Desk) replyVars(c *core.Conv, agent string, args map[string]string) map[string]string {
	vars := map[string]string{"agent": d.AgentName(agent), "customer": wire.Local(c.Rec.Customer)}
	if n := c.Rec.Answers["name"]; n != "" {
		vars["customer"] = n
	}
	for k, v := range c.Rec.Answers {
		if _, set := vars[k]; !set {
			vars[k] = v
		}
	}
	maps.Copy(vars, args)
	return vars
}

func cmdReply(d *Desk, x cmdCtx, args string) string {
	c := x.c
	name, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	if name == "" {
		return d.t(texts.Usage, texts.A{"usage": "/reply NAME [name=value …]; /replies"})
	}
	if isAgent := d.Roster.Is(x.jid); !isAgent {
		return d.t(texts.ReplyAgentsOnly, nil)
	}
	if !c.Rec.Open() {
		return d.t(texts.ClosedHere, nil)
	}
	text, ok := d.ReplyText(name)
	if !ok {
		d.commandEvent(x, "/reply "+command.Truncate(name, 32)+": unknown")
		return d.t(texts.ReplyUnknown, texts.A{"name": command.Truncate(name, 32)})
	}
	vars, err := reply.Args(rest)
	if err == nil {
		text, err = reply.Fill(text, d.replyVars(c, x.jid, vars))
	}
	if err != nil {
		d.commandEvent(x, "/reply "+name+": "+err.Error())
		var missing *reply.MissingError
		if errors.As(err, &missing) {
			return d.t(texts.ReplyMissing, texts.A{"name": name, "error": err, "missing": missing.Names[0]})
		}
		return d.t(texts.ReplyFailed, texts.A{"name": name, "error": err})
	}
	if len(text) > d.Cfg.Desk.MaxBodyBytes {
		return d.t(texts.ReplyTooLong, texts.A{"name": name, "bytes": len(text), "limit": d.Cfg.Desk.MaxBodyBytes})
	}
	if !d.Answerable(c) {
		return d.noWayBack(c)
	}
	st := d.Step(c)
	st.Same = !d.AgentAnswered(c)
	d.AgentSpoke(c)
	st.Message(x.jid, text, "", false)
	st.Event(x.jid, "reply", name)
	st.ToCustomer(text, "")
	d.Metrics.Relayed.WithLabelValues("out").Inc()
	st.Commit()
	return ""
}

func cmdReplies(d *Desk, x cmdCtx, args string) string {
	d.commandEvent(x, "/replies")
	prefix := strings.TrimSpace(args)
	var b strings.Builder
	n := 0
	for _, name := range d.ReplyNames() {
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		text, _ := d.ReplyText(name)
		fmt.Fprintf(&b, "\n%s: %s", name, command.Truncate(strings.ReplaceAll(text, "\n", " "), 80))
		n++
	}
	if n == 0 {
		if prefix != "" {
			return d.t(texts.RepliesNonePrefix, texts.A{"prefix": command.Truncate(prefix, 32)})
		}
		return d.t(texts.RepliesNone, nil)
	}
	return d.t(texts.RepliesList, texts.A{"list": b.String()})
}
