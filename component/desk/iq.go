package desk

import (
	"slices"

	"switchboard/component/wire"
)

// features are what the component and its addresses support.
var features = []string{wire.NSDiscoInfo, wire.NSVersion, wire.NSPing, wire.NSOOB, wire.NSChatStates, wire.NSReceipts}

// request answers an IQ the component serves: disco#info and #items for
// the component, the desk and every entry point, software version, and
// ad-hoc commands on the desk's JID.
func (d *Desk) request(r wire.Request) {
	switch r.Kind {
	case wire.RequestInfo:
		d.Send(d.discoInfo(r))
	case wire.RequestItems:
		if r.Node == wire.NSCommands {
			d.adhocItems(r.From, r.To, r.ID)
			return
		}
		var items []wire.Item
		if wire.Local(r.To) == "" {
			for _, e := range d.Cfg.Entries {
				items = append(items, wire.Item{JID: e.Localpart + "@" + d.Cfg.XMPP.Domain, Name: e.Name})
			}
		}
		d.Send(wire.DiscoItems(r.To, r.From, r.ID, "", items))
	case wire.RequestVersion:
		d.Send(wire.Version(r.To, r.From, r.ID, "switchboard", Version))
	case wire.RequestCommand:
		d.adhoc(r.From, r.To, r.ID, *r.Command)
	}
}

func (d *Desk) discoInfo(r wire.Request) string {
	local := wire.Local(r.To)
	if r.Node != "" && local == d.Cfg.Desk.Localpart {
		// An ad-hoc command node, or the list of them.
		return wire.DiscoInfo(r.To, r.From, r.ID, r.Node, wire.Identity{Category: "automation", Type: "command-node"}, []string{wire.NSCommands, wire.NSForm})
	}
	var ident wire.Identity
	fs := features
	switch {
	case local == "" && wire.Resource(r.To) == "":
		ident = wire.Identity{Category: "component", Type: "generic", Name: "switchboard"}
	case local == d.Cfg.Desk.Localpart:
		ident = wire.Identity{Category: "automation", Type: "bot", Name: "switchboard desk"}
		fs = append(slices.Clip(fs), wire.NSCommands)
	default:
		e, ok := d.Cfg.Entry(local)
		if !ok {
			return wire.IQError(r.To, r.From, r.ID, wire.ErrNotFound)
		}
		ident = wire.Identity{Category: "client", Type: "bot", Name: e.Name}
	}
	return wire.DiscoInfo(r.To, r.From, r.ID, "", ident, fs)
}
