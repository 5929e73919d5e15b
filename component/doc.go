// Package component is switchboard, an XMPP external component (XEP-0114)
// that turns a server into a customer-service desk, wired together: the
// link to the server (component/link), the desk that owns every
// conversation (component/desk) and its HTTP side (component/api), over
// the store. It holds no desk state of its own: it builds the parts from a
// configuration, runs them, reloads the configuration and stops them in
// order.
package component
