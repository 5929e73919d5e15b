package core

import (
	"switchboard/component/desk/rooms"
)

func (d *Desk) OccupantJID() string { return d.Rooms.Occupant() }

func (d *Desk) ConvName(c *Conv) string { return d.Rooms.Name(c.Rec.ID) }

// JoinRoom renders the presence that joins (and creates) the room of c,
// registering the room first.
func (d *Desk) JoinRoom(c *Conv) string {
	if d.Rooms.Register(&c.Room, c.Rec.ID, rooms.NickFor(c.Rec.Customer)) {
		d.ByRoom[c.Room.JID] = c
	}
	return d.Rooms.Join(&c.Room)
}

func (d *Desk) LeaveRoom(c *Conv) string { return d.Rooms.Leave(&c.Room) }

// Groupchat renders a message the desk posts in the room of c.
// A stored file's reference becomes a signed link.
func (d *Desk) Groupchat(c *Conv, body, url string) string {
	return d.Rooms.Post(&c.Room, body, d.Links.Sign(url, d.Now()))
}

// Notice renders a desk Notice in the room.
func (d *Desk) Notice(c *Conv, body string) string { return d.Rooms.Notice(&c.Room, body) }

func (d *Desk) SetAffiliation(c *Conv, jid, affiliation string) string {
	return d.Rooms.Affiliation(&c.Room, jid, affiliation)
}

func (d *Desk) Invite(c *Conv, jid, reason string) string {
	return d.Rooms.Invite(&c.Room, jid, reason)
}

// forget drops a conversation that has ended from the desk's memory and
// renders what takes the desk out of its room.
func (d *Desk) forget(c *Conv, why string) []string {
	var out []string
	if c.Room.JID != "" {
		switch {
		case !c.Room.Joined && c.Rec.Room == "":
			// Never created.
		case d.Cfg.Desk.KeepRooms:
			if c.Room.Joined {
				out = append(out, d.LeaveRoom(c))
			}
		default:
			out = append(out, d.Rooms.Destroy(&c.Room, why))
		}
	}
	delete(d.ByCustomer, c.CustomerKey())
	delete(d.ByRoom, c.Room.JID)
	delete(d.Convs, c.Rec.ID)
	return out
}
