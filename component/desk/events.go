package desk

import (
	"fmt"
	"strings"

	"switchboard/component/wire"
)

// event is what the actor reads from its one channel. String is the
// event's line in the -vv log.
type event interface{ String() string }

// jobResult marks the events that end a job (spawn).
type jobResult interface{ jobResult() }

type (
	// evStanzas are messages and presence that arrived together.
	evStanzas []*wire.Stanza
	// evRequest is an IQ the desk answers.
	evRequest wire.Request
	// evConnected and evDisconnected: the server session started or
	// ended.
	evConnected    struct{}
	evDisconnected struct{}
	// evTick comes once a second.
	evTick struct{}
	// evTimer is a deadline that came (timers.go).
	evTimer timer
	// evRoomConfigured is the result of configuring a room.
	evRoomConfigured struct {
		id  uint64
		err error
	}
	// evClientFound is what a customer's client said about itself.
	evClientFound struct {
		id      uint64
		capsKey string
		info    wire.ClientInfo
		err     error
	}
	// evAgentClient is what one of an agent's clients supports.
	evAgentClient struct {
		bare, full, capsKey string
		info                wire.ClientInfo
		err                 error
	}
)

func (evRoomConfigured) jobResult() {}
func (evClientFound) jobResult()    {}
func (evAgentClient) jobResult()    {}

func (e evStanzas) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "stanzas n=%d:", len(e))
	for i, s := range e {
		if i == 8 {
			b.WriteString(" …")
			break
		}
		fmt.Fprintf(&b, " %s/%s from=%s to=%s", s.XMLName.Local, s.Type, s.From, s.To)
	}
	return b.String()
}

func (e evRequest) String() string {
	return fmt.Sprintf("request %s node=%q from=%s to=%s", e.Kind, e.Node, e.From, e.To)
}
func (evConnected) String() string    { return "connected" }
func (evDisconnected) String() string { return "disconnected" }
func (evTick) String() string         { return "tick" }
func (e evTimer) String() string {
	return fmt.Sprintf("timer %s conversation=%d agent=%s", e.kind, e.id, e.agent)
}
func (e evRoomConfigured) String() string {
	return fmt.Sprintf("room-configured conversation=%d err=%v", e.id, e.err)
}
func (e evClientFound) String() string {
	return fmt.Sprintf("client conversation=%d name=%q features=%d err=%v", e.id, e.info.Name, len(e.info.Features), e.err)
}
func (e evAgentClient) String() string {
	return fmt.Sprintf("agent-client %s features=%d err=%v", e.full, len(e.info.Features), e.err)
}

// The link hands over what arrives through these (link.Handler); they
// run on the link's reading goroutine and only post events.

// Stanzas takes the messages and presence of one read.
func (d *Desk) Stanzas(batch []*wire.Stanza) {
	d.activity.Add(uint64(len(batch)))
	d.post(evStanzas(batch))
}

// Request takes an IQ the desk answers.
func (d *Desk) Request(r wire.Request) { d.post(evRequest(r)) }

// Connected tells the desk a session is up.
func (d *Desk) Connected() { d.post(evConnected{}) }

// Disconnected tells the desk the session is gone.
func (d *Desk) Disconnected() { d.post(evDisconnected{}) }

// Undecodable counts and logs input that could not be read.
func (d *Desk) Undecodable(start string, err error) {
	d.metrics.badInput.WithLabelValues("malformed").Inc()
	d.log.Warn("undecodable stanza", "start", start, "err", err)
}
