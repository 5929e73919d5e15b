package view

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"switchboard/component/desk/command"
	"switchboard/component/texts"
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
	// Channel names the customer's channel ("SMS"; "" for XMPP) and
	// Address is theirs on it; WayBack says whether answers reach them.
	Channel, Address string
	WayBack          bool
	// Matches are the customers the addresses this one typed point to.
	Matches []Match
	Nick    string // what the customer's lines appear under in the room
	// PrivatePrefix starts the lines that stay in the room.
	PrivatePrefix string
}

// Summary opens a conversation's room.
func Summary(l *texts.Lang, c Conversation) string {
	var b strings.Builder
	line := func(key texts.Key, a texts.A) { b.WriteString(l.Get(key, a) + "\n") }
	line(texts.SummaryFrom, texts.A{"name": c.Name, "customer": c.Customer, "entry": c.Entry})
	if c.Channel == "" {
		line(texts.SummaryClient, texts.A{"client": ClientLine(l, c.Client)})
	} else {
		line(texts.SummaryChannel, texts.A{"channel": c.Channel, "address": c.Address})
	}
	if c.Language != "" {
		line(texts.SummaryLanguage, texts.A{"language": c.Language})
	}
	line(texts.SummaryQueue, texts.A{"queue": c.Queue, "priority": c.Priority})
	if len(c.Answers) > 0 {
		b.WriteString(l.Get(texts.SummaryAnswers, nil))
		for _, k := range slices.Sorted(maps.Keys(c.Answers)) {
			fmt.Fprintf(&b, " %s=%s", k, c.Answers[k])
		}
		b.WriteString("\n")
	}
	switch {
	case c.Kind == store.KindMessage && c.Channel != "":
		line(texts.SummaryLeftBy, texts.A{"channel": c.Channel})
	case c.Kind == store.KindMessage:
		line(texts.SummaryMessage, nil)
	case c.Kind == store.KindCallback:
		b.WriteString(c.Callback + "\n")
	}
	if !c.WayBack {
		line(texts.SummaryNoWayBack, texts.A{"channel": c.Channel})
	}
	if c.Earlier != "" {
		line(texts.SummaryEarlier, texts.A{"earlier": c.Earlier})
	}
	for _, m := range c.Matches {
		line(texts.SummaryMatch, texts.A{"customer": m.Customer, "n": m.Conversations, "address": m.Address})
	}
	b.WriteString(l.Get(texts.SummaryNick, texts.A{"nick": c.Nick, "prefix": c.PrivatePrefix}))
	return b.String()
}

