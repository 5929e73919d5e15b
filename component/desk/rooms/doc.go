// Package rooms is what the desk knows of its conversations' rooms
// (XEP-0045) and the stanzas it sends them: joining and leaving as the
// customer's stand-in, the room configuration it asks for, posts and
// notices (with the echo id the link drops the room's copy by),
// memberships, invitations, and the policy for a room the server
// refuses: backoff, the conditions counted, the hint for an operator.
package rooms
