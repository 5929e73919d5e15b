package core

import (
	"strings"
	"time"

	"switchboard/component/texts"
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
		now := st.Now
		st.Also(func(tx *store.Tx) error { return outbox.Add(tx, e, now) })
		st.outgoing = append(st.outgoing, e)
	}
}

// channelName names c's channel for agents: "SMS", "voicemail",
// "hook:forms".
func channelName(c *Conv) string { return ChannelName(c.Rec) }

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

// NoWayBack is the room's notice for a line written to a customer whose
// channel carries no answers: what it came by, and the customer's other
// ways (/via).
func (d *Desk) NoWayBack(c *Conv) string {
	var ways []string
	if strings.HasPrefix(c.Rec.Customer, "tel:") {
		for _, ch := range d.Cfg.Channels {
			if ch.Kind == "twilio" {
				ways = append(ways, "/via "+ch.Name)
			}
		}
	}
	a := texts.A{"channel": channelName(c)}
	if len(ways) == 0 {
		return d.Staff().Get(texts.NoWayBack, a)
	}
	a["via"] = strings.Join(ways, ", ")
	return d.Staff().Get(texts.NoWayBackVia, a)
}

// keysKept is how long the desk keeps a channel message's key in memory:
// long past the store applying it, where an older one is looked up.
const keysKept = 10 * time.Minute

// PruneKeys forgets, once a minute, the keys the store holds by now and
// the threads of conversations the desk no longer holds.
func (d *Desk) PruneKeys(now time.Time) {
	if now.Sub(d.keysPruned) < time.Minute {
		return
	}
	d.keysPruned = now
	for k, s := range d.Keys {
		if now.Sub(s.At) > keysKept {
			delete(d.Keys, k)
		}
	}
	for t, id := range d.Threads {
		if d.Convs[id] == nil {
			delete(d.Threads, t)
		}
	}
}
