// Package agents is the desk's roster of agents: the config file's, with
// those added, changed or removed at runtime over them (kept in the
// store), whether each approved the desk's presence subscription, and
// the presence stanzas between the desk's JID and its agents. The desk's
// actor owns a Roster; nothing here is safe for concurrent use.
package agents
