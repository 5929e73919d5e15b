package customers

import (
	"maps"
	"strings"
	"time"
	"unicode/utf8"

	"switchboard/component/desk/command"
	"switchboard/component/desk/core"
	"switchboard/component/desk/rooms"
	"switchboard/component/texts"
	"switchboard/component/wire"
	"switchboard/routing/dialog"
	"switchboard/store"
)

// CustomerMessage handles a message from a customer to an entry point.
func (d *Desk) CustomerMessage(entry string, s *wire.Stanza) {
	if s.Type == "error" || s.Type == "groupchat" || s.Type == "headline" {
		return
	}
	bare := wire.Bare(s.From)
	if wire.Local(bare) == "" {
		return // a server or component, not a person
	}
	l := core.Line{Body: strings.TrimSpace(s.Body)}
	if s.OOB != nil {
		l.URL = strings.TrimSpace(s.OOB.URL)
	}
	// Refusals are in the language of the customer's conversation, else
	// of this message.
	lang := d.EntryLang(entry, s.Lang)
	if c := d.ByCustomer[entry+"|"+bare]; c != nil {
		lang = d.Lang(c)
	}
	if enc := s.Encryption(); enc != "" {
		d.Metrics.BadInput.WithLabelValues("encrypted").Inc()
		d.Send(d.Chat(entry, s.From, lang.Get(texts.Encrypted, texts.A{"encryption": enc})))
		return
	}
	if l.Body == "" && l.URL == "" {
		return // chat states, receipts and the like
	}
	if n := len(s.Body); n > d.Cfg.Desk.MaxBodyBytes {
		d.Metrics.BadInput.WithLabelValues("oversized").Inc()
		d.Send(d.MessageError(s, wire.ErrPolicy.With(lang.Get(texts.TooLong, texts.A{"bytes": n, "limit": d.Cfg.Desk.MaxBodyBytes}))))
		return
	}
	if !utf8.ValidString(s.Body) {
		d.Metrics.BadInput.WithLabelValues("malformed").Inc()
		d.Send(d.MessageError(s, wire.ErrBadRequest.With(lang.Get(texts.NotUTF8, nil))))
		return
	}
	if limit, answer := d.Limits.Allow(bare, d.Cfg.Desk.RateLimit, d.Cfg.Desk.DomainRateLimit, d.Now()); limit != "" {
		d.Metrics.BadInput.WithLabelValues("rate_limited_" + limit).Inc()
		if !answer {
			return // answered within the last second
		}
		text := lang.Get(texts.TooFast, nil)
		if limit == "domain" {
			text = lang.Get(texts.ServerTooFast, nil)
		}
		d.Send(d.MessageError(s, wire.ErrPolicyWait.With(text)))
		return
	}
	if s.WantsReceipt() {
		l.Receipt = wire.Receipt(s.To, s.From, s.ID)
	}
	a := arrival{entry: entry, customer: bare, full: s.From, lang: s.Lang, caps: s.Caps}
	c := d.ByCustomer[core.CustomerKey(entry, "", bare)]
	if c == nil {
		d.open(a, l)
		return
	}
	c.Full = s.From
	d.line(c, a, l)
}

// arrival is who writes, on which channel: what a new conversation with
// them starts from.
type arrival struct {
	entry, customer string
	// channel is "" for XMPP, provider the [[channel]] and address the
	// customer's address on it.
	channel, provider, address string
	full                       string // XMPP: the full JID they write from
	lang                       string // what their client says (xml:lang)
	caps                       *wire.Caps
	kind                       string // store.KindMessage for a voicemail; "" a chat
	queue                      string // skip the dialog
}

