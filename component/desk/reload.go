package desk

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"switchboard/component/channel"
	"switchboard/component/config"
	"switchboard/component/desk/agents"
	"switchboard/component/desk/core"
)

// reload applies a new configuration: agents, queues, dialogs, entry
// points and limits change at once, and no open or queued conversation is
// dropped. A configuration that would strand a conversation (its queue,
// its dialog node, its entry point or its agent removed) or that changes
// what only a restart can (the connection, the store) is refused whole,
// with every reason.
func (d *Desk) reload(cfg *config.Config) error {
	if problems := d.reloadProblems(cfg); len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	old := d.Cfg
	d.Cfg = cfg
	if d.Links != nil {
		d.Links = &channel.Links{Key: d.Links.Key, Base: cfg.HTTP.PublicURL, TTL: cfg.Files.LinkTTL}
	}
	d.Router.SetQueues(cfg.Queues)
	d.Presence.SetUnroutable(core.Unroutable(cfg)...)
	for _, q := range cfg.Queues {
		d.Metrics.Queues(q)
	}
	d.reloadAgents(cfg)
	// Subscribers of an entry point that is gone see it go.
	var out []string
	for _, e := range old.Entries {
		if _, ok := cfg.Entry(e.Localpart); !ok {
			for jid := range d.Subscribers[e.Localpart] {
				out = append(out, d.cust.EntryPresenceTo(e.Localpart, jid, "unavailable"))
			}
		}
	}
	d.Send(out...)
	d.Announced = map[string]core.Announced{} // announce the status as it is now
	d.CheckHours(d.Now())
	d.RouteSoon = true
	d.Log.Info("configuration applied", "file", cfg.File, "queues", len(cfg.Queues), "agents", d.Roster.Len(), "entries", len(cfg.Entries))
	return nil
}

// reloadProblems says why cfg cannot replace the running configuration.
func (d *Desk) reloadProblems(cfg *config.Config) []string {
	var p []string
	restart := func(key string, changed bool) {
		if changed {
			p = append(p, key+" changes only with a restart")
		}
	}
	restart("xmpp", cfg.XMPP != d.Cfg.XMPP)
	restart("http.listen", cfg.HTTP.Listen != d.Cfg.HTTP.Listen)
	restart("store.path", cfg.Store.Path != d.Cfg.Store.Path)
	restart("store.apply_every", cfg.Store.ApplyEvery != d.Cfg.Store.ApplyEvery)
	restart("store.linger", cfg.Store.Linger != d.Cfg.Store.Linger)
	restart("desk.localpart", cfg.Desk.Localpart != d.Cfg.Desk.Localpart)

	queues := map[string]bool{}
	for _, q := range cfg.Queues {
		queues[q.Name] = true
	}
	inFile := map[string]bool{}
	for _, a := range cfg.Agents {
		inFile[a.JID] = true
	}
	byQueue, byEntry, byNode, byAgent, byChannel := map[string][]string{}, map[string][]string{}, map[string][]string{}, map[string][]string{}, map[string][]string{}
	for _, id := range slices.Sorted(maps.Keys(d.Convs)) {
		c := d.Convs[id]
		name := d.ConvName(c)
		e, ok := cfg.Entry(c.Rec.Entry)
		if !ok {
			byEntry[c.Rec.Entry] = append(byEntry[c.Rec.Entry], name)
		}
		if c.Rec.Status == core.Dialog && ok {
			if dlg := cfg.Dialogs[e.Dialog]; dlg == nil || dlg.Nodes[c.Dialog.Node] == nil {
				key := e.Dialog + "." + c.Dialog.Node
				byNode[key] = append(byNode[key], name)
			}
		}
		if c.Rec.Status != core.Dialog && c.Route.Queue != "" && !queues[c.Route.Queue] && (c.Rec.Open() || !c.Rec.ReopenUntil.IsZero()) {
			byQueue[c.Route.Queue] = append(byQueue[c.Route.Queue], name)
		}
		for _, ch := range []string{c.Rec.Provider, c.Rec.ReplyVia} {
			if _, ok := cfg.Channel(ch); ch != "" && !ok && c.Rec.Open() {
				byChannel[ch] = append(byChannel[ch], name)
			}
		}
		for _, a := range append([]string{c.Rec.Agent}, c.OfferedTo()...) {
			if a != "" && c.Rec.Open() && !inFile[a] && !d.Roster.Runtime(a) && d.Roster.Is(a) {
				byAgent[a] = append(byAgent[a], name)
			}
		}
	}
	for _, m := range []struct {
		what string
		in   map[string][]string
	}{{"queue", byQueue}, {"entry", byEntry}, {"dialog node", byNode}, {"agent", byAgent}, {"channel", byChannel}} {
		for _, k := range slices.Sorted(maps.Keys(m.in)) {
			p = append(p, fmt.Sprintf("%s %s is removed but %s uses it", m.what, k, strings.Join(m.in[k], ", ")))
		}
	}
	return p
}

// reloadAgents lays the file's agents under those changed at runtime,
// which win, as at start-up.
func (d *Desk) reloadAgents(cfg *config.Config) {
	gone, added, now := d.Roster.Reload(cfg.Agents)
	var out []string
	for _, j := range gone {
		d.Router.RemoveAgent(j)
		d.Presence.Forget(j)
		out = append(out, agents.Unsubscribe(d.DeskJID(), j))
	}
	for _, j := range added {
		// Ask the new agent for their presence, as at start-up.
		out = append(out, agents.Greeting(d.DeskJID(), j, d.Roster.Approved(j))...)
	}
	for _, a := range now {
		d.Router.SetAgent(a, d.Now())
	}
	if d.Online {
		d.Send(out...)
	}
}
