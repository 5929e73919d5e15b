package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"switchboard/store/schema"

	bolt "go.etcd.io/bbolt"
)

// Tx is a transaction with typed access to the records.
type Tx struct {
	tx     *bolt.Tx
	s      *Store  // set for read transactions of an open store
	broken bool    // a bbolt error left the transaction unusable
	p      pending // journal entries and marks not yet put (journal.go)
	ops    *[]byte // in a write, where its changes are recorded (ops.go)
}

// Done returns, in a read transaction, the number of the last write this
// snapshot holds: writes numbered above it are not in it, those up to it
// are (or failed). A reader that keeps what it wrote with the numbers
// Submit gave can add what this snapshot misses.
func (t *Tx) Done() uint64 {
	if t.s == nil {
		return 0
	}
	n, _ := t.s.snapshots.get(uint64(t.tx.ID()))
	return n
}

func (t *Tx) put(bucket, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode: %w", err)
	}
	return t.putRaw(bucket, key, b)
}

func (t *Tx) get(bucket, key []byte, v any) error {
	b := t.tx.Bucket(bucket).Get(key)
	if b == nil {
		return ErrNotFound
	}
	return json.Unmarshal(b, v)
}

// LastID returns the last conversation ID ever handed out.
func (t *Tx) LastID() uint64 { return t.tx.Bucket(schema.Conversations).Sequence() }

// PutConversation writes a conversation record and keeps the index of open
// conversations and the sequence of IDs up to date.
func (t *Tx) PutConversation(c *Conversation) error {
	if c.ID > t.tx.Bucket(schema.Conversations).Sequence() {
		if err := t.setSequence(schema.Conversations, c.ID); err != nil {
			return err
		}
	}
	if err := t.put(schema.Conversations, schema.U64(c.ID), c); err != nil {
		return err
	}
	if !c.Closed.IsZero() {
		// Put again with each write of a closed record: the same key,
		// unless it was reopened and closed again (the old key stays,
		// and readers check the record).
		if err := t.putRaw(schema.Closed, schema.ClosedKey(c.Closed, c.ID), nil); err != nil {
			return err
		}
	}
	if c.Open() || !c.ReopenUntil.IsZero() {
		return t.putRaw(schema.Active, schema.U64(c.ID), nil)
	}
	return t.del(schema.Active, schema.U64(c.ID))
}

