package wire

import (
	"errors"
	"strconv"
	"sync/atomic"
)

var idSeq atomic.Uint64

// NewID returns a fresh stanza id with the given prefix.
func NewID(prefix string) string { return prefix + strconv.FormatUint(idSeq.Add(1), 36) }

// Request is an IQ get or set the component answers for itself: what its
// addresses are (XEP-0030), its version (XEP-0092) and ad-hoc commands
// (XEP-0050). Pings are answered where they arrive.
type Request struct {
	Kind         RequestKind
	From, To, ID string
	Node         string   // the disco node asked about
	Command      *Command // for RequestCommand
}

// RequestKind is what a Request asks.
type RequestKind int

// The kinds of Request.
const (
	RequestInfo    RequestKind = iota // disco#info
	RequestItems                      // disco#items
	RequestVersion                    // jabber:iq:version
	RequestCommand                    // an ad-hoc command
)

func (k RequestKind) String() string {
	switch k {
	case RequestInfo:
		return "disco#info"
	case RequestItems:
		return "disco#items"
	case RequestVersion:
		return "version"
	case RequestCommand:
		return "command"
	}
	return "unknown"
}

// ClientInfo is what a client says about itself in disco#info and
// software version answers.
type ClientInfo struct {
	Name, Version, OS string
	Features          []string
}

// ErrNotConnected is returned for a round trip while no session is up.
var ErrNotConnected = errors.New("not connected")
