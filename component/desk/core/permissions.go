package core

import (
	"slices"

	"switchboard/component/desk/command"
	"switchboard/component/wire"
)

func (d *Desk) DeskJID() string { return d.Cfg.Desk.Localpart + "@" + d.Cfg.XMPP.Domain }

// DeskChat renders a chat message from the desk to an agent.
func (d *Desk) DeskChat(to, body string) string {
	return wire.Message{From: d.DeskJID(), To: to, Type: "chat", Body: body}.String()
}

func (d *Desk) IsSupervisor(jid string) bool { return slices.Contains(d.Cfg.Supervisors(), jid) }

// MayCommand reports whether jid may run room commands at all.
func (d *Desk) MayCommand(jid string) bool {
	isAgent := d.Roster.Is(jid)
	return isAgent || d.IsAdmin(jid) || d.IsSupervisor(jid)
}

func (d *Desk) IsAdmin(jid string) bool { return slices.Contains(d.Cfg.Desk.Admins, jid) }

// Allowed reports whether jid may run cmd in the room of c.
func (d *Desk) Allowed(who command.Who, jid string, c *Conv) bool {
	switch who {
	case command.Assigned:
		return d.IsAdmin(jid) || (c != nil && c.Rec.Agent == jid)
	case command.Admins:
		return d.IsAdmin(jid)
	case command.Supervisors:
		return d.IsSupervisor(jid)
	}
	return d.MayCommand(jid)
}
