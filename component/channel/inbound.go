package channel

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Inbound is one message a channel took in, for the desk.
type Inbound struct {
	// Channel is the conversation's channel ("sms", "voice",
	// "hook:NAME") and Provider the [[channel]] it came through.
	Channel, Provider string
	// Key is the provider's id of this message (a MessageSid, a
	// webhook-id): the desk takes each key once. Thread, when set, joins
	// messages with other keys into one conversation (a voicemail's
	// recording and its transcription share their RecordingSid).
	Key, Thread string
	// Customer is the customer's identity ("tel:+49301234567"), Address
	// their address on the channel, Name what they call themselves.
	Customer, Address, Name string
	// Email and Phone are what the customer typed about themselves (a
	// form's fields): shown as possible matches, never linked by
	// themselves.
	Email, Phone string
	Text         string
	Files        []File
	// Kind is the conversation's kind when this opens one: "" for a
	// chat, "message" for a voicemail or a form.
	Kind string
	// Queue, when set, skips the dialog: the conversation goes there.
	Queue string
	// Entry is the entry point whose dialog and queues it uses.
	Entry string
	// Note is a line for the room about what came (a recording's length).
	Note string
	// ReplyURL is where answers go for a channel that posts them (hook).
	ReplyURL string
	At       time.Time
}

// Accepted is what the desk made of an inbound message, once it is
// durable.
type Accepted struct {
	Conversation uint64
	// Duplicate is set when the key came before: nothing was stored.
	Duplicate bool
}

// Desk takes inbound messages: it returns once the message is durable
// (or was there already), or with why it could not take it.
type Desk interface {
	Inbound(ctx context.Context, in Inbound) (Accepted, error)
}

// ErrUnavailable is the desk's answer while it cannot take messages (it
// is not ready, or the store failed): the provider should try again.
var ErrUnavailable = errors.New("the desk cannot take messages now; try again")

// ErrTooLong refuses a message whose text is over desk.max_body_bytes.
var ErrTooLong = errors.New("the message is over desk.max_body_bytes")

// Report is what a provider said of a reply it accepted: delivered, or
// failed with its error code.
type Report struct {
	Outbox     uint64 // the outbox entry
	ProviderID string
	Status     string // delivered, failed, undelivered
	Code       string // the provider's error code, for a failure
}

// Reports takes delivery reports (the desk writes them on the timeline).
type Reports interface {
	Delivery(ctx context.Context, r Report) error
}

// Take hands in to d, waiting at most 10 seconds for it to be durable,
// and says how the channel answers: status 0 and result "ok" or
// "duplicate" when it is taken, else the HTTP status, the result to count
// and why. A store failure is a 500 and a desk that cannot take it now a
// 503, so that the sender tries again.
func Take(ctx context.Context, d Desk, in Inbound) (got Accepted, status int, result string, why error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	got, err := d.Inbound(ctx, in)
	switch {
	case errors.Is(err, ErrUnavailable):
		return got, http.StatusServiceUnavailable, "unavailable", err
	case errors.Is(err, ErrTooLong):
		return got, http.StatusRequestEntityTooLarge, "too_large", err
	case err != nil:
		return got, http.StatusInternalServerError, "error", fmt.Errorf("not stored: %w", err)
	case got.Duplicate:
		return got, 0, "duplicate", nil
	}
	return got, 0, "ok", nil
}
