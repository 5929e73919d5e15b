package desk

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"switchboard/component/desk/rooms"
	"switchboard/component/wire"
)

// Every conversation that reaches a queue gets a room (XEP-0045): the desk
// joins it as the customer's stand-in, configures it, invites agents, and
// relays between the room and the customer.

func (d *Desk) occupantJID() string { return d.muc.Occupant() }

func (d *Desk) convName(c *conv) string { return d.muc.Name(c.rec.ID) }

// joinRoom renders the presence that joins (and creates) the room of c,
// registering the room first.
func (d *Desk) joinRoom(c *conv) string {
	if d.muc.Register(&c.room, c.rec.ID, rooms.NickFor(c.rec.Customer)) {
		d.byRoom[c.room.JID] = c
	}
	return d.muc.Join(&c.room)
}

func (d *Desk) leaveRoom(c *conv) string { return d.muc.Leave(&c.room) }

// groupchat renders a message the desk posts in the room of c.
func (d *Desk) groupchat(c *conv, body, url string) string { return d.muc.Post(&c.room, body, url) }

// notice renders a desk notice in the room.
func (d *Desk) notice(c *conv, body string) string { return d.muc.Notice(&c.room, body) }

func (d *Desk) setAffiliation(c *conv, jid, affiliation string) string {
	return d.muc.Affiliation(&c.room, jid, affiliation)
}

func (d *Desk) invite(c *conv, jid, reason string) string { return d.muc.Invite(&c.room, jid, reason) }

// forget drops a conversation that has ended from the desk's memory and
// renders what takes the desk out of its room.
func (d *Desk) forget(c *conv, why string) []string {
	var out []string
	if c.room.JID != "" {
		switch {
		case !c.room.Joined && c.rec.Room == "":
			// Never created.
		case d.cfg.Desk.KeepRooms:
			if c.room.Joined {
				out = append(out, d.leaveRoom(c))
			}
		default:
			out = append(out, d.muc.Destroy(&c.room, why))
		}
	}
	delete(d.byCustomer, c.customerKey())
	delete(d.byRoom, c.room.JID)
	delete(d.convs, c.rec.ID)
	return out
}

// roomPresence tracks the desk's own occupancy and everyone else's.
func (d *Desk) roomPresence(s *wire.Stanza) {
	c := d.byRoom[wire.Bare(s.From)]
	if c == nil {
		return
	}
	nick := wire.Resource(s.From)
	var item wire.MUCItem
	if s.MUCUser != nil && len(s.MUCUser.Items) > 0 {
		item = s.MUCUser.Items[0]
	}
	if nick == c.room.Nick && (s.MUCUser.HasStatus("110") || item.JID == d.occupantJID() || s.Type == "error") {
		d.selfPresence(c, s)
		return
	}
	real := wire.Bare(item.JID)
	if s.Type == "unavailable" {
		delete(c.room.Occupants, nick)
		if real != "" && real == c.rec.Agent && c.rec.Open() && !c.room.Has(real) {
			if slices.Contains(handling, c.rec.Status) {
				d.agentLeft(c, real)
			} else {
				st := d.step(c)
				st.same = true
				st.event(real, "left-room", "")
				st.commit()
			}
		}
		return
	}
	if s.Type != "" || real == "" {
		return
	}
	if _, known := c.room.Occupants[nick]; known {
		return
	}
	c.room.Occupants[nick] = real
	isAgent := d.roster.Is(real)
	if c.room.Ready && (c.room.Consultants[real] || (!isAgent && d.isSupervisor(real))) && real != c.rec.Agent {
		// A supervisor stepping in sees what an agent joining would.
		d.send(d.notice(c, d.recap(c, "for "+d.agentName(real)+" (supervising)")))
		return
	}
	if isAgent && c.room.Ready {
		// While the desk itself is still joining, the room lists who is
		// there already: roomConfigured looks at them once, together.
		d.agentJoined(c, real)
	}
}

func (d *Desk) selfPresence(c *conv, s *wire.Stanza) {
	switch s.Type {
	case "error":
		c.room.Joined = false
		e := wire.StanzaError{Condition: "undefined-condition"}
		if s.Error != nil {
			e = wire.StanzaError{Type: s.Error.Type, Condition: s.Error.Condition(), Text: s.Error.Text}
		}
		d.roomFailed(c, "join", e)
	case "unavailable":
		c.room.Joined, c.room.Ready = false, false
		if s.MUCUser != nil && s.MUCUser.Destroy != nil {
			return
		}
		if c.rec.Open() && d.connected {
			d.log.Warn("desk left a room it should be in; joining again", "room", c.room.JID)
			d.send(d.joinRoom(c))
		}
	default:
		if c.room.Joined {
			return
		}
		c.room.Joined = true
		id, room := c.rec.ID, c.room.JID
		fields := d.muc.Fields(id)
		from := d.cfg.XMPP.Domain
		d.spawn(func() event {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			return evRoomConfigured{id: id, err: d.link.ConfigureRoom(ctx, from, room, fields)}
		})
	}
}