// line takes a customer's line of conversation c, wherever it stands.
func (d *Desk) line(c *core.Conv, a arrival, l core.Line) {
	d.CustomerActive(c)
	switch c.Rec.Status {
	case core.Dialog:
		if c.Rec.Leaving != nil {
			d.leavingLine(c, l)
			return
		}
		d.dialogAnswer(c, l)
	case core.Queued, core.Offered:
		if c.Rec.Leaving != nil && c.Rec.Agent == "" {
			d.leavingLine(c, l)
			return
		}
		if c.Rec.Agent != "" {
			d.relayIn(c, l) // a transfer under way: the agent is still there
			return
		}
		d.queuedMessage(c, l)
	case core.Closed:
		d.closedMessage(c, a, l)
	default:
		d.relayIn(c, l)
	}
}

// open starts a conversation with a's customer, their line l first: the
// dialog, or straight to a's queue.
func (d *Desk) open(a arrival, l core.Line) *core.Conv {
	d.LastID++
	// The customer's language is what their client says (xml:lang), else
	// their entry point's, kept for every later text.
	lang, ok := texts.Canonical(a.lang)
	if !ok {
		e, _ := d.Cfg.Entry(a.entry)
		lang = e.Language
	}
	kind := a.kind
	if kind == "" {
		kind = store.KindChat
	}
	rec := &store.Conversation{
		ID: d.LastID, Status: core.Dialog, Kind: kind, Entry: a.entry, Customer: a.customer,
		Channel: a.channel, Provider: a.provider, Address: a.address, Resource: wire.Resource(a.full), Language: lang, Created: d.Now(),
	}
	c := core.NewConv(rec)
	c.Full = a.full
	d.Convs[rec.ID] = c
	d.ByCustomer[c.CustomerKey()] = c
	d.Metrics.Opened.Inc()

	st := d.Step(c)
	via := "entry " + a.entry + "@" + d.Cfg.XMPP.Domain
	if !c.IsXMPP() {
		via += ", by " + a.channel + " through channel " + a.provider
	}
	st.Event(a.customer, "opened", via)
	st.Received(l)
	if l.URL != "" {
		c.Need(wire.NSOOB)
	}
	if a.customer != "" { // a voicemail's transcript before its recording: later (callerKnown)
		d.customerHas(st, a.customer, rec.ID, rec.Created)
	}
	if c.IsXMPP() {
		// Directed presence, so the customer's client shows the desk online.
		st.Send(d.EntryPresenceTo(a.entry, a.customer, ""))
	}
	if a.queue != "" {
		d.enqueue(c, st, a.queue)
	} else {
		d.applyDialog(c, st, d.startDialog(c, st))
	}
	st.Commit()
	if c.IsXMPP() {
		d.discoverCustomer(c, a.full, a.caps)
	}
	if d.Convs[rec.ID] != nil { // not ended in the dialog already
		d.CustomerActive(c)
	}
	return c
}

// customerHas records, in st, that conversation id is customer's.
func (d *Desk) customerHas(st *core.Step, customer string, id uint64, at time.Time) {
	st.Also(func(tx *store.Tx) error {
		cu, err := tx.Customer(customer)
		if err != nil {
			return err
		}
		cu.Conversations = append(cu.Conversations, id)
		cu.Last = at
		return tx.PutCustomer(cu)
	})
}

func (d *Desk) dialogAnswer(c *core.Conv, l core.Line) {
	st := d.Step(c)
	st.Received(l)
	if l.URL != "" {
		c.Need(wire.NSOOB)
	}
	dlg := d.Cfg.Dialog(d.EntryDialog(c.Rec.Entry), d.Lang(c))
	node := c.Dialog.Node
	reply := dlg.Answer(&c.Dialog, l.Body)
	if c.Dialog.Node != node || reply.Done {
		st.Event(c.Rec.Customer, "answered", node+": "+command.Truncate(l.Body, 80))
	}
	d.applyDialog(c, st, reply)
	st.Commit()
}

