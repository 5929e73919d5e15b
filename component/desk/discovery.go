package desk

import (
	"context"
	"time"

	"switchboard/component/desk/core"
	"switchboard/component/desk/view"
	"switchboard/component/wire"
	"switchboard/store"
)

// discoverCustomer learns what the customer's client supports, from the
// caps cache when its presence carried caps, else by asking it.
func (d *Desk) discoverCustomer(c *core.Conv, full string, caps *wire.Caps) {
	if wire.Resource(full) == "" {
		return
	}
	key := ""
	if caps != nil && caps.Ver != "" {
		key = caps.Node + "#" + caps.Ver
		if info, ok := d.Caps[key]; ok {
			d.clientDiscovered(core.EvClientFound{ID: c.Rec.ID, Info: info})
			return
		}
	}
	ev := core.EvClientFound{ID: c.Rec.ID, CapsKey: key}
	from := c.Rec.Entry + "@" + d.Cfg.XMPP.Domain
	d.Spawn(func() core.Event {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ev.Info, ev.Err = d.Link.Discover(ctx, from, full, true)
		return ev
	})
}

// MaxCaps bounds the caps cache.
const MaxCaps = 10000

func (d *Desk) clientDiscovered(ev core.EvClientFound) {
	info := ev.Info
	if ev.Err != nil && info.Name == "" && len(info.Features) == 0 {
		d.Log.Info("customer's client did not answer discovery", "conversation", ev.ID, "err", ev.Err)
		return
	}
	info.Name, info.Version, info.OS = truncate(info.Name, 64), truncate(info.Version, 64), truncate(info.OS, 64)
	if ev.CapsKey != "" && len(d.Caps) < MaxCaps {
		d.Caps[ev.CapsKey] = info
	}
	c := d.Convs[ev.ID]
	if c == nil {
		return
	}
	c.Rec.Client = store.Client{Name: info.Name, Version: info.Version, OS: info.OS, Features: info.Features}
	st := d.Step(c)
	st.Event("desk", "client", view.ClientLine(c.Rec.Client))
	if c.Room.Ready && len(c.Room.Occupants) > 0 {
		st.Send(d.Notice(c, "Customer's client: "+view.ClientLine(c.Rec.Client)))
	}
	st.Commit()
}

// discoverAgent learns the features of one agent resource.
func (d *Desk) discoverAgent(bare, full, capsKey string) {
	if capsKey != "" {
		if info, ok := d.Caps[capsKey]; ok {
			d.Presence.SetFeatures(bare, wire.Resource(full), info.Features)
			return
		}
	}
	from := d.DeskJID()
	d.Spawn(func() core.Event {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		info, err := d.Link.Discover(ctx, from, full, false)
		return core.EvAgentClient{Bare: bare, Full: full, CapsKey: capsKey, Info: info, Err: err}
	})
}

func (d *Desk) agentDiscovered(ev core.EvAgentClient) {
	if ev.Err != nil {
		d.Log.Info("agent's client did not answer disco#info", "agent", ev.Bare, "err", ev.Err)
		return
	}
	if ev.CapsKey != "" && len(d.Caps) < MaxCaps {
		d.Caps[ev.CapsKey] = ev.Info
	}
	d.Presence.SetFeatures(ev.Bare, wire.Resource(ev.Full), ev.Info.Features)
	d.RouteSoon = true
}
