// Package link is switchboard's connection to the XMPP server: the
// XEP-0114 component session, kept up with reconnects and backoff; the
// splitter under it that hands messages and presence over undecoded by
// encoding/xml; the ordered send queue; the IQ mux for the queries the
// component answers, and IQ round trips (room configuration, client
// discovery). It knows nothing of conversations: what arrives goes to a
// Handler, what leaves comes through Send.
package link
