// Package webhooks tells the [[webhook]]s what each step of a
// conversation did: it was created, queued, assigned, closed, rated, or a
// message was written to or by the customer. Each call is an outbox entry
// of the same step, so that what is committed is told exactly once, after
// the commit, with one webhook-id for every attempt. Private notes are
// never told.
package webhooks
