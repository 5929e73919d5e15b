package desk

import "switchboard/component/desk/command"

// A command of the agents' chat table (component/desk/command); help is
// generated from it.
type cmd = command.Command[cmdCtx]

// cmdCtx is who runs a chat command.
type cmdCtx struct {
	d   *Desk
	jid string // the agent's bare JID
}

// on adapts a command's function to the table.
func on(f func(d *Desk, x cmdCtx, args string) string) func(cmdCtx, string) string {
	return func(x cmdCtx, args string) string { return f(x.d, x, args) }
}

// truncate cuts s to n bytes on a rune boundary, with "…" when it cut.
func truncate(s string, n int) string { return command.Truncate(s, n) }
