package customers

import (
	"time"

	"switchboard/component/desk/core"
	"switchboard/component/texts"
	"switchboard/component/wire"
	"switchboard/routing"
	"switchboard/store"
)

// Entry points: the JIDs customers write to. Their presence carries the
// live desk status.

// available counts the agents who can take a conversation now.
func (d *Desk) available() int {
	n := 0
	for _, j := range d.Roster.JIDs() {
		if d.Router.CanTake(j) {
			n++
		}
	}
	return n
}

// StatusText is the live desk status customers see, in l: "3 agents
// available · 5 waiting · ~2 min".
func (d *Desk) StatusText(l *texts.Lang) string {
	waiting := 0
	for _, n := range d.Router.QueueLength() {
		waiting += n
	}
	s := l.Get(texts.StatusLine, texts.A{"agents": l.Get(texts.StatusAgents, texts.A{"n": d.available()}), "waiting": waiting})
	if w := d.deskWait(l); w != "" {
		s = l.Get(texts.StatusWithWait, texts.A{"status": s, "wait": w})
	}
	return s
}

// deskWait is the longest wait a customer queuing now would be told, of
// the queues where there is one ("~3 min"), or "".
func (d *Desk) deskWait(l *texts.Lang) string {
	var longest routing.Estimate
	for _, q := range d.Cfg.Queues {
		if e := d.QueueEstimate(q.Name); e.Known && e.High >= time.Minute && e.High > longest.High {
			longest = e
		}
	}
	return core.ShortWait(l, longest)
}

// EntryPresenceTo renders an entry point's presence with the desk status.
func (d *Desk) EntryPresenceTo(entry, to, typ string) string {
	p := wire.Presence{From: entry + "@" + d.Cfg.XMPP.Domain, To: to, Type: typ}
	if typ == "" {
		p.Show, p.Status = d.DeskPresence(entry)
	}
	return p.String()
}

// DeskPresence is the show and status an entry point announces: away
// while nobody can answer, extended away with when it opens while out of
// its business hours.
// Its texts are in the entry point's language.
func (d *Desk) DeskPresence(entry string) (show, status string) {
	return d.presenceWith(entry, d.StatusText)
}

// presenceWith is DeskPresence with the open desk's status from open,
// which a broadcast to every entry point asks once per language.
func (d *Desk) presenceWith(entry string, open func(*texts.Lang) string) (show, status string) {
	l := d.EntryLang(entry, "")
	if when := d.EntryClosed(entry, d.Now(), l); when != "" {
		return "xa", l.Get(texts.StatusClosed, texts.A{"opens": when})
	}
	if d.available() == 0 {
		show = "away"
	}
	return show, open(l)
}

// statusPace is the least time between two broadcasts of the desk status
// to subscribed customers, unless the desk turns available or unavailable.
const statusPace = 30 * time.Second

// BroadcastStatus sends every subscribed customer the entry point's
// presence when the desk status changed.
func (d *Desk) BroadcastStatus(now time.Time) {
	if !d.Online {
		return
	}
	var out []string
	statuses := map[*texts.Lang]string{}
	open := func(l *texts.Lang) string {
		s, ok := statuses[l]
		if !ok {
			s = d.StatusText(l)
			statuses[l] = s
		}
		return s
	}
	for _, e := range d.Cfg.Entries {
		show, status := d.presenceWith(e.Localpart, open)
		last := d.Announced[e.Localpart]
		if show == last.Show && status == last.Status || show == last.Show && now.Sub(last.At) < statusPace {
			continue
		}
		d.Announced[e.Localpart] = core.Announced{Show: show, Status: status, At: now}
		p := wire.Presence{From: e.Localpart + "@" + d.Cfg.XMPP.Domain, Show: show, Status: status}
		for jid := range d.Subscribers[e.Localpart] {
			p.To = jid
			out = append(out, p.String())
		}
	}
	d.Send(out...)
}

// CustomerPresence answers subscriptions and probes to an entry point.
func (d *Desk) CustomerPresence(entry string, s *wire.Stanza) {
	bare := wire.Bare(s.From)
	switch s.Type {
	case "subscribe":
		out := []string{wire.Presence{From: entry + "@" + d.Cfg.XMPP.Domain, To: bare, Type: "subscribed"}.String(), d.EntryPresenceTo(entry, bare, "")}
		if d.Subscribers[entry][bare] {
			d.Send(out...)
			return
		}
		if d.Subscribers[entry] == nil {
			d.Subscribers[entry] = map[string]bool{}
		}
		d.Subscribers[entry][bare] = true
		d.Write(func(tx *store.Tx) error { return tx.PutSubscription(entry, bare, true) }, nil, out...)
	case "probe":
		d.Send(d.EntryPresenceTo(entry, s.From, ""))
	case "unsubscribe", "unsubscribed":
		var out []string
		if s.Type == "unsubscribe" {
			out = append(out, wire.Presence{From: entry + "@" + d.Cfg.XMPP.Domain, To: bare, Type: "unsubscribed"}.String())
		}
		if d.Subscribers[entry][bare] {
			delete(d.Subscribers[entry], bare)
			d.Write(func(tx *store.Tx) error { return tx.PutSubscription(entry, bare, false) }, nil, out...)
			return
		}
		d.Send(out...)
	case "", "unavailable":
		c := d.ByCustomer[entry+"|"+bare]
		if c == nil {
			return
		}
		if s.Type == "" {
			if s.Caps != nil && c.Rec.Client.Name == "" {
				d.discoverCustomer(c, s.From, s.Caps)
			}
			if c.Offline && c.Rec.Open() {
				c.Offline = false
				st := d.Step(c)
				st.Same = true
				st.Event(bare, "customer-online", "")
				st.Commit()
			}
			return
		}
		if !c.Offline && c.Rec.Open() && c.Rec.Status != store.StatusDialog {
			c.Offline = true
			st := d.Step(c)
			st.Same = true
			st.Event(bare, "customer-offline", "")
			st.Commit()
		}
	}
}
