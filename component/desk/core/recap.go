package core

import (
	"slices"
	"strconv"

	"switchboard/component/desk/view"
	"switchboard/store"
)

// What agents read about a conversation (component/desk/view): the
// summary that opens its room and the recap posted whenever an agent
// joins (rooms keep no history).

// ViewOf is what agents read of c.
func (d *Desk) ViewOf(c *Conv) view.Conversation {
	r := c.Rec
	v := view.Conversation{Name: d.ConvName(c), Customer: r.Customer, Entry: r.Entry + "@" + d.Cfg.XMPP.Domain, Client: r.Client,
		Language: r.Language, Queue: c.Route.Queue, Priority: c.Route.Priority, Answers: r.Answers, Kind: r.Kind,
		Nick: c.Room.Nick, PrivatePrefix: d.Cfg.Desk.PrivatePrefix, Channel: ChannelOf(c), Address: r.Address, WayBack: d.Answerable(c), Matches: d.Matches(c)}
	if r.Callback != nil {
		v.Callback = view.CallbackLine(d.Staff(), r.Callback, d.CallZone(c, c.Route.Queue))
	}
	return v
}

// Summary opens a conversation's room.
func (d *Desk) Summary(c *Conv) string {
	v := d.ViewOf(c)
	v.Earlier = view.EarlierLine(d.earlier(c.Rec.Customer, c.Rec.ID, 6))
	return view.Summary(d.Staff(), v)
}

// Recap renders the summary and the latest transcript for an agent who
// joins the room.
func (d *Desk) Recap(c *Conv, who string) string {
	v := d.ViewOf(c)
	v.Earlier = view.EarlierLine(d.earlier(c.Rec.Customer, c.Rec.ID, 6))
	msgs, total := d.TranscriptTail(c, view.RecapLines)
	lines := make([]view.Line, len(msgs))
	for i, m := range msgs {
		from := m.From
		switch {
		case from == "customer":
			from = c.Room.Nick
		case from != "desk":
			from = d.AgentName(from)
		}
		lines[i] = view.Line{At: m.At, From: from, Private: m.Private, Body: m.Body, URL: d.Links.Sign(m.URL, d.Now())}
	}
	return view.Recap(d.Staff(), who, v, lines, total)
}

// earlier lists up to the last n of the customer's other conversations,
// as the desk last accepted them.
func (d *Desk) earlier(customer string, except uint64, n int) []view.Earlier {
	var out []view.Earlier
	_ = d.Store.ViewApplied(func(tx *store.Tx) error {
		var ids []uint64
		for _, who := range CustomerGroup(tx, customer) {
			cu, err := tx.Customer(who)
			if err != nil {
				return err
			}
			ids = append(ids, cu.Conversations...)
		}
		slices.Sort(ids)
		if len(ids) > n {
			ids = ids[len(ids)-n:]
		}
		for _, id := range ids {
			if id == except {
				continue
			}
			if o, err := d.Record(tx, id); err == nil {
				out = append(out, d.EarlierOf(o))
			}
		}
		return nil
	})
	return out
}

func (d *Desk) EarlierOf(o *store.Conversation) view.Earlier {
	e := view.Earlier{ID: o.ID, Name: d.Cfg.XMPP.RoomPrefix + strconv.FormatUint(o.ID, 10), Created: o.Created, Status: o.Status, Entry: o.Entry, Kind: o.Kind,
		Queue: o.Queue, Resolution: o.Resolution, Tags: o.Tags, Rating: o.Rating, Channel: ChannelName(o)}
	if o.Agent != "" {
		e.Agent = d.AgentName(o.Agent)
	}
	return e
}
