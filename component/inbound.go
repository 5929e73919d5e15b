package component

import (
	"bytes"
	"encoding/xml"
	"slices"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/mux"
	"mellium.im/xmpp/stanza"

	"switchboard/component/wire"
)

// stanza takes a message or presence element the Splitter split off the
// stream, on the connection's reading goroutine, and keeps it for the
// actor until the Splitter flushes.
func (d *Desk) stanza(raw []byte) {
	// The room's copy of each message the desk posts is a third of what
	// comes in while relaying: its start tag is enough to drop it. Only
	// messages can be echoes; the rest are not read twice.
	if bytes.HasPrefix(raw, []byte("<message")) {
		if h, ok := wire.ReadHead(raw); ok && d.echo(h.Name, h.Type, h.From) {
			return
		}
	}
	s, err := wire.Decode(raw)
	if err != nil {
		d.undecodable(string(raw[:min(len(raw), 10)]), err)
		return
	}
	if d.wanted(s) {
		d.unposted = append(d.unposted, s)
	}
}

// flushStanzas hands the actor, in one go, the stanzas that came in one
// read from the connection: one wake-up of the actor for a burst instead
// of one per stanza. It runs on the connection's reading goroutine.
func (d *Desk) flushStanzas() {
	if len(d.unposted) == 0 {
		return
	}
	batch := d.unposted
	d.unposted = nil
	d.post(func() {
		// Each as if it had come alone.
		for _, s := range batch {
			d.safely(func() { d.dispatch(s) })
			d.routeIfDue()
		}
	})
}

// handle is the session's handler: IQs go to the mux; messages and
// presence come here only when the Splitter has stopped splitting (a
// stream it could not follow), and are decoded whole.
func (d *Desk) handle(t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	switch start.Name.Local {
	case "iq":
		return d.conn.mux.HandleXMPP(t, start)
	case "message", "presence":
	default:
		return nil
	}
	var s wire.Stanza
	if err := xml.NewTokenDecoder(xmlstream.MultiReader(xmlstream.Token(*start), t)).Decode(&s); err != nil {
		d.undecodable(start.Name.Local, err)
		return nil
	}
	d.accept(&s)
	return nil
}

func (d *Desk) undecodable(start string, err error) {
	d.metrics.badInput.WithLabelValues("malformed").Inc()
	d.log.Warn("undecodable stanza", "start", start, "err", err)
}

// accept hands a stanza to the actor, if wanted.
func (d *Desk) accept(s *wire.Stanza) {
	if d.wanted(s) {
		d.post(func() { d.dispatch(s) })
	}
}

// wanted counts a stanza in, but for the room's copies of what the desk
// itself posted, which it drops.
func (d *Desk) wanted(s *wire.Stanza) bool {
	if d.echo(s.XMLName.Local, s.Type, s.From) {
		return false
	}
	d.metrics.stanzasIn.Inc()
	d.release.active()
	return true
}

// echo reports, and counts, a room's copy of a message the desk posted.
func (d *Desk) echo(name, typ, from string) bool {
	if name != "message" || typ != "groupchat" {
		return false
	}
	if _, ok := d.occupants.Load(from); !ok {
		return false
	}
	d.metrics.echoes.Inc()
	return true
}

// dispatch sorts a stanza by who it is to and from. It runs on the actor.
func (d *Desk) dispatch(s *wire.Stanza) {
	if wire.Domain(s.From) == d.cfg.XMPP.MUCService {
		if s.XMLName.Local == "presence" {
			d.roomPresence(s)
		} else {
			d.roomMessage(s)
		}
		return
	}
	local := wire.Local(s.To)
	switch {
	case local == d.cfg.Desk.Localpart:
		if s.XMLName.Local == "presence" {
			d.agentPresence(s)
		} else {
			d.agentMessage(s)
		}
	case local != "":
		if _, ok := d.cfg.Entry(local); !ok {
			if s.XMLName.Local == "message" && s.Type != "error" {
				d.out.enqueue(d.messageError(s, wire.ErrNotFound.With("There is no desk at this address.")))
			}
			return
		}
		if s.XMLName.Local == "presence" {
			d.customerPresence(local, s)
		} else {
			d.customerMessage(local, s)
		}
	default:
		// To the component's domain or our room occupant: nothing to do.
	}
}

// messageError renders a stanza error in reply to a message.
func (d *Desk) messageError(s *wire.Stanza, e wire.StanzaError) string {
	return wire.MessageError(s.To, s.From, s.ID, e)
}

