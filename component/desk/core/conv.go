package core

import (
	"slices"
	"strconv"
	"time"

	"switchboard/component/desk/rooms"
	"switchboard/routing"
	"switchboard/routing/dialog"
	"switchboard/store"
)

// Conv is the desk's live view of one conversation that has not ended (or
// may still be reopened).
type Conv struct {
	// Rec is the workflow record, written to the store by each step.
	Rec *store.Conversation
	// Route is what routing knows of the conversation: its queue,
	// priority, time queued, language, needed client features, declines,
	// a named transfer's agent and the preferred agent. It is the one
	// place these live while the conversation is in memory: the router
	// reads it through a pointer, and each step copies it into rec.
	Route  routing.Conversation
	Dialog dialog.State
	Room   rooms.Room
	Full   string // the customer's full JID last seen

	OfferUntil  time.Time // the outstanding offer's deadline
	OfferReason string    // why it went to that agent, until written
	Offline     bool      // the customer's client said it went offline
	// WaitingSince is when the customer's oldest line no agent answered
	// yet came, while the conversation is open; replyStage is how far its
	// reminders went (replytime.go).
	WaitingSince time.Time
	// Told is the place and wait the customer was last Told while queued
	// (estimates.go); heldSince is when the agent holding it took it.
	Told      ToldWait
	HeldSince time.Time
	// Stale are the agents an offer from before a restart invited; the
	// invitation still counts, and whoever does not take it is told.
	Stale      []string
	ReplyStage int
	// LastCustomer and LastAgent are when each last wrote, for the
	// customer timeout (timeout.go), whose timer is out while armed.
	LastCustomer, LastAgent time.Time
	TimeoutArmed            bool
	// Resumed is set for a conversation loaded at start-up: whatever was
	// committed just before a crash may not have reached the room, so the
	// desk recaps once it is back in.
	Resumed bool
	// Unsaved are the transcript messages submitted and not yet known to
	// be committed, for recaps (recap.go).
	Unsaved []unsavedMessage
}

// NewConv makes the live view of a record.
func NewConv(rec *store.Conversation) *Conv {
	c := &Conv{Rec: rec}
	c.Route = routing.Conversation{ID: rec.ID, Queue: rec.Queue, Priority: rec.Priority, Since: rec.Queued,
		Language: rec.Language, Needs: slices.Clone(rec.Needs), Rejected: slices.Clone(rec.Rejected),
		Agent: rec.TransferTo, Prefer: rec.Prefer}
	return c
}

// Persist copies what routing keeps into the record, before it is
// written.
func (c *Conv) Persist() {
	r := &c.Route
	c.Rec.Queue, c.Rec.Priority, c.Rec.Queued, c.Rec.Language = r.Queue, r.Priority, r.Since, r.Language
	c.Rec.Needs, c.Rec.Rejected, c.Rec.TransferTo, c.Rec.Prefer = r.Needs, r.Rejected, r.Agent, r.Prefer
}

// To is where messages for the customer go: the resource they last wrote
// from (a chat To a resource that went offline is delivered as if To the
// bare JID, RFC 6121 §8.5.3.2.1), else the bare JID.
func (c *Conv) To() string {
	if c.Full != "" {
		return c.Full
	}
	return c.Rec.Customer
}

// Need records that the conversation needs a client feature of its agent;
// routing sees it at once. It reports whether the feature is new.
func (c *Conv) Need(feature string) bool {
	if slices.Contains(c.Route.Needs, feature) {
		return false
	}
	c.Route.Needs = append(c.Route.Needs, feature)
	return true
}

// OfferedTo returns the agents holding the outstanding offer: one, or
// several under ring-all.
func (c *Conv) OfferedTo() []string {
	if len(c.Rec.Ringing) > 0 {
		return c.Rec.Ringing
	}
	if c.Rec.Offered != "" {
		return []string{c.Rec.Offered}
	}
	return nil
}

// IsOffered reports whether agent holds the outstanding offer.
func (c *Conv) IsOffered(agent string) bool { return slices.Contains(c.OfferedTo(), agent) }

// HandlingStatus is the status a transfer under way goes back to if it
// fails.
func (c *Conv) HandlingStatus() string {
	if slices.Contains(Handling, c.Rec.TransferFrom) {
		return c.Rec.TransferFrom
	}
	return Open
}

// CustomerKey is what finds c by its customer: the entry point and the
// customer, and for a channel besides XMPP the channel too. A voicemail
// is its own: several of one caller are several conversations.
func (c *Conv) CustomerKey() string {
	switch {
	case c.IsXMPP():
		return CustomerKey(c.Rec.Entry, "", c.Rec.Customer)
	case c.Rec.Channel == "voice":
		return "voice|" + strconv.FormatUint(c.Rec.ID, 10)
	}
	return CustomerKey(c.Rec.Entry, c.Rec.Channel, c.Rec.Customer)
}

// CustomerKey is the key of an entry point's conversation with customer
// on channel ("" for XMPP).
func CustomerKey(entry, channel, customer string) string {
	if channel == "" || channel == "xmpp" {
		return entry + "|" + customer
	}
	return entry + "|" + channel + "|" + customer
}
