package api

import (
	"time"

	"switchboard/component/desk"
	"switchboard/store"
)

// ConversationView is a conversation as the HTTP API and the CLI show it:
// the record, and with detail its timeline and transcript.
type ConversationView struct {
	ID       uint64 `json:"id"`
	Room     string `json:"room,omitempty"`
	Status   string `json:"status"`
	Kind     string `json:"kind"`
	Entry    string `json:"entry"`
	Queue    string `json:"queue"`
	Customer string `json:"customer"`
	// Channel is how the customer came (xmpp, sms, voice, hook:NAME) and
	// Address their address on it (a JID, a phone number in E.164).
	Channel    string            `json:"channel"`
	Address    string            `json:"address"`
	Agent      string            `json:"agent"`
	Client     store.Client      `json:"client"`
	Language   string            `json:"language,omitempty"`
	Answers    map[string]string `json:"answers"`
	Tags       []string          `json:"tags"`
	Todos      []store.Todo      `json:"todos"`
	Rating     *int              `json:"rating"`
	Resolution string            `json:"resolution,omitempty"`
	Created    time.Time         `json:"created"`
	Closed     *time.Time        `json:"closed"`
	// FirstReply is when an agent first answered the customer.
	FirstReply *time.Time `json:"first_reply"`
	// ReopenUntil is set while a closed conversation can be reopened.
	ReopenUntil *time.Time      `json:"reopen_until,omitempty"`
	Timeline    []store.Event   `json:"timeline,omitempty"`
	Transcript  []store.Message `json:"transcript,omitempty"`
}

// ViewOf describes a conversation record.
func ViewOf(c *store.Conversation) ConversationView {
	v := ConversationView{ID: c.ID, Room: c.Room, Status: c.Status, Kind: c.Kind, Entry: c.Entry, Queue: c.Queue,
		Customer: c.Customer, Agent: c.Agent, Client: c.Client, Language: c.Language, Answers: c.Answers,
		Tags: c.Tags, Todos: c.Todos, Resolution: c.Resolution, Created: c.Created, Channel: c.Channel, Address: c.Address}
	if v.Channel == "" {
		v.Channel, v.Address = "xmpp", c.Customer
	}
	if v.Answers == nil {
		v.Answers = map[string]string{}
	}
	if v.Tags == nil {
		v.Tags = []string{}
	}
	if v.Todos == nil {
		v.Todos = []store.Todo{}
	}
	if c.Rating > 0 {
		r := c.Rating
		v.Rating = &r
	}
	v.Closed, v.ReopenUntil, v.FirstReply = when(c.Closed), when(c.ReopenUntil), when(c.FirstReply)
	return v
}

// when is t for JSON: nil when it is zero.
func when(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// ReadConversation reads one conversation with its timeline and
// transcript in one read transaction.
func ReadConversation(tx *store.Tx, id uint64) (ConversationView, error) {
	c, err := tx.Conversation(id)
	if err != nil {
		return ConversationView{}, err
	}
	v := ViewOf(c)
	if v.Timeline, err = tx.Timeline(id); err != nil {
		return v, err
	}
	if v.Transcript, err = tx.Transcript(id); err != nil {
		return v, err
	}
	if v.Timeline == nil {
		v.Timeline = []store.Event{}
	}
	if v.Transcript == nil {
		v.Transcript = []store.Message{}
	}
	return v, nil
}

// AgentView is an agent as the HTTP API and the CLI show it.
type AgentView struct {
	JID       string         `json:"jid"`
	Name      string         `json:"name"`
	Skills    map[string]int `json:"skills"`
	Languages []string       `json:"languages"`
	MaxChats  int            `json:"max_chats"`
	// Source is "config" for an agent as the config file has it, and
	// "runtime" for one added or changed through the API or an ad-hoc
	// command (kept in the store, ahead of the file).
	Source string `json:"source"`
	State  string `json:"state"`
	Reason string `json:"pause_reason,omitempty"`
	Load   int    `json:"load"`
}

// AgentInput is the body of PUT /api/v1/agents/{jid}.
type AgentInput struct {
	Name      string         `json:"name"`
	Skills    map[string]int `json:"skills"`
	Languages []string       `json:"languages"`
	MaxChats  *int           `json:"max_chats"`
}

func agentView(a desk.AgentInfo) AgentView {
	v := AgentView{JID: a.JID, Name: a.Name, Skills: a.Skills, Languages: a.Languages, MaxChats: a.MaxChats,
		Source: "config", State: a.State, Reason: a.Reason, Load: a.Load}
	if a.Runtime {
		v.Source = "runtime"
	}
	if v.Skills == nil {
		v.Skills = map[string]int{}
	}
	if v.Languages == nil {
		v.Languages = []string{}
	}
	return v
}

// QueueStatus is one queue of GET /api/v1/status.
type QueueStatus struct {
	Queue                string `json:"queue"`
	AgentsAvailable      int    `json:"agents_available"`
	Waiting              int    `json:"waiting"`
	EstimatedWaitSeconds *int   `json:"estimated_wait_seconds"`
}