// Conversation reads one conversation.
func (t *Tx) Conversation(id uint64) (*Conversation, error) {
	var c Conversation
	if err := t.get(schema.Conversations, schema.U64(id), &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// Active returns every conversation that has not ended or may still be
// reopened, oldest first.
func (t *Tx) Active() ([]*Conversation, error) {
	var out []*Conversation
	err := t.tx.Bucket(schema.Active).ForEach(func(k, _ []byte) error {
		var c Conversation
		if err := t.get(schema.Conversations, k, &c); err != nil {
			return fmt.Errorf("store: active conversation %x: %w", k, err)
		}
		out = append(out, &c)
		return nil
	})
	return out, err
}

// Conversations calls fn for every conversation, oldest first, until fn
// returns false.
func (t *Tx) Conversations(fn func(*Conversation) bool) error {
	c := t.tx.Bucket(schema.Conversations).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var conv Conversation
		if err := json.Unmarshal(v, &conv); err != nil {
			return err
		}
		if !fn(&conv) {
			return nil
		}
	}
	return nil
}

// AppendEvent adds an event to a conversation's timeline.
func (t *Tx) AppendEvent(id uint64, e Event) error {
	t.journal(tagEvent, id, func(b []byte) []byte { return appendEvent(b, e) })
	return nil
}

// AppendMessage adds a message to a conversation's transcript.
func (t *Tx) AppendMessage(id uint64, m Message) error {
	t.journal(tagMessage, id, func(b []byte) []byte { return appendMessage(b, m) })
	return nil
}

// MarkSeen records that the customer of conversation id has seen every
// message of its transcript so far (they wrote, or their client confirmed
// delivery). Retention treats later messages to the customer as not yet
// delivered.
func (t *Tx) MarkSeen(id uint64) error {
	if t.p.seen == nil {
		t.p.seen = map[uint64]uint64{}
	}
	t.p.seen[id] = *t.seq(tagMessage)
	return nil
}

func scan[T any](t *Tx, bucket []byte, id uint64, decode func([]byte) (T, error)) ([]T, error) {
	var out []T
	add := func(_, v []byte) error {
		x, err := decode(v)
		if err != nil {
			return err
		}
		out = append(out, x)
		return nil
	}
	if err := eachFolded(t.tx.Bucket(bucket), id, func(e chunkEntry) error { return add(nil, e.record) }); err != nil {
		return nil, err
	}
	if err := t.journaled(tagOf(bucket), id, add); err != nil {
		return nil, err
	}
	return out, nil
}

// Timeline returns a conversation's events in order.
func (t *Tx) Timeline(id uint64) ([]Event, error) { return scan(t, schema.Timeline, id, decodeEvent) }

// Transcript returns a conversation's messages in order.
func (t *Tx) Transcript(id uint64) ([]Message, error) {
	return scan(t, schema.Transcript, id, decodeMessage)
}

// TranscriptTail returns the last n messages of a conversation's
// transcript, oldest first, and how many there are in all.
func (t *Tx) TranscriptTail(id uint64, n int) ([]Message, int, error) {
	// The journal holds the newest; then walk the folded ones backwards.
	var recent [][]byte
	if err := t.journaled(tagMessage, id, func(_, v []byte) error {
		recent = append(recent, v)
		return nil
	}); err != nil {
		return nil, 0, err
	}
	total := len(recent)
	var raw [][]byte // newest first
	for i := len(recent) - 1; i >= 0 && len(raw) < n; i-- {
		raw = append(raw, recent[i])
	}
	err := eachFoldedBack(t.tx.Bucket(schema.Transcript), id, func(e chunkEntry) (bool, error) {
		total++
		if len(raw) < n {
			raw = append(raw, e.record)
		}
		return true, nil
	})
	if err != nil {
		return nil, 0, err
	}
	out := make([]Message, len(raw))
	for i, v := range raw {
		m, err := decodeMessage(v)
		if err != nil {
			return nil, 0, err
		}
		out[len(raw)-1-i] = m
	}
	return out, total, nil
}

// lastBefore positions c on the last key below the prefix of id, for
// walking one conversation's entries backwards.
func lastBefore(c *bolt.Cursor, id uint64) (k, v []byte) {
	if next, _ := c.Seek(schema.U64(id)); next == nil {
		return c.Last()
	}
	return c.Prev()
}

// PutCustomer writes a customer.
func (t *Tx) PutCustomer(c *Customer) error { return t.put(schema.Customers, []byte(c.JID), c) }

// Customer reads a customer; a new one is returned for an unknown JID.
func (t *Tx) Customer(jid string) (*Customer, error) {
	c := Customer{JID: jid}
	if err := t.get(schema.Customers, []byte(jid), &c); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return &c, nil
}

// PutAgent writes an agent's runtime state.
func (t *Tx) PutAgent(a *Agent) error { return t.put(schema.Agents, []byte(a.JID), a) }

// Agent reads an agent's runtime state; a new one for an unknown JID.
func (t *Tx) Agent(jid string) (*Agent, error) {
	a := Agent{JID: jid}
	if err := t.get(schema.Agents, []byte(jid), &a); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return &a, nil
}

// Agents returns every stored agent state.
func (t *Tx) Agents() ([]*Agent, error) {
	var out []*Agent
	err := t.tx.Bucket(schema.Agents).ForEach(func(k, v []byte) error {
		var a Agent
		if err := json.Unmarshal(v, &a); err != nil {
			return err
		}
		out = append(out, &a)
		return nil
	})
	return out, err
}

// PutSubscription records whether a customer is subscribed to an entry
// point's presence.
func (t *Tx) PutSubscription(entry, jid string, subscribed bool) error {
	key := []byte(entry + "|" + jid)
	if subscribed {
		return t.putRaw(schema.Subscriptions, key, nil)
	}
	return t.del(schema.Subscriptions, key)
}

// Subscriptions returns every entry point's subscribers.
func (t *Tx) Subscriptions() (map[string][]string, error) {
	out := map[string][]string{}
	err := t.tx.Bucket(schema.Subscriptions).ForEach(func(k, _ []byte) error {
		entry, jid, ok := strings.Cut(string(k), "|")
		if ok {
			out[entry] = append(out[entry], jid)
		}
		return nil
	})
	return out, err
}
