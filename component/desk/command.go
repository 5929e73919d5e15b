package desk

import (
	"switchboard/component/desk/command"
	"switchboard/component/desk/core"
)

// A command of the desk's tables (component/desk/command): the room's
// /commands and the agents' chat commands; /help is generated from them.
type cmd = command.Command[cmdCtx]

// cmdCtx is who runs a command, and in which conversation's room.
type cmdCtx struct {
	d   *Desk
	jid string     // the agent's bare JID
	c   *core.Conv // nil outside a room
}

// on adapts a command's function to the table.
func on(f func(d *Desk, x cmdCtx, args string) string) func(cmdCtx, string) string {
	return func(x cmdCtx, args string) string { return f(x.d, x, args) }
}

// truncate cuts s to n bytes on a rune boundary, with "…" when it cut.
func truncate(s string, n int) string { return command.Truncate(s, n) }