// iqMux answers the IQs the component serves itself: disco#info for the
// component, the desk and every entry point, software version and ping.
func (d *Desk) iqMux() *mux.ServeMux {
	return mux.New(wire.NSComponent,
		mux.IQFunc(stanza.GetIQ, xml.Name{Space: wire.NSDiscoInfo, Local: "query"}, d.discoInfo),
		mux.IQFunc(stanza.GetIQ, xml.Name{Space: wire.NSDiscoItems, Local: "query"}, d.discoItems),
		mux.IQFunc(stanza.GetIQ, xml.Name{Space: wire.NSVersion, Local: "query"}, d.version),
		mux.IQFunc(stanza.GetIQ, xml.Name{Space: wire.NSPing, Local: "ping"}, d.ping),
		mux.IQFunc(stanza.SetIQ, xml.Name{Space: wire.NSCommands, Local: "command"}, d.command),
		mux.IQFunc(stanza.ErrorIQ, xml.Name{}, d.iqError),
	)
}

// answer writes an IQ answer through a handler's encoder.
func answer(t xmlstream.TokenReadEncoder, raw string) error {
	_, err := xmlstream.Copy(t, wire.Tokens(raw))
	return err
}

func nodeAttr(start *xml.StartElement) string {
	for _, a := range start.Attr {
		if a.Name.Local == "node" {
			return a.Value
		}
	}
	return ""
}

// features are what the component and its addresses support.
var features = []string{wire.NSDiscoInfo, wire.NSVersion, wire.NSPing, wire.NSOOB, wire.NSChatStates, wire.NSReceipts}

func (d *Desk) discoInfo(iq stanza.IQ, t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	local := iq.To.Localpart()
	from, to := iq.To.String(), iq.From.String()
	if node := nodeAttr(start); node != "" && local == d.cfg.Desk.Localpart {
		// An ad-hoc command node, or the list of them.
		return answer(t, wire.DiscoInfo(from, to, iq.ID, node, wire.Identity{Category: "automation", Type: "command-node"}, []string{wire.NSCommands, wire.NSForm}))
	}
	var ident wire.Identity
	fs := features
	switch {
	case local == "" && iq.To.Resourcepart() == "":
		ident = wire.Identity{Category: "component", Type: "generic", Name: "switchboard"}
	case local == d.cfg.Desk.Localpart:
		ident = wire.Identity{Category: "automation", Type: "bot", Name: "switchboard desk"}
		fs = append(slices.Clip(fs), wire.NSCommands)
	default:
		e, ok := d.cfg.Entry(local)
		if !ok {
			return answer(t, wire.IQError(from, to, iq.ID, wire.ErrNotFound))
		}
		ident = wire.Identity{Category: "client", Type: "bot", Name: e.Name}
	}
	return answer(t, wire.DiscoInfo(from, to, iq.ID, "", ident, fs))
}

func (d *Desk) discoItems(iq stanza.IQ, t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	if nodeAttr(start) == wire.NSCommands {
		from, to, id := iq.From.String(), iq.To.String(), iq.ID
		d.post(func() { d.adhocItems(from, to, id) })
		return nil
	}
	var items []wire.Item
	if iq.To.Localpart() == "" {
		for _, e := range d.cfg.Entries {
			items = append(items, wire.Item{JID: e.Localpart + "@" + d.cfg.XMPP.Domain, Name: e.Name})
		}
	}
	return answer(t, wire.DiscoItems(iq.To.String(), iq.From.String(), iq.ID, "", items))
}

// command decodes an ad-hoc command and hands it to the actor.
func (d *Desk) command(iq stanza.IQ, t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	var cmd wire.Command
	from, to, id := iq.From.String(), iq.To.String(), iq.ID
	if err := xml.NewTokenDecoder(xmlstream.MultiReader(xmlstream.Token(*start), t)).Decode(&cmd); err != nil {
		d.metrics.badInput.WithLabelValues("malformed").Inc()
		return answer(t, wire.IQError(to, from, id, wire.ErrBadRequest.With("Malformed command.")))
	}
	d.post(func() { d.adhoc(from, to, id, cmd) })
	return nil
}

func (d *Desk) version(iq stanza.IQ, t xmlstream.TokenReadEncoder, _ *xml.StartElement) error {
	return answer(t, wire.Version(iq.To.String(), iq.From.String(), iq.ID, "switchboard", Version))
}

func (d *Desk) ping(iq stanza.IQ, t xmlstream.TokenReadEncoder, _ *xml.StartElement) error {
	return answer(t, wire.IQResult(iq.To.String(), iq.From.String(), iq.ID))
}

func (d *Desk) iqError(iq stanza.IQ, _ xmlstream.TokenReadEncoder, _ *xml.StartElement) error {
	d.log.Debug("IQ error from the server", "id", iq.ID, "from", iq.From.String())
	return nil
}
