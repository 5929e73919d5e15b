// Package store keeps switchboard's records in bbolt: conversations, their
// timeline and transcript, customers and agents, under a schema version.
// Writes go through one committer goroutine that groups them into a single
// transaction and reports back only after the commit, so the component acts
// on nothing that is not on disk. It is the only package that touches bbolt.
package store
