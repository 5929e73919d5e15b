package desk

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"switchboard/component/config"
	"switchboard/component/desk/agents"
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
	old := d.cfg
	d.cfg = cfg
	d.router.SetQueues(cfg.Queues)
	d.presence.SetUnroutable(unroutable(cfg)...)
	for _, q := range cfg.Queues {
		d.metrics.queues(q)
	}
	d.reloadAgents(cfg)
	// Subscribers of an entry point that is gone see it go.
	var out []string
	for _, e := range old.Entries {
		if _, ok := cfg.Entry(e.Localpart); !ok {
			for jid := range d.subscribers[e.Localpart] {
				out = append(out, d.entryPresenceTo(e.Localpart, jid, "unavailable"))
			}
		}
	}
	d.send(out...)
	d.announced = map[string]announced{} // announce the status as it is now
	d.checkHours(d.now())
	d.routeSoon = true
	d.log.Info("configuration applied", "file", cfg.File, "queues", len(cfg.Queues), "agents", d.roster.Len(), "entries", len(cfg.Entries))
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
	restart("xmpp", cfg.XMPP != d.cfg.XMPP)
	restart("http.listen", cfg.HTTP.Listen != d.cfg.HTTP.Listen)
	restart("store.path", cfg.Store.Path != d.cfg.Store.Path)
	restart("store.apply_every", cfg.Store.ApplyEvery != d.cfg.Store.ApplyEvery)
	restart("store.linger", cfg.Store.Linger != d.cfg.Store.Linger)
	restart("desk.localpart", cfg.Desk.Localpart != d.cfg.Desk.Localpart)

	queues := map[string]bool{}
	for _, q := range cfg.Queues {
		queues[q.Name] = true
	}
	inFile := map[string]bool{}
	for _, a := range cfg.Agents {
		inFile[a.JID] = true
	}
	byQueue, byEntry, byNode, byAgent := map[string][]string{}, map[string][]string{}, map[string][]string{}, map[string][]string{}
	for _, id := range slices.Sorted(maps.Keys(d.convs)) {
		c := d.convs[id]
		name := d.convName(c)
		e, ok := cfg.Entry(c.rec.Entry)
		if !ok {
			byEntry[c.rec.Entry] = append(byEntry[c.rec.Entry], name)
		}
		if c.rec.Status == dialogS && ok {
			if dlg := cfg.Dialogs[e.Dialog]; dlg == nil || dlg.Nodes[c.dialog.Node] == nil {
				key := e.Dialog + "." + c.dialog.Node
				byNode[key] = append(byNode[key], name)
			}
		}
		if c.rec.Status != dialogS && c.route.Queue != "" && !queues[c.route.Queue] && (c.rec.Open() || !c.rec.ReopenUntil.IsZero()) {
			byQueue[c.route.Queue] = append(byQueue[c.route.Queue], name)
		}
		for _, a := range append([]string{c.rec.Agent}, c.offeredTo()...) {
			if a != "" && c.rec.Open() && !inFile[a] && !d.roster.Runtime(a) && d.roster.Is(a) {
				byAgent[a] = append(byAgent[a], name)
			}
		}
	}
	for _, m := range []struct {
		what string
		in   map[string][]string
	}{{"queue", byQueue}, {"entry", byEntry}, {"dialog node", byNode}, {"agent", byAgent}} {
		for _, k := range slices.Sorted(maps.Keys(m.in)) {
			p = append(p, fmt.Sprintf("%s %s is removed but %s uses it", m.what, k, strings.Join(m.in[k], ", ")))
		}
	}
	return p
}

// reloadAgents lays the file's agents under those changed at runtime,
// which win, as at start-up.
func (d *Desk) reloadAgents(cfg *config.Config) {
	gone, added, now := d.roster.Reload(cfg.Agents)
	var out []string
	for _, j := range gone {
		d.router.RemoveAgent(j)
		d.presence.Forget(j)
		out = append(out, agents.Unsubscribe(d.deskJID(), j))
	}
	for _, j := range added {
		// Ask the new agent for their presence, as at start-up.
		out = append(out, agents.Greeting(d.deskJID(), j, d.roster.Approved(j))...)
	}
	for _, a := range now {
		d.router.SetAgent(a, d.now())
	}
	if d.connected {
		d.send(out...)
	}
}
