package desk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"switchboard/component/wire"
)

// A room the server will not let the desk into (or configure) must not
// strand its conversation: the desk tries again with backoff for as long
// as the conversation lives, and after a minute tells the desk's admins
// (with the server setting that is missing, when the refusal says) and
// the customer. Routing takes the conversation as soon as its room works.

const (
	// tellAfter is how long a room fails before admins and the customer
	// are told.
	tellAfter = time.Minute
	// maxJoinBackoff bounds the wait between two attempts.
	maxJoinBackoff = time.Minute
)

// roomConditions are the conditions counted by name in
// switchboard_room_failures_total; any other counts as "other".
var roomConditions = []string{"bad-request", "conflict", "forbidden", "gone", "internal-server-error", "item-not-found",
	"jid-malformed", "not-acceptable", "not-allowed", "not-authorized", "policy-violation", "recipient-unavailable",
	"registration-required", "remote-server-not-found", "remote-server-timeout", "resource-constraint",
	"service-unavailable", "undefined-condition", "timeout", "not-connected", "other"}

// roomFailed handles one refused join ("join") or configuration
// ("configure") of the room of c.
func (d *Desk) roomFailed(c *conv, stage string, e wire.StanzaError) {
	now := d.now()
	c.room.joined, c.room.ready = false, false
	c.room.attempts++
	if c.room.failingSince.IsZero() {
		c.room.failingSince = now
	}
	c.room.failure = e
	label := e.Condition
	if !slices.Contains(roomConditions, label) {
		label = "other"
	}
	d.metrics.roomFailures.WithLabelValues(label).Inc()
	d.log.Error("the server refused the desk's room", "room", c.room.jid, "stage", stage,
		"condition", e.Condition, "text", e.Text, "attempt", c.room.attempts, "missing", roomHint(e.Condition, d.cfg.XMPP.Domain))
	if _, live := d.convs[c.rec.ID]; !live {
		return
	}
	wait := min(time.Second<<min(c.room.attempts-1, 16), maxJoinBackoff)
	d.after(wait, timerRoomJoin, c.rec.ID, "")
	if !c.room.told && now.Sub(c.room.failingSince) >= tellAfter {
		c.room.told = true
		d.tellRoomFailure(c)
	}
}

// roomWorks ends a spell of failures: the room is joined and configured.
func (d *Desk) roomWorks(c *conv) {
	if c.room.attempts > 0 {
		d.log.Info("the desk's room works again", "room", c.room.jid, "failed", c.room.attempts, "for", d.now().Sub(c.room.failingSince).Round(time.Second))
	}
	c.room.attempts, c.room.failingSince, c.room.failure, c.room.told = 0, time.Time{}, wire.StanzaError{}, false
}

// tellRoomFailure tells the admins, and the customer of a conversation
// still open, that the room has been failing for a while.
func (d *Desk) tellRoomFailure(c *conv) {
	var out []string
	text := fmt.Sprintf("%s waits for its room: the server has refused it %d times since %s (%s).",
		d.convName(c), c.room.attempts, c.room.failingSince.Format("15:04:05"), c.room.failure.Error())
	if hint := roomHint(c.room.failure.Condition, d.cfg.XMPP.Domain); hint != "" {
		text += " " + hint
	}
	text += " The desk keeps trying; the customer is routed as soon as the room works."
	for _, a := range d.cfg.Desk.Admins {
		out = append(out, d.deskChat(a, text))
	}
	st := d.step(c)
	st.same = true
	st.event("desk", "room-failing", c.room.failure.Error())
	st.send(out...)
	if c.rec.Open() {
		st.tell("Sorry, connecting you to an agent takes longer than usual. Please stay with us: you keep your place.")
	}
	st.commit()
}

// roomHint says which server setting a refusal that waiting cannot cure
// points to, or "".
func roomHint(condition, domain string) string {
	switch condition {
	case "forbidden", "not-allowed", "registration-required", "not-authorized":
		return fmt.Sprintf("The MUC service does not let the desk create or enter rooms: on Prosody, restrict_room_creation = true with admins = { %q } on the MUC component; on ejabberd, access_create and access_admin for %s in mod_muc.", domain, domain)
	case "resource-constraint":
		return fmt.Sprintf("The server limits the rooms one JID may be in: on ejabberd, give %s access_admin in mod_muc (service admins are not held to max_user_conferences).", domain)
	}
	return ""
}

// asStanzaError is what a failed round trip says, as a stanza error.
func asStanzaError(err error) wire.StanzaError {
	var e wire.StanzaError
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, wire.ErrNotConnected):
		return wire.StanzaError{Type: "wait", Condition: "not-connected", Text: err.Error()}
	case errors.Is(err, context.DeadlineExceeded):
		return wire.StanzaError{Type: "wait", Condition: "timeout", Text: err.Error()}
	}
	return wire.StanzaError{Type: "cancel", Condition: "undefined-condition", Text: err.Error()}
}

// failingRooms lists the rooms the server refuses now, for agents' and
// admins' status.
func (d *Desk) failingRooms() string {
	var parts []string
	for _, id := range slices.Sorted(maps.Keys(d.convs)) {
		c := d.convs[id]
		if c.room.attempts > 0 {
			parts = append(parts, fmt.Sprintf("%s (%s since %s, %d attempts)", d.convName(c), c.room.failure.Condition, c.room.failingSince.Format("15:04:05"), c.room.attempts))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "Rooms the server refuses: " + strings.Join(parts, "; ")
}
