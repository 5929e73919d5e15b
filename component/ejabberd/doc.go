// Package ejabberd runs a throwaway ejabberd XMPP server as a plain process
// on loopback, the way package prosody runs Prosody: a config rendered from
// a template into its own directory (spool, logs, Erlang cookie), free
// ports, users registered through its HTTP API on loopback, and a clean
// stop. Run as root, the server runs as the ejabberd user, which owns the
// directory. The integration tests and `switchboard dev -server ejabberd`
// use it.
package ejabberd
