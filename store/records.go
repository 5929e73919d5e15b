package store

import (
	"time"
)

// Conversation statuses.
const (
	StatusDialog    = "dialog"
	StatusQueued    = "queued"
	StatusOffered   = "offered"
	StatusOpen      = "open"
	StatusPending   = "pending"
	StatusResolved  = "resolved"
	StatusClosed    = "closed"
	StatusAbandoned = "abandoned"
)

// Conversation kinds.
const (
	KindChat     = "chat"
	KindCallback = "callback"
	KindMessage  = "message"
)

// Conversation is the workflow record of one conversation.
type Conversation struct {
	ID       uint64 `json:"id"`
	Status   string `json:"status"`
	Kind     string `json:"kind"`
	Entry    string `json:"entry"`    // entry point localpart
	Customer string `json:"customer"` // the customer: a bare JID, or an address with its scheme ("tel:+49301234567")
	// Channel is the way the customer came in and is answered ("xmpp"
	// when empty, "sms", "voice", "hook:NAME"), Address their address on
	// it (a bare JID, an E.164 number, a sender id).
	Channel string `json:"channel,omitempty"`
	Address string `json:"address,omitempty"`
	// Typed are the addresses the customer gave in this conversation
	// without proof ("mailto:ada@example.com", "tel:+49301234567").
	Typed []string `json:"typed,omitempty"`
	// Provider is the [[channel]] it came through, ReplyVia the one its
	// answers go through when it is another (/via).
	Provider   string            `json:"provider,omitempty"`
	ReplyVia   string            `json:"reply_via,omitempty"`
	Resource   string            `json:"resource,omitempty"`
	Queue      string            `json:"queue,omitempty"`
	Agent      string            `json:"agent,omitempty"`
	Client     Client            `json:"client"`
	Language   string            `json:"language,omitempty"`
	Answers    map[string]string `json:"answers,omitempty"`
	Tags       []string          `json:"tags,omitempty"`
	Todos      []Todo            `json:"todos,omitempty"`
	Rating     int               `json:"rating,omitempty"`
	Priority   int               `json:"priority,omitempty"`
	Needs      []string          `json:"needs,omitempty"`
	DialogNode string            `json:"dialog_node,omitempty"`
	Rejected   []string          `json:"rejected,omitempty"` // agents who declined or let an offer lapse
	Offered    string            `json:"offered,omitempty"`
	// Ringing are all the agents a ring-all offer went to at once
	// (Offered is the first of them).
	Ringing []string `json:"ringing,omitempty"`
	// TransferTo is the agent a transfer under way was addressed to, and
	// TransferFrom the status the conversation goes back to if it fails.
	TransferTo   string `json:"transfer_to,omitempty"`
	TransferFrom string `json:"transfer_from,omitempty"`
	// Prefer is the agent routing tries first: the one who had a reopened
	// conversation before.
	Prefer string `json:"prefer,omitempty"`
	// Overflowed is set once the conversation waited past its queue's
	// max_wait and was moved or told.
	Overflowed bool      `json:"overflowed,omitempty"`
	Room       string    `json:"room,omitempty"`
	Resolution string    `json:"resolution,omitempty"`
	Created    time.Time `json:"created"`
	Queued     time.Time `json:"queued,omitzero"`
	Closed     time.Time `json:"closed,omitzero"`
	// FirstReply is when an agent first answered the customer, Assigned
	// when an agent first took the conversation, Transfers how often it
	// was handed on.
	FirstReply time.Time `json:"first_reply,omitzero"`
	Assigned   time.Time `json:"assigned,omitzero"`
	Transfers  int       `json:"transfers,omitempty"`
	// AgentAway is when the agent handling the conversation left its
	// room, while they are gone.
	AgentAway time.Time `json:"agent_away,omitzero"`
	// ReopenUntil is set on a closed conversation while the customer may
	// still come back to it; it stays among the active ones until then.
	ReopenUntil time.Time `json:"reopen_until,omitzero"`
	// RatingPending is set while the closing rating question waits for
	// its answer.
	RatingPending bool `json:"rating_pending,omitempty"`
	// Leaving is set while the customer leaves a message or asks for a
	// call back, step by step; Callback is the call back asked for.
	Leaving  *Leaving  `json:"leaving,omitempty"`
	Callback *Callback `json:"callback,omitempty"`
}

