package store

import (
	"bytes"
	"errors"
)

// What the store's own packages (store/outbox, store/inbox) keep goes
// through these: JSON records under keys of a bucket store/schema
// declares, recorded in the write-ahead log like every other write.

// Put stores v as JSON under key in bucket.
func (t *Tx) Put(bucket, key []byte, v any) error { return t.put(bucket, key, v) }

// Get reads the JSON record under key in bucket into v; ErrNotFound when
// there is none.
func (t *Tx) Get(bucket, key []byte, v any) error { return t.get(bucket, key, v) }

// Delete removes key from bucket.
func (t *Tx) Delete(bucket, key []byte) error { return t.del(bucket, key) }

// Each calls fn with every key of bucket from start on, in key order,
// while they have prefix, until fn returns false.
func (t *Tx) Each(bucket, prefix, start []byte, fn func(key, value []byte) (bool, error)) error {
	c := t.tx.Bucket(bucket).Cursor()
	if start == nil {
		start = prefix
	}
	for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		more, err := fn(k, v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// NextID numbers a new record of bucket: one more than the last.
func (t *Tx) NextID(bucket []byte) (uint64, error) {
	if t.ops == nil {
		return 0, errors.New("store: NextID in a read transaction")
	}
	n := t.tx.Bucket(bucket).Sequence() + 1
	return n, t.setSequence(bucket, n)
}
