// Package ratelimit keeps token buckets of customers' messages, per bare
// JID and per domain, so that neither one JID nor one server can flood the
// desk; refusals are to be answered at most once a second per bucket.
package ratelimit
