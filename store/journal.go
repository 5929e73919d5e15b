package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"switchboard/store/schema"
)

// The journal takes timeline events and transcript messages as they are
// written. A write transaction gathers its entries in memory and adds
// them to the journal as one value, under a key that only ever grows: a
// commit of many conversations' messages puts one value at the journal's
// end, instead of touching a page per conversation in each of the
// timeline and transcript buckets. Once the journal holds foldAt entries
// it is folded into those buckets, each conversation's entries as one
// chunk (folded.go), in the same transaction as the writes that filled
// it.
//
// A journal value is a run of entries, each
//
//	tag | id | seq | uvarint length | record
//
// where tag names the bucket, id|seq is the entry's key there and record
// its value (record.go). The journal's sequence counts the entries
// written to it since the last fold, and a value's key is that count
// after it. Readers see a conversation's folded entries followed by its
// journaled ones: a fold moves the whole journal, so everything still in
// it is newer than everything folded.
const foldAt = 4096

const (
	tagEvent   = 'e'
	tagMessage = 'm'
)

func tagOf(bucket []byte) byte {
	if bytes.Equal(bucket, schema.Timeline) {
		return tagEvent
	}
	return tagMessage
}

// pending is what a write transaction has written but not yet put into
// bbolt: its journal entries, the sequences of the timeline and transcript
// buckets, and customers' seen marks. flush puts it.
type pending struct {
	entries []byte
	used    []byte // the buffer entries was last put from
	n       uint64
	seq     [2]uint64 // timeline, transcript; read on first use
	seqSet  [2]bool
	seen    map[uint64]uint64
}

func seqIndex(tag byte) int {
	if tag == tagEvent {
		return 0
	}
	return 1
}

// seq is the last key sequence handed out in the bucket tag names.
func (t *Tx) seq(tag byte) *uint64 {
	i := seqIndex(tag)
	if !t.p.seqSet[i] {
		name := schema.Timeline
		if tag == tagMessage {
			name = schema.Transcript
		}
		t.p.seq[i] = t.tx.Bucket(name).Sequence()
		t.p.seqSet[i] = true
	}
	return &t.p.seq[i]
}

// journal adds one entry, whose record the caller appends to the returned
// buffer with fn.
func (t *Tx) journal(tag byte, id uint64, fn func([]byte) []byte) {
	last := t.seq(tag)
	*last++
	seq := *last
	b := append(t.p.entries, tag)
	b = binary.BigEndian.AppendUint64(b, id)
	b = binary.BigEndian.AppendUint64(b, seq)
	// The record's length goes in front of it: leave room for the common
	// one-byte length, and move the record when it needs more.
	at := len(b)
	b = fn(append(b, 0))
	n := len(b) - at - 1
	if n < 0x80 {
		b[at] = byte(n)
	} else {
		var l [binary.MaxVarintLen64]byte
		w := binary.PutUvarint(l[:], uint64(n))
		b = append(b, l[:w-1]...)
		copy(b[at+w:], b[at+1:at+1+n])
		copy(b[at:], l[:w])
	}
	t.p.entries = b
	t.p.n++
}

// flush puts what the transaction has pending.
func (t *Tx) flush() error {
	if t.p.n > 0 {
		n := t.tx.Bucket(schema.Journal).Sequence() + t.p.n
		if err := t.setSequence(schema.Journal, n); err != nil {
			return err
		}
		if err := t.putRaw(schema.Journal, schema.U64(n), t.p.entries); err != nil {
			return err
		}
		// What was put stays untouched; later entries go after it.
		t.p.used = t.p.entries
		t.p.entries, t.p.n = t.p.entries[len(t.p.entries):], 0
	}
	for i, name := range [][]byte{schema.Timeline, schema.Transcript} {
		if t.p.seqSet[i] {
			if err := t.setSequence(name, t.p.seq[i]); err != nil {
				return err
			}
		}
	}
	for id, seq := range t.p.seen {
		if err := t.putRaw(schema.Seen, schema.U64(id), schema.U64(seq)); err != nil {
			return err
		}
	}
	clear(t.p.seen)
	return nil
}

// journalEntry is one entry of a journal value.
type journalEntry struct {
	tag    byte
	id     uint64
	key    []byte // id|seq in the entry's bucket
	record []byte
}