// applyDialog records a dialog reply and acts on where it leads.
func (d *Desk) applyDialog(c *core.Conv, st *core.Step, reply dialog.Reply) {
	c.Rec.DialogNode = c.Dialog.Node
	c.Rec.Answers = maps.Clone(c.Dialog.Answers)
	c.Route.Priority = c.Dialog.Priority
	if d.Cfg.IsVIP(c.Rec.Customer) {
		c.Route.Priority++
	}
	for _, f := range c.Dialog.Needs {
		c.Need(f)
	}
	if reply.Action == dialog.ActionStatus {
		st.Tell(d.StatusText(d.Lang(c)))
	}
	for _, say := range reply.Say {
		st.Tell(say)
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
		d.Transition(c, st, core.Closed, core.Why{Actor: c.Rec.Customer, Detail: "ended in the dialog", Tell: texts.DialogGoodbye})
	}
}

func (d *Desk) EntryDialog(entry string) string {
	e, _ := d.Cfg.Entry(entry)
	return e.Dialog
}

// enqueue hands a conversation from the dialog to a queue and tells the
// customer their place and wait.
func (d *Desk) enqueue(c *core.Conv, st *core.Step, queue string) {
	d.ToQueue(c, st, queue)
	pos, e := d.EstimateFor(c)
	st.Say(texts.Queued, texts.A{"place": d.WaitLine(c, st, pos, e, false)})
	if when := d.QueueClosed(queue, st.Now, texts.English); when != "" {
		st.Event("desk", "out-of-hours", "queue "+queue+" opens "+when)
	}
}

// queuedMessage handles a customer's message while they wait.
func (d *Desk) queuedMessage(c *core.Conv, l core.Line) {
	switch {
	case d.Is(c, l.Body, texts.WordStatus):
		st := d.Step(c)
		st.Received(l)
		st.Same = true
		if c.Scheduled(st.Now) {
			st.Say(texts.CallbackStatus, texts.A{"phone": c.Rec.Callback.Phone, "when": d.Lang(c).When(c.Rec.Callback.At, st.Now, d.CallZone(c, c.Route.Queue))})
		} else if c.Rec.Status == core.Queued && c.Rec.Offered == "" {
			pos, e := d.EstimateFor(c)
			st.Tell(d.WaitLine(c, st, pos, e, false))
		} else {
			st.Say(texts.AgentAboutToJoin, nil)
		}
		st.Commit()
		return
	case d.Is(c, l.Body, texts.WordCancel):
		st := d.Step(c)
		st.Received(l)
		detail, tell := "left the queue", texts.LeftQueue
		if c.Rec.Kind == store.KindCallback {
			detail, tell = "called the call back off", texts.CallbackCancelled
		}
		d.Transition(c, st, core.Abandoned, core.Why{Actor: c.Rec.Customer, Detail: detail, Tell: tell})
		st.Commit()
		return
	case d.Is(c, l.Body, texts.WordMessage):
		if c.Rec.Kind == store.KindChat {
			st := d.Step(c)
			st.Received(l)
			d.KeepAsMessage(c, st, "asked for in the queue")
			st.Commit()
			return
		}
	case d.Is(c, l.Body, texts.WordCallback):
		if c.Rec.Kind == store.KindChat {
			st := d.Step(c)
			st.Received(l)
			d.startLeaving(c, st, store.KindCallback, c.Route.Queue)
			st.Commit()
			return
		}
	}
	d.relayIn(c, l)
}

// relayIn records a customer's message and posts it in the room. While no
// agent is in the room there is nobody to read it there: it waits in the
// transcript and comes with the recap on joining.
func (d *Desk) relayIn(c *core.Conv, l core.Line) {
	st := d.Step(c)
	st.Received(l)
	st.Event(c.Rec.Customer, "message-in", "")
	st.Same = l.URL == "" || !c.Need(wire.NSOOB)
	if c.Room.Attended() {
		st.Send(d.Groupchat(c, quoteCustomer(l.Body), l.URL))
		d.Metrics.Relayed.WithLabelValues("in").Inc()
	}
	st.Commit()
	d.CustomerWaits(c, d.Now())
}

// quoteCustomer keeps a customer from posing as the desk in the room.
func quoteCustomer(body string) string {
	if strings.HasPrefix(body, strings.TrimSpace(rooms.DeskMarker)) {
		return "(customer) " + body
	}
	return body
}
