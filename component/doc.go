// Package component is switchboard itself: an XMPP external component
// (XEP-0114) that answers customers at the entry-point JIDs, runs the dialog,
// routes conversations to agents, gives each conversation a MUC room
// (XEP-0045) and relays between the customer and the room. It is the only
// package that speaks XMPP; it owns its state in one goroutine (the desk's
// actor loop) and records every step in the store before acting on it.
package component
