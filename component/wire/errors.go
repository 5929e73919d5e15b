package wire

// StanzaError is an error the desk answers a stanza with (RFC 6120 §8.3).
type StanzaError struct {
	Type      string // cancel, modify, wait, auth
	Condition string // a defined condition: item-not-found, policy-violation, …
	Text      string // for a person; may be empty
}

// The errors the desk answers with.
var (
	ErrNotFound     = StanzaError{Type: "cancel", Condition: "item-not-found"}
	ErrBadRequest   = StanzaError{Type: "modify", Condition: "bad-request"}
	ErrForbidden    = StanzaError{Type: "auth", Condition: "forbidden"}
	ErrUnavailable  = StanzaError{Type: "cancel", Condition: "service-unavailable"}
	ErrPolicy       = StanzaError{Type: "modify", Condition: "policy-violation"}
	ErrPolicyWait   = StanzaError{Type: "wait", Condition: "policy-violation"}
	ErrNotAvailable = StanzaError{Type: "wait", Condition: "resource-constraint"}
)

// Error says the condition and, when there is one, the text: a
// StanzaError is also what a round trip answered with an error returns.
func (e StanzaError) Error() string {
	if e.Text != "" {
		return e.Condition + ": " + e.Text
	}
	return e.Condition
}

// With returns the error with text for a person.
func (e StanzaError) With(text string) StanzaError {
	e.Text = text
	return e
}

func (e StanzaError) render() string {
	s := "<error type='" + Escape(e.Type) + "'><" + e.Condition + " xmlns='" + NSStanzas + "'/>"
	if e.Text != "" {
		s += "<text xmlns='" + NSStanzas + "' xml:lang='en'>" + Escape(e.Text) + "</text>"
	}
	return s + "</error>"
}

// MessageError answers a message (from its sender's point of view: from
// is the address the message was sent to) with an error.
func MessageError(from, to, id string, e StanzaError) string {
	return Message{From: from, To: to, Type: "error", ID: id, extra: e.render()}.String()
}

// IQError answers an IQ with an error.
func IQError(from, to, id string, e StanzaError) string {
	return iq(from, to, "error", id, e.render())
}

// IQResult is an empty IQ result: the answer to a ping (XEP-0199) and
// to any set that needs no payload back.
func IQResult(from, to, id string) string { return iq(from, to, "result", id, "") }

// Receipt acknowledges message id (XEP-0184).
func Receipt(from, to, id string) string {
	return Message{From: from, To: to, ID: "r-" + id,
		extra: "<received xmlns='" + NSReceipts + "' id='" + Escape(id) + "'/>"}.String()
}
