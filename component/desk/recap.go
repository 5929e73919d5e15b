package desk

import (
	"strconv"

	"switchboard/component/desk/view"
	"switchboard/store"
)

// What agents read about a conversation (component/desk/view): the
// summary that opens its room and the recap posted whenever an agent
// joins (rooms keep no history).

// viewOf is what agents read of c.
func (d *Desk) viewOf(c *conv) view.Conversation {
	r := c.rec
	v := view.Conversation{Name: d.convName(c), Customer: r.Customer, Entry: r.Entry + "@" + d.cfg.XMPP.Domain, Client: r.Client,
		Language: r.Language, Queue: c.route.Queue, Priority: c.route.Priority, Answers: r.Answers, Kind: r.Kind,
		Nick: c.room.Nick, PrivatePrefix: d.cfg.Desk.PrivatePrefix}
	if r.Callback != nil {
		v.Callback = view.CallbackLine(r.Callback, d.callZone(c, c.route.Queue))
	}
	return v
}

// summary opens a conversation's room.
func (d *Desk) summary(c *conv) string {
	v := d.viewOf(c)
	v.Earlier = view.EarlierLine(d.earlier(c.rec.Customer, c.rec.ID, 6))
	return view.Summary(v)
}

// recap renders the summary and the latest transcript for an agent who
// joins the room.
func (d *Desk) recap(c *conv, who string) string {
	v := d.viewOf(c)
	v.Earlier = view.EarlierLine(d.earlier(c.rec.Customer, c.rec.ID, 6))
	msgs, total := d.transcriptTail(c, view.RecapLines)
	lines := make([]view.Line, len(msgs))
	for i, m := range msgs {
		from := m.From
		switch {
		case from == "customer":
			from = c.room.Nick
		case from != "desk":
			from = d.agentName(from)
		}
		lines[i] = view.Line{At: m.At, From: from, Private: m.Private, Body: m.Body, URL: m.URL}
	}
	return view.Recap(who, v, lines, total)
}

// earlier lists up to the last n of the customer's other conversations,
// as the desk last accepted them.
func (d *Desk) earlier(customer string, except uint64, n int) []view.Earlier {
	var out []view.Earlier
	_ = d.store.ViewApplied(func(tx *store.Tx) error {
		cu, err := tx.Customer(customer)
		if err != nil {
			return err
		}
		ids := cu.Conversations
		if len(ids) > n {
			ids = ids[len(ids)-n:]
		}
		for _, id := range ids {
			if id == except {
				continue
			}
			if o, err := d.record(tx, id); err == nil {
				out = append(out, d.earlierOf(o))
			}
		}
		return nil
	})
	return out
}

func (d *Desk) earlierOf(o *store.Conversation) view.Earlier {
	e := view.Earlier{Name: d.cfg.XMPP.RoomPrefix + strconv.FormatUint(o.ID, 10), Created: o.Created, Status: o.Status, Entry: o.Entry, Kind: o.Kind,
		Queue: o.Queue, Resolution: o.Resolution, Tags: o.Tags, Rating: o.Rating}
	if o.Agent != "" {
		e.Agent = d.agentName(o.Agent)
	}
	return e
}
