package workroom

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"switchboard/component/desk/core"
	"switchboard/component/desk/rooms"
	"switchboard/component/texts"
	"switchboard/component/wire"
)

// Every conversation that reaches a queue gets a room (XEP-0045): the desk
// joins it as the customer's stand-in, configures it, invites agents, and
// relays between the room and the customer.

// RoomPresence tracks the desk's own occupancy and everyone else's.
func (d *Desk) RoomPresence(s *wire.Stanza) {
	c := d.ByRoom[wire.Bare(s.From)]
	if c == nil {
		return
	}
	nick := wire.Resource(s.From)
	var item wire.MUCItem
	if s.MUCUser != nil && len(s.MUCUser.Items) > 0 {
		item = s.MUCUser.Items[0]
	}
	if nick == c.Room.Nick && (s.MUCUser.HasStatus("110") || item.JID == d.OccupantJID() || s.Type == "error") {
		d.selfPresence(c, s)
		return
	}
	real := wire.Bare(item.JID)
	if s.Type == "unavailable" {
		delete(c.Room.Occupants, nick)
		if real != "" && real == c.Rec.Agent && c.Rec.Open() && !c.Room.Has(real) {
			if slices.Contains(core.Handling, c.Rec.Status) {
				d.AgentLeft(c, real)
			} else {
				st := d.Step(c)
				st.Same = true
				st.Event(real, "left-room", "")
				st.Commit()
			}
		}
		return
	}
	if s.Type != "" || real == "" {
		return
	}
	if _, known := c.Room.Occupants[nick]; known {
		return
	}
	c.Room.Occupants[nick] = real
	isAgent := d.Roster.Is(real)
	if c.Room.Ready && (c.Room.Consultants[real] || (!isAgent && d.IsSupervisor(real))) && real != c.Rec.Agent {
		// A supervisor stepping in sees what an agent joining would.
		d.Send(d.Notice(c, d.Recap(c, d.t(texts.RecapSupervising, texts.A{"agent": d.AgentName(real)}))))
		return
	}
	if isAgent && c.Room.Ready {
		// While the desk itself is still joining, the room lists who is
		// there already: roomConfigured looks at them once, together.
		d.AgentJoined(c, real)
	}
}

func (d *Desk) selfPresence(c *core.Conv, s *wire.Stanza) {
	switch s.Type {
	case "error":
		c.Room.Joined = false
		e := wire.StanzaError{Condition: "undefined-condition"}
		if s.Error != nil {
			e = wire.StanzaError{Type: s.Error.Type, Condition: s.Error.Condition(), Text: s.Error.Text}
		}
		d.RoomFailed(c, "join", e)
	case "unavailable":
		c.Room.Joined, c.Room.Ready = false, false
		if s.MUCUser != nil && s.MUCUser.Destroy != nil {
			return
		}
		if c.Rec.Open() && d.Online {
			d.Log.Warn("desk left a room it should be in; joining again", "room", c.Room.JID)
			d.Send(d.JoinRoom(c))
		}
	default:
		if c.Room.Joined {
			return
		}
		c.Room.Joined = true
		id, room := c.Rec.ID, c.Room.JID
		fields := d.Rooms.Fields(id)
		from := d.Cfg.XMPP.Domain
		d.Spawn(func() core.Event {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			return core.EvRoomConfigured{ID: id, Err: d.Link.ConfigureRoom(ctx, from, room, fields)}
		})
	}
}

// RoomConfigured runs once the room of id is ready for agents.
func (d *Desk) RoomConfigured(id uint64, err error) {
	c := d.Convs[id]
	if c == nil {
		return
	}
	if err != nil {
		// An unconfigured room stays locked: leave, and join again later.
		d.Send(d.LeaveRoom(c))
		d.RoomFailed(c, "configure", rooms.AsStanzaError(err))
		return
	}
	c.Room.Ready = true
	d.RoomWorks(c)
	if c.Rec.Room == "" {
		c.Rec.Room = c.Room.JID
		st := d.Step(c)
		st.Event("desk", "room", c.Room.JID)
		st.Commit()
	}
	resumed := c.Resumed
	c.Resumed = false
	waiting := c.Rec.Status == core.Queued || c.Rec.Status == core.Offered
	if agent := d.agentInRoom(c); agent != "" && waiting && agent != c.Rec.Agent {
		// There before the desk came back: an invitation from before a
		// restart still counts.
		d.AgentJoined(c, agent)
		return
	}
	if resumed && c.Rec.Open() && d.agentInRoom(c) != "" {
		// Whatever was committed just before the restart may not have
		// reached the room: one recap for whoever is there.
		d.Send(d.Notice(c, d.Recap(c, d.t(texts.RecapRestart, nil))))
	}
	if waiting && !d.Router.Waiting(id) && !c.Scheduled(d.Now()) {
		d.Router.Enqueue(&c.Route)
		d.RouteSoon = true
	}
	d.CheckAgentPresent(c)
}

