package desk

import (
	"slices"
	"time"

	"switchboard/component/desk/rooms"
	"switchboard/routing"
	"switchboard/routing/dialog"
	"switchboard/store"
)

// conv is the desk's live view of one conversation that has not ended (or
// may still be reopened).
type conv struct {
	// rec is the workflow record, written to the store by each step.
	rec *store.Conversation
	// route is what routing knows of the conversation: its queue,
	// priority, time queued, language, needed client features, declines,
	// a named transfer's agent and the preferred agent. It is the one
	// place these live while the conversation is in memory: the router
	// reads it through a pointer, and each step copies it into rec.
	route  routing.Conversation
	dialog dialog.State
	room   rooms.Room
	full   string // the customer's full JID last seen

	offerUntil  time.Time // the outstanding offer's deadline
	offerReason string    // why it went to that agent, until written
	offline     bool      // the customer's client said it went offline
	// waitingSince is when the customer's oldest line no agent answered
	// yet came, while the conversation is open; replyStage is how far its
	// reminders went (replytime.go).
	waitingSince time.Time
	// told is the place and wait the customer was last told while queued
	// (estimates.go); heldSince is when the agent holding it took it.
	told      toldWait
	heldSince time.Time
	// stale are the agents an offer from before a restart invited; the
	// invitation still counts, and whoever does not take it is told.
	stale      []string
	replyStage int
	// lastCustomer and lastAgent are when each last wrote, for the
	// customer timeout (timeout.go), whose timer is out while armed.
	lastCustomer, lastAgent time.Time
	timeoutArmed            bool
	// resumed is set for a conversation loaded at start-up: whatever was
	// committed just before a crash may not have reached the room, so the
	// desk recaps once it is back in.
	resumed bool
	// unsaved are the transcript messages submitted and not yet known to
	// be committed, for recaps (recap.go).
	unsaved []unsavedMessage
}

// newConv makes the live view of a record.
func newConv(rec *store.Conversation) *conv {
	c := &conv{rec: rec}
	c.route = routing.Conversation{ID: rec.ID, Queue: rec.Queue, Priority: rec.Priority, Since: rec.Queued,
		Language: rec.Language, Needs: slices.Clone(rec.Needs), Rejected: slices.Clone(rec.Rejected),
		Agent: rec.TransferTo, Prefer: rec.Prefer}
	return c
}

// persist copies what routing keeps into the record, before it is
// written.
func (c *conv) persist() {
	r := &c.route
	c.rec.Queue, c.rec.Priority, c.rec.Queued, c.rec.Language = r.Queue, r.Priority, r.Since, r.Language
	c.rec.Needs, c.rec.Rejected, c.rec.TransferTo, c.rec.Prefer = r.Needs, r.Rejected, r.Agent, r.Prefer
}

// to is where messages for the customer go: the resource they last wrote
// from (a chat to a resource that went offline is delivered as if to the
// bare JID, RFC 6121 §8.5.3.2.1), else the bare JID.
func (c *conv) to() string {
	if c.full != "" {
		return c.full
	}
	return c.rec.Customer
}

// need records that the conversation needs a client feature of its agent;
// routing sees it at once. It reports whether the feature is new.
func (c *conv) need(feature string) bool {
	if slices.Contains(c.route.Needs, feature) {
		return false
	}
	c.route.Needs = append(c.route.Needs, feature)
	return true
}

// offeredTo returns the agents holding the outstanding offer: one, or
// several under ring-all.
func (c *conv) offeredTo() []string {
	if len(c.rec.Ringing) > 0 {
		return c.rec.Ringing
	}
	if c.rec.Offered != "" {
		return []string{c.rec.Offered}
	}
	return nil
}

// isOffered reports whether agent holds the outstanding offer.
func (c *conv) isOffered(agent string) bool { return slices.Contains(c.offeredTo(), agent) }

// handlingStatus is the status a transfer under way goes back to if it
// fails.
func (c *conv) handlingStatus() string {
	if slices.Contains(handling, c.rec.TransferFrom) {
		return c.rec.TransferFrom
	}
	return open
}

func (c *conv) customerKey() string { return c.rec.Entry + "|" + c.rec.Customer }
