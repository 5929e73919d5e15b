// Package wire holds the XML shapes switchboard reads from and writes to the
// XMPP stream — messages and presence with their payloads (XEP-0045 MUC
// user data, XEP-0066 OOB, XEP-0203 delay, XEP-0115 caps, encryption
// markers), disco#info (XEP-0030) and software version (XEP-0092) — and a
// fast writer for the stanzas on the relay path.
package wire
