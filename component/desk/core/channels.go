package core

import (
	"switchboard/component/wire"
	"switchboard/store"
	"switchboard/store/outbox"
)

// A conversation's channel is the way its customer came in and is
// answered: XMPP by the desk's own stanzas, the others through the
// outbox (store/outbox), whose sender delivers once the step is durable.

// IsXMPP reports whether c's customer came by XMPP.
func (c *Conv) IsXMPP() bool { return c.Rec.Channel == "" || c.Rec.Channel == "xmpp" }

// replyChannel is the [[channel]] c's answers go through, "" for XMPP,
// and whether there is a way back at all.
func (d *Desk) replyChannel(c *Conv) (string, bool) {
	if c.IsXMPP() {
		return "", true
	}
	name := c.Rec.Provider
	if c.Rec.ReplyVia != "" {
		name = c.Rec.ReplyVia
	} else if c.Rec.Channel == "voice" {
		return "", false // a voicemail: nothing goes back the way it came
	}
	ch, ok := d.Cfg.Channel(name)
	if !ok || ch.Kind == "hook" && ch.ReplyURL == "" {
		return name, false
	}
	return name, true
}

// Answerable reports whether what is written for c's customer reaches
// them.
func (d *Desk) Answerable(c *Conv) bool {
	_, ok := d.replyChannel(c)
	return ok
}

// ToCustomer sends body (and a link) to c's customer through their
// channel, as part of st: an XMPP chat from the entry point, or an outbox
// entry. A conversation whose channel carries nothing back gets nothing.
func (st *Step) ToCustomer(body, url string) {
	c, d := st.c, st.d
	name, ok := d.replyChannel(c)
	switch {
	case name == "" && ok:
		st.Send(wire.Message{From: c.Rec.Entry + "@" + d.Cfg.XMPP.Domain, To: c.To(), Type: "chat", Body: body, URL: d.Links.Sign(url, st.Now)}.String())
	case ok:
		e := &outbox.Entry{Kind: outbox.Reply, Conversation: c.Rec.ID, Channel: name, To: c.Rec.Address, Body: body}
		if url != "" {
			e.Media = []string{d.Links.Sign(url, st.Now)}
		}
		st.Outgoing(e)
	}
}

// ChannelOf names c's channel for agents: "SMS", "voicemail",
// "hook:forms"; "" for XMPP.
func ChannelOf(c *Conv) string { return ChannelName(c.Rec) }

// ChannelName names a conversation's channel for agents; "" for XMPP.
func ChannelName(r *store.Conversation) string {
	switch r.Channel {
	case "", "xmpp":
		return ""
	case "sms":
		return "SMS"
	case "voice":
		return "voicemail"
	}
	return r.Channel
}
