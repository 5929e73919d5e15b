package desk

import (
	"fmt"
	"maps"
	"slices"

	"switchboard/component/desk/core"
	"switchboard/presence"
	"switchboard/routing/dialog"
	"switchboard/store"
	"switchboard/store/replies"
)

// resume loads every conversation that has not ended, so that a restart
// loses nothing: dialogs continue where they were, queued conversations
// keep their place (routing orders by the time they were queued), offers
// that were out become queued again, and open rooms are joined once the
// server is reachable.
func (d *Desk) resume() error {
	var active []*store.Conversation
	var stored []*store.Agent
	var subs map[string][]string
	var ended []store.Ended
	err := d.Store.View(func(tx *store.Tx) error {
		d.LastID = tx.LastID()
		var err error
		if active, err = tx.Active(); err != nil {
			return err
		}
		if subs, err = tx.Subscriptions(); err != nil {
			return err
		}
		if ended, err = tx.Recent(core.EstimateHistory); err != nil {
			return err
		}
		if stored, err = tx.Agents(); err != nil {
			return err
		}
		changed, err := replies.All(tx)
		for _, r := range changed {
			d.StoredReplies[r.Name] = r
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	for entry, jids := range subs {
		d.Subscribers[entry] = map[string]bool{}
		for _, j := range jids {
			d.Subscribers[entry][j] = true
		}
	}
	d.applyStoredAgents(stored)
	d.LearnHistory(ended)
	for _, a := range stored {
		if d.Roster.Is(a.JID) && a.Paused {
			d.Presence.Pause(a.JID, a.Reason, a.Since)
		}
	}
	for _, rec := range active {
		c := core.NewConv(rec)
		c.Resumed = true
		if slices.Contains(core.Handling, rec.Status) {
			c.HeldSince = rec.Assigned
		}
		if _, ok := d.Cfg.Entry(rec.Entry); !ok {
			d.Log.Warn("conversation's entry point is no longer configured; it stays open but unreachable", "conversation", rec.ID, "entry", rec.Entry)
			continue
		}
		switch rec.Status {
		case store.StatusDialog:
			c.Dialog = dialog.State{Node: rec.DialogNode, Answers: rec.Answers, Priority: rec.Priority, Needs: rec.Needs}
			if c.Dialog.Node == "" {
				c.Dialog.Node = dialog.StartNode
			}
		case store.StatusOffered:
			// The offer's timer is gone: it is made again once the room
			// is back, to whoever routing picks then.
			rec.Status = store.StatusQueued
			c.Stale = c.OfferedTo() // invited before the restart: told when someone takes it
			rec.Offered, rec.Ringing = "", nil
		}
		if d.Router.Queue(rec.Queue) == nil && rec.Status == store.StatusQueued {
			d.Log.Warn("conversation's queue is no longer configured", "conversation", rec.ID, "queue", rec.Queue)
		}
		if rec.Agent != "" && rec.Open() {
			d.Router.Assigned(rec.Agent) // also while a transfer is under way
		}
		if lv := rec.Leaving; lv != nil && lv.Kind == store.KindMessage && lv.Lines > 0 {
			d.After(core.MessagePause, core.TimerPause, rec.ID, "") // a message under way ends with a pause from now
		}
		if c.Scheduled(d.Now()) {
			d.After(rec.Callback.At.Sub(d.Now()), core.TimerCallback, rec.ID, "")
		}
		if !rec.Open() {
			d.After(rec.ReopenUntil.Sub(d.Now()), core.TimerWindow, rec.ID, "") // closed, within its reopen window
		}
		d.Convs[rec.ID] = c
		d.ByCustomer[c.CustomerKey()] = c
		if rec.Status != store.StatusDialog {
			d.JoinRoom(c) // registers the room; the presence goes out on connect
		}
		if rec.Status == store.StatusDialog || rec.Open() {
			// The customer timeout counts from the restart.
			c.LastCustomer = d.Now()
			d.ArmTimeout(c)
		}
		if rec.Status == store.StatusOpen {
			// A customer's line no agent answered before the restart
			// keeps waiting from when it came.
			msgs, _ := d.TranscriptTail(c, 20)
			for i := len(msgs) - 1; i >= 0; i-- {
				if !msgs[i].Private {
					if msgs[i].From == "customer" {
						d.CustomerWaits(c, msgs[i].At)
					}
					break
				}
			}
		}
	}
	d.Log.Info("resumed", "conversations", len(d.Convs), "last_id", d.LastID)
	return nil
}

// onConnected runs when a stream to the server is up.
func (d *Desk) onConnected() {
	d.Online = true
	d.ready.Store(true)
	// The agents' presence comes in as answers to the greeting: routing
	// waits a moment for it, so that the first agent to answer does not
	// take what routing would give someone else (a conversation they
	// declined before, or one the longest idle should have).
	d.Settled = d.After(core.PresenceSettle, core.TimerRoute, 0, "")
	d.greetAgents()
	var out []string
	for _, id := range slices.Sorted(maps.Keys(d.Convs)) {
		c := d.Convs[id]
		if c.Room.JID != "" {
			c.Room.Joined, c.Room.Ready, c.Room.Attempts = false, false, 0
			clear(c.Room.Occupants)
			out = append(out, d.JoinRoom(c))
		}
	}
	d.Send(out...)
}

// onDisconnected runs when the stream is gone: nothing known about
// presence or room occupancy is current any more. Conversations stay put.
func (d *Desk) onDisconnected() {
	d.Online = false
	d.ready.Store(false)
	d.Presence.Reset()
	for _, c := range d.Convs {
		c.Room.Joined, c.Room.Ready = false, false
	}
}

// updateGauges refreshes the gauges from the desk's state.
func (d *Desk) updateGauges() {
	for q, n := range d.Router.QueueLength() {
		d.Metrics.QueueLength.WithLabelValues(q).Set(float64(n))
	}
	for q, w := range d.Router.OldestWait(d.Now()) {
		d.Metrics.OldestWait.WithLabelValues(q).Set(w.Seconds())
	}
	counts := d.Presence.Count(d.Roster.JIDs())
	for _, s := range presence.States {
		d.Metrics.Agents.WithLabelValues(string(s)).Set(float64(counts[s]))
	}
	n := 0
	for _, c := range d.Convs {
		if c.Rec.Open() {
			n++
		}
	}
	d.Metrics.Open.Set(float64(n))
	d.Metrics.PendingWrites.Set(float64(d.Store.Pending()))
}
