package component_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"switchboard/component/api"
	"switchboard/component/xmppclient"
	"switchboard/store"
)

// TestWaitEstimate: on a real server, a customer queued behind a busy
// agent is told their place and wait, "status" tells it again, the API
// serves it per queue, and a restart keeps what the desk had learnt.
func TestWaitEstimate(t *testing.T) {
	e := newEnv(t, "30s", map[string]string{"alice": "billing = 7; 1"}, "first", "second")
	// Ten billing conversations ended yesterday: six minutes with an
	// agent each.
	st, err := store.Open(e.cfg.Store.Path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(tx *store.Tx) error {
		for i := range 10 {
			at := time.Now().Add(-24*time.Hour + time.Duration(i)*time.Hour)
			c := &store.Conversation{ID: uint64(i + 1), Kind: store.KindChat, Customer: "old@localhost", Created: at, Queue: "billing",
				Status: store.StatusClosed, Queued: at, Assigned: at.Add(time.Minute), Agent: "alice@localhost", Closed: at.Add(7 * time.Minute)}
			if err := tx.PutConversation(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	e.startDesk()
	alice := e.login("alice", xmppclient.Options{})
	subscribed(t, alice)
	first := e.login("first", xmppclient.Options{})
	billingQuestion(t, first, "111111")
	expectChat(t, first, entry, "number 1 in the queue; an agent will be with you in a moment.")
	join(t, alice, expectInvite(t, alice), "Alice")
	expectChat(t, first, entry, "chatting with Alice")

	second := e.login("second", xmppclient.Options{})
	billingQuestion(t, second, "222222")
	expectChat(t, second, entry, "You are number 1 in the queue; the wait is less than 14 minutes.")
	say(t, second, "status")
	expectChat(t, second, entry, "You are number 1 in the queue; the wait is less than 14 minutes.")
	estimate := func() int {
		t.Helper()
		var v struct{ Queues []api.QueueStatus }
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			code, body := e.api("GET", "/api/v1/status", "t0ken", "")
			if code != 200 || json.Unmarshal(body, &v) != nil {
				t.Fatalf("status = %d %s", code, body)
			}
			for _, q := range v.Queues {
				if q.Queue == "billing" && q.Waiting == 1 && q.EstimatedWaitSeconds != nil {
					return *q.EstimatedWaitSeconds
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("status %s", body)
			}
		}
	}
	// A customer queuing now would be second behind one busy slot: the
	// median of two six-minute stages, about ten minutes.
	if s := estimate(); s < 540 || s > 660 {
		t.Fatalf("estimated_wait_seconds %d", s)
	}
	code, body := e.api("GET", "/api/v1/conversations/12", "t0ken", "")
	var v api.ConversationView
	if code != 200 || json.Unmarshal(body, &v) != nil {
		t.Fatalf("conversation 12 = %d %s", code, body)
	}
	n := 0
	for _, ev := range v.Timeline {
		if ev.Action == "estimate" {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d estimate events, want 2: %+v", n, v.Timeline)
	}

	e.stopDesk()
	e.startDesk()
	say(t, second, "status")
	expectChat(t, second, entry, "You are number 1 in the queue")
	if s := estimate(); s < 540 || s > 660 {
		t.Fatalf("after a restart estimated_wait_seconds %d", s)
	}
}
