package retention_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"switchboard/store"
	"switchboard/store/inbox"
	"switchboard/store/outbox"
	"switchboard/store/retention"
)

// TestRetention runs a purge with an injected clock: closed conversations
// past keep_closed go whole; per customer, messages beyond the limits go,
// except ones not yet delivered in a conversation still open.
func TestRetention(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "sb.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	day := 24 * time.Hour
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	msg := func(from, body string, private bool) store.Message {
		return store.Message{At: t0, From: from, Body: body, Private: private}
	}
	type conv struct {
		rec  store.Conversation
		msgs []store.Message
		seen int // MarkSeen after this many messages; -1 never
	}
	convs := []conv{
		{rec: store.Conversation{ID: 1, Customer: "c@x", Status: store.StatusClosed, Closed: t0}, msgs: []store.Message{msg("customer", "c1a", false), msg("desk", "d1b", false)}, seen: 2},
		{rec: store.Conversation{ID: 2, Customer: "c@x", Status: store.StatusClosed, Closed: t0, ReopenUntil: t0.Add(100 * day)}, seen: -1},
		{rec: store.Conversation{ID: 3, Customer: "c@x", Status: store.StatusClosed, Closed: t0.Add(85 * day)}, msgs: []store.Message{msg("customer", "c3a", false), msg("desk", "d3a", false), msg("alice@x", "a3b", false), msg("alice@x", "a3c", false)}, seen: 2},
		{rec: store.Conversation{ID: 4, Customer: "c@x", Status: store.StatusOpen}, msgs: []store.Message{msg("customer", "c4a", false), msg("alice@x", "a4b", false), msg("alice@x", "n4", true), msg("alice@x", "a4c", false)}, seen: 1},
		{rec: store.Conversation{ID: 5, Customer: "other@x", Status: store.StatusAbandoned, Closed: t0}, msgs: []store.Message{msg("customer", "o5", false)}, seen: -1},
	}
	for _, c := range convs {
		err := s.Update(ctx, func(tx *store.Tx) error {
			rec := c.rec
			if err := tx.PutConversation(&rec); err != nil {
				return err
			}
			cu, err := tx.Customer(rec.Customer)
			if err != nil {
				return err
			}
			cu.Conversations = append(cu.Conversations, rec.ID)
			if err := tx.PutCustomer(cu); err != nil {
				return err
			}
			if err := tx.AppendEvent(rec.ID, store.Event{At: t0, Actor: "desk", Action: "opened"}); err != nil {
				return err
			}
			for i, m := range c.msgs {
				if err := tx.AppendMessage(rec.ID, m); err != nil {
					return err
				}
				if i+1 == c.seen {
					if err := tx.MarkSeen(rec.ID); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	// Nothing is due yet at day 89.
	p, err := retention.Purge(s, t0.Add(89*day), retention.Policy{KeepClosed: 90 * day})
	if err != nil || p != (retention.Purged{}) {
		t.Fatalf("purge at day 89 = %+v, %v; want nothing", p, err)
	}

	p, err = retention.Purge(s, t0.Add(91*day), retention.Policy{KeepClosed: 90 * day, KeepConsumed: 2, KeepUnconsumed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := (retention.Purged{Conversations: 2, Messages: 3 + 4}); p != want {
		t.Errorf("purged %+v, want %+v", p, want)
	}
	bodies := func(tx *store.Tx, id uint64) []string {
		ms, err := tx.Transcript(id)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, m.Body)
		}
		return out
	}
	err = s.View(func(tx *store.Tx) error {
		for _, id := range []uint64{1, 5} {
			if _, err := tx.Conversation(id); err != store.ErrNotFound {
				t.Errorf("conversation %d: %v, want it purged", id, err)
			}
			if ev, _ := tx.Timeline(id); len(ev) != 0 {
				t.Errorf("conversation %d keeps %d events", id, len(ev))
			}
			if b := bodies(tx, id); len(b) != 0 {
				t.Errorf("conversation %d keeps %v", id, b)
			}
		}
		if _, err := tx.Conversation(2); err != nil {
			t.Errorf("conversation 2, still reopenable, is gone: %v", err)
		}
		if b := bodies(tx, 3); len(b) != 0 {
			t.Errorf("closed conversation 3 keeps %v beyond the limits", b)
		}
		if b, want := bodies(tx, 4), []string{"c4a", "a4b", "n4", "a4c"}; !slices.Equal(b, want) {
			t.Errorf("open conversation 4 keeps %v, want %v (undelivered messages stay while it is open)", b, want)
		}
		if ev, _ := tx.Timeline(3); len(ev) != 1 {
			t.Errorf("purge touched conversation 3's timeline: %d events", len(ev))
		}
		cu, _ := tx.Customer("c@x")
		if !slices.Equal(cu.Conversations, []uint64{2, 3, 4}) {
			t.Errorf("customer's conversations = %v", cu.Conversations)
		}
		if cu, _ := tx.Customer("other@x"); len(cu.Conversations) != 0 || !cu.Last.IsZero() {
			t.Errorf("customer with nothing left is kept: %+v", cu)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Once the conversation closes, what it still had undelivered may go.
	err = s.Update(ctx, func(tx *store.Tx) error {
		c, _ := tx.Conversation(4)
		c.Status, c.Closed = store.StatusClosed, t0.Add(91*day)
		return tx.PutConversation(c)
	})
	if err != nil {
		t.Fatal(err)
	}
	if p, err = retention.Purge(s, t0.Add(92*day), retention.Policy{KeepClosed: 90 * day, KeepConsumed: 2, KeepUnconsumed: 1}); err != nil {
		t.Fatal(err)
	}
	if p.Messages != 1 {
		t.Errorf("after closing, purged %d messages, want 1 (a4b)", p.Messages)
	}
}

// The channels' message keys go after inbox.KeysKept whatever the policy;
// outbox entries sent or dead go with KeepClosed, pending ones never.
func TestPurgeChannels(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "sb.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	old, recent := now.Add(-8*24*time.Hour), now.Add(-time.Hour)
	err = st.Update(context.Background(), func(tx *store.Tx) error {
		for i, at := range []time.Time{old, old, recent} {
			if err := inbox.Mark(tx, "sms", fmt.Sprint("SM", i), inbox.Seen{Conversation: 1, At: at}); err != nil {
				return err
			}
		}
		for _, state := range []string{outbox.Sent, outbox.Dead, outbox.Pending} {
			e := &outbox.Entry{}
			if err := outbox.Add(tx, e, old); err != nil {
				return err
			}
			e.State = state
			if err := outbox.Put(tx, e); err != nil {
				return err
			}
		}
		return outbox.Add(tx, &outbox.Entry{}, recent)
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := retention.Purge(st, now, retention.Policy{})
	if err != nil || p.Keys != 2 || p.Outbox != 0 {
		t.Fatalf("no policy: %+v %v", p, err)
	}
	p, err = retention.Purge(st, now, retention.Policy{KeepClosed: 24 * time.Hour})
	if err != nil || p.Keys != 0 || p.Outbox != 2 {
		t.Fatalf("keep_closed 24h: %+v %v", p, err)
	}
	st.View(func(tx *store.Tx) error {
		if _, ok, _ := inbox.Lookup(tx, "sms", "SM2"); !ok {
			t.Error("a recent key went")
		}
		n := 0
		outbox.Each(tx, "", 0, func(e *outbox.Entry) bool { n++; return true })
		if n != 2 {
			t.Errorf("%d outbox entries left, want the pending and the recent one", n)
		}
		return nil
	})
}
