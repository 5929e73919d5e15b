package wire

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// Namespaces switchboard speaks.
const (
	NSClient     = "jabber:client"
	NSComponent  = "jabber:component:accept"
	NSMUC        = "http://jabber.org/protocol/muc"
	NSMUCUser    = "http://jabber.org/protocol/muc#user"
	NSMUCOwner   = "http://jabber.org/protocol/muc#owner"
	NSMUCAdmin   = "http://jabber.org/protocol/muc#admin"
	NSOOB        = "jabber:x:oob"
	NSConference = "jabber:x:conference"
	NSDelay      = "urn:xmpp:delay"
	NSCaps       = "http://jabber.org/protocol/caps"
	NSDiscoInfo  = "http://jabber.org/protocol/disco#info"
	NSDiscoItems = "http://jabber.org/protocol/disco#items"
	NSVersion    = "jabber:iq:version"
	NSPing       = "urn:xmpp:ping"
	NSForm       = "jabber:x:data"
	NSStanzas    = "urn:ietf:params:xml:ns:xmpp-stanzas"
	NSChatStates = "http://jabber.org/protocol/chatstates"
	NSReceipts   = "urn:xmpp:receipts"
	NSEME        = "urn:xmpp:eme:0"
)

// Encryption namespaces the component cannot read.
var encrypted = map[string]string{
	"eu.siacs.conversations.axolotl": "OMEMO",
	"urn:xmpp:omemo:1":               "OMEMO",
	"urn:xmpp:omemo:2":               "OMEMO",
	"jabber:x:encrypted":             "OpenPGP",
	"urn:xmpp:openpgp:0":             "OpenPGP",
}

// Stanza is a message or presence as switchboard reads it. Unknown payloads
// are kept only as their names (in Payloads).
type Stanza struct {
	XMLName xml.Name
	From    string `xml:"from,attr"`
	To      string `xml:"to,attr"`
	Type    string `xml:"type,attr"`
	ID      string `xml:"id,attr"`
	Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`

	Body     string `xml:"body"`
	Subject  string `xml:"subject"`
	Show     string `xml:"show"`
	Status   string `xml:"status"`
	Priority string `xml:"priority"`

	OOB        *OOB        `xml:"jabber:x:oob x"`
	MUCUser    *MUCUser    `xml:"http://jabber.org/protocol/muc#user x"`
	Conference *Conference `xml:"jabber:x:conference x"`
	Delay      *Delay      `xml:"urn:xmpp:delay delay"`
	Caps       *Caps       `xml:"http://jabber.org/protocol/caps c"`
	Error      *Error      `xml:"error"`

	// Payloads lists the namespace of every other child element.
	Payloads []Payload `xml:",any"`
}

// Payload is a child element switchboard does not decode.
type Payload struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
}

// OOB is an XEP-0066 attachment.
type OOB struct {
	URL  string `xml:"url"`
	Desc string `xml:"desc,omitempty"`
}

// MUCUser is the XEP-0045 muc#user payload.
type MUCUser struct {
	Items   []MUCItem   `xml:"item"`
	Status  []MUCStatus `xml:"status"`
	Invite  *MUCInvite  `xml:"invite"`
	Decline *MUCInvite  `xml:"decline"`
	Destroy *struct{}   `xml:"destroy"`
}

// MUCItem is an occupant's affiliation, role and (non-anonymous) real JID.
type MUCItem struct {
	Affiliation string `xml:"affiliation,attr"`
	Role        string `xml:"role,attr"`
	JID         string `xml:"jid,attr"`
	Nick        string `xml:"nick,attr"`
}

// MUCStatus is a status code.
type MUCStatus struct {
	Code string `xml:"code,attr"`
}

// MUCInvite is an invitation or a decline.
type MUCInvite struct {
	From   string `xml:"from,attr"`
	To     string `xml:"to,attr"`
	Reason string `xml:"reason"`
}

// Conference is an XEP-0249 direct invitation.
type Conference struct {
	JID    string `xml:"jid,attr"`
	Reason string `xml:"reason,attr"`
}

// Delay marks a delayed (history or offline) stanza.
type Delay struct {
	Stamp string `xml:"stamp,attr"`
	From  string `xml:"from,attr"`
}

// Caps is an XEP-0115 entity capabilities announcement.
type Caps struct {
	Hash string `xml:"hash,attr"`
	Node string `xml:"node,attr"`
	Ver  string `xml:"ver,attr"`
}

// Error is a stanza error.
type Error struct {
	Type       string    `xml:"type,attr"`
	Conditions []Payload `xml:",any"`
	Text       string    `xml:"urn:ietf:params:xml:ns:xmpp-stanzas text"`
}

// Condition returns the defined condition's name.
func (e *Error) Condition() string {
	for _, c := range e.Conditions {
		if c.XMLName.Space == NSStanzas && c.XMLName.Local != "text" {
			return c.XMLName.Local
		}
	}
	return ""
}

// HasStatus reports whether the MUC payload carries code.
func (m *MUCUser) HasStatus(code string) bool {
	if m == nil {
		return false
	}
	for _, s := range m.Status {
		if s.Code == code {
			return true
		}
	}
	return false
}

// Encryption names the end-to-end encryption of the message ("OMEMO",
// "OpenPGP"), or "" for a message the component can read.
func (s *Stanza) Encryption() string {
	for _, p := range s.Payloads {
		if name, ok := encrypted[p.XMLName.Space]; ok {
			return name
		}
	}
	return ""
}

// PriorityValue returns the presence priority, 0 when absent or invalid.
func (s *Stanza) PriorityValue() int {
	p, err := strconv.Atoi(strings.TrimSpace(s.Priority))
	if err != nil || p < -128 || p > 127 {
		return 0
	}
	return p
}

// WantsReceipt reports whether the sender asked for an XEP-0184 receipt.
func (s *Stanza) WantsReceipt() bool {
	for _, p := range s.Payloads {
		if p.XMLName.Space == NSReceipts && p.XMLName.Local == "request" {
			return s.ID != ""
		}
	}
	return false
}

// Received returns the id an XEP-0184 receipt acknowledges, or "".
func (s *Stanza) Received() string {
	for _, p := range s.Payloads {
		if p.XMLName.Space == NSReceipts && p.XMLName.Local == "received" {
			for _, a := range p.Attrs {
				if a.Name.Local == "id" {
					return a.Value
				}
			}
		}
	}
	return ""
}

// Bare returns the bare part of a JID string.
func Bare(jid string) string {
	if i := strings.IndexByte(jid, '/'); i >= 0 {
		return jid[:i]
	}
	return jid
}

// Resource returns the resource part of a JID string.
func Resource(jid string) string {
	if i := strings.IndexByte(jid, '/'); i >= 0 {
		return jid[i+1:]
	}
	return ""
}

// Local returns the localpart of a JID string.
func Local(jid string) string {
	b := Bare(jid)
	if i := strings.IndexByte(b, '@'); i >= 0 {
		return b[:i]
	}
	return ""
}

// Domain returns the domain of a JID string.
func Domain(jid string) string {
	b := Bare(jid)
	if i := strings.IndexByte(b, '@'); i >= 0 {
		return b[i+1:]
	}
	return b
}
