package wire

import (
	"encoding/xml"
	"slices"
)

// Mapping what the small parser read onto a Stanza.

// stanzaOf maps a parsed element onto Stanza's fields the way
// encoding/xml would; a field's element twice is left to encoding/xml.
func (p *parser) stanzaOf(n int32) (*Stanza, bool) {
	s := &Stanza{XMLName: xml.Name{Space: p.nodes[n].space, Local: p.nodes[n].name}}
	for _, a := range p.attrsOf(n) {
		switch {
		case a.Name.Space == "" && a.Name.Local == "from":
			s.From = a.Value
		case a.Name.Space == "" && a.Name.Local == "to":
			s.To = a.Value
		case a.Name.Space == "" && a.Name.Local == "type":
			s.Type = a.Value
		case a.Name.Space == "" && a.Name.Local == "id":
			s.ID = a.Value
		case a.Name.Space == nsXML && a.Name.Local == "lang":
			s.Lang = a.Value
		}
	}
	var seen uint16
	once := func(field uint16) bool {
		if seen&field != 0 {
			return false
		}
		seen |= field
		return true
	}
	for c := p.nodes[n].first; c != 0; c = p.nodes[c].next {
		var ok bool
		name, space := p.nodes[c].name, p.nodes[c].space
		switch {
		case name == "body":
			s.Body, ok = p.textOf(c), once(1<<0)
		case name == "subject":
			s.Subject, ok = p.textOf(c), once(1<<1)
		case name == "show":
			s.Show, ok = p.textOf(c), once(1<<2)
		case name == "status":
			s.Status, ok = p.textOf(c), once(1<<3)
		case name == "priority":
			s.Priority, ok = p.textOf(c), once(1<<4)
		case name == "x" && space == NSOOB:
			s.OOB, ok = p.oobOf(c), once(1<<5)
		case name == "x" && space == NSMUCUser:
			s.MUCUser, ok = p.mucUserOf(c)
			ok = ok && once(1<<6)
		case name == "x" && space == NSConference:
			s.Conference, ok = &Conference{JID: p.attr(c, "jid"), Reason: p.attr(c, "reason")}, once(1<<7)
		case name == "delay" && space == NSDelay:
			s.Delay, ok = &Delay{Stamp: p.attr(c, "stamp"), From: p.attr(c, "from")}, once(1<<8)
		case name == "c" && space == NSCaps:
			s.Caps, ok = &Caps{Hash: p.attr(c, "hash"), Node: p.attr(c, "node"), Ver: p.attr(c, "ver")}, once(1<<9)
		case name == "error":
			s.Error, ok = p.errorOf(c)
			ok = ok && once(1<<10)
		default:
			s.Payloads, ok = append(s.Payloads, p.payloadOf(c)), true
		}
		if !ok {
			return nil, false
		}
	}
	return s, true
}

// payloadOf copies the element's name and attributes out of the parser's
// buffers.
func (p *parser) payloadOf(c int32) Payload {
	pl := Payload{XMLName: xml.Name{Space: p.nodes[c].space, Local: p.nodes[c].name}}
	if a := p.attrsOf(c); len(a) > 0 {
		pl.Attrs = slices.Clone(a)
	}
	return pl
}

func (p *parser) oobOf(c int32) *OOB {
	o := &OOB{}
	for e := p.nodes[c].first; e != 0; e = p.nodes[e].next {
		switch p.nodes[e].name {
		case "url":
			o.URL = p.textOf(e)
		case "desc":
			o.Desc = p.textOf(e)
		}
	}
	return o
}

func (p *parser) mucUserOf(c int32) (*MUCUser, bool) {
	m := &MUCUser{}
	for e := p.nodes[c].first; e != 0; e = p.nodes[e].next {
		switch name := p.nodes[e].name; name {
		case "item":
			m.Items = append(m.Items, MUCItem{Affiliation: p.attr(e, "affiliation"), Role: p.attr(e, "role"), JID: p.attr(e, "jid"), Nick: p.attr(e, "nick")})
		case "status":
			m.Status = append(m.Status, MUCStatus{Code: p.attr(e, "code")})
		case "invite", "decline":
			inv := &MUCInvite{From: p.attr(e, "from"), To: p.attr(e, "to")}
			for r := p.nodes[e].first; r != 0; r = p.nodes[r].next {
				if p.nodes[r].name == "reason" {
					if inv.Reason != "" {
						return nil, false
					}
					inv.Reason = p.textOf(r)
				}
			}
			if name == "invite" {
				if m.Invite != nil {
					return nil, false
				}
				m.Invite = inv
			} else {
				if m.Decline != nil {
					return nil, false
				}
				m.Decline = inv
			}
		case "destroy":
			m.Destroy = &struct{}{}
		}
	}
	return m, true
}

func (p *parser) errorOf(c int32) (*Error, bool) {
	e := &Error{Type: p.attr(c, "type")}
	hasText := false
	for k := p.nodes[c].first; k != 0; k = p.nodes[k].next {
		if p.nodes[k].name == "text" && p.nodes[k].space == NSStanzas {
			if hasText {
				return nil, false
			}
			hasText = true
			e.Text = p.textOf(k)
			continue
		}
		e.Conditions = append(e.Conditions, p.payloadOf(k))
	}
	return e, true
}
