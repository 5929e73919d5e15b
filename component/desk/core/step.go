package core

import (
	"time"

	"switchboard/store"
	"switchboard/store/outbox"
)

// Step collects what one change of a conversation writes and sends;
// commit makes it durable first and sends after. A Step is atomic: if any
// of its writes fails, none is committed and none of its stanzas is sent.
type Step struct {
	d      *Desk
	c      *Conv
	Now    time.Time
	events []store.Event
	msgs   []store.Message
	out    []string
	extra  []func(*store.Tx) error
	// outgoing are the outbox entries the step writes, for the sender
	// once they are durable; done learns how the step's write went.
	outgoing []*outbox.Entry
	done     []func(error)
	// Same is set when the conversation record did not change, so only
	// the events and messages are written.
	Same bool
	// was is the conversation as the step found it.
	was Was
}

// Was is what a step found of its conversation.
type Was struct {
	Status, Agent string
	Rating        int
}

func (d *Desk) Step(c *Conv) *Step {
	return &Step{d: d, c: c, Now: d.Now(), was: Was{Status: c.Rec.Status, Agent: c.Rec.Agent, Rating: c.Rec.Rating}}
}

// What the step holds, for Desk.Committing: its conversation, what the
// conversation was when the step began, and the events and messages it
// records.
func (s *Step) Conv() *Conv               { return s.c }
func (s *Step) Was() Was                  { return s.was }
func (s *Step) Events() []store.Event     { return s.events }
func (s *Step) Messages() []store.Message { return s.msgs }

// Outgoing adds an outbox entry to the step: written in its transaction,
// handed to the sender once it is durable.
func (s *Step) Outgoing(e *outbox.Entry) {
	now := s.Now
	s.extra = append(s.extra, func(tx *store.Tx) error { return outbox.Add(tx, e, now) })
	s.outgoing = append(s.outgoing, e)
}

func (s *Step) Event(actor, action, detail string) {
	s.events = append(s.events, store.Event{At: s.Now, Actor: actor, Action: action, Detail: detail})
}

func (s *Step) Message(from, body, url string, private bool) {
	s.msgs = append(s.msgs, store.Message{At: s.Now, From: from, Body: body, URL: url, Private: private})
}

// Received records what the customer wrote; the XEP-0184 receipt, if they
// asked for one, goes out with the step, after its commit: the customer's
// tick means "stored".
func (s *Step) Received(l Line) {
	s.Message("customer", l.Body, l.URL, false)
	if l.Receipt != "" {
		s.out = append(s.out, l.Receipt)
	}
	s.extra = append(s.extra, l.Also...)
	if l.Done != nil {
		s.done = append(s.done, l.Done)
	}
}

// After calls fn once the step's write is durable, or failed.
func (s *Step) After(fn func(error)) { s.done = append(s.done, fn) }

func (s *Step) Send(raw ...string) { s.out = append(s.out, raw...) }

// Also adds another write to the same transaction.
func (s *Step) Also(fn func(*store.Tx) error) { s.extra = append(s.extra, fn) }

// Commit writes the conversation record with the step's events and
// messages in one transaction, then sends the step's stanzas.
func (s *Step) Commit() {
	if s.d.Committing != nil {
		s.d.Committing(s)
	}
	var rec *store.Conversation
	if !s.Same {
		s.c.Persist()
		rec = s.c.Rec.Clone()
	}
	id := s.c.Rec.ID
	events, msgs, extra := s.events, s.msgs, s.extra
	seq := s.d.Write(func(tx *store.Tx) error {
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
	}, s.then(), s.out...)
	s.d.unsavedStep(s.c, seq, rec, msgs)
}

// then is what runs once the step's write is done (on the store's
// committer: nothing here may block): its outbox entries go to the
// sender, and whoever waits learns how it went.
func (s *Step) then() func(error) {
	if len(s.outgoing) == 0 && len(s.done) == 0 {
		return nil
	}
	outgoing, done, send := s.outgoing, s.done, s.d.Outgoing
	return func(err error) {
		if err == nil && send != nil && len(outgoing) > 0 {
			send(outgoing)
		}
		for _, fn := range done {
			fn(err)
		}
	}
}

// Write submits fn to the store and sends out once it has committed;
// then, when set, learns how the commit went (on the committer: it must
// not block). It returns the Write's number.
func (d *Desk) Write(fn func(*store.Tx) error, then func(error), out ...string) uint64 {
	d.Activity.Add(1)
	start := time.Now()
	return d.Store.Submit(fn, func(err error) {
		if err != nil {
			d.Metrics.StoreFailures.Inc()
			d.Log.Error("store write failed; its stanzas are not sent", "err", err)
		} else {
			d.Metrics.Durable.Observe(time.Since(start).Seconds())
			d.Link.Send(out...)
		}
		if then != nil {
			then(err)
		}
	})
}

// Send sends stanzas that record nothing, after every write already
// submitted, so that order is kept: every stanza the desk sends goes
// through here or a step.
func (d *Desk) Send(out ...string) {
	if len(out) == 0 {
		return
	}
	if d.Store.Pending() == 0 {
		d.Link.Send(out...)
		return
	}
	d.Write(func(*store.Tx) error { return nil }, nil, out...)
}
