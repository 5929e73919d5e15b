package agents

import (
	"switchboard/component/wire"
	"switchboard/presence"
)

// What the desk's JID says to agents: it asks each for a presence
// subscription (subscribe only: in Prosody a probe before approval
// cancels the pending request), probes those who approved (ejabberd does
// not answer a subscribe of an approved contact with their presence),
// and is available with a status of its own.

const deskStatus = "switchboard desk"

// Greeting is what the desk sends an agent at start-up or when one is
// added.
func Greeting(desk, jid string, approved bool) []string {
	out := []string{wire.Presence{From: desk, To: jid, Type: "subscribe"}.String()}
	if approved {
		out = append(out, wire.Presence{From: desk, To: jid, Type: "probe"}.String())
	}
	return append(out, wire.Presence{From: desk, To: jid, Status: deskStatus}.String())
}

// Seen is what a presence to the desk's JID calls for.
type Seen struct {
	Out []string // presence to send back
	// Answer is set when the stanza answered the desk's subscription
	// request: Approved says how.
	Answer, Approved bool
	// Changed is set when an agent's routing state changed; Discover,
	// when the agent came online with a client whose features are not
	// known yet (ask the stanza's full JID; Caps is its caps key, or "").
	Changed, Discover bool
	Caps              string
}

// Handle takes a presence to the desk's JID into the tracker. agent says
// whether its sender is one of the desk's agents: anyone may subscribe to
// the desk, only agents' availability is tracked.
func Handle(desk string, s *wire.Stanza, agent bool, t *presence.Tracker) Seen {
	bare := wire.Bare(s.From)
	switch s.Type {
	case "subscribe":
		return Seen{Out: []string{wire.Presence{From: desk, To: bare, Type: "subscribed"}.String(),
			wire.Presence{From: desk, To: bare, Status: deskStatus}.String()}}
	case "probe":
		return Seen{Out: []string{wire.Presence{From: desk, To: s.From, Status: deskStatus}.String()}}
	case "unsubscribe":
		return Seen{Out: []string{wire.Presence{From: desk, To: bare, Type: "unsubscribed"}.String()}}
	case "subscribed", "unsubscribed":
		return Seen{Answer: true, Approved: s.Type == "subscribed"}
	case "", "unavailable":
	default:
		return Seen{}
	}
	if !agent {
		return Seen{}
	}
	res := wire.Resource(s.From)
	if s.Type == "unavailable" {
		return Seen{Changed: t.Unavailable(bare, res)}
	}
	caps := ""
	if s.Caps != nil {
		caps = s.Caps.Node + "#" + s.Caps.Ver
	}
	changed, newCaps := t.Available(bare, res, presence.Show(s.Show), s.PriorityValue(), caps)
	return Seen{Changed: changed, Discover: newCaps, Caps: caps}
}

// Unsubscribe is what the desk sends an agent who is gone.
func Unsubscribe(desk, jid string) string {
	return wire.Presence{From: desk, To: jid, Type: "unsubscribe"}.String()
}

// Resubscribe asks again an agent who revoked, or refused while the desk
// was away.
func Resubscribe(desk, jid string) string {
	return wire.Presence{From: desk, To: jid, Type: "subscribe"}.String()
}
