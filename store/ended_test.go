package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"switchboard/store"
)

// seedEnded writes n closed conversations, one every 10 minutes from at,
// each taken by an agent a minute after it came and closed 8 minutes
// after it came; odd ones in queue sales.
func seedEnded(tb testing.TB, s *store.Store, n int) {
	tb.Helper()
	err := s.Update(context.Background(), func(tx *store.Tx) error {
		for j := range n {
			created := at.Add(time.Duration(j) * 10 * time.Minute)
			c := &store.Conversation{ID: uint64(j + 1), Kind: store.KindChat, Customer: fmt.Sprintf("c%d@example.com", j), Created: created,
				Queue: []string{"billing", "sales"}[j%2], Status: store.StatusClosed, Queued: created, Agent: "alice@example.com",
				Assigned: created.Add(time.Minute), Closed: created.Add(8 * time.Minute)}
			if err := tx.PutConversation(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func TestRecent(t *testing.T) {
	s, _ := open(t)
	seedEnded(t, s, 300)
	var got []store.Ended
	if err := s.View(func(tx *store.Tx) (err error) { got, err = tx.Recent(50); return err }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 50 || !got[0].Closed.Before(got[49].Closed) {
		t.Fatalf("%d ended, first %v last %v", len(got), got[0].Closed, got[len(got)-1].Closed)
	}
	last := got[49] // conversation 300: handled, closed 8 min after it came
	if want := at.Add(299*10*time.Minute + 8*time.Minute); !last.Closed.Equal(want) || last.Assigned.IsZero() || last.Queue != "sales" {
		t.Fatalf("last %+v", last)
	}
}

func TestEachEnded(t *testing.T) {
	s, _ := open(t)
	seedEnded(t, s, 30)
	var queues []string
	err := s.View(func(tx *store.Tx) error {
		return tx.EachEnded(at.Add(time.Hour), at.Add(2*time.Hour), func(e *store.Ended) error {
			queues = append(queues, e.Queue)
			return nil
		})
	})
	// Closed in [1 h, 2 h): those created from 52 min to 1 h 52 min,
	// numbers 6 to 11 counting from 0.
	if err != nil || fmt.Sprint(queues) != "[billing sales billing sales billing sales]" {
		t.Fatalf("%v %v", queues, err)
	}
}
