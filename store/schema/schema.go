// Package schema declares every bbolt bucket of the store in one place,
// their keys, and the migrations from each schema to the next.
package schema

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Every bucket, declared in one place.
var (
	Meta          = []byte("meta")
	Conversations = []byte("conversations") // id → Conversation
	Active        = []byte("active")        // id → "" for every conversation not closed
	Timeline      = []byte("timeline")      // id|seq of the first entry → chunk of Events (folded.go), or one Event
	Transcript    = []byte("transcript")    // id|seq of the first entry → chunk of Messages, or one Message
	Customers     = []byte("customers")     // bare JID → Customer
	Agents        = []byte("agents")        // bare JID → Agent
	Subscriptions = []byte("subscriptions") // entry|bare JID → "" for customers subscribed to an entry point
	Seen          = []byte("seen")          // id → transcript sequence the customer has seen up to
	Journal       = []byte("journal")       // entry count → run of tag|id|seq|len|record: recent timeline and transcript entries (journal.go)
	Replies       = []byte("replies")       // name → Reply: canned replies changed at runtime
	Closed        = []byte("closed")        // close time (unix ns) | id → "": conversations by when they ended (may hold stale keys: check the record)
	Outbox        = []byte("outbox")        // id → an outbox entry: a reply or webhook call to deliver (store/outbox)
	Inbound       = []byte("inbound")       // channel|provider id → what it became: exactly once in (store/inbox)
	Files         = []byte("files")         // file id (hash) → a stored file's metadata (store/inbox)
	Identities    = []byte("identities")    // address|customer → "": the addresses customers gave without proof (store/identity)

	KeySchema = []byte("schema")
)

// migrations[i] upgrades a database from schema i to i+1, in one
// transaction together with the rest of the upgrade.
var migrations = []func(*bolt.Tx) error{
	// 0 → 1: the first schema.
	func(tx *bolt.Tx) error {
		for _, b := range [][]byte{Conversations, Active, Timeline, Transcript, Customers, Agents} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 1 → 2: customers' presence subscriptions to entry points.
	func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(Subscriptions)
		return err
	},
	// 2 → 3: how far each customer has seen their transcript, for
	// retention.
	func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(Seen)
		return err
	},
	// 3 → 4: the journal, which new timeline and transcript entries go
	// through.
	func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(Journal)
		return err
	},
	// 4 → 5: journal values hold runs of length-prefixed entries (a commit's
	// worth) instead of one entry each; records become binary (record.go),
	// and the JSON ones already written stay as they are.
	func(tx *bolt.Tx) error {
		j := tx.Bucket(Journal)
		type entry struct{ k, v []byte }
		var old []entry
		err := j.ForEach(func(k, v []byte) error {
			if len(v) < 17 {
				return fmt.Errorf("journal entry %x is short", k)
			}
			n := binary.AppendUvarint(append([]byte(nil), v[:17]...), uint64(len(v)-17))
			old = append(old, entry{bytes.Clone(k), append(n, v[17:]...)})
			return nil
		})
		if err != nil {
			return err
		}
		for _, e := range old {
			if err := j.Put(e.k, e.v); err != nil {
				return err
			}
		}
		return nil
	},
	// 5 → 6: canned replies changed at runtime.
	func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(Replies)
		return err
	},
	// 6 → 7: conversations by close time, for reports and retention.
	func(tx *bolt.Tx) error {
		idx, err := tx.CreateBucketIfNotExists(Closed)
		if err != nil {
			return err
		}
		return tx.Bucket(Conversations).ForEach(func(k, v []byte) error {
			var c struct {
				Closed time.Time `json:"closed"`
			}
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("conversation %x: %w", k, err)
			}
			if c.Closed.IsZero() {
				return nil
			}
			return idx.Put(ClosedKey(c.Closed, binary.BigEndian.Uint64(k)), nil)
		})
	},
	// 7 → 8: channels: the outbox of replies and webhook calls, the keys
	// of what came in, stored files, the addresses customers typed.
	func(tx *bolt.Tx) error {
		for _, b := range [][]byte{Outbox, Inbound, Files, Identities} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
}

// Version is the schema this binary writes.
var Version = uint64(len(migrations))

// Upgrade brings the database to Version in one transaction, refusing one
// newer than this binary.
func Upgrade(db *bolt.DB) error {
	return db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(Meta)
		if err != nil {
			return err
		}
		var v uint64
		if b := meta.Get(KeySchema); len(b) == 8 {
			v = binary.BigEndian.Uint64(b)
		}
		if v > Version {
			return fmt.Errorf("database schema %d is newer than this switchboard (%d): upgrade switchboard", v, Version)
		}
		for ; v < Version; v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
			}
		}
		return meta.Put(KeySchema, U64(Version))
	})
}

// U64 is v as a big-endian key.
func U64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// ClosedKey is a conversation's key in the close-time index.
func ClosedKey(at time.Time, id uint64) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, uint64(at.UnixNano()))
	binary.BigEndian.PutUint64(k[8:], id)
	return k
}
