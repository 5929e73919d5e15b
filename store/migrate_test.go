package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"switchboard/store"
)

// Every older schema, as a frozen database from the commit that wrote it
// (testdata/store), upgrades to the current one and reads back whole.
func TestUpgradeFrozen(t *testing.T) {
	for v := uint64(1); v <= store.SchemaVersion; v++ {
		t.Run(fmt.Sprintf("schema %d", v), func(t *testing.T) {
			frozen, err := os.ReadFile(filepath.Join("..", "testdata", "store", fmt.Sprintf("schema-%d.db", v)))
			if err != nil {
				t.Fatalf("no frozen database of schema %d (see testdata/store/README.md): %v", v, err)
			}
			path := filepath.Join(t.TempDir(), "sb.db")
			if err := os.WriteFile(path, frozen, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := store.Open(path, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			check := func(tx *store.Tx) {
				t.Helper()
				c, err := tx.Conversation(1)
				if err != nil || c.Status != store.StatusClosed || c.Rating != 4 || c.Answers["order"] != "123456" || !slices.Equal(c.Tags, []string{"refund"}) {
					t.Fatalf("conversation 1 = %+v, %v", c, err)
				}
				ev, err := tx.Timeline(1)
				if err != nil || len(ev) != 3 || ev[2].Action != "closed" {
					t.Fatalf("timeline = %+v, %v", ev, err)
				}
				msgs, err := tx.Transcript(1)
				if err != nil || len(msgs) < 3 || msgs[0].Body != "my invoice is wrong" || !msgs[2].Private {
					t.Fatalf("transcript = %+v, %v", msgs, err)
				}
				active, err := tx.Active()
				if err != nil || len(active) != 1 || active[0].ID != 2 || active[0].Queue != "sales" {
					t.Fatalf("active = %+v, %v", active, err)
				}
				if cu, err := tx.Customer("ann@example.com"); err != nil || !slices.Equal(cu.Conversations, []uint64{1}) {
					t.Fatalf("customer = %+v, %v", cu, err)
				}
				if a, err := tx.Agent("bob@example.com"); err != nil || !a.Paused || a.Reason != "lunch" {
					t.Fatalf("agent = %+v, %v", a, err)
				}
				if tx.LastID() != 2 {
					t.Fatalf("last id = %d", tx.LastID())
				}
				subs, err := tx.Subscriptions()
				if err != nil || (v >= 2) != slices.Contains(subs["support"], "ann@example.com") {
					t.Fatalf("subscriptions = %v, %v", subs, err)
				}
			}
			if err := s.View(func(tx *store.Tx) error { check(tx); return nil }); err != nil {
				t.Fatal(err)
			}
			// It takes new writes after the old ones.
			if err := s.Update(context.Background(), func(tx *store.Tx) error {
				if err := tx.PutSubscription("support", "new@example.com", true); err != nil {
					return err
				}
				return tx.AppendMessage(1, store.Message{From: "customer", Body: "thanks"})
			}); err != nil {
				t.Fatal(err)
			}
			err = s.View(func(tx *store.Tx) error {
				check(tx)
				msgs, err := tx.Transcript(1)
				if err != nil || msgs[len(msgs)-1].Body != "thanks" {
					t.Fatalf("transcript after a write = %+v, %v", msgs, err)
				}
				if subs, err := tx.Subscriptions(); err != nil || !slices.Contains(subs["support"], "new@example.com") {
					t.Fatalf("subscriptions after a write = %v, %v", subs, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
