package customers

import (
	"context"
	"time"

	"switchboard/component/desk/command"
	"switchboard/component/desk/core"
	"switchboard/component/desk/view"
	"switchboard/component/texts"
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
			d.ClientDiscovered(core.EvClientFound{ID: c.Rec.ID, Info: info})
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

func (d *Desk) ClientDiscovered(ev core.EvClientFound) {
	info := ev.Info
	if ev.Err != nil && info.Name == "" && len(info.Features) == 0 {
		d.Log.Info("customer's client did not answer discovery", "conversation", ev.ID, "err", ev.Err)
		return
	}
	info.Name, info.Version, info.OS = command.Truncate(info.Name, 64), command.Truncate(info.Version, 64), command.Truncate(info.OS, 64)
	if ev.CapsKey != "" && len(d.Caps) < core.MaxCaps {
		d.Caps[ev.CapsKey] = info
	}
	c := d.Convs[ev.ID]
	if c == nil {
		return
	}
	c.Rec.Client = store.Client{Name: info.Name, Version: info.Version, OS: info.OS, Features: info.Features}
	st := d.Step(c)
	st.Event("desk", "client", view.ClientLine(texts.English, c.Rec.Client))
	if c.Room.Ready && len(c.Room.Occupants) > 0 {
		st.Send(d.Note(c, texts.ClientNotice, texts.A{"client": view.ClientLine(d.Staff(), c.Rec.Client)}))
	}
	st.Commit()
}
