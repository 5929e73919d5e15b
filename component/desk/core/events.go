package core

import (
	"fmt"
	"strings"

	"switchboard/component/wire"
)

// Event is what the actor reads from its one channel. String is the
// Event's line in the -vv log.
type Event interface{ String() string }

// JobResult marks the events that end a job (spawn).
type JobResult interface{ jobResult() }

type (
	// EvStanzas are messages and presence that arrived together.
	EvStanzas []*wire.Stanza
	// EvRequest is an IQ the desk answers.
	EvRequest wire.Request
	// EvConnected and evDisconnected: the server session started or
	// ended.
	EvConnected    struct{}
	EvDisconnected struct{}
	// EvTick comes once a second.
	EvTick struct{}
	// EvTimer is a deadline that came (timers.go).
	EvTimer Timer
	// EvRoomConfigured is the result of configuring a room.
	EvRoomConfigured struct {
		ID  uint64
		Err error
	}
	// EvClientFound is what a customer's client said about itself.
	EvClientFound struct {
		ID      uint64
		CapsKey string
		Info    wire.ClientInfo
		Err     error
	}
	// EvAgentClient is what one of an agent's clients supports.
	EvAgentClient struct {
		Bare, Full, CapsKey string
		Info                wire.ClientInfo
		Err                 error
	}
	// EvForgetKey drops a channel message's key whose write failed, so
	// that the provider's next try is taken as new.
	EvForgetKey struct{ Key string }
)

func (EvRoomConfigured) jobResult() {}

func (EvClientFound) jobResult() {}

func (EvAgentClient) jobResult() {}

func (e EvStanzas) String() string {
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

func (e EvRequest) String() string {
	return fmt.Sprintf("request %s node=%q from=%s to=%s", e.Kind, e.Node, e.From, e.To)
}

func (EvConnected) String() string { return "connected" }

func (EvDisconnected) String() string { return "disconnected" }

func (EvTick) String() string { return "tick" }

func (e EvTimer) String() string {
	return fmt.Sprintf("timer %s conversation=%d agent=%s", e.Kind, e.ID, e.Agent)
}

func (e EvRoomConfigured) String() string {
	return fmt.Sprintf("room-configured conversation=%d err=%v", e.ID, e.Err)
}

func (e EvClientFound) String() string {
	return fmt.Sprintf("client conversation=%d name=%q features=%d err=%v", e.ID, e.Info.Name, len(e.Info.Features), e.Err)
}

func (e EvAgentClient) String() string {
	return fmt.Sprintf("agent-client %s features=%d err=%v", e.Full, len(e.Info.Features), e.Err)
}

func (e EvForgetKey) String() string { return fmt.Sprintf("forget-key %s", e.Key) }
