package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"switchboard/store/schema"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// What store/backup reads a database file through, and the log it
// applies to a file about to be set aside.

// Summary is what Inspect found in a database file.
type Summary struct {
	Schema        uint64
	Conversations int
	Active        int // not ended, or held for a reopen
	LastID        uint64
}

// Inspect reads what a database file holds in a read transaction of a
// file opened with bbolt: its schema (refused when it is none this binary
// reads), its last id, and how many conversations and active ones it
// has, decoding every record.
func Inspect(btx *bolt.Tx) (Summary, error) {
	var sum Summary
	meta := btx.Bucket(schema.Meta)
	if meta == nil {
		return sum, errors.New("not a switchboard database (no schema)")
	}
	if b := meta.Get(schema.KeySchema); len(b) == 8 {
		sum.Schema = binary.BigEndian.Uint64(b)
	}
	if sum.Schema == 0 || sum.Schema > SchemaVersion {
		return sum, fmt.Errorf("schema %d; this switchboard reads 1 to %d", sum.Schema, SchemaVersion)
	}
	tx := &Tx{tx: btx}
	sum.LastID = tx.LastID()
	if err := tx.Conversations(func(*Conversation) bool { sum.Conversations++; return true }); err != nil {
		return sum, fmt.Errorf("a conversation does not decode: %w", err)
	}
	if a := btx.Bucket(schema.Active); a != nil {
		sum.Active = a.Stats().KeyN
	}
	return sum, nil
}

// ErrInUse is returned while a desk has the store open.
var ErrInUse = errors.New("a desk has this store open: stop it first")

// Hold takes the lock of the database at path, as a desk would, after
// putting what its write-ahead log holds into the file (the log goes), so
// that the file can be replaced without a desk opening it meanwhile;
// release lets go. ErrInUse while a desk has it open; a file that is no
// database is not held.
func Hold(path string) (release func(), err error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 200 * time.Millisecond})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, ErrInUse
	case err != nil:
		return func() {}, nil
	}
	if _, _, err := recoverLog(db, LogDir(path)); err != nil {
		db.Close()
		return nil, err
	}
	return func() { db.Close() }, nil
}
