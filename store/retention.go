package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"time"
)

// Retention says what the store keeps. Zero values keep everything.
type Retention struct {
	// KeepClosed is how long a closed or abandoned conversation is kept,
	// with its timeline and transcript, after it ended.
	KeepClosed time.Duration
	// KeepConsumed is how many transcript messages the store keeps per
	// customer among those done with: what the customer wrote or has seen,
	// and private notes. The newest are kept.
	KeepConsumed int
	// KeepUnconsumed is how many messages to the customer not yet
	// delivered the store keeps per customer. Those of a conversation
	// still open are never purged, whatever the limit.
	KeepUnconsumed int
}

// Purged counts what one purge removed.
type Purged struct {
	Conversations int
	Messages      int
}

// purgeBatch bounds the keys one purge transaction deletes, so that the
// committer, which the desk's writes share, is never held for long.
const purgeBatch = 512

// Purge removes what r no longer keeps, as of now. It reads in one read
// transaction and deletes in small write transactions that queue behind
// the desk's writes; it writes no timeline events.
func (s *Store) Purge(now time.Time, r Retention) (Purged, error) {
	var p Purged
	var convs []uint64
	var msgs [][]byte
	// Fold first, so that the read below sees (nearly) every entry where
	// the deletes look for it; what is journaled after it is newer than
	// anything due.
	if err := s.updateWait(func(tx *Tx) error { return tx.fold() }); err != nil {
		return p, err
	}
	err := s.View(func(tx *Tx) error {
		var err error
		if convs, err = tx.expired(now, r.KeepClosed); err != nil {
			return err
		}
		msgs, err = tx.overLimit(r, convs)
		return err
	})
	if err != nil {
		return p, err
	}
	for len(convs) > 0 {
		n := min(len(convs), 32)
		batch := convs[:n]
		convs = convs[n:]
		var removed int
		err := s.updateWait(func(tx *Tx) error {
			removed = 0
			for _, id := range batch {
				m, err := tx.deleteConversation(id, now, r.KeepClosed)
				if err != nil {
					return err
				}
				if m >= 0 {
					p.Conversations++
					removed += m
				}
			}
			return nil
		})
		if err != nil {
			return p, err
		}
		p.Messages += removed
	}
	for len(msgs) > 0 {
		n := min(len(msgs), purgeBatch)
		batch := msgs[:n]
		msgs = msgs[n:]
		var removed int
		err := s.updateWait(func(tx *Tx) error {
			removed = 0
			for _, k := range batch {
				gone, err := tx.deleteFolded(bucketTranscript, k)
				if err != nil {
					return err
				}
				if gone {
					removed++
				}
			}
			return nil
		})
		if err != nil {
			return p, err
		}
		p.Messages += removed
	}
	s.metrics.purged(p.Conversations, p.Messages)
	return p, nil
}

func (s *Store) updateWait(fn func(*Tx) error) error {
	ch := make(chan error, 1)
	s.Submit(fn, func(err error) { ch <- err })
	return <-ch
}

// expired lists the conversations that ended more than keep before now.
func (t *Tx) expired(now time.Time, keep time.Duration) ([]uint64, error) {
	if keep <= 0 {
		return nil, nil
	}
	// The close-time index gives the candidates: those that ended before
	// the cut-off (a key of a conversation since reopened is checked
	// against its record).
	var out []uint64
	cut := uint64(now.Add(-keep).UnixNano())
	c := t.tx.Bucket(bucketClosed).Cursor()
	for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) < cut; k, _ = c.Next() {
		conv, err := t.Conversation(binary.BigEndian.Uint64(k[8:]))
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if conv.gone(now, keep) && uint64(conv.Closed.UnixNano()) == binary.BigEndian.Uint64(k) {
			out = append(out, conv.ID)
		}
	}
	return out, nil
}

func (c *Conversation) gone(now time.Time, keep time.Duration) bool {
	return !c.Open() && c.ReopenUntil.IsZero() && !c.Closed.IsZero() && now.Sub(c.Closed) > keep
}

// deleteConversation removes a conversation with its timeline, transcript
// and place in its customer's list, if it is still due. It returns how
// many transcript messages went, or -1 when it was not due any more.
func (t *Tx) deleteConversation(id uint64, now time.Time, keep time.Duration) (int, error) {
	c, err := t.Conversation(id)
	if err == ErrNotFound {
		return -1, nil
	}
	if err != nil {
		return 0, err
	}
	if !c.gone(now, keep) {
		return -1, nil // reopened since the scan
	}
	n := 0
	for _, name := range [][]byte{bucketTimeline, bucketTranscript} {
		b := t.tx.Bucket(name)
		var keys [][]byte
		entries := 0
		cur := b.Cursor()
		prefix := u64(id)
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
		if bytes.Equal(name, bucketTranscript) {
			n = entries
		}
	}
	m, err := t.deleteJournaled(id)
	if err != nil {
		return 0, err
	}
	n += m
	for _, name := range [][]byte{bucketConversations, bucketActive, bucketSeen} {
		if err := t.del(name, u64(id)); err != nil {
			return 0, err
		}
	}
	if err := t.del(bucketClosed, closedKey(c.Closed, id)); err != nil {
		return 0, err
	}
	cu, err := t.Customer(c.Customer)
	if err != nil {
		return 0, err
	}
	cu.Conversations = deleteID(cu.Conversations, id)
	if len(cu.Conversations) == 0 {
		// Nothing left of this customer: forget them.
		return n, t.del(bucketCustomers, []byte(c.Customer))
	}
	return n, t.PutCustomer(cu)
}

func deleteID(ids []uint64, id uint64) []uint64 {
	out := ids[:0]
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// overLimit lists the transcript keys beyond each customer's limits,
// skipping the conversations about to go whole.
func (t *Tx) overLimit(r Retention, going []uint64) ([][]byte, error) {
	if r.KeepConsumed <= 0 && r.KeepUnconsumed <= 0 {
		return nil, nil
	}
	skip := make(map[uint64]bool, len(going))
	for _, id := range going {
		skip[id] = true
	}
	var out [][]byte
	err := t.tx.Bucket(bucketCustomers).ForEach(func(_, v []byte) error {
		var cu Customer
		if err := json.Unmarshal(v, &cu); err != nil {
			return err
		}
		// Newest first, so that the first ones counted are the kept ones.
		consumed, unconsumed := 0, 0
		for i := len(cu.Conversations) - 1; i >= 0; i-- {
			id := cu.Conversations[i]
			if skip[id] {
				continue
			}
			c, err := t.Conversation(id)
			if err == ErrNotFound {
				continue
			}
			if err != nil {
				return err
			}
			var seen uint64
			if b := t.tx.Bucket(bucketSeen).Get(u64(id)); len(b) == 8 {
				seen = binary.BigEndian.Uint64(b)
			}
			err = eachFoldedBack(t.tx.Bucket(bucketTranscript), id, func(e chunkEntry) (bool, error) {
				m, err := decodeMessage(e.record)
				if err != nil {
					return false, err
				}
				key := binary.BigEndian.AppendUint64(u64(id), e.seq)
				if m.From == "customer" || m.Private || e.seq <= seen {
					consumed++
					if r.KeepConsumed > 0 && consumed > r.KeepConsumed {
						out = append(out, key)
					}
					return true, nil
				}
				unconsumed++
				// Not delivered yet: only a closed conversation's may go.
				if r.KeepUnconsumed > 0 && unconsumed > r.KeepUnconsumed && !c.Open() {
					out = append(out, key)
				}
				return true, nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
