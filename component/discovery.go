package component

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"switchboard/component/wire"
	"switchboard/store"
)

// clientInfo is what a client said about itself.
type clientInfo struct {
	Name, Version, OS string
	Features          []string
}

// query asks a client for disco#info and software version. It waits for
// the answers and must run on its own goroutine.
func (d *Desk) query(from, to string, withVersion bool) (clientInfo, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var info clientInfo
	var disco wire.DiscoResult
	err := d.conn.sendIQ(ctx, wire.DiscoInfoGet(from, to, newID("disco")), &disco)
	for _, f := range disco.Features {
		if len(info.Features) < 256 && len(f.Var) < 256 {
			info.Features = append(info.Features, f.Var)
		}
	}
	sort.Strings(info.Features)
	if !withVersion {
		return info, err
	}
	var v wire.VersionResult
	if verr := d.conn.sendIQ(ctx, wire.VersionGet(from, to, newID("ver")), &v); verr == nil {
		info.Name, info.Version, info.OS = truncate(v.Name, 64), truncate(v.Version, 64), truncate(v.OS, 64)
	} else if err == nil {
		err = verr
	}
	if info.Name == "" && len(disco.Identities) > 0 {
		info.Name = truncate(disco.Identities[0].Name, 64)
	}
	return info, err
}

// discoverCustomer learns what the customer's client supports, from the
// caps cache when its presence carried caps, else by asking it.
func (d *Desk) discoverCustomer(c *conv, full string, caps *wire.Caps) {
	if wire.Resource(full) == "" {
		return
	}
	key := ""
	if caps != nil && caps.Ver != "" {
		key = caps.Node + "#" + caps.Ver
		if info, ok := d.caps[key]; ok {
			d.clientDiscovered(c.rec.ID, "", info, nil)
			return
		}
	}
	id := c.rec.ID
	from := c.rec.Entry + "@" + d.cfg.XMPP.Domain
	d.spawn(func() {
		info, err := d.query(from, full, true)
		d.post(func() { d.clientDiscovered(id, key, info, err) })
	})
}

func (d *Desk) clientDiscovered(id uint64, capsKey string, info clientInfo, err error) {
	if err != nil && info.Name == "" && len(info.Features) == 0 {
		d.log.Info("customer's client did not answer discovery", "conversation", id, "err", err)
		return
	}
	if capsKey != "" && len(d.caps) < 10000 {
		d.caps[capsKey] = info
	}
	c := d.convs[id]
	if c == nil {
		return
	}
	c.rec.Client = store.Client{Name: info.Name, Version: info.Version, OS: info.OS, Features: info.Features}
	st := d.step(c)
	st.event("desk", "client", clientLine(c.rec.Client))
	if c.room.ready && len(c.room.occupants) > 0 {
		st.send(d.notice(c, "Customer's client: "+clientLine(c.rec.Client)))
	}
	st.commit()
}

// discoverAgent learns the features of one agent resource.
func (d *Desk) discoverAgent(bare, full, capsKey string) {
	if capsKey != "" {
		if info, ok := d.caps[capsKey]; ok {
			d.presence.SetFeatures(bare, wire.Resource(full), info.Features)
			return
		}
	}
	d.spawn(func() {
		info, err := d.query(d.deskJID(), full, false)
		d.post(func() {
			if err != nil {
				d.log.Info("agent's client did not answer disco#info", "agent", bare, "err", err)
				return
			}
			if capsKey != "" && len(d.caps) < 10000 {
				d.caps[capsKey] = info
			}
			d.presence.SetFeatures(bare, wire.Resource(full), info.Features)
			d.route()
		})
	})
}

// notable are the features an agent may care about, with short names.
var notable = []struct{ ns, name string }{
	{wire.NSOOB, "file links"},
	{"urn:xmpp:jingle:apps:rtp:audio", "voice"},
	{"urn:xmpp:jingle:apps:rtp:video", "video"},
	{"urn:xmpp:http:upload:0", "upload"},
	{wire.NSReceipts, "receipts"},
	{wire.NSChatStates, "typing"},
	{"eu.siacs.conversations.axolotl.devicelist+notify", "OMEMO"},
}

