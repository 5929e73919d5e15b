// Package xmppclient is a small XMPP client (c2s with SASL, mellium
// underneath) that stands in for a customer's or an agent's stock client in
// switchboard's integration tests and load generator: it logs in, sends
// initial presence, answers disco#info and version queries, approves
// subscription requests and hands every message and presence to the caller.
package xmppclient
