package desk

import (
	"switchboard/component/desk/core"
	"switchboard/component/wire"
)

// The link hands over what arrives through these (link.Handler); they
// run on the link's reading goroutine and only post events.

// Stanzas takes the messages and presence of one read.
func (d *Desk) Stanzas(batch []*wire.Stanza) {
	d.Activity.Add(uint64(len(batch)))
	d.Post(core.EvStanzas(batch))
}

// Request takes an IQ the desk answers.
func (d *Desk) Request(r wire.Request) { d.Post(core.EvRequest(r)) }

// Connected tells the desk a session is up.
func (d *Desk) Connected() { d.Post(core.EvConnected{}) }

// Disconnected tells the desk the session is gone.
func (d *Desk) Disconnected() { d.Post(core.EvDisconnected{}) }

// Undecodable counts and logs input that could not be read.
func (d *Desk) Undecodable(start string, err error) {
	d.Metrics.BadInput.WithLabelValues("malformed").Inc()
	d.Log.Warn("undecodable stanza", "start", start, "err", err)
}
