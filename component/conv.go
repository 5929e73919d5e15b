package component

import (
	"slices"
	"time"

	"switchboard/routing/dialog"
	"switchboard/store"
)

// conv is the desk's live view of one open conversation.
type conv struct {
	rec    *store.Conversation
	dialog dialog.State
	room   roomState
	full   string // the customer's full JID last seen

	offerTimer  *time.Timer
	offerReason string
	overflowed  bool
	// A transfer under way: to a named agent (transferTo), and the status
	// to go back to if it fails.
	transferTo, transferFrom string
	// prefer is the agent routing tries first: the one who had the
	// conversation before it was reopened.
	prefer  string
	offline bool // the customer's client said it went offline
	// resumed is set for a conversation loaded at start-up: whatever was
	// committed just before a crash may not have reached the room, so the
	// desk recaps once it is back in.
	resumed bool
}

// roomState is what the desk knows of a conversation's room.
type roomState struct {
	jid       string            // room bare JID
	nick      string            // the desk's nick in it (the customer's name)
	joined    bool              // our occupant is in the room
	ready     bool              // configured
	attempts  int               // failed joins in a row
	occupants map[string]string // nick → real bare JID of everyone else
}

// to is where messages for the customer go: the resource they last wrote
// from (a chat to a resource that went offline is delivered as if to the
// bare JID, RFC 6121 §8.5.3.2.1), else the bare JID.
func (c *conv) to() string {
	if c.full != "" {
		return c.full
	}
	return c.rec.Customer
}

// need records that the conversation needs a client feature of its agent;
// it reports whether the feature is new.
func (c *conv) need(feature string) bool {
	if slices.Contains(c.rec.Needs, feature) {
		return false
	}
	c.rec.Needs = append(c.rec.Needs, feature)
	return true
}

// inRoom reports whether jid (a bare JID) is in the conversation's room.
func (c *conv) inRoom(jid string) bool {
	for _, real := range c.room.occupants {
		if real == jid {
			return true
		}
	}
	return false
}

func (c *conv) customerKey() string { return c.rec.Entry + "|" + c.rec.Customer }

// step collects what one change of a conversation writes and sends; commit
// makes it durable first and sends after.
type step struct {
	d      *Desk
	c      *conv
	now    time.Time
	events []store.Event
	msgs   []store.Message
	out    []string
	extra  []func(*store.Tx) error
	// same is set when the conversation record did not change, so only
	// the events and messages are written.
	same bool
}

func (d *Desk) step(c *conv) *step {
	st := &step{d: d, c: c, now: d.now()}
	if d.receipt != "" {
		st.out = append(st.out, d.receipt)
		d.receipt = ""
	}
	return st
}

func (s *step) event(actor, action, detail string) {
	s.events = append(s.events, store.Event{At: s.now, Actor: actor, Action: action, Detail: detail})
}

func (s *step) message(from, body, url string, private bool) {
	s.msgs = append(s.msgs, store.Message{At: s.now, From: from, Body: body, URL: url, Private: private})
}

func (s *step) send(raw ...string) { s.out = append(s.out, raw...) }

// also adds another write to the same transaction.
func (s *step) also(fn func(*store.Tx) error) { s.extra = append(s.extra, fn) }

// commit writes the conversation record with the step's events and
// messages in one transaction, then sends the step's stanzas.
func (s *step) commit() {
	var rec *store.Conversation
	if !s.same {
		rec = s.c.rec.Clone()
	}
	id := s.c.rec.ID
	events, msgs, extra := s.events, s.msgs, s.extra
	s.d.write(func(tx *store.Tx) error {
		if rec != nil {
			if err := tx.PutConversation(rec); err != nil {
				return err
			}
		}
		for _, e := range events {
			if err := tx.AppendEvent(id, e); err != nil {
				return err
			}
		}
		seen := false
		for _, m := range msgs {
			if err := tx.AppendMessage(id, m); err != nil {
				return err
			}
			seen = seen || m.From == "customer"
		}
		if seen {
			// The customer wrote: their client has what was sent before,
			// and what goes out with this step.
			if err := tx.MarkSeen(id); err != nil {
				return err
			}
		}
		for _, fn := range extra {
			if err := fn(tx); err != nil {
				return err
			}
		}
		return nil
	}, s.out...)
}

// write submits fn to the store and sends out once it has committed.
func (d *Desk) write(fn func(*store.Tx) error, out ...string) { d.writeThen(fn, nil, out...) }

// writeThen is write that also tells then how the commit went (on the
// committer: then must not block).
func (d *Desk) writeThen(fn func(*store.Tx) error, then func(error), out ...string) {
	d.pending.Add(1)
	d.release.active()
	start := time.Now()
	d.store.Submit(fn, func(err error) {
		if err != nil {
			d.metrics.storeFailures.Inc()
			d.log.Error("store write failed; its stanzas are not sent", "err", err)
		} else {
			d.metrics.durable.Observe(time.Since(start).Seconds())
			d.out.enqueue(out...)
		}
		if then != nil {
			then(err)
		}
		d.pending.Add(-1)
	})
}

// send sends stanzas that record nothing, after every write already
// submitted, so that order is kept.
func (d *Desk) send(out ...string) {
	if len(out) == 0 {
		return
	}
	if d.pending.Load() == 0 {
		d.out.enqueue(out...)
		return
	}
	d.write(func(*store.Tx) error { return nil }, out...)
}
