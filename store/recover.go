package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"switchboard/store/schema"
	"switchboard/store/wal"
)

// keyLog, in the meta bucket, is the index of the last log record bbolt
// holds.
var keyLog = []byte("log")

// ErrUnapplied is returned by a read-only Open while the log holds
// writes the database file does not: open it once for writing (which
// applies them) first.
var ErrUnapplied = errors.New("the log holds writes the database does not have yet")

// logState reads what bbolt knows of the log: the last record it holds and
// the schema it is at.
func logState(db *bolt.DB) (applied, version uint64, err error) {
	err = db.View(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(schema.Meta); meta != nil {
			if b := meta.Get(keyLog); len(b) == 8 {
				applied = binary.BigEndian.Uint64(b)
			}
			if b := meta.Get(schema.KeySchema); len(b) == 8 {
				version = binary.BigEndian.Uint64(b)
			}
		}
		return nil
	})
	return applied, version, err
}

// readLog checks the whole log in dir, touching nothing.
func readLog(dir string) (wal.Info, error) {
	info, err := wal.Read(dir, nil)
	var ce *wal.CorruptError
	if errors.As(err, &ce) {
		return info, fmt.Errorf("write-ahead log %w; nothing was changed: restore the database from a backup, or move %s aside to start without the writes it holds", err, dir)
	}
	if err != nil {
		return info, fmt.Errorf("write-ahead log: %w", err)
	}
	return info, nil
}

// checkLog fails when the log in dir holds records bbolt does not.
func checkLog(db *bolt.DB, dir string) error {
	applied, _, err := logState(db)
	if err != nil {
		return err
	}
	info, err := readLog(dir)
	if err != nil {
		return err
	}
	if info.Next > applied+1 {
		return fmt.Errorf("%w (%d records in %s)", ErrUnapplied, info.Next-1-applied, dir)
	}
	return nil
}

// recoverLog replays into bbolt every record of the log in dir that bbolt
// does not hold, in one transaction, and removes the log: a record torn
// at its end was never acknowledged and goes. A damaged log is refused
// before anything changes. It returns the index the next log starts at
// and how many records were replayed.
func recoverLog(db *bolt.DB, dir string) (next uint64, replayed int, err error) {
	applied, version, err := logState(db)
	if err != nil {
		return 0, 0, err
	}
	info, err := readLog(dir)
	if err != nil {
		return 0, 0, err
	}
	if info.Next > applied+1 {
		err = db.Update(func(tx *bolt.Tx) error {
			_, err := wal.Read(dir, func(index, meta uint64, data []byte) error {
				if index <= applied {
					return nil
				}
				if index != applied+1 {
					return fmt.Errorf("record %d follows %d, the last the database holds: records are missing", index, applied)
				}
				if meta != version {
					return fmt.Errorf("record %d was written at schema %d; the database is at %d", index, meta, version)
				}
				if err := replay(tx, data); err != nil {
					return fmt.Errorf("record %d: %w", index, err)
				}
				applied = index
				replayed++
				return nil
			})
			if err != nil {
				return err
			}
			return tx.Bucket(schema.Meta).Put(keyLog, schema.U64(applied))
		})
		if err != nil {
			return 0, 0, fmt.Errorf("write-ahead log %s: %w; nothing was changed", dir, err)
		}
	}
	if err := removeLog(dir); err != nil {
		return 0, 0, fmt.Errorf("write-ahead log: %w", err)
	}
	return applied + 1, replayed, nil
}

func removeLog(dir string) error { return wal.Remove(dir) }
