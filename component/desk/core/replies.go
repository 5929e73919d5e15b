package core

import (
	"maps"
	"slices"
)

// ReplyText returns the text of reply name and whether there is one.
func (d *Desk) ReplyText(name string) (string, bool) {
	if r, ok := d.StoredReplies[name]; ok {
		return r.Text, !r.Removed
	}
	t, ok := d.Cfg.Replies[name]
	return t, ok
}

func (d *Desk) ReplyNames() []string {
	names := map[string]bool{}
	for n := range d.Cfg.Replies {
		names[n] = true
	}
	for n, r := range d.StoredReplies {
		names[n] = !r.Removed
	}
	var out []string
	for _, n := range slices.Sorted(maps.Keys(names)) {
		if names[n] {
			out = append(out, n)
		}
	}
	return out
}
