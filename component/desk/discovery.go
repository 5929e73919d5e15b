package desk

import (
	"context"
	"time"

	"switchboard/component/desk/core"
	"switchboard/component/wire"
)

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
	if ev.CapsKey != "" && len(d.Caps) < core.MaxCaps {
		d.Caps[ev.CapsKey] = ev.Info
	}
	d.Presence.SetFeatures(ev.Bare, wire.Resource(ev.Full), ev.Info.Features)
	d.RouteSoon = true
}
