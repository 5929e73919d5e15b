// Package workroom is a conversation's room as the agents' workplace:
// who comes in and goes (an agent joining takes the offer), what they
// post (relayed to the customer, or kept as a private note), and the
// room's /commands, transfers and supervisors' takeovers among them.
package workroom

import (
	"switchboard/component/desk/command"
	"switchboard/component/desk/core"
	"switchboard/component/texts"
)

// Desk handles the rooms' side of the desk's state; it runs on the
// desk's actor.
type Desk struct{ *core.Desk }

// A command of the room's table (component/desk/command); /help is
// generated from it.
type cmd = command.Command[cmdCtx]

// cmdCtx is who runs a command, and in which conversation's room.
type cmdCtx struct {
	d   *Desk
	jid string // the agent's bare JID
	c   *core.Conv
}

// on adapts a command's function to the table.
func on(f func(d *Desk, x cmdCtx, args string) string) func(cmdCtx, string) string {
	return func(x cmdCtx, args string) string { return f(x.d, x, args) }
}

// t is text key in the agents' language.
func (d *Desk) t(key texts.Key, a texts.A) string { return d.Staff().Get(key, a) }
