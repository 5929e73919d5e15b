package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Every bucket, declared in one place.
var (
	bucketMeta          = []byte("meta")
	bucketConversations = []byte("conversations") // id → Conversation
	bucketActive        = []byte("active")        // id → "" for every conversation not closed
	bucketTimeline      = []byte("timeline")      // id|seq → Event
	bucketTranscript    = []byte("transcript")    // id|seq → Message
	bucketCustomers     = []byte("customers")     // bare JID → Customer
	bucketAgents        = []byte("agents")        // bare JID → Agent
	bucketSubscriptions = []byte("subscriptions") // entry|bare JID → "" for customers subscribed to an entry point
	bucketSeen          = []byte("seen")          // id → transcript sequence the customer has seen up to
	bucketJournal       = []byte("journal")       // seq → tag|id|seq|record: recent timeline and transcript entries (journal.go)

	keySchema = []byte("schema")
)

// migrations[i] upgrades a database from schema i to i+1, in one
// transaction together with the rest of the upgrade.
var migrations = []func(*bolt.Tx) error{
	// 0 → 1: the first schema.
	func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketConversations, bucketActive, bucketTimeline, bucketTranscript, bucketCustomers, bucketAgents} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 1 → 2: customers' presence subscriptions to entry points.
	func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketSubscriptions)
		return err
	},
	// 2 → 3: how far each customer has seen their transcript, for
	// retention.
	func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketSeen)
		return err
	},
	// 3 → 4: the journal, which new timeline and transcript entries go
	// through.
	func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketJournal)
		return err
	},
}

// SchemaVersion is the schema this binary writes.
var SchemaVersion = uint64(len(migrations))

func upgrade(db *bolt.DB) error {
	return db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		var v uint64
		if b := meta.Get(keySchema); len(b) == 8 {
			v = binary.BigEndian.Uint64(b)
		}
		if v > SchemaVersion {
			return fmt.Errorf("database schema %d is newer than this switchboard (%d): upgrade switchboard", v, SchemaVersion)
		}
		for ; v < SchemaVersion; v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
			}
		}
		return meta.Put(keySchema, u64(SchemaVersion))
	})
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}
