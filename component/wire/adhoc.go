package wire

import "encoding/xml"

// NSCommands is XEP-0050, ad-hoc commands.
const NSCommands = "http://jabber.org/protocol/commands"

// Command is an ad-hoc command request (XEP-0050).
type Command struct {
	XMLName   xml.Name `xml:"http://jabber.org/protocol/commands command"`
	Node      string   `xml:"node,attr"`
	Action    string   `xml:"action,attr"`
	SessionID string   `xml:"sessionid,attr"`
	Form      *Form    `xml:"jabber:x:data x"`
}

// Form is a data form (XEP-0004) as a client submits it.
type Form struct {
	Type   string      `xml:"type,attr"`
	Fields []FormField `xml:"field"`
}

// FormField is one field of a submitted form.
type FormField struct {
	Var    string   `xml:"var,attr"`
	Values []string `xml:"value"`
}

// Value returns the first value of the named field, or "".
func (f *Form) Value(name string) string {
	if f == nil {
		return ""
	}
	for _, fl := range f.Fields {
		if fl.Var == name && len(fl.Values) > 0 {
			return fl.Values[0]
		}
	}
	return ""
}
