// Command gen writes a small switchboard database with the store package
// it is built with: run at an old commit, it makes the frozen database of
// that commit's schema that store's migration tests open. See
// ../README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"switchboard/store"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen FILE subscriptions(0|1)")
		os.Exit(2)
	}
	st, err := store.Open(os.Args[1], store.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	err = st.Update(context.Background(), func(tx *store.Tx) error {
		closed := &store.Conversation{ID: 1, Status: store.StatusClosed, Kind: store.KindChat, Entry: "support",
			Customer: "ann@example.com", Queue: "billing", Agent: "alice@example.com", Answers: map[string]string{"order": "123456"},
			Tags: []string{"refund"}, Rating: 4, Resolution: "refund issued", Created: at, Closed: at.Add(10 * time.Minute)}
		waiting := &store.Conversation{ID: 2, Status: store.StatusQueued, Kind: store.KindChat, Entry: "support",
			Customer: "ben@example.com", Queue: "sales", Priority: 1, Created: at.Add(time.Hour)}
		for _, c := range []*store.Conversation{closed, waiting} {
			if err := tx.PutConversation(c); err != nil {
				return err
			}
		}
		for i, e := range []store.Event{{At: at, Actor: "ann@example.com", Action: "opened"}, {At: at.Add(time.Minute), Actor: "alice@example.com", Action: "assigned"}, {At: at.Add(10 * time.Minute), Actor: "alice@example.com", Action: "closed", Detail: "refund issued"}} {
			if err := tx.AppendEvent(1, e); err != nil {
				return fmt.Errorf("event %d: %w", i, err)
			}
		}
		if err := tx.AppendEvent(2, store.Event{At: at.Add(time.Hour), Actor: "desk", Action: "queued", Detail: "queue sales, priority 1"}); err != nil {
			return err
		}
		for _, m := range []store.Message{{At: at, From: "customer", Body: "my invoice is wrong"}, {At: at.Add(2 * time.Minute), From: "alice@example.com", Body: "on it"}, {At: at.Add(3 * time.Minute), From: "alice@example.com", Body: "//check the bank", Private: true}} {
			if err := tx.AppendMessage(1, m); err != nil {
				return err
			}
		}
		if err := tx.AppendMessage(2, store.Message{At: at.Add(time.Hour), From: "customer", Body: "I want to buy"}); err != nil {
			return err
		}
		for _, c := range []*store.Customer{{JID: "ann@example.com", Conversations: []uint64{1}, Last: at}, {JID: "ben@example.com", Conversations: []uint64{2}, Last: at.Add(time.Hour)}} {
			if err := tx.PutCustomer(c); err != nil {
				return err
			}
		}
		if err := tx.PutAgent(&store.Agent{JID: "bob@example.com", Paused: true, Reason: "lunch"}); err != nil {
			return err
		}
		return subscribe(tx, os.Args[2] == "1")
	})
	if err == nil {
		err = st.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
