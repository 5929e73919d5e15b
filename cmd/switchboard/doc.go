// Command switchboard runs the switchboard customer-service desk, an XMPP
// external component. See README.md.
package main
