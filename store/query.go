package store

import (
	"encoding/json"

	"switchboard/store/schema"
)

// Filter selects conversations; empty fields match everything.
type Filter struct {
	Status   string
	Queue    string
	Agent    string
	Customer string // bare JID
}

func (f Filter) match(c *Conversation) bool {
	return (f.Status == "" || c.Status == f.Status) &&
		(f.Queue == "" || c.Queue == f.Queue) &&
		(f.Agent == "" || c.Agent == f.Agent) &&
		(f.Customer == "" || c.Customer == f.Customer)
}

// List returns up to limit conversations matching f, newest first, with IDs
// below before (0: from the newest). next is the cursor for the following
// page, 0 when there is none. Pages stay stable while conversations are
// added: new ones get higher IDs than any cursor.
func (t *Tx) List(f Filter, before uint64, limit int) (out []*Conversation, next uint64, err error) {
	if f.Customer != "" {
		return t.listCustomer(f, before, limit)
	}
	c := t.tx.Bucket(schema.Conversations).Cursor()
	var k, v []byte
	if before == 0 {
		k, v = c.Last()
	} else {
		k, v = lastBefore(c, before)
	}
	for ; k != nil; k, v = c.Prev() {
		var conv Conversation
		if err := json.Unmarshal(v, &conv); err != nil {
			return nil, 0, err
		}
		if !f.match(&conv) {
			continue
		}
		if len(out) == limit {
			return out, out[len(out)-1].ID, nil
		}
		out = append(out, &conv)
	}
	return out, 0, nil
}

// listCustomer pages through one customer's conversations by their index.
func (t *Tx) listCustomer(f Filter, before uint64, limit int) ([]*Conversation, uint64, error) {
	cu, err := t.Customer(f.Customer)
	if err != nil {
		return nil, 0, err
	}
	var out []*Conversation
	for i := len(cu.Conversations) - 1; i >= 0; i-- {
		id := cu.Conversations[i]
		if before != 0 && id >= before {
			continue
		}
		conv, err := t.Conversation(id)
		if err == ErrNotFound {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		if !f.match(conv) {
			continue
		}
		if len(out) == limit {
			return out, out[len(out)-1].ID, nil
		}
		out = append(out, conv)
	}
	return out, 0, nil
}
