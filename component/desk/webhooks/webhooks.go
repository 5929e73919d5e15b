package webhooks

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"slices"
	"time"

	"switchboard/component/desk/core"

	"switchboard/store"
	"switchboard/store/outbox"
)

// Event is the body of a webhook call (Standard Webhooks' form).
type Event struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      EventData `json:"data"`
}

// EventData is what an event is about.
type EventData struct {
	Conversation Conversation `json:"conversation"`
	Message      *Message     `json:"message,omitempty"`
}

// Conversation is a conversation as the webhooks see it.
type Conversation struct {
	ID         uint64     `json:"id"`
	Status     string     `json:"status"`
	Kind       string     `json:"kind"`
	Channel    string     `json:"channel"`
	Entry      string     `json:"entry"`
	Customer   string     `json:"customer"`
	Address    string     `json:"address"`
	Queue      string     `json:"queue,omitempty"`
	Agent      string     `json:"agent,omitempty"`
	Tags       []string   `json:"tags,omitempty"`
	Rating     int        `json:"rating,omitempty"`
	Resolution string     `json:"resolution,omitempty"`
	Created    time.Time  `json:"created"`
	Closed     *time.Time `json:"closed,omitempty"`
}

// Message is a line of the transcript: from "customer", "desk" or
// an agent's JID.
type Message struct {
	From string    `json:"from"`
	Text string    `json:"text"`
	URL  string    `json:"url,omitempty"`
	At   time.Time `json:"at"`
}

// Attach has every step of d tell the webhooks that asked for its events.
func Attach(d *core.Desk) { d.Committing = func(st *core.Step) { tell(d, st) } }

// tell adds to st an outbox entry for each webhook that asked for an
// event of the step.
func tell(d *core.Desk, st *core.Step) {
	hooks := d.Cfg.Webhooks
	if len(hooks) == 0 {
		return
	}
	r, was := st.Conv().Rec, st.Was()
	var types []string
	if slices.ContainsFunc(st.Events(), func(e store.Event) bool { return e.Action == "opened" }) {
		types = append(types, "conversation.created")
	}
	if r.Status != was.Status {
		switch r.Status {
		case core.Queued:
			types = append(types, "conversation.queued")
		case core.Closed, core.Abandoned:
			types = append(types, "conversation.closed")
		}
	}
	if r.Agent != "" && r.Agent != was.Agent && (r.Status == core.Open || r.Status == core.Pending) {
		types = append(types, "conversation.assigned")
	}
	if r.Rating != was.Rating && r.Rating > 0 {
		types = append(types, "rating")
	}
	conv := conversationOf(r)
	var events []Event
	for _, t := range types {
		events = append(events, Event{Type: t, Timestamp: st.Now, Data: EventData{Conversation: conv}})
	}
	for _, m := range st.Messages() {
		if !m.Private {
			events = append(events, Event{Type: "message.created", Timestamp: m.At,
				Data: EventData{Conversation: conv, Message: &Message{From: m.From, Text: m.Body, URL: d.Links.Sign(m.URL, st.Now), At: m.At}}})
		}
	}
	for _, ev := range events {
		body, err := json.Marshal(ev)
		if err != nil {
			continue
		}
		for _, h := range hooks {
			if !slices.Contains(h.Events, ev.Type) {
				continue
			}
			e := &outbox.Entry{Kind: outbox.Webhook, Conversation: r.ID, Channel: h.URL, Body: string(body), Event: ev.Type, EventID: eventID()}
			st.Outgoing(e)
		}
	}
}

func conversationOf(r *store.Conversation) Conversation {
	w := Conversation{ID: r.ID, Status: r.Status, Kind: r.Kind, Channel: r.Channel, Entry: r.Entry, Customer: r.Customer, Address: r.Address,
		Queue: r.Queue, Agent: r.Agent, Tags: slices.Clone(r.Tags), Rating: r.Rating, Resolution: r.Resolution, Created: r.Created}
	if w.Channel == "" {
		w.Channel, w.Address = "xmpp", r.Customer
	}
	if !r.Closed.IsZero() {
		t := r.Closed
		w.Closed = &t
	}
	return w
}

// eventID is a webhook call's id: the same on every attempt.
func eventID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "msg_" + hex.EncodeToString(b)
}
