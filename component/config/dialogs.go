package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"switchboard/component/reply"
	"switchboard/routing/dialog"
)

// Dialogs and canned replies.

func (v *validator) dialogs(raw *rawConfig, c *Config) {
	c.Replies = map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(raw.Replies)) {
		text := raw.Replies[name]
		path := "replies." + name
		if err := reply.Check(name, text); err != nil {
			v.errorf(path, "reply %q: %v", name, err)
			continue
		}
		c.Replies[name] = text
	}
	c.Dialogs = map[string]*dialog.Dialog{}
	queues := map[string]bool{}
	for _, q := range c.Queues {
		queues[q.Name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(raw.Dialogs)) {
		nodes := raw.Dialogs[name]
		d := &dialog.Dialog{Name: name, Nodes: map[string]*dialog.Node{}}
		p := "dialogs." + name
		if _, ok := nodes[dialog.StartNode]; !ok {
			v.errorf(p, "dialog %q has no node called %q", name, dialog.StartNode)
		}
		for _, nn := range slices.Sorted(maps.Keys(nodes)) {
			rn := nodes[nn]
			np := p + "." + nn
			n := &dialog.Node{Name: nn, Say: rn.Say, Field: rn.Field, Hint: rn.Hint}
			if rn.Pattern != "" {
				re, err := regexp.Compile(rn.Pattern)
				if err != nil {
					v.errorf(np+".pattern", "dialog %s node %s: bad pattern: %v", name, nn, err)
				}
				n.Pattern = re
				if rn.Field == "" {
					v.errorf(np+".pattern", "dialog %s node %s: pattern without field", name, nn)
				}
			}
			if len(rn.Options) > 0 && rn.Field != "" {
				v.errorf(np, "dialog %s node %s: a node has options or a field, not both", name, nn)
			}
			if rn.Say == "" && len(rn.Options) == 0 && rn.Field == "" {
				v.errorf(np, "dialog %s node %s says nothing", name, nn)
			}
			keys := map[string]bool{}
			for i, o := range rn.Options {
				op := np + ".options." + strconv.Itoa(i)
				if o.Key == "" || o.Label == "" {
					v.errorf(op, "dialog %s node %s option %d: key and label are required", name, nn, i+1)
				}
				if keys[strings.ToLower(o.Key)] {
					v.errorf(op, "dialog %s node %s: duplicate option key %q", name, nn, o.Key)
				}
				keys[strings.ToLower(o.Key)] = true
				n.Options = append(n.Options, dialog.Option{Key: o.Key, Label: o.Label, Keywords: o.Keywords,
					Then: v.then(op, fmt.Sprintf("dialog %s node %s option %q", name, nn, o.Key), o.rawThen, nodes, queues, true)})
			}
			if len(rn.Options) == 0 {
				n.Then = v.then(np, fmt.Sprintf("dialog %s node %s", name, nn), rn.rawThen, nodes, queues, true)
			} else if rn.Next != "" || rn.Queue != "" || rn.Action != "" {
				v.errorf(np, "dialog %s node %s: a menu leads on through its options, not next/queue/action", name, nn)
			}
			d.Nodes[nn] = n
		}
		v.messageCycles(p, d)
		c.Dialogs[name] = d
	}
}

func (v *validator) then(path, what string, t rawThen, nodes map[string]rawNode, queues map[string]bool, required bool) dialog.Then {
	n := 0
	for _, s := range []string{t.Next, t.Queue, t.Action} {
		if s != "" {
			n++
		}
	}
	// A callback or a message is a work item for the queue named with it.
	work := t.Action == string(dialog.ActionCallback) || t.Action == string(dialog.ActionMessage)
	if work && t.Queue != "" && t.Next == "" {
		n = 1
	}
	switch {
	case n == 0 && required:
		v.errorf(path, "%s must end in next, queue or action", what)
	case work && t.Queue == "":
		v.errorf(path+".action", "%s: action %s needs the queue that takes it (queue = \"…\")", what, t.Action)
	case n > 1:
		v.errorf(path, "%s: set only one of next, queue and action (callback and message take a queue too)", what)
	}
	if t.Next != "" {
		if _, ok := nodes[t.Next]; !ok {
			v.errorf(path+".next", "%s: next node %q does not exist", what, t.Next)
		}
	}
	if t.Queue != "" && !queues[t.Queue] {
		v.errorf(path+".queue", "%s: queue %q does not exist", what, t.Queue)
	}
	if t.Action != "" && !dialog.ValidAction(dialog.Action(t.Action)) {
		v.errorf(path+".action", "%s: unknown action %q (status, callback, message, end)", what, t.Action)
	}
	return dialog.Then{Next: t.Next, Queue: t.Queue, Action: dialog.Action(t.Action), Priority: t.Priority, Needs: t.Needs}
}

// messageCycles refuses message nodes that lead to each other forever.
func (v *validator) messageCycles(path string, d *dialog.Dialog) {
	for _, start := range slices.Sorted(maps.Keys(d.Nodes)) {
		seen := map[string]bool{}
		name := start
		for {
			n := d.Nodes[name]
			if n == nil || len(n.Options) > 0 || n.Field != "" || n.Next == "" {
				break
			}
			if seen[name] {
				v.errorf(path+"."+start, "dialog %s: message nodes lead in a circle from %q", d.Name, start)
				return
			}
			seen[name] = true
			name = n.Next
		}
	}
}
