package component

import (
	"fmt"
	"maps"
	"strings"
	"unicode/utf8"

	"switchboard/component/wire"
	"switchboard/routing/dialog"
	"switchboard/store"
)

// customerMessage handles a message from a customer to an entry point.
func (d *Desk) customerMessage(entry string, s *wire.Stanza) {
	if s.Type == "error" || s.Type == "groupchat" || s.Type == "headline" {
		return
	}
	bare := wire.Bare(s.From)
	if wire.Local(bare) == "" {
		return // a server or component, not a person
	}
	url := ""
	if s.OOB != nil {
		url = strings.TrimSpace(s.OOB.URL)
	}
	if enc := s.Encryption(); enc != "" {
		d.metrics.badInput.WithLabelValues("encrypted").Inc()
		d.send(d.chat(entry, s.From, fmt.Sprintf("Sorry, I can't read %s-encrypted messages. Please turn encryption off for this chat and write again.", enc)))
		return
	}
	body := strings.TrimSpace(s.Body)
	if body == "" && url == "" {
		return // chat states, receipts and the like
	}
	if n := len(s.Body); n > d.cfg.Desk.MaxBodyBytes {
		d.metrics.badInput.WithLabelValues("oversized").Inc()
		d.send(d.messageError(s, wire.ErrPolicy.With(
			fmt.Sprintf("Your message is too long (%d bytes; the limit is %d). Please split it up.", n, d.cfg.Desk.MaxBodyBytes))))
		return
	}
	if !utf8.ValidString(s.Body) {
		d.metrics.badInput.WithLabelValues("malformed").Inc()
		d.send(d.messageError(s, wire.ErrBadRequest.With("Your message is not valid UTF-8.")))
		return
	}
	if limit, answer := d.allow(bare); limit != "" {
		d.metrics.badInput.WithLabelValues("rate_limited_" + limit).Inc()
		if !answer {
			return // answered within the last second
		}
		text := "You are sending messages too fast; please wait a moment."
		if limit == "domain" {
			text = "Too many messages from your server right now; please try again in a minute."
		}
		d.send(d.messageError(s, wire.ErrPolicyWait.With(text)))
		return
	}
	// A receipt (XEP-0184) goes out with the first step that records the
	// message, after its commit: the customer's tick means "stored".
	if s.WantsReceipt() {
		d.receipt = wire.Receipt(s.To, s.From, s.ID)
		defer func() { d.receipt = "" }()
	}
	c := d.byCustomer[entry+"|"+bare]
	if c == nil {
		d.openConversation(entry, s, body, url)
		return
	}
	c.full = s.From
	switch c.rec.Status {
	case store.StatusDialog:
		d.dialogAnswer(c, body, url)
	case store.StatusQueued, store.StatusOffered:
		if c.rec.Agent != "" {
			d.relayIn(c, body, url) // a transfer under way: the agent is still there
			return
		}
		d.queuedMessage(c, body, url)
	case store.StatusClosed:
		d.closedMessage(c, s, body, url)
	default:
		d.relayIn(c, body, url)
	}
}

// chat renders a chat message from an entry point.
func (d *Desk) chat(entry, to, body string) string {
	return wire.Message{From: entry + "@" + d.cfg.XMPP.Domain, To: to, Type: "chat", Body: body}.String()
}

// tell sends the customer a message from the desk and records it.
func (st *step) tell(body string) {
	c := st.c
	st.message("desk", body, "", false)
	st.send(st.d.chat(c.rec.Entry, c.to(), body))
}

func (d *Desk) openConversation(entry string, s *wire.Stanza, body, url string) {
	e, _ := d.cfg.Entry(entry)
	dlg := d.cfg.Dialogs[e.Dialog]
	d.lastID++
	bare := wire.Bare(s.From)
	rec := &store.Conversation{
		ID: d.lastID, Status: store.StatusDialog, Kind: store.KindChat, Entry: entry,
		Customer: bare, Resource: wire.Resource(s.From), Language: s.Lang, Created: d.now(),
	}
	c := &conv{rec: rec, full: s.From}
	d.convs[rec.ID] = c
	d.byCustomer[c.customerKey()] = c
	d.metrics.opened.Inc()

	st := d.step(c)
	st.event(bare, "opened", "entry "+entry+"@"+d.cfg.XMPP.Domain)
	st.message("customer", body, url, false)
	st.also(func(tx *store.Tx) error {
		cu, err := tx.Customer(bare)
		if err != nil {
			return err
		}
		cu.Conversations = append(cu.Conversations, rec.ID)
		cu.Last = rec.Created
		return tx.PutCustomer(cu)
	})
	// Directed presence, so the customer's client shows the desk online.
	st.send(d.entryPresenceTo(entry, bare, ""))
	reply := dlg.Start(&c.dialog)
	d.applyDialog(c, st, reply)
	st.commit()
	d.discoverCustomer(c, s.From, s.Caps)
}

