package retention

import (
	"context"
	"time"

	"switchboard/store"
	"switchboard/store/inbox"
	"switchboard/store/outbox"
)

// Policy says what the store keeps. Zero values keep everything.
type Policy struct {
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
	// Keys are channel messages' keys past inbox.KeysKept, Outbox the
	// outbox entries sent or dead longer ago than KeepClosed.
	Keys, Outbox int
}

// messageBatch bounds the messages one purge transaction deletes, and
// conversationBatch the conversations, so that the committer, which the
// desk's writes share, is never held for long.
const (
	messageBatch      = 512
	conversationBatch = 32
)

// Purge removes what p no longer keeps, as of now. It reads in one read
// transaction and deletes in small write transactions that queue behind
// the desk's writes; it writes no timeline events.
func Purge(s *store.Store, now time.Time, p Policy) (Purged, error) {
	var out Purged
	var convs []uint64
	var msgs []message
	ctx := context.Background()
	// Fold first, so that the read below sees (nearly) every entry where
	// the deletes look for it; what is journaled after it is newer than
	// anything due.
	if err := s.Update(ctx, func(tx *store.Tx) error { return tx.Fold() }); err != nil {
		return out, err
	}
	err := s.View(func(tx *store.Tx) error {
		var err error
		if convs, err = expired(tx, now, p.KeepClosed); err != nil {
			return err
		}
		msgs, err = overLimit(tx, p, convs)
		return err
	})
	if err != nil {
		return out, err
	}
	due := func(c *store.Conversation) bool { return gone(c, now, p.KeepClosed) }
	for batch := range chunks(convs, conversationBatch) {
		var n Purged
		err := s.Update(ctx, func(tx *store.Tx) error {
			n = Purged{}
			for _, id := range batch {
				m, err := tx.DeleteConversation(id, due)
				if err != nil {
					return err
				}
				if m >= 0 {
					n.Conversations++
					n.Messages += m
				}
			}
			return nil
		})
		if err != nil {
			return out, err
		}
		out.Conversations += n.Conversations
		out.Messages += n.Messages
	}
	for batch := range chunks(msgs, messageBatch) {
		removed := 0
		err := s.Update(ctx, func(tx *store.Tx) error {
			removed = 0
			for _, m := range batch {
				gone, err := tx.DeleteMessage(m.id, m.seq)
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
			return out, err
		}
		out.Messages += removed
	}
	var err2 error
	if out.Keys, err2 = forget(s, func(tx *store.Tx) ([][]byte, error) {
		return inbox.ExpiredKeys(tx, now.Add(-inbox.KeysKept), messageBatch)
	}, inbox.ForgetKey); err2 != nil {
		return out, err2
	}
	if p.KeepClosed > 0 {
		if out.Outbox, err2 = forget(s, func(tx *store.Tx) ([]uint64, error) {
			return outbox.Expired(tx, now.Add(-p.KeepClosed), messageBatch)
		}, outbox.Delete); err2 != nil {
			return out, err2
		}
	}
	s.CountPurged(out.Conversations, out.Messages)
	return out, nil
}

// forget removes what due lists, a batch of at most messageBatch in each
// write transaction, until it lists less (at most maxBatches), and
// returns how much it removed.
func forget[K any](s *store.Store, due func(*store.Tx) ([]K, error), remove func(*store.Tx, K) error) (int, error) {
	total := 0
	for range maxBatches {
		n := 0
		err := s.Update(context.Background(), func(tx *store.Tx) error {
			list, err := due(tx)
			for _, k := range list {
				if err := remove(tx, k); err != nil {
					return err
				}
			}
			n = len(list)
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < messageBatch {
			break
		}
	}
	return total, nil
}

// maxBatches bounds the batches of one kind a purge runs; the next purge
// goes on.
const maxBatches = 1000

// chunks yields list in pieces of at most n.
func chunks[T any](list []T, n int) func(func([]T) bool) {
	return func(yield func([]T) bool) {
		for len(list) > 0 {
			k := min(len(list), n)
			if !yield(list[:k]) {
				return
			}
			list = list[k:]
		}
	}
}

// expired lists the conversations that ended more than keep before now.
func expired(tx *store.Tx, now time.Time, keep time.Duration) ([]uint64, error) {
	if keep <= 0 {
		return nil, nil
	}
	var out []uint64
	err := tx.EachClosedBefore(now.Add(-keep), func(c *store.Conversation) error {
		if gone(c, now, keep) {
			out = append(out, c.ID)
		}
		return nil
	})
	return out, err
}

// gone reports whether c is past keep: ended, not held for a reopen or a
// rating, and closed longer ago than keep.
func gone(c *store.Conversation, now time.Time, keep time.Duration) bool {
	return !c.Open() && c.ReopenUntil.IsZero() && !c.Closed.IsZero() && now.Sub(c.Closed) > keep
}

// message is one transcript message by its conversation and number.
type message struct{ id, seq uint64 }

// overLimit lists the transcript messages beyond each customer's limits,
// skipping the conversations about to go whole.
func overLimit(tx *store.Tx, p Policy, going []uint64) ([]message, error) {
	if p.KeepConsumed <= 0 && p.KeepUnconsumed <= 0 {
		return nil, nil
	}
	skip := make(map[uint64]bool, len(going))
	for _, id := range going {
		skip[id] = true
	}
	var out []message
	err := tx.EachCustomer(func(cu *store.Customer) error {
		// Newest first, so that the first ones counted are the kept ones.
		consumed, unconsumed := 0, 0
		for i := len(cu.Conversations) - 1; i >= 0; i-- {
			id := cu.Conversations[i]
			if skip[id] {
				continue
			}
			c, err := tx.Conversation(id)
			if err == store.ErrNotFound {
				continue
			}
			if err != nil {
				return err
			}
			seen := tx.Seen(id)
			err = tx.EachMessageBack(id, func(seq uint64, m store.Message) (bool, error) {
				if m.From == "customer" || m.Private || seq <= seen {
					consumed++
					if p.KeepConsumed > 0 && consumed > p.KeepConsumed {
						out = append(out, message{id, seq})
					}
					return true, nil
				}
				unconsumed++
				// Not delivered yet: only a closed conversation's may go.
				if p.KeepUnconsumed > 0 && unconsumed > p.KeepUnconsumed && !c.Open() {
					out = append(out, message{id, seq})
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