// nextEntry takes the first entry off b.
func nextEntry(b []byte) (e journalEntry, rest []byte, ok bool) {
	if len(b) < 17 {
		return e, nil, false
	}
	record, rest, ok := cutRecord(b[17:])
	if !ok {
		return e, nil, false
	}
	return journalEntry{tag: b[0], id: binary.BigEndian.Uint64(b[1:]), key: b[1:17], record: record}, rest, true
}

// cutRecord takes a uvarint length and the record of that length off the
// front of b: the framing journal entries and chunk entries share.
func cutRecord(b []byte) (record, rest []byte, ok bool) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return nil, nil, false
	}
	end := w + int(n)
	return b[w:end], b[end:], true
}

// entries calls fn for every entry in the journal, oldest first, the
// transaction's own pending ones last.
func (t *Tx) entries(fn func(journalEntry) error) error {
	each := func(k, v []byte) error {
		for len(v) > 0 {
			e, rest, ok := nextEntry(v)
			if !ok {
				return fmt.Errorf("store: journal value %x is malformed", k)
			}
			if err := fn(e); err != nil {
				return err
			}
			v = rest
		}
		return nil
	}
	if err := t.tx.Bucket(schema.Journal).ForEach(each); err != nil {
		return err
	}
	return each(nil, t.p.entries)
}

// journaled calls fn, oldest first, for conversation id's entries still
// in the journal under tag.
func (t *Tx) journaled(tag byte, id uint64, fn func(key, record []byte) error) error {
	return t.entries(func(e journalEntry) error {
		if e.tag == tag && e.id == id {
			return fn(e.key, e.record)
		}
		return nil
	})
}

// journalFull reports whether the journal is due to be folded.
func (t *Tx) journalFull() bool {
	return t.tx.Bucket(schema.Journal).Sequence()+t.p.n >= foldAt
}

// fold moves every journal entry into its bucket and empties the journal
// (its sequence, the count of entries, starts again at zero).
func (t *Tx) fold() error {
	if err := t.flush(); err != nil {
		return err
	}
	if t.tx.Bucket(schema.Journal).Sequence() == 0 {
		return nil
	}
	buckets := map[byte][]byte{tagEvent: schema.Timeline, tagMessage: schema.Transcript}
	// One chunk per conversation and bucket (folded.go), under the key of
	// its first entry.
	type group struct {
		tag byte
		id  uint64
	}
	type chunk struct {
		key   []byte
		value []byte
	}
	chunks := map[group]*chunk{}
	err := t.entries(func(e journalEntry) error {
		if buckets[e.tag] == nil {
			return fmt.Errorf("store: journal entry %x has tag %q", e.key, e.tag)
		}
		g := group{e.tag, e.id}
		c := chunks[g]
		if c == nil {
			c = &chunk{key: e.key, value: []byte{chunkV1}}
			chunks[g] = c
		}
		c.value = appendChunkEntry(c.value, binary.BigEndian.Uint64(e.key[8:]), e.record)
		return nil
	})
	for g, c := range chunks {
		if err != nil {
			break
		}
		// Put copies the key (which points into the journal's pages,
		// about to be freed), not the value, built above.
		err = t.putRaw(buckets[g.tag], c.key, c.value)
	}
	if err == nil {
		err = t.empty(schema.Journal)
	}
	if err != nil {
		t.broken = true
		return fmt.Errorf("store: fold: %w", err)
	}
	return nil
}

// deleteJournaled removes conversation id's journal entries and returns
// how many were transcript messages.
func (t *Tx) deleteJournaled(id uint64) (int, error) {
	if err := t.flush(); err != nil {
		return 0, err
	}
	j := t.tx.Bucket(schema.Journal)
	type rewrite struct{ k, v []byte }
	var changed []rewrite
	msgs := 0
	err := j.ForEach(func(k, v []byte) error {
		var keep []byte
		drop := false
		for rest := v; len(rest) > 0; {
			e, r, ok := nextEntry(rest)
			if !ok {
				return fmt.Errorf("store: journal value %x is malformed", k)
			}
			if e.id == id {
				drop = true
				if e.tag == tagMessage {
					msgs++
				}
			} else {
				keep = append(keep, rest[:len(rest)-len(r)]...)
			}
			rest = r
		}
		if drop {
			changed = append(changed, rewrite{bytes.Clone(k), keep})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, c := range changed {
		if len(c.v) == 0 {
			err = t.del(schema.Journal, c.k)
		} else {
			err = t.putRaw(schema.Journal, c.k, c.v)
		}
		if err != nil {
			return 0, err
		}
	}
	return msgs, nil
}
