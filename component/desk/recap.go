package desk

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"switchboard/store"
)

// What agents read about a conversation: the summary that opens its room
// and the recap posted whenever an agent joins (rooms keep no history).

// summary opens a conversation's room.
func (d *Desk) summary(c *conv) string {
	r := c.rec
	var b strings.Builder
	fmt.Fprintf(&b, "Conversation %s%d from %s via %s@%s\n", d.cfg.XMPP.RoomPrefix, r.ID, r.Customer, r.Entry, d.cfg.XMPP.Domain)
	fmt.Fprintf(&b, "Client: %s\n", clientLine(r.Client))
	if r.Language != "" {
		fmt.Fprintf(&b, "Language: %s\n", r.Language)
	}
	fmt.Fprintf(&b, "Queue: %s, priority %d\n", c.route.Queue, c.route.Priority)
	if len(r.Answers) > 0 {
		b.WriteString("Answers:")
		for _, k := range slices.Sorted(maps.Keys(r.Answers)) {
			fmt.Fprintf(&b, " %s=%s", k, r.Answers[k])
		}
		b.WriteString("\n")
	}
	switch r.Kind {
	case store.KindMessage:
		b.WriteString("A message the customer left (in the transcript): your answers reach them as chat, also when they are offline.\n")
	case store.KindCallback:
		b.WriteString(d.callbackText(c) + "\n")
	}
	if earlier := d.earlier(r.Customer, r.ID); earlier != "" {
		b.WriteString("Earlier: " + earlier + "\n")
	}
	fmt.Fprintf(&b, "The customer's messages appear under %q. Lines starting with %s stay private; /help lists commands.", c.room.nick, d.cfg.Desk.PrivatePrefix)
	return b.String()
}

// recapLines bounds the transcript lines of a recap.
const recapLines = 30

// recap renders the summary and the latest transcript for an agent who
// joins the room.
func (d *Desk) recap(c *conv, who string) string {
	var b strings.Builder
	b.WriteString("Recap " + who + ":\n")
	b.WriteString(d.summary(c))
	msgs, total := d.transcriptTail(c, recapLines)
	if total > len(msgs) {
		fmt.Fprintf(&b, "\n… %d earlier messages (see the record)", total-len(msgs))
	}
	if len(msgs) > 0 {
		b.WriteString("\nTranscript:")
	}
	for _, m := range msgs {
		from := m.From
		switch {
		case from == "customer":
			from = c.room.nick
		case from != "desk":
			from = d.agentName(from)
		}
		mark := ""
		if m.Private {
			mark = " (private)"
		}
		body := m.Body
		if m.URL != "" {
			body += " " + m.URL
		}
		fmt.Fprintf(&b, "\n%s %s%s: %s", m.At.Format("15:04"), from, mark, truncate(strings.ReplaceAll(body, "\n", " "), 200))
	}
	return b.String()
}

// earlier lists the customer's previous conversations.
func (d *Desk) earlier(customer string, except uint64) string {
	var parts []string
	_ = d.store.ViewApplied(func(tx *store.Tx) error {
		cu, err := tx.Customer(customer)
		if err != nil {
			return err
		}
		ids := cu.Conversations
		if len(ids) > 6 {
			ids = ids[len(ids)-6:]
		}
		for _, id := range ids {
			if id == except {
				continue
			}
			if o, err := d.record(tx, id); err == nil {
				parts = append(parts, fmt.Sprintf("%s%d %s %s", d.cfg.XMPP.RoomPrefix, id, o.Status, o.Created.Format("2006-01-02")))
			}
		}
		return nil
	})
	return strings.Join(parts, "; ")
}
