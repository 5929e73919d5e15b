package wire

import (
	"encoding/xml"
	"strings"
)

// Tokens returns a token reader over one raw XML stanza, ready for an
// encoding/xml based encoder: namespace declarations are carried by the
// element names alone (an explicit xmlns attribute would be written twice).
func Tokens(raw string) xml.TokenReader {
	return &tokens{d: xml.NewDecoder(strings.NewReader(raw))}
}

type tokens struct{ d *xml.Decoder }

func (t *tokens) Token() (xml.Token, error) {
	tok, err := t.d.Token()
	if err != nil {
		return nil, err
	}
	if s, ok := tok.(xml.StartElement); ok {
		attrs := s.Attr[:0]
		for _, a := range s.Attr {
			if a.Name.Space == "" && a.Name.Local == "xmlns" || a.Name.Space == "xmlns" {
				continue
			}
			attrs = append(attrs, a)
		}
		s.Attr = attrs
		return s, nil
	}
	return xml.CopyToken(tok), nil
}
