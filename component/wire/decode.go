package wire

import (
	"bytes"
	"encoding/xml"
	"unicode/utf8"
)

// Decode reads one whole message or presence element, as the Splitter
// hands it over, into a Stanza. The shapes servers send (unprefixed
// names, quoted attributes, the five predefined entities, xml:lang) are
// read by a small parser; anything else goes to encoding/xml, whose
// result the small parser's always equals (FuzzDecode checks).
func Decode(raw []byte) (*Stanza, error) {
	if s, ok := decodeFast(raw); ok {
		return s, nil
	}
	return decodeXML(raw)
}

func decodeXML(raw []byte) (*Stanza, error) {
	var s Stanza
	if err := xml.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

const nsXML = "http://www.w3.org/XML/1998/namespace"

// node is an element as the small parser reads it.
type node struct {
	name     string
	space    string
	attrs    []xml.Attr
	text     []byte // direct character data, entities decoded
	children []*node
}

func (n *node) attr(name string) string {
	for _, a := range n.attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// parser reads the restricted XML; every method reports false for what it
// does not handle.
type parser struct {
	b       []byte
	i       int
	scratch []byte
}

// internValue returns the namespaces and values stanzas repeat without
// allocating.
func internValue(b []byte) string {
	switch string(b) {
	case NSMUCUser:
		return NSMUCUser
	case NSDelay:
		return NSDelay
	case NSCaps:
		return NSCaps
	case NSStanzas:
		return NSStanzas
	case "urn:xmpp:occupant-id:0":
		return "urn:xmpp:occupant-id:0"
	case "chat":
		return "chat"
	case "groupchat":
		return "groupchat"
	case "en":
		return "en"
	}
	return string(b)
}

func decodeFast(raw []byte) (*Stanza, bool) {
	if bytes.IndexByte(raw, '\r') >= 0 || !utf8.Valid(raw) {
		return nil, false
	}
	p := parser{b: raw}
	root, ok := p.element("", 0)
	if !ok || p.i != len(raw) {
		return nil, false
	}
	return stanzaOf(root)
}

// Deeper elements and more attributes than these go to encoding/xml (the
// check for repeated attributes here is quadratic).
const (
	maxDepth = 32
	maxAttrs = 32
)

func (p *parser) element(space string, depth int) (*node, bool) {
	if depth > maxDepth || p.i >= len(p.b) || p.b[p.i] != '<' {
		return nil, false
	}
	p.i++
	n := &node{space: space}
	var ok bool
	if n.name, ok = p.name(); !ok {
		return nil, false
	}
	for {
		sp := p.space()
		if p.i >= len(p.b) {
			return nil, false
		}
		switch p.b[p.i] {
		case '/':
			if p.i+1 >= len(p.b) || p.b[p.i+1] != '>' {
				return nil, false
			}
			p.i += 2
			return n, true
		case '>':
			p.i++
			return p.content(n, depth)
		}
		if !sp {
			return nil, false
		}
		a, ok := p.attribute()
		if !ok || len(n.attrs) == maxAttrs {
			return nil, false
		}
		for _, b := range n.attrs {
			if b.Name == a.Name {
				return nil, false
			}
		}
		if a.Name.Space == "" && a.Name.Local == "xmlns" {
			n.space = a.Value
		}
		n.attrs = append(n.attrs, a)
	}
}

func (p *parser) content(n *node, depth int) (*node, bool) {
	for p.i < len(p.b) {
		if p.b[p.i] != '<' {
			end := bytes.IndexByte(p.b[p.i:], '<')
			if end < 0 {
				return nil, false
			}
			t := p.b[p.i : p.i+end]
			if bytes.Contains(t, []byte("]]>")) {
				return nil, false // not allowed in text
			}
			var ok bool
			if n.text, ok = unescape(n.text, t); !ok {
				return nil, false
			}
			p.i += end
			continue
		}
		if p.i+1 < len(p.b) && p.b[p.i+1] == '/' {
			p.i += 2
			name, ok := p.name()
			if !ok || name != n.name {
				return nil, false
			}
			p.space()
			if p.i >= len(p.b) || p.b[p.i] != '>' {
				return nil, false
			}
			p.i++
			return n, true
		}
		c, ok := p.element(n.space, depth+1)
		if !ok {
			return nil, false
		}
		n.children = append(n.children, c)
	}
	return nil, false
}

// name reads an ASCII name without a prefix.
func (p *parser) name() (string, bool) {
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || p.i > start && (c >= '0' && c <= '9' || c == '-' || c == '.') {
			p.i++
			continue
		}
		break
	}
	if p.i == start {
		return "", false
	}
	return intern(p.b[start:p.i]), true
}

// intern returns the names stanzas are made of without allocating.
func intern(b []byte) string {
	switch string(b) {
	case "message":
		return "message"
	case "presence":
		return "presence"
	case "body":
		return "body"
	case "x":
		return "x"
	case "item":
		return "item"
	case "status":
		return "status"
	case "from":
		return "from"
	case "to":
		return "to"
	case "type":
		return "type"
	case "id":
		return "id"
	case "xmlns":
		return "xmlns"
	case "xml":
		return "xml"
	case "lang":
		return "lang"
	case "jid":
		return "jid"
	case "code":
		return "code"
	case "affiliation":
		return "affiliation"
	case "role":
		return "role"
	case "occupant-id":
		return "occupant-id"
	case "delay":
		return "delay"
	case "stamp":
		return "stamp"
	}
	return string(b)
}

func (p *parser) space() bool {
	start := p.i
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\t' || p.b[p.i] == '\n') {
		p.i++
	}
	return p.i > start
}

