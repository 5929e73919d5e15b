package core

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"slices"
	"time"

	"switchboard/store"
	"switchboard/store/outbox"
)

// The [[webhook]]s hear of what a step did to its conversation: it was
// created, queued, assigned, closed, rated, or a message was written to
// or by the customer. Each call is an outbox entry of the same step, so
// that what is committed is told exactly once, after the commit, with
// one webhook-id for every attempt. Private notes are never told.

// WebhookEvent is the body of a webhook call (Standard Webhooks' form).
type WebhookEvent struct {
	Type      string           `json:"type"`
	Timestamp time.Time        `json:"timestamp"`
	Data      WebhookEventData `json:"data"`
}

// WebhookEventData is what an event is about.
type WebhookEventData struct {
	Conversation WebhookConversation `json:"conversation"`
	Message      *WebhookMessage     `json:"message,omitempty"`
}

// WebhookConversation is a conversation as the webhooks see it.
type WebhookConversation struct {
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

// WebhookMessage is a line of the transcript: from "customer", "desk" or
// an agent's JID.
type WebhookMessage struct {
	From string    `json:"from"`
	Text string    `json:"text"`
	URL  string    `json:"url,omitempty"`
	At   time.Time `json:"at"`
}

// before is what a step's webhooks compare the conversation with.
type before struct {
	status, agent string
	rating        int
}

func beforeOf(c *Conv) before {
	return before{status: c.Rec.Status, agent: c.Rec.Agent, rating: c.Rec.Rating}
}

// webhooks adds to s an outbox entry for each webhook that asked for an
// event of the step.
func (s *Step) webhooks() {
	hooks := s.d.Cfg.Webhooks
	if len(hooks) == 0 {
		return
	}
	r, was := s.c.Rec, s.was
	var types []string
	if slices.ContainsFunc(s.events, func(e store.Event) bool { return e.Action == "opened" }) {
		types = append(types, "conversation.created")
	}
	if r.Status != was.status {
		switch r.Status {
		case Queued:
			types = append(types, "conversation.queued")
		case Closed, Abandoned:
			types = append(types, "conversation.closed")
		}
	}
	if r.Agent != "" && r.Agent != was.agent && (r.Status == Open || r.Status == Pending) {
		types = append(types, "conversation.assigned")
	}
	if r.Rating != was.rating && r.Rating > 0 {
		types = append(types, "rating")
	}
	conv := webhookConversation(r)
	var events []WebhookEvent
	for _, t := range types {
		events = append(events, WebhookEvent{Type: t, Timestamp: s.Now, Data: WebhookEventData{Conversation: conv}})
	}
	for _, m := range s.msgs {
		if !m.Private {
			events = append(events, WebhookEvent{Type: "message.created", Timestamp: m.At,
				Data: WebhookEventData{Conversation: conv, Message: &WebhookMessage{From: m.From, Text: m.Body, URL: s.d.Links.Sign(m.URL, s.Now), At: m.At}}})
		}
	}
	now := s.Now
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
			s.extra = append(s.extra, func(tx *store.Tx) error { return outbox.Add(tx, e, now) })
			s.outgoing = append(s.outgoing, e)
		}
	}
}

func webhookConversation(r *store.Conversation) WebhookConversation {
	w := WebhookConversation{ID: r.ID, Status: r.Status, Kind: r.Kind, Channel: r.Channel, Entry: r.Entry, Customer: r.Customer, Address: r.Address,
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
