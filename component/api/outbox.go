package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"switchboard/store"
	"switchboard/store/outbox"
)

// The outbox under /api/v1/outbox: what waits to go out to customers on
// channels other than XMPP and to webhooks, what went, and the dead
// letters, which POST /api/v1/outbox/{id}/retry sends again.

// Retrier sends a dead outbox entry again (the channels' sender).
type Retrier interface {
	Retry(ctx context.Context, id uint64) (*outbox.Entry, error)
}

// OutboxView is an outbox entry as the API shows it.
type OutboxView struct {
	ID           uint64     `json:"id"`
	Kind         string     `json:"kind"`
	Conversation uint64     `json:"conversation,omitempty"`
	Channel      string     `json:"channel"`
	To           string     `json:"to,omitempty"`
	Body         string     `json:"body"`
	Event        string     `json:"event,omitempty"`
	State        string     `json:"state"`
	Attempts     int        `json:"attempts"`
	Error        string     `json:"error,omitempty"`
	Status       string     `json:"status,omitempty"` // what the provider last reported
	Created      time.Time  `json:"created"`
	Next         *time.Time `json:"next,omitempty"`
	Sent         *time.Time `json:"sent,omitempty"`
}

func outboxView(e *outbox.Entry) OutboxView {
	v := OutboxView{ID: e.ID, Kind: e.Kind, Conversation: e.Conversation, Channel: e.Channel, To: e.To, Body: e.Body, Event: e.Event,
		State: e.State, Attempts: e.Attempts, Error: e.Error, Status: e.Status, Created: e.Created, Next: when(e.Next), Sent: when(e.Sent)}
	return v
}

// OutboxPage is one page of GET /api/v1/outbox, newest first.
type OutboxPage struct {
	Entries []OutboxView `json:"entries"`
	Next    string       `json:"next,omitempty"`
}

func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	switch state {
	case "", outbox.Pending, outbox.Sent, outbox.Dead:
	default:
		apiError(w, http.StatusBadRequest, "state: %q is not one of pending, sent, dead", state)
		return
	}
	limit, before := DefaultPage, uint64(0)
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPage {
			apiError(w, http.StatusBadRequest, "limit: want a number from 1 to %d, got %q", MaxPage, v)
			return
		}
		limit = n
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n == 0 {
			apiError(w, http.StatusBadRequest, "before: want an entry id, got %q", v)
			return
		}
		before = n
	}
	page := OutboxPage{Entries: []OutboxView{}}
	err := s.store.View(func(tx *store.Tx) error {
		return outbox.Each(tx, state, before, func(e *outbox.Entry) bool {
			if len(page.Entries) == limit {
				page.Next = strconv.FormatUint(page.Entries[limit-1].ID, 10)
				return false
			}
			page.Entries = append(page.Entries, outboxView(e))
			return true
		})
	})
	if err != nil {
		s.log.Error("list the outbox", "err", err)
		apiError(w, http.StatusInternalServerError, "reading the store failed")
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) retry(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil || id == 0 {
		apiError(w, http.StatusBadRequest, "%q is not an outbox entry id", r.PathValue("id"))
		return
	}
	if s.outboxRetrier == nil {
		apiError(w, http.StatusServiceUnavailable, "no sender")
		return
	}
	e, err := s.outboxRetrier.Retry(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		apiError(w, http.StatusNotFound, "no outbox entry %d", id)
	case errors.Is(err, outbox.ErrNotDead):
		apiError(w, http.StatusConflict, "outbox entry %d is %s: only a dead entry is sent again", id, e.State)
	case err != nil:
		s.log.Error("retry an outbox entry", "entry", id, "err", err)
		apiError(w, http.StatusInternalServerError, "writing the store failed")
	default:
		s.log.Info("outbox entry sent again", "entry", id)
		writeJSON(w, http.StatusAccepted, outboxView(e))
	}
}