func clientLine(c store.Client) string {
	s := c.Name
	if s == "" {
		s = "unknown client"
	}
	if c.Version != "" {
		s += " " + c.Version
	}
	if c.OS != "" {
		s += " on " + c.OS
	}
	var have []string
	for _, n := range notable {
		if slices.Contains(c.Features, n.ns) {
			have = append(have, n.name)
		}
	}
	if len(have) > 0 {
		s += " (" + strings.Join(have, ", ") + ")"
	}
	return s
}

// summary opens a conversation's room.
func (d *Desk) summary(c *conv) string {
	r := c.rec
	var b strings.Builder
	fmt.Fprintf(&b, "Conversation %s%d from %s via %s@%s\n", d.cfg.XMPP.RoomPrefix, r.ID, r.Customer, r.Entry, d.cfg.XMPP.Domain)
	fmt.Fprintf(&b, "Client: %s\n", clientLine(r.Client))
	if r.Language != "" {
		fmt.Fprintf(&b, "Language: %s\n", r.Language)
	}
	fmt.Fprintf(&b, "Queue: %s, priority %d\n", r.Queue, r.Priority)
	if len(r.Answers) > 0 {
		b.WriteString("Answers:")
		for _, k := range slices.Sorted(maps.Keys(r.Answers)) {
			fmt.Fprintf(&b, " %s=%s", k, r.Answers[k])
		}
		b.WriteString("\n")
	}
	if earlier := d.earlier(r.Customer, r.ID); earlier != "" {
		b.WriteString("Earlier: " + earlier + "\n")
	}
	fmt.Fprintf(&b, "The customer's messages appear under %q. Lines starting with %s stay private; /help lists commands.", c.room.nick, d.cfg.Desk.PrivatePrefix)
	return b.String()
}

// recapLines bounds the transcript lines of a recap.
const recapLines = 30

// recap renders the summary and the latest transcript for an agent who
// joins the room.
func (d *Desk) recap(c *conv, who string) string {
	var b strings.Builder
	b.WriteString("Recap " + who + ":\n")
	b.WriteString(d.summary(c))
	var msgs []store.Message
	var total int
	_ = d.store.View(func(tx *store.Tx) error {
		var err error
		msgs, total, err = tx.TranscriptTail(c.rec.ID, recapLines)
		return err
	})
	if total > len(msgs) {
		fmt.Fprintf(&b, "\n… %d earlier messages (see the record)", total-len(msgs))
	}
	if len(msgs) > 0 {
		b.WriteString("\nTranscript:")
	}
	for _, m := range msgs {
		from := m.From
		switch {
		case from == "customer":
			from = c.room.nick
		case from != "desk":
			from = d.agentName(from)
		}
		mark := ""
		if m.Private {
			mark = " (private)"
		}
		body := m.Body
		if m.URL != "" {
			body += " " + m.URL
		}
		fmt.Fprintf(&b, "\n%s %s%s: %s", m.At.Format("15:04"), from, mark, truncate(strings.ReplaceAll(body, "\n", " "), 200))
	}
	return b.String()
}

// earlier lists the customer's previous conversations.
func (d *Desk) earlier(customer string, except uint64) string {
	var parts []string
	_ = d.store.View(func(tx *store.Tx) error {
		cu, err := tx.Customer(customer)
		if err != nil {
			return err
		}
		ids := cu.Conversations
		if len(ids) > 6 {
			ids = ids[len(ids)-6:]
		}
		for _, id := range ids {
			if id == except {
				continue
			}
			if o, err := tx.Conversation(id); err == nil {
				parts = append(parts, fmt.Sprintf("%s%d %s %s", d.cfg.XMPP.RoomPrefix, id, o.Status, o.Created.Format("2006-01-02")))
			}
		}
		return nil
	})
	return strings.Join(parts, "; ")
}
