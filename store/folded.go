package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"switchboard/store/schema"

	bolt "go.etcd.io/bbolt"
)

// A fold writes each conversation's journaled entries to its bucket as one
// value, a chunk, under the key id|seq of its first entry:
//
//	0x02 | run of seq | uvarint length | record
//
// One put per conversation and bucket instead of one per entry: the fold
// touches each conversation's last page once, and the pages hold a few
// large values rather than many small ones. Entries written one to a key
// (before schema 5: JSON; then binary records) stay readable where they
// are. Everywhere outside this file an entry's key is id|seq, whatever
// value holds it.
const chunkV1 = 0x02

// chunkEntry is one entry of a folded bucket.
type chunkEntry struct {
	seq    uint64
	record []byte
}

func appendChunkEntry(chunk []byte, seq uint64, record []byte) []byte {
	chunk = binary.BigEndian.AppendUint64(chunk, seq)
	chunk = binary.AppendUvarint(chunk, uint64(len(record)))
	return append(chunk, record...)
}

// eachInValue calls fn for every entry the value v under key k holds.
func eachInValue(k, v []byte, fn func(chunkEntry) error) error {
	if len(k) != 16 {
		return fmt.Errorf("store: folded key %x is not id|seq", k)
	}
	if len(v) == 0 || v[0] != chunkV1 {
		return fn(chunkEntry{binary.BigEndian.Uint64(k[8:]), v})
	}
	for rest := v[1:]; len(rest) > 0; {
		if len(rest) < 8 {
			return fmt.Errorf("store: folded value %x is malformed", k)
		}
		record, r, ok := cutRecord(rest[8:])
		if !ok {
			return fmt.Errorf("store: folded value %x is malformed", k)
		}
		if err := fn(chunkEntry{binary.BigEndian.Uint64(rest), record}); err != nil {
			return err
		}
		rest = r
	}
	return nil
}

// eachFolded calls fn for conversation id's entries in b, oldest first.
func eachFolded(b *bolt.Bucket, id uint64, fn func(chunkEntry) error) error {
	c := b.Cursor()
	prefix := schema.U64(id)
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := eachInValue(k, v, fn); err != nil {
			return err
		}
	}
	return nil
}

// eachFoldedBack calls fn for conversation id's entries in b, newest
// first, while it returns true.
func eachFoldedBack(b *bolt.Bucket, id uint64, fn func(chunkEntry) (bool, error)) error {
	c := b.Cursor()
	prefix := schema.U64(id)
	var run []chunkEntry
	for k, v := lastBefore(c, id+1); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		run = run[:0]
		if err := eachInValue(k, v, func(e chunkEntry) error { run = append(run, e); return nil }); err != nil {
			return err
		}
		for i := len(run) - 1; i >= 0; i-- {
			if more, err := fn(run[i]); err != nil || !more {
				return err
			}
		}
	}
	return nil
}

// deleteFolded removes the entry id|seq from bucket and reports whether it
// was there.
func (t *Tx) deleteFolded(bucket, key []byte) (bool, error) {
	if len(key) != 16 {
		return false, nil
	}
	c := t.tx.Bucket(bucket).Cursor()
	k, v := c.Seek(key)
	switch {
	case k == nil:
		k, v = c.Last()
	case !bytes.Equal(k, key):
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, key[:8]) {
		return false, nil
	}
	k = bytes.Clone(k)
	if len(v) == 0 || v[0] != chunkV1 {
		if !bytes.Equal(k, key) {
			return false, nil
		}
		return true, t.del(bucket, k)
	}
	seq := binary.BigEndian.Uint64(key[8:])
	kept := []byte{chunkV1}
	found := false
	err := eachInValue(k, v, func(e chunkEntry) error {
		if e.seq == seq {
			found = true
		} else {
			kept = appendChunkEntry(kept, e.seq, e.record)
		}
		return nil
	})
	if err != nil || !found {
		return false, err
	}
	if len(kept) == 1 {
		return true, t.del(bucket, k)
	}
	// The key stays: it is no later than the first entry left.
	return true, t.putRaw(bucket, k, kept)
}
