// Package prosody runs a throwaway Prosody XMPP server as a plain process on
// loopback: a config rendered from a template into its own directory, free
// ports, registered users, and a clean stop. The integration tests, the load
// generator and `switchboard dev` all use it.
package prosody
