package core

import (
	"maps"
	"slices"
	"strings"
	"time"

	"switchboard/component/desk/rooms"
	"switchboard/component/texts"
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
	hint := rooms.Hint(c.Room.Failure.Condition, d.Cfg.XMPP.Domain)
	if hint != "" {
		hint = " " + hint
	}
	text := d.Staff().Get(texts.RoomFailing, texts.A{"name": d.ConvName(c), "n": c.Room.Attempts, "since": c.Room.FailingSince.Format("15:04:05"),
		"error": c.Room.Failure.Error(), "hint": hint})
	for _, a := range d.Cfg.Desk.Admins {
		out = append(out, d.DeskChat(a, text))
	}
	st := d.Step(c)
	st.Same = true
	st.Event("desk", "room-failing", c.Room.Failure.Error())
	st.Send(out...)
	if c.Rec.Open() {
		st.Say(texts.RoomSlow, nil)
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
			parts = append(parts, d.Staff().Get(texts.RoomRefused, texts.A{"name": d.ConvName(c), "condition": c.Room.Failure.Condition,
				"since": c.Room.FailingSince.Format("15:04:05"), "n": c.Room.Attempts}))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return d.Staff().Get(texts.RoomsRefused, texts.A{"rooms": strings.Join(parts, "; ")})
}
