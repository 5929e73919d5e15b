package desk

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"switchboard/component/desk/rooms"
	"switchboard/component/wire"
)

// A room the server will not let the desk into (or configure) must not
// strand its conversation: the desk tries again with backoff for as long
// as the conversation lives, and after a minute tells the desk's admins
// (with the server setting that is missing, when the refusal says) and
// the customer. Routing takes the conversation as soon as its room works.

// roomFailed handles one refused join ("join") or configuration
// ("configure") of the room of c.
func (d *Desk) roomFailed(c *conv, stage string, e wire.StanzaError) {
	wait, tell := c.room.Failed(d.now(), e)
	d.metrics.roomFailures.WithLabelValues(rooms.Label(e.Condition)).Inc()
	d.log.Error("the server refused the desk's room", "room", c.room.JID, "stage", stage,
		"condition", e.Condition, "text", e.Text, "attempt", c.room.Attempts, "missing", rooms.Hint(e.Condition, d.cfg.XMPP.Domain))
	if _, live := d.convs[c.rec.ID]; !live {
		return
	}
	d.after(wait, timerRoomJoin, c.rec.ID, "")
	if tell {
		d.tellRoomFailure(c)
	}
}

// roomWorks ends a spell of failures: the room is joined and configured.
func (d *Desk) roomWorks(c *conv) {
	if failed, since := c.room.Works(); failed > 0 {
		d.log.Info("the desk's room works again", "room", c.room.JID, "failed", failed, "for", d.now().Sub(since).Round(time.Second))
	}
}

// tellRoomFailure tells the admins, and the customer of a conversation
// still open, that the room has been failing for a while.
func (d *Desk) tellRoomFailure(c *conv) {
	var out []string
	text := fmt.Sprintf("%s waits for its room: the server has refused it %d times since %s (%s).",
		d.convName(c), c.room.Attempts, c.room.FailingSince.Format("15:04:05"), c.room.Failure.Error())
	if hint := rooms.Hint(c.room.Failure.Condition, d.cfg.XMPP.Domain); hint != "" {
		text += " " + hint
	}
	text += " The desk keeps trying; the customer is routed as soon as the room works."
	for _, a := range d.cfg.Desk.Admins {
		out = append(out, d.deskChat(a, text))
	}
	st := d.step(c)
	st.same = true
	st.event("desk", "room-failing", c.room.Failure.Error())
	st.send(out...)
	if c.rec.Open() {
		st.tell("Sorry, connecting you to an agent takes longer than usual. Please stay with us: you keep your place.")
	}
	st.commit()
}

// failingRooms lists the rooms the server refuses now, for agents' and
// admins' status.
func (d *Desk) failingRooms() string {
	var parts []string
	for _, id := range slices.Sorted(maps.Keys(d.convs)) {
		c := d.convs[id]
		if c.room.Attempts > 0 {
			parts = append(parts, fmt.Sprintf("%s (%s since %s, %d attempts)", d.convName(c), c.room.Failure.Condition, c.room.FailingSince.Format("15:04:05"), c.room.Attempts))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "Rooms the server refuses: " + strings.Join(parts, "; ")
}
