package wire

import "strings"

// Escape returns s with XML's special characters escaped for both text
// and attribute values, and characters XML cannot carry dropped.
func Escape(s string) string {
	clean := true
	for _, r := range s {
		switch {
		case r == '<' || r == '>' || r == '&' || r == '\'' || r == '"' || r == '\r':
			clean = false
		case r < 0x20 && r != '\t' && r != '\n', r == 0xFFFE, r == 0xFFFF, r == 0xFFFD:
			clean = false
		}
		if !clean {
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '\'':
			b.WriteString("&apos;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r < 0x20 && r != '\t' && r != '\n', r == 0xFFFE, r == 0xFFFF, r == 0xFFFD:
			// Not allowed in XML 1.0 (0xFFFD is what decoding made of
			// invalid UTF-8): drop it.
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Message is an outgoing message.
type Message struct {
	From, To, Type, ID string
	Lang               string // xml:lang, the language of Body
	Body               string
	URL                string // XEP-0066 attachment
	// extra is XML a builder of this package appends inside the message.
	extra string
}

// String renders the message as XML.
func (m Message) String() string {
	var b strings.Builder
	b.Grow(len(m.Body) + len(m.extra) + 160)
	b.WriteString("<message")
	attr(&b, "from", m.From)
	attr(&b, "to", m.To)
	attr(&b, "type", m.Type)
	attr(&b, "id", m.ID)
	attr(&b, "xml:lang", m.Lang)
	b.WriteString(">")
	if m.Body != "" {
		b.WriteString("<body>")
		b.WriteString(Escape(m.Body))
		b.WriteString("</body>")
	}
	if m.URL != "" {
		b.WriteString("<x xmlns='jabber:x:oob'><url>")
		b.WriteString(Escape(m.URL))
		b.WriteString("</url></x>")
	}
	b.WriteString(m.extra)
	b.WriteString("</message>")
	return b.String()
}

// Presence is an outgoing presence.
type Presence struct {
	From, To, Type, ID string
	Show, Status       string
	// extra is XML a builder of this package appends inside the presence.
	extra string
}

// String renders the presence as XML.
func (p Presence) String() string {
	var b strings.Builder
	b.WriteString("<presence")
	attr(&b, "from", p.From)
	attr(&b, "to", p.To)
	attr(&b, "type", p.Type)
	attr(&b, "id", p.ID)
	b.WriteString(">")
	if p.Show != "" {
		b.WriteString("<show>" + Escape(p.Show) + "</show>")
	}
	if p.Status != "" {
		b.WriteString("<status>" + Escape(p.Status) + "</status>")
	}
	b.WriteString(p.extra)
	b.WriteString("</presence>")
	return b.String()
}

// iq renders an IQ around a payload a builder of this package made.
func iq(from, to, typ, id, payload string) string {
	var b strings.Builder
	b.WriteString("<iq")
	attr(&b, "from", from)
	attr(&b, "to", to)
	attr(&b, "type", typ)
	attr(&b, "id", id)
	b.WriteString(">")
	b.WriteString(payload)
	b.WriteString("</iq>")
	return b.String()
}

func attr(b *strings.Builder, name, value string) {
	if value == "" {
		return
	}
	b.WriteString(" ")
	b.WriteString(name)
	b.WriteString("='")
	b.WriteString(Escape(value))
	b.WriteString("'")
}
