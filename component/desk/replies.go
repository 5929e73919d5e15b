package desk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"switchboard/component/desk/core"
	"switchboard/component/reply"
	"switchboard/component/wire"
	"switchboard/store"
)

// Canned replies: the config file's [replies], with those changed at
// runtime (the API) over them, kept in the store.

// ReplyInfo is one canned reply as the desk uses it.
type ReplyInfo struct {
	Name         string
	Text         string
	Placeholders []string
	Runtime      bool // set at runtime, ahead of the file
}

// ErrNoReply is returned for a reply that does not exist.
var ErrNoReply = errors.New("no such reply")

// InvalidReply says what is wrong with a reply someone tried to set.
type InvalidReply struct{ Msg string }

func (e *InvalidReply) Error() string { return e.Msg }

func (d *Desk) replyInfo(name string) (ReplyInfo, bool) {
	text, ok := d.ReplyText(name)
	if !ok {
		return ReplyInfo{}, false
	}
	ph, _ := reply.Placeholders(text)
	_, runtime := d.StoredReplies[name]
	return ReplyInfo{Name: name, Text: text, Placeholders: ph, Runtime: runtime}, true
}

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
		return "usage: /reply NAME [name=value …]; /replies lists them."
	}
	if isAgent := d.Roster.Is(x.jid); !isAgent {
		return "Only agents send replies to the customer."
	}
	if !c.Rec.Open() {
		return "This conversation is closed; the customer does not get messages from here."
	}
	text, ok := d.ReplyText(name)
	if !ok {
		d.commandEvent(x, "/reply "+truncate(name, 32)+": unknown")
		return fmt.Sprintf("There is no reply %q: nothing was sent to the customer. /replies lists them.", truncate(name, 32))
	}
	vars, err := reply.Args(rest)
	if err == nil {
		text, err = reply.Fill(text, d.replyVars(c, x.jid, vars))
	}
	if err != nil {
		d.commandEvent(x, "/reply "+name+": "+err.Error())
		var missing *reply.MissingError
		if errors.As(err, &missing) {
			return fmt.Sprintf("/reply %s: %v: nothing was sent to the customer. Give it like /reply %s %s=…", name, err, name, missing.Names[0])
		}
		return fmt.Sprintf("/reply %s: %v: nothing was sent to the customer.", name, err)
	}
	if len(text) > d.Cfg.Desk.MaxBodyBytes {
		return fmt.Sprintf("/reply %s: the filled reply is %d bytes, over desk.max_body_bytes (%d): nothing was sent.", name, len(text), d.Cfg.Desk.MaxBodyBytes)
	}
	st := d.Step(c)
	st.Same = !d.AgentAnswered(c)
	d.AgentSpoke(c)
	st.Message(x.jid, text, "", false)
	st.Event(x.jid, "reply", name)
	st.Send(wire.Message{From: c.Rec.Entry + "@" + d.Cfg.XMPP.Domain, To: c.To(), Type: "chat", Body: text}.String())
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
		fmt.Fprintf(&b, "\n%s: %s", name, truncate(strings.ReplaceAll(text, "\n", " "), 80))
		n++
	}
	if n == 0 {
		if prefix != "" {
			return fmt.Sprintf("No reply starts with %q.", truncate(prefix, 32))
		}
		return "There are no canned replies ([replies] in the config, or the API)."
	}
	return fmt.Sprintf("Canned replies (/reply NAME name=value …):%s", b.String())
}

// setReply stores a reply changed at runtime and uses it at once.
func (d *Desk) setReply(r *store.Reply, then func(error)) {
	r.Updated = d.Now()
	d.StoredReplies[r.Name] = r
	saved := *r
	d.Write(func(tx *store.Tx) error { return tx.PutReply(&saved) }, then)
}

type reqReplies struct{ reply chan []ReplyInfo }

func (reqReplies) String() string { return "request replies" }
func (r reqReplies) answer(d *Desk) {
	out := []ReplyInfo{}
	for _, n := range d.ReplyNames() {
		info, _ := d.replyInfo(n)
		out = append(out, info)
	}
	r.reply <- out
}

// Replies lists the canned replies, by name.
func (d *Desk) Replies(ctx context.Context) ([]ReplyInfo, error) {
	r := reqReplies{reply: make(chan []ReplyInfo, 1)}
	return ask(ctx, d, r, r.reply)
}

type reqPutReply struct {
	name, text, by string
	remove         bool
	reply          chan error
	done           chan error
}

func (r reqPutReply) String() string { return "request put-reply " + r.name }
func (r reqPutReply) answer(d *Desk) {
	if r.remove {
		if _, ok := d.ReplyText(r.name); !ok {
			r.reply <- ErrNoReply
			return
		}
		d.setReply(&store.Reply{Name: r.name, Removed: true, By: r.by}, func(err error) { r.done <- err })
		r.reply <- nil
		return
	}
	if err := reply.Check(r.name, r.text); err != nil {
		r.reply <- &InvalidReply{Msg: fmt.Sprintf("reply %q: %v", r.name, err)}
		return
	}
	d.setReply(&store.Reply{Name: r.name, Text: r.text, By: r.by}, func(err error) { r.done <- err })
	r.reply <- nil
}

func (d *Desk) changeReply(ctx context.Context, r reqPutReply) error {
	r.reply, r.done = make(chan error, 1), make(chan error, 1)
	return askStored(ctx, d, r, r.reply, r.done)
}

// PutReply sets a canned reply at runtime, ahead of the config file, and
// returns once it is stored; an InvalidReply says what is wrong with it.
func (d *Desk) PutReply(ctx context.Context, name, text, by string) error {
	return d.changeReply(ctx, reqPutReply{name: name, text: text, by: by})
}

// RemoveReply deletes a canned reply, also one the config file has;
// ErrNoReply when there is none.
func (d *Desk) RemoveReply(ctx context.Context, name, by string) error {
	return d.changeReply(ctx, reqPutReply{name: name, by: by, remove: true})
}
