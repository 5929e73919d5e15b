// Package presence tracks switchboard's agents: every resource's XMPP show,
// priority and client features, and whether the agent has paused. It answers
// one question for routing — who can take a conversation now — and is pure
// Go: it never sees a stanza, only the facts the component extracted.
package presence
