// Package replies keeps the canned replies changed at runtime (through
// the API or an ad-hoc command): each replaces the configuration file's
// reply of the same name, or keeps one removed at runtime removed.
package replies

import (
	"encoding/json"
	"time"

	"switchboard/store"
	"switchboard/store/schema"
)

// Reply is a canned reply as changed at runtime. Removed keeps one
// deleted at runtime deleted even when the file still has it.
type Reply struct {
	Name    string    `json:"name"`
	Text    string    `json:"text,omitempty"`
	Removed bool      `json:"removed,omitempty"`
	By      string    `json:"by,omitempty"`
	Updated time.Time `json:"updated,omitzero"`
}

// Put writes a reply's runtime state.
func Put(tx *store.Tx, r *Reply) error { return tx.Put(schema.Replies, []byte(r.Name), r) }

// All returns every reply changed at runtime.
func All(tx *store.Tx) ([]*Reply, error) {
	var out []*Reply
	err := tx.Each(schema.Replies, nil, nil, func(_, v []byte) (bool, error) {
		var r Reply
		if err := json.Unmarshal(v, &r); err != nil {
			return false, err
		}
		out = append(out, &r)
		return true, nil
	})
	return out, err
}
