package component

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"switchboard/component/wire"
	"switchboard/store"
)

// occupantResource is the resource of the JID the desk joins rooms from;
// the bare part is the component's domain, which the MUC service must list
// among its admins so that the desk, and nobody else, may create rooms.
const occupantResource = "switchboard"

func (d *Desk) occupantJID() string { return d.cfg.XMPP.Domain + "/" + occupantResource }

func (d *Desk) roomJID(id uint64) string {
	return d.cfg.XMPP.RoomPrefix + strconv.FormatUint(id, 10) + "@" + d.cfg.XMPP.MUCService
}

var iqSeq atomic.Uint64

func newID(prefix string) string { return prefix + strconv.FormatUint(iqSeq.Add(1), 36) }

// joinRoom renders the presence that joins (and creates) the room of c.
func (d *Desk) joinRoom(c *conv) string {
	if c.room.jid == "" {
		c.room.jid = d.roomJID(c.rec.ID)
		c.room.nick = nickFor(c.rec.Customer)
		c.room.occupants = map[string]string{}
		d.byRoom[c.room.jid] = c
		d.occupants.Store(c.room.jid+"/"+c.room.nick, struct{}{})
	}
	return wire.JoinRoom(d.occupantJID(), c.room.jid+"/"+c.room.nick)
}

func (d *Desk) leaveRoom(c *conv) string {
	c.room.joined = false
	return wire.LeaveRoom(d.occupantJID(), c.room.jid+"/"+c.room.nick)
}

// nickFor is the name the customer's messages appear under.
func nickFor(bare string) string {
	n := wire.Local(bare)
	if n == "" {
		n = "customer"
	}
	return n
}

// groupchat renders a message the desk posts in the room of c.
func (d *Desk) groupchat(c *conv, body, url string) string {
	return wire.Message{From: d.occupantJID(), To: c.room.jid, Type: "groupchat", Body: body, URL: url}.String()
}

// notice renders a desk notice in the room.
func (d *Desk) notice(c *conv, body string) string {
	return d.groupchat(c, deskMarker+body, "")
}

// setAffiliation renders an admin IQ that makes jid a member or nobody.
func (d *Desk) setAffiliation(c *conv, jid, affiliation string) string {
	return wire.SetAffiliation(d.cfg.XMPP.Domain, c.room.jid, newID("aff"), jid, affiliation)
}

// invite renders a mediated invitation of jid into the room of c.
func (d *Desk) invite(c *conv, jid, reason string) string {
	return wire.Invite(d.occupantJID(), c.room.jid, jid, reason)
}

// destroyRoom renders the owner IQ that destroys the room of c.
func (d *Desk) destroyRoom(c *conv, reason string) string {
	return wire.DestroyRoom(d.cfg.XMPP.Domain, c.room.jid, newID("destroy"), reason)
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
	self := nick == c.room.nick && (s.MUCUser.HasStatus("110") || item.JID == d.occupantJID() || s.Type == "error")
	if self {
		d.selfPresence(c, s)
		return
	}
	real := wire.Bare(item.JID)
	if s.Type == "unavailable" {
		delete(c.room.occupants, nick)
		if real != "" && real == c.rec.Agent && c.rec.Open() {
			st := d.step(c)
			st.event(real, "left-room", "")
			st.commit()
		}
		return
	}
	if s.Type != "" || real == "" {
		return
	}
	if _, known := c.room.occupants[nick]; known {
		return
	}
	c.room.occupants[nick] = real
	if _, isAgent := d.agents[real]; isAgent {
		d.agentJoined(c, real)
	}
}

func (d *Desk) selfPresence(c *conv, s *wire.Stanza) {
	switch s.Type {
	case "error":
		c.room.joined = false
		c.room.attempts++
		cond := ""
		if s.Error != nil {
			cond = s.Error.Condition()
		}
		d.log.Error("joining room failed", "room", c.room.jid, "condition", cond, "attempt", c.room.attempts)
		if c.room.attempts < 5 && c.rec.Open() {
			id := c.rec.ID
			time.AfterFunc(time.Duration(c.room.attempts)*time.Second, func() {
				d.post(func() {
					if c := d.convs[id]; c != nil && !c.room.joined && d.connected {
						d.send(d.joinRoom(c))
					}
				})
			})
		}
	case "unavailable":
		c.room.joined, c.room.ready = false, false
		if s.MUCUser != nil && s.MUCUser.Destroy != nil {
			return
		}
		if c.rec.Open() && d.connected {
			d.log.Warn("desk left a room it should be in; joining again", "room", c.room.jid)
			d.send(d.joinRoom(c))
		}
	default:
		if c.room.joined {
			return
		}
		c.room.joined = true
		c.room.attempts = 0
		id, room := c.rec.ID, c.room.jid
		d.spawn(func() {
			err := d.configureRoom(room, id)
			d.post(func() { d.roomConfigured(id, err) })
		})
	}
}

