package desk

import (
	"context"
	"errors"
	"fmt"

	"switchboard/component/reply"
	"switchboard/store"
	"switchboard/store/replies"
)

// Canned replies: the config file's [replies], with those changed at
// runtime (the API) over them, kept in the store.

// ReplyInfo is one canned reply as the desk uses it.
type ReplyInfo struct {
	Name         string
	Text         string
	Placeholders []string
	Runtime      bool // set at runtime, ahead of the file
}

// ErrNoReply is returned for a reply that does not exist.
var ErrNoReply = errors.New("no such reply")

// InvalidReply says what is wrong with a reply someone tried to set.
type InvalidReply struct{ Msg string }

func (e *InvalidReply) Error() string { return e.Msg }

func (d *Desk) replyInfo(name string) (ReplyInfo, bool) {
	text, ok := d.ReplyText(name)
	if !ok {
		return ReplyInfo{}, false
	}
	ph, _ := reply.Placeholders(text)
	_, runtime := d.StoredReplies[name]
	return ReplyInfo{Name: name, Text: text, Placeholders: ph, Runtime: runtime}, true
}

// setReply stores a reply changed at runtime and uses it at once.
func (d *Desk) setReply(r *replies.Reply, then func(error)) {
	r.Updated = d.Now()
	d.StoredReplies[r.Name] = r
	saved := *r
	d.Write(func(tx *store.Tx) error { return replies.Put(tx, &saved) }, then)
}

type reqReplies struct{ reply chan []ReplyInfo }

func (reqReplies) String() string { return "request replies" }
func (r reqReplies) answer(d *Desk) {
	out := []ReplyInfo{}
	for _, n := range d.ReplyNames() {
		info, _ := d.replyInfo(n)
		out = append(out, info)
	}
	r.reply <- out
}

// Replies lists the canned replies, by name.
func (d *Desk) Replies(ctx context.Context) ([]ReplyInfo, error) {
	r := reqReplies{reply: make(chan []ReplyInfo, 1)}
	return ask(ctx, d, r, r.reply)
}

type reqPutReply struct {
	name, text, by string
	remove         bool
	reply          chan error
	done           chan error
}

func (r reqPutReply) String() string { return "request put-reply " + r.name }
func (r reqPutReply) answer(d *Desk) {
	if r.remove {
		if _, ok := d.ReplyText(r.name); !ok {
			r.reply <- ErrNoReply
			return
		}
		d.setReply(&replies.Reply{Name: r.name, Removed: true, By: r.by}, func(err error) { r.done <- err })
		r.reply <- nil
		return
	}
	if err := reply.Check(r.name, r.text); err != nil {
		r.reply <- &InvalidReply{Msg: fmt.Sprintf("reply %q: %v", r.name, err)}
		return
	}
	d.setReply(&replies.Reply{Name: r.name, Text: r.text, By: r.by}, func(err error) { r.done <- err })
	r.reply <- nil
}

func (d *Desk) changeReply(ctx context.Context, r reqPutReply) error {
	r.reply, r.done = make(chan error, 1), make(chan error, 1)
	return askStored(ctx, d, r, r.reply, r.done)
}

// PutReply sets a canned reply at runtime, ahead of the config file, and
// returns once it is stored; an InvalidReply says what is wrong with it.
func (d *Desk) PutReply(ctx context.Context, name, text, by string) error {
	return d.changeReply(ctx, reqPutReply{name: name, text: text, by: by})
}

// RemoveReply deletes a canned reply, also one the config file has;
// ErrNoReply when there is none.
func (d *Desk) RemoveReply(ctx context.Context, name, by string) error {
	return d.changeReply(ctx, reqPutReply{name: name, by: by, remove: true})
}
