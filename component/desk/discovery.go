package desk

import (
	"context"
	"time"

	"switchboard/component/desk/view"
	"switchboard/component/wire"
	"switchboard/store"
)

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
			d.clientDiscovered(evClientFound{id: c.rec.ID, info: info})
			return
		}
	}
	ev := evClientFound{id: c.rec.ID, capsKey: key}
	from := c.rec.Entry + "@" + d.cfg.XMPP.Domain
	d.spawn(func() event {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ev.info, ev.err = d.link.Discover(ctx, from, full, true)
		return ev
	})
}

// maxCaps bounds the caps cache.
const maxCaps = 10000

func (d *Desk) clientDiscovered(ev evClientFound) {
	info := ev.info
	if ev.err != nil && info.Name == "" && len(info.Features) == 0 {
		d.log.Info("customer's client did not answer discovery", "conversation", ev.id, "err", ev.err)
		return
	}
	info.Name, info.Version, info.OS = truncate(info.Name, 64), truncate(info.Version, 64), truncate(info.OS, 64)
	if ev.capsKey != "" && len(d.caps) < maxCaps {
		d.caps[ev.capsKey] = info
	}
	c := d.convs[ev.id]
	if c == nil {
		return
	}
	c.rec.Client = store.Client{Name: info.Name, Version: info.Version, OS: info.OS, Features: info.Features}
	st := d.step(c)
	st.event("desk", "client", view.ClientLine(c.rec.Client))
	if c.room.Ready && len(c.room.Occupants) > 0 {
		st.send(d.notice(c, "Customer's client: "+view.ClientLine(c.rec.Client)))
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
	from := d.deskJID()
	d.spawn(func() event {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		info, err := d.link.Discover(ctx, from, full, false)
		return evAgentClient{bare: bare, full: full, capsKey: capsKey, info: info, err: err}
	})
}

func (d *Desk) agentDiscovered(ev evAgentClient) {
	if ev.err != nil {
		d.log.Info("agent's client did not answer disco#info", "agent", ev.bare, "err", ev.err)
		return
	}
	if ev.capsKey != "" && len(d.caps) < maxCaps {
		d.caps[ev.capsKey] = ev.info
	}
	d.presence.SetFeatures(ev.bare, wire.Resource(ev.full), ev.info.Features)
	d.routeSoon = true
}
