// Package inbox keeps what came in through a channel once: the key of
// each provider message (a MessageSid, a RecordingSid, a webhook-id) with
// what it became, written in the same step as the message, so that a
// repeated delivery is answered as the first and stores nothing; and the
// metadata of stored files (their bytes are files on disk, by hash).
package inbox

import (
	"encoding/binary"
	"time"

	"switchboard/store"
	"switchboard/store/schema"
)

// Seen is what a provider's message became.
type Seen struct {
	Conversation uint64    `json:"conversation"`
	At           time.Time `json:"at"`
}

func seenKey(channel, id string) []byte { return []byte(channel + "|" + id) }

// Mark records that channel's message id became s.
func Mark(tx *store.Tx, channel, id string, s Seen) error {
	return tx.Put(schema.Inbound, seenKey(channel, id), s)
}

// Lookup says what channel's message id became, if it came before.
func Lookup(tx *store.Tx, channel, id string) (Seen, bool, error) {
	var s Seen
	err := tx.Get(schema.Inbound, seenKey(channel, id), &s)
	if err == store.ErrNotFound {
		return s, false, nil
	}
	return s, err == nil, err
}

// File is a stored file's metadata.
type File struct {
	ID           uint64    `json:"id"`
	Conversation uint64    `json:"conversation"`
	Name         string    `json:"name"`
	Type         string    `json:"type"`
	Size         int64     `json:"size"`
	SHA256       string    `json:"sha256"` // hex; the bytes are the file of this name
	Created      time.Time `json:"created"`
}

func fileKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

// AddFile numbers f and keeps it.
func AddFile(tx *store.Tx, f *File) error {
	id, err := tx.NextID(schema.Files)
	if err != nil {
		return err
	}
	f.ID = id
	return tx.Put(schema.Files, fileKey(id), f)
}

// GetFile reads file id; store.ErrNotFound when there is none.
func GetFile(tx *store.Tx, id uint64) (*File, error) {
	var f File
	if err := tx.Get(schema.Files, fileKey(id), &f); err != nil {
		return nil, err
	}
	return &f, nil
}
