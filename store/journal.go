package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The journal takes timeline events and transcript messages as they are
// written. Its keys only ever grow, so a commit of many conversations'
// messages rewrites one or two pages at its end instead of a page per
// conversation in each of the timeline and transcript buckets. Once it
// holds foldAt entries it is folded into those buckets, in the same
// transaction as the writes that filled it: a few hundred pages written
// once for thousands of entries.
//
// An entry's value is its bucket's tag, its key there (id|seq) and the
// record's JSON. Readers see a conversation's folded entries followed by
// its journaled ones: a fold moves the whole journal, so everything still
// in it is newer than everything folded.
const foldAt = 4096

const (
	tagEvent   = 'e'
	tagMessage = 'm'
)

func tagOf(bucket []byte) byte {
	if bytes.Equal(bucket, bucketTimeline) {
		return tagEvent
	}
	return tagMessage
}

// appendSeq adds v to conversation id's entries in bucket (timeline or
// transcript), through the journal.
func (t *Tx) appendSeq(bucket []byte, id uint64, v any) error {
	seq, err := t.tx.Bucket(bucket).NextSequence()
	if err != nil {
		t.broken = true
		return err
	}
	j := t.tx.Bucket(bucketJournal)
	n, err := j.NextSequence()
	if err != nil {
		t.broken = true
		return err
	}
	val := make([]byte, 17, 17+256)
	val[0] = tagOf(bucket)
	binary.BigEndian.PutUint64(val[1:], id)
	binary.BigEndian.PutUint64(val[9:], seq)
	val, err = appendJSON(val, v)
	if err != nil {
		return err
	}
	if err := j.Put(u64(n), val); err != nil {
		t.broken = true
		return fmt.Errorf("store: put: %w", err)
	}
	return nil
}

func appendJSON(b []byte, v any) ([]byte, error) {
	enc, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("store: encode: %w", err)
	}
	return append(b, enc...), nil
}

// journalEntry is one decoded journal value.
type journalEntry struct {
	tag  byte
	id   uint64
	key  []byte // id|seq in the entry's bucket
	data []byte // JSON
}

func parseJournal(v []byte) (journalEntry, bool) {
	if len(v) < 17 {
		return journalEntry{}, false
	}
	return journalEntry{tag: v[0], id: binary.BigEndian.Uint64(v[1:]), key: v[1:17], data: v[17:]}, true
}

// journaled calls fn, oldest first, for conversation id's entries still
// in the journal under tag.
func (t *Tx) journaled(tag byte, id uint64, fn func(key, data []byte) error) error {
	c := t.tx.Bucket(bucketJournal).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		e, ok := parseJournal(v)
		if !ok {
			return fmt.Errorf("store: journal entry %x is short", k)
		}
		if e.tag == tag && e.id == id {
			if err := fn(e.key, e.data); err != nil {
				return err
			}
		}
	}
	return nil
}

// journalFull reports whether the journal is due to be folded.
func (t *Tx) journalFull() bool { return t.tx.Bucket(bucketJournal).Sequence() >= foldAt }

// fold moves every journal entry into its bucket and empties the journal
// (its sequence, the count of entries, starts again at zero).
func (t *Tx) fold() error {
	j := t.tx.Bucket(bucketJournal)
	if j.Sequence() == 0 {
		return nil
	}
	buckets := map[byte]*bolt.Bucket{tagEvent: t.tx.Bucket(bucketTimeline), tagMessage: t.tx.Bucket(bucketTranscript)}
	c := j.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		e, ok := parseJournal(v)
		if !ok || buckets[e.tag] == nil {
			t.broken = true
			return fmt.Errorf("store: journal entry %x is malformed", k)
		}
		// Put copies the key, not the value, which points into the
		// journal's pages, about to be freed.
		if err := buckets[e.tag].Put(e.key, bytes.Clone(e.data)); err != nil {
			t.broken = true
			return fmt.Errorf("store: fold: %w", err)
		}
	}
	if err := t.tx.DeleteBucket(bucketJournal); err != nil {
		t.broken = true
		return fmt.Errorf("store: fold: %w", err)
	}
	if _, err := t.tx.CreateBucket(bucketJournal); err != nil {
		t.broken = true
		return fmt.Errorf("store: fold: %w", err)
	}
	return nil
}

// deleteJournaled removes conversation id's journal entries and returns
// how many were transcript messages.
func (t *Tx) deleteJournaled(id uint64) (int, error) {
	j := t.tx.Bucket(bucketJournal)
	var keys [][]byte
	msgs := 0
	c := j.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if e, ok := parseJournal(v); ok && e.id == id {
			keys = append(keys, bytes.Clone(k))
			if e.tag == tagMessage {
				msgs++
			}
		}
	}
	for _, k := range keys {
		if err := j.Delete(k); err != nil {
			t.broken = true
			return 0, err
		}
	}
	return msgs, nil
}
