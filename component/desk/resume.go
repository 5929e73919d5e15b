package desk

import (
	"fmt"
	"maps"
	"slices"

	"switchboard/presence"
	"switchboard/routing/dialog"
	"switchboard/store"
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
	err := d.store.View(func(tx *store.Tx) error {
		d.lastID = tx.LastID()
		var err error
		if active, err = tx.Active(); err != nil {
			return err
		}
		if subs, err = tx.Subscriptions(); err != nil {
			return err
		}
		if ended, err = tx.Recent(estimateHistory); err != nil {
			return err
		}
		if stored, err = tx.Agents(); err != nil {
			return err
		}
		replies, err := tx.Replies()
		for _, r := range replies {
			d.storedReplies[r.Name] = r
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	for entry, jids := range subs {
		d.subscribers[entry] = map[string]bool{}
		for _, j := range jids {
			d.subscribers[entry][j] = true
		}
	}
	d.applyStoredAgents(stored)
	d.learnHistory(ended)
	for _, a := range stored {
		if d.roster.Is(a.JID) && a.Paused {
			d.presence.Pause(a.JID, a.Reason, a.Since)
		}
	}
	for _, rec := range active {
		c := newConv(rec)
		c.resumed = true
		if slices.Contains(handling, rec.Status) {
			c.heldSince = rec.Assigned
		}
		if _, ok := d.cfg.Entry(rec.Entry); !ok {
			d.log.Warn("conversation's entry point is no longer configured; it stays open but unreachable", "conversation", rec.ID, "entry", rec.Entry)
			continue
		}
		switch rec.Status {
		case store.StatusDialog:
			c.dialog = dialog.State{Node: rec.DialogNode, Answers: rec.Answers, Priority: rec.Priority, Needs: rec.Needs}
			if c.dialog.Node == "" {
				c.dialog.Node = dialog.StartNode
			}
		case store.StatusOffered:
			// The offer's timer is gone: it is made again once the room
			// is back, to whoever routing picks then.
			rec.Status = store.StatusQueued
			c.stale = c.offeredTo() // invited before the restart: told when someone takes it
			rec.Offered, rec.Ringing = "", nil
		}
		if d.router.Queue(rec.Queue) == nil && rec.Status == store.StatusQueued {
			d.log.Warn("conversation's queue is no longer configured", "conversation", rec.ID, "queue", rec.Queue)
		}
		if rec.Agent != "" && rec.Open() {
			d.router.Assigned(rec.Agent) // also while a transfer is under way
		}
		if lv := rec.Leaving; lv != nil && lv.Kind == store.KindMessage && lv.Lines > 0 {
			d.after(messagePause, timerPause, rec.ID, "") // a message under way ends with a pause from now
		}
		if c.scheduled(d.now()) {
			d.after(rec.Callback.At.Sub(d.now()), timerCallback, rec.ID, "")
		}
		if !rec.Open() {
			d.after(rec.ReopenUntil.Sub(d.now()), timerWindow, rec.ID, "") // closed, within its reopen window
		}
		d.convs[rec.ID] = c
		d.byCustomer[c.customerKey()] = c
		if rec.Status != store.StatusDialog {
			d.joinRoom(c) // registers the room; the presence goes out on connect
		}
		if rec.Status == store.StatusDialog || rec.Open() {
			// The customer timeout counts from the restart.
			c.lastCustomer = d.now()
			d.armTimeout(c)
		}
		if rec.Status == store.StatusOpen {
			// A customer's line no agent answered before the restart
			// keeps waiting from when it came.
			msgs, _ := d.transcriptTail(c, 20)
			for i := len(msgs) - 1; i >= 0; i-- {
				if !msgs[i].Private {
					if msgs[i].From == "customer" {
						d.customerWaits(c, msgs[i].At)
					}
					break
				}
			}
		}
	}
	d.log.Info("resumed", "conversations", len(d.convs), "last_id", d.lastID)
	return nil
}

// onConnected runs when a stream to the server is up.
func (d *Desk) onConnected() {
	d.connected = true
	d.ready.Store(true)
	// The agents' presence comes in as answers to the greeting: routing
	// waits a moment for it, so that the first agent to answer does not
	// take what routing would give someone else (a conversation they
	// declined before, or one the longest idle should have).
	d.settled = d.after(presenceSettle, timerRoute, 0, "")
	d.greetAgents()
	var out []string
	for _, id := range slices.Sorted(maps.Keys(d.convs)) {
		c := d.convs[id]
		if c.room.JID != "" {
			c.room.Joined, c.room.Ready, c.room.Attempts = false, false, 0
			clear(c.room.Occupants)
			out = append(out, d.joinRoom(c))
		}
	}
	d.send(out...)
}

// onDisconnected runs when the stream is gone: nothing known about
// presence or room occupancy is current any more. Conversations stay put.
func (d *Desk) onDisconnected() {
	d.connected = false
	d.ready.Store(false)
	d.presence.Reset()
	for _, c := range d.convs {
		c.room.Joined, c.room.Ready = false, false
	}
}

// updateGauges refreshes the gauges from the desk's state.
func (d *Desk) updateGauges() {
	for q, n := range d.router.QueueLength() {
		d.metrics.queueLength.WithLabelValues(q).Set(float64(n))
	}
	for q, w := range d.router.OldestWait(d.now()) {
		d.metrics.oldestWait.WithLabelValues(q).Set(w.Seconds())
	}
	counts := d.presence.Count(d.roster.JIDs())
	for _, s := range presence.States {
		d.metrics.agents.WithLabelValues(string(s)).Set(float64(counts[s]))
	}
	n := 0
	for _, c := range d.convs {
		if c.rec.Open() {
			n++
		}
	}
	d.metrics.open.Set(float64(n))
	d.metrics.pendingWrites.Set(float64(d.store.Pending()))
}
