package rooms

import (
	"time"

	"switchboard/component/wire"
)

// Room is what the desk knows of one conversation's room.
type Room struct {
	JID       string            // room bare JID; "" until it is registered
	Nick      string            // the desk's nick in it (the customer's name)
	Joined    bool              // our occupant is in the room
	Ready     bool              // configured
	Occupants map[string]string // nick → real bare JID of everyone else
	// Consultants are supervisors who came in with "join N": in the room
	// as onlookers, whatever routing thinks of them.
	Consultants map[string]bool
	// A spell of failures: joins or configurations the server refused in
	// a row, since when, the last refusal, and whether admins and the
	// customer were told.
	Attempts     int
	FailingSince time.Time
	Failure      wire.StanzaError
	Told         bool
}

// Has reports whether jid (a bare JID) is in the room.
func (r *Room) Has(jid string) bool {
	for _, real := range r.Occupants {
		if real == jid {
			return true
		}
	}
	return false
}

// Attended reports whether anyone but the desk is in the room to read
// what is posted there.
func (r *Room) Attended() bool { return r.JID != "" && r.Joined && len(r.Occupants) > 0 }

// Consult lets a supervisor into the room as an onlooker.
func (r *Room) Consult(jid string) {
	if r.Consultants == nil {
		r.Consultants = map[string]bool{}
	}
	r.Consultants[jid] = true
}

// Gone forgets who was in the room: the desk is out of it (the server
// connection ended, or it is joining again).
func (r *Room) Gone() {
	r.Joined, r.Ready = false, false
	clear(r.Occupants)
}

// NickFor is the name a customer's messages appear under: the local part
// of their address.
func NickFor(bare string) string {
	n := wire.Local(bare)
	if n == "" {
		n = "customer"
	}
	return n
}
