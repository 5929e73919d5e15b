package store

import (
	"encoding/json"
	"time"

	"switchboard/store/schema"
)

// Reply is a canned reply as changed at runtime (the API). It replaces the
// configuration file's reply of the same name; Removed keeps one deleted
// at runtime deleted even when the file still has it.
type Reply struct {
	Name    string    `json:"name"`
	Text    string    `json:"text,omitempty"`
	Removed bool      `json:"removed,omitempty"`
	By      string    `json:"by,omitempty"`
	Updated time.Time `json:"updated,omitzero"`
}

// PutReply writes a reply's runtime state.
func (t *Tx) PutReply(r *Reply) error { return t.put(schema.Replies, []byte(r.Name), r) }

// Replies returns every reply changed at runtime.
func (t *Tx) Replies() ([]*Reply, error) {
	var out []*Reply
	err := t.tx.Bucket(schema.Replies).ForEach(func(_, v []byte) error {
		var r Reply
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		out = append(out, &r)
		return nil
	})
	return out, err
}
