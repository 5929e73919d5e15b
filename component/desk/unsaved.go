package desk

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
func (d *Desk) unsavedStep(c *conv, seq uint64, rec *store.Conversation, msgs []store.Message) {
	done := d.store.Applied()
	if len(c.unsaved) > 0 && c.unsaved[0].seq <= done {
		c.unsaved = pruneMessages(c.unsaved, done)
	}
	if seq <= done {
		return // applied already
	}
	for _, m := range msgs {
		c.unsaved = append(c.unsaved, unsavedMessage{seq, m})
	}
	if rec != nil {
		d.unsaved[rec.ID] = unsavedRecord{seq, rec}
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

// pruneUnsaved forgets what the store holds now.
func (d *Desk) pruneUnsaved() {
	done := d.store.Applied()
	for id, u := range d.unsaved {
		if u.seq <= done {
			delete(d.unsaved, id)
		}
	}
	for _, c := range d.convs {
		if len(c.unsaved) > 0 && c.unsaved[0].seq <= done {
			c.unsaved = pruneMessages(c.unsaved, done)
		}
	}
}

// transcriptTail returns the last n messages of c's transcript the desk
// has accepted, oldest first, and how many there are in all.
func (d *Desk) transcriptTail(c *conv, n int) ([]store.Message, int) {
	var msgs []store.Message
	var total int
	var done uint64
	err := d.store.ViewApplied(func(tx *store.Tx) error {
		var err error
		msgs, total, err = tx.TranscriptTail(c.rec.ID, n)
		done = tx.Done()
		return err
	})
	if err != nil {
		d.log.Error("reading a transcript failed", "conversation", c.rec.ID, "err", err)
	}
	for _, u := range c.unsaved {
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

// record returns conversation id's record as the desk last accepted it,
// from tx's snapshot or newer.
func (d *Desk) record(tx *store.Tx, id uint64) (*store.Conversation, error) {
	if c := d.convs[id]; c != nil {
		return c.rec, nil
	}
	if u, ok := d.unsaved[id]; ok && u.seq > tx.Done() {
		return u.rec, nil
	}
	return tx.Conversation(id)
}