// roomConfigured runs once the room of id is ready for agents.
func (d *Desk) roomConfigured(id uint64, err error) {
	c := d.convs[id]
	if c == nil {
		return
	}
	if err != nil {
		// An unconfigured room stays locked: leave, and join again later.
		d.send(d.leaveRoom(c))
		d.roomFailed(c, "configure", rooms.AsStanzaError(err))
		return
	}
	c.room.Ready = true
	d.roomWorks(c)
	if c.rec.Room == "" {
		c.rec.Room = c.room.JID
		st := d.step(c)
		st.event("desk", "room", c.room.JID)
		st.commit()
	}
	resumed := c.resumed
	c.resumed = false
	waiting := c.rec.Status == queued || c.rec.Status == offered
	if agent := d.agentInRoom(c); agent != "" && waiting && agent != c.rec.Agent {
		// There before the desk came back: an invitation from before a
		// restart still counts.
		d.agentJoined(c, agent)
		return
	}
	if resumed && c.rec.Open() && d.agentInRoom(c) != "" {
		// Whatever was committed just before the restart may not have
		// reached the room: one recap for whoever is there.
		d.send(d.notice(c, d.recap(c, "after a restart of the desk")))
	}
	if waiting && !d.router.Waiting(id) && !c.scheduled(d.now()) {
		d.router.Enqueue(&c.route)
		d.routeSoon = true
	}
	d.checkAgentPresent(c)
}

// agentInRoom returns an agent in the room of c: the one it was offered
// to or a named transfer's, when there, else the first by nick.
func (d *Desk) agentInRoom(c *conv) string {
	for _, a := range append(slices.Clone(c.offeredTo()), c.route.Agent, c.rec.Agent) {
		if a != "" && c.room.Has(a) {
			return a
		}
	}
	for _, nick := range slices.Sorted(maps.Keys(c.room.Occupants)) {
		if d.roster.Is(c.room.Occupants[nick]) {
			return c.room.Occupants[nick]
		}
	}
	return ""
}

// roomMessage handles groupchat and invitation traffic from a room.
func (d *Desk) roomMessage(s *wire.Stanza) {
	c := d.byRoom[wire.Bare(s.From)]
	if c == nil {
		return
	}
	if s.Type == "error" {
		cond := ""
		if s.Error != nil {
			cond = s.Error.Condition()
		}
		d.log.Warn("room refused a message", "room", c.room.JID, "condition", cond)
		return
	}
	if s.MUCUser != nil && s.MUCUser.Decline != nil {
		d.offerLapsed(c.rec.ID, wire.Bare(s.MUCUser.Decline.From), "declined", s.MUCUser.Decline.Reason)
		return
	}
	if s.Type != "groupchat" || s.Delay != nil {
		return // private messages to the desk's occupant, and history replays
	}
	nick := wire.Resource(s.From)
	if nick == "" || nick == c.room.Nick {
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
	real := c.room.Occupants[nick]
	isAgent := d.roster.Is(real)
	isAgent = isAgent || (real != "" && real == c.rec.Agent) // a supervisor who took it over
	switch {
	case strings.HasPrefix(body, d.cfg.Desk.PrivatePrefix):
		st := d.step(c)
		st.same = true
		st.message(actorOr(real, nick), body, url, true)
		st.event(actorOr(real, nick), "note", "")
		st.commit()
	case strings.HasPrefix(body, "/"), isBangCommand(body):
		d.roomCommand(c, real, nick, body)
	case c.room.Consultants[real] && real != c.rec.Agent, !isAgent && d.isSupervisor(real):
		d.send(d.notice(c, "You are supervising: the customer does not get your lines. /takeover to answer them yourself, // for a note."))
	case !isAgent:
		d.metrics.badInput.WithLabelValues("not_agent").Inc()
		d.log.Info("message in a room from someone who is not an agent; not relayed", "room", c.room.JID)
	case !c.rec.Open():
		d.send(d.notice(c, "This conversation is closed; the customer does not get messages from here."))
	default:
		d.relayOut(c, real, body, url)
	}
}

// relayOut records an agent's message and sends it to the customer.
func (d *Desk) relayOut(c *conv, agent, body, url string) {
	st := d.step(c)
	st.same = !d.agentAnswered(c)
	d.agentSpoke(c)
	st.message(agent, body, url, false)
	st.event(agent, "message-out", "")
	st.send(wire.Message{From: c.rec.Entry + "@" + d.cfg.XMPP.Domain, To: c.to(), Type: "chat", Body: body, URL: url}.String())
	d.metrics.relayed.WithLabelValues("out").Inc()
	st.commit()
}

func actorOr(real, nick string) string {
	if real != "" {
		return real
	}
	return "nick:" + nick
}