func (d *Desk) dialogAnswer(c *conv, body, url string) {
	st := d.step(c)
	st.message("customer", body, url, false)
	if url != "" {
		c.need(wire.NSOOB)
	}
	dlg := d.cfg.Dialogs[d.entryDialog(c.rec.Entry)]
	node := c.dialog.Node
	reply := dlg.Answer(&c.dialog, body)
	if c.dialog.Node != node || reply.Done {
		st.event(c.rec.Customer, "answered", node+": "+truncate(body, 80))
	}
	d.applyDialog(c, st, reply)
	st.commit()
}

// applyDialog records a dialog reply and acts on where it leads.
func (d *Desk) applyDialog(c *conv, st *step, reply dialog.Reply) {
	c.rec.DialogNode = c.dialog.Node
	c.rec.Answers = maps.Clone(c.dialog.Answers)
	c.rec.Priority = c.dialog.Priority
	for _, f := range c.dialog.Needs {
		c.need(f)
	}
	if reply.Action == dialog.ActionStatus {
		st.tell(d.statusText())
	}
	for _, say := range reply.Say {
		st.tell(say)
	}
	if !reply.Done {
		return
	}
	switch {
	case reply.Queue != "":
		d.enqueue(c, st, reply.Queue)
	case reply.Action == dialog.ActionEnd:
		d.end(c, st, store.StatusClosed, c.rec.Customer, "ended in the dialog", "Thank you for contacting us. Goodbye!")
	default:
		// Callbacks and messages come in a later version: say so and stay.
		c.dialog.Node = dialog.StartNode
		c.rec.DialogNode = dialog.StartNode
		st.tell("Sorry, that option is not available yet. Please choose another one.")
		dlg := d.cfg.Dialogs[d.entryDialog(c.rec.Entry)]
		for _, say := range dlg.Repeat(&c.dialog).Say {
			st.tell(say)
		}
	}
}

func (d *Desk) entryDialog(entry string) string {
	e, _ := d.cfg.Entry(entry)
	return e.Dialog
}

// enqueue hands a conversation to a queue and opens its room.
func (d *Desk) enqueue(c *conv, st *step, queue string) {
	c.rec.Status = store.StatusQueued
	c.rec.Queue = queue
	c.rec.Queued = st.now
	c.rec.DialogNode = ""
	st.event("desk", "queued", fmt.Sprintf("queue %s, priority %d", queue, c.rec.Priority))
	pos := d.router.QueueLength()[queue] + 1
	for _, o := range d.convs {
		if o != c && o.rec.Status == store.StatusQueued && o.rec.Queue == queue && !d.router.Waiting(o.rec.ID) {
			pos++
		}
	}
	st.tell(fmt.Sprintf("Thank you. You are number %d in the queue; an agent will be with you as soon as possible. Write \"status\" to see your place or \"cancel\" to leave the queue.", pos))
	st.send(d.joinRoom(c))
}

// queuedMessage handles a customer's message while they wait.
func (d *Desk) queuedMessage(c *conv, body, url string) {
	switch strings.ToLower(body) {
	case "status":
		pos, _ := d.router.Position(c.rec.ID)
		st := d.step(c)
		st.message("customer", body, "", false)
		if pos == 0 {
			st.tell("An agent is about to join. Thank you for waiting.")
		} else {
			st.tell(fmt.Sprintf("You are number %d in the queue.", pos))
		}
		st.commit()
		return
	case "cancel":
		st := d.step(c)
		st.message("customer", body, "", false)
		d.end(c, st, store.StatusAbandoned, c.rec.Customer, "left the queue", "You have left the queue. Write again any time.")
		st.commit()
		return
	}
	d.relayIn(c, body, url)
}

// relayIn records a customer's message and posts it in the room.
func (d *Desk) relayIn(c *conv, body, url string) {
	st := d.step(c)
	st.message("customer", body, url, false)
	st.event(c.rec.Customer, "message-in", "")
	st.same = url == "" || !c.need(wire.NSOOB)
	// While no agent is in the room there is nobody to read it there: the
	// message waits in the transcript and comes with the recap on joining.
	if c.room.jid != "" && c.room.joined && len(c.room.occupants) > 0 {
		st.send(d.groupchat(c, quoteCustomer(body), url))
		d.metrics.relayed.WithLabelValues("in").Inc()
	}
	st.commit()
}

// deskMarker starts every notice the desk posts in a room.
const deskMarker = "[desk] "

// quoteCustomer keeps a customer from posing as the desk in the room.
func quoteCustomer(body string) string {
	if strings.HasPrefix(body, strings.TrimSpace(deskMarker)) {
		return "(customer) " + body
	}
	return body
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
