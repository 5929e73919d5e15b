package store

import (
	"encoding/binary"
	"errors"
	"slices"
	"time"
)

// Ended is what a wait estimate learns from one ended conversation.
type Ended struct {
	Queue    string
	Status   string
	Queued   time.Time // zero: it never reached a queue
	Assigned time.Time // zero: no agent took it
	Closed   time.Time
}

// Recent returns up to n of the conversations that ended last, oldest
// first, for the desk's wait estimates to start from after a restart.
func (t *Tx) Recent(n int) ([]Ended, error) {
	var out []Ended
	cur := t.tx.Bucket(bucketClosed).Cursor()
	for k, _ := cur.Last(); k != nil && len(out) < n; k, _ = cur.Prev() {
		var c reportFields
		if err := t.get(bucketConversations, k[8:], &c); errors.Is(err, ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		if c.Closed.IsZero() || uint64(c.Closed.UnixNano()) != binary.BigEndian.Uint64(k) {
			continue // reopened since
		}
		out = append(out, Ended{Queue: c.Queue, Status: c.Status, Queued: c.Queued, Assigned: c.Assigned, Closed: c.Closed})
	}
	slices.Reverse(out)
	return out, nil
}
