package desk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"switchboard/component/channel"
	"switchboard/component/desk/core"
	"switchboard/component/texts"
	"switchboard/store"
	"switchboard/store/outbox"
)

// What the channels hand the desk (channel.Desk, channel.Reports) and
// what the outbox's sender tells it: each is an event for the actor, and
// the channel's answer waits until what it brought is durable.

// Inbound takes a channel's message; it returns once the message is
// durable, or was taken before.
func (d *Desk) Inbound(ctx context.Context, in channel.Inbound) (channel.Accepted, error) {
	r := reqInbound{in: in, reply: make(chan inboundResult, 1)}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	select {
	case d.Events <- r:
	case <-ctx.Done():
		return channel.Accepted{}, channel.ErrUnavailable
	case <-d.stopped:
		return channel.Accepted{}, channel.ErrUnavailable
	}
	select {
	case got := <-r.reply:
		return got.accepted, got.err
	case <-ctx.Done():
		// It may still become durable: the provider's next try is then a
		// duplicate, answered as this one would have been.
		return channel.Accepted{}, channel.ErrUnavailable
	}
}

type inboundResult struct {
	accepted channel.Accepted
	err      error
}

type reqInbound struct {
	in    channel.Inbound
	reply chan inboundResult
}

func (r reqInbound) String() string {
	return fmt.Sprintf("inbound channel=%s provider=%s files=%d", r.in.Channel, r.in.Provider, len(r.in.Files))
}

func (r reqInbound) answer(d *Desk) {
	d.cust.Inbound(r.in, func(a channel.Accepted, err error) { r.reply <- inboundResult{a, err} })
}

// Delivery takes a provider's report on a reply: it goes on the
// conversation's timeline (delivered, or failed with the provider's
// code), and a failure is posted in the room.
func (d *Desk) Delivery(ctx context.Context, rep channel.Report) error {
	r := reqDelivery{r: rep, reply: make(chan error, 1), done: make(chan error, 1)}
	return askStored(ctx, d, r, r.reply, r.done)
}

type reqDelivery struct {
	r           channel.Report
	reply, done chan error
}

func (r reqDelivery) String() string {
	return fmt.Sprintf("delivery outbox=%d status=%s", r.r.Outbox, r.r.Status)
}

func (r reqDelivery) answer(d *Desk) {
	var e *outbox.Entry
	// What the sender wrote last: a report comes seconds after.
	err := d.Store.View(func(tx *store.Tx) (err error) { e, err = outbox.Get(tx, r.r.Outbox); return err })
	if errors.Is(err, store.ErrNotFound) {
		// Removed with its conversation: nothing to write it on.
		d.Log.Info("delivery report for an outbox entry there is not", "entry", r.r.Outbox, "status", r.r.Status)
		r.reply <- nil
		r.done <- nil
		return
	}
	if err != nil {
		r.reply <- fmt.Errorf("outbox entry %d: %w", r.r.Outbox, err)
		return
	}
	r.reply <- nil
	if e.Status == r.r.Status {
		r.done <- nil // a repeated report
		return
	}
	action, detail := "delivered", "outbox "+fmt.Sprint(e.ID)
	if r.r.Status != "delivered" {
		action, detail = "failed", fmt.Sprintf("outbox %d: %s (error %s)", e.ID, r.r.Status, r.r.Code)
	}
	d.onTimeline(e.Conversation, "desk", action, detail,
		func(tx *store.Tx) error { return outbox.Reported(tx, e.ID, r.r.Status, r.r.ProviderID) },
		func(c *core.Conv) string {
			if action == "delivered" {
				return ""
			}
			return d.Note(c, texts.DeliveryFailed, texts.A{"status": r.r.Status, "code": r.r.Code})
		},
		func(err error) { r.done <- err })
}

// OutboxDone hears from the sender of an entry that ended: a reply that
// is dead goes on the timeline (reply-failed) and is posted in the room;
// a webhook that is dead goes on the timeline.
func (d *Desk) OutboxDone(e *outbox.Entry) {
	if e.State != outbox.Dead || e.Conversation == 0 {
		return
	}
	select {
	case d.Events <- evOutboxDead{e}:
	case <-d.stopped:
		// The entry's state is stored; the room hears of it no more.
	}
}

type evOutboxDead struct{ e *outbox.Entry }

func (ev evOutboxDead) String() string { return fmt.Sprintf("outbox-dead entry=%d", ev.e.ID) }

func (ev evOutboxDead) answer(d *Desk) {
	e := ev.e
	if e.Kind == outbox.Webhook {
		d.onTimeline(e.Conversation, "desk", "webhook-failed", fmt.Sprintf("outbox %d, %s %s: %s", e.ID, e.Event, e.Channel, e.Error), nil, nil, nil)
		return
	}
	d.onTimeline(e.Conversation, "desk", "reply-failed", fmt.Sprintf("outbox %d: %s", e.ID, e.Error), nil,
		func(c *core.Conv) string {
			return d.Note(c, texts.ReplyDead, texts.A{"n": e.Attempts, "error": e.Error, "id": e.ID})
		}, nil)
}

// onTimeline writes an event on conversation id's timeline with what
// also belongs in that write: through a step while the desk holds the
// conversation (note, when it gives a stanza, is posted in its room), else
// straight to the store.
func (d *Desk) onTimeline(id uint64, actor, action, detail string, also func(*store.Tx) error, note func(*core.Conv) string, done func(error)) {
	if c := d.Convs[id]; c != nil {
		st := d.Step(c)
		st.Same = true
		st.Event(actor, action, detail)
		if also != nil {
			st.Also(also)
		}
		if note != nil && c.Room.Joined {
			if n := note(c); n != "" {
				st.Send(n)
			}
		}
		if done != nil {
			st.After(done)
		}
		st.Commit()
		return
	}
	ev := store.Event{At: d.Now(), Actor: actor, Action: action, Detail: detail}
	d.Write(func(tx *store.Tx) error {
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		if _, err := tx.Conversation(id); err != nil {
			return nil // removed since: the entry's record is enough
		}
		return tx.AppendEvent(id, ev)
	}, done)
}

// keysKept is how long the desk keeps a channel message's key in memory:
// long past the store applying it, where an older one is looked up.
const keysKept = 10 * time.Minute

// pruneKeys forgets, once a minute, the keys the store holds by now and
// the threads of conversations the desk no longer holds.
func (d *Desk) pruneKeys(now time.Time) {
	if now.Sub(d.keysPruned) < time.Minute {
		return
	}
	d.keysPruned = now
	for k, s := range d.Keys {
		if now.Sub(s.At) > keysKept {
			delete(d.Keys, k)
		}
	}
	for t, id := range d.Threads {
		if d.Convs[id] == nil {
			delete(d.Threads, t)
		}
	}
}
