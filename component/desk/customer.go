package desk

import (
	"fmt"
	"maps"
	"strings"
	"unicode/utf8"

	"switchboard/component/desk/rooms"
	"switchboard/component/wire"
	"switchboard/routing/dialog"
	"switchboard/routing/hours"
	"switchboard/store"
)

// line is one message a customer wrote, as the desk accepted it: the
// receipt (XEP-0184) goes out with the step that records it.
type line struct {
	body, url string
	receipt   string // rendered, or "" when none was asked for
}

// customerMessage handles a message from a customer to an entry point.
func (d *Desk) customerMessage(entry string, s *wire.Stanza) {
	if s.Type == "error" || s.Type == "groupchat" || s.Type == "headline" {
		return
	}
	bare := wire.Bare(s.From)
	if wire.Local(bare) == "" {
		return // a server or component, not a person
	}
	l := line{body: strings.TrimSpace(s.Body)}
	if s.OOB != nil {
		l.url = strings.TrimSpace(s.OOB.URL)
	}
	if enc := s.Encryption(); enc != "" {
		d.metrics.badInput.WithLabelValues("encrypted").Inc()
		d.send(d.chat(entry, s.From, fmt.Sprintf("Sorry, I can't read %s-encrypted messages. Please turn encryption off for this chat and write again.", enc)))
		return
	}
	if l.body == "" && l.url == "" {
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
	if limit, answer := d.limits.Allow(bare, d.cfg.Desk.RateLimit, d.cfg.Desk.DomainRateLimit, d.now()); limit != "" {
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
	if s.WantsReceipt() {
		l.receipt = wire.Receipt(s.To, s.From, s.ID)
	}
	c := d.byCustomer[entry+"|"+bare]
	if c == nil {
		d.openConversation(entry, s, l)
		if c := d.byCustomer[entry+"|"+bare]; c != nil {
			d.customerActive(c)
		}
		return
	}
	c.full = s.From
	d.customerActive(c)
	switch c.rec.Status {
	case dialogS:
		if c.rec.Leaving != nil {
			d.leavingLine(c, l)
			return
		}
		d.dialogAnswer(c, l)
	case queued, offered:
		if c.rec.Leaving != nil && c.rec.Agent == "" {
			d.leavingLine(c, l)
			return
		}
		if c.rec.Agent != "" {
			d.relayIn(c, l) // a transfer under way: the agent is still there
			return
		}
		d.queuedMessage(c, l)
	case closed:
		d.closedMessage(c, s, l)
	default:
		d.relayIn(c, l)
	}
}

// chat renders a chat message from an entry point.
func (d *Desk) chat(entry, to, body string) string {
	return wire.Message{From: entry + "@" + d.cfg.XMPP.Domain, To: to, Type: "chat", Body: body}.String()
}

// messageError renders a stanza error in reply to a message.
func (d *Desk) messageError(s *wire.Stanza, e wire.StanzaError) string {
	return wire.MessageError(s.To, s.From, s.ID, e)
}

// tell sends the customer a message from the desk and records it.
func (st *step) tell(body string) {
	c := st.c
	st.message("desk", body, "", false)
	st.send(st.d.chat(c.rec.Entry, c.to(), body))
}

func (d *Desk) openConversation(entry string, s *wire.Stanza, l line) {
	d.lastID++
	bare := wire.Bare(s.From)
	rec := &store.Conversation{
		ID: d.lastID, Status: dialogS, Kind: store.KindChat, Entry: entry,
		Customer: bare, Resource: wire.Resource(s.From), Language: s.Lang, Created: d.now(),
	}
	c := newConv(rec)
	c.full = s.From
	d.convs[rec.ID] = c
	d.byCustomer[c.customerKey()] = c
	d.metrics.opened.Inc()

	st := d.step(c)
	st.event(bare, "opened", "entry "+entry+"@"+d.cfg.XMPP.Domain)
	st.received(l)
	if l.url != "" {
		c.need(wire.NSOOB)
	}
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
	d.applyDialog(c, st, d.startDialog(c, st))
	st.commit()
	d.discoverCustomer(c, s.From, s.Caps)
}

func (d *Desk) dialogAnswer(c *conv, l line) {
	st := d.step(c)
	st.received(l)
	if l.url != "" {
		c.need(wire.NSOOB)
	}
	dlg := d.cfg.Dialogs[d.entryDialog(c.rec.Entry)]
	node := c.dialog.Node
	reply := dlg.Answer(&c.dialog, l.body)
	if c.dialog.Node != node || reply.Done {
		st.event(c.rec.Customer, "answered", node+": "+truncate(l.body, 80))
	}
	d.applyDialog(c, st, reply)
	st.commit()
}

// applyDialog records a dialog reply and acts on where it leads.
func (d *Desk) applyDialog(c *conv, st *step, reply dialog.Reply) {
	c.rec.DialogNode = c.dialog.Node
	c.rec.Answers = maps.Clone(c.dialog.Answers)
	c.route.Priority = c.dialog.Priority
	if d.cfg.IsVIP(c.rec.Customer) {
		c.route.Priority++
	}
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
	case reply.Action == dialog.ActionMessage:
		d.startLeaving(c, st, store.KindMessage, reply.Queue)
	case reply.Action == dialog.ActionCallback:
		d.startLeaving(c, st, store.KindCallback, reply.Queue)
	case reply.Queue != "":
		d.enqueue(c, st, reply.Queue)
	default:
		d.transition(c, st, closed, why{actor: c.rec.Customer, detail: "ended in the dialog", tell: "Thank you for contacting us. Goodbye!"})
	}
}

func (d *Desk) entryDialog(entry string) string {
	e, _ := d.cfg.Entry(entry)
	return e.Dialog
}

// enqueue hands a conversation from the dialog to a queue and tells the
// customer their place and wait.
func (d *Desk) enqueue(c *conv, st *step, queue string) {
	d.toQueue(c, st, queue)
	pos, e := d.estimateFor(c)
	st.tell("Thank you. You are " + d.waitLine(c, st, pos, e) + " Write \"status\" to see your place or \"cancel\" to leave the queue.")
	if when := d.queueClosed(queue, st.now); when != "" {
		st.event("desk", "out-of-hours", "queue "+queue+" opens "+when)
	}
}

// toQueue hands a conversation from the dialog to a queue; its room is
// opened, and routing takes it once the room is ready.
func (d *Desk) toQueue(c *conv, st *step, queue string) {
	c.route.Queue = queue
	if c.route.Since.IsZero() {
		c.route.Since = st.now
	}
	d.transition(c, st, queued, why{actor: "desk", action: "queued", detail: fmt.Sprintf("queue %s, priority %d", queue, c.route.Priority)})
}

// position is c's place in its queue: those waiting before it, priority
// and aging counted, those whose rooms are not ready yet included.
func (d *Desk) position(c *conv) int {
	pos := d.router.Ahead(&c.route) + 1
	for _, o := range d.convs {
		if o != c && o.rec.Status == queued && o.route.Queue == c.route.Queue && !d.router.Waiting(o.rec.ID) && !o.scheduled(d.now()) && d.router.Before(&o.route, &c.route) {
			pos++
		}
	}
	return pos
}

// queuedMessage handles a customer's message while they wait.
func (d *Desk) queuedMessage(c *conv, l line) {
	switch strings.ToLower(strings.TrimSpace(l.body)) {
	case "status":
		st := d.step(c)
		st.received(l)
		st.same = true
		if c.scheduled(st.now) {
			st.tell(fmt.Sprintf(`We will call you on %s %s. Write "cancel" to call it off.`, c.rec.Callback.Phone, hours.Describe(c.rec.Callback.At, st.now, d.callZone(c, c.route.Queue))))
		} else if c.rec.Status == queued && c.rec.Offered == "" {
			pos, e := d.estimateFor(c)
			st.tell("You are " + d.waitLine(c, st, pos, e))
		} else {
			st.tell("An agent is about to join. Thank you for waiting.")
		}
		st.commit()
		return
	case "cancel":
		st := d.step(c)
		st.received(l)
		detail, tell := "left the queue", "You have left the queue. Write again any time."
		if c.rec.Kind == store.KindCallback {
			detail, tell = "called the call back off", "The call back is off. Write again any time."
		}
		d.transition(c, st, abandoned, why{actor: c.rec.Customer, detail: detail, tell: tell})
		st.commit()
		return
	case "message":
		if c.rec.Kind == store.KindChat {
			st := d.step(c)
			st.received(l)
			d.keepAsMessage(c, st, "asked for in the queue")
			st.commit()
			return
		}
	case "callback":
		if c.rec.Kind == store.KindChat {
			st := d.step(c)
			st.received(l)
			d.startLeaving(c, st, store.KindCallback, c.route.Queue)
			st.commit()
			return
		}
	}
	d.relayIn(c, l)
}

// relayIn records a customer's message and posts it in the room. While no
// agent is in the room there is nobody to read it there: it waits in the
// transcript and comes with the recap on joining.
func (d *Desk) relayIn(c *conv, l line) {
	st := d.step(c)
	st.received(l)
	st.event(c.rec.Customer, "message-in", "")
	st.same = l.url == "" || !c.need(wire.NSOOB)
	if c.room.Attended() {
		st.send(d.groupchat(c, quoteCustomer(l.body), l.url))
		d.metrics.relayed.WithLabelValues("in").Inc()
	}
	st.commit()
	d.customerWaits(c, d.now())
}

// quoteCustomer keeps a customer from posing as the desk in the room.
func quoteCustomer(body string) string {
	if strings.HasPrefix(body, strings.TrimSpace(rooms.DeskMarker)) {
		return "(customer) " + body
	}
	return body
}
