// Package report sums up the conversations that ended in a span of time,
// by queue, agent or day: offered, answered, abandoned, waits, first
// replies, handle times and ratings. It reads the store's ended
// conversations (store.Tx.EachEnded) and nothing else.
package report
