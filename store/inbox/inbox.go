// Package inbox keeps what came in through a channel once: the key of
// each provider message (a MessageSid, a RecordingSid, a webhook-id) with
// what it became, written in the same step as the message, so that a
// repeated delivery is answered as the first and stores nothing; and the
// metadata of stored files (their bytes are files on disk, by hash).
package inbox

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
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

// File is a stored file's metadata, under its id: the first 32 hex
// digits of its SHA-256, also the name of its bytes on disk. The same
// bytes sent twice are one file.
type File struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"` // as it came
	Type    string    `json:"type"` // as sniffed
	Size    int64     `json:"size"`
	SHA256  string    `json:"sha256"`
	Created time.Time `json:"created"`
}

// PutFile keeps f.
func PutFile(tx *store.Tx, f *File) error { return tx.Put(schema.Files, []byte(f.ID), f) }

// GetFile reads file id; store.ErrNotFound when there is none.
func GetFile(tx *store.Tx, id string) (*File, error) {
	var f File
	if err := tx.Get(schema.Files, []byte(id), &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// linkKey is the meta key of the key that signs links to files.
var linkKey = []byte("files-link-key")

// LinkKey is the key that signs links to stored files: made on first
// use and kept, so that links in rooms work across restarts.
func LinkKey(tx *store.Tx) ([]byte, error) {
	var k []byte
	err := tx.Get(schema.Meta, linkKey, &k)
	if err == nil && len(k) >= 32 {
		return k, nil
	}
	if err != nil && err != store.ErrNotFound {
		return nil, err
	}
	k = make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	return k, tx.Put(schema.Meta, linkKey, k)
}

// KeysKept is how long the key of a message is kept: longer than any
// provider goes on retrying one (Standard Webhooks senders retry for up
// to a few days).
const KeysKept = 7 * 24 * time.Hour

// ExpiredKeys lists up to limit keys taken before cut.
func ExpiredKeys(tx *store.Tx, cut time.Time, limit int) ([][]byte, error) {
	var out [][]byte
	err := tx.Each(schema.Inbound, nil, nil, func(k, v []byte) (bool, error) {
		var s Seen
		if err := json.Unmarshal(v, &s); err != nil {
			return false, err
		}
		if s.At.Before(cut) {
			out = append(out, bytes.Clone(k))
		}
		return len(out) < limit, nil
	})
	return out, err
}

// ForgetKey removes a key ExpiredKeys listed.
func ForgetKey(tx *store.Tx, key []byte) error { return tx.Delete(schema.Inbound, key) }
