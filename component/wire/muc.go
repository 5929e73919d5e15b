package wire

import "strings"

// The stanzas the desk sends to a conversation's room (XEP-0045).

// JoinRoom is the presence that joins (and creates) a room as occupant
// (room@service/nick), asking for no history: the desk recaps from its own
// store.
func JoinRoom(from, occupant string) string {
	return Presence{From: from, To: occupant, extra: "<x xmlns='" + NSMUC + "'><history maxstanzas='0'/></x>"}.String()
}

// LeaveRoom is the presence that leaves a room.
func LeaveRoom(from, occupant string) string {
	return Presence{From: from, To: occupant, Type: "unavailable"}.String()
}

// SetAffiliation is the admin IQ that gives jid an affiliation in room
// (member, none, …).
func SetAffiliation(from, room, id, jid, affiliation string) string {
	return iq(from, room, "set", id, "<query xmlns='"+NSMUCAdmin+"'><item affiliation='"+Escape(affiliation)+"' jid='"+Escape(jid)+"'/></query>")
}

// Invite is a mediated invitation of jid into room.
func Invite(from, room, jid, reason string) string {
	return Message{From: from, To: room, Type: "normal",
		extra: "<x xmlns='" + NSMUCUser + "'><invite to='" + Escape(jid) + "'><reason>" + Escape(reason) + "</reason></invite></x>"}.String()
}

// Decline declines a mediated invitation into room, addressed to the
// inviter.
func Decline(from, room, inviter, reason string) string {
	return Message{From: from, To: room,
		extra: "<x xmlns='" + NSMUCUser + "'><decline to='" + Escape(inviter) + "'><reason>" + Escape(reason) + "</reason></decline></x>"}.String()
}

// DestroyRoom is the owner IQ that destroys a room.
func DestroyRoom(from, room, id, reason string) string {
	return iq(from, room, "set", id, "<query xmlns='"+NSMUCOwner+"'><destroy><reason>"+Escape(reason)+"</reason></destroy></query>")
}

// RoomConfigGet asks a room's owner form.
func RoomConfigGet(from, room, id string) string {
	return iq(from, room, "get", id, "<query xmlns='"+NSMUCOwner+"'/>")
}

// RoomConfigForm is the part of a room's owner form the desk reads: the
// fields the server offers.
type RoomConfigForm struct {
	X struct {
		Fields []struct {
			Var string `xml:"var,attr"`
		} `xml:"field"`
	} `xml:"jabber:x:data x"`
}

// Has reports whether the server's form has the field.
func (f *RoomConfigForm) Has(name string) bool {
	for _, x := range f.X.Fields {
		if x.Var == name {
			return true
		}
	}
	return false
}

// Field is one submitted form field.
type Field struct{ Var, Value string }

// RoomConfigSubmit submits a room's owner form with the given fields.
func RoomConfigSubmit(from, room, id string, fields []Field) string {
	var b strings.Builder
	b.WriteString("<query xmlns='" + NSMUCOwner + "'><x xmlns='" + NSForm + "' type='submit'>")
	b.WriteString("<field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>")
	for _, f := range fields {
		b.WriteString("<field var='" + Escape(f.Var) + "'><value>" + Escape(f.Value) + "</value></field>")
	}
	b.WriteString("</x></query>")
	return iq(from, room, "set", id, b.String())
}
