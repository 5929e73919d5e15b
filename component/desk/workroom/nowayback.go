package workroom

import (
	"strings"

	"switchboard/component/desk/core"
	"switchboard/component/texts"
)

// noWayBack is the room's notice for a line written to a customer whose
// channel carries no answers: what it came by, and the customer's other
// ways (/via).
func (d *Desk) noWayBack(c *core.Conv) string {
	var ways []string
	if strings.HasPrefix(c.Rec.Customer, "tel:") {
		for _, ch := range d.Cfg.Channels {
			if ch.Phones() {
				ways = append(ways, "/via "+ch.Name)
			}
		}
	}
	a := texts.A{"channel": core.ChannelOf(c)}
	if len(ways) == 0 {
		return d.Staff().Get(texts.NoWayBack, a)
	}
	a["via"] = strings.Join(ways, ", ")
	return d.Staff().Get(texts.NoWayBackVia, a)
}