// Match is a customer who may be this one: they share an address this
// one typed.
type Match struct {
	Customer      string
	Address       string
	Conversations int
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
func Recap(l *texts.Lang, who string, c Conversation, lines []Line, total int) string {
	var b strings.Builder
	b.WriteString(l.Get(texts.RecapHeader, texts.A{"who": who}) + "\n")
	b.WriteString(Summary(l, c))
	if total > len(lines) {
		b.WriteString("\n" + l.Get(texts.RecapEarlier, texts.A{"n": total - len(lines)}))
	}
	if len(lines) > 0 {
		b.WriteString("\n" + l.Get(texts.RecapTranscript, nil))
	}
	for _, m := range lines {
		mark := ""
		if m.Private {
			mark = l.Get(texts.RecapPrivate, nil)
		}
		body := m.Body
		if m.URL != "" {
			body += " " + m.URL
		}
		fmt.Fprintf(&b, "\n%s %s%s: %s", l.Clock(m.At), m.From, mark, command.Truncate(strings.ReplaceAll(body, "\n", " "), 200))
	}
	return b.String()
}

// Offer is the chat an agent gets with an offer: what is waiting for
// them, for how long, and how to take it.
func Offer(l *texts.Lang, c Conversation, waiting time.Duration, room string) string {
	var b strings.Builder
	b.WriteString(l.Get(texts.OfferNew, texts.A{"name": c.Name, "queue": c.Queue, "waiting": waiting.Truncate(time.Second)}) + "\n")
	b.WriteString(l.Get(texts.OfferCustomer, texts.A{"customer": c.Customer}))
	if c.Client.Name != "" {
		fmt.Fprintf(&b, " (%s %s)", c.Client.Name, c.Client.Version)
	}
	for _, k := range slices.Sorted(maps.Keys(c.Answers)) {
		fmt.Fprintf(&b, "\n%s: %s", k, c.Answers[k])
	}
	if c.Callback != "" {
		b.WriteString("\n" + c.Callback)
	} else if c.Kind == store.KindMessage {
		b.WriteString("\n" + l.Get(texts.OfferMessage, nil))
	}
	b.WriteString("\n" + l.Get(texts.OfferJoin, texts.A{"room": room}))
	return b.String()
}

// CallbackLine is the room's line about a call back, its time in zone.
func CallbackLine(l *texts.Lang, cb *store.Callback, zone *time.Location) string {
	when := l.Get(texts.CallbackASAP, nil)
	if !cb.At.IsZero() {
		when = l.Get(texts.CallbackAt, texts.A{"time": l.Stamp(cb.At, zone)})
	}
	return l.Get(texts.CallbackLine, texts.A{"phone": cb.Phone, "when": when, "n": cb.Attempts})
}

// notable are the features an agent may care about, with short names.
var notable = []struct {
	ns   string
	name texts.Key
}{
	{wire.NSOOB, texts.FeatureFileLinks},
	{"urn:xmpp:jingle:apps:rtp:audio", texts.FeatureVoice},
	{"urn:xmpp:jingle:apps:rtp:video", texts.FeatureVideo},
	{"urn:xmpp:http:upload:0", texts.FeatureUpload},
	{wire.NSReceipts, texts.FeatureReceipts},
	{wire.NSChatStates, texts.FeatureTyping},
	{"eu.siacs.conversations.axolotl.devicelist+notify", texts.FeatureOMEMO},
}

// ClientLine describes a customer's client: name, version, OS and the
// features an agent may care about.
func ClientLine(l *texts.Lang, c store.Client) string {
	s := c.Name
	if s == "" {
		s = l.Get(texts.UnknownClient, nil)
	}
	if c.Version != "" {
		s += " " + c.Version
	}
	if c.OS != "" {
		s = l.Get(texts.ClientOn, texts.A{"client": s, "os": c.OS})
	}
	var have []string
	for _, n := range notable {
		if slices.Contains(c.Features, n.ns) {
			have = append(have, l.Get(n.name, nil))
		}
	}
	if len(have) > 0 {
		s += " (" + strings.Join(have, ", ") + ")"
	}
	return s
}

// Todos lists a conversation's action items.
func Todos(l *texts.Lang, todos []store.Todo) string {
	if len(todos) == 0 {
		return l.Get(texts.TodosNone, nil)
	}
	var b strings.Builder
	b.WriteString(l.Get(texts.TodosHeader, nil))
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
	ID         uint64
	Name       string
	Created    time.Time
	Status     string
	Entry      string
	Kind       string
	Channel    string // named ("SMS"); "" for XMPP
	Queue      string
	Agent      string // named
	Resolution string
	Tags       []string
	Rating     int
}

// History lists a customer's earlier conversations (/history).
func History(l *texts.Lang, customer string, list []Earlier) string {
	if len(list) == 0 {
		return l.Get(texts.HistoryNone, texts.A{"customer": customer})
	}
	var b strings.Builder
	b.WriteString(l.Get(texts.HistoryHeader, texts.A{"customer": customer}))
	for _, o := range list {
		fmt.Fprintf(&b, "\n%s %s %s %s", o.Name, o.Created.Format("2006-01-02 15:04"), o.Status, l.Get(texts.HistoryVia, texts.A{"entry": o.Entry}))
		if o.Channel != "" {
			b.WriteString(" " + l.Get(texts.HistoryChannel, texts.A{"channel": o.Channel}))
		}
		if o.Kind != store.KindChat {
			b.WriteString(" (" + o.Kind + ")")
		}
		if o.Queue != "" {
			b.WriteString(", " + l.Get(texts.HistoryQueue, texts.A{"queue": o.Queue}))
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
			b.WriteString(" " + l.Get(texts.HistoryRated, texts.A{"n": o.Rating}))
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
