package view

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"switchboard/component/desk/command"
	"switchboard/component/wire"
	"switchboard/store"
)

// Conversation is what agents read of one conversation.
type Conversation struct {
	Name     string // its room's name, "case-12"
	Customer string
	Entry    string // the entry point's JID
	Client   store.Client
	Language string
	Queue    string
	Priority int
	Answers  map[string]string
	Kind     string
	Callback string // the call back line (CallbackLine), or ""
	Earlier  string // the customer's earlier conversations, or ""
	Nick     string // what the customer's lines appear under in the room
	// PrivatePrefix starts the lines that stay in the room.
	PrivatePrefix string
}

// Summary opens a conversation's room.
func Summary(c Conversation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Conversation %s from %s via %s\n", c.Name, c.Customer, c.Entry)
	fmt.Fprintf(&b, "Client: %s\n", ClientLine(c.Client))
	if c.Language != "" {
		fmt.Fprintf(&b, "Language: %s\n", c.Language)
	}
	fmt.Fprintf(&b, "Queue: %s, priority %d\n", c.Queue, c.Priority)
	if len(c.Answers) > 0 {
		b.WriteString("Answers:")
		for _, k := range slices.Sorted(maps.Keys(c.Answers)) {
			fmt.Fprintf(&b, " %s=%s", k, c.Answers[k])
		}
		b.WriteString("\n")
	}
	switch c.Kind {
	case store.KindMessage:
		b.WriteString("A message the customer left (in the transcript): your answers reach them as chat, also when they are offline.\n")
	case store.KindCallback:
		b.WriteString(c.Callback + "\n")
	}
	if c.Earlier != "" {
		b.WriteString("Earlier: " + c.Earlier + "\n")
	}
	fmt.Fprintf(&b, "The customer's messages appear under %q. Lines starting with %s stay private; /help lists commands.", c.Nick, c.PrivatePrefix)
	return b.String()
}

// Line is one transcript line of a recap, its sender named already.
type Line struct {
	At      time.Time
	From    string
	Private bool
	Body    string
	URL     string
}

// RecapLines bounds the transcript lines of a recap.
const RecapLines = 30

// Recap is the summary and the latest transcript lines (of total) for
// an agent who joins the room; who says whom it is for.
func Recap(who string, c Conversation, lines []Line, total int) string {
	var b strings.Builder
	b.WriteString("Recap " + who + ":\n")
	b.WriteString(Summary(c))
	if total > len(lines) {
		fmt.Fprintf(&b, "\n… %d earlier messages (see the record)", total-len(lines))
	}
	if len(lines) > 0 {
		b.WriteString("\nTranscript:")
	}
	for _, m := range lines {
		mark := ""
		if m.Private {
			mark = " (private)"
		}
		body := m.Body
		if m.URL != "" {
			body += " " + m.URL
		}
		fmt.Fprintf(&b, "\n%s %s%s: %s", m.At.Format("15:04"), m.From, mark, command.Truncate(strings.ReplaceAll(body, "\n", " "), 200))
	}
	return b.String()
}

// Offer is the chat an agent gets with an offer: what is waiting for
// them, for how long, and how to take it.
func Offer(c Conversation, waiting time.Duration, room string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "New conversation for you: %s in queue %s, waiting %s.\n", c.Name, c.Queue, waiting.Truncate(time.Second))
	fmt.Fprintf(&b, "Customer: %s", c.Customer)
	if c.Client.Name != "" {
		fmt.Fprintf(&b, " (%s %s)", c.Client.Name, c.Client.Version)
	}
	for _, k := range slices.Sorted(maps.Keys(c.Answers)) {
		fmt.Fprintf(&b, "\n%s: %s", k, c.Answers[k])
	}
	if c.Callback != "" {
		b.WriteString("\n" + c.Callback)
	} else if c.Kind == store.KindMessage {
		b.WriteString("\nA message the customer left.")
	}
	fmt.Fprintf(&b, "\nJoin %s to take it (you were invited), or decline the invitation.", room)
	return b.String()
}

// CallbackLine is the room's line about a call back, its time in zone.
func CallbackLine(cb *store.Callback, zone *time.Location) string {
	when := "as soon as possible"
	if !cb.At.IsZero() {
		when = "at " + cb.At.In(zone).Format("Mon 2 Jan 15:04 MST")
	}
	return fmt.Sprintf("Call back: %s, %s; %d attempts so far (/called [outcome] records one, /close ends it)", cb.Phone, when, cb.Attempts)
}

// notable are the features an agent may care about, with short names.
var notable = []struct{ ns, name string }{
	{wire.NSOOB, "file links"},
	{"urn:xmpp:jingle:apps:rtp:audio", "voice"},
	{"urn:xmpp:jingle:apps:rtp:video", "video"},
	{"urn:xmpp:http:upload:0", "upload"},
	{wire.NSReceipts, "receipts"},
	{wire.NSChatStates, "typing"},
	{"eu.siacs.conversations.axolotl.devicelist+notify", "OMEMO"},
}

// ClientLine describes a customer's client: name, version, OS and the
// features an agent may care about.
func ClientLine(c store.Client) string {
	s := c.Name
	if s == "" {
		s = "unknown client"
	}
	if c.Version != "" {
		s += " " + c.Version
	}
	if c.OS != "" {
		s += " on " + c.OS
	}
	var have []string
	for _, n := range notable {
		if slices.Contains(c.Features, n.ns) {
			have = append(have, n.name)
		}
	}
	if len(have) > 0 {
		s += " (" + strings.Join(have, ", ") + ")"
	}
	return s
}

// Todos lists a conversation's action items.
func Todos(todos []store.Todo) string {
	if len(todos) == 0 {
		return "No action items."
	}
	var b strings.Builder
	b.WriteString("Action items:")
	for i, t := range todos {
		mark := "[ ]"
		if t.Done {
			mark = "[x]"
		}
		fmt.Fprintf(&b, "\n%s #%d %s", mark, i+1, t.Text)
	}
	return b.String()
}

// Earlier is one earlier conversation of a customer.
type Earlier struct {
	Name       string
	Created    time.Time
	Status     string
	Entry      string
	Kind       string
	Queue      string
	Agent      string // named
	Resolution string
	Tags       []string
	Rating     int
}

// History lists a customer's earlier conversations (/history).
func History(customer string, list []Earlier) string {
	if len(list) == 0 {
		return "No earlier conversations with " + customer + "."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Conversations of %s:", customer)
	for _, o := range list {
		fmt.Fprintf(&b, "\n%s %s %s via %s", o.Name, o.Created.Format("2006-01-02 15:04"), o.Status, o.Entry)
		if o.Kind != store.KindChat {
			b.WriteString(" (" + o.Kind + ")")
		}
		if o.Queue != "" {
			b.WriteString(", queue " + o.Queue)
		}
		if o.Agent != "" {
			b.WriteString(", " + o.Agent)
		}
		if o.Resolution != "" {
			b.WriteString(": " + command.Truncate(o.Resolution, 80))
		}
		if len(o.Tags) > 0 {
			b.WriteString(" [" + strings.Join(o.Tags, ", ") + "]")
		}
		if o.Rating > 0 {
			fmt.Fprintf(&b, " rated %d/5", o.Rating)
		}
	}
	return b.String()
}

// EarlierLine is the summary's short list of earlier conversations.
func EarlierLine(list []Earlier) string {
	parts := make([]string, len(list))
	for i, o := range list {
		parts[i] = fmt.Sprintf("%s %s %s", o.Name, o.Status, o.Created.Format("2006-01-02"))
	}
	return strings.Join(parts, "; ")
}
