package desk

import (
	"time"

	"switchboard/store"
)

// step collects what one change of a conversation writes and sends;
// commit makes it durable first and sends after. A step is atomic: if any
// of its writes fails, none is committed and none of its stanzas is sent.
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
	return &step{d: d, c: c, now: d.now()}
}

func (s *step) event(actor, action, detail string) {
	s.events = append(s.events, store.Event{At: s.now, Actor: actor, Action: action, Detail: detail})
}

func (s *step) message(from, body, url string, private bool) {
	s.msgs = append(s.msgs, store.Message{At: s.now, From: from, Body: body, URL: url, Private: private})
}

// received records what the customer wrote; the XEP-0184 receipt, if they
// asked for one, goes out with the step, after its commit: the customer's
// tick means "stored".
func (s *step) received(l line) {
	s.message("customer", l.body, l.url, false)
	if l.receipt != "" {
		s.out = append(s.out, l.receipt)
	}
}

func (s *step) send(raw ...string) { s.out = append(s.out, raw...) }

// also adds another write to the same transaction.
func (s *step) also(fn func(*store.Tx) error) { s.extra = append(s.extra, fn) }

// commit writes the conversation record with the step's events and
// messages in one transaction, then sends the step's stanzas.
func (s *step) commit() {
	var rec *store.Conversation
	if !s.same {
		s.c.persist()
		rec = s.c.rec.Clone()
	}
	id := s.c.rec.ID
	events, msgs, extra := s.events, s.msgs, s.extra
	seq := s.d.write(func(tx *store.Tx) error {
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
	}, nil, s.out...)
	s.d.unsavedStep(s.c, seq, rec, msgs)
}

// write submits fn to the store and sends out once it has committed;
// then, when set, learns how the commit went (on the committer: it must
// not block). It returns the write's number.
func (d *Desk) write(fn func(*store.Tx) error, then func(error), out ...string) uint64 {
	d.activity.Add(1)
	start := time.Now()
	return d.store.Submit(fn, func(err error) {
		if err != nil {
			d.metrics.storeFailures.Inc()
			d.log.Error("store write failed; its stanzas are not sent", "err", err)
		} else {
			d.metrics.durable.Observe(time.Since(start).Seconds())
			d.link.Send(out...)
		}
		if then != nil {
			then(err)
		}
	})
}

// send sends stanzas that record nothing, after every write already
// submitted, so that order is kept: every stanza the desk sends goes
// through here or a step.
func (d *Desk) send(out ...string) {
	if len(out) == 0 {
		return
	}
	if d.store.Pending() == 0 {
		d.link.Send(out...)
		return
	}
	d.write(func(*store.Tx) error { return nil }, nil, out...)
}
