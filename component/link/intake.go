package link

import (
	"encoding/xml"
	"strings"

	"mellium.im/xmlstream"

	"switchboard/component/wire"
)

// stanza takes a message or presence element the Splitter split off the
// stream, on the reading goroutine, and keeps it until the Splitter
// flushes.
func (l *Link) stanza(raw []byte) {
	// The rooms' copies of the component's own messages are a third of
	// what comes in while relaying: the start tag is enough to drop them.
	if wire.IsMessage(raw) {
		if h, ok := wire.ReadHead(raw); ok && l.echo(h.Name, h.Type, h.ID) {
			return
		}
	}
	s, err := wire.Decode(raw)
	if err != nil {
		l.h.Undecodable(string(raw[:min(len(raw), 10)]), err)
		return
	}
	if l.wanted(s) {
		l.unposted = append(l.unposted, s)
	}
}

// flush hands over, in one go, the stanzas that came in one read from the
// connection: one wake-up of the actor for a burst instead of one per
// stanza.
func (l *Link) flush() {
	if len(l.unposted) == 0 {
		return
	}
	batch := l.unposted
	l.unposted = nil
	l.h.Stanzas(batch)
}

// handle is the session's handler: IQs go to the mux; messages and
// presence come here only when the Splitter has stopped splitting (a
// stream it could not follow), and are decoded whole.
func (l *Link) handle(t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	switch start.Name.Local {
	case "iq":
		return l.mux.HandleXMPP(t, start)
	case "message", "presence":
	default:
		return nil
	}
	var s wire.Stanza
	if err := xml.NewTokenDecoder(xmlstream.MultiReader(xmlstream.Token(*start), t)).Decode(&s); err != nil {
		l.h.Undecodable(start.Name.Local, err)
		return nil
	}
	if l.wanted(&s) {
		l.h.Stanzas([]*wire.Stanza{&s})
	}
	return nil
}

// wanted counts a stanza in, but for the rooms' copies of what the
// component itself posted, which it drops.
func (l *Link) wanted(s *wire.Stanza) bool {
	if l.echo(s.XMLName.Local, s.Type, s.ID) {
		return false
	}
	l.metrics.stanzasIn.Inc()
	return true
}

// echo reports, and counts, a room's copy of a message the component
// posted: a groupchat message with the component's id prefix.
func (l *Link) echo(name, typ, id string) bool {
	if l.o.Echo == "" || name != "message" || typ != "groupchat" || !strings.HasPrefix(id, l.o.Echo) {
		return false
	}
	l.metrics.echoes.Inc()
	return true
}