// Leaving is a message or call back request being given.
type Leaving struct {
	Kind  string `json:"kind"`  // KindMessage or KindCallback
	Queue string `json:"queue"` // the queue that takes it
	Step  string `json:"step"`  // message: "text"; callback: "phone", then "time"
	Lines int    `json:"lines,omitempty"`
}

// Callback is a call back a customer asked for.
type Callback struct {
	Phone string `json:"phone"` // E.164
	// At is when the customer wants the call; zero: as soon as an agent
	// is free.
	At       time.Time `json:"at,omitzero"`
	Attempts int       `json:"attempts,omitempty"`
}

// Open reports whether the conversation has not ended.
func (c *Conversation) Open() bool {
	return c.Status != StatusClosed && c.Status != StatusAbandoned
}

// Client is what the component learned about the customer's client.
type Client struct {
	Name     string   `json:"name,omitempty"`
	Version  string   `json:"version,omitempty"`
	OS       string   `json:"os,omitempty"`
	Features []string `json:"features,omitempty"`
}

// Todo is an action item of a conversation.
type Todo struct {
	Text string `json:"text"`
	Done bool   `json:"done"`
}

// Event is one entry of a conversation's timeline.
type Event struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Detail string    `json:"detail,omitempty"`
}

// Message is one entry of a conversation's transcript.
type Message struct {
	At      time.Time `json:"at"`
	From    string    `json:"from"` // "customer", "desk" or an agent's bare JID
	Body    string    `json:"body"`
	URL     string    `json:"url,omitempty"` // XEP-0066 attachment
	Private bool      `json:"private"`
}

// Customer is what the desk remembers of one customer.
type Customer struct {
	JID           string    `json:"jid"` // the customer's id: a bare JID, "tel:+49301234567", "hook:forms:u-17"
	Conversations []uint64  `json:"conversations"`
	Last          time.Time `json:"last"`
	// Typed are the addresses the customer gave without proof (a form's
	// email or phone, a call back number): agents see the customers they
	// are as possible matches. Linked are the customers an agent merged
	// with this one (/link): one person, listed together.
	Typed  []string `json:"typed,omitempty"`
	Linked []string `json:"linked,omitempty"`
}

// Agent is what the desk keeps of an agent across restarts: the pause
// state, and the agent's profile when it was set at runtime (through the
// HTTP API or an ad-hoc command) rather than in the config file.
type Agent struct {
	JID string `json:"jid"`
	// Approved is set once the agent approved the desk's presence
	// subscription: a restarted desk probes their presence then.
	Approved bool      `json:"approved,omitempty"`
	Paused   bool      `json:"paused"`
	Reason   string    `json:"reason,omitempty"`
	Since    time.Time `json:"since,omitzero"`
	// Profile, when set, replaces the config file's entry for this agent.
	Profile *AgentProfile `json:"profile,omitempty"`
	// Removed is set for an agent deleted at runtime, so that it stays
	// deleted even when the config file still lists it.
	Removed bool `json:"removed,omitempty"`
}

// AgentProfile is an agent's routing profile.
type AgentProfile struct {
	Name      string         `json:"name,omitempty"`
	Skills    map[string]int `json:"skills"`
	Languages []string       `json:"languages,omitempty"`
	MaxChats  int            `json:"max_chats"`
}

// Clone returns a deep copy, safe to hand to another goroutine.
func (c *Conversation) Clone() *Conversation {
	n := *c
	if c.Answers != nil {
		n.Answers = make(map[string]string, len(c.Answers))
		for k, v := range c.Answers {
			n.Answers[k] = v
		}
	}
	n.Tags = append([]string(nil), c.Tags...)
	n.Todos = append([]Todo(nil), c.Todos...)
	n.Needs = append([]string(nil), c.Needs...)
	n.Typed = append([]string(nil), c.Typed...)
	n.Rejected = append([]string(nil), c.Rejected...)
	n.Client.Features = append([]string(nil), c.Client.Features...)
	n.Ringing = append([]string(nil), c.Ringing...)
	if c.Leaving != nil {
		l := *c.Leaving
		n.Leaving = &l
	}
	if c.Callback != nil {
		cb := *c.Callback
		n.Callback = &cb
	}
	return &n
}
