package rooms

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"switchboard/component/wire"
)

// A room the server will not let the desk into (or configure) must not
// strand its conversation: the desk tries again with backoff for as long
// as the conversation lives, and after a minute tells the desk's admins
// (with the server setting that is missing, when the refusal says) and
// the customer.

const (
	// TellAfter is how long a room fails before admins and the customer
	// are told.
	TellAfter = time.Minute
	// maxBackoff bounds the wait between two attempts.
	maxBackoff = time.Minute
)

// Conditions are the conditions counted by name in
// switchboard_room_failures_total; any other counts as "other".
var Conditions = []string{"bad-request", "conflict", "forbidden", "gone", "internal-server-error", "item-not-found",
	"jid-malformed", "not-acceptable", "not-allowed", "not-authorized", "policy-violation", "recipient-unavailable",
	"registration-required", "remote-server-not-found", "remote-server-timeout", "resource-constraint",
	"service-unavailable", "undefined-condition", "timeout", "not-connected", "other"}

// Label is the metric label of a refusal's condition.
func Label(condition string) string {
	if slices.Contains(Conditions, condition) {
		return condition
	}
	return "other"
}

// Failed records one refusal at now: it returns how long to wait before
// the next attempt, and whether admins and the customer are to be told
// now (once per spell).
func (r *Room) Failed(now time.Time, e wire.StanzaError) (wait time.Duration, tell bool) {
	r.Joined, r.Ready = false, false
	r.Attempts++
	if r.FailingSince.IsZero() {
		r.FailingSince = now
	}
	r.Failure = e
	wait = min(time.Second<<min(r.Attempts-1, 16), maxBackoff)
	if !r.Told && now.Sub(r.FailingSince) >= TellAfter {
		r.Told = true
		tell = true
	}
	return wait, tell
}

// Works ends a spell of failures: it returns how many attempts failed
// and since when.
func (r *Room) Works() (failed int, since time.Time) {
	failed, since = r.Attempts, r.FailingSince
	r.Attempts, r.FailingSince, r.Failure, r.Told = 0, time.Time{}, wire.StanzaError{}, false
	return failed, since
}

// Hint says which server setting a refusal that waiting cannot cure
// points to, or "".
func Hint(condition, domain string) string {
	switch condition {
	case "forbidden", "not-allowed", "registration-required", "not-authorized":
		return fmt.Sprintf("The MUC service does not let the desk create or enter rooms: on Prosody, restrict_room_creation = true with admins = { %q } on the MUC component; on ejabberd, access_create and access_admin for %s in mod_muc.", domain, domain)
	case "resource-constraint":
		return fmt.Sprintf("The server limits the rooms one JID may be in: on ejabberd, give %s access_admin in mod_muc (service admins are not held to max_user_conferences).", domain)
	}
	return ""
}

// AsStanzaError is what a failed round trip says, as a stanza error.
func AsStanzaError(err error) wire.StanzaError {
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