// agentInRoom returns an agent in the room of c: the one it was offered
// to or a named transfer's, when there, else the first by nick.
func (d *Desk) agentInRoom(c *core.Conv) string {
	for _, a := range append(slices.Clone(c.OfferedTo()), c.Route.Agent, c.Rec.Agent) {
		if a != "" && c.Room.Has(a) {
			return a
		}
	}
	for _, nick := range slices.Sorted(maps.Keys(c.Room.Occupants)) {
		if d.Roster.Is(c.Room.Occupants[nick]) {
			return c.Room.Occupants[nick]
		}
	}
	return ""
}

// RoomMessage handles groupchat and invitation traffic from a room.
func (d *Desk) RoomMessage(s *wire.Stanza) {
	c := d.ByRoom[wire.Bare(s.From)]
	if c == nil {
		return
	}
	if s.Type == "error" {
		cond := ""
		if s.Error != nil {
			cond = s.Error.Condition()
		}
		d.Log.Warn("room refused a message", "room", c.Room.JID, "condition", cond)
		return
	}
	if s.MUCUser != nil && s.MUCUser.Decline != nil {
		d.OfferLapsed(c.Rec.ID, wire.Bare(s.MUCUser.Decline.From), "declined", s.MUCUser.Decline.Reason)
		return
	}
	if s.Type != "groupchat" || s.Delay != nil {
		return // private messages to the desk's occupant, and history replays
	}
	nick := wire.Resource(s.From)
	if nick == "" || nick == c.Room.Nick {
		return // the room itself, or the echo of the desk's own message
	}
	body := strings.TrimSpace(s.Body)
	url := ""
	if s.OOB != nil {
		url = strings.TrimSpace(s.OOB.URL)
	}
	if body == "" && url == "" {
		return
	}
	real := c.Room.Occupants[nick]
	isAgent := d.Roster.Is(real)
	isAgent = isAgent || (real != "" && real == c.Rec.Agent) // a supervisor who took it over
	switch {
	case strings.HasPrefix(body, d.Cfg.Desk.PrivatePrefix):
		st := d.Step(c)
		st.Same = true
		st.Message(actorOr(real, nick), body, url, true)
		st.Event(actorOr(real, nick), "note", "")
		st.Commit()
	case strings.HasPrefix(body, "/"), isBangCommand(body):
		d.roomCommand(c, real, nick, body)
	case c.Room.Consultants[real] && real != c.Rec.Agent, !isAgent && d.IsSupervisor(real):
		d.Send(d.Note(c, texts.Supervising, nil))
	case !isAgent:
		d.Metrics.BadInput.WithLabelValues("not_agent").Inc()
		d.Log.Info("message in a room from someone who is not an agent; not relayed", "room", c.Room.JID)
	case !c.Rec.Open():
		d.Send(d.Note(c, texts.ClosedHere, nil))
	default:
		d.relayOut(c, real, body, url)
	}
}

// relayOut records an agent's message and sends it to the customer.
// A conversation whose channel carries nothing back (a voicemail) keeps
// the line as a private note and tells the room how else to answer.
func (d *Desk) relayOut(c *core.Conv, agent, body, url string) {
	st := d.Step(c)
	if !d.Answerable(c) {
		st.Same = true
		st.Message(agent, body, url, true)
		st.Event(agent, "note", "no way back")
		st.Send(d.Notice(c, d.noWayBack(c)))
		st.Commit()
		return
	}
	st.Same = !d.AgentAnswered(c)
	d.AgentSpoke(c)
	st.Message(agent, body, url, false)
	st.Event(agent, "message-out", "")
	st.ToCustomer(body, url)
	d.Metrics.Relayed.WithLabelValues("out").Inc()
	st.Commit()
}

func actorOr(real, nick string) string {
	if real != "" {
		return real
	}
	return "nick:" + nick
}