func (p *parser) attribute() (xml.Attr, bool) {
	var a xml.Attr
	local, ok := p.name()
	if !ok {
		return a, false
	}
	a.Name.Local = local
	if p.i < len(p.b) && p.b[p.i] == ':' {
		// Only xml:lang has a prefix here.
		p.i++
		if local != "xml" {
			return a, false
		}
		if l, ok := p.name(); !ok || l != "lang" {
			return a, false
		}
		a.Name = xml.Name{Space: nsXML, Local: "lang"}
	}
	p.space()
	if p.i >= len(p.b) || p.b[p.i] != '=' {
		return a, false
	}
	p.i++
	p.space()
	if p.i >= len(p.b) || p.b[p.i] != '\'' && p.b[p.i] != '"' {
		return a, false
	}
	q := p.b[p.i]
	p.i++
	end := bytes.IndexByte(p.b[p.i:], q)
	if end < 0 {
		return a, false
	}
	v := p.b[p.i : p.i+end]
	if bytes.IndexByte(v, '<') >= 0 {
		return a, false
	}
	if bytes.IndexByte(v, '&') < 0 {
		// No references: the bytes as they are (after the same checks).
		if !allowed(v) {
			return a, false
		}
		a.Value = internValue(v)
	} else {
		val, ok := unescape(p.scratch[:0], v)
		if !ok {
			return a, false
		}
		p.scratch = val
		a.Value = string(val)
	}
	p.i += end + 1
	return a, true
}

// unescape appends s to dst with the predefined entities decoded; it
// refuses other references and characters XML does not allow.
func unescape(dst, s []byte) ([]byte, bool) {
	for len(s) > 0 {
		i := bytes.IndexByte(s, '&')
		if i < 0 {
			i = len(s)
		}
		if !allowed(s[:i]) {
			return nil, false
		}
		dst = append(dst, s[:i]...)
		s = s[i:]
		if len(s) == 0 {
			break
		}
		end := bytes.IndexByte(s, ';')
		if end < 0 {
			return nil, false
		}
		switch string(s[1:end]) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "apos":
			dst = append(dst, '\'')
		case "quot":
			dst = append(dst, '"')
		default:
			return nil, false
		}
		s = s[end+1:]
	}
	if dst == nil {
		dst = []byte{}
	}
	return dst, true
}

