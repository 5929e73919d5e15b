package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"switchboard/store/schema"
)

// What retention (store/retention) reads and removes through: the policy
// is there, the keys and buckets here.

// EachClosedBefore calls fn with every conversation that ended before
// cut, oldest first, through the close-time index (a conversation
// reopened since counts under its current close time only).
func (t *Tx) EachClosedBefore(cut time.Time, fn func(*Conversation) error) error {
	end := uint64(cut.UnixNano())
	c := t.tx.Bucket(schema.Closed).Cursor()
	for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) < end; k, _ = c.Next() {
		conv, err := t.Conversation(binary.BigEndian.Uint64(k[8:]))
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if uint64(conv.Closed.UnixNano()) == binary.BigEndian.Uint64(k) {
			if err := fn(conv); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeleteConversation removes conversation id with its timeline,
// transcript and place in its customer's list, if due still says it may
// go. It returns how many transcript messages went, or -1 when it was
// not removed.
func (t *Tx) DeleteConversation(id uint64, due func(*Conversation) bool) (int, error) {
	c, err := t.Conversation(id)
	if err == ErrNotFound {
		return -1, nil
	}
	if err != nil {
		return 0, err
	}
	if !due(c) {
		return -1, nil
	}
	n := 0
	for _, name := range [][]byte{schema.Timeline, schema.Transcript} {
		b := t.tx.Bucket(name)
		var keys [][]byte
		entries := 0
		cur := b.Cursor()
		prefix := schema.U64(id)
		for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
			keys = append(keys, bytes.Clone(k))
			if err := eachInValue(k, v, func(chunkEntry) error { entries++; return nil }); err != nil {
				return 0, err
			}
		}
		for _, k := range keys {
			if err := t.del(name, k); err != nil {
				return 0, err
			}
		}
		if bytes.Equal(name, schema.Transcript) {
			n = entries
		}
	}
	m, err := t.deleteJournaled(id)
	if err != nil {
		return 0, err
	}
	n += m
	for _, name := range [][]byte{schema.Conversations, schema.Active, schema.Seen} {
		if err := t.del(name, schema.U64(id)); err != nil {
			return 0, err
		}
	}
	if err := t.del(schema.Closed, schema.ClosedKey(c.Closed, id)); err != nil {
		return 0, err
	}
	cu, err := t.Customer(c.Customer)
	if err != nil {
		return 0, err
	}
	cu.Conversations = slices.DeleteFunc(cu.Conversations, func(x uint64) bool { return x == id })
	if len(cu.Conversations) == 0 {
		// Nothing left of this customer: forget them.
		return n, t.del(schema.Customers, []byte(c.Customer))
	}
	return n, t.PutCustomer(cu)
}

// EachCustomer calls fn with every customer.
func (t *Tx) EachCustomer(fn func(*Customer) error) error {
	return t.tx.Bucket(schema.Customers).ForEach(func(_, v []byte) error {
		var cu Customer
		if err := json.Unmarshal(v, &cu); err != nil {
			return err
		}
		return fn(&cu)
	})
}

// Seen returns how far the customer's client has conversation id's
// transcript: every message up to that number (MarkSeen).
func (t *Tx) Seen(id uint64) uint64 {
	if b := t.tx.Bucket(schema.Seen).Get(schema.U64(id)); len(b) == 8 {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

// EachMessageBack calls fn with conversation id's transcript messages
// that bbolt holds (after Fold: all of them), newest first, with each
// one's number, until fn returns false.
func (t *Tx) EachMessageBack(id uint64, fn func(seq uint64, m Message) (bool, error)) error {
	return eachFoldedBack(t.tx.Bucket(schema.Transcript), id, func(e chunkEntry) (bool, error) {
		m, err := decodeMessage(e.record)
		if err != nil {
			return false, err
		}
		return fn(e.seq, m)
	})
}

// DeleteMessage removes message seq of conversation id's transcript and
// reports whether it was there.
func (t *Tx) DeleteMessage(id, seq uint64) (bool, error) {
	return t.deleteFolded(schema.Transcript, binary.BigEndian.AppendUint64(schema.U64(id), seq))
}

// Fold writes what the transaction's journal holds into the buckets, so
// that a reader after it finds (nearly) every entry where
// EachMessageBack and DeleteMessage look.
func (t *Tx) Fold() error { return t.fold() }

// CountPurged adds what a retention purge removed to the store's metrics.
func (s *Store) CountPurged(conversations, messages int) { s.metrics.purged(conversations, messages) }
