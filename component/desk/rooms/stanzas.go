package rooms

import (
	"strconv"

	"switchboard/component/wire"
)

// OccupantResource is the resource of the JID the desk joins rooms from;
// the bare part is the component's domain, which the MUC service must
// list among its admins so that the desk, and nobody else, may create
// rooms.
const OccupantResource = "switchboard"

// DeskMarker starts every notice the desk posts in a room.
const DeskMarker = "[desk] "

// Service names rooms and renders what the desk sends them.
type Service struct {
	Domain string // the component's domain
	MUC    string // the MUC service
	Prefix string // room names: Prefix + conversation id
	// Echo is the id prefix of the desk's posts, so that the link can drop
	// the rooms' copies of them; seq numbers them.
	Echo string
	seq  uint64
}

// Occupant is the JID the desk joins rooms from.
func (s *Service) Occupant() string { return s.Domain + "/" + OccupantResource }

// Name is the room name of conversation id, "case-12".
func (s *Service) Name(id uint64) string { return s.Prefix + strconv.FormatUint(id, 10) }

// JID is the room of conversation id.
func (s *Service) JID(id uint64) string { return s.Name(id) + "@" + s.MUC }

// Register names conversation id's room in r, if it has none yet; nick
// is the customer's name in it. It reports whether r was new.
func (s *Service) Register(r *Room, id uint64, nick string) bool {
	if r.JID != "" {
		return false
	}
	r.JID, r.Nick, r.Occupants = s.JID(id), nick, map[string]string{}
	return true
}

// Join renders the presence that joins (and creates) the room.
func (s *Service) Join(r *Room) string { return wire.JoinRoom(s.Occupant(), r.JID+"/"+r.Nick) }

// Leave takes the desk out of the room.
func (s *Service) Leave(r *Room) string {
	r.Joined = false
	return wire.LeaveRoom(s.Occupant(), r.JID+"/"+r.Nick)
}

// Post renders a message the desk posts in the room. Its id carries the
// echo prefix: the room's copy of it is dropped on arrival.
func (s *Service) Post(r *Room, body, url string) string {
	s.seq++
	return wire.Message{From: s.Occupant(), To: r.JID, Type: "groupchat", ID: s.Echo + strconv.FormatUint(s.seq, 36), Body: body, URL: url}.String()
}

// Notice renders a desk notice in the room.
func (s *Service) Notice(r *Room, body string) string { return s.Post(r, DeskMarker+body, "") }

// Affiliation sets jid's affiliation with the room.
func (s *Service) Affiliation(r *Room, jid, affiliation string) string {
	return wire.SetAffiliation(s.Domain, r.JID, wire.NewID("aff"), jid, affiliation)
}

// Invite renders a mediated invitation of jid into the room.
func (s *Service) Invite(r *Room, jid, reason string) string {
	return wire.Invite(s.Occupant(), r.JID, jid, reason)
}

// Destroy renders the destruction of the room.
func (s *Service) Destroy(r *Room, reason string) string {
	return wire.DestroyRoom(s.Domain, r.JID, wire.NewID("destroy"), reason)
}

// Fields are the room configuration the desk asks for conversation id:
// members-only, non-anonymous, hidden, persistent while the conversation
// lasts, and no history (Prosody copies every message into it, half its
// CPU per relayed message measured; the desk recaps from the store
// instead).
func (s *Service) Fields(id uint64) []wire.Field {
	n := strconv.FormatUint(id, 10)
	return []wire.Field{
		{Var: "muc#roomconfig_roomname", Value: s.Prefix + n},
		{Var: "muc#roomconfig_roomdesc", Value: "switchboard conversation " + n},
		{Var: "muc#roomconfig_persistentroom", Value: "1"},
		{Var: "muc#roomconfig_publicroom", Value: "0"},
		{Var: "muc#roomconfig_membersonly", Value: "1"},
		{Var: "muc#roomconfig_whois", Value: "anyone"},
		{Var: "muc#roomconfig_allowinvites", Value: "0"},
		{Var: "{http://prosody.im/protocol/muc}roomconfig_allowmemberinvites", Value: "0"},
		{Var: "muc#roomconfig_changesubject", Value: "0"},
		{Var: "muc#roomconfig_moderatedroom", Value: "0"},
		{Var: "muc#roomconfig_historylength", Value: "0"},
		{Var: "muc#roomconfig_defaulthistorymessages", Value: "0"},
	}
}