// configureRoom fetches the room's configuration form and submits it
// members-only, non-anonymous, hidden and persistent. It runs on its own
// goroutine: it waits for the server's answers.
func (d *Desk) configureRoom(room string, id uint64) error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var form wire.RoomConfigForm
	if err := d.conn.sendIQ(ctx, wire.RoomConfigGet(d.cfg.XMPP.Domain, room, newID("cfg")), &form); err != nil {
		return fmt.Errorf("get room config: %w", err)
	}
	want := []wire.Field{
		{Var: "muc#roomconfig_roomname", Value: d.cfg.XMPP.RoomPrefix + strconv.FormatUint(id, 10)},
		{Var: "muc#roomconfig_roomdesc", Value: "switchboard conversation " + strconv.FormatUint(id, 10)},
		{Var: "muc#roomconfig_persistentroom", Value: "1"},
		{Var: "muc#roomconfig_publicroom", Value: "0"},
		{Var: "muc#roomconfig_membersonly", Value: "1"},
		{Var: "muc#roomconfig_whois", Value: "anyone"},
		{Var: "muc#roomconfig_allowinvites", Value: "0"},
		{Var: "{http://prosody.im/protocol/muc}roomconfig_allowmemberinvites", Value: "0"},
		{Var: "muc#roomconfig_changesubject", Value: "0"},
		{Var: "muc#roomconfig_moderatedroom", Value: "0"},
		// No history: Prosody copies every message into it (measured: half
		// its CPU per relayed message); the desk recaps from the store
		// whenever an agent joins instead.
		{Var: "muc#roomconfig_historylength", Value: "0"},
		{Var: "muc#roomconfig_defaulthistorymessages", Value: "0"},
	}
	fields := want[:0]
	for _, f := range want {
		if form.Has(f.Var) {
			fields = append(fields, f)
		}
	}
	if err := d.conn.sendIQ(ctx, wire.RoomConfigSubmit(d.cfg.XMPP.Domain, room, newID("cfg"), fields), nil); err != nil {
		return fmt.Errorf("set room config: %w", err)
	}
	return nil
}

// roomConfigured runs once the room of id is ready for agents.
func (d *Desk) roomConfigured(id uint64, err error) {
	c := d.convs[id]
	if c == nil {
		return
	}
	if err != nil {
		d.log.Error("configuring room failed", "room", c.room.jid, "err", err)
		// An unconfigured room stays locked; leave and try once more later.
		c.room.attempts++
		if c.room.attempts < 5 {
			d.send(d.leaveRoom(c))
			time.AfterFunc(2*time.Second, func() {
				d.post(func() {
					if c := d.convs[id]; c != nil && !c.room.joined && d.connected {
						d.send(d.joinRoom(c))
					}
				})
			})
		}
		return
	}
	c.room.ready = true
	if c.rec.Room == "" {
		c.rec.Room = c.room.jid
		st := d.step(c)
		st.event("desk", "room", c.room.jid)
		st.commit()
	}
	if c.resumed {
		c.resumed = false
		if c.rec.Agent != "" && c.rec.Open() {
			d.send(d.notice(c, d.recap(c, "after a restart of the desk")))
		}
	}
	if (c.rec.Status == store.StatusQueued || c.rec.Status == store.StatusOffered) && !d.router.Waiting(id) {
		d.router.Enqueue(d.routingConv(c))
		d.route()
	}
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
		d.log.Warn("room refused a message", "room", c.room.jid, "condition", cond)
		return
	}
	if s.MUCUser != nil && s.MUCUser.Decline != nil {
		d.declined(c, wire.Bare(s.MUCUser.Decline.From), s.MUCUser.Decline.Reason)
		return
	}
	if s.Type != "groupchat" || s.Delay != nil {
		return // private messages to the desk's occupant, and history replays
	}
	nick := wire.Resource(s.From)
	if nick == "" || nick == c.room.nick {
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
	real := c.room.occupants[nick]
	_, isAgent := d.agents[real]
	switch {
	case strings.HasPrefix(body, d.cfg.Desk.PrivatePrefix):
		st := d.step(c)
		st.message(actorOr(real, nick), body, url, true)
		st.event(actorOr(real, nick), "note", "")
		st.commit()
	case strings.HasPrefix(body, "/"), isBangCommand(body):
		d.roomCommand(c, real, nick, body)
	case !isAgent:
		d.metrics.badInput.WithLabelValues("not_agent").Inc()
		d.log.Info("message in a room from someone who is not an agent; not relayed", "room", c.room.jid)
	case !c.rec.Open():
		d.send(d.notice(c, "This conversation is closed; the customer does not get messages from here."))
	default:
		d.relayOut(c, real, body, url)
	}
}

// relayOut records an agent's message and sends it to the customer.
func (d *Desk) relayOut(c *conv, agent, body, url string) {
	st := d.step(c)
	st.same = true
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
