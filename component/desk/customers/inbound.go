package customers

import (
	"fmt"
	"sync"

	"switchboard/component/channel"
	"switchboard/component/desk/core"
	"switchboard/component/texts"
	"switchboard/store"
	"switchboard/store/identity"
	"switchboard/store/inbox"
)

// Inbound takes a channel's message, exactly once by its key: into the
// conversation of its thread (a voicemail's recording and transcript),
// else the customer's open one on that channel (or one closed within the
// reopen window), else a new one. The key, the thread and the files'
// metadata are written in the step that records the message's first
// line; done learns when every line is durable, or that it came before.
func (d *Desk) Inbound(in channel.Inbound, done func(channel.Accepted, error)) {
	if len(in.Text) > d.Cfg.Desk.MaxBodyBytes {
		done(channel.Accepted{}, channel.ErrTooLong)
		return
	}
	key := in.Provider + "|" + in.Key
	if seen, ok := d.seen(in.Provider, in.Key); ok {
		// Answered as the first was, once what came before is durable.
		d.Write(func(*store.Tx) error { return nil }, func(err error) {
			done(channel.Accepted{Conversation: seen.Conversation, Duplicate: true}, err)
		})
		return
	}
	now := d.Now()
	lines, missing := d.linesOf(in)
	var c *core.Conv
	if in.Thread != "" {
		c = d.threadConv(in.Provider, in.Thread)
	}
	a := arrival{entry: in.Entry, customer: in.Customer, channel: in.Channel, provider: in.Provider, address: in.Address, kind: in.Kind, queue: in.Queue}
	if a.kind == store.KindMessage && a.queue == "" && len(d.Cfg.Queues) > 0 {
		// A voicemail or a form has no one to run a dialog with.
		a.queue = d.Cfg.Queues[0].Name
	}
	if c == nil && in.Thread == "" {
		c = d.ByCustomer[core.CustomerKey(in.Entry, in.Channel, in.Customer)]
	}
	id := d.LastID + 1 // a new conversation's, if it comes to that
	if c != nil {
		id = c.Rec.ID
	}
	d.Keys[key] = core.KeySeen{Conversation: id, At: now}
	if in.Thread != "" {
		d.Threads[in.Provider+"|"+in.Thread] = id
	}

	// Every line's step durable: then the channel is answered.
	var mu sync.Mutex
	left, failed := len(lines), error(nil)
	lineDone := func(err error) {
		mu.Lock()
		left--
		if err != nil && failed == nil {
			failed = err
		}
		last, e := left == 0, failed
		mu.Unlock()
		if last {
			if e != nil {
				// Not stored: the provider's next try must not count as
				// a duplicate.
				go d.Post(core.EvForgetKey{Key: key})
			}
			done(channel.Accepted{Conversation: id}, e)
		}
	}
	first := &lines[0]
	first.Also = append(first.Also, func(tx *store.Tx) error {
		if err := inbox.Mark(tx, in.Provider, in.Key, inbox.Seen{Conversation: id, At: now}); err != nil {
			return err
		}
		if in.Thread != "" {
			if err := inbox.Mark(tx, in.Provider, "thread:"+in.Thread, inbox.Seen{Conversation: id, At: now}); err != nil {
				return err
			}
		}
		for _, f := range in.Files {
			if f.Missing == "" {
				if err := inbox.PutFile(tx, &inbox.File{ID: f.ID, Name: f.Name, Type: f.Type, Size: f.Size, SHA256: f.SHA256, Created: now}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	for i := range lines {
		lines[i].Done = lineDone
	}
	if c == nil {
		c = d.open(a, lines[0])
		lines = lines[1:]
	} else if c.Rec.Customer == "" && in.Customer != "" {
		// A voicemail's transcript came before its recording, which says
		// who called.
		d.callerKnown(c, in)
	}
	for _, l := range lines {
		d.line(c, a, l)
	}
	d.channelNotes(c, in, missing)
	if typed := typedOf(in); len(typed) > 0 && d.Convs[c.Rec.ID] != nil {
		st := d.Step(c)
		for _, t := range typed {
			st.Typed(t)
		}
		st.Commit()
	}
}

// typedOf is what a message's sender typed about themselves, as
// addresses: a form's email and phone.
func typedOf(in channel.Inbound) []string {
	var out []string
	if e, ok := identity.Email(in.Email); ok {
		out = append(out, e)
	}
	if p, ok := channel.Phone(in.Phone); ok && in.Phone != "" {
		out = append(out, "tel:"+p)
	}
	return out
}

// linesOf turns a channel's message into the customer's lines: its text
// with its first file, then a line for each further file. Files that
// could not be fetched come back for a notice.
func (d *Desk) linesOf(in channel.Inbound) (lines []core.Line, missing []channel.File) {
	var files []channel.File
	for _, f := range in.Files {
		if f.Missing != "" {
			missing = append(missing, f)
		} else {
			files = append(files, f)
		}
	}
	text := in.Text
	if text == "" && in.Note != "" && len(files) > 0 {
		text = "(" + in.Note + ")"
	}
	first := core.Line{Body: text}
	if len(files) > 0 {
		first.URL = channel.Path(files[0].ID, files[0].Name)
		files = files[1:]
	}
	if first.Body == "" && first.URL == "" {
		first.Body = "(" + in.Note + ")"
		if in.Note == "" {
			first.Body = "(an empty message)"
		}
	}
	lines = append(lines, first)
	for _, f := range files {
		lines = append(lines, core.Line{URL: channel.Path(f.ID, f.Name)})
	}
	return lines, missing
}

// seen says what a channel's message key became, if it came before:
// since the start from memory, before it from the store.
func (d *Desk) seen(provider, key string) (core.KeySeen, bool) {
	if s, ok := d.Keys[provider+"|"+key]; ok {
		return s, true
	}
	var s inbox.Seen
	var found bool
	_ = d.Store.ViewApplied(func(tx *store.Tx) (err error) {
		s, found, err = inbox.Lookup(tx, provider, key)
		return err
	})
	return core.KeySeen{Conversation: s.Conversation, At: s.At}, found
}

// threadConv is the conversation of a thread, if it is still one the
// desk holds.
func (d *Desk) threadConv(provider, thread string) *core.Conv {
	if id, ok := d.Threads[provider+"|"+thread]; ok {
		return d.Convs[id]
	}
	if s, ok := d.seen(provider, "thread:"+thread); ok {
		return d.Convs[s.Conversation]
	}
	return nil
}

// callerKnown fills in who called, for a conversation opened by a
// voicemail's transcript before its recording.
func (d *Desk) callerKnown(c *core.Conv, in channel.Inbound) {
	c.Rec.Customer, c.Rec.Address = in.Customer, in.Address
	st := d.Step(c)
	st.Event(in.Customer, "caller", in.Address)
	d.customerHas(st, in.Customer, c.Rec.ID, st.Now)
	st.Commit()
}

// channelNotes tells the room what came besides the lines: a voicemail's
// length, files that were not received.
func (d *Desk) channelNotes(c *core.Conv, in channel.Inbound, missing []channel.File) {
	if in.Note == "" && len(missing) == 0 {
		return
	}
	st := d.Step(c)
	st.Same = true
	if in.Note != "" {
		st.Event("desk", "channel-note", in.Note)
	}
	for _, f := range missing {
		st.Event("desk", "file-missing", fmt.Sprintf("%s: %s", f.Name, f.Missing))
		if c.Room.Attended() {
			st.Send(d.Note(c, texts.FileMissing, texts.A{"name": f.Name, "why": f.Missing}))
		}
	}
	st.Commit()
}