// allowed reports whether s (valid UTF-8, without '\r') holds only
// characters XML allows.
func allowed(s []byte) bool {
	for i, c := range s {
		if c < 0x20 && c != '\t' && c != '\n' {
			return false
		}
		if c == 0xEF && i+2 < len(s) && s[i+1] == 0xBF && (s[i+2] == 0xBE || s[i+2] == 0xBF) {
			return false // U+FFFE, U+FFFF
		}
	}
	return true
}

// stanzaOf maps a parsed element onto Stanza's fields the way
// encoding/xml would; a field's element twice is left to encoding/xml.
func stanzaOf(n *node) (*Stanza, bool) {
	s := &Stanza{XMLName: xml.Name{Space: n.space, Local: n.name}}
	for _, a := range n.attrs {
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
	for _, c := range n.children {
		var ok bool
		switch {
		case c.name == "body":
			s.Body, ok = text(c), once(1<<0)
		case c.name == "subject":
			s.Subject, ok = text(c), once(1<<1)
		case c.name == "show":
			s.Show, ok = text(c), once(1<<2)
		case c.name == "status":
			s.Status, ok = text(c), once(1<<3)
		case c.name == "priority":
			s.Priority, ok = text(c), once(1<<4)
		case c.name == "x" && c.space == NSOOB:
			s.OOB, ok = oobOf(c), once(1<<5)
		case c.name == "x" && c.space == NSMUCUser:
			s.MUCUser, ok = mucUserOf(c)
			ok = ok && once(1<<6)
		case c.name == "x" && c.space == NSConference:
			s.Conference, ok = &Conference{JID: c.attr("jid"), Reason: c.attr("reason")}, once(1<<7)
		case c.name == "delay" && c.space == NSDelay:
			s.Delay, ok = &Delay{Stamp: c.attr("stamp"), From: c.attr("from")}, once(1<<8)
		case c.name == "c" && c.space == NSCaps:
			s.Caps, ok = &Caps{Hash: c.attr("hash"), Node: c.attr("node"), Ver: c.attr("ver")}, once(1<<9)
		case c.name == "error":
			s.Error, ok = errorOf(c)
			ok = ok && once(1<<10)
		default:
			s.Payloads, ok = append(s.Payloads, payloadOf(c)), true
		}
		if !ok {
			return nil, false
		}
	}
	return s, true
}

// text is an element's own character data, as encoding/xml reads it
// into a string field (the text of elements inside is skipped).
func text(c *node) string { return string(c.text) }

func payloadOf(c *node) Payload {
	p := Payload{XMLName: xml.Name{Space: c.space, Local: c.name}}
	if len(c.attrs) > 0 {
		p.Attrs = c.attrs
	}
	return p
}

func oobOf(c *node) *OOB {
	o := &OOB{}
	for _, e := range c.children {
		switch e.name {
		case "url":
			o.URL = text(e)
		case "desc":
			o.Desc = text(e)
		}
	}
	return o
}

func mucUserOf(c *node) (*MUCUser, bool) {
	m := &MUCUser{}
	for _, e := range c.children {
		switch e.name {
		case "item":
			m.Items = append(m.Items, MUCItem{Affiliation: e.attr("affiliation"), Role: e.attr("role"), JID: e.attr("jid"), Nick: e.attr("nick")})
		case "status":
			m.Status = append(m.Status, MUCStatus{Code: e.attr("code")})
		case "invite", "decline":
			inv := &MUCInvite{From: e.attr("from"), To: e.attr("to")}
			for _, r := range e.children {
				if r.name == "reason" {
					if inv.Reason != "" {
						return nil, false
					}
					inv.Reason = text(r)
				}
			}
			if e.name == "invite" {
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

func errorOf(c *node) (*Error, bool) {
	e := &Error{Type: c.attr("type")}
	hasText := false
	for _, k := range c.children {
		if k.name == "text" && k.space == NSStanzas {
			if hasText {
				return nil, false
			}
			hasText = true
			e.Text = text(k)
			continue
		}
		e.Conditions = append(e.Conditions, payloadOf(k))
	}
	return e, true
}
