package dialog

import (
	"slices"
	"strings"
)

// NodeText is one node's texts in another language; "" keeps the
// dialog's own.
type NodeText struct {
	Say, Hint string
	// Labels and Keywords are by option key; keywords are added to the
	// option's own, so that either language's words match.
	Labels   map[string]string
	Keywords map[string][]string
}

// Translate returns a copy of d with its texts replaced from t (by node
// name) and p for its own answers. d is not changed.
// Without node texts the copy shares d's nodes.
func (d *Dialog) Translate(t map[string]NodeText, p Phrases) *Dialog {
	if len(t) == 0 {
		return &Dialog{Name: d.Name, Nodes: d.Nodes, Phrases: p}
	}
	out := &Dialog{Name: d.Name, Nodes: make(map[string]*Node, len(d.Nodes)), Phrases: p}
	for name, n := range d.Nodes {
		c := *n
		nt := t[name]
		if nt.Say != "" {
			c.Say = nt.Say
		}
		if nt.Hint != "" {
			c.Hint = nt.Hint
		}
		c.Options = slices.Clone(n.Options)
		for i := range c.Options {
			o := &c.Options[i]
			for k, l := range nt.Labels {
				if strings.EqualFold(k, o.Key) {
					o.Label = l
				}
			}
			for k, w := range nt.Keywords {
				if strings.EqualFold(k, o.Key) {
					o.Keywords = append(slices.Clone(w), o.Keywords...)
				}
			}
		}
		out.Nodes[name] = &c
	}
	return out
}
