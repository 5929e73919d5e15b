package wire

import (
	"bytes"
	"encoding/xml"
	"sync"
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

// node is an element as the small parser reads it. Nodes, their
// attributes and their text live in the parser's buffers, which are reused
// from one stanza to the next; a node refers to others by index (0, the
// root, is never a child, so it also means "none").
type node struct {
	name        string
	space       string
	attrs       span // in parser.attrs
	text        span // direct character data, entities decoded, in parser.text
	first, last int32
	next        int32
}

type span struct{ start, end int32 }

// parser reads the restricted XML; every method reports false for what it
// does not handle.
type parser struct {
	b       []byte
	i       int
	scratch []byte
	nodes   []node
	attrs   []xml.Attr
	text    []byte
}

var parsers = sync.Pool{New: func() any { return new(parser) }}

// maxPooled bounds the buffers a pooled parser keeps: a huge stanza's
// are left to the collector.
const maxPooled = 64 << 10

func (p *parser) release() {
	if cap(p.text) > maxPooled || cap(p.scratch) > maxPooled || cap(p.nodes) > 1024 || cap(p.attrs) > 1024 {
		return
	}
	clear(p.attrs) // no strings kept alive from the pool
	clear(p.nodes)
	*p = parser{scratch: p.scratch[:0], nodes: p.nodes[:0], attrs: p.attrs[:0], text: p.text[:0]}
	parsers.Put(p)
}

func (p *parser) attrsOf(n int32) []xml.Attr {
	a := p.nodes[n].attrs
	return p.attrs[a.start:a.end]
}

func (p *parser) attr(n int32, name string) string {
	for _, a := range p.attrsOf(n) {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// textOf is an element's own character data, as encoding/xml reads it
// into a string field (the text of elements inside is skipped).
func (p *parser) textOf(n int32) string {
	t := p.nodes[n].text
	return string(p.text[t.start:t.end])
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
	p := parsers.Get().(*parser)
	defer p.release()
	p.b = raw
	root, ok := p.element("", 0)
	if !ok || p.i != len(raw) {
		return nil, false
	}
	return p.stanzaOf(root)
}

// Deeper elements and more attributes than these go to encoding/xml (the
// check for repeated attributes here is quadratic).
const (
	maxDepth = 32
	maxAttrs = 32
)

func (p *parser) element(space string, depth int) (int32, bool) {
	if depth > maxDepth || p.i >= len(p.b) || p.b[p.i] != '<' {
		return 0, false
	}
	p.i++
	n := int32(len(p.nodes))
	name, ok := p.name()
	if !ok {
		return 0, false
	}
	at := int32(len(p.attrs))
	p.nodes = append(p.nodes, node{name: name, space: space, attrs: span{at, at}})
	for {
		sp := p.space()
		if p.i >= len(p.b) {
			return 0, false
		}
		switch p.b[p.i] {
		case '/':
			if p.i+1 >= len(p.b) || p.b[p.i+1] != '>' {
				return 0, false
			}
			p.i += 2
			return n, true
		case '>':
			p.i++
			return n, p.content(n, depth)
		}
		if !sp {
			return 0, false
		}
		a, ok := p.attribute()
		if !ok || len(p.attrs)-int(at) == maxAttrs {
			return 0, false
		}
		for _, b := range p.attrs[at:] {
			if b.Name == a.Name {
				return 0, false
			}
		}
		if a.Name.Space == "" && a.Name.Local == "xmlns" {
			p.nodes[n].space = a.Value
		}
		p.attrs = append(p.attrs, a)
		p.nodes[n].attrs.end++
	}
}

func (p *parser) content(n int32, depth int) bool {
	for p.i < len(p.b) {
		if p.b[p.i] != '<' {
			end := bytes.IndexByte(p.b[p.i:], '<')
			if end < 0 {
				return false
			}
			t := p.b[p.i : p.i+end]
			if bytes.Contains(t, []byte("]]>")) {
				return false // not allowed in text
			}
			if !p.appendText(n, t) {
				return false
			}
			p.i += end
			continue
		}
		if p.i+1 < len(p.b) && p.b[p.i+1] == '/' {
			p.i += 2
			name, ok := p.name()
			if !ok || name != p.nodes[n].name {
				return false
			}
			p.space()
			if p.i >= len(p.b) || p.b[p.i] != '>' {
				return false
			}
			p.i++
			return true
		}
		c, ok := p.element(p.nodes[n].space, depth+1)
		if !ok {
			return false
		}
		if p.nodes[n].last == 0 {
			p.nodes[n].first = c
		} else {
			p.nodes[p.nodes[n].last].next = c
		}
		p.nodes[n].last = c
	}
	return false
}

// appendText adds decoded character data to n's text. A node's text is
// kept in one piece at the end of the buffer; text that comes after a
// child element's moves it there first.
func (p *parser) appendText(n int32, t []byte) bool {
	nt := p.nodes[n].text
	if nt.start == nt.end {
		nt = span{int32(len(p.text)), int32(len(p.text))}
	} else if int(nt.end) != len(p.text) {
		start := int32(len(p.text))
		p.text = append(p.text, p.text[nt.start:nt.end]...)
		nt = span{start, int32(len(p.text))}
	}
	var ok bool
	if p.text, ok = unescape(p.text, t); !ok {
		return false
	}
	nt.end = int32(len(p.text))
	p.nodes[n].text = nt
	return true
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
