package api

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"switchboard/store"
	"switchboard/store/identity"
)

// CustomerView is GET /api/v1/customers/{id}: a customer, the addresses
// they typed, the customers linked with them, and the conversations of
// all of them on every channel, newest first.
type CustomerView struct {
	ID            string             `json:"id"`
	Typed         []string           `json:"typed"`
	Linked        []string           `json:"linked"`
	Last          *time.Time         `json:"last,omitempty"`
	Conversations []ConversationView `json:"conversations"`
}

// maxCustomerConversations bounds the conversations a customer's view
// lists.
const maxCustomerConversations = 200

func (s *Server) customer(w http.ResponseWriter, r *http.Request) {
	id, ok := CustomerID(r.PathValue("id"))
	if !ok {
		apiError(w, http.StatusBadRequest, "%q is not a customer: a bare JID, tel:+E.164 or hook:CHANNEL:ID", r.PathValue("id"))
		return
	}
	v := CustomerView{ID: id, Typed: []string{}, Linked: []string{}, Conversations: []ConversationView{}}
	found := false
	err := s.store.View(func(tx *store.Tx) error {
		cu, err := tx.Customer(id)
		if err != nil {
			return err
		}
		found = len(cu.Conversations) > 0
		v.Typed = append(v.Typed, cu.Typed...)
		v.Linked = append(v.Linked, cu.Linked...)
		group, err := identity.Group(tx, id)
		if err != nil {
			return err
		}
		for _, who := range group {
			c, err := tx.Customer(who)
			if err != nil {
				return err
			}
			if !c.Last.IsZero() && (v.Last == nil || c.Last.After(*v.Last)) {
				v.Last = when(c.Last)
			}
			for _, cid := range c.Conversations {
				rec, err := tx.Conversation(cid)
				if err != nil {
					continue // removed by retention
				}
				v.Conversations = append(v.Conversations, ViewOf(rec))
			}
		}
		return nil
	})
	if err != nil {
		s.log.Error("read a customer", "err", err)
		apiError(w, http.StatusInternalServerError, "reading the store failed")
		return
	}
	if !found {
		apiError(w, http.StatusNotFound, "no customer %s", id)
		return
	}
	slices.SortFunc(v.Conversations, func(a, b ConversationView) int { return cmp.Compare(b.ID, a.ID) })
	v.Conversations = v.Conversations[:min(len(v.Conversations), maxCustomerConversations)]
	writeJSON(w, http.StatusOK, v)
}
