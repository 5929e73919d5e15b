package core

import "switchboard/store"

// What the desk has accepted is durable in the store's log within a
// millisecond or so, and readable from bbolt once the store applies the
// log, every store.apply_every (1s). Readers that must see every accepted
// line (a recap for an agent who just joined, /history) read what bbolt holds
// without waiting (store.ViewApplied) and add what the desk submitted
// that the snapshot does not hold yet: each write's number (store.Submit)
// against the snapshot's (Tx.Done). What bbolt holds (store.Applied) is
// forgotten here.

// unsavedMessage is a transcript message of a write bbolt may not hold
// yet.
type unsavedMessage struct {
	seq uint64
	m   store.Message
}

// unsavedRecord is a conversation record likewise.
type unsavedRecord struct {
	seq uint64
	rec *store.Conversation
}

// unsavedStep keeps what write seq holds until bbolt holds it.
func (d *Desk) unsavedStep(c *Conv, seq uint64, rec *store.Conversation, msgs []store.Message) {
	done := d.Store.Applied()
	if len(c.Unsaved) > 0 && c.Unsaved[0].seq <= done {
		c.Unsaved = pruneMessages(c.Unsaved, done)
	}
	if seq <= done {
		return // applied already
	}
	for _, m := range msgs {
		c.Unsaved = append(c.Unsaved, unsavedMessage{seq, m})
	}
	if rec != nil {
		d.Unsaved[rec.ID] = unsavedRecord{seq, rec}
	}
}

func pruneMessages(list []unsavedMessage, done uint64) []unsavedMessage {
	i := 0
	for i < len(list) && list[i].seq <= done {
		i++
	}
	if i == len(list) {
		return nil
	}
	return append(list[:0], list[i:]...)
}

// PruneUnsaved forgets what the store holds now.
func (d *Desk) PruneUnsaved() {
	done := d.Store.Applied()
	for id, u := range d.Unsaved {
		if u.seq <= done {
			delete(d.Unsaved, id)
		}
	}
	for _, c := range d.Convs {
		if len(c.Unsaved) > 0 && c.Unsaved[0].seq <= done {
			c.Unsaved = pruneMessages(c.Unsaved, done)
		}
	}
}

// TranscriptTail returns the last n messages of c's transcript the desk
// has accepted, oldest first, and how many there are in all.
func (d *Desk) TranscriptTail(c *Conv, n int) ([]store.Message, int) {
	var msgs []store.Message
	var total int
	var done uint64
	err := d.Store.ViewApplied(func(tx *store.Tx) error {
		var err error
		msgs, total, err = tx.TranscriptTail(c.Rec.ID, n)
		done = tx.Done()
		return err
	})
	if err != nil {
		d.Log.Error("reading a transcript failed", "conversation", c.Rec.ID, "err", err)
	}
	for _, u := range c.Unsaved {
		if u.seq > done {
			msgs = append(msgs, u.m)
			total++
		}
	}
	if len(msgs) > n {
		msgs = msgs[len(msgs)-n:]
	}
	return msgs, total
}

// Record returns conversation id's Record as the desk last accepted it,
// from tx's snapshot or newer.
func (d *Desk) Record(tx *store.Tx, id uint64) (*store.Conversation, error) {
	if c := d.Convs[id]; c != nil {
		return c.Rec, nil
	}
	if u, ok := d.Unsaved[id]; ok && u.seq > tx.Done() {
		return u.rec, nil
	}
	return tx.Conversation(id)
}
