package wire

import "bytes"

var messageStart = []byte("<message")

// IsMessage reports whether a stanza the Splitter handed over is a
// message (the only kind a room echoes back).
func IsMessage(raw []byte) bool { return bytes.HasPrefix(raw, messageStart) }

// Head is what a stanza's start tag says of it.
type Head struct {
	Name string // message, presence
	From string
	Type string
	ID   string
}

// ReadHead reads only the start tag of a stanza as the Splitter hands it
// over: enough to drop, undecoded, what the desk does not want. ok is
// false for a tag the small parser does not read; Decode decides then.
func ReadHead(raw []byte) (h Head, ok bool) {
	if len(raw) == 0 || raw[0] != '<' {
		return h, false
	}
	p := parser{b: raw, i: 1}
	if h.Name, ok = p.name(); !ok {
		return h, false
	}
	for p.space() {
		if p.i < len(p.b) && (p.b[p.i] == '>' || p.b[p.i] == '/') {
			break
		}
		a, ok := p.attribute()
		if !ok {
			return Head{}, false
		}
		if a.Name.Space == "" {
			switch a.Name.Local {
			case "from":
				h.From = a.Value
			case "type":
				h.Type = a.Value
			case "id":
				h.ID = a.Value
			}
		}
	}
	if p.i >= len(p.b) || p.b[p.i] != '>' && p.b[p.i] != '/' {
		return Head{}, false
	}
	return h, true
}
