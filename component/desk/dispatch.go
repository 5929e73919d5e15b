package desk

import (
	"switchboard/component/texts"
	"switchboard/component/wire"
)

// dispatch sorts a stanza by who it is to and from.
func (d *Desk) dispatch(s *wire.Stanza) {
	if wire.Domain(s.From) == d.Cfg.XMPP.MUCService {
		if s.XMLName.Local == "presence" {
			d.room.RoomPresence(s)
		} else {
			d.room.RoomMessage(s)
		}
		return
	}
	local := wire.Local(s.To)
	switch {
	case local == d.Cfg.Desk.Localpart:
		if s.XMLName.Local == "presence" {
			d.agentPresence(s)
		} else {
			d.agentMessage(s)
		}
	case local != "":
		if _, ok := d.Cfg.Entry(local); !ok {
			if s.XMLName.Local == "message" && s.Type != "error" {
				d.Send(d.MessageError(s, wire.ErrNotFound.With(d.Cfg.Texts.For(s.Lang, "").Get(texts.NoDesk, nil))))
			}
			return
		}
		if s.XMLName.Local == "presence" {
			d.cust.CustomerPresence(local, s)
		} else {
			d.cust.CustomerMessage(local, s)
		}
	default:
		// To the component's domain or our room occupant: nothing to do.
	}
}
