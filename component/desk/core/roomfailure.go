package core

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

// RoomFailed handles one refused join ("join") or configuration
// ("configure") of the room of c.
func (d *Desk) RoomFailed(c *Conv, stage string, e wire.StanzaError) {
	wait, tell := c.Room.Failed(d.Now(), e)
	d.Metrics.RoomFailures.WithLabelValues(rooms.Label(e.Condition)).Inc()
	d.Log.Error("the server refused the desk's room", "room", c.Room.JID, "stage", stage,
		"condition", e.Condition, "text", e.Text, "attempt", c.Room.Attempts, "missing", rooms.Hint(e.Condition, d.Cfg.XMPP.Domain))
	if _, live := d.Convs[c.Rec.ID]; !live {
		return
	}
	d.After(wait, TimerRoomJoin, c.Rec.ID, "")
	if tell {
		d.tellRoomFailure(c)
	}
}

// RoomWorks ends a spell of failures: the room is joined and configured.
func (d *Desk) RoomWorks(c *Conv) {
	if failed, since := c.Room.Works(); failed > 0 {
		d.Log.Info("the desk's room works again", "room", c.Room.JID, "failed", failed, "for", d.Now().Sub(since).Round(time.Second))
	}
}

// tellRoomFailure tells the admins, and the customer of a conversation
// still open, that the room has been failing for a while.
func (d *Desk) tellRoomFailure(c *Conv) {
	var out []string
	text := fmt.Sprintf("%s waits for its room: the server has refused it %d times since %s (%s).",
		d.ConvName(c), c.Room.Attempts, c.Room.FailingSince.Format("15:04:05"), c.Room.Failure.Error())
	if hint := rooms.Hint(c.Room.Failure.Condition, d.Cfg.XMPP.Domain); hint != "" {
		text += " " + hint
	}
	text += " The desk keeps trying; the customer is routed as soon as the room works."
	for _, a := range d.Cfg.Desk.Admins {
		out = append(out, d.DeskChat(a, text))
	}
	st := d.Step(c)
	st.Same = true
	st.Event("desk", "room-failing", c.Room.Failure.Error())
	st.Send(out...)
	if c.Rec.Open() {
		st.Tell("Sorry, connecting you to an agent takes longer than usual. Please stay with us: you keep your place.")
	}
	st.Commit()
}

// FailingRooms lists the rooms the server refuses now, for agents' and
// admins' status.
func (d *Desk) FailingRooms() string {
	var parts []string
	for _, id := range slices.Sorted(maps.Keys(d.Convs)) {
		c := d.Convs[id]
		if c.Room.Attempts > 0 {
			parts = append(parts, fmt.Sprintf("%s (%s since %s, %d attempts)", d.ConvName(c), c.Room.Failure.Condition, c.Room.FailingSince.Format("15:04:05"), c.Room.Attempts))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "Rooms the server refuses: " + strings.Join(parts, "; ")
}
