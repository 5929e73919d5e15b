// Package outbox keeps what must go out: an agent's answer to a customer
// on a channel that is not XMPP (an SMS), and webhook calls. An entry is
// written in the same step as what made it, and stays until it is sent or
// given up (dead); its sender (component/channel) delivers it, with its
// retries and their times here, so that a restart goes on where it was.
package outbox

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"time"

	"switchboard/store"
	"switchboard/store/schema"
)

// The states of an entry.
const (
	Pending = "pending"
	Sent    = "sent"
	Dead    = "dead"
)

// The kinds of an entry.
const (
	Reply   = "reply"   // to a customer through a channel
	Webhook = "webhook" // an event to a [[webhook]]
)

// Entry is one thing to deliver.
type Entry struct {
	ID           uint64 `json:"id"`
	Kind         string `json:"kind"`
	Conversation uint64 `json:"conversation,omitempty"`
	// Channel is the channel's name for a reply, the webhook's URL for a
	// webhook call; To is the customer's address on the channel.
	Channel string   `json:"channel"`
	To      string   `json:"to,omitempty"`
	Body    string   `json:"body"` // the text, or a webhook's JSON
	Media   []string `json:"media,omitempty"`
	// Event and EventID name a webhook call: the same id on every retry.
	Event   string `json:"event,omitempty"`
	EventID string `json:"event_id,omitempty"`

	State    string    `json:"state"`
	Attempts int       `json:"attempts"`
	Created  time.Time `json:"created"`
	Next     time.Time `json:"next,omitzero"` // the next attempt, while pending
	Error    string    `json:"error,omitempty"`
	// ProviderID is the provider's id of what it accepted (a MessageSid);
	// Status what it last reported of it (delivered, failed).
	ProviderID string    `json:"provider_id,omitempty"`
	Status     string    `json:"status,omitempty"`
	Sent       time.Time `json:"sent,omitzero"`
}

func key(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

// Add numbers e and keeps it, pending from now.
func Add(tx *store.Tx, e *Entry, now time.Time) error {
	id, err := tx.NextID(schema.Outbox)
	if err != nil {
		return err
	}
	e.ID, e.State, e.Created, e.Next = id, Pending, now, now
	return tx.Put(schema.Outbox, key(id), e)
}

// Put keeps e as it is now.
func Put(tx *store.Tx, e *Entry) error { return tx.Put(schema.Outbox, key(e.ID), e) }

// Attempted writes what a sender owns of e (its state, attempts, next
// attempt, error, the provider's id and when it was sent) over the stored
// entry, keeping what others write (the provider's reports).
func Attempted(tx *store.Tx, e *Entry) error {
	stored, err := Get(tx, e.ID)
	if err != nil {
		return err
	}
	stored.State, stored.Attempts, stored.Next, stored.Error, stored.ProviderID, stored.Sent = e.State, e.Attempts, e.Next, e.Error, e.ProviderID, e.Sent
	return Put(tx, stored)
}

// Reported writes what a provider reported of entry id: its status, and
// its id when the sender has not written it yet.
func Reported(tx *store.Tx, id uint64, status, providerID string) error {
	e, err := Get(tx, id)
	if err != nil {
		return err
	}
	e.Status = status
	if e.ProviderID == "" {
		e.ProviderID = providerID
	}
	return Put(tx, e)
}

// Get reads entry id; store.ErrNotFound when there is none.
func Get(tx *store.Tx, id uint64) (*Entry, error) {
	var e Entry
	if err := tx.Get(schema.Outbox, key(id), &e); err != nil {
		return nil, err
	}
	return &e, nil
}

// ErrNotDead is Retry's answer for an entry that is not dead.
var ErrNotDead = errors.New("only a dead entry can be sent again")

// Retry makes a dead entry pending again, due now.
func Retry(tx *store.Tx, id uint64, now time.Time) (*Entry, error) {
	e, err := Get(tx, id)
	if err != nil {
		return nil, err
	}
	if e.State != Dead {
		return e, ErrNotDead
	}
	// Counted afresh: its attempts and age start again.
	e.State, e.Next, e.Error, e.Attempts, e.Created = Pending, now, "", 0, now
	return e, Put(tx, e)
}

// Each calls fn with every entry in state ("" for all), newest first,
// starting below before (0: from the newest), until fn returns false.
func Each(tx *store.Tx, state string, before uint64, fn func(*Entry) bool) error {
	var ids []uint64
	err := tx.Each(schema.Outbox, nil, nil, func(k, _ []byte) (bool, error) {
		id := binary.BigEndian.Uint64(k)
		if before == 0 || id < before {
			ids = append(ids, id)
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	for i := len(ids) - 1; i >= 0; i-- {
		e, err := Get(tx, ids[i])
		if err != nil {
			return err
		}
		if state != "" && e.State != state {
			continue
		}
		if !fn(e) {
			return nil
		}
	}
	return nil
}

// PendingEntries returns every pending entry, oldest first: what a sender starts
// from.
func PendingEntries(tx *store.Tx) ([]*Entry, error) {
	var out []*Entry
	err := tx.Each(schema.Outbox, nil, nil, func(_, v []byte) (bool, error) {
		var e Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return false, err
		}
		if e.State == Pending {
			out = append(out, &e)
		}
		return true, nil
	})
	return out, err
}

// Expired lists up to limit entries sent or dead that were written
// before cut.
func Expired(tx *store.Tx, cut time.Time, limit int) ([]uint64, error) {
	var out []uint64
	err := tx.Each(schema.Outbox, nil, nil, func(k, v []byte) (bool, error) {
		var e Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return false, err
		}
		if e.State != Pending && e.Created.Before(cut) {
			out = append(out, e.ID)
		}
		return len(out) < limit, nil
	})
	return out, err
}

// Delete removes entry id.
func Delete(tx *store.Tx, id uint64) error { return tx.Delete(schema.Outbox, key(id)) }
